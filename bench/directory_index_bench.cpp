// The directory search index at nation scale: 500,000 synthetic services
// (fixed seed), their build time, memory per service, and the latency of a
// fixed query mix (text only, text + radius, radius + filters, filters only).
// Ends with one line: BENCH directory_index key=value ...
#include "directory/index.h"

#include <benchmark/benchmark.h>
#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <tuple>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace bespoke::directory;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kServices = 500'000;

// Words of the trade, most common first (drawn with a Zipf-like weight).
const std::vector<std::string> kDomain{
    "support", "help", "advice", "service", "community", "group", "people", "health", "local", "free",
    "information", "older", "young", "family", "families", "children", "mental", "wellbeing", "housing", "carers",
    "food", "money", "benefits", "debt", "employment", "training", "skills", "volunteering", "volunteers", "social",
    "activities", "club", "centre", "drop-in", "weekly", "sessions", "one-to-one", "groups", "adults", "parents",
    "disability", "disabilities", "learning", "autism", "dementia", "memory", "isolation", "loneliness", "befriending", "visits",
    "transport", "shopping", "meals", "lunch", "cafe", "pantry", "bank", "parcels", "clothing", "furniture",
    "energy", "bills", "fuel", "poverty", "homelessness", "accommodation", "tenancy", "rent", "eviction", "legal",
    "immigration", "refugees", "asylum", "english", "language", "classes", "esol", "digital", "computer", "internet",
    "counselling", "therapy", "bereavement", "grief", "addiction", "alcohol", "drugs", "recovery", "domestic", "abuse",
    "safety", "victims", "crime", "youth", "teenagers", "students", "school", "holiday", "play", "sport",
    "exercise", "walking", "football", "swimming", "dance", "music", "singing", "choir", "arts", "crafts",
    "gardening", "allotment", "environment", "repair", "library", "reading", "writing", "history", "heritage", "faith",
    "church", "mosque", "temple", "women", "men", "lgbt", "veterans", "armed", "forces", "pension",
    "retirement", "care", "home", "respite", "nursing", "hospital", "discharge", "physical", "stroke", "cancer",
    "diabetes", "heart", "breathing", "sight", "hearing", "deaf", "blind", "wheelchair", "mobility", "equipment",
    "adaptations", "appointments", "referral", "assessment", "advocacy", "rights", "complaints", "budgeting", "savings", "credit",
    "union", "jobs", "cv", "interview", "apprenticeships", "business", "enterprise", "social", "charity", "trust",
    "council", "nhs", "practice", "surgery", "pharmacy", "dental", "optician", "maternity", "baby", "toddlers",
    "nursery", "childcare", "fostering", "adoption", "kinship", "young", "carers", "siblings", "bullying", "confidence",
    "friendship", "peer", "mentoring", "coaching", "workshops", "courses", "qualifications", "college", "university", "online"};

// Fill words of ordinary English prose.
const std::vector<std::string> kCommon{
    "we", "offer", "provide", "run", "a", "the", "and", "for", "of", "to", "in", "with", "our", "you", "your",
    "can", "are", "is", "on", "at", "who", "from", "by", "every", "each", "week", "month", "day", "time",
    "friendly", "welcoming", "safe", "space", "meet", "new", "friends", "get", "out", "more", "about", "find",
    "ways", "need", "needs", "live", "living", "independently", "area", "across", "borough", "city", "town",
    "around", "all", "ages", "anyone", "welcome", "please", "contact", "us", "book", "place", "call", "email",
    "trained", "staff", "volunteer", "team", "experienced", "practical", "emotional", "confidential", "impartial",
    "tea", "coffee", "chat", "small", "large", "team", "partners", "working", "together", "improve", "lives"};

// Place-like names (a long tail of rare words): syllables joined.
std::string place_name(std::mt19937_64& rng) {
  static const std::vector<std::string> a{"ash", "brad", "carl", "dun", "east", "fair", "glen", "hal", "ink", "kings",
                                          "lang", "mar", "north", "ox", "pen", "red", "south", "tre", "up", "west",
                                          "whit", "bry", "llan", "aber", "caer", "stan", "wood", "mill", "new", "old"};
  static const std::vector<std::string> b{"ton", "ford", "ley", "by", "ham", "wick", "bury", "field", "well", "mouth",
                                          "port", "stow", "worth", "dale", "gate", "moor", "ridge", "combe", "thorpe", "wyn"};
  static const std::vector<std::string> c{"", "", "", "e", "er", "ing", "ock", "an"};
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  return pick(a) + pick(c) + pick(b);
}

