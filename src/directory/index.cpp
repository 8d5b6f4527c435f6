#include "directory/index.h"

#include "core/geo.h"
#include "directory/filter_index.h"
#include "directory/text.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <limits>
#include <mutex>
#include <numbers>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bespoke::directory {
namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFF;
constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();
constexpr double kEarthRadiusM = 6371008.8;  // as core::distance_m
constexpr double kRad = std::numbers::pi / 180.0;

// BM25F.
constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
enum Field : std::uint8_t { kName = 0, kLabels = 1, kOrganisation = 2, kDescription = 3 };
constexpr std::array<double, 4> kFieldWeight{3.0, 2.0, 1.5, 1.0};
// Typo tolerance: weight of a variant by edit distance, and at most this many variants.
constexpr std::array<double, 3> kTypoWeight{1.0, 0.4, 0.2};
constexpr std::size_t kMaxVariants = 64;

// The geo grid: cells of 0.01° latitude by 0.016° longitude (about 1.1 km x
// 1.0 km at 52°N). A query uses the grid when it covers at most this many cells.
constexpr double kCellLatDeg = 0.01;
constexpr double kCellLonDeg = 0.016;
constexpr double kMaxGridCells = 40000;

// Expanded terms carry this bit when the service is tagged with the term itself
// (not only with a narrower one).
constexpr std::uint32_t kDirect = 0x80000000U;
constexpr std::uint32_t kTermMask = 0x7FFFFFFFU;

// Doc::flags.
constexpr std::uint8_t kDead = 1;
constexpr std::uint8_t kCommunityLed = 2;
constexpr std::uint8_t kLocallyOwned = 4;
constexpr std::uint8_t kHasMinAge = 8;
constexpr std::uint8_t kHasMaxAge = 16;
constexpr std::uint8_t kHasCapacity = 32;
constexpr int kCostShift = 6;  // two bits: Cost

std::uint32_t hash32(std::uint64_t h) noexcept {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  return static_cast<std::uint32_t>(h);
}

// An open-addressing (linear probing) table of ids; the caller keeps the keys
// and compares them. Deletion shifts entries back, so there are no tombstones.
class IdTable {
 public:
  template <class Eq>
  [[nodiscard]] std::uint32_t find(std::uint32_t hash, Eq&& eq) const {
    if (slots_.empty()) return kNone;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.id == kNone) return kNone;
      if (s.hash == hash && eq(s.id)) return s.id;
    }
  }
  // REQUIRES: no entry with an equal key.
  void insert(std::uint32_t hash, std::uint32_t id) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    place({id, hash});
    ++count_;
  }
  template <class Eq>
  bool erase(std::uint32_t hash, Eq&& eq) {
    if (slots_.empty()) return false;
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash & mask;
    for (;; i = (i + 1) & mask) {
      if (slots_[i].id == kNone) return false;
      if (slots_[i].hash == hash && eq(slots_[i].id)) break;
    }
    for (std::size_t j = i;;) {
      j = (j + 1) & mask;
      if (slots_[j].id == kNone) break;
      const std::size_t home = slots_[j].hash & mask;
      const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (stays) continue;
      slots_[i] = slots_[j];
      i = j;
    }
    slots_[i].id = kNone;
    --count_;
    return true;
  }
  void clear() {
    slots_.clear();
    count_ = 0;
  }
  [[nodiscard]] std::size_t bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    std::uint32_t id = kNone;
    std::uint32_t hash = 0;
  };
  void place(Slot s) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = s.hash & mask;
    while (slots_[i].id != kNone) i = (i + 1) & mask;
    slots_[i] = s;
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(16, old.size() * 2), Slot{});
    for (const Slot& s : old) {
      if (s.id != kNone) place(s);
    }
  }
  std::vector<Slot> slots_;
  std::size_t count_ = 0;
};

// The stems seen, each with a dense id, and a sorted list of them for typo search.
class Vocabulary {
 public:
  [[nodiscard]] std::size_t size() const { return offsets_.size() - 1; }
  [[nodiscard]] std::string_view word(std::uint32_t id) const {
    return std::string_view(chars_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
  }
  [[nodiscard]] std::uint32_t find(std::string_view w) const {
    return table_.find(hash_of(w), [&](std::uint32_t id) { return word(id) == w; });
  }
  // Returns the id of w, adding it if new (and setting `added`).
  std::uint32_t intern(std::string_view w, bool& added) {
    const std::uint32_t h = hash_of(w);
    std::uint32_t id = table_.find(h, [&](std::uint32_t i) { return word(i) == w; });
    added = id == kNone;
    if (!added) return id;
    id = static_cast<std::uint32_t>(size());
    chars_.append(w);
    offsets_.push_back(static_cast<std::uint32_t>(chars_.size()));
    table_.insert(h, id);
    recent_.push_back(id);
    return id;
  }
  // Moves recently added words into the sorted list (when there are many, or always).
  void merge_recent(bool always) {
    if (recent_.empty() || (!always && recent_.size() < 2048)) return;
    auto less = [&](std::uint32_t a, std::uint32_t b) { return word(a) < word(b); };
    std::sort(recent_.begin(), recent_.end(), less);
    const auto middle = static_cast<std::ptrdiff_t>(sorted_.size());
    sorted_.insert(sorted_.end(), recent_.begin(), recent_.end());
    std::inplace_merge(sorted_.begin(), sorted_.begin() + middle, sorted_.end(), less);
    recent_.clear();
  }
  // Appends (id, distance) for the words within max_d of w, other than w itself.
  void similar(std::string_view w, int max_d, std::vector<std::pair<std::uint32_t, int>>& out) const;

  [[nodiscard]] std::size_t bytes() const {
    return chars_.capacity() + offsets_.capacity() * 4 + table_.bytes() + sorted_.capacity() * 4 +
           recent_.capacity() * 4;
  }

 private:
  static std::uint32_t hash_of(std::string_view w) { return hash32(std::hash<std::string_view>{}(w)); }
  std::string chars_;
  std::vector<std::uint32_t> offsets_{0};
  IdTable table_;
  std::vector<std::uint32_t> sorted_;  // ids in byte order of their words
  std::vector<std::uint32_t> recent_;  // added since the last merge, unsorted
};

// Walks the sorted words as a trie, one dynamic-programming row per prefix
// byte, reusing the rows of the common prefix with the previous word and
// skipping every word under a prefix whose row is already beyond max_d.
void Vocabulary::similar(std::string_view w, int max_d, std::vector<std::pair<std::uint32_t, int>>& out) const {
  constexpr std::size_t kMaxLen = 48;
  if (w.size() > kMaxLen) return;
  const std::size_t m = w.size();
  const std::size_t max_depth = m + static_cast<std::size_t>(max_d);
  std::vector<std::array<std::uint8_t, kMaxLen + 1>> rows(max_depth + 1);
  for (std::size_t j = 0; j <= m; ++j) rows[0][j] = static_cast<std::uint8_t>(j);
  std::string_view prev;
  std::size_t valid = 0;  // rows[0..valid] hold the prefixes of prev
  std::size_t i = 0;
  while (i < sorted_.size()) {
    const std::string_view cand = word(sorted_[i]);
    std::size_t k = 0;
    while (k < valid && k < cand.size() && prev[k] == cand[k]) ++k;
    const std::size_t depth = std::min(cand.size(), max_depth);
    bool pruned = false;
    for (std::size_t d = k + 1; d <= depth; ++d) {
      auto& row = rows[d];
      const auto& up = rows[d - 1];
      const char c = cand[d - 1];
      row[0] = static_cast<std::uint8_t>(d);
      int best = row[0];
      for (std::size_t j = 1; j <= m; ++j) {
        int v = std::min({up[j] + 1, row[j - 1] + 1, up[j - 1] + (w[j - 1] == c ? 0 : 1)});
        if (d > 1 && j > 1 && c == w[j - 2] && cand[d - 2] == w[j - 1]) v = std::min(v, rows[d - 2][j - 2] + 1);
        row[j] = static_cast<std::uint8_t>(std::min(v, 255));
        best = std::min(best, v);
      }
      if (best > max_d) {
        // No word under cand[0, d) can be near enough: skip them all.
        const std::string_view prefix = cand.substr(0, d);
        const auto first = sorted_.begin() + static_cast<std::ptrdiff_t>(i);
        const auto next = std::partition_point(first, sorted_.end(), [&](std::uint32_t id) {
          return word(id).substr(0, prefix.size()) == prefix;
        });
        i = static_cast<std::size_t>(next - sorted_.begin());
        prev = cand;
        valid = d - 1;
        pruned = true;
        break;
      }
    }
    if (pruned) continue;
    prev = cand;
    valid = depth;
    if (cand.size() <= max_depth && rows[cand.size()][m] <= max_d && cand != w) {
      out.emplace_back(sorted_[i], rows[cand.size()][m]);
    }
    ++i;
  }
  for (const std::uint32_t id : recent_) {
    const std::string_view cand = word(id);
    if (cand == w) continue;
    const int d = edit_distance(w, cand, max_d);
    if (d <= max_d) out.emplace_back(id, d);
  }
}

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

// A unit vector: chord length is monotonic in great-circle distance.
struct Vec3 {
  double x = 0, y = 0, z = 0;
};
Vec3 unit_vector(double lat, double lon) {
  const double phi = lat * kRad;
  const double lambda = lon * kRad;
  return {std::cos(phi) * std::cos(lambda), std::cos(phi) * std::sin(lambda), std::sin(phi)};
}
double chord2(const Vec3& a, const Vec3& s) {
  const double dx = a.x - s.x, dy = a.y - s.y, dz = a.z - s.z;
  return dx * dx + dy * dy + dz * dz;
}
double chord2_to_m(double c2) { return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(c2) / 2)); }

