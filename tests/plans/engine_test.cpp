// The plan engine: hard constraints, the soft factors and their explanation,
// composition against the budget and the week, the volunteer fallback rule.
#include "plans/plans.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace bespoke::plans {
namespace {

constexpr core::LatLon kHome{52.6000, -1.1000};
constexpr NeedId kLoneliness = 4;
constexpr NeedId kFood = 1;
constexpr NeedId kPersonalCare = 8;

// A point about `metres` north of home.
core::LatLon north(double metres) { return {kHome.lat + metres / 111'195.0, kHome.lon}; }

constexpr WeeklySlot kTuesdayMorning{1, 10 * 60, 12 * 60};
constexpr WeeklySlot kTuesdayLateMorning{1, 11 * 60, 13 * 60};
constexpr WeeklySlot kThursdayMorning{3, 10 * 60, 12 * 60};
constexpr WeeklySlot kSaturdayEvening{5, 18 * 60, 20 * 60};

Option service(std::uint32_t id, NeedId need, double metres, ProviderKind kind = ProviderKind::charity) {
  Option o;
  o.id = id;
  o.organisation = 1000 + id;
  o.kind = kind;
  o.needs = {need};
  o.site = north(metres);
  o.sessions = {kTuesdayMorning};
  return o;
}

Person resident() {
  Person p;
  p.home = kHome;
  p.age = 70;
  p.max_travel_m = 2000;
  p.budget_per_week = core::Pence{2000};
  return p;
}

PlanRequest asking(std::vector<NeedToMeet> needs, Person person = resident()) {
  PlanRequest r;
  r.person = std::move(person);
  r.needs = std::move(needs);
  return r;
}

std::vector<std::uint32_t> ids(const std::vector<Candidate>& candidates) {
  std::vector<std::uint32_t> out;
  for (const auto& c : candidates) out.push_back(c.option->id);
  return out;
}

TEST(Rank, HardConstraintsRemoveOptionsAndNameTheReasonWhenNoneIsLeft) {
  auto too_far = service(1, kLoneliness, 2500);
  auto children = service(2, kLoneliness, 100);
  children.maximum_age = 15;
  auto carers_only = service(3, kLoneliness, 100);
  carers_only.eligible_circumstances = 1U << 2;
  auto polish = service(4, kLoneliness, 100);
  polish.languages = 1U << 1;  // Polish only
  auto full = service(5, kLoneliness, 100);
  full.spare_places = 0;
  auto ruled_out = service(6, kLoneliness, 100);
  auto fine = service(7, kLoneliness, 1900);
  Catalogue catalogue({too_far, children, carers_only, polish, full, ruled_out, fine});
  auto person = resident();
  person.excluded_organisations = {1006};
  const auto request = asking({{kLoneliness, false}}, person);
  EXPECT_EQ(ids(rank(catalogue, request, request.needs[0], 10).candidates), std::vector<std::uint32_t>{7});

  // Taking the usable one away, the reason is the furthest stage any option reached.
  Catalogue without_fine({too_far, children, carers_only, polish, full, ruled_out});
  const auto none = rank(without_fine, request, request.needs[0], 10);
  EXPECT_TRUE(none.candidates.empty());
  EXPECT_EQ(none.none_because, GapReason::excluded);
  Catalogue only_far({too_far});
  EXPECT_EQ(rank(only_far, request, request.needs[0], 10).none_because, GapReason::out_of_reach);
  Catalogue only_children({too_far, children});
  EXPECT_EQ(rank(only_children, request, request.needs[0], 10).none_because, GapReason::not_eligible);
  const NeedToMeet food{kFood, false};
  EXPECT_EQ(rank(catalogue, request, food, 10).none_because, GapReason::no_provider);
}

TEST(Rank, SomeoneWhoDoesNotTravelGetsOnlyWhatComesToThem) {
  auto home_care = service(1, kPersonalCare, 0, ProviderKind::council);
  home_care.site.reset();
  home_care.sessions.clear();
  Catalogue catalogue({home_care, service(2, kPersonalCare, 50)});
  auto person = resident();
  person.travel = TravelMode::none;
  const auto request = asking({{kPersonalCare, true}}, person);
  const auto ranked = rank(catalogue, request, request.needs[0], 10);
  EXPECT_EQ(ids(ranked.candidates), std::vector<std::uint32_t>{1});
  EXPECT_EQ(explain(ranked.candidates[0], person), "comes to you; at times to suit you; free");
}

TEST(Rank, NearerTimelierAndCommunityLedRankHigherAndTiesBreakById) {
  auto near = service(10, kLoneliness, 300);
  auto far = service(11, kLoneliness, 1500);
  auto community = service(12, kLoneliness, 1500);
  community.community_led = true;
  auto twin = service(9, kLoneliness, 1500);  // same as far but a lower id
  auto evening = service(13, kLoneliness, 300);
  evening.sessions = {kSaturdayEvening};
  Catalogue catalogue({near, far, community, twin, evening});
  auto person = resident();
  person.times_that_suit = {{1, 9 * 60, 13 * 60}, {3, 9 * 60, 13 * 60}};
  const auto request = asking({{kLoneliness, false}}, person);
  EXPECT_EQ(ids(rank(catalogue, request, request.needs[0], 10).candidates),
            (std::vector<std::uint32_t>{10, 12, 9, 11, 13}));
}

TEST(Rank, TheExplanationComesFromTheSameFactors) {
  auto club = service(1, kLoneliness, 790);  // 1,027 m by the streets: 13 minutes at 80 m a minute
  club.community_led = true;
  club.sessions = {kSaturdayEvening, kTuesdayMorning};
  club.languages = 0b11;  // English and Polish
  club.interests = 1U << 3;
  club.good_feedback = 0.9;
  Catalogue catalogue({club});
  auto person = resident();
  person.times_that_suit = {{1, 9 * 60, 13 * 60}};
  person.main_language = 1;
  person.languages = 0b11;
  person.interests = (1U << 3) | (1U << 5);
  const Names names{{"English", "Polish"}, {}, {"", "", "", "gardening"}};
  const auto request = asking({{kLoneliness, false}}, person);
  const auto ranked = rank(catalogue, request, request.needs[0], 10).candidates;
  ASSERT_EQ(ranked.size(), 2u) << "both sessions, the one that suits first";
  EXPECT_EQ(explain(ranked[0], person, names),
            "13 minutes' walk; Tuesday morning, as you asked; in Polish; gardening, which you enjoy; run by a "
            "community-led organisation; 9 in 10 people rated it well; free");
  EXPECT_TRUE(explain(ranked[1], person, names).starts_with("13 minutes' walk; Saturday evening, not a time you gave; "));
  EXPECT_GT(ranked[0].score, ranked[1].score);
  EXPECT_EQ(ranked[0].points[static_cast<std::size_t>(Factor::timing)], 20.0);
  EXPECT_EQ(ranked[1].points[static_cast<std::size_t>(Factor::timing)], 0.0);
}

TEST(Compose, StaysWithinTheBudgetAndBeatsGreedyWhereFirstFitWastesIt) {
  // Greedy gives the first need its best option, which costs the whole budget;
  // the optimal plan takes the second-best there and covers both needs.
  auto costly_best = service(1, kLoneliness, 100);
  costly_best.cost_per_session = core::Pence{1800};
  costly_best.good_feedback = 1.0;
  auto cheaper = service(2, kLoneliness, 900);
  cheaper.cost_per_session = core::Pence{500};
  auto food = service(3, kFood, 400);
  food.cost_per_session = core::Pence{600};
  food.sessions = {kThursdayMorning};
  Catalogue catalogue({costly_best, cheaper, food});
  const auto request = asking({{kLoneliness, false}, {kFood, false}});

  ProposeOptions greedy;
  greedy.method = Method::greedy;
  const auto first_fit = propose(catalogue, request, greedy);
  ASSERT_EQ(first_fit.lines.size(), 1u);
  EXPECT_EQ(first_fit.lines[0].chosen.option->id, 1u);
  ASSERT_EQ(first_fit.gaps.size(), 1u);
  EXPECT_EQ(first_fit.gaps[0].reason, GapReason::budget);

  const auto best = propose(catalogue, request);
  ASSERT_EQ(best.lines.size(), 2u);
  EXPECT_EQ(best.lines[0].chosen.option->id, 2u);
  EXPECT_EQ(best.lines[1].chosen.option->id, 3u);
  EXPECT_EQ(best.weekly_cost, core::Pence{1100});
  EXPECT_TRUE(best.gaps.empty());
  EXPECT_GT(best.value, first_fit.value);
}

TEST(Compose, AnEligibleNeedComesBeforeAnyNumberOfOthers) {
  // The budget buys either the eligible need's one (distant, poor fit) option
  // or the two others' near and well-fitting ones.
  auto care = service(1, kPersonalCare, 1990, ProviderKind::council);
  care.cost_per_session = core::Pence{2000};
  care.sessions = {kSaturdayEvening};
  auto lunch = service(2, kLoneliness, 50);
  lunch.cost_per_session = core::Pence{1000};
  auto pantry = service(3, kFood, 50);
  pantry.cost_per_session = core::Pence{1000};
  pantry.sessions = {kThursdayMorning};
  Catalogue catalogue({care, lunch, pantry});
  auto person = resident();
  person.times_that_suit = {kTuesdayMorning, kThursdayMorning};
  const auto plan = propose(catalogue, asking({{kLoneliness, false}, {kFood, false}, {kPersonalCare, true}}, person));
  ASSERT_EQ(plan.lines.size(), 1u);
  EXPECT_EQ(plan.lines[0].need, kPersonalCare);
  EXPECT_EQ(plan.gaps.size(), 2u);
  EXPECT_EQ(plan.gaps[0].reason, GapReason::budget);
}

TEST(Compose, RefusesOptionsItCannotReasonAbout) {
  auto negative = service(1, kFood, 100);
  negative.cost_per_session = core::Pence{-100};
  EXPECT_THROW(Catalogue({negative}), std::invalid_argument);
  Catalogue catalogue({service(1, kFood, 100)});
  auto request = asking({{kFood, false}});
  Option clash;
  clash.id = 1;  // the catalogue's option's id
  clash.needs = {kFood};
  request.own_options = {clash};
  EXPECT_THROW((void)propose(catalogue, request), std::invalid_argument);
  request.own_options.clear();
  request.person.main_language = 64;
  EXPECT_EQ(request_problems(request), std::vector<std::string>{"main_language"});
}

TEST(Compose, NoTwoSessionsAtTheSameTime) {
  auto lunch = service(1, kLoneliness, 100);
  auto pantry = service(2, kFood, 100);
  pantry.sessions = {kTuesdayLateMorning};  // overlaps the lunch club
  Catalogue catalogue({lunch, pantry});
  const auto request = asking({{kLoneliness, false}, {kFood, false}});
  const auto plan = propose(catalogue, request);
  ASSERT_EQ(plan.lines.size(), 1u);
  ASSERT_EQ(plan.gaps.size(), 1u);
  EXPECT_EQ(plan.gaps[0].reason, GapReason::clash);

  pantry.sessions.push_back(kThursdayMorning);  // a second session that does not clash
  Catalogue two_sessions({lunch, pantry});
  const auto both = propose(two_sessions, request);
  ASSERT_EQ(both.lines.size(), 2u);
  EXPECT_EQ(both.lines[1].chosen.slot(), kThursdayMorning);
}

TEST(Compose, OneSessionThatMeetsTwoNeedsIsOneLinePaidOnce) {
  auto cafe = service(1, kLoneliness, 200);
  cafe.needs = {kLoneliness, kFood};
  cafe.cost_per_session = core::Pence{1500};
  Catalogue catalogue({cafe});
  const auto plan = propose(catalogue, asking({{kLoneliness, false}, {kFood, false}}));
  ASSERT_EQ(plan.lines.size(), 2u);
  EXPECT_FALSE(plan.lines[0].shared);
  EXPECT_TRUE(plan.lines[1].shared);
  EXPECT_EQ(plan.weekly_cost, core::Pence{1500});
}

TEST(Compose, VolunteersMeetAnEligibleNeedOnlyWithAGuaranteedFallback) {
  auto volunteers = service(1, kPersonalCare, 100, ProviderKind::volunteer_group);
  volunteers.community_led = true;
  auto council = service(2, kPersonalCare, 1900, ProviderKind::council);
  council.cost_per_session = core::Pence{1200};
  council.sessions = {kThursdayMorning};
  const auto eligible = asking({{kPersonalCare, true}});

  Catalogue with_council({volunteers, council});
  const auto plan = propose(with_council, eligible);
  ASSERT_EQ(plan.lines.size(), 1u);
  EXPECT_EQ(plan.lines[0].chosen.option->id, 1u);
  EXPECT_EQ(plan.lines[0].chosen.fallback, 2u);
  EXPECT_NE(explain(plan.lines[0].chosen, eligible.person).find("with a guaranteed service to fall back on"),
            std::string::npos);

  Catalogue volunteers_only({volunteers});
  const auto alone = propose(volunteers_only, eligible);
  EXPECT_TRUE(alone.lines.empty());
  ASSERT_EQ(alone.gaps.size(), 1u);
  EXPECT_EQ(alone.gaps[0].reason, GapReason::no_fallback);
  // Not an eligible need: volunteers may meet it on their own.
  const auto wanted = propose(volunteers_only, asking({{kPersonalCare, false}}));
  ASSERT_EQ(wanted.lines.size(), 1u);
  EXPECT_FALSE(wanted.lines[0].chosen.fallback);

  // A commissioned charity is a fallback too; a full council service is not.
  auto commissioned = service(3, kPersonalCare, 1500, ProviderKind::charity);
  commissioned.commissioned = true;
  auto full_council = council;
  full_council.spare_places = 0;
  Catalogue commissioned_only({volunteers, commissioned});
  EXPECT_EQ(propose(commissioned_only, eligible).lines.at(0).chosen.fallback, 3u);
  Catalogue full_only({volunteers, full_council});
  EXPECT_EQ(propose(full_only, eligible).gaps.at(0).reason, GapReason::no_fallback);
}

TEST(Compose, FamilyAndNeighboursAreOptionsToo) {
  Catalogue catalogue({service(1, kFood, 1200)});
  auto request = asking({{kFood, false}});
  Option daughter;
  daughter.id = 900'001;
  daughter.kind = ProviderKind::informal;
  daughter.needs = {kFood};
  daughter.sessions = {kSaturdayEvening};
  request.own_options = {daughter};
  const auto plan = propose(catalogue, request);
  ASSERT_EQ(plan.lines.size(), 1u);
  EXPECT_EQ(plan.lines[0].chosen.option->id, 900'001u);
  EXPECT_EQ(explain(plan.lines[0].chosen, request.person), "Saturday evening; someone you know; free");
  EXPECT_EQ(ids(plan.ranked[0]), (std::vector<std::uint32_t>{900'001, 1}));
}

TEST(Compose, TheSameRequestGivesTheSamePlanWhateverTheCatalogueOrder) {
  std::vector<Option> options;
  for (std::uint32_t i = 0; i < 40; ++i) {
    auto o = service(100 + i, static_cast<NeedId>(i % 3), 100.0 + 37.0 * (i % 7));
    o.cost_per_session = core::Pence{100 * (i % 4)};
    options.push_back(o);
  }
  auto reversed = options;
  std::reverse(reversed.begin(), reversed.end());
  Catalogue a(options), b(reversed);
  const auto request = asking({{0, true}, {1, false}, {2, false}});
  const auto pa = propose(a, request), pb = propose(b, request);
  ASSERT_EQ(pa.lines.size(), pb.lines.size());
  for (std::size_t i = 0; i < pa.lines.size(); ++i) {
    EXPECT_EQ(pa.lines[i].chosen.option->id, pb.lines[i].chosen.option->id);
    EXPECT_EQ(pa.lines[i].chosen.session, pb.lines[i].chosen.session);
  }
  EXPECT_EQ(pa.value, pb.value);
}

TEST(Request, WeightsOverAHundredDuplicateNeedsAndNegativeBudgetsAreRefused) {
  Catalogue catalogue({});
  auto request = asking({{kFood, false}, {kFood, true}});
  request.weights.community = 50;
  request.person.budget_per_week = core::Pence{-1};
  EXPECT_EQ(request_problems(request), (std::vector<std::string>{"weights", "needs", "budget"}));
  EXPECT_THROW((void)propose(catalogue, request), std::invalid_argument);
  EXPECT_TRUE(request_problems(asking({{kFood, false}})).empty());
}

}  // namespace
}  // namespace bespoke::plans
