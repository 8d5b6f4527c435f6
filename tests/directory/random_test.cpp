// Random services and queries, each result checked against a plain scan of
// the services written here without the index's data structures: totals, the
// matched set, order, pagination, distances and every facet.
#include "core/geo.h"
#include "directory/index.h"
#include "directory/text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace bespoke::directory {
namespace {

const std::vector<std::string> kVocabulary{
    "food",      "bank",       "advice",   "advising",    "benefits", "benefit",   "housing",   "homelessness",
    "debt",      "carer",      "carers",   "caring",      "garden",   "community", "support",   "mental",
    "health",    "wellbeing",  "youth",    "club",        "older",    "people",    "lunch",     "café",
    "counselling", "employment", "training", "volunteering", "advocacy", "disability", "children", "family",
    "parents",   "walking",    "group",    "singing",     "choir",    "library",   "digital",   "skills",
    "refugees",  "language",   "english",  "classes",     "pantry",   "clothing",  "furniture", "energy",
    "bills",     "pension",    "loneliness", "befriending", "transport", "repair",  "the",       "and",
    "for",       "of",         "Ŵyn",      "Łódź",        "naïve",    "accommodation"};

std::string pick(std::mt19937_64& rng, const std::vector<std::string>& from) {
  return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
}

bool chance(std::mt19937_64& rng, double p) { return std::bernoulli_distribution(p)(rng); }

int between(std::mt19937_64& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

// One random ASCII edit (a typo), or the word unchanged if it is not ASCII.
std::string typo(std::mt19937_64& rng, std::string w) {
  if (w.size() < 3 || std::any_of(w.begin(), w.end(), [](char c) { return c & 0x80; })) return w;
  const auto i = static_cast<std::size_t>(between(rng, 1, static_cast<int>(w.size()) - 2));
  switch (between(rng, 0, 3)) {
    case 0: w.erase(i, 1); break;
    case 1: w.insert(i, 1, 'e'); break;
    case 2: w[i] = 'x'; break;
    default: std::swap(w[i], w[i + 1]); break;
  }
  return w;
}

std::string phrase(std::mt19937_64& rng, int lo, int hi) {
  std::string out;
  const int n = between(rng, lo, hi);
  for (int i = 0; i < n; ++i) {
    if (!out.empty()) out += chance(rng, 0.2) ? ", " : " ";
    std::string w = pick(rng, kVocabulary);
    if (chance(rng, 0.05)) w = typo(rng, w);
    if (chance(rng, 0.2)) w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    out += w;
  }
  return out;
}

const std::vector<std::array<char, 3>> kLanguages{{'e', 'n', 0}, {'c', 'y', 0}, {'p', 'l', 0}, {'u', 'r', 0}};
constexpr core::LatLon kCentre{51.5, -0.1};
constexpr std::int32_t kDay0 = 20000;

struct World {
  Taxonomy taxonomy;
  std::vector<TermIndex> needs;          // taxonomy 0 and 2
  std::vector<TermIndex> circumstances;  // taxonomy 1
};

World make_world(std::mt19937_64& rng) {
  World w;
  for (std::uint64_t t = 0; t < 3; ++t) w.taxonomy.add_taxonomy({Uuid{100, t}, "tax" + std::to_string(t)});
  for (std::uint64_t i = 0; i < 40; ++i) {
    const auto tax = static_cast<std::uint32_t>(i % 3);
    std::optional<TermIndex> parent;
    std::vector<TermIndex>& same = tax == 1 ? w.circumstances : w.needs;
    std::vector<TermIndex> candidates;
    for (const TermIndex t : same) {
      if (w.taxonomy.term(t).taxonomy == tax) candidates.push_back(t);
    }
    if (!candidates.empty() && chance(rng, 0.6)) parent = candidates[static_cast<std::size_t>(between(rng, 0, static_cast<int>(candidates.size()) - 1))];
    const TermIndex t = w.taxonomy.add_term({Uuid{200, i}, tax, std::to_string(i), phrase(rng, 1, 2), parent});
    same.push_back(t);
  }
  return w;
}

Site random_site(std::mt19937_64& rng, std::uint64_t n) {
  std::uniform_real_distribution<double> dlat(-0.15, 0.15), dlon(-0.25, 0.25);
  return Site{Uuid{300, n}, Uuid{400, n}, kCentre.lat + dlat(rng), kCentre.lon + dlon(rng)};
}

ServiceEntry random_service(std::mt19937_64& rng, const World& w, std::uint64_t id) {
  ServiceEntry e;
  e.id = Uuid{id % 7, id};  // high parts vary so that id order is not insertion order
  e.organization_id = Uuid{500, id % 40};
  e.active = chance(rng, 0.92);
  e.name = phrase(rng, 1, 4);
  e.description = phrase(rng, 0, 20);
  e.organization_name = phrase(rng, 1, 3);
  for (int i = between(rng, 0, 4); i > 0; --i) {
    const TermIndex t = w.needs[static_cast<std::size_t>(between(rng, 0, static_cast<int>(w.needs.size()) - 1))];
    if (std::find(e.terms.begin(), e.terms.end(), t) == e.terms.end()) e.terms.push_back(t);
  }
  for (int i = chance(rng, 0.6) ? 0 : between(rng, 1, 2); i > 0; --i) {
    e.eligible_circumstances.push_back(
        w.circumstances[static_cast<std::size_t>(between(rng, 0, static_cast<int>(w.circumstances.size()) - 1))]);
  }
  if (chance(rng, 0.3)) e.minimum_age = static_cast<std::uint8_t>(between(rng, 0, 30));
  if (chance(rng, 0.3)) e.maximum_age = static_cast<std::uint8_t>(between(rng, 25, 90));
  e.provider_kind = static_cast<ProviderKind>(between(rng, 0, static_cast<int>(kProviderKindCount) - 1));
  e.community_led = chance(rng, 0.3);
  e.locally_owned = chance(rng, 0.4);
  for (const auto& l : kLanguages) {
    if (chance(rng, 0.3)) e.languages.push_back(l);
  }
  e.cost = static_cast<Cost>(between(rng, 0, 2));
  for (int i = between(rng, 0, 5); i > 0; --i) {
    const auto opens = static_cast<std::uint16_t>(between(rng, 6, 14) * 60);
    e.weekly.push_back({static_cast<std::uint8_t>(between(rng, 0, 6)), opens,
                        static_cast<std::uint16_t>(opens + between(rng, 1, 8) * 60)});
  }
  for (int i = chance(rng, 0.7) ? 0 : between(rng, 1, 2); i > 0; --i) {
    const std::int32_t first = kDay0 + between(rng, 0, 13);
    DatedOpening d{first, first + between(rng, 0, 2), chance(rng, 0.6), 0, 0};
    if (!d.closed) d.opens = 600, d.closes = 900;
    e.dated.push_back(d);
  }
  if (chance(rng, 0.5)) e.capacity_available = between(rng, -1, 3);
  if (chance(rng, 0.7)) e.last_modified = 1'700'000'000 + between(rng, 0, 1000) * 86400;
  for (int i = chance(rng, 0.15) ? 0 : between(rng, 1, 3); i > 0; --i) e.sites.push_back(random_site(rng, id * 10 + static_cast<std::uint64_t>(i)));
  return e;
}

// --- the plain scan ---

int osa(const std::string& a, const std::string& b) {
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

struct QueryWord {
  std::string raw;
  std::string stem;
  std::size_t letters = 0;
};

std::set<std::string> stems_of(const ServiceEntry& e, const Taxonomy& tax, Stemmer& stemmer) {
  std::set<std::string> out;
  std::vector<std::string> texts{e.name, e.description, e.organization_name};
  for (const TermIndex t : e.terms) texts.push_back(tax.term(t).name);
  for (const auto& text : texts) {
    WordReader r(text);
    while (r.next()) {
      if (!is_stop_word(r.word())) out.emplace(stemmer.stem(r.word()));
    }
  }
  return out;
}

bool open_at(const ServiceEntry& e, LocalTime t) {
  bool dated = false;
  for (const auto& d : e.dated) {
    if (t.day >= d.first_day && t.day <= d.last_day) {
      dated = true;
      if (!d.closed && d.opens <= t.minute && t.minute < d.closes) return true;
    }
  }
  if (dated) return false;
  const int weekday = ((t.day - 4) % 7 + 7) % 7;  // 1970-01-05 was a Monday
  for (const auto& w : e.weekly) {
    if (w.day == weekday && w.opens <= t.minute && t.minute < w.closes) return true;
  }
  return false;
}

struct Expected {
  Uuid id;
  std::optional<double> distance;
  std::optional<Site> site;
  const ServiceEntry* entry = nullptr;
};

bool matches(const ServiceEntry& e, const Query& q, const std::vector<QueryWord>& words, const Taxonomy& tax,
             Stemmer& stemmer, Expected& out) {
  if (!e.active) return false;
  for (const TermIndex want : q.terms) {
    if (std::none_of(e.terms.begin(), e.terms.end(), [&](TermIndex t) { return tax.is_within(t, want); })) return false;
  }
  for (const auto x : q.taxonomies) {
    if (std::none_of(e.terms.begin(), e.terms.end(), [&](TermIndex t) { return tax.term(t).taxonomy == x; })) return false;
  }
  if (!q.provider_kinds.empty() &&
      std::find(q.provider_kinds.begin(), q.provider_kinds.end(), e.provider_kind) == q.provider_kinds.end()) {
    return false;
  }
  if (q.community_led && *q.community_led != e.community_led) return false;
  if (q.locally_owned && *q.locally_owned != e.locally_owned) return false;
  const int lo = e.minimum_age ? *e.minimum_age : 0;
  const int hi = e.maximum_age ? *e.maximum_age : 255;
  if (q.age && (*q.age < lo || *q.age > hi)) return false;
  // Open Referral UK: minimum_age = v: the service's minimum (absent = 0) is at
  // least v; maximum_age = v: the service has a maximum and it is at most v.
  if (q.minimum_age && lo < *q.minimum_age) return false;
  if (q.maximum_age && !(e.maximum_age && *e.maximum_age <= *q.maximum_age)) return false;
  if (q.organization && e.organization_id != *q.organization) return false;
  if (q.modified_after && !(e.last_modified && *e.last_modified >= *q.modified_after)) return false;
  if (q.circumstances && !e.eligible_circumstances.empty()) {
    bool ok = false;
    for (const TermIndex s : e.eligible_circumstances) {
      for (const TermIndex p : *q.circumstances) ok = ok || tax.is_within(p, s);
    }
    if (!ok) return false;
  }
  if (!q.languages.empty()) {
    bool ok = false;
    for (const auto& l : e.languages) ok = ok || std::find(q.languages.begin(), q.languages.end(), l) != q.languages.end();
    if (!ok) return false;
  }
  if (q.cost == CostFilter::free_only && e.cost != Cost::free) return false;
  if (q.cost == CostFilter::paid_only && e.cost != Cost::paid) return false;
  if (q.has_capacity && !(e.capacity_available && *e.capacity_available > 0)) return false;
  if (q.open_at && !open_at(e, *q.open_at)) return false;
  if (q.open_weekly) {
    const auto& win = *q.open_weekly;
    bool ok = false;
    // Open Referral UK: opens at or after start_time, closes at or before end_time.
    for (const auto& w : e.weekly) {
      if (w.day == win.day && (!win.start || w.opens >= *win.start) && (!win.end || w.closes <= *win.end)) ok = true;
    }
    if (!ok) return false;
  }
  out = {e.id, std::nullopt, e.sites.empty() ? std::nullopt : std::optional<Site>(e.sites.front())};
  if (q.near) {
    if (e.sites.empty()) return false;
    double best = 1e300;
    for (const Site& s : e.sites) {
      const double d = core::distance_m(q.near->point, {s.latitude, s.longitude});
      if (d < best) best = d, out.site = s;
    }
    if (best > q.near->radius_m) return false;
    out.distance = best;
  }
  if (!words.empty()) {
    const std::set<std::string> stems = stems_of(e, tax, stemmer);
    for (const QueryWord& w : words) {
      bool found = stems.count(w.stem) > 0;
      const int max = w.letters >= 9 ? 2 : 1;
      for (auto it = stems.begin(); !found && w.letters >= 5 && it != stems.end(); ++it) {
        found = osa(w.stem, *it) <= max || osa(w.raw, *it) <= max;
      }
      if (!found) return false;
    }
  }
  return true;
}

Query random_query(std::mt19937_64& rng, const World& w) {
  Query q;
  if (chance(rng, 0.6)) {
    const int n = between(rng, 1, 2);
    for (int i = 0; i < n; ++i) {
      std::string word = pick(rng, kVocabulary);
      if (chance(rng, 0.2)) word = typo(rng, word);
      q.text += (i ? " " : "") + word;
    }
  }
  if (chance(rng, 0.2)) q.terms.push_back(w.needs[static_cast<std::size_t>(between(rng, 0, static_cast<int>(w.needs.size()) - 1))]);
  if (chance(rng, 0.05)) q.taxonomies.push_back(static_cast<std::uint32_t>(between(rng, 0, 2)));
  if (chance(rng, 0.15)) {
    q.provider_kinds.push_back(static_cast<ProviderKind>(between(rng, 0, 7)));
    q.provider_kinds.push_back(static_cast<ProviderKind>(between(rng, 0, 7)));
  }
  if (chance(rng, 0.1)) q.community_led = chance(rng, 0.5);
  if (chance(rng, 0.1)) q.locally_owned = chance(rng, 0.5);
  if (chance(rng, 0.15)) q.age = static_cast<std::uint8_t>(between(rng, 0, 95));
  if (chance(rng, 0.15)) {
    q.circumstances.emplace();
    if (chance(rng, 0.7)) q.circumstances->push_back(w.circumstances[static_cast<std::size_t>(between(rng, 0, static_cast<int>(w.circumstances.size()) - 1))]);
  }
  if (chance(rng, 0.1)) q.minimum_age = static_cast<std::uint8_t>(between(rng, 0, 60));
  if (chance(rng, 0.1)) q.maximum_age = static_cast<std::uint8_t>(between(rng, 10, 90));
  if (chance(rng, 0.15)) q.languages.push_back(kLanguages[static_cast<std::size_t>(between(rng, 0, 3))]);
  if (chance(rng, 0.1)) q.cost = chance(rng, 0.5) ? CostFilter::free_only : CostFilter::paid_only;
  if (chance(rng, 0.15)) q.open_at = LocalTime{kDay0 + between(rng, -2, 16), static_cast<std::uint16_t>(between(rng, 0, 1439))};
  if (chance(rng, 0.1)) {
    WeeklyWindow win{static_cast<std::uint8_t>(between(rng, 0, 6)), std::nullopt, std::nullopt};
    if (chance(rng, 0.6)) win.start = static_cast<std::uint16_t>(between(rng, 6, 16) * 60);
    if (chance(rng, 0.6)) win.end = static_cast<std::uint16_t>(between(rng, 17, 22) * 60);
    q.open_weekly = win;
  }
  if (chance(rng, 0.1)) q.has_capacity = true;
  if (chance(rng, 0.05)) q.organization = Uuid{500, static_cast<std::uint64_t>(between(rng, 0, 42))};  // 40-42: none
  if (chance(rng, 0.1)) q.modified_after = 1'700'000'000 + between(rng, -10, 1010) * 86400;
  if (chance(rng, 0.5)) {
    std::uniform_real_distribution<double> dlat(-0.1, 0.1), dlon(-0.15, 0.15);
    q.near = Near{{kCentre.lat + dlat(rng), kCentre.lon + dlon(rng)},
                  chance(rng, 0.1) ? std::numeric_limits<double>::infinity() : between(rng, 500, 15000) * 1.0};
  }
  q.sort = static_cast<Sort>(between(rng, 0, 3));
  q.facets = FacetRequest::all(LocalTime{kDay0 + between(rng, 0, 14), static_cast<std::uint16_t>(between(rng, 0, 1439))});
  if (chance(rng, 0.1)) q.facets = {};
  return q;
}

// Returns the total, so that the caller can see the queries are not all empty.
std::size_t check(const DirectoryIndex& index, const std::map<Uuid, ServiceEntry>& truth, const World& w, Query q,
           Stemmer& stemmer, std::mt19937_64& rng) {
  std::vector<QueryWord> words;
  WordReader reader(q.text);
  while (reader.next()) {
    if (is_stop_word(reader.word())) continue;
    QueryWord word{std::string(reader.word()), std::string(stemmer.stem(reader.word())), reader.letters()};
    if (std::none_of(words.begin(), words.end(), [&](const QueryWord& x) { return x.stem == word.stem; })) words.push_back(word);
  }
  std::vector<Expected> expected;
  FacetCounts facets;
  std::map<std::array<char, 3>, std::uint32_t> languages;
  std::map<TermIndex, std::uint32_t> terms;
  std::uint32_t open_now = 0;
  for (const auto& [id, e] : truth) {
    Expected x;
    if (!matches(e, q, words, w.taxonomy, stemmer, x)) continue;
    x.entry = &e;
    expected.push_back(x);
    ++facets.provider_kind[static_cast<std::size_t>(e.provider_kind)];
    ++(e.community_led ? facets.community_led.yes : facets.community_led.no);
    ++(e.locally_owned ? facets.locally_owned.yes : facets.locally_owned.no);
    ++facets.cost[static_cast<std::size_t>(e.cost)];
    ++((e.capacity_available && *e.capacity_available > 0) ? facets.has_capacity.yes : facets.has_capacity.no);
    for (const auto& l : e.languages) ++languages[l];
    for (std::size_t t = 0; t < w.taxonomy.terms().size(); ++t) {
      if (std::any_of(e.terms.begin(), e.terms.end(), [&](TermIndex x) { return w.taxonomy.is_within(x, static_cast<TermIndex>(t)); })) {
        ++terms[static_cast<TermIndex>(t)];
      }
    }
    if (q.facets.open_now && open_at(e, *q.facets.open_now)) ++open_now;
  }

  const std::uint32_t page = q.page;
  const std::uint32_t per_page = q.per_page;
  q.page = 1;
  q.per_page = kMaxPerPage;
  Results all = index.search(q);
  while (all.hits.size() < all.total) {  // the rest, a page at a time
    ++q.page;
    const Results more = index.search(q);
    if (more.hits.empty()) break;
    all.hits.insert(all.hits.end(), more.hits.begin(), more.hits.end());
  }
  const std::string what = "query \"" + q.text + "\"";
  EXPECT_EQ(all.total, expected.size()) << what;
  if (all.hits.size() != expected.size()) {
    ADD_FAILURE() << what << ": " << all.hits.size() << " hits, expected " << expected.size();
    return 0;
  }

  // The same set, with the right distances and sites.
  std::map<Uuid, const Hit*> got;
  for (const Hit& h : all.hits) got[h.id] = &h;
  for (const Expected& x : expected) {
    if (!got.count(x.id)) {
      ADD_FAILURE() << what << " misses " << x.id.text();
      return 0;
    }
    const Hit& h = *got[x.id];
    EXPECT_EQ(h.site.has_value(), x.site.has_value());
    if (x.site) {
      EXPECT_EQ(*h.site, *x.site);
    }
    EXPECT_EQ(h.distance_m.has_value(), x.distance.has_value());
    if (x.distance && h.distance_m) {
      EXPECT_NEAR(*h.distance_m, *x.distance, 1e-6);
    }
    EXPECT_EQ(h.score > 0, !words.empty());
    const ServiceEntry& e = *x.entry;
    EXPECT_EQ(h.provider_kind, e.provider_kind);
    EXPECT_EQ(h.community_led, e.community_led);
    EXPECT_EQ(h.locally_owned, e.locally_owned);
    EXPECT_EQ(h.cost, e.cost);
    EXPECT_EQ(h.has_capacity, e.capacity_available && *e.capacity_available > 0);
    EXPECT_EQ(h.open_now, q.facets.open_now ? std::optional<bool>(open_at(e, *q.facets.open_now)) : std::nullopt);
  }

  // The order.
  Sort sort = q.sort;
  const bool text = !words.empty();
  if (sort == Sort::automatic) sort = text && q.near ? Sort::blended : text ? Sort::relevance : q.near ? Sort::distance : Sort::relevance;
  auto key = [&](const Hit& h) {
    switch (sort) {
      case Sort::distance: return q.near ? -*h.distance_m : 0.0;
      case Sort::blended: return (text ? h.score : 1.0) * (q.near ? 1 / (1 + *h.distance_m / kBlendScaleM) : 1.0);
      default: return h.score;
    }
  };
  for (std::size_t i = 1; i < all.hits.size(); ++i) {
    const double a = key(all.hits[i - 1]);
    const double b = key(all.hits[i]);
    const double tolerance = 1e-9 * std::max(1.0, std::abs(a));
    EXPECT_GE(a, b - tolerance) << what << " at " << i;
    if (a == b) {
      EXPECT_LT(all.hits[i - 1].id, all.hits[i].id) << what;  // ties by id
    }
  }
  if (sort == Sort::distance || !text) {
    // Exactly the scan's order.
    std::vector<Expected> order = expected;
    std::sort(order.begin(), order.end(), [&](const Expected& x, const Expected& y) {
      if (q.near && sort != Sort::relevance && *x.distance != *y.distance) return *x.distance < *y.distance;
      return x.id < y.id;
    });
    for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(all.hits[i].id, order[i].id) << what << " at " << i;
  }

  // Facets.
  const FacetCounts& f = all.facets;
  if (!q.facets.provider_kind) {  // none requested (FacetRequest{}): none counted
    facets = {};
    languages.clear();
    terms.clear();
  }
  EXPECT_EQ(f.provider_kind, facets.provider_kind);
  EXPECT_EQ(f.community_led, facets.community_led);
  EXPECT_EQ(f.locally_owned, facets.locally_owned);
  EXPECT_EQ(f.cost, facets.cost);
  EXPECT_EQ(f.has_capacity, facets.has_capacity);
  EXPECT_EQ(f.open_now, q.facets.open_now ? std::optional<std::uint32_t>(open_now) : std::nullopt);
  EXPECT_EQ(f.languages, (std::vector<std::pair<std::array<char, 3>, std::uint32_t>>(languages.begin(), languages.end())));
  EXPECT_EQ(f.terms, (std::vector<std::pair<TermIndex, std::uint32_t>>(terms.begin(), terms.end())));

  // A random page is the matching slice of the whole list.
  q.page = page;
  q.per_page = per_page;
  const Results one = index.search(q);
  EXPECT_EQ(one.total, all.total);
  const std::size_t first = std::min<std::size_t>((std::max(page, 1U) - 1) * std::size_t{per_page}, all.hits.size());
  const std::size_t last = std::min<std::size_t>(first + per_page, all.hits.size());
  EXPECT_EQ(one.hits.size(), last - first) << what;
  for (std::size_t i = first; i < last && i - first < one.hits.size(); ++i) {
    EXPECT_EQ(one.hits[i - first].id, all.hits[i].id);
  }
  (void)rng;
  return all.total;
}

// Text over many services without a place or doc-by-doc filters: the queries
// that read each word's best docs first (a page far smaller than the matches).
void text_only(Query& q, std::mt19937_64& rng) {
  if (q.text.empty()) q.text = pick(rng, kVocabulary);
  q.near.reset();
  q.taxonomies.clear();
  q.circumstances.reset();
  q.minimum_age.reset();
  q.maximum_age.reset();
  q.open_weekly.reset();
  q.organization.reset();
  q.modified_after.reset();
  if (q.sort == Sort::distance) q.sort = Sort::automatic;
}

void run(std::uint64_t seed, int services, int queries, bool text_heavy = false) {
  std::mt19937_64 rng(seed);
  const World w = make_world(rng);
  std::map<Uuid, ServiceEntry> truth;
  std::vector<ServiceEntry> initial;
  for (int i = 0; i < services; ++i) initial.push_back(random_service(rng, w, static_cast<std::uint64_t>(i)));
  // Repeated ids: the last entry counts.
  for (int i = 0; i < services / 20; ++i) {
    initial.push_back(random_service(rng, w, static_cast<std::uint64_t>(between(rng, 0, services - 1))));
  }
  for (const auto& e : initial) truth[e.id] = e;
  DirectoryIndex index(w.taxonomy, initial);
  Stemmer stemmer;
  int found = 0;
  for (int i = 0; i < queries; ++i) {
    if (i % 25 == 24) {  // some writes: replace, add, remove
      for (int k = 0; k < 15; ++k) {
        const auto id = static_cast<std::uint64_t>(between(rng, 0, services + services / 4));
        if (chance(rng, 0.2)) {
          const Uuid uuid{id % 7, id};
          EXPECT_EQ(index.remove(uuid), truth.count(uuid) > 0 && truth[uuid].active);
          truth.erase(uuid);
        } else {
          const ServiceEntry e = random_service(rng, w, id);
          index.upsert(e);
          truth[e.id] = e;
        }
      }
      std::size_t active = 0;
      for (const auto& [id, e] : truth) active += e.active ? 1 : 0;
      ASSERT_EQ(index.size(), active);
    }
    Query q = random_query(rng, w);
    if (text_heavy) text_only(q, rng);
    q.page = static_cast<std::uint32_t>(between(rng, 0, 4));
    q.per_page = static_cast<std::uint32_t>(between(rng, 0, 30));
    found += check(index, truth, w, q, stemmer, rng) > 0 ? 1 : 0;
    if (::testing::Test::HasFailure()) return;  // one query's report is enough
  }
  EXPECT_GT(found, queries / 4);  // the queries are not trivially empty
}

TEST(DirectoryIndexRandom, MatchesAPlainScan_Seed1) { run(1, 400, 500); }
TEST(DirectoryIndexRandom, MatchesAPlainScan_Seed2) { run(2, 300, 500); }
TEST(DirectoryIndexRandom, MatchesAPlainScan_Seed3) { run(3, 600, 300); }
// Large enough that the build tokenises on several threads.
TEST(DirectoryIndexRandom, MatchesAPlainScan_LargeBuild) { run(4, 6000, 60); }
TEST(DirectoryIndexRandom, MatchesAPlainScan_TextOverManyServices) { run(5, 5000, 150, true); }

}  // namespace
}  // namespace bespoke::directory
