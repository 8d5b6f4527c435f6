// The plan document: its cost, the checks before saving and before agreement,
// the comparison of versions in words, and when reviews fall due.
#include "careplan/plan.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace bespoke::careplan {
namespace {

Line service_line(std::string need_code, std::string need_label, std::string ref, std::string title, std::int64_t pence,
                  std::string when = "Tuesday 10:00-12:00") {
  Line l;
  l.need_code = std::move(need_code);
  l.need_label = std::move(need_label);
  l.eligible = true;
  l.source = Source::service;
  l.ref = std::move(ref);
  l.title = std::move(title);
  l.provider = "Riverside Hub";
  l.when = std::move(when);
  l.weekly_cost = core::Pence{pence};
  return l;
}

Line informal_line() {
  Line l;
  l.need_code = "nutrition";
  l.need_label = "Managing and maintaining nutrition";
  l.eligible = true;
  l.source = Source::informal;
  l.ref = "h7";
  l.title = "Sunday lunch with Anne";
  l.provider = "daughter";
  l.when = "Sunday 12:00-14:00";
  l.fallback_ref = "s9";
  l.fallback_title = "Meals at home";
  return l;
}

// A plan the person could agree as it stands.
Content complete() {
  Content c;
  c.lines = {service_line("relationships", "Relationships", "s1", "Befriending", 1500), informal_line()};
  c.gaps = {Gap{"transport", "Using local transport", false, "No service runs near you on Sundays"}};
  c.budget_weekly = core::Pence{5000};
  c.person_contribution = core::Pence{1000};
  c.budget_management = "council_managed";
  c.advice_meeting = "Ask the library about the reading group.";
  c.advice_preventing = "Keep up the walking group to stay strong.";
  c.participants = {{"Mary Jones", "the person"}, {"Anne Jones", "daughter"}};
  return c;
}

std::vector<std::string> fields(const std::vector<core::Error>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

std::vector<std::string> messages(const std::vector<core::Error>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.message);
  return out;
}

// The one problem `content` has (content_problems), with its field and message.
core::Error only_problem(const Content& content) {
  const auto problems = content_problems(content);
  EXPECT_EQ(problems.size(), 1U) << testing::PrintToString(messages(problems));
  return problems.empty() ? core::Error{} : problems.front();
}

// ---- Sources ------------------------------------------------------------------

TEST(Source, NamesRoundTrip) {
  for (const Source s : {Source::service, Source::informal, Source::own_idea}) {
    EXPECT_EQ(parse_source(source_name(s)), s);
  }
  EXPECT_EQ(source_name(Source::own_idea), "own_idea");
  EXPECT_EQ(parse_source("informal"), Source::informal);
  EXPECT_EQ(parse_source(""), std::nullopt);
  EXPECT_EQ(parse_source("Service"), std::nullopt);
}

// ---- weekly_cost --------------------------------------------------------------

TEST(WeeklyCost, SumsLinesAndPaysForOneSessionMeetingTwoNeedsOnce) {
  Content c;
  EXPECT_EQ(c.weekly_cost(), core::Pence{0});
  c.lines = {service_line("relationships", "Relationships", "s1", "Lunch club", 800),
             service_line("nutrition", "Nutrition", "s1", "Lunch club", 800),
             service_line("nutrition", "Nutrition", "s2", "Meals at home", 1200)};
  EXPECT_EQ(c.weekly_cost(), core::Pence{2000});
  c.budget_weekly = core::Pence{2500};
  EXPECT_EQ(c.budget_left(), core::Pence{500});
}

TEST(WeeklyCost, ASecondSessionOrAnotherSourceIsPaidAgain) {
  Content c;
  c.lines = {service_line("relationships", "Relationships", "s1", "Lunch club", 800, "Tuesday 12:00-14:00"),
             service_line("nutrition", "Nutrition", "s1", "Lunch club", 800, "Friday 12:00-14:00")};
  EXPECT_EQ(c.weekly_cost(), core::Pence{1600});
  c.lines[1].when = c.lines[0].when;
  c.lines[1].source = Source::informal;  // the same id, but a helper's
  EXPECT_EQ(c.weekly_cost(), core::Pence{1600});
}

TEST(WeeklyCost, OwnIdeasAlwaysCount) {
  Content c;
  Line idea;
  idea.source = Source::own_idea;
  idea.title = "Taxi to the market";
  idea.when = "arranged to suit";
  idea.weekly_cost = core::Pence{600};
  c.lines = {idea, idea};
  c.lines[1].title = "Taxi to church";
  EXPECT_EQ(c.weekly_cost(), core::Pence{1200});
}

// ---- content_problems ---------------------------------------------------------

TEST(ContentProblems, NoneForACompletePlanOrAnEmptyDraft) {
  EXPECT_TRUE(content_problems(complete()).empty());
  EXPECT_TRUE(content_problems(Content{}).empty());
}

TEST(ContentProblems, CostOverTheBudget) {
  auto c = complete();
  c.budget_weekly = core::Pence{1000};
  c.person_contribution = core::Pence{0};
  const auto e = only_problem(c);
  EXPECT_EQ(e.code, core::ErrorCode::invalid);
  EXPECT_EQ(e.field, "budget");
  EXPECT_EQ(e.message, "The plan costs £15.00 a week, £5.00 more than the budget of £10.00");

  c.budget_weekly = core::Pence{1500};  // exactly the cost
  EXPECT_TRUE(content_problems(c).empty());
}

TEST(ContentProblems, SharedSessionIsNotCountedTwiceAgainstTheBudget) {
  auto c = complete();
  c.lines.push_back(service_line("activities", "Local facilities", "s1", "Befriending", 1500));
  c.budget_weekly = core::Pence{1500};
  c.person_contribution = core::Pence{0};
  EXPECT_TRUE(content_problems(c).empty());
}

TEST(ContentProblems, ContributionAndNegativeAmounts) {
  auto c = complete();
  c.person_contribution = core::Pence{6000};
  auto e = only_problem(c);
  EXPECT_EQ(e.field, "budget");
  EXPECT_EQ(e.message, "The person's contribution of £60.00 a week is more than the budget of £50.00");

  c = complete();
  c.person_contribution = core::Pence{-1};
  e = only_problem(c);
  EXPECT_EQ(e.field, "budget");
  EXPECT_EQ(e.message, "The person's contribution cannot be negative");

  c = Content{};
  c.budget_weekly = core::Pence{-100};
  e = only_problem(c);
  EXPECT_EQ(e.field, "budget");
  EXPECT_EQ(e.message, "The budget cannot be negative");
}

TEST(ContentProblems, LineWithoutTitleNeedOrWithNegativeCost) {
  auto c = complete();
  c.lines[1].title = " ";
  c.lines[0].need_code.clear();
  c.lines[0].weekly_cost = core::Pence{-5};
  const auto problems = content_problems(c);
  EXPECT_EQ(fields(problems), (std::vector<std::string>{"lines", "lines", "lines"}));
  EXPECT_EQ(messages(problems),
            (std::vector<std::string>{"Support line 1 does not say which need it meets",
                                      "Support line 1 has a negative cost", "Support line 2 has no title"}));
}

TEST(ContentProblems, InformalHelpWithAnEligibleNeedNeedsAFallback) {
  auto c = complete();
  c.lines[1].fallback_ref.clear();
  const auto e = only_problem(c);
  EXPECT_EQ(e.field, "fallback");
  EXPECT_EQ(e.message,
            "Sunday lunch with Anne meets an eligible need, so the plan must name a council or commissioned service to "
            "fall back on");

  c.lines[1].eligible = false;  // not an eligible need: no fallback needed
  EXPECT_TRUE(content_problems(c).empty());
  c.lines[0].fallback_ref.clear();  // a service meets its need itself
  EXPECT_TRUE(content_problems(c).empty());
}

TEST(ContentProblems, AdviceIsLimitedInCharactersNotBytes) {
  auto c = complete();
  std::string pounds;
  for (std::size_t i = 0; i < kMaxAdviceChars; ++i) pounds += "£";  // two bytes each
  c.advice_meeting = pounds;
  c.advice_preventing = std::string(kMaxAdviceChars, 'a');
  EXPECT_TRUE(content_problems(c).empty());

  c.advice_meeting += "£";
  auto e = only_problem(c);
  EXPECT_EQ(e.field, "advice_meeting");
  EXPECT_EQ(e.message, "The advice on meeting or reducing the needs is too long: at most 2,000 characters");

  c = complete();
  c.advice_preventing = std::string(kMaxAdviceChars + 1, 'a');
  e = only_problem(c);
  EXPECT_EQ(e.field, "advice_preventing");
  EXPECT_EQ(e.message, "The advice on preventing or delaying future needs is too long: at most 2,000 characters");
}

TEST(ContentProblems, Participants) {
  auto c = complete();
  c.participants.resize(kMaxParticipants, Participant{"Someone", "friend"});
  EXPECT_TRUE(content_problems(c).empty());
  c.participants.push_back({"One more", "friend"});
  auto e = only_problem(c);
  EXPECT_EQ(e.field, "participants");
  EXPECT_EQ(e.message, "Record at most 12 people who took part in making the plan");

  c = complete();
  c.participants.push_back({"", "social worker"});
  c.participants.push_back({"  ", "advocate"});
  e = only_problem(c);  // one error, however many are unnamed
  EXPECT_EQ(e.field, "participants");
  EXPECT_EQ(e.message, "Give the name of everyone who took part");
}

TEST(ContentProblems, NamesRolesAndTheDirectPaymentNeedsHaveLimits) {
  auto c = complete();
  c.participants.push_back({std::string(kMaxNameChars, 'n'), std::string(kMaxNameChars, 'r')});
  EXPECT_TRUE(content_problems(c).empty()) << "at the limit";
  c.participants.back().role += "r";
  EXPECT_EQ(only_problem(c).field, "participants");
  EXPECT_EQ(only_problem(c).message, "Each name and role must be 120 characters or fewer");

  c = complete();
  c.advocate_present = true;
  c.advocate_name = std::string(kMaxNameChars + 1, 'a');
  EXPECT_EQ(only_problem(c).field, "advocate_name");

  c = complete();
  c.direct_payment_needs = std::string(kMaxAdviceChars + 1, 'd');
  EXPECT_EQ(only_problem(c).field, "direct_payment_needs");
}

TEST(ContentProblems, AdvocatePresentNeedsAName) {
  auto c = complete();
  c.advocate_present = true;
  const auto e = only_problem(c);
  EXPECT_EQ(e.field, "advocate_name");
  EXPECT_EQ(e.message, "Give the advocate's name");
  c.advocate_name = "Sam Patel";
  EXPECT_TRUE(content_problems(c).empty());
}

TEST(ContentProblems, DirectPayment) {
  auto c = complete();
  c.direct_payment_weekly = core::Pence{5000};
  c.direct_payment_needs = "Relationships";
  EXPECT_TRUE(content_problems(c).empty());

  c.direct_payment_weekly = core::Pence{5001};
  auto e = only_problem(c);
  EXPECT_EQ(e.field, "direct_payment");
  EXPECT_EQ(e.message, "The direct payment of £50.01 a week is more than the budget of £50.00");

  c.direct_payment_weekly = core::Pence{-1};
  e = only_problem(c);
  EXPECT_EQ(e.field, "direct_payment");
  EXPECT_EQ(e.message, "The direct payment cannot be negative");

  c.direct_payment_weekly = core::Pence{1000};
  c.direct_payment_needs.clear();
  e = only_problem(c);
  EXPECT_EQ(e.field, "direct_payment_needs");
  EXPECT_EQ(e.message, "Say which needs the direct payment covers");
}

// ---- agreement_problems -------------------------------------------------------

TEST(AgreementProblems, NoneForACompletePlan) { EXPECT_TRUE(agreement_problems(complete()).empty()); }

TEST(AgreementProblems, AnEmptyPlanMissesEveryItem) {
  EXPECT_EQ(messages(agreement_problems(Content{})),
            (std::vector<std::string>{
                "The plan must list the person's needs", "Give advice on meeting or reducing the needs",
                "Give advice on preventing or delaying future needs", "Record who took part in making the plan"}));
  EXPECT_EQ(fields(agreement_problems(Content{})),
            (std::vector<std::string>{"needs", "advice_meeting", "advice_preventing", "participants"}));
}

TEST(AgreementProblems, GapsAloneListTheNeeds) {
  auto c = complete();
  c.lines.clear();
  EXPECT_TRUE(agreement_problems(c).empty());
}

TEST(AgreementProblems, EveryEligibleGapIsAnError) {
  auto c = complete();
  c.gaps.push_back({"hygiene", "Maintaining personal hygiene", true, "No carer has space"});
  c.gaps.push_back({"home", "", true, ""});
  const auto problems = agreement_problems(c);
  EXPECT_EQ(fields(problems), (std::vector<std::string>{"lines", "lines"}));
  EXPECT_EQ(messages(problems),
            (std::vector<std::string>{
                "The council must meet every eligible need: Maintaining personal hygiene has no support yet",
                "The council must meet every eligible need: home has no support yet"}));
}

TEST(AgreementProblems, BudgetMustBeSetWhenAnyNeedIsEligible) {
  auto c = complete();
  c.budget_weekly = core::Pence{0};
  c.person_contribution = core::Pence{0};
  c.lines = {informal_line()};  // free, so within a zero budget
  auto problems = agreement_problems(c);
  EXPECT_EQ(fields(problems), std::vector<std::string>{"budget"});
  EXPECT_EQ(messages(problems), std::vector<std::string>{"Set the personal budget before the plan is agreed"});

  c.lines[0].eligible = false;  // nothing eligible: no budget needed
  EXPECT_TRUE(agreement_problems(c).empty());
  c.gaps[0].eligible = true;  // an eligible gap needs one too (and is itself a problem)
  EXPECT_EQ(fields(agreement_problems(c)), (std::vector<std::string>{"lines", "budget"}));
}

TEST(AgreementProblems, EachMissingItem) {
  auto c = complete();
  c.advice_meeting = "  ";
  EXPECT_EQ(fields(agreement_problems(c)), std::vector<std::string>{"advice_meeting"});

  c = complete();
  c.advice_preventing.clear();
  EXPECT_EQ(fields(agreement_problems(c)), std::vector<std::string>{"advice_preventing"});

  c = complete();
  c.participants.clear();
  EXPECT_EQ(messages(agreement_problems(c)), std::vector<std::string>{"Record who took part in making the plan"});

  c = complete();
  c.direct_payment_weekly = core::Pence{500};  // (7) named once, not twice
  EXPECT_EQ(fields(agreement_problems(c)), std::vector<std::string>{"direct_payment_needs"});
}

TEST(AgreementProblems, IncludeContentProblemsFirst) {
  auto c = complete();
  c.advocate_present = true;
  c.participants.clear();
  EXPECT_EQ(fields(agreement_problems(c)), (std::vector<std::string>{"advocate_name", "participants"}));
}

// ---- compare ------------------------------------------------------------------

TEST(Compare, EmptyWhenEqual) {
  EXPECT_TRUE(compare(complete(), complete()).empty());
  EXPECT_TRUE(compare(Content{}, Content{}).empty());
}

TEST(Compare, LinesAddedRemovedAndChangedInOrder) {
  const auto before = complete();
  auto after = complete();
  after.lines[0].when = "Thursday 10:00-12:00";
  after.lines[0].weekly_cost = core::Pence{1800};
  after.lines.erase(after.lines.begin() + 1);
  after.lines.insert(after.lines.begin(), service_line("nutrition", "Nutrition", "s9", "Meals at home", 1200));
  EXPECT_EQ(
      compare(before, after),
      (std::vector<std::string>{
          "Added: Meals at home for Nutrition (£12.00 a week)",
          "Changed: Befriending for Relationships: Tuesday 10:00-12:00 → Thursday 10:00-12:00, £15.00 → £18.00 a week",
          "Removed: Sunday lunch with Anne for Managing and maintaining nutrition",
      }));
}

TEST(Compare, ChangesOfSourceProviderAndFallback) {
  const auto before = complete();
  auto after = complete();
  after.lines[1].source = Source::service;
  after.lines[1].provider = "Anne's café";
  after.lines[1].fallback_ref.clear();
  after.lines[1].fallback_title.clear();
  after.lines[1].explanation = "The engine's words are not a change";
  EXPECT_EQ(
      compare(before, after),
      std::vector<std::string>{"Changed: Sunday lunch with Anne for Managing and maintaining nutrition: informal "
                               "help → a service, provider daughter → Anne's café, fallback Meals at home → none"});

  after = complete();
  after.lines[0].title = "Befriending by phone";  // the same service, renamed
  after.lines[0].eligible = false;
  EXPECT_EQ(compare(before, after),
            std::vector<std::string>{
                "Changed: Befriending by phone for Relationships: was Befriending, no longer an eligible need"});

  after = complete();
  after.lines[0].explanation = "only the engine's words";
  EXPECT_TRUE(compare(before, after).empty());
}

TEST(Compare, TheSameServiceForAnotherNeedIsAnotherLine) {
  auto before = complete();
  auto after = complete();
  after.lines[0].need_code = "activities";
  after.lines[0].need_label = "Local facilities";
  EXPECT_EQ(compare(before, after), (std::vector<std::string>{"Added: Befriending for Local facilities (£15.00 a week)",
                                                              "Removed: Befriending for Relationships"}));
}

TEST(Compare, OwnIdeasAreKnownByTitle) {
  Line idea;
  idea.need_code = "transport";
  idea.need_label = "Using local transport";
  idea.source = Source::own_idea;
  idea.title = "Taxi to the market";
  idea.when = "Saturdays";
  Content before;
  before.lines = {idea};
  Content after = before;
  after.lines[0].when = "Fridays";
  EXPECT_EQ(compare(before, after),
            std::vector<std::string>{"Changed: Taxi to the market for Using local transport: Saturdays → Fridays"});
  after.lines[0].title = "Bus to the market";
  EXPECT_EQ(compare(before, after),
            (std::vector<std::string>{"Added: Bus to the market for Using local transport (£0.00 a week)",
                                      "Removed: Taxi to the market for Using local transport"}));
}

TEST(Compare, Gaps) {
  const auto before = complete();
  auto after = complete();
  after.gaps.clear();
  after.gaps.push_back({"hygiene", "Maintaining personal hygiene", true, "No carer has space"});
  after.gaps.push_back({"home", "Using the home safely", false, ""});
  EXPECT_EQ(
      compare(before, after),
      (std::vector<std::string>{"Uncovered: Maintaining personal hygiene (No carer has space)",
                                "Uncovered: Using the home safely", "No longer uncovered: Using local transport"}));
  after = complete();
  after.gaps[0].reason = "The person would rather walk";
  EXPECT_EQ(compare(before, after),
            std::vector<std::string>{"Still uncovered: Using local transport (The person would rather walk)"});
}

TEST(Compare, MoneyAdviceAndPeople) {
  const auto before = complete();
  auto after = complete();
  after.budget_weekly = core::Pence{6000};
  after.person_contribution = core::Pence{1250};
  after.budget_management = "direct_payment";
  after.direct_payment_weekly = core::Pence{2000};
  after.direct_payment_needs = "Relationships";
  after.advice_meeting = "New advice";
  after.advice_preventing = "Newer advice";
  after.participants = {{"Mary Jones", "the person"}, {"Priya Shah", "social worker"}};
  after.advocate_present = true;
  after.advocate_name = "Sam Patel";
  EXPECT_EQ(compare(before, after),
            (std::vector<std::string>{
                "Budget: £50.00 → £60.00 a week",
                "The person's contribution: £10.00 → £12.50 a week",
                "How the budget is managed: The council arranges the support → A direct payment to the person",
                "Direct payment: £0.00 → £20.00 a week",
                "Changed which needs the direct payment covers",
                "Changed the advice on meeting needs",
                "Changed the advice on preventing future needs",
                "Took part: Priya Shah (social worker)",
                "No longer listed as taking part: Anne Jones (daughter)",
                "Advocate: none → Sam Patel",
            }));
  EXPECT_EQ(compare(after, before).back(), "Advocate: Sam Patel → none");
}

TEST(Compare, AnAdvocateNameWithoutAnAdvocateIsNoChange) {
  const auto before = complete();
  auto after = complete();
  after.advocate_name = "Left over";
  EXPECT_TRUE(compare(before, after).empty());
}

TEST(Compare, Kind) {
  auto before = complete();
  before.kind = Kind::default_plan;
  EXPECT_EQ(compare(before, complete()), std::vector<std::string>{"Now a plan made with the person"});
}

// ---- Reviews ------------------------------------------------------------------

constexpr std::int32_t kStart = 20'000;

TEST(Review, Labels) {
  EXPECT_EQ(review_kind_label(ReviewKind::first), "First review (6 to 8 weeks)");
  EXPECT_EQ(review_kind_label(ReviewKind::yearly), "Yearly review");
  EXPECT_EQ(review_kind_label(ReviewKind::requested), "Review you asked for");
}

TEST(Review, FirstAtSixToEightWeeks) {
  const auto due = next_review(kStart, std::nullopt, std::nullopt);
  EXPECT_EQ(due.kind, ReviewKind::first);
  EXPECT_EQ(due.earliest, kStart + 42);
  EXPECT_EQ(due.latest, kStart + 56);
}

TEST(Review, YearlyAfterTheLastHeld) {
  const auto due = next_review(kStart, kStart + 50, std::nullopt);
  EXPECT_EQ(due.kind, ReviewKind::yearly);
  EXPECT_EQ(due.earliest, kStart + 50 + 365 - 28);
  EXPECT_EQ(due.latest, kStart + 50 + 365);
}

TEST(Review, ARequestComesFirstWhenSooner) {
  auto due = next_review(kStart, kStart + 50, kStart + 100);
  EXPECT_EQ(due.kind, ReviewKind::requested);
  EXPECT_EQ(due.earliest, kStart + 100);
  EXPECT_EQ(due.latest, kStart + 128);

  // Before the first review: the request is due later than the first review.
  due = next_review(kStart, std::nullopt, kStart + 40);
  EXPECT_EQ(due.kind, ReviewKind::first);
  due = next_review(kStart, std::nullopt, kStart + 10);
  EXPECT_EQ(due.kind, ReviewKind::requested);
  EXPECT_EQ(due.latest, kStart + 38);

  // A tie goes to the request.
  due = next_review(kStart, std::nullopt, kStart + 56 - 28);
  EXPECT_EQ(due.kind, ReviewKind::requested);
}

TEST(Review, ARequestAnsweredByAReviewIsIgnored) {
  EXPECT_EQ(next_review(kStart, kStart + 50, kStart + 50).kind, ReviewKind::yearly);
  EXPECT_EQ(next_review(kStart, kStart + 50, kStart + 20).kind, ReviewKind::yearly);
  EXPECT_EQ(next_review(kStart, kStart + 50, kStart + 51).kind, ReviewKind::requested);
}

TEST(Review, OverdueOnlyAfterTheLatestDay) {
  const auto due = next_review(kStart, std::nullopt, std::nullopt);
  EXPECT_FALSE(overdue(due, kStart));
  EXPECT_FALSE(overdue(due, due.latest));
  EXPECT_TRUE(overdue(due, due.latest + 1));
}

}  // namespace
}  // namespace bespoke::careplan