std::uint64_t cell_key(std::int64_t row, std::int64_t col) {
  return (static_cast<std::uint64_t>(row) << 32) ^ static_cast<std::uint32_t>(col);
}
std::int64_t cell_row(double lat) { return static_cast<std::int64_t>(std::floor(lat / kCellLatDeg)); }
std::int64_t cell_col(double lon) { return static_cast<std::int64_t>(std::floor(lon / kCellLonDeg)); }

std::uint32_t language_key(const std::array<char, 3>& code) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(code[0])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(code[1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(code[2])) << 16;
}

std::uint32_t pack_weekly(const WeeklyOpening& w) {
  return (w.day & 7U) | (static_cast<std::uint32_t>(w.opens & 0x7FF) << 3) |
         (static_cast<std::uint32_t>(w.closes & 0x7FF) << 14);
}
std::uint32_t weekly_day(std::uint32_t p) { return p & 7; }
std::uint32_t weekly_opens(std::uint32_t p) { return (p >> 3) & 0x7FF; }
std::uint32_t weekly_closes(std::uint32_t p) { return (p >> 14) & 0x7FF; }

void put_varint(std::vector<std::uint8_t>& out, std::uint32_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}
std::uint32_t get_varint(const std::uint8_t*& p) {
  std::uint32_t v = 0;
  for (int shift = 0;; shift += 7) {
    const std::uint8_t b = *p++;
    v |= static_cast<std::uint32_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) return v;
  }
}

// Makes room for `more` elements, growing by an eighth rather than doubling:
// the first upsert after a build must not double the big per-doc arrays.
template <class T>
void reserve_more(std::vector<T>& v, std::size_t more) {
  if (v.size() + more > v.capacity()) v.reserve(v.size() + std::max(more, v.size() / 8 + 16));
}

template <class T>
std::size_t capacity_bytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
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

// Bit sets a search reuses on its thread rather than allocating: some 60 KB
// each at nation scale, and malloc and free of blocks that size showed in
// profiles.
struct SearchScratch {
  DocBits candidates, word, grid, seen, open;
};
SearchScratch& search_scratch() {
  thread_local SearchScratch scratch;
  return scratch;
}

// Up to this many matches are sorted; more are read in id order (search_bits).
constexpr std::size_t kFewMatches = 4096;

}  // namespace

struct DirectoryIndex::State {
  Taxonomy taxonomy;
  std::vector<std::vector<std::uint32_t>> label_words;  // by term: word ids of its label

  Vocabulary vocabulary;
  std::vector<Postings> postings;  // by word id

  std::vector<Doc> docs;
  std::vector<std::uint32_t> arena;
  std::vector<std::uint8_t> fwd;
  std::vector<Hot> hot;                 // by doc, as the Doc's fields
  std::vector<Site> sites;              // by doc, as the Doc's site and n_sites
  std::vector<Vec3> site_xyz;           // by site
  std::vector<std::uint32_t> site_begin{0};  // by doc: its first site; one more at the end
  IdTable ids;  // Uuid -> live doc
  std::vector<Uuid> orgs;  // by organisation number; never shrinks
  IdTable org_ids;         // Uuid -> organisation number
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

  // --- writing (under the exclusive lock) ---

  std::uint32_t intern_stem(std::string_view stem) {
    bool added = false;
    const std::uint32_t id = vocabulary.intern(stem, added);
    if (added) postings.emplace_back();
    return id;
  }
  std::uint32_t word_id(std::string_view folded) { return intern_stem(stemmer.stem(folded)); }

  void build(std::span<const ServiceEntry> services);

  void compute_labels() {
    label_words.assign(taxonomy.terms().size(), {});
    for (std::size_t t = 0; t < label_words.size(); ++t) {
      WordReader reader(taxonomy.terms()[t].name);
      while (reader.next()) {
        if (!is_stop_word(reader.word())) label_words[t].push_back(word_id(reader.word()));
      }
    }
  }

  // The direct terms (flagged) and all their broader terms, sorted by term.
  std::vector<std::uint32_t> expand(const std::vector<TermIndex>& direct) const {
    std::vector<std::uint32_t> out;
    const std::size_t n = taxonomy.terms().size();
    for (const TermIndex t : direct) {
      if (t >= n) continue;
      out.push_back(t | kDirect);
      for (auto p = taxonomy.term(t).parent; p; p = taxonomy.term(*p).parent) out.push_back(*p);
    }
    std::sort(out.begin(), out.end(), [](std::uint32_t a, std::uint32_t b) {
      return (a & kTermMask) != (b & kTermMask) ? (a & kTermMask) < (b & kTermMask) : a > b;
    });
    // Keep one per term, the direct one first.
    out.erase(std::unique(out.begin(), out.end(),
                          [](std::uint32_t a, std::uint32_t b) { return (a & kTermMask) == (b & kTermMask); }),
              out.end());
    if (out.size() > 0xFFFF) out.resize(0xFFFF);
    return out;
  }

  std::uint32_t find_org(const Uuid& id) const {
    return org_ids.find(hash32(UuidHash{}(id)), [&](std::uint32_t o) { return orgs[o] == id; });
  }
  std::uint32_t intern_org(const Uuid& id) {
    std::uint32_t o = find_org(id);
    if (o != kNone) return o;
    o = static_cast<std::uint32_t>(orgs.size());
    orgs.push_back(id);
    org_ids.insert(hash32(UuidHash{}(id)), o);
    return o;
  }

  std::uint32_t find_doc(const Uuid& id) const {
    return ids.find(hash32(UuidHash{}(id)), [&](std::uint32_t d) { return docs[d].id == id; });
  }

  void add_text(std::string_view text, Field field) {
    WordReader reader(text);
    while (reader.next()) {
      if (!is_stop_word(reader.word())) scratch.emplace_back(word_id(reader.word()), field);
    }
  }

  // Adds a live service (after any old version is killed).
  void add(const ServiceEntry& e) {
    scratch.clear();
    add_text(e.name, kName);
    add_text(e.organization_name, kOrganisation);
    add_text(e.description, kDescription);
    add_words_in_scratch(e);
  }

