#pragma once
// The inside of DirectoryIndex (index.h): its State and the records, postings
// and encodings the State keeps, shared by index.cpp (the public methods and
// the locks), index_write.cpp (build, add, kill, compaction, ranking words)
// and index_search.cpp (search).
// Internal to the directory module.
#include "core/geo.h"
#include "directory/doc_bits.h"
#include "directory/entry.h"
#include "directory/filter_index.h"
#include "directory/id_table.h"
#include "directory/index.h"
#include "directory/query.h"
#include "directory/results.h"
#include "directory/taxonomy.h"
#include "directory/text.h"
#include "directory/vocabulary.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bespoke::directory {
namespace detail {

inline constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();

// BM25F.
inline constexpr double kK1 = 1.2;
inline constexpr double kB = 0.75;
enum Field : std::uint8_t { kName = 0, kLabels = 1, kOrganisation = 2, kDescription = 3 };
inline constexpr std::array<double, 4> kFieldWeight{3.0, 2.0, 1.5, 1.0};
// Typo tolerance: weight of a variant by edit distance, and at most this many variants.
inline constexpr std::array<double, 3> kTypoWeight{1.0, 0.4, 0.2};
inline constexpr std::size_t kMaxVariants = 64;

// The geo grid: cells of 0.01° latitude by 0.016° longitude (about 1.1 km x
// 1.0 km at 52°N). A query uses the grid when it covers at most this many cells.
inline constexpr double kCellLatDeg = 0.01;
inline constexpr double kCellLonDeg = 0.016;
inline constexpr double kMaxGridCells = 40000;

// Expanded terms carry this bit when the service is tagged with the term itself
// (not only with a narrower one).
inline constexpr std::uint32_t kDirect = 0x80000000U;
inline constexpr std::uint32_t kTermMask = 0x7FFFFFFFU;

// Doc::flags.
inline constexpr std::uint8_t kDead = 1;
inline constexpr std::uint8_t kCommunityLed = 2;
inline constexpr std::uint8_t kLocallyOwned = 4;
inline constexpr std::uint8_t kHasMinAge = 8;
inline constexpr std::uint8_t kHasMaxAge = 16;
inline constexpr std::uint8_t kHasCapacity = 32;
inline constexpr int kCostShift = 6;  // two bits: Cost

// A posting of a ranked word: the word's weight in one doc (see State::impact).
struct Ranked {
  float impact = 0;
  std::uint32_t doc = 0;
};

struct Postings {
  std::vector<std::uint32_t> docs;  // ascending doc numbers, dead ones included
  std::vector<std::uint16_t> tf;    // per doc: 4 bits per Field
  std::uint32_t live = 0;           // live docs in docs (the document frequency)
  // A word in many docs is also kept as bits (live docs) and by impact, so
  // that a search ANDs it a word at a time and reads its best docs first.
  bool ranked = false;
  DocBits bits;
  std::vector<Ranked> by_impact;  // dead docs included
};

// One service, by dense doc number. Variable-length data lives in arena_
// (terms, circumstances, languages, weekly, dated), fwd_ (its words: ascending
// word ids as varint deltas, each followed by its tf, 2 bytes) and sites_.
struct Doc {
  Uuid id;
  std::uint32_t data = 0;   // offset in arena
  std::uint32_t words = 0;  // offset in fwd
  std::uint32_t site = 0;   // first site in sites
  std::uint32_t org = 0;    // dense organisation number (State::orgs)
  std::int64_t modified = kNoTime;  // last_modified
  std::array<std::uint16_t, 4> length{};  // words per Field
  std::uint16_t n_terms = 0;
  std::uint16_t n_words = 0;
  std::uint8_t n_circumstances = 0;
  std::uint8_t n_languages = 0;
  std::uint8_t n_weekly = 0;
  std::uint8_t n_dated = 0;
  std::uint8_t n_sites = 0;
  std::uint8_t min_age = 0;
  std::uint8_t max_age = 0;
  std::uint8_t kind = 0;
  std::uint8_t flags = 0;

