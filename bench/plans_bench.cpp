// ./dev bench plans: the plan engine on the nation-scale demo place, generated
// in memory (about 470,000 active services, 5 million residents). See
// bench/README.md, "plans".
//
//   plans_bench [--scale nation] [--seed 1] [--people 2000] [--defaults 100000] [--threads 2]
//
// 1. Latency: a whole plan for each of --people residents with 5 needs (their
//    own, then others drawn with a fixed seed), each timed on its own; p50 and
//    p99, for the optimal composition and for the greedy baseline side by side.
// 2. Throughput: default plans for --defaults residents who have needs, on
//    --threads threads, timed as a whole.
// 3. Quality on that batch: needs covered, eligible needs covered, travel per
//    line and weekly cost, optimal against greedy on the same candidates.
//
// The last line is `BENCH plans plan_p99_ms=… defaults_100k_s=… covered=…
// covered_greedy=… travel_km=… travel_km_greedy=…`.
#include "demo/town.h"
#include "demo/vocabulary.h"
#include "plans/plans.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

using namespace bespoke;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string scale = "nation";
  std::uint64_t seed = 1;
  std::size_t people = 2000;
  std::size_t defaults = 100'000;
  unsigned threads = 2;
};

// The needs the council assesses as eligible under the Care Act, for adults:
// care and support needs, not the advice and community ones.
bool care_act_need(std::size_t need) {
  const auto code = demo::kNeeds[need].code;
  return code == "personal_care" || code == "mobility" || code == "learning_disability" ||
         code == "long_term_condition" || code == "carer_support";
}

plans::ProviderKind kind_of(demo::ProviderKind k) {
  switch (k) {
    case demo::ProviderKind::council: return plans::ProviderKind::council;
    case demo::ProviderKind::nhs: return plans::ProviderKind::nhs;
    case demo::ProviderKind::charity: return plans::ProviderKind::charity;
    case demo::ProviderKind::community_led: return plans::ProviderKind::community_led;
    case demo::ProviderKind::social_enterprise: return plans::ProviderKind::social_enterprise;
    case demo::ProviderKind::volunteer_group: return plans::ProviderKind::volunteer_group;
    case demo::ProviderKind::private_company: return plans::ProviderKind::private_company;
  }
  return plans::ProviderKind::unknown;
}

struct Sampled {
  plans::Person person;
  std::vector<std::size_t> needs;  // demo need indices, the resident's own
};

// Keeps the active services as options and every 16th resident with needs.
class Collector final : public demo::TownSink {
 public:
  std::vector<plans::Option> options;
  std::vector<Sampled> people;

  void begin(const demo::Place&) override {}
  void finish(const demo::Totals&) override {}

  void write(const demo::Chunk& chunk) override {
    // Copied: a chunk's records do not outlive write(), and a service may
    // belong to an organisation of an earlier chunk.
    for (const auto& org : chunk.organisations)
      organisations_[org.id] = {org.id, org.kind, org.community_led, org.locally_owned, org.location};
    for (const auto& s : chunk.services) {
      if (s.status != demo::ServiceStatus::active) continue;
      const auto org = organisations_.find(s.organisation_id);
      if (org == organisations_.end()) continue;
      options.push_back(option_of(s, org->second));
    }
    std::unordered_map<std::int64_t, const demo::Household*> homes;
    for (const auto& h : chunk.households) homes[h.id] = &h;
    for (const auto& r : chunk.residents) {
      if (r.needs == 0 || r.id % 16 != 0) continue;
      const auto home = homes.find(r.household_id);
      if (home == homes.end()) continue;
      people.push_back(person_of(r, home->second->location));
    }
  }

 private:
  struct Org {
    std::int64_t id;
    demo::ProviderKind kind;
    bool community_led;
    bool locally_owned;
    core::LatLon location;
  };