  // Adds a live service whose text words (name, organisation, description)
  // are already in scratch.
  void add_words_in_scratch(const ServiceEntry& e) {
    reserve_more(docs, 1);
    reserve_more(hot, 1);
    reserve_more(site_begin, 1);
    reserve_more(sites, e.sites.size());
    reserve_more(site_xyz, e.sites.size());
    reserve_more(arena, e.terms.size() * 4 + e.eligible_circumstances.size() + e.languages.size() +
                            e.weekly.size() + 3 * e.dated.size());
    reserve_more(fwd, scratch.size() * 5);
    const auto d = static_cast<std::uint32_t>(docs.size());
    Doc doc;
    doc.id = e.id;
    doc.data = static_cast<std::uint32_t>(arena.size());
    doc.words = static_cast<std::uint32_t>(fwd.size());
    doc.site = static_cast<std::uint32_t>(sites.size());
    doc.org = intern_org(e.organization_id);
    doc.modified = e.last_modified.value_or(kNoTime);

    // Words.
    for (const auto& [w, field] : scratch) {
      if (doc.length[field] < 0xFFFF) ++doc.length[field];
    }
    std::vector<TermIndex> direct = e.terms;
    std::sort(direct.begin(), direct.end());
    direct.erase(std::unique(direct.begin(), direct.end()), direct.end());
    for (const TermIndex t : direct) {
      if (t >= label_words.size()) continue;
      for (const std::uint32_t w : label_words[t]) {
        scratch.emplace_back(w, kLabels);
        if (doc.length[kLabels] < 0xFFFF) ++doc.length[kLabels];
      }
    }
    std::sort(scratch.begin(), scratch.end());
    std::uint32_t previous = 0;
    for (std::size_t i = 0; i < scratch.size();) {
      const std::uint32_t w = scratch[i].first;
      std::array<std::uint16_t, 4> tf{};
      for (; i < scratch.size() && scratch[i].first == w; ++i) {
        tf[scratch[i].second] = static_cast<std::uint16_t>(std::min(15, tf[scratch[i].second] + 1));
      }
      Postings& p = postings[w];
      const auto packed = static_cast<std::uint16_t>(tf[0] | tf[1] << 4 | tf[2] << 8 | tf[3] << 12);
      p.docs.push_back(d);
      p.tf.push_back(packed);
      ++p.live;
      if (p.ranked) {
        p.bits.grow(d + std::size_t{1});
        p.bits.set(d);
        const Ranked r{impact(packed, doc), d};
        auto id_of = [&](std::uint32_t x) -> const Uuid& { return x == d ? doc.id : docs[x].id; };
        p.by_impact.insert(std::upper_bound(p.by_impact.begin(), p.by_impact.end(), r,
                                            [&](const Ranked& a, const Ranked& b) {
                                              return a.impact != b.impact ? a.impact > b.impact : id_of(a.doc) < id_of(b.doc);
                                            }),
                           r);
      }
      put_varint(fwd, w - previous);
      fwd.push_back(static_cast<std::uint8_t>(packed & 0xFF));
      fwd.push_back(static_cast<std::uint8_t>(packed >> 8));
      previous = w;
      ++doc.n_words;
    }

    // Terms.
    const std::vector<std::uint32_t> terms = expand(direct);
    for (const std::uint32_t t : terms) arena.push_back(t);
    doc.n_terms = static_cast<std::uint16_t>(terms.size());
    // Circumstances, languages, hours.
    for (const TermIndex c : e.eligible_circumstances) {
      if (doc.n_circumstances == 0xFF) break;
      arena.push_back(c);
      ++doc.n_circumstances;
    }
    for (const auto& code : e.languages) {
      if (doc.n_languages == 0xFF) break;
      const std::uint32_t key = language_key(code);
      auto [it, added] = language_ids.try_emplace(key, static_cast<std::uint16_t>(languages.size()));
      if (added) languages.push_back(code);
      arena.push_back(it->second);
      ++doc.n_languages;
    }
    for (const WeeklyOpening& w : e.weekly) {
      if (doc.n_weekly == 0xFF) break;
      arena.push_back(pack_weekly(w));
      ++doc.n_weekly;
    }
    for (const DatedOpening& x : e.dated) {
      if (doc.n_dated == 0xFF) break;
      arena.push_back(static_cast<std::uint32_t>(x.first_day));
      arena.push_back(static_cast<std::uint32_t>(x.last_day));
      arena.push_back((x.closed ? 1U : 0U) | static_cast<std::uint32_t>(x.opens & 0x7FF) << 1 |
                      static_cast<std::uint32_t>(x.closes & 0x7FF) << 12);
      ++doc.n_dated;
    }

    // Sites and the grid.
    for (const Site& s : e.sites) {
      if (doc.n_sites == 0xFF) break;
      // A feed may carry coordinates off the Earth (the standard's own
      // examples have latitude 100): such a site is in no place search.
      if (!(std::abs(s.latitude) <= 90 && std::abs(s.longitude) <= 180)) continue;
      const Vec3 v = unit_vector(s.latitude, s.longitude);
      sites.push_back(s);
      site_xyz.push_back(v);
      ++doc.n_sites;
      auto& cell = cells[cell_key(cell_row(s.latitude), cell_col(s.longitude))];
      if (cell.empty() || cell.back() != d) cell.push_back(d);
    }

    // Fixed fields.
    if (e.minimum_age) doc.flags |= kHasMinAge, doc.min_age = *e.minimum_age;
    if (e.maximum_age) doc.flags |= kHasMaxAge, doc.max_age = *e.maximum_age;
    doc.kind = static_cast<std::uint8_t>(std::min<std::size_t>(static_cast<std::size_t>(e.provider_kind),
                                                               kProviderKindCount - 1));
    if (e.community_led) doc.flags |= kCommunityLed;
    if (e.locally_owned) doc.flags |= kLocallyOwned;
    if (e.capacity_available && *e.capacity_available > 0) doc.flags |= kHasCapacity;
    doc.flags |= static_cast<std::uint8_t>((static_cast<unsigned>(e.cost) & 3U) << kCostShift);

    for (std::size_t f = 0; f < 4; ++f) length_sum[f] += doc.length[f];
    docs.push_back(doc);
    hot.push_back({doc.flags, doc.kind, doc.min_age, doc.max_age});
    site_begin.push_back(static_cast<std::uint32_t>(sites.size()));
    ids.insert(hash32(UuidHash{}(e.id)), d);
    ++live;
    filters.add(d, facts_of(d));
    if (!building) {
      by_id.insert(std::lower_bound(by_id.begin(), by_id.end(), d, [&](std::uint32_t a, std::uint32_t b) {
        return docs[a].id < docs[b].id;
      }), d);
    }
  }

  // A doc's filter values, as FilterIndex takes them.
  [[nodiscard]] FilterFacts facts_of(std::uint32_t d) const {
    const Doc& doc = docs[d];
    FilterFacts f;
    f.kind = doc.kind;
    f.community_led = (doc.flags & kCommunityLed) != 0;
    f.locally_owned = (doc.flags & kLocallyOwned) != 0;
    f.has_capacity = (doc.flags & kHasCapacity) != 0;
    f.cost = doc.cost();
    if (doc.flags & kHasMinAge) f.min_age = doc.min_age;
    if (doc.flags & kHasMaxAge) f.max_age = doc.max_age;
    const std::uint32_t* p = arena.data() + doc.data;
    for (std::uint16_t i = 0; i < doc.n_terms; ++i) f.terms.push_back(p[i] & kTermMask);
    p += doc.n_terms + doc.n_circumstances;
    f.languages.assign(p, p + doc.n_languages);
    p += doc.n_languages;
    for (std::uint8_t i = 0; i < doc.n_weekly; ++i) {
      f.weekly.push_back({static_cast<std::uint8_t>(weekly_day(p[i])), static_cast<std::uint16_t>(weekly_opens(p[i])),
                          static_cast<std::uint16_t>(weekly_closes(p[i]))});
    }
    p += doc.n_weekly;
    for (std::uint8_t i = 0; i < doc.n_dated; ++i, p += 3) {
      f.dated.push_back({static_cast<std::int32_t>(p[0]), static_cast<std::int32_t>(p[1]), (p[2] & 1) != 0,
                         static_cast<std::uint16_t>((p[2] >> 1) & 0x7FF), static_cast<std::uint16_t>((p[2] >> 12) & 0x7FF)});
    }
    return f;
  }

  // Recomputes the filters and the id order from the live docs.
  void reindex_filters() {
    filters.clear();
    filters.set_term_count(taxonomy.terms().size());
    filters.reserve(docs.size());
    by_id.clear();
    for (std::uint32_t d = 0; d < docs.size(); ++d) {
      if (docs[d].flags & kDead) continue;
      filters.add(d, facts_of(d));
      by_id.push_back(d);
    }
    sort_by_id();
  }
  void sort_by_id() {
    std::sort(by_id.begin(), by_id.end(), [&](std::uint32_t a, std::uint32_t b) { return docs[a].id < docs[b].id; });
  }

  void kill(std::uint32_t d) {
    Doc& doc = docs[d];
    ids.erase(hash32(UuidHash{}(doc.id)), [&](std::uint32_t x) { return x == d; });
    filters.remove(d, facts_of(d));
    by_id.erase(std::lower_bound(by_id.begin(), by_id.end(), d,
                                 [&](std::uint32_t a, std::uint32_t b) { return docs[a].id < docs[b].id; }));
    doc.flags |= kDead;
    hot[d].flags |= kDead;
    const std::uint8_t* p = fwd.data() + doc.words;
    std::uint32_t w = 0;
    for (std::uint16_t i = 0; i < doc.n_words; ++i) {
      w += get_varint(p);
      p += 2;  // tf
      --postings[w].live;
      postings[w].bits.reset(d);
    }
    for (std::size_t f = 0; f < 4; ++f) length_sum[f] -= doc.length[f];
    --live;
    ++dead;
  }