  [[nodiscard]] std::uint32_t data_size() const {
    return n_terms + n_circumstances + n_languages + n_weekly + 3U * n_dated;
  }
  [[nodiscard]] Cost cost() const { return static_cast<Cost>((flags >> kCostShift) & 3); }
};

// The fields of a Doc that most filters read, in a dense array of their own
// (State::hot) so that rejecting a candidate reads 4 bytes, not a whole Doc.
struct Hot {
  std::uint8_t flags = 0;
  std::uint8_t kind = 0;
  std::uint8_t min_age = 0;
  std::uint8_t max_age = 0;
  [[nodiscard]] Cost cost() const { return static_cast<Cost>((flags >> kCostShift) & 3); }
};

inline std::uint64_t cell_key(std::int64_t row, std::int64_t col) {
  return (static_cast<std::uint64_t>(row) << 32) ^ static_cast<std::uint32_t>(col);
}
inline std::int64_t cell_row(double lat) { return static_cast<std::int64_t>(std::floor(lat / kCellLatDeg)); }
inline std::int64_t cell_col(double lon) { return static_cast<std::int64_t>(std::floor(lon / kCellLonDeg)); }

inline std::uint32_t language_key(const std::array<char, 3>& code) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(code[0])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(code[1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(code[2])) << 16;
}

inline std::uint32_t pack_weekly(const WeeklyOpening& w) {
  return (w.day & 7U) | (static_cast<std::uint32_t>(w.opens & 0x7FF) << 3) |
         (static_cast<std::uint32_t>(w.closes & 0x7FF) << 14);
}
inline std::uint32_t weekly_day(std::uint32_t p) { return p & 7; }
inline std::uint32_t weekly_opens(std::uint32_t p) { return (p >> 3) & 0x7FF; }
inline std::uint32_t weekly_closes(std::uint32_t p) { return (p >> 14) & 0x7FF; }

inline void put_varint(std::vector<std::uint8_t>& out, std::uint32_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}
inline std::uint32_t get_varint(const std::uint8_t*& p) {
  std::uint32_t v = 0;
  for (int shift = 0;; shift += 7) {
    const std::uint8_t b = *p++;
    v |= static_cast<std::uint32_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) return v;
  }
}

// A query word's matching index words: the word itself and its typo variants.
struct Variant {
  const Postings* postings = nullptr;
  double weight = 1;  // typo weight x IDF
};
// The index words of a query's words, by word id: each with its query word
// and weight (State::text_score).
struct WordMatch {
  std::uint32_t word = 0;
  std::uint32_t query_word = 0;
  double weight = 1;
};
struct QueryWord {
  std::vector<Variant> variants;
  std::size_t cost = 0;
};

// A matched doc on its way to a hit.
struct Match {
  std::uint32_t doc = 0;
  std::uint32_t site = kNone;  // nearest (or first) site, index into sites
  double score = 0;
  double chord2 = 0;
  double key = 0;  // higher first
};

}  // namespace detail

struct DirectoryIndex::State {
  Taxonomy taxonomy;
  std::vector<std::vector<std::uint32_t>> label_words;  // by term: word ids of its label

  detail::Vocabulary vocabulary;
  std::vector<detail::Postings> postings;  // by word id

  std::vector<detail::Doc> docs;
  std::vector<std::uint32_t> arena;
  std::vector<std::uint8_t> fwd;
  std::vector<detail::Hot> hot;         // by doc, as the Doc's fields
  std::vector<Site> sites;              // by doc, as the Doc's site and n_sites
  std::vector<core::UnitVector> site_xyz;   // by site
  std::vector<std::uint32_t> site_begin{0};  // by doc: its first site; one more at the end
  detail::IdTable ids;  // Uuid -> live doc
  std::vector<Uuid> orgs;  // by organisation number; never shrinks
  detail::IdTable org_ids;  // Uuid -> organisation number
  FilterIndex filters;                   // the filters' bit sets, and each term's docs
  std::vector<std::uint32_t> by_id;      // live docs in ascending id order
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> cells;
  std::vector<std::array<char, 3>> languages;
  std::unordered_map<std::uint32_t, std::uint16_t> language_ids;

  std::size_t live = 0;
  std::size_t dead = 0;
  std::array<std::uint64_t, 4> length_sum{};
  // The average words per field that BM25F normalises by: those of the last
  // build or compaction, so that a doc's weight for a word stays fixed
  // between them (ranked words keep docs sorted by it).
  std::array<double, 4> avg_length{1, 1, 1, 1};

  bool building = false;  // in build(): by_id is sorted once at the end
  Stemmer stemmer;  // writers only
  std::vector<std::pair<std::uint32_t, std::uint8_t>> scratch;  // (word, field) of the doc being added

  // --- writing (under the exclusive lock; index_write.cpp) ---

  void build(std::span<const ServiceEntry> services);
  void compute_labels();
  std::uint32_t intern_stem(std::string_view stem);
  std::uint32_t word_id(std::string_view folded);
  std::vector<std::uint32_t> expand(const std::vector<TermIndex>& direct) const;
  std::uint32_t intern_org(const Uuid& id);
  void add_text(std::string_view text, detail::Field field);
  void add(const ServiceEntry& e);
  void add_words_in_scratch(const ServiceEntry& e);
  [[nodiscard]] FilterFacts facts_of(std::uint32_t d) const;
  void reindex_filters();
  void sort_by_id();
  void kill(std::uint32_t d);
  void compact();
  void freeze_lengths();
  void rank_words();
  void rebuild_ids();
  void maybe_compact();
  void reexpand_terms();

