// Properties of the plan engine over many random places and people: every line
// keeps the hard constraints, the budget and the week; volunteer lines for
// eligible needs have a real fallback; the optimal plan is the best possible
// over the candidates searched (checked against brute force) and never worse
// than greedy; and the same inputs always give the same plan.
#include "plans/plans.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace bespoke::plans {
namespace {

constexpr core::LatLon kCentre{52.6, -1.1};
constexpr int kNeeds = 6;

struct World {
  std::vector<Option> options;
  PlanRequest request;
};

World random_world(std::uint32_t seed) {
  std::mt19937 rng(seed);
  const auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  World w;
  const int count = 20 + pick(120);
  for (int i = 0; i < count; ++i) {
    Option o;
    o.id = static_cast<std::uint32_t>(1 + i);
    o.organisation = static_cast<std::uint32_t>(100 + pick(30));
    o.kind = static_cast<ProviderKind>(pick(7));
    o.commissioned = pick(6) == 0;
    o.community_led = pick(3) == 0;
    o.needs = {static_cast<NeedId>(pick(kNeeds))};
    if (pick(5) == 0) o.needs.push_back(static_cast<NeedId>(pick(kNeeds)));
    std::sort(o.needs.begin(), o.needs.end());
    o.needs.erase(std::unique(o.needs.begin(), o.needs.end()), o.needs.end());
    if (pick(4) == 0) o.minimum_age = static_cast<std::uint8_t>(pick(80));
    if (pick(4) == 0) o.maximum_age = static_cast<std::uint8_t>(o.minimum_age + pick(60));
    if (pick(5) == 0) o.eligible_circumstances = 1U << pick(4);
    if (pick(8) != 0) o.site = core::LatLon{kCentre.lat + uniform(-0.04, 0.04), kCentre.lon + uniform(-0.06, 0.06)};
    o.languages = pick(6) == 0 ? (1U << (1 + pick(3))) : 1U | (pick(3) == 0 ? 1U << (1 + pick(3)) : 0U);
    o.cost_per_session = core::Pence{pick(3) == 0 ? 0 : 100 * (1 + pick(25))};
    const int sessions = pick(4);
    for (int s = 0; s < sessions; ++s) {
      const auto start = static_cast<std::uint16_t>(8 * 60 + 30 * pick(20));
      o.sessions.push_back({static_cast<std::uint8_t>(pick(7)), start, static_cast<std::uint16_t>(start + 60 + 30 * pick(4))});
    }
    if (pick(4) == 0) o.spare_places = pick(3);
    if (pick(3) == 0) o.good_feedback = uniform(0, 1);
    o.interests = pick(3) == 0 ? 1U << pick(5) : 0U;
    w.options.push_back(o);
  }
  Person& p = w.request.person;
  p.home = {kCentre.lat + uniform(-0.03, 0.03), kCentre.lon + uniform(-0.04, 0.04)};
  p.age = 16 + pick(80);
  p.circumstances = static_cast<std::uint32_t>(pick(16));
  p.languages = pick(5) == 0 ? 1U << (1 + pick(3)) : 1U;
  p.travel = static_cast<TravelMode>(pick(4));
  p.max_travel_m = uniform(300, 6000);
  if (pick(2) == 0) p.times_that_suit = {{static_cast<std::uint8_t>(pick(7)), 9 * 60, 17 * 60}};
  if (pick(4) == 0) p.excluded_organisations = {static_cast<std::uint32_t>(100 + pick(30))};
  if (pick(5) == 0) p.excluded_kinds = {static_cast<ProviderKind>(pick(7))};
  p.interests = pick(2) == 0 ? 1U << pick(5) : 0U;
  p.budget_per_week = core::Pence{100 * pick(40)};
  std::vector<NeedId> needs{0, 1, 2, 3, 4, 5};
  std::shuffle(needs.begin(), needs.end(), rng);
  const int asked = 1 + pick(5);
  for (int i = 0; i < asked; ++i) w.request.needs.push_back({needs[static_cast<std::size_t>(i)], pick(2) == 0});
  if (pick(3) == 0) {
    Option neighbour;
    neighbour.id = 10'000;
    neighbour.kind = ProviderKind::informal;
    neighbour.needs = {w.request.needs.front().need};
    neighbour.sessions = {{static_cast<std::uint8_t>(pick(7)), 10 * 60, 11 * 60}};
    w.request.own_options.push_back(neighbour);
  }
  return w;
}

// The hard constraints, written out again independently of the engine.
bool usable(const Option& o, const Person& p) {
  if (p.age < o.minimum_age || p.age > o.maximum_age) return false;
  if (o.eligible_circumstances && !(o.eligible_circumstances & p.circumstances)) return false;
  if (p.languages && !(o.languages & p.languages)) return false;
  if (o.spare_places && *o.spare_places <= 0) return false;
  if (o.organisation && std::count(p.excluded_organisations.begin(), p.excluded_organisations.end(), o.organisation))
    return false;
  if (std::count(p.excluded_kinds.begin(), p.excluded_kinds.end(), o.kind)) return false;
  if (o.site) {
    if (p.travel == TravelMode::none) return false;
    if (core::distance_m(p.home, *o.site) > p.max_travel_m + 1e-6) return false;
  }
  return true;
}

bool volunteer(const Option& o) { return o.kind == ProviderKind::volunteer_group || o.kind == ProviderKind::informal; }

// What a plan achieves, in the order plans are compared: eligible needs met,
// needs met, then the sum of its lines' scores (a shared line counts for each need).
struct Achieved {
  int eligible = 0;
  int covered = 0;
  double score = 0;
  [[nodiscard]] bool beats(const Achieved& o) const {
    if (eligible != o.eligible) return eligible > o.eligible;
    if (covered != o.covered) return covered > o.covered;
    return score > o.score + 1e-9;
  }
};

Achieved achieved(const Proposal& p) {
  Achieved a;
  for (const auto& line : p.lines) {
    a.eligible += line.eligible ? 1 : 0;
    a.covered += 1;
    a.score += line.chosen.score;
  }
  return a;
}

// The best any assignment of the searched candidates can achieve.
Achieved brute_force(const PlanRequest& r, const std::vector<std::vector<Candidate>>& ranked) {
  Achieved best;
  std::vector<const Candidate*> chosen(r.needs.size(), nullptr);
  const auto go = [&](auto&& self, std::size_t i, Achieved so_far) -> void {
    if (i == r.needs.size()) {
      core::Pence cost{0};
      for (std::size_t a = 0; a < chosen.size(); ++a) {
        if (!chosen[a]) continue;
        bool repeat = false;
        for (std::size_t b = 0; b < a; ++b) {
          if (!chosen[b]) continue;
          const bool same = chosen[a]->option == chosen[b]->option && chosen[a]->session == chosen[b]->session;
          if (same) repeat = true;
          else if (chosen[a]->slot() && chosen[b]->slot() && overlap(*chosen[a]->slot(), *chosen[b]->slot())) return;
        }
        if (!repeat) cost = cost + chosen[a]->weekly_cost;
      }
      if (cost <= r.person.budget_per_week && so_far.beats(best)) best = so_far;
      return;
    }
    self(self, i + 1, so_far);
    for (const auto& c : ranked[i]) {
      chosen[i] = &c;
      Achieved with = so_far;
      with.eligible += r.needs[i].eligible ? 1 : 0;
      with.covered += 1;
      with.score += c.score;
      self(self, i + 1, with);
      chosen[i] = nullptr;
    }
  };
  go(go, 0, Achieved{});
  return best;
}

TEST(PlanProperties, HoldForRandomPlacesAndPeople) {
  int plans_with_lines = 0, better_than_greedy = 0;
  for (std::uint32_t seed = 1; seed <= 400; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    auto world = random_world(seed);
    Catalogue catalogue(world.options);
    const auto& request = world.request;
    ProposeOptions optimal;
    optimal.candidates_per_need = 5;
    optimal.compare = 5;  // ranked == what the search saw, for the brute force
    const auto plan = propose(catalogue, request, optimal);
    ProposeOptions greedy = optimal;
    greedy.method = Method::greedy;
    const auto baseline = propose(catalogue, request, greedy);

    ASSERT_EQ(plan.lines.size() + plan.gaps.size(), request.needs.size());
    core::Pence cost{0};
    for (std::size_t i = 0; i < plan.lines.size(); ++i) {
      const auto& line = plan.lines[i];
      const Option& o = *line.chosen.option;
      EXPECT_TRUE(usable(o, request.person)) << "option " << o.id;
      EXPECT_TRUE(std::count(o.needs.begin(), o.needs.end(), line.need)) << "option " << o.id << " meets the need";
      if (line.eligible && volunteer(o)) {
        ASSERT_TRUE(line.chosen.fallback.has_value()) << "volunteer line for an eligible need without a fallback";
        const Option* fallback = catalogue.find(*line.chosen.fallback);
        ASSERT_NE(fallback, nullptr);
        EXPECT_TRUE(fallback->kind == ProviderKind::council || fallback->kind == ProviderKind::nhs ||
                    fallback->commissioned);
        EXPECT_TRUE(usable(*fallback, request.person));
        EXPECT_TRUE(std::count(fallback->needs.begin(), fallback->needs.end(), line.need));
      }
      if (!line.shared) cost = cost + line.chosen.weekly_cost;
      for (std::size_t j = 0; j < i; ++j) {
        const auto& other = plan.lines[j].chosen;
        const bool same = other.option == line.chosen.option && other.session == line.chosen.session;
        if (!same && other.slot() && line.chosen.slot()) {
          EXPECT_FALSE(overlap(*other.slot(), *line.chosen.slot())) << "a clash";
        }
      }
    }
    EXPECT_EQ(cost, plan.weekly_cost);
    EXPECT_LE(plan.weekly_cost, request.person.budget_per_week);
    EXPECT_LE(baseline.weekly_cost, request.person.budget_per_week);
    EXPECT_GE(plan.value, baseline.value - 1e-9);
    const auto mine = achieved(plan), best = brute_force(request, plan.ranked);
    EXPECT_FALSE(achieved(baseline).beats(mine)) << "greedy never does better";
    EXPECT_FALSE(best.beats(mine)) << "brute force found better: " << best.eligible << "/" << best.covered << "/"
                                   << best.score << " against " << mine.eligible << "/" << mine.covered << "/"
                                   << mine.score;
    EXPECT_FALSE(mine.beats(best)) << "the plan cannot beat every possible one";

    Catalogue again(world.options);
    const auto repeat = propose(again, request, optimal);
    ASSERT_EQ(repeat.lines.size(), plan.lines.size());
    for (std::size_t i = 0; i < plan.lines.size(); ++i) {
      EXPECT_EQ(repeat.lines[i].chosen.option->id, plan.lines[i].chosen.option->id);
      EXPECT_EQ(repeat.lines[i].chosen.session, plan.lines[i].chosen.session);
    }
    // Ranking stops early once nothing further can enter the list: the list is
    // the same as the head of a ranking that looks at everything.
    for (const auto& need : request.needs) {
      const auto top = rank(catalogue, request, need, 3).candidates;
      const auto all = rank(catalogue, request, need, 100'000).candidates;
      ASSERT_LE(top.size(), all.size());
      for (std::size_t k = 0; k < top.size(); ++k) {
        EXPECT_EQ(top[k].option->id, all[k].option->id);
        EXPECT_EQ(top[k].session, all[k].session);
      }
      EXPECT_EQ(top.size(), std::min<std::size_t>(3, all.size()));
    }
    plans_with_lines += plan.lines.empty() ? 0 : 1;
    better_than_greedy += mine.beats(achieved(baseline)) ? 1 : 0;
  }
  // The random places are not degenerate: most plans have lines, and the
  // search beats first-fit on some.
  EXPECT_GT(plans_with_lines, 200);
  EXPECT_GT(better_than_greedy, 5);
}

}  // namespace
}  // namespace bespoke::plans