  // Drops dead docs and renumbers the live ones in order, so postings stay sorted.
  void compact() {
    std::vector<std::uint32_t> remap(docs.size(), kNone);
    std::vector<Doc> new_docs;
    new_docs.reserve(live);
    std::vector<std::uint32_t> new_arena;
    std::vector<std::uint8_t> new_fwd;
    std::vector<Site> new_sites;
    std::vector<Vec3> new_xyz;
    std::vector<Hot> new_hot;
    std::vector<std::uint32_t> new_begin{0};
    new_hot.reserve(live);
    new_begin.reserve(live + 1);
    for (std::uint32_t d = 0; d < docs.size(); ++d) {
      Doc doc = docs[d];
      if (doc.flags & kDead) continue;
      remap[d] = static_cast<std::uint32_t>(new_docs.size());
      const std::uint32_t data = doc.data;
      doc.data = static_cast<std::uint32_t>(new_arena.size());
      new_arena.insert(new_arena.end(), arena.begin() + data, arena.begin() + data + doc.data_size());
      // The word list's length in bytes: decode it.
      const std::uint8_t* p = fwd.data() + doc.words;
      for (std::uint16_t i = 0; i < doc.n_words; ++i) get_varint(p), p += 2;
      const auto first = fwd.begin() + doc.words;
      const auto bytes = p - (fwd.data() + doc.words);
      doc.words = static_cast<std::uint32_t>(new_fwd.size());
      new_fwd.insert(new_fwd.end(), first, first + bytes);
      const std::uint32_t site = doc.site;
      doc.site = static_cast<std::uint32_t>(new_sites.size());
      new_sites.insert(new_sites.end(), sites.begin() + site, sites.begin() + site + doc.n_sites);
      new_xyz.insert(new_xyz.end(), site_xyz.begin() + site, site_xyz.begin() + site + doc.n_sites);
      new_docs.push_back(doc);
      new_hot.push_back(hot[d]);
      new_begin.push_back(static_cast<std::uint32_t>(new_sites.size()));
    }
    auto renumber = [&](std::vector<std::uint32_t>& list, std::vector<std::uint16_t>* tf) {
      std::size_t out = 0;
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::uint32_t nd = remap[list[i]];
        if (nd == kNone) continue;
        list[out] = nd;
        if (tf != nullptr) (*tf)[out] = (*tf)[i];
        ++out;
      }
      list.resize(out);
      if (list.capacity() > 2 * out + 8) list.shrink_to_fit();
      if (tf != nullptr) {
        tf->resize(out);
        if (tf->capacity() > 2 * out + 8) tf->shrink_to_fit();
      }
    };
    for (Postings& p : postings) renumber(p.docs, &p.tf);
    for (auto it = cells.begin(); it != cells.end();) {
      renumber(it->second, nullptr);
      it = it->second.empty() ? cells.erase(it) : std::next(it);
    }
    docs = std::move(new_docs);
    arena = std::move(new_arena);
    fwd = std::move(new_fwd);
    sites = std::move(new_sites);
    site_xyz = std::move(new_xyz);
    hot = std::move(new_hot);
    site_begin = std::move(new_begin);
    rebuild_ids();
    dead = 0;
    reindex_filters();
    freeze_lengths();
    rank_words();
  }

  void freeze_lengths() {
    for (std::size_t f = 0; f < 4; ++f) {
      avg_length[f] = live > 0 ? std::max(static_cast<double>(length_sum[f]) / static_cast<double>(live), 1e-9) : 1;
    }
  }

  // The order of ranked postings: highest impact first, then by id (the
  // order of the page, so that a search can stop at the page's last doc).
  [[nodiscard]] auto by_weight() const {
    return [this](const Ranked& a, const Ranked& b) {
      return a.impact != b.impact ? a.impact > b.impact : docs[a.doc].id < docs[b.doc].id;
    };
  }

  // BM25F: a doc's weight for a word with these counts per field (before IDF
  // and typo weights), rounded to float as ranked postings store it.
  [[nodiscard]] float impact(std::uint16_t tf, const Doc& doc) const {
    double weighted = 0;
    for (std::size_t f = 0; f < 4; ++f) {
      const unsigned count = (tf >> (4 * f)) & 15U;
      if (count == 0) continue;
      const double norm = 1 - kB + kB * doc.length[f] / avg_length[f];
      weighted += kFieldWeight[f] * count / norm;
    }
    return static_cast<float>(weighted * (kK1 + 1) / (weighted + kK1));
  }

  // Ranks the words in many docs (on up to 4 threads): their bits and their
  // docs by impact. Others are ranked on the fly by a search that needs it.
  void rank_words() {
    const std::size_t threshold = std::max<std::size_t>(32, live / 512);
    const std::size_t n_threads =
        live < 4096 ? 1 : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
    auto work = [&](std::size_t t) {
      for (std::size_t w = t; w < postings.size(); w += n_threads) {
        Postings& p = postings[w];
        p.ranked = p.live >= threshold;
        p.bits = DocBits();
        p.by_impact.clear();
        p.by_impact.shrink_to_fit();
        if (!p.ranked) continue;
        p.bits = DocBits(docs.size());
        p.by_impact.reserve(p.live);
        for (std::size_t i = 0; i < p.docs.size(); ++i) {
          const std::uint32_t d = p.docs[i];
          if (docs[d].flags & kDead) continue;
          p.bits.set(d);
          p.by_impact.push_back({impact(p.tf[i], docs[d]), d});
        }
        std::sort(p.by_impact.begin(), p.by_impact.end(), by_weight());
      }
    };
    std::vector<std::jthread> threads;
    for (std::size_t t = 1; t < n_threads; ++t) threads.emplace_back(work, t);
    work(0);
  }

  void rebuild_ids() {
    ids.clear();
    for (std::uint32_t d = 0; d < docs.size(); ++d) {
      if ((docs[d].flags & kDead) == 0) ids.insert(hash32(UuidHash{}(docs[d].id)), d);
    }
  }

  void maybe_compact() {
    if (dead > 64 + live / 4) compact();
    vocabulary.merge_recent(false);
  }

  // Recomputes the broader terms of every doc (the taxonomy changed).
  void reexpand_terms() {
    std::vector<std::uint32_t> new_arena;
    new_arena.reserve(arena.size());
    for (std::uint32_t d = 0; d < docs.size(); ++d) {
      Doc& doc = docs[d];
      const std::uint32_t* data = arena.data() + doc.data;
      std::vector<TermIndex> direct;
      for (std::uint16_t i = 0; i < doc.n_terms; ++i) {
        if (data[i] & kDirect) direct.push_back(data[i] & kTermMask);
      }
      const std::vector<std::uint32_t> terms = expand(direct);
      const std::uint32_t rest = doc.data_size() - doc.n_terms;
      const std::uint32_t old = doc.data;
      doc.data = static_cast<std::uint32_t>(new_arena.size());
      new_arena.insert(new_arena.end(), terms.begin(), terms.end());
      new_arena.insert(new_arena.end(), arena.begin() + old + doc.n_terms, arena.begin() + old + doc.n_terms + rest);
      doc.n_terms = static_cast<std::uint16_t>(terms.size());
    }
    arena = std::move(new_arena);
    reindex_filters();
  }

  // --- reading (under a shared lock) ---

  [[nodiscard]] bool is_open_at(const Doc& doc, LocalTime t) const {
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
      if (weekly_day(w) == weekday && weekly_opens(w) <= t.minute && t.minute < weekly_closes(w)) return true;
    }
    return false;
  }

  [[nodiscard]] bool is_open_weekly(const Doc& doc, const WeeklyWindow& window) const {
    const std::uint32_t* data = arena.data() + doc.data + doc.n_terms + doc.n_circumstances + doc.n_languages;
    const std::uint32_t start = window.start.value_or(0);
    const std::uint32_t end = window.end.value_or(0xFFFF);
    for (std::uint8_t i = 0; i < doc.n_weekly; ++i) {
      const std::uint32_t w = data[i];
      if (weekly_day(w) == window.day && weekly_opens(w) >= start && weekly_closes(w) <= end) return true;
    }
    return false;
  }

  Results search(const Query& q) const;
  Results search_bits(const Query& q, const DocBits& f) const;
  Results search_ranked(const Query& q, const std::vector<QueryWord>& words, std::span<const WordMatch> word_matches,
                        const DocBits& matched) const;
  void count_facets(const DocBits& matched, std::size_t total, const FacetRequest& fr, FacetCounts& facets) const;
  [[nodiscard]] double text_score(std::span<const WordMatch> matches, std::span<double> best, std::uint32_t d) const;
  Hit hit_of(const Query& q, const Match& m) const;
};