struct Town {
  double lat, lon, weight;
  std::string name;
  double spread_deg;  // standard deviation of its services' positions (latitude)
};

struct Synthetic {
  Taxonomy taxonomy;
  std::vector<TermIndex> needs, types, access, circumstances;
  std::vector<Town> towns;
  std::discrete_distribution<std::size_t> town_pick;
  std::vector<ServiceEntry> services;
};

template <class V>
const auto& zipf_pick(std::mt19937_64& rng, const V& v, double skew = 1.0) {
  // Approximate Zipf: index = floor(n^u) - 1 for u uniform (skew 1).
  const double u = std::uniform_real_distribution<double>(0, 1)(rng);
  auto i = static_cast<std::size_t>(std::pow(static_cast<double>(v.size()) + 1, std::pow(u, skew))) - 1;
  return v[std::min(i, v.size() - 1)];
}

std::unique_ptr<Synthetic> make_synthetic() {
  auto s = std::make_unique<Synthetic>();
  std::mt19937_64 rng(20261129);
  // Taxonomy: needs (3 levels), service types (2 levels), accessibility, circumstances.
  const auto need = s->taxonomy.add_taxonomy({Uuid{1, 1}, "esdNeed"});
  const auto type = s->taxonomy.add_taxonomy({Uuid{1, 2}, "esdServiceType"});
  const auto acc = s->taxonomy.add_taxonomy({Uuid{1, 3}, "accessibility"});
  const auto circ = s->taxonomy.add_taxonomy({Uuid{1, 4}, "esdCircumstance"});
  std::uint64_t next = 0;
  auto label = [&](int words) {
    std::string l;
    for (int i = 0; i < words; ++i) l += (i ? " " : "") + kDomain[rng() % kDomain.size()];
    return l;
  };
  auto add = [&](std::uint32_t tax, std::optional<TermIndex> parent, int words) {
    return s->taxonomy.add_term({Uuid{2, ++next}, tax, std::to_string(next), label(words), parent});
  };
  for (int i = 0; i < 20; ++i) {
    const TermIndex top = add(need, std::nullopt, 1);
    s->needs.push_back(top);
    for (int j = 0; j < 6; ++j) {
      const TermIndex mid = add(need, top, 2);
      s->needs.push_back(mid);
      for (int k = 0; k < 3; ++k) s->needs.push_back(add(need, mid, 2));
    }
  }
  for (int i = 0; i < 25; ++i) {
    const TermIndex top = add(type, std::nullopt, 1);
    s->types.push_back(top);
    for (int j = 0; j < 8; ++j) s->types.push_back(add(type, top, 2));
  }
  for (int i = 0; i < 12; ++i) s->access.push_back(add(acc, std::nullopt, 2));
  for (int i = 0; i < 10; ++i) {
    const TermIndex top = add(circ, std::nullopt, 1);
    s->circumstances.push_back(top);
    for (int j = 0; j < 4; ++j) s->circumstances.push_back(add(circ, top, 2));
  }
  // Towns across Great Britain, Zipf populations.
  std::vector<double> weights;
  std::uniform_real_distribution<double> lat(50.2, 57.8), lon(-5.2, 1.6);
  for (int i = 0; i < 1500; ++i) {
    const double w = 1.0 / (i + 1);
    // The largest town spreads over ~15 km (a city), the smallest over ~1.5 km.
    s->towns.push_back({lat(rng), lon(rng), w, place_name(rng), 0.135 * std::sqrt(w) + 0.012});
    weights.push_back(w);
  }
  s->town_pick = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());

  const std::vector<std::array<char, 3>> langs{{'e', 'n', 0}, {'c', 'y', 0}, {'p', 'l', 0}, {'u', 'r', 0},
                                               {'p', 'a', 0}, {'b', 'n', 0}, {'a', 'r', 0}, {'s', 'o', 0}};
  s->services.reserve(kServices);
  for (std::size_t n = 0; n < kServices; ++n) {
    ServiceEntry e;
    e.id = Uuid{rng(), rng()};
    e.organization_id = Uuid{3, n / 3};
    const Town& town = s->towns[s->town_pick(rng)];
    // Name: 2-5 words, sometimes with the town's name.
    const int nw = 2 + static_cast<int>(rng() % 4);
    for (int i = 0; i < nw; ++i) e.name += (i ? " " : "") + zipf_pick(rng, kDomain, 0.8);
    if (rng() % 3 == 0) e.name = town.name + " " + e.name;
    // Description: 20-40 words of domain and common words, an occasional rare name.
    const int dw = 20 + static_cast<int>(rng() % 21);
    for (int i = 0; i < dw; ++i) {
      if (i) e.description += (rng() % 10 == 0) ? ". " : " ";
      const auto r = rng() % 100;
      e.description += r < 45 ? zipf_pick(rng, kCommon) : r < 97 ? zipf_pick(rng, kDomain) : place_name(rng);
    }
    e.organization_name = (rng() % 2 ? town.name + " " : std::string()) + zipf_pick(rng, kDomain) + " " +
                          (rng() % 2 ? "Trust" : "Association");
    // About 10 terms.
    for (int i = 0; i < 4; ++i) e.terms.push_back(zipf_pick(rng, s->needs, 0.7));
    for (int i = 0; i < 3; ++i) e.terms.push_back(zipf_pick(rng, s->types, 0.7));
    for (int i = 0; i < 3; ++i) e.terms.push_back(s->access[rng() % s->access.size()]);
    std::sort(e.terms.begin(), e.terms.end());
    e.terms.erase(std::unique(e.terms.begin(), e.terms.end()), e.terms.end());
    if (rng() % 3 == 0) e.eligible_circumstances.push_back(s->circumstances[rng() % s->circumstances.size()]);
    if (rng() % 4 == 0) e.minimum_age = static_cast<std::uint8_t>(rng() % 30);
    if (rng() % 4 == 0) e.maximum_age = static_cast<std::uint8_t>(25 + rng() % 70);
    e.provider_kind = static_cast<ProviderKind>(rng() % kProviderKindCount);
    e.community_led = rng() % 4 == 0;
    e.locally_owned = rng() % 3 == 0;
    e.languages.push_back(langs[0]);
    if (rng() % 4 == 0) e.languages.push_back(langs[1 + rng() % (langs.size() - 1)]);
    e.cost = static_cast<Cost>(rng() % 3);
    for (std::uint8_t day = 0; day < 7; ++day) {
      if (rng() % 10 < 6) e.weekly.push_back({day, static_cast<std::uint16_t>(540 + 30 * (rng() % 4)), 1020});
    }
    if (rng() % 5 == 0) e.dated.push_back({20447, 20447, true, 0, 0});
    if (rng() % 2 == 0) e.capacity_available = static_cast<std::int32_t>(rng() % 10);
    const int ns = 1 + static_cast<int>(rng() % 3);
    std::normal_distribution<double> spread(0, town.spread_deg);
    for (int i = 0; i < ns; ++i) {
      e.sites.push_back({Uuid{4, n * 4 + static_cast<std::uint64_t>(i)}, Uuid{5, n * 4 + static_cast<std::uint64_t>(i)},
                         town.lat + spread(rng), town.lon + spread(rng) * 1.6});
    }
    s->services.push_back(std::move(e));
  }
  return s;
}