  // --- used by both (inline: impact() runs in the build's and the search's loops) ---

  std::uint32_t find_org(const Uuid& id) const {
    return org_ids.find(detail::hash32(UuidHash{}(id)), [&](std::uint32_t o) { return orgs[o] == id; });
  }
  std::uint32_t find_doc(const Uuid& id) const {
    return ids.find(detail::hash32(UuidHash{}(id)), [&](std::uint32_t d) { return docs[d].id == id; });
  }

  // The order of ranked postings: highest impact first, then by id (the
  // order of the page, so that a search can stop at the page's last doc).
  [[nodiscard]] auto by_weight() const {
    return [this](const detail::Ranked& a, const detail::Ranked& b) {
      return a.impact != b.impact ? a.impact > b.impact : docs[a.doc].id < docs[b.doc].id;
    };
  }

  // BM25F: a doc's weight for a word with these counts per field (before IDF
  // and typo weights), rounded to float as ranked postings store it.
  [[nodiscard]] float impact(std::uint16_t tf, const detail::Doc& doc) const {
    double weighted = 0;
    for (std::size_t f = 0; f < 4; ++f) {
      const unsigned count = (tf >> (4 * f)) & 15U;
      if (count == 0) continue;
      const double norm = 1 - detail::kB + detail::kB * doc.length[f] / avg_length[f];
      weighted += detail::kFieldWeight[f] * count / norm;
    }
    return static_cast<float>(weighted * (detail::kK1 + 1) / (weighted + detail::kK1));
  }

  // --- reading (under a shared lock; index_search.cpp) ---

  Results search(const Query& q) const;
  Results search_bits(const Query& q, const DocBits& f) const;
  Results search_ranked(const Query& q, const std::vector<detail::QueryWord>& words,
                        std::span<const detail::WordMatch> word_matches, const DocBits& matched) const;
  void count_facets(const DocBits& matched, std::size_t total, const FacetRequest& fr, FacetCounts& facets) const;
  [[nodiscard]] double text_score(std::span<const detail::WordMatch> matches, std::span<double> best,
                                  std::uint32_t d) const;
  [[nodiscard]] double score_bound(const std::vector<detail::QueryWord>& words) const;
  Hit hit_of(const Query& q, const detail::Match& m) const;

  // Inline: the search checks them per candidate.
  [[nodiscard]] bool is_open_at(const detail::Doc& doc, LocalTime t) const {
    const std::uint32_t* data = arena.data() + doc.data + doc.n_terms + doc.n_circumstances + doc.n_languages;
    const std::uint32_t* dated = data + doc.n_weekly;
    bool covered = false;
    for (std::uint8_t i = 0; i < doc.n_dated; ++i) {
      const auto first = static_cast<std::int32_t>(dated[3 * i]);
      const auto last = static_cast<std::int32_t>(dated[3 * i + 1]);
      if (t.day < first || t.day > last) continue;
      covered = true;
      const std::uint32_t packed = dated[3 * i + 2];
      const std::uint32_t opens = (packed >> 1) & 0x7FF;
      const std::uint32_t closes = (packed >> 12) & 0x7FF;
      if ((packed & 1) == 0 && opens <= t.minute && t.minute < closes) return true;
    }
    if (covered) return false;
    const std::uint32_t weekday = t.weekday();
    for (std::uint8_t i = 0; i < doc.n_weekly; ++i) {
      const std::uint32_t w = data[i];
      if (detail::weekly_day(w) == weekday && detail::weekly_opens(w) <= t.minute && t.minute < detail::weekly_closes(w)) return true;
    }
    return false;
  }

  [[nodiscard]] bool is_open_weekly(const detail::Doc& doc, const WeeklyWindow& window) const {
    const std::uint32_t* data = arena.data() + doc.data + doc.n_terms + doc.n_circumstances + doc.n_languages;
    const std::uint32_t start = window.start.value_or(0);
    const std::uint32_t end = window.end.value_or(0xFFFF);
    for (std::uint8_t i = 0; i < doc.n_weekly; ++i) {
      const std::uint32_t w = data[i];
      if (detail::weekly_day(w) == window.day && detail::weekly_opens(w) >= start && detail::weekly_closes(w) <= end) return true;
    }
    return false;
  }
};

}  // namespace bespoke::directory