namespace {

// Interleaves the bits of two 16-bit numbers (a Z-order curve).
std::uint32_t morton(std::uint32_t a, std::uint32_t b) {
  auto spread = [](std::uint32_t x) {
    x &= 0xFFFF;
    x = (x | (x << 8)) & 0x00FF00FF;
    x = (x | (x << 4)) & 0x0F0F0F0F;
    x = (x | (x << 2)) & 0x33333333;
    x = (x | (x << 1)) & 0x55555555;
    return x;
  };
  return spread(a) << 1 | spread(b);
}

// The order services are numbered in at build: along a Z-order curve over the
// grid cell of their first site (services with no site last). The services a
// place query reads then lie in a few runs of neighbouring doc numbers, so
// their records, sites, terms and postings are read from nearby memory.
std::uint64_t place_key(const ServiceEntry& e) {
  if (e.sites.empty()) return std::numeric_limits<std::uint64_t>::max();
  const Site& s = e.sites.front();
  const auto row = static_cast<std::uint32_t>(std::clamp<std::int64_t>(cell_row(s.latitude) + 32768, 0, 0xFFFF));
  const auto col = static_cast<std::uint32_t>(std::clamp<std::int64_t>(cell_col(s.longitude) + 32768, 0, 0xFFFF));
  return morton(row, col);
}

// One thread's share of tokenising at build: the words of its services, as
// numbers local to the thread (one per distinct folded word, stop words left
// out), each with its Field in the low two bits.
struct Tokens {
  std::vector<std::uint32_t> words;
  std::vector<std::uint32_t> offsets{0};  // per service: end of its words
  std::vector<std::string> stems;         // by local number
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

void tokenise(std::span<const ServiceEntry* const> services, Tokens& out) {
  Stemmer stemmer;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> local;
  auto add = [&](std::string_view text, Field field) {
    WordReader reader(text);
    while (reader.next()) {
      if (is_stop_word(reader.word())) continue;
      auto it = local.find(reader.word());
      if (it == local.end()) {
        it = local.emplace(std::string(reader.word()), static_cast<std::uint32_t>(out.stems.size())).first;
        out.stems.emplace_back(stemmer.stem(reader.word()));
      }
      out.words.push_back(it->second << 2 | field);
    }
  };
  out.offsets.reserve(services.size() + 1);
  for (const ServiceEntry* e : services) {
    add(e->name, kName);
    add(e->organization_name, kOrganisation);
    add(e->description, kDescription);
    out.offsets.push_back(static_cast<std::uint32_t>(out.words.size()));
  }
}

}  // namespace

void DirectoryIndex::State::build(std::span<const ServiceEntry> services) {
  // The last entry of each id, if active.
  std::vector<std::uint32_t> last;
  {
    IdTable seen;
    for (std::uint32_t i = 0; i < services.size(); ++i) {
      const std::uint32_t h = hash32(UuidHash{}(services[i].id));
      const auto same = [&](std::uint32_t j) { return services[j].id == services[i].id; };
      seen.erase(h, same);
      seen.insert(h, i);
    }
    for (std::uint32_t i = 0; i < services.size(); ++i) {
      if (!services[i].active) continue;
      const std::uint32_t h = hash32(UuidHash{}(services[i].id));
      if (seen.find(h, [&](std::uint32_t j) { return services[j].id == services[i].id; }) == i) last.push_back(i);
    }
  }
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed;
  keyed.reserve(last.size());
  for (const std::uint32_t i : last) keyed.emplace_back(place_key(services[i]), i);
  std::sort(keyed.begin(), keyed.end());
  std::vector<const ServiceEntry*> order;
  order.reserve(keyed.size());
  for (const auto& [key, i] : keyed) order.push_back(&services[i]);

  // Tokenise on every core (contiguous slices), then add in order on this thread.
  const std::size_t n_threads =
      order.size() < 4096 ? 1 : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
  std::vector<Tokens> tokens(n_threads);
  std::vector<std::size_t> bounds(n_threads + 1);
  for (std::size_t t = 0; t <= n_threads; ++t) bounds[t] = order.size() * t / n_threads;
  {
    std::vector<std::jthread> threads;
    for (std::size_t t = 1; t < n_threads; ++t) {
      threads.emplace_back([&, t] {
        tokenise(std::span(order).subspan(bounds[t], bounds[t + 1] - bounds[t]), tokens[t]);
      });
    }
    tokenise(std::span(order).subspan(0, bounds[1]), tokens[0]);
  }
  docs.reserve(order.size());
  hot.reserve(order.size());
  filters.reserve(order.size());
  building = true;
  site_begin.reserve(order.size() + 1);
  for (std::size_t t = 0; t < n_threads; ++t) {
    const Tokens& tk = tokens[t];
    std::vector<std::uint32_t> global(tk.stems.size(), kNone);
    for (std::size_t i = bounds[t]; i < bounds[t + 1]; ++i) {
      const std::size_t k = i - bounds[t];
      scratch.clear();
      for (std::uint32_t j = tk.offsets[k]; j < tk.offsets[k + 1]; ++j) {
        const std::uint32_t local = tk.words[j] >> 2;
        if (global[local] == kNone) global[local] = intern_stem(tk.stems[local]);
        scratch.emplace_back(global[local], static_cast<std::uint8_t>(tk.words[j] & 3));
      }
      add_words_in_scratch(*order[i]);
    }
    tokens[t] = {};
  }
  building = false;
  freeze_lengths();
  rank_words();
  by_id.resize(docs.size());
  for (std::uint32_t d = 0; d < docs.size(); ++d) by_id[d] = d;
  sort_by_id();
}

Results DirectoryIndex::State::search(const Query& q) const {
  Results results;
  const FacetRequest& fr = q.facets;
  if (fr.open_now) results.facets.open_now = 0;

  // Text: the variants of each query word.
  std::vector<QueryWord> words;
  bool impossible = false;
  if (!q.text.empty()) {
    Stemmer stem;
    std::vector<std::string> seen;
    WordReader reader(q.text);
    std::vector<std::pair<std::uint32_t, int>> similar;
    const double n = static_cast<double>(live);
    while (reader.next()) {
      if (is_stop_word(reader.word())) continue;
      std::string s(stem.stem(reader.word()));
      if (std::find(seen.begin(), seen.end(), s) != seen.end()) continue;
      seen.push_back(s);
      similar.clear();
      const std::uint32_t exact = vocabulary.find(s);
      if (exact != kNone) similar.emplace_back(exact, 0);
      if (reader.letters() >= 5) {
        // Near the stem or near the word itself ("housing" is one edit from
        // the stem "housong" though its own stem is "hous").
        const int max_d = reader.letters() >= 9 ? 2 : 1;
        const std::size_t first = similar.size();
        vocabulary.similar(s, max_d, similar);
        if (reader.word() != s) vocabulary.similar(reader.word(), max_d, similar);
        std::sort(similar.begin() + static_cast<std::ptrdiff_t>(first), similar.end(),
                  [&](const auto& a, const auto& b) {
                    if (a.second != b.second) return a.second < b.second;
                    return vocabulary.word(a.first) < vocabulary.word(b.first);
                  });
        // One entry per word (its nearest), none for the exact stem, at most kMaxVariants.
        std::vector<std::pair<std::uint32_t, int>> kept(similar.begin(), similar.begin() + static_cast<std::ptrdiff_t>(first));
        for (std::size_t i = first; i < similar.size() && kept.size() - first < kMaxVariants; ++i) {
          const std::uint32_t id = similar[i].first;
          if (id == exact) continue;
          if (std::none_of(kept.begin() + static_cast<std::ptrdiff_t>(first), kept.end(),
                           [&](const auto& k) { return k.first == id; })) {
            kept.push_back(similar[i]);
          }
        }
        similar = std::move(kept);
      }
      QueryWord word;
      for (const auto& [id, distance] : similar) {
        const Postings& p = postings[id];
        if (p.live == 0) continue;
        const double df = p.live;
        const double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
        word.variants.push_back({&p, kTypoWeight[static_cast<std::size_t>(distance)] * idf});
        word.cost += p.docs.size();
      }
      if (word.variants.empty()) impossible = true;
      words.push_back(std::move(word));
    }
  }

  // Filters, resolved.
  const std::size_t n_terms = taxonomy.terms().size();
  std::uint8_t kinds = 0;
  for (const ProviderKind k : q.provider_kinds) {
    kinds |= static_cast<std::uint8_t>(1U << std::min<std::size_t>(static_cast<std::size_t>(k), 7));
  }
  for (const TermIndex t : q.terms) {
    if (t >= n_terms) impossible = true;
  }
  std::vector<std::uint32_t> language_filter;
  for (const auto& code : q.languages) {
    if (auto it = language_ids.find(language_key(code)); it != language_ids.end()) {
      language_filter.push_back(it->second);
    }
  }
  if (!q.languages.empty() && language_filter.empty()) impossible = true;
  std::uint32_t org = kNone;
  if (q.organization) {
    org = find_org(*q.organization);
    if (org == kNone) impossible = true;
  }

  Vec3 centre;
  double max_chord2 = 4.01;
  if (q.near) {
    centre = unit_vector(q.near->point.lat, q.near->point.lon);
    const double angle = q.near->radius_m / kEarthRadiusM;  // radians
    if (angle < std::numbers::pi) {
      const double c = 2 * std::sin(angle / 2);
      max_chord2 = c * c;
    }
    if (!(q.near->radius_m >= 0)) impossible = true;
  }

  if (impossible) return results;
  std::vector<WordMatch> word_matches;
  for (std::size_t j = 0; j < words.size(); ++j) {
    for (const Variant& v : words[j].variants) {
      word_matches.push_back({static_cast<std::uint32_t>(v.postings - postings.data()), static_cast<std::uint32_t>(j), v.weight});
    }
  }
  std::sort(word_matches.begin(), word_matches.end(),
            [](const WordMatch& a, const WordMatch& b) { return a.word != b.word ? a.word < b.word : a.query_word < b.query_word; });
  std::vector<double> best_per_word(words.size());

  // The filters with bit sets, combined into the candidates f.
  SearchScratch& scratch = search_scratch();
  DocBits& f = scratch.candidates;
  f.copy_from(filters.live());
  std::vector<const DocBits*> any;
  if (kinds != 0) {
    for (std::size_t k = 0; k < kProviderKindCount; ++k) {
      if ((kinds >> k) & 1) any.push_back(&filters.kind(k));
    }
    f.and_with_any(any);
  }
  if (q.community_led) *q.community_led ? f.and_with(filters.community_led()) : f.and_not(filters.community_led());
  if (q.locally_owned) *q.locally_owned ? f.and_with(filters.locally_owned()) : f.and_not(filters.locally_owned());
  if (q.cost == CostFilter::free_only) f.and_with(filters.cost(Cost::free));
  if (q.cost == CostFilter::paid_only) f.and_with(filters.cost(Cost::paid));
  if (q.has_capacity) f.and_with(filters.has_capacity());
  const bool age_in_bits = q.age && *q.age <= FilterIndex::kMaxAgeWithBits;
  if (age_in_bits) f.and_with(filters.eligible_at_age(*q.age));
  for (const TermIndex t : q.terms) filters.keep_term(f, t);
  if (!language_filter.empty()) {
    any.clear();
    for (const std::uint32_t l : language_filter) any.push_back(&filters.language(l));
    f.and_with_any(any);
  }
  if (q.open_at) filters.keep_open_at(f, *q.open_at, [&](std::uint32_t d) { return is_open_at(docs[d], *q.open_at); });
  // The filters checked doc by doc.
  const bool residual = (q.age && !age_in_bits) || q.minimum_age || q.maximum_age || org != kNone ||
                        q.modified_after || !q.taxonomies.empty() || q.circumstances || q.open_weekly;

  const bool has_text = !words.empty();
  if (!has_text && !q.near && !residual) return search_bits(q, f);
  if (has_text) {
    // Only docs with every word: the filters AND each word's variants.
    for (const QueryWord& word : words) {
      // The ranked variants' bits as they are; the others' lists as bits of their own.
      DocBits& rest = scratch.word;
      rest.reset(docs.size());
      any.clear();
      for (const Variant& v : word.variants) {
        if (v.postings->ranked) {
          any.push_back(&v.postings->bits);
        } else {
          rest.or_with_list(v.postings->docs);
        }
      }
      any.push_back(&rest);
      f.and_with_any(any);
    }
  }
  if (has_text && !q.near && !residual && q.sort != Sort::distance) {
    const std::size_t per_page = std::min(q.per_page, kMaxPerPage);
    const std::size_t last = (static_cast<std::size_t>(std::max(q.page, 1U))) * per_page;
    // Many more matches than the page needs: read the best first.
    if (f.count() > 8 * last + 256) return search_ranked(q, words, word_matches, f);
  }

  // The candidates: the smallest of the word postings, the grid cells around
  // the place, or the filters' bits.
  enum class Driver { bits, word, grid } driver = Driver::bits;
  std::size_t best_cost = f.count();
  std::size_t driver_index = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].cost < best_cost) best_cost = words[i].cost, driver = Driver::word, driver_index = i;
  }
  std::vector<const std::vector<std::uint32_t>*> grid_lists;
  if (q.near && std::isfinite(q.near->radius_m)) {
    const double angle = q.near->radius_m / kEarthRadiusM;
    const double lat = q.near->point.lat;
    const double dlat = angle / kRad * 1.000001 + 1e-9;
    const double cos_lat = std::cos(lat * kRad);
    if (lat - dlat > -89.9 && lat + dlat < 89.9 && cos_lat > std::sin(angle)) {
      const double dlon = std::asin(std::sin(angle) / cos_lat) / kRad * 1.000001 + 1e-9;
      const double lon0 = q.near->point.lon - dlon;
      const double lon1 = q.near->point.lon + dlon;
      const std::int64_t r0 = cell_row(lat - dlat), r1 = cell_row(lat + dlat);
      const std::int64_t c0 = cell_col(lon0), c1 = cell_col(lon1);
      const double n_cells = static_cast<double>(r1 - r0 + 1) * static_cast<double>(c1 - c0 + 1);
      if (lon0 >= -180 && lon1 <= 180 && n_cells <= kMaxGridCells) {
        std::size_t cost = 0;
        for (std::int64_t r = r0; r <= r1; ++r) {
          for (std::int64_t c = c0; c <= c1; ++c) {
            if (auto it = cells.find(cell_key(r, c)); it != cells.end()) {
              grid_lists.push_back(&it->second);
              cost += it->second.size();
            }
          }
        }
        if (cost < best_cost) driver = Driver::grid;
      }
    }
  }

  // Facet accumulators.
  std::vector<std::uint32_t> term_counts(fr.terms ? n_terms : 0);
  std::vector<std::uint32_t> language_counts(fr.languages ? languages.size() : 0);
  FacetCounts& facets = results.facets;

  std::vector<Match> matches;

  // f holds every candidate: visit() only reads those in it.
  const bool needs_record = org != kNone || q.modified_after || !q.taxonomies.empty() || q.circumstances ||
                            q.open_weekly || fr.languages || fr.terms || fr.open_now;
  auto visit = [&](std::uint32_t d) {
    const Hot h = hot[d];
    const std::uint8_t s_min = (h.flags & kHasMinAge) ? h.min_age : 0;
    const std::uint8_t s_max = (h.flags & kHasMaxAge) ? h.max_age : 255;
    if (q.age && !age_in_bits && (*q.age < s_min || *q.age > s_max)) return;
    if (q.minimum_age && s_min < *q.minimum_age) return;
    if (q.maximum_age && ((h.flags & kHasMaxAge) == 0 || s_max > *q.maximum_age)) return;
    const std::uint32_t first_site = site_begin[d];
    const std::uint32_t end_site = site_begin[d + 1];
    Match m{d, first_site < end_site ? first_site : kNone, 0, 0, 0};
    if (q.near) {
      if (first_site == end_site) return;
      double best = 5;
      for (std::uint32_t s = first_site; s < end_site; ++s) {
        const double c2 = chord2(centre, site_xyz[s]);
        if (c2 < best) best = c2, m.site = s;
      }
      if (best > max_chord2) return;
      m.chord2 = best;
    }

    if (has_text) {
      m.score = text_score(word_matches, best_per_word, d);
      if (m.score < 0) return;
    }

    // The rest reads the service's record: only when something asks for it.
    if (needs_record) {
      const Doc& doc = docs[d];
      if (org != kNone && doc.org != org) return;
      if (q.modified_after && (doc.modified == kNoTime || doc.modified < *q.modified_after)) return;
      const std::uint32_t* data = arena.data() + doc.data;
      const std::uint32_t* terms_end = data + doc.n_terms;
      for (const std::uint32_t x : q.taxonomies) {
        if (std::none_of(data, terms_end, [&](std::uint32_t t) {
              return (t & kDirect) && taxonomy.term(t & kTermMask).taxonomy == x;
            })) {
          return;
        }
      }
      const std::uint32_t* circumstances = terms_end;
      if (q.circumstances && doc.n_circumstances > 0) {
        bool eligible = false;
        for (std::uint8_t i = 0; i < doc.n_circumstances && !eligible; ++i) {
          for (const TermIndex p : *q.circumstances) {
            if (taxonomy.is_within(p, circumstances[i])) {
              eligible = true;
              break;
            }
          }
        }
        if (!eligible) return;
      }
      const std::uint32_t* langs = circumstances + doc.n_circumstances;
      if (q.open_weekly && !is_open_weekly(doc, *q.open_weekly)) return;
      if (fr.languages) {
        for (std::uint8_t i = 0; i < doc.n_languages; ++i) ++language_counts[langs[i]];
      }
      if (fr.terms) {
        for (const std::uint32_t* t = data; t != terms_end; ++t) ++term_counts[*t & kTermMask];
      }
      if (fr.open_now && is_open_at(doc, *fr.open_now)) ++*facets.open_now;
    }

    // A match: count its facets.
    if (fr.provider_kind) ++facets.provider_kind[h.kind];
    if (fr.community_led) ++((h.flags & kCommunityLed) ? facets.community_led.yes : facets.community_led.no);
    if (fr.locally_owned) ++((h.flags & kLocallyOwned) ? facets.locally_owned.yes : facets.locally_owned.no);
    if (fr.cost) ++facets.cost[static_cast<std::size_t>(h.cost())];
    if (fr.has_capacity) ++((h.flags & kHasCapacity) ? facets.has_capacity.yes : facets.has_capacity.no);
    matches.push_back(m);
  };

  // Visits each doc of f that is in the union of sorted lists once, in
  // ascending order (through bits: cheaper than merging once the lists are large).
  // Visits the docs of a set in batches, first asking the memory for what
  // visit() reads of each (a sparse set touches new cache lines per doc;
  // fetched together, their latencies overlap).
  auto visit_batched = [&](const DocBits& set) {
    std::array<std::uint32_t, 32> batch{};
    std::size_t n = 0;
    auto flush = [&] {
      for (std::size_t i = 0; i < n; ++i) {
        __builtin_prefetch(&hot[batch[i]]);
        __builtin_prefetch(&site_begin[batch[i]]);
        if (has_text) __builtin_prefetch(&docs[batch[i]]);
      }
      if (q.near) {
        for (std::size_t i = 0; i < n; ++i) __builtin_prefetch(&site_xyz[site_begin[batch[i]]]);
      }
      if (has_text) {
        for (std::size_t i = 0; i < n; ++i) __builtin_prefetch(fwd.data() + docs[batch[i]].words);
      }
      for (std::size_t i = 0; i < n; ++i) visit(batch[i]);
      n = 0;
    };
    set.for_each([&](std::uint32_t d) {
      batch[n++] = d;
      if (n == batch.size()) flush();
    });
    flush();
  };
  auto visit_union = [&](const std::vector<const std::vector<std::uint32_t>*>& lists) {
    DocBits& bits = scratch.grid;
    bits.reset(docs.size());
    for (const auto* list : lists) bits.or_with_list(*list);
    bits.and_with(f);
    visit_batched(bits);
  };

  switch (driver) {
    case Driver::bits:
      visit_batched(f);
      break;
    case Driver::word: {
      const QueryWord& word = words[driver_index];
      if (word.variants.size() == 1) {
        for (const std::uint32_t d : word.variants[0].postings->docs) {
          if (f.test(d)) visit(d);
        }
      } else {
        std::vector<const std::vector<std::uint32_t>*> lists;
        for (const Variant& v : word.variants) lists.push_back(&v.postings->docs);
        visit_union(lists);
      }
      break;
    }
    case Driver::grid: {
      visit_union(grid_lists);
      break;
    }
  }

  // Facets out.
  for (std::size_t i = 0; i < language_counts.size(); ++i) {
    if (language_counts[i] > 0) facets.languages.emplace_back(languages[i], language_counts[i]);
  }
  std::sort(facets.languages.begin(), facets.languages.end());
  for (std::size_t t = 0; t < term_counts.size(); ++t) {
    if (term_counts[t] > 0) facets.terms.emplace_back(static_cast<TermIndex>(t), term_counts[t]);
  }

  // Order.
  results.total = matches.size();
  Sort sort = q.sort;
  if (sort == Sort::automatic) {
    sort = has_text && q.near ? Sort::blended : has_text ? Sort::relevance : q.near ? Sort::distance : Sort::relevance;
  }
  for (Match& m : matches) {
    switch (sort) {
      case Sort::automatic:
      case Sort::relevance:
        m.key = m.score;
        break;
      case Sort::distance:
        m.key = q.near ? -m.chord2 : 0;
        break;
      case Sort::blended: {
        const double factor = q.near ? 1 / (1 + chord2_to_m(m.chord2) / kBlendScaleM) : 1;
        m.key = (has_text ? m.score : 1) * factor;
        break;
      }
    }
  }
  const std::uint64_t per_page = std::min(q.per_page, kMaxPerPage);
  const std::uint64_t first = (static_cast<std::uint64_t>(std::max(q.page, 1U)) - 1) * per_page;
  const std::uint64_t last = std::min<std::uint64_t>(first + per_page, matches.size());
  if (first >= last) return results;
  auto better = [&](const Match& a, const Match& b) {
    if (a.key != b.key) return a.key > b.key;
    return docs[a.doc].id < docs[b.doc].id;
  };
  std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(last), matches.end(), better);
  for (std::uint64_t i = first; i < last; ++i) results.hits.push_back(hit_of(q, matches[i]));
  return results;
}

