// The index's reading side (under a shared lock): search, its facets and its hits.
#include "directory/index_state.h"

#include "core/geo.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <numbers>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace bespoke::directory {
using namespace detail;  // the State's records and helpers (index_state.h)
namespace {

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

  core::UnitVector centre;
  double max_chord2 = 4.01;  // the whole Earth, rounding included
  if (q.near) {
    centre = core::unit_vector(q.near->point);
    if (q.near->radius_m / core::kEarthRadiusM < std::numbers::pi) max_chord2 = core::chord2_of_distance(q.near->radius_m);
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
  if (q.near) {
    if (const auto box = core::bounding_box(q.near->point, q.near->radius_m)) {
      const std::int64_t r0 = cell_row(box->lat0), r1 = cell_row(box->lat1);
      const std::int64_t c0 = cell_col(box->lon0), c1 = cell_col(box->lon1);
      const double n_cells = static_cast<double>(r1 - r0 + 1) * static_cast<double>(c1 - c0 + 1);
      if (n_cells <= kMaxGridCells) {
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
  Sort sort = q.sort;
  if (sort == Sort::automatic) {
    sort = has_text && q.near ? Sort::blended : has_text ? Sort::relevance : q.near ? Sort::distance : Sort::relevance;
  }
  // Ordered by distance, or blended from the nearest: most matches need no
  // score (every candidate has every word: f holds each word's docs).
  const bool defer_scores = has_text && q.near && (sort == Sort::blended || sort == Sort::distance);
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
        const double c2 = core::chord2(centre, site_xyz[s]);
        if (c2 < best) best = c2, m.site = s;
      }
      if (best > max_chord2) return;
      m.chord2 = best;
    }

    if (has_text && !defer_scores) {
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
  const std::uint64_t per_page = std::min(q.per_page, kMaxPerPage);
  const std::uint64_t first = (static_cast<std::uint64_t>(std::max(q.page, 1U)) - 1) * per_page;
  const std::uint64_t last = std::min<std::uint64_t>(first + per_page, matches.size());
  if (first >= last) return results;
  auto better = [&](const Match& a, const Match& b) {
    if (a.key != b.key) return a.key > b.key;
    return docs[a.doc].id < docs[b.doc].id;
  };
  auto blend = [&](const Match& m) { return 1 / (1 + core::distance_of_chord2(m.chord2) / kBlendScaleM); };
  if (defer_scores && sort == Sort::blended) {
    // Nearest first, scoring each until no match left can reach the page:
    // its key is at most the best score any service could have for these
    // words times its distance factor, which only falls from here.
    std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) { return a.chord2 < b.chord2; });
    const double bound = score_bound(words);
    std::vector<Match> page;  // the best `last` so far, the worst on top of the heap
    page.reserve(last);
    for (Match& m : matches) {
      const double factor = blend(m);
      if (page.size() == last && bound * factor < page.front().key) break;
      m.score = text_score(word_matches, best_per_word, m.doc);
      m.key = m.score * factor;
      if (page.size() < last) {
        page.push_back(m);
        std::push_heap(page.begin(), page.end(), better);
      } else if (better(m, page.front())) {
        std::pop_heap(page.begin(), page.end(), better);
        page.back() = m;
        std::push_heap(page.begin(), page.end(), better);
      }
    }
    std::sort_heap(page.begin(), page.end(), better);
    for (std::uint64_t i = first; i < last; ++i) results.hits.push_back(hit_of(q, page[i]));
    return results;
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
      case Sort::blended:
        m.key = (has_text ? m.score : 1) * (q.near ? blend(m) : 1);
        break;
    }
  }
  std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(last), matches.end(), better);
  for (std::uint64_t i = first; i < last; ++i) {
    // Ordered by distance: only the page's own scores are needed.
    if (defer_scores) matches[i].score = text_score(word_matches, best_per_word, matches[i].doc);
    results.hits.push_back(hit_of(q, matches[i]));
  }
  return results;
}

// No service scores more than this for these words: each word's best
// variant weight times the highest weight any service has for it (a ranked
// word's first posting; BM25F's saturation k1 + 1 for the others).
double DirectoryIndex::State::score_bound(const std::vector<QueryWord>& words) const {
  double bound = 0;
  for (const QueryWord& word : words) {
    double best = 0;
    for (const Variant& v : word.variants) {
      const Postings& p = *v.postings;
      const double top = p.ranked && !p.by_impact.empty() ? p.by_impact.front().impact : kK1 + 1;
      best = std::max(best, v.weight * top);
    }
    bound += best;
  }
  return bound;
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

}  // namespace bespoke::directory