struct World {
  std::unique_ptr<Synthetic> data;
  std::unique_ptr<DirectoryIndex> index;
  double build_s = 0;
  double build_cpu_s = 0;  // all threads
  std::size_t heap_bytes = 0;
};

World& world() {
  static World w = [] {
    World x;
    x.data = make_synthetic();
    malloc_trim(0);
    const auto before = mallinfo2().uordblks + mallinfo2().hblkhd;
    timespec c0{}, c1{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    const auto t0 = Clock::now();
    x.index = std::make_unique<DirectoryIndex>(x.data->taxonomy, x.data->services);
    x.build_s = std::chrono::duration<double>(Clock::now() - t0).count();
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    x.build_cpu_s = static_cast<double>(c1.tv_sec - c0.tv_sec) + static_cast<double>(c1.tv_nsec - c0.tv_nsec) / 1e9;
    x.heap_bytes = mallinfo2().uordblks + mallinfo2().hblkhd - before;
    return x;
  }();
  return w;
}

// target: text + radius + one or two filters, the mix the p99 target is for.
enum class Mix { text, text_radius, radius_filters, filters, target };

std::vector<Query> make_queries(Mix mix) {
  const Synthetic& s = *world().data;
  std::mt19937_64 rng(static_cast<std::uint64_t>(mix) + 7);
  std::discrete_distribution<std::size_t> town_pick = s.town_pick;
  std::vector<Query> out;
  for (int i = 0; i < 500; ++i) {
    Query q;
    q.facets = FacetRequest::all(LocalTime{20448, 600});
    if (mix == Mix::text || mix == Mix::text_radius || mix == Mix::target) {
      const int words = 1 + static_cast<int>(rng() % 2);
      for (int k = 0; k < words; ++k) {
        std::string w = zipf_pick(rng, kDomain, 0.6);
        if (rng() % 10 == 0 && w.size() > 5) w.erase(2, 1);  // a typo
        q.text += (k ? " " : "") + w;
      }
    }
    if (mix != Mix::text && mix != Mix::filters) {
      const Town& t = s.towns[town_pick(rng)];
      q.near = Near{{t.lat, t.lon}, 2000.0 + static_cast<double>(rng() % 8001)};
    }
    if (mix == Mix::target) {
      if (rng() % 2) q.age = static_cast<std::uint8_t>(rng() % 90);
      if (rng() % 2) q.cost = CostFilter::free_only;
      if (rng() % 3 == 0) q.open_at = LocalTime{20448, static_cast<std::uint16_t>(600 + rng() % 300)};
      if (rng() % 3 == 0) q.terms.push_back(s.access[rng() % s.access.size()]);
    }
    if (mix == Mix::radius_filters || mix == Mix::filters) {
      q.terms.push_back(s.needs[rng() % s.needs.size()]);
      if (rng() % 2) q.age = static_cast<std::uint8_t>(rng() % 90);
      if (rng() % 3 == 0) q.cost = CostFilter::free_only;
      if (rng() % 3 == 0) q.open_at = LocalTime{20448, static_cast<std::uint16_t>(600 + rng() % 300)};
      if (rng() % 4 == 0) q.community_led = true;
      if (mix == Mix::filters && rng() % 3 == 0) q.languages.push_back({'c', 'y', 0});
    }
    out.push_back(std::move(q));
  }
  return out;
}

// The CPU time of this thread, in microseconds: unlike wall time, it does not
// count the time other processes on a busy machine hold the core.
double thread_cpu_us() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

// An FNV-1a digest of everything a search returns, so that runs before and
// after a change can be compared for identical results.
struct Digest {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  void add(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) h = (h ^ ((v >> (8 * i)) & 0xFF)) * 0x100000001B3ULL;
  }
  void add_double(double d) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    add(bits);
  }
  void add(const Results& r) {
    add(r.total);
    for (const Hit& hit : r.hits) {
      add(hit.id.high);
      add(hit.id.low);
      add_double(hit.score);
      add_double(hit.distance_m.value_or(-1));
      add(hit.site ? hit.site->service_at_location_id.low : 0);
    }
    const FacetCounts& f = r.facets;
    for (const auto c : f.provider_kind) add(c);
    add(f.community_led.yes), add(f.community_led.no), add(f.locally_owned.yes), add(f.locally_owned.no);
    for (const auto c : f.cost) add(c);
    add(f.has_capacity.yes), add(f.has_capacity.no), add(f.open_now.value_or(0));
    for (const auto& [code, n] : f.languages) add(static_cast<std::uint64_t>(code[0]) << 16 | n);
    for (const auto& [t, n] : f.terms) add(static_cast<std::uint64_t>(t) << 32 | n);
  }
};