// The search without text, place or doc-by-doc filters: the match set is f
// itself, counted with popcount, and every order is id order.
Results DirectoryIndex::State::search_bits(const Query& q, const DocBits& f) const {
  Results results;
  const FacetRequest& fr = q.facets;
  FacetCounts& facets = results.facets;
  const std::size_t total = f.count();
  results.total = total;
  count_facets(f, total, fr, facets);

  const std::uint64_t per_page = std::min(q.per_page, kMaxPerPage);
  const std::uint64_t first = (static_cast<std::uint64_t>(std::max(q.page, 1U)) - 1) * per_page;
  const std::uint64_t last = std::min<std::uint64_t>(first + per_page, total);
  if (first >= last) return results;
  std::vector<std::uint32_t> page;
  if (total <= kFewMatches) {
    f.for_each([&](std::uint32_t d) { page.push_back(d); });
    std::partial_sort(page.begin(), page.begin() + static_cast<std::ptrdiff_t>(last), page.end(),
                      [&](std::uint32_t a, std::uint32_t b) { return docs[a].id < docs[b].id; });
  } else {
    // Many matches: the first of them in id order come soon.
    for (const std::uint32_t d : by_id) {
      if (!f.test(d)) continue;
      page.push_back(d);
      if (page.size() == last) break;
    }
  }
  for (std::uint64_t i = first; i < last; ++i) {
    const std::uint32_t d = page[i];
    const std::uint32_t site = site_begin[d] < site_begin[d + 1] ? site_begin[d] : kNone;
    results.hits.push_back(hit_of(q, Match{d, site, 0, 0, 0}));
  }
  return results;
}