  static plans::Option option_of(const demo::Service& s, const Org& org) {
    plans::Option o;
    o.id = static_cast<std::uint32_t>(s.id);
    o.organisation = static_cast<std::uint32_t>(org.id);
    o.kind = kind_of(org.kind);
    o.community_led = org.community_led;
    o.locally_owned = org.locally_owned;
    for (std::size_t n = 0; n < demo::kNeedCount; ++n)
      if ((s.needs_met >> n) & 1U) o.needs.push_back(static_cast<plans::NeedId>(n));
    o.minimum_age = static_cast<std::uint8_t>(std::clamp(s.minimum_age, 0, 255));
    o.maximum_age = static_cast<std::uint8_t>(std::clamp(s.maximum_age, 0, 255));
    o.eligible_circumstances = s.eligible_circumstances;
    // Personal care comes to the person; everything else is at the organisation's place.
    if (!((s.needs_met >> *demo::need_index("personal_care")) & 1U)) o.site = org.location;
    o.languages = s.languages;
    o.cost_per_session = core::Pence{s.cost_pence};
    for (const auto& slot : s.schedule) o.sessions.push_back({slot.day, slot.opens_at, slot.closes_at});
    if (s.capacity_maximum > 0) o.spare_places = s.capacity_available;
    return o;
  }

  // How the person travels, when they are free, and their indicative budget:
  // a fixed rule on age and needs, so that every run asks the same.
  static Sampled person_of(const demo::Resident& r, core::LatLon home) {
    Sampled out;
    auto& p = out.person;
    p.home = home;
    p.age = r.age;
    p.circumstances = r.circumstances;
    p.main_language = r.main_language;
    p.languages = (1ULL << r.main_language) | (r.speaks_english ? 1ULL : 0ULL);
    const bool mobility = (r.needs >> *demo::need_index("mobility")) & 1U;
    if (mobility) p.travel = plans::TravelMode::bus, p.max_travel_m = 4000;
    else if (r.age >= 75) p.travel = plans::TravelMode::walk, p.max_travel_m = 1200;
    else if (r.age >= 16) p.travel = plans::TravelMode::bus, p.max_travel_m = 6000;
    else p.travel = plans::TravelMode::walk, p.max_travel_m = 1500;
    if (r.age >= 16 && r.age < 65) {
      for (std::uint8_t d = 0; d < 5; ++d) p.times_that_suit.push_back({d, 17 * 60, 21 * 60});
      p.times_that_suit.push_back({5, 9 * 60, 17 * 60});
    } else {
      for (std::uint8_t d = 0; d < 5; ++d) p.times_that_suit.push_back({d, 9 * 60, 16 * 60});
    }
    // The council funds eligible needs (£25 a week each, about one paid
    // session); the person adds £5 of their own for everything else.
    std::int64_t budget = 500;
    for (std::size_t n = 0; n < demo::kNeedCount; ++n)
      if ((r.needs >> n) & 1U) {
        out.needs.push_back(n);
        if (care_act_need(n) && r.age >= 18) budget += 2500;
      }
    p.budget_per_week = core::Pence{budget};
    return out;
  }

  std::unordered_map<std::int64_t, Org> organisations_;
};