struct MixFigures {
  double wall_p50 = 0, wall_p99 = 0, cpu_p50 = 0, cpu_p99 = 0, mean_matches = 0;
  std::uint64_t digest = 0;
};
std::map<Mix, MixFigures> g_figures;

std::pair<double, double> p50_p99(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 99 / 100)]};
}

void run_mix(benchmark::State& state, Mix mix) {
  World& w = world();
  const std::vector<Query> queries = make_queries(mix);
  std::vector<double> wall_us, cpu_us;
  std::size_t i = 0;
  double total = 0;
  Digest digest;
  for (auto _ : state) {
    const std::size_t n = i++;
    const Query& q = queries[n % queries.size()];
    const double c0 = thread_cpu_us();
    const auto t0 = Clock::now();
    Results r = w.index->search(q);
    wall_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    cpu_us.push_back(thread_cpu_us() - c0);
    total += static_cast<double>(r.total);
    if (n < queries.size()) digest.add(r);
    benchmark::DoNotOptimize(r);
  }
  MixFigures f;
  std::tie(f.wall_p50, f.wall_p99) = p50_p99(wall_us);
  std::tie(f.cpu_p50, f.cpu_p99) = p50_p99(cpu_us);
  f.mean_matches = total / static_cast<double>(wall_us.size());
  f.digest = digest.h;
  state.counters["p50_us"] = f.wall_p50;
  state.counters["p99_us"] = f.wall_p99;
  state.counters["cpu_p50_us"] = f.cpu_p50;
  state.counters["cpu_p99_us"] = f.cpu_p99;
  state.counters["mean_matches"] = f.mean_matches;
  g_figures[mix] = f;
}