void DirectoryIndex::State::count_facets(const DocBits& f, std::size_t total, const FacetRequest& fr,
                                         FacetCounts& facets) const {
  auto yes_no = [&](const DocBits& yes) {
    const auto n = static_cast<std::uint32_t>(f.count_and(yes));
    return YesNo{n, static_cast<std::uint32_t>(total - n)};
  };
  if (fr.provider_kind) {
    for (std::size_t k = 0; k < kProviderKindCount; ++k) {
      facets.provider_kind[k] = static_cast<std::uint32_t>(f.count_and(filters.kind(k)));
    }
  }
  if (fr.community_led) facets.community_led = yes_no(filters.community_led());
  if (fr.locally_owned) facets.locally_owned = yes_no(filters.locally_owned());
  if (fr.has_capacity) facets.has_capacity = yes_no(filters.has_capacity());
  if (fr.cost) {
    for (std::size_t c = 0; c < facets.cost.size(); ++c) {
      facets.cost[c] = static_cast<std::uint32_t>(f.count_and(filters.cost(static_cast<Cost>(c))));
    }
  }
  if (fr.languages) {
    for (std::uint32_t l = 0; l < languages.size(); ++l) {
      const auto n = static_cast<std::uint32_t>(f.count_and(filters.language(l)));
      if (n > 0) facets.languages.emplace_back(languages[l], n);
    }
    std::sort(facets.languages.begin(), facets.languages.end());
  }
  if (fr.terms) {
    std::vector<std::uint32_t> counts(taxonomy.terms().size());
    if (total * 16 < counts.size() * docs.size() / 64) {
      // Few matches: count their terms.
      f.for_each([&](std::uint32_t d) {
        const Doc& doc = docs[d];
        const std::uint32_t* data = arena.data() + doc.data;
        for (std::uint16_t i = 0; i < doc.n_terms; ++i) ++counts[data[i] & kTermMask];
      });
    } else {
      for (std::uint32_t t = 0; t < counts.size(); ++t) counts[t] = filters.count_term(f, t);
    }
    for (std::uint32_t t = 0; t < counts.size(); ++t) {
      if (counts[t] > 0) facets.terms.emplace_back(static_cast<TermIndex>(t), counts[t]);
    }
  }
  if (fr.open_now) {
    DocBits& open = search_scratch().open;
    open.copy_from(f);
    filters.keep_open_at(open, *fr.open_now, [&](std::uint32_t d) { return is_open_at(docs[d], *fr.open_now); });
    facets.open_now = static_cast<std::uint32_t>(open.count());
  }

}

// The BM25F score of doc d for the query words (each word's best variant,
// summed in query order), or -1 if a word is not in it. Reads the doc's own
// word list, a short sequential read, rather than searching each word's
// postings. best: room for one score per query word.
double DirectoryIndex::State::text_score(std::span<const WordMatch> matches, std::span<double> best,
                                         std::uint32_t d) const {
  const Doc& doc = docs[d];
  std::fill(best.begin(), best.end(), -1.0);
  const std::uint8_t* p = fwd.data() + doc.words;
  std::uint32_t w = 0;
  std::size_t i = 0;
  for (std::uint16_t k = 0; k < doc.n_words && i < matches.size(); ++k) {
    w += get_varint(p);
    const auto tf = static_cast<std::uint16_t>(p[0] | p[1] << 8);
    p += 2;
    while (i < matches.size() && matches[i].word < w) ++i;
    for (std::size_t j = i; j < matches.size() && matches[j].word == w; ++j) {
      double& b = best[matches[j].query_word];
      b = std::max(b, matches[j].weight * impact(tf, doc));
    }
  }
  double score = 0;
  for (const double b : best) {
    if (b < 0) return -1;
    score += b;
  }
  return score;
}

namespace {

// A word's docs, best first: its variants' postings by impact (typo and IDF
// weights applied), merged. A doc in several variants comes first with its
// best one.
class WordStream {
 public:
  WordStream(const QueryWord& word, const std::vector<Doc>& docs,
             const std::function<float(const Postings&, std::size_t)>& impact_at,
             const std::function<bool(const Ranked&, const Ranked&)>& by_weight)
      : docs_(&docs) {
    for (const Variant& v : word.variants) {
      const Postings& p = *v.postings;
      Source src{nullptr, nullptr, v.weight, {}};
      if (p.ranked) {
        src.it = p.by_impact.data();
        src.end = src.it + p.by_impact.size();
      } else {
        // Ranked on the fly: a word in few docs.
        src.own.reserve(p.docs.size());
        for (std::size_t i = 0; i < p.docs.size(); ++i) src.own.push_back({impact_at(p, i), p.docs[i]});
        std::sort(src.own.begin(), src.own.end(), by_weight);
      }
      sources_.push_back(std::move(src));
    }
    for (Source& src : sources_) {
      if (!src.own.empty()) src.it = src.own.data(), src.end = src.it + src.own.size();
      if (src.it != src.end) heap_.push_back(&src);
    }
    std::make_heap(heap_.begin(), heap_.end(), [this](const Source* a, const Source* b) { return worse(a, b); });
  }
  [[nodiscard]] bool done() const { return heap_.empty(); }
  // REQUIRES: !done().
  [[nodiscard]] double peek() const { return score(*heap_.front()); }
  // The next (score, doc), or false when done.
  bool next(double& s, std::uint32_t& d) {
    if (heap_.empty()) return false;
    std::pop_heap(heap_.begin(), heap_.end(), [this](const Source* a, const Source* b) { return worse(a, b); });
    Source* src = heap_.back();
    s = score(*src);
    d = src->it->doc;
    if (++src->it == src->end) {
      heap_.pop_back();
    } else {
      std::push_heap(heap_.begin(), heap_.end(), [this](const Source* a, const Source* b) { return worse(a, b); });
    }
    return true;
  }

 private:
  struct Source {
    const Ranked* it;
    const Ranked* end;
    double weight;
    std::vector<Ranked> own;
  };
  static double score(const Source& s) { return s.weight * s.it->impact; }
  // For the heap: a comes after b (lower score, or equal and a larger id).
  [[nodiscard]] bool worse(const Source* a, const Source* b) const {
    const double x = score(*a), y = score(*b);
    return x != y ? x < y : (*docs_)[b->it->doc].id < (*docs_)[a->it->doc].id;
  }
  const std::vector<Doc>* docs_;
  std::vector<Source> sources_;
  std::vector<Source*> heap_;
};

}  // namespace

