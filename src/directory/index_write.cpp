// The index's writing side (under the exclusive lock): the build, adding and
// killing a service, compaction, re-expanding terms and ranking words.
#include "directory/index_state.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bespoke::directory {
using namespace detail;  // the State's records and helpers (index_state.h)
namespace {

// Makes room for `more` elements, growing by an eighth rather than doubling:
// the first upsert after a build must not double the big per-doc arrays.
template <class T>
void reserve_more(std::vector<T>& v, std::size_t more) {
  if (v.size() + more > v.capacity()) v.reserve(v.size() + std::max(more, v.size() / 8 + 16));
}

}  // namespace

std::uint32_t DirectoryIndex::State::intern_stem(std::string_view stem) {
  bool added = false;
  const std::uint32_t id = vocabulary.intern(stem, added);
  if (added) postings.emplace_back();
  return id;
}

std::uint32_t DirectoryIndex::State::word_id(std::string_view folded) {
  return intern_stem(stemmer.stem(folded));
}

void DirectoryIndex::State::compute_labels() {
  label_words.assign(taxonomy.terms().size(), {});
  for (std::size_t t = 0; t < label_words.size(); ++t) {
    WordReader reader(taxonomy.terms()[t].name);
    while (reader.next()) {
      if (!is_stop_word(reader.word())) label_words[t].push_back(word_id(reader.word()));
    }
  }
}

// The direct terms (flagged) and all their broader terms, sorted by term.
std::vector<std::uint32_t> DirectoryIndex::State::expand(const std::vector<TermIndex>& direct) const {
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

std::uint32_t DirectoryIndex::State::intern_org(const Uuid& id) {
  std::uint32_t o = find_org(id);
  if (o != kNone) return o;
  o = static_cast<std::uint32_t>(orgs.size());
  orgs.push_back(id);
  org_ids.insert(hash32(UuidHash{}(id)), o);
  return o;
}

void DirectoryIndex::State::add_text(std::string_view text, Field field) {
  WordReader reader(text);
  while (reader.next()) {
    if (!is_stop_word(reader.word())) scratch.emplace_back(word_id(reader.word()), field);
  }
}

// Adds a live service (after any old version is killed).
void DirectoryIndex::State::add(const ServiceEntry& e) {
  scratch.clear();
  add_text(e.name, kName);
  add_text(e.organization_name, kOrganisation);
  add_text(e.description, kDescription);
  add_words_in_scratch(e);
}

// Adds a live service whose text words (name, organisation, description)
// are already in scratch.
void DirectoryIndex::State::add_words_in_scratch(const ServiceEntry& e) {
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
    const core::UnitVector v = core::unit_vector({s.latitude, s.longitude});
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
FilterFacts DirectoryIndex::State::facts_of(std::uint32_t d) const {
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
void DirectoryIndex::State::reindex_filters() {
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

void DirectoryIndex::State::sort_by_id() {
  std::sort(by_id.begin(), by_id.end(), [&](std::uint32_t a, std::uint32_t b) { return docs[a].id < docs[b].id; });
}

void DirectoryIndex::State::kill(std::uint32_t d) {
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
void DirectoryIndex::State::compact() {
  std::vector<std::uint32_t> remap(docs.size(), kNone);
  std::vector<Doc> new_docs;
  new_docs.reserve(live);
  std::vector<std::uint32_t> new_arena;
  std::vector<std::uint8_t> new_fwd;
  std::vector<Site> new_sites;
  std::vector<core::UnitVector> new_xyz;
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

void DirectoryIndex::State::freeze_lengths() {
  for (std::size_t f = 0; f < 4; ++f) {
    avg_length[f] = live > 0 ? std::max(static_cast<double>(length_sum[f]) / static_cast<double>(live), 1e-9) : 1;
  }
}

// Ranks the words in many docs (on up to 4 threads): their bits and their
// docs by impact. Others are ranked on the fly by a search that needs it.
void DirectoryIndex::State::rank_words() {
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

void DirectoryIndex::State::rebuild_ids() {
  ids.clear();
  for (std::uint32_t d = 0; d < docs.size(); ++d) {
    if ((docs[d].flags & kDead) == 0) ids.insert(hash32(UuidHash{}(docs[d].id)), d);
  }
}

void DirectoryIndex::State::maybe_compact() {
  if (dead > 64 + live / 4) compact();
  vocabulary.merge_recent(false);
}

// Recomputes the broader terms of every doc (the taxonomy changed).
void DirectoryIndex::State::reexpand_terms() {
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

}  // namespace bespoke::directory