void BM_Build(benchmark::State& state) {
  World& w = world();
  for (auto _ : state) benchmark::DoNotOptimize(w.index->size());
  state.counters["services"] = static_cast<double>(w.index->size());
  state.counters["build_s"] = w.build_s;
  state.counters["build_cpu_s"] = w.build_cpu_s;
  state.counters["index_bytes_per_service"] =
      static_cast<double>(w.index->memory_bytes()) / static_cast<double>(w.index->size());
  state.counters["heap_bytes_per_service"] = static_cast<double>(w.heap_bytes) / static_cast<double>(w.index->size());
}
BENCHMARK(BM_Build)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_TextOnly(benchmark::State& state) { run_mix(state, Mix::text); }
void BM_TextRadius(benchmark::State& state) { run_mix(state, Mix::text_radius); }
void BM_RadiusFilters(benchmark::State& state) { run_mix(state, Mix::radius_filters); }
void BM_FiltersOnly(benchmark::State& state) { run_mix(state, Mix::filters); }
void BM_TextRadiusFilters(benchmark::State& state) { run_mix(state, Mix::target); }
BENCHMARK(BM_TextOnly)->Iterations(5000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TextRadius)->Iterations(5000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RadiusFilters)->Iterations(5000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FiltersOnly)->Iterations(5000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TextRadiusFilters)->Iterations(5000)->Unit(benchmark::kMicrosecond);

void BM_Upsert(benchmark::State& state) {
  World& w = world();
  std::size_t i = 0;
  for (auto _ : state) w.index->upsert(w.data->services[(i++ * 7919) % w.data->services.size()]);
}
BENCHMARK(BM_Upsert)->Iterations(2000)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  World& w = world();
  std::printf("BENCH directory_index services=%zu build_s=%.2f build_cpu_s=%.2f index_bytes_per_service=%.0f "
              "heap_bytes_per_service=%.0f",
              w.index->size(), w.build_s, w.build_cpu_s,
              static_cast<double>(w.index->memory_bytes()) / static_cast<double>(w.index->size()),
              static_cast<double>(w.heap_bytes) / static_cast<double>(w.index->size()));
  const char* names[] = {"text", "text_radius", "radius_filters", "filters", "target"};
  for (const auto& [mix, f] : g_figures) {
    const char* name = names[static_cast<int>(mix)];
    std::printf(" %s_p50_us=%.0f %s_p99_us=%.0f %s_cpu_p50_us=%.0f %s_cpu_p99_us=%.0f %s_matches=%.0f %s_digest=%016llx",
                name, f.wall_p50, name, f.wall_p99, name, f.cpu_p50, name, f.cpu_p99, name, f.mean_matches, name,
                static_cast<unsigned long long>(f.digest));
  }
  std::printf("\n");
  return 0;
}