// Text without a place or doc-by-doc filters, matching many more docs than
// the page needs: read each word's docs best first and stop once no unread
// doc can reach the page (Fagin's threshold algorithm; one word: the merge
// of its variants). Exact: every doc scoring at least the page's last is read.
Results DirectoryIndex::State::search_ranked(const Query& q, const std::vector<QueryWord>& words,
                                             std::span<const WordMatch> word_matches, const DocBits& matched) const {
  Results results;
  results.total = matched.count();
  count_facets(matched, results.total, q.facets, results.facets);
  const std::size_t per_page = std::min(q.per_page, kMaxPerPage);
  const std::size_t first = (static_cast<std::size_t>(std::max(q.page, 1U)) - 1) * per_page;
  const std::size_t last = std::min(first + per_page, results.total);
  if (first >= last) return results;

  const auto impact_at = [&](const Postings& p, std::size_t i) { return impact(p.tf[i], docs[p.docs[i]]); };
  std::vector<WordStream> streams;
  streams.reserve(words.size());
  for (const QueryWord& word : words) streams.emplace_back(word, docs, impact_at, by_weight());

  // The best `last` so far, the worst of them on top of the heap (ties: the larger id is worse).
  std::vector<std::pair<double, std::uint32_t>> best;
  auto better = [&](const std::pair<double, std::uint32_t>& a, const std::pair<double, std::uint32_t>& b) {
    return a.first != b.first ? a.first > b.first : docs[a.second].id < docs[b.second].id;
  };
  DocBits& seen = search_scratch().seen;
  seen.reset(docs.size());
  auto offer = [&](double score, std::uint32_t d) {
    if (best.size() < last) {
      best.emplace_back(score, d);
      std::push_heap(best.begin(), best.end(), better);
    } else if (better(std::pair{score, d}, best.front())) {
      std::pop_heap(best.begin(), best.end(), better);
      best.back() = {score, d};
      std::push_heap(best.begin(), best.end(), better);
    }
  };
  if (words.size() == 1) {
    // One word: its stream is in the page's order.
    double s = 0;
    std::uint32_t d = 0;
    while (best.size() < last && streams[0].next(s, d)) {
      if (matched.test(d) && !seen.test(d)) {
        seen.set(d);
        offer(s, d);
      }
    }
  } else {
    // Per word: the score and doc last read (the next are no better, and
    // equal ones have larger ids).
    std::vector<double> best_per_word(words.size());
    std::vector<double> frontier(words.size());
    std::vector<std::uint32_t> cursor(words.size(), kNone);
    for (std::size_t j = 0; j < words.size(); ++j) frontier[j] = streams[j].done() ? 0 : streams[j].peek();
    // Docs to read, each with a bound on its score, in batches whose records
    // are fetched together.
    struct ToRead {
      double bound = 0;
      std::uint32_t doc = 0;
    };
    std::vector<ToRead> batch;
    constexpr std::size_t kBatch = 32;
    batch.reserve(kBatch);
    for (std::size_t j = 0;; j = (j + 1) % words.size()) {
      double s = 0;
      std::uint32_t d = 0;
      // Every match has every word: a stream at its end has shown them all.
      const bool more = streams[j].next(s, d);
      if (more) {
        frontier[j] = s;
        cursor[j] = d;
        if (matched.test(d) && !seen.test(d)) {
          // Its other words score at most their frontiers.
          double bound = 0;
          for (std::size_t i = 0; i < words.size(); ++i) bound += i == j ? s : frontier[i];
          seen.set(d);
          batch.push_back({bound, d});
        }
      }
      if (batch.size() < kBatch && more) continue;
      for (const ToRead& r : batch) __builtin_prefetch(&docs[r.doc]);
      for (const ToRead& r : batch) __builtin_prefetch(fwd.data() + docs[r.doc].words);
      for (const ToRead& r : batch) {
        // Passed over for good when its bound cannot reach the page (the
        // page's worst only rises).
        if (best.size() == last) {
          const auto& [worst_score, worst] = best.front();
          if (r.bound < worst_score || (r.bound == worst_score && !(docs[r.doc].id < docs[worst].id))) continue;
        }
        offer(text_score(word_matches, best_per_word, r.doc), r.doc);
      }
      batch.clear();
      if (!more) break;
      if (best.size() < last) continue;
      // An unread doc scores at most the sum of the frontiers, and only
      // reaches it with a larger id than every cursor.
      double threshold = 0;
      for (const double x : frontier) threshold += x;
      const auto& [worst_score, worst] = best.front();
      if (worst_score > threshold) break;
      if (worst_score == threshold && std::any_of(cursor.begin(), cursor.end(), [&](std::uint32_t c) {
            return c != kNone && !(docs[c].id < docs[worst].id);
          })) {
        break;
      }
    }
  }
  std::sort_heap(best.begin(), best.end(), better);
  for (std::size_t i = first; i < last && i < best.size(); ++i) {
    const auto [score, d] = best[i];
    const std::uint32_t site = site_begin[d] < site_begin[d + 1] ? site_begin[d] : kNone;
    results.hits.push_back(hit_of(q, Match{d, site, score, 0, 0}));
  }
  return results;
}

Hit DirectoryIndex::State::hit_of(const Query& q, const Match& m) const {
  const Doc& doc = docs[m.doc];
  Hit hit;
  hit.id = doc.id;
  hit.score = m.score;
  hit.provider_kind = static_cast<ProviderKind>(doc.kind);
  hit.community_led = (doc.flags & kCommunityLed) != 0;
  hit.locally_owned = (doc.flags & kLocallyOwned) != 0;
  hit.cost = doc.cost();
  hit.has_capacity = (doc.flags & kHasCapacity) != 0;
  if (q.facets.open_now) hit.open_now = is_open_at(doc, *q.facets.open_now);
  if (m.site != kNone) {
    hit.site = sites[m.site];
    if (q.near) hit.distance_m = core::distance_m(q.near->point, {hit.site->latitude, hit.site->longitude});
  }
  return hit;
}

// Exclusive access for a writer: announce, close the gate to new readers, wait
// for the current ones.
class DirectoryIndex::WriteLock {
 public:
  explicit WriteLock(const DirectoryIndex& index) : waiting_(index.writers_waiting_) {
    waiting_.fetch_add(1);
    gate_ = std::unique_lock(index.writer_gate_);
    lock_ = std::unique_lock(index.mutex_);
    waiting_.fetch_sub(1);
  }

 private:
  std::atomic<int>& waiting_;
  std::unique_lock<std::mutex> gate_;
  std::unique_lock<std::shared_mutex> lock_;
};

// Shared access for a reader: readers pass the gate only while a writer waits.
class DirectoryIndex::ReadLock {
 public:
  explicit ReadLock(const DirectoryIndex& index) {
    if (index.writers_waiting_.load() > 0) std::lock_guard pass(index.writer_gate_);
    lock_ = std::shared_lock(index.mutex_);
  }

 private:
  std::shared_lock<std::shared_mutex> lock_;
};

DirectoryIndex::DirectoryIndex(const Taxonomy& taxonomy, std::span<const ServiceEntry> services)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.taxonomy = taxonomy;
  s.compute_labels();
  s.filters.set_term_count(taxonomy.terms().size());
  s.build(services);
  s.vocabulary.merge_recent(true);
}

DirectoryIndex::~DirectoryIndex() = default;

void DirectoryIndex::upsert(const ServiceEntry& entry) {
  const WriteLock lock(*this);
  State& s = *state_;
  if (const std::uint32_t d = s.find_doc(entry.id); d != kNone) s.kill(d);
  if (entry.active) s.add(entry);
  s.maybe_compact();
}

bool DirectoryIndex::remove(const Uuid& id) {
  const WriteLock lock(*this);
  State& s = *state_;
  const std::uint32_t d = s.find_doc(id);
  if (d == kNone) return false;
  s.kill(d);
  s.maybe_compact();
  return true;
}

void DirectoryIndex::update_taxonomy(const Taxonomy& taxonomy) {
  const WriteLock lock(*this);
  State& s = *state_;
  s.taxonomy = taxonomy;
  s.compute_labels();
  s.reexpand_terms();
  s.vocabulary.merge_recent(false);
}

Results DirectoryIndex::search(const Query& query) const {
  const ReadLock lock(*this);
  return state_->search(query);
}

std::size_t DirectoryIndex::size() const {
  const ReadLock lock(*this);
  return state_->live;
}

std::size_t DirectoryIndex::memory_bytes() const {
  const ReadLock lock(*this);
  const State& s = *state_;
  std::size_t bytes = s.vocabulary.bytes() + capacity_bytes(s.postings) + capacity_bytes(s.docs) +
                      capacity_bytes(s.orgs) + s.org_ids.bytes() +
                      capacity_bytes(s.arena) + capacity_bytes(s.fwd) + capacity_bytes(s.sites) +
                      capacity_bytes(s.site_xyz) + capacity_bytes(s.hot) + capacity_bytes(s.site_begin) + s.ids.bytes() +
                      s.filters.bytes() + capacity_bytes(s.by_id) + capacity_bytes(s.label_words) +
                      capacity_bytes(s.languages);
  for (const Postings& p : s.postings) {
    bytes += capacity_bytes(p.docs) + capacity_bytes(p.tf) + p.bits.bytes() + capacity_bytes(p.by_impact);
  }
  for (const auto& list : s.label_words) bytes += capacity_bytes(list);
  constexpr std::size_t kNodeOverhead = 16 + sizeof(void*);  // allocator header + next pointer
  bytes += s.cells.bucket_count() * sizeof(void*);
  for (const auto& [key, list] : s.cells) {
    bytes += sizeof(key) + sizeof(list) + kNodeOverhead + capacity_bytes(list);
  }
  bytes += s.language_ids.bucket_count() * sizeof(void*) + s.language_ids.size() * (8 + kNodeOverhead);
  return bytes;
}

}  // namespace bespoke::directory