plans::PlanRequest request_for(const Sampled& s, std::size_t pad_to, std::mt19937& rng) {
  plans::PlanRequest r;
  r.person = s.person;
  auto needs = s.needs;
  std::uniform_int_distribution<std::size_t> any(0, demo::kNeedCount - 1);
  while (needs.size() < pad_to) {
    const auto n = any(rng);
    if (std::find(needs.begin(), needs.end(), n) == needs.end()) needs.push_back(n);
  }
  if (needs.size() > 5) needs.resize(5);
  for (const auto n : needs)
    r.needs.push_back({static_cast<plans::NeedId>(n), care_act_need(n) && s.person.age >= 18});
  return r;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

struct Quality {
  std::size_t needs = 0, covered = 0, eligible = 0, eligible_covered = 0, lines_with_travel = 0;
  double travel_m = 0;
  std::int64_t cost_pence = 0;
  void add(const plans::Proposal& p) {
    needs += p.lines.size() + p.gaps.size();
    covered += p.lines.size();
    for (const auto& l : p.lines) {
      eligible += l.eligible ? 1 : 0;
      eligible_covered += l.eligible ? 1 : 0;
      if (l.chosen.option->site) {
        travel_m += l.chosen.distance_m;
        ++lines_with_travel;
      }
    }
    for (const auto& g : p.gaps) eligible += g.eligible ? 1 : 0;
    cost_pence += p.weekly_cost.value;
  }
  void merge(const Quality& q) {
    needs += q.needs, covered += q.covered, eligible += q.eligible, eligible_covered += q.eligible_covered;
    lines_with_travel += q.lines_with_travel, travel_m += q.travel_m, cost_pence += q.cost_pence;
  }
  [[nodiscard]] double km_per_line() const {
    return lines_with_travel ? travel_m / 1000.0 / static_cast<double>(lines_with_travel) : 0.0;
  }
};

// Default plans for people[0, count) on `threads` threads; the seconds taken.
double propose_defaults(const plans::Catalogue& catalogue, const std::vector<Sampled>& people, std::size_t count,
                        unsigned threads, plans::Method method, Quality& quality) {
  std::atomic<std::size_t> next{0}, done{0};
  std::vector<Quality> per_thread(threads);
  const auto started = Clock::now();
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      std::mt19937 unused(0);
      plans::ProposeOptions options;
      options.method = method;
      options.compare = 0;  // a batch keeps the plan, not the lists for comparing
      for (std::size_t i; (i = next.fetch_add(1)) < count;) {
        const auto request = request_for(people[i], 0, unused);
        per_thread[t].add(plans::propose(catalogue, request, options));
        const auto d = done.fetch_add(1) + 1;
        if (t == 0 && d % 5000 < threads)
          std::fprintf(stderr, "\r  %s defaults: %3zu%% (%zu of %zu)", method == plans::Method::greedy ? "greedy " : "optimal",
                       d * 100 / count, d, count);
      }
    });
  for (auto& w : workers) w.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::fprintf(stderr, "\r  %s defaults: 100%% (%zu of %zu) in %.1f s\n",
               method == plans::Method::greedy ? "greedy " : "optimal", count, count, seconds);
  for (const auto& q : per_thread) quality.merge(q);
  return seconds;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "plans_bench: %s needs a value\n", argv[i]);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--scale") o.scale = value();
    else if (a == "--seed") o.seed = std::stoull(value());
    else if (a == "--people") o.people = std::stoul(value());
    else if (a == "--defaults") o.defaults = std::stoul(value());
    else if (a == "--threads") o.threads = static_cast<unsigned>(std::stoul(value()));
    else {
      std::fprintf(stderr, "usage: plans_bench [--scale nation] [--seed 1] [--people 2000] [--defaults 100000] [--threads 2]\n");
      std::exit(2);
    }
  }
  o.threads = std::max(1U, o.threads);
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = parse(argc, argv);
  auto spec = demo::DemoSpec::for_scale(options.scale, options.seed);
  if (!spec) {
    std::fprintf(stderr, "plans_bench: %s\n", spec.error().message.c_str());
    return 2;
  }
  std::fprintf(stderr, "generating the %s place (seed %llu) in memory\n", options.scale.c_str(),
               static_cast<unsigned long long>(options.seed));
  Collector collected;
  auto t0 = Clock::now();
  demo::generate(*spec, collected, [](const demo::Progress& p) {
    std::fprintf(stderr, "\r  %3zu%% (%zu of %zu neighbourhoods)", p.chunks_done * 100 / std::max<std::size_t>(1, p.chunks_total),
                 p.chunks_done, p.chunks_total);
  });
  std::fprintf(stderr, "\n  %zu active services, %zu residents with needs sampled, in %.1f s\n",
               collected.options.size(), collected.people.size(),
               std::chrono::duration<double>(Clock::now() - t0).count());

  t0 = Clock::now();
  const plans::Catalogue catalogue(std::move(collected.options));
  const double build_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::fprintf(stderr, "  catalogue built in %.2f s\n", build_s);

  // 1. One plan at a time, 5 needs each.
  std::vector<double> optimal_ms, greedy_ms;
  std::size_t nodes = 0, most_nodes = 0;
  Quality five_optimal, five_greedy;
  std::mt19937 rng(static_cast<std::uint32_t>(options.seed));
  const std::size_t stride = std::max<std::size_t>(1, collected.people.size() / std::max<std::size_t>(1, options.people));
  for (std::size_t i = 0, n = 0; i < collected.people.size() && n < options.people; i += stride, ++n) {
    const auto request = request_for(collected.people[i], 5, rng);
    plans::ProposeOptions greedy;
    greedy.method = plans::Method::greedy;
    auto t = Clock::now();
    const auto plan = plans::propose(catalogue, request);
    optimal_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
    t = Clock::now();
    const auto baseline = plans::propose(catalogue, request, greedy);
    greedy_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
    nodes += plan.nodes;
    most_nodes = std::max(most_nodes, plan.nodes);
    five_optimal.add(plan);
    five_greedy.add(baseline);
    if (baseline.value > plan.value + 1e-9) {
      std::fprintf(stderr, "plans_bench: greedy beat the optimal plan for person %zu: a bug\n", i);
      return 1;
    }
  }
  const auto people = optimal_ms.size();
  std::printf("plans of 5 needs, %zu people: optimal p50 %.3f ms, p99 %.3f ms (search nodes: mean %.0f, most %zu); "
              "greedy p50 %.3f ms, p99 %.3f ms\n",
              people, percentile(optimal_ms, 0.5), percentile(optimal_ms, 0.99),
              people ? static_cast<double>(nodes) / static_cast<double>(people) : 0.0, most_nodes,
              percentile(greedy_ms, 0.5), percentile(greedy_ms, 0.99));
  std::printf("  needs covered: optimal %zu of %zu, greedy %zu; eligible: optimal %zu of %zu, greedy %zu\n",
              five_optimal.covered, five_optimal.needs, five_greedy.covered, five_optimal.eligible_covered,
              five_optimal.eligible, five_greedy.eligible_covered);

  // 2 and 3. Default plans for a batch, optimal and greedy.
  const auto batch = std::min(options.defaults, collected.people.size());
  Quality optimal, greedy;
  const double optimal_s =
      propose_defaults(catalogue, collected.people, batch, options.threads, plans::Method::optimal, optimal);
  const double greedy_s =
      propose_defaults(catalogue, collected.people, batch, options.threads, plans::Method::greedy, greedy);
  const auto share = [](std::size_t a, std::size_t b) { return b ? 100.0 * static_cast<double>(a) / static_cast<double>(b) : 0.0; };
  std::printf("default plans for %zu people on %u threads: optimal %.1f s, greedy %.1f s\n", batch, options.threads,
              optimal_s, greedy_s);
  std::printf("  needs covered: optimal %zu of %zu (%.1f%%), greedy %zu (%.1f%%)\n", optimal.covered, optimal.needs,
              share(optimal.covered, optimal.needs), greedy.covered, share(greedy.covered, greedy.needs));
  std::printf("  eligible needs covered: optimal %zu of %zu, greedy %zu\n", optimal.eligible_covered,
              optimal.eligible, greedy.eligible_covered);
  std::printf("  travel per line: optimal %.2f km, greedy %.2f km; weekly cost per person: optimal £%.2f, greedy £%.2f\n",
              optimal.km_per_line(), greedy.km_per_line(),
              batch ? static_cast<double>(optimal.cost_pence) / 100.0 / static_cast<double>(batch) : 0.0,
              batch ? static_cast<double>(greedy.cost_pence) / 100.0 / static_cast<double>(batch) : 0.0);
  // Scaled to 100,000 people when the batch is smaller (a quick look at town scale).
  const double per_100k = batch ? optimal_s * 100'000.0 / static_cast<double>(batch) : 0.0;
  std::printf("BENCH plans plan_p99_ms=%.3f defaults_100k_s=%.1f covered=%zu covered_greedy=%zu travel_km=%.2f "
              "travel_km_greedy=%.2f\n",
              percentile(optimal_ms, 0.99), per_100k, optimal.covered, greedy.covered, optimal.km_per_line(),
              greedy.km_per_line());
  return 0;
}
