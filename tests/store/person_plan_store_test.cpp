// A person's own record and their care and support plans in the store
// (0007_person_and_plans.sql; store/person_store.h, store/plan_store.h), on
// both drivers: what is saved reads back as it was, plan versions are never
// overwritten and a stale save writes nothing, agreement and sign-off happen
// once each on the latest version, and every change is on the person's audit
// trail.
#include "store/person_store.h"

#include "store/accounts_store.h"
#include "store/audit_store.h"
#include "store/migrations.h"
#include "store/personal_data.h"
#include "store/plan_store.h"

// GCC 12 at -O3 reports a false -Wrestrict inside test_databases.h's
// with_database (std::string operator+ inlined); the header is shared.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wrestrict"
#include "store/test_databases.h"
#pragma GCC diagnostic pop

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <string>
#include <variant>
#include <vector>

namespace bespoke::store {
namespace {

using namespace std::chrono;
using accounts::Role;
using testing::BothDrivers;

const core::Timestamp kT0 = sys_days{2026y / March / 1} + 10h;

// The part of a town that residents need (0001_town.sql): a town, a
// neighbourhood and a household, written directly; far quicker than
// generating a demo town for each test.
void write_place(Connection& db) {
  db.execute_script(
      "INSERT INTO town (id, public_id, name, latitude, longitude) VALUES "
      "(1, 'town-1', 'Testbury', 52.5, -1.9);"
      "INSERT INTO neighbourhood (id, public_id, town_id, code, name, latitude, longitude, deprivation_decile) VALUES "
      "(1, 'nbh-1', 1, 'E01000001', 'Riverside', 52.5, -1.9, 3);"
      "INSERT INTO household (id, public_id, neighbourhood_id, household_type, size, tenure, latitude, longitude) "
      "VALUES (1, 'hh-1', 1, 'one_person', 1, 'social_rent', 52.5, -1.9);");
}

// A resident row; their id.
std::int64_t write_resident(Connection& db, std::int64_t id, std::string public_id, std::string language,
                            bool speaks_english, std::string faith) {
  const std::array<Value, 5> p{id, std::move(public_id), std::move(language), std::int64_t{speaks_english ? 1 : 0},
                               std::move(faith)};
  db.execute(
      "INSERT INTO resident (id, public_id, household_id, neighbourhood_id, given_name, family_name, sex, birth_date, "
      "main_language, speaks_english, faith) VALUES ($1, $2, 1, 1, 'Ann', 'Example', 'female', '1950-04-02', $3, $4, "
      "$5)",
      p);
  return id;
}

class PersonPlanStore : public BothDrivers {
 protected:
  void SetUp() override {
    BothDrivers::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto& c = migrated_db();
    write_place(c);
    ann_ = write_resident(c, 101, "res-ann", "pl", true, "not_stated");
    bob_ = write_resident(c, 102, "res-bob", "en", true, "muslim");
    ann_account_ = account("ann@example.org", {{Role::resident, ""}}, ann_);
    bob_account_ = account("bob@example.org", {{Role::resident, ""}}, bob_);
    coordinator_ = account("cara@example.org", {{Role::coordinator, ""}}, 0);
    self_ = {ann_account_, "self"};
    coordinating_ = {coordinator_, "coordinator"};
  }

  std::int64_t account(std::string email, std::vector<RoleGrant> roles, std::int64_t resident_id) {
    NewAccount a;
    a.display_name = "Name of " + email;
    a.email = std::move(email);
    a.password_hash = "$argon2id$stand-in";
    a.resident_id = resident_id;
    a.roles = std::move(roles);
    auto made = create_account(db(), a, kT0);
    if (!made) {
      ADD_FAILURE() << "create_account(" << a.email << "): " << made.error().message;
      return 0;
    }
    return made->id;
  }

  std::int64_t count(std::string_view table, std::string_view where = "1 = 1") {
    return db().query("SELECT COUNT(*) FROM " + std::string(table) + " WHERE " + std::string(where)).front().integer(0);
  }

  // The actions of the audit events about Ann, oldest first.
  std::vector<std::string> ann_trail() {
    std::vector<std::string> out;
    for (const auto& e : audit_events_about(db(), ann_account_, ann_, 1000)) out.push_back(e.action);
    std::reverse(out.begin(), out.end());
    return out;
  }

  // A plan's content with a line of each kind, a gap and two participants.
  static careplan::Content content(std::string advice) {
    careplan::Content c;
    c.lines.push_back({"loneliness", "Loneliness", false, careplan::Source::service, "svc-1", "Befriending",
                       "Riverside Hub", "Tuesday 10:00-12:00", core::Pence{0}, false, "", "",
                       "Near you, on Tuesdays"});
    c.lines.push_back({"meals", "Help with meals", true, careplan::Source::informal, "helper-1", "Jo", "daughter",
                       "arranged to suit", core::Pence{0}, true, "svc-2", "Meals at home", "Jo helps already"});
    c.lines.push_back({"shopping", "Shopping", false, careplan::Source::own_idea, "", "Online shopping",
                       "Arranged by the person", "arranged to suit you", core::Pence{350}, true, "", "",
                       "Your own idea"});
    c.gaps.push_back({"transport", "Transport", true, "Nothing near enough"});
    c.budget_weekly = core::Pence{12'000};
    c.person_contribution = core::Pence{2'000};
    c.budget_management = "direct_payment";
    c.direct_payment_weekly = core::Pence{5'000};
    c.direct_payment_needs = "Shopping";
    c.advice_meeting = std::move(advice);
    c.advice_preventing = "Keep walking each day";
    c.participants = {{"Ann Example", "the person"}, {"Jo Example", "daughter"}};
    c.advocate_present = true;
    c.advocate_name = "Sam Advocate";
    return c;
  }

  std::int64_t ann_ = 0, bob_ = 0, ann_account_ = 0, bob_account_ = 0, coordinator_ = 0;
  Actor self_, coordinating_;
};

// ---------------------------------------------------------------- profile

TEST_P(PersonPlanStore, AProfileNobodyWroteStartsFromTheRecord) {
  const auto ann = read_profile(db(), ann_);
  EXPECT_FALSE(ann.about_me_at.has_value());
  EXPECT_FALSE(ann.what_matters_at.has_value());
  EXPECT_EQ(ann.about, person::AboutMe{});
  EXPECT_EQ(ann.matters.languages, (std::vector<std::string>{"pl", "en"})) << "main language first, then English";
  EXPECT_EQ(ann.matters.faith, "") << "not stated is not a faith";
  EXPECT_EQ(ann.matters.travel, plans::TravelMode::walk);
  EXPECT_EQ(ann.matters.travel_minutes, 20);
  const auto bob = read_profile(db(), bob_);
  EXPECT_EQ(bob.matters.languages, std::vector<std::string>{"en"});
  EXPECT_EQ(bob.matters.faith, "muslim");
  EXPECT_EQ(count("person_profile"), 0) << "reading writes nothing";
}

TEST_P(PersonPlanStore, AboutMeAndWhatMattersReadBackAsSaved) {
  const person::AboutMe about{"Annie", "I use a hearing aid; please face me", "My daughter Jo", "Gardening in the sun",
                              "Appointments after 10am"};
  save_about_me(db(), ann_, about, self_, kT0);
  auto profile = read_profile(db(), ann_);
  EXPECT_EQ(profile.about, about);
  EXPECT_EQ(profile.about_me_at, core::to_iso8601(kT0));
  EXPECT_FALSE(profile.what_matters_at.has_value()) << "what matters is still the record's defaults";
  EXPECT_EQ(profile.matters.languages, (std::vector<std::string>{"pl", "en"}));

  person::WhatMatters m;
  m.languages = {"pl"};
  m.faith = "christian";
  m.carer_gender = plans::CarerGender::female;
  m.times = {"1:morning", "3:afternoon"};
  m.travel = plans::TravelMode::bus;
  m.travel_minutes = 35;
  m.interests = {"gardening", "music"};
  m.communication = {"large_print"};
  m.ruled_out_kinds = {"private_company"};
  m.food = "No pork";
  m.pets = "A cat, Tom";
  m.anything_else = "Żółć: Polish letters kept";
  save_what_matters(db(), ann_, m, self_, kT0 + 1h);
  profile = read_profile(db(), ann_);
  EXPECT_EQ(profile.matters, m);
  EXPECT_EQ(profile.what_matters_at, core::to_iso8601(kT0 + 1h));
  EXPECT_EQ(profile.about, about) << "saving what matters keeps About me";

  // Saved again, with nothing ticked: empty lists stay empty, not the defaults.
  person::WhatMatters none;
  none.travel = plans::TravelMode::none;
  none.travel_minutes = 0;
  save_what_matters(db(), ann_, none, self_, kT0 + 2h);
  EXPECT_EQ(read_profile(db(), ann_).matters, none);
  EXPECT_EQ(count("person_profile"), 1);
  EXPECT_EQ(read_profile(db(), bob_).matters.faith, "muslim") << "one person's profile only";
}

// ---------------------------------------------------------------- goals and helpers

TEST_P(PersonPlanStore, GoalsAreAddedInOrderAndRemovedOnlyByTheirPerson) {
  add_goal(db(), ann_, {"", "To get to my grandson's football", "I have been to three matches", "transport", false},
           self_, kT0);
  add_goal(db(), ann_, {"", "To cook again", "I make Sunday lunch", "", false}, self_, kT0 + 1min);
  auto goals = goals_of(db(), ann_);
  ASSERT_EQ(goals.size(), 2u);
  EXPECT_EQ(goals[0].hope, "To get to my grandson's football");
  EXPECT_EQ(goals[0].how_we_know, "I have been to three matches");
  EXPECT_EQ(goals[0].need_code, "transport");
  EXPECT_FALSE(goals[0].achieved);
  EXPECT_EQ(goals[0].public_id.size(), 36u) << "a UUID is given";
  EXPECT_NE(goals[0].public_id, goals[1].public_id);
  EXPECT_EQ(goals[1].hope, "To cook again");
  EXPECT_TRUE(goals_of(db(), bob_).empty());

  EXPECT_FALSE(remove_goal(db(), bob_, goals[0].public_id, {bob_account_, "self"}, kT0 + 2min))
      << "Bob cannot remove Ann's goal";
  EXPECT_FALSE(remove_goal(db(), ann_, "no-such-goal", self_, kT0 + 2min));
  EXPECT_EQ(goals_of(db(), ann_).size(), 2u);
  EXPECT_TRUE(remove_goal(db(), ann_, goals[0].public_id, self_, kT0 + 3min));
  goals = goals_of(db(), ann_);
  ASSERT_EQ(goals.size(), 1u);
  EXPECT_EQ(goals[0].hope, "To cook again");
  EXPECT_FALSE(remove_goal(db(), ann_, "", self_, kT0 + 4min));
  EXPECT_EQ(ann_trail(), (std::vector<std::string>{"add_goal", "add_goal", "remove_goal"}))
      << "refused removals write nothing";
}

TEST_P(PersonPlanStore, HelpersAreAddedAndRemovedOnlyByTheirPerson) {
  add_helper(db(), ann_, {"", "Jo Example", "daughter", {"meals", "shopping"}, {"5:morning"}, "07700 900123"},
             self_, kT0);
  add_helper(db(), ann_, {"", "Pat", "neighbour", {"transport"}, {}, ""}, self_, kT0 + 1min);
  auto helpers = helpers_of(db(), ann_);
  ASSERT_EQ(helpers.size(), 2u);
  EXPECT_EQ(helpers[0].name, "Jo Example");
  EXPECT_EQ(helpers[0].relationship, "daughter");
  EXPECT_EQ(helpers[0].helps_with, (std::vector<std::string>{"meals", "shopping"}));
  EXPECT_EQ(helpers[0].times, std::vector<std::string>{"5:morning"});
  EXPECT_EQ(helpers[0].contact, "07700 900123");
  EXPECT_EQ(helpers[1].name, "Pat");
  EXPECT_TRUE(helpers[1].times.empty());
  EXPECT_TRUE(helpers_of(db(), bob_).empty());

  EXPECT_FALSE(remove_helper(db(), bob_, helpers[0].public_id, {bob_account_, "self"}, kT0 + 2min));
  EXPECT_FALSE(remove_helper(db(), ann_, "no-such-helper", self_, kT0 + 2min));
  EXPECT_EQ(helpers_of(db(), ann_).size(), 2u);
  EXPECT_TRUE(remove_helper(db(), ann_, helpers[1].public_id, self_, kT0 + 3min));
  EXPECT_FALSE(remove_helper(db(), ann_, helpers[1].public_id, self_, kT0 + 4min)) << "already removed";
  helpers = helpers_of(db(), ann_);
  ASSERT_EQ(helpers.size(), 1u);
  EXPECT_EQ(helpers[0].name, "Jo Example");
  EXPECT_EQ(ann_trail(), (std::vector<std::string>{"add_helper", "add_helper", "remove_helper"}));
}

// ---------------------------------------------------------------- assessment and budget

TEST_P(PersonPlanStore, TheLatestAssessmentReadsBackWithItsDecision) {
  EXPECT_FALSE(latest_assessment(db(), ann_).has_value());
  person::Assessment first;
  first.from_impairment = false;
  first.impairment_notes = "None found";
  person::Decision refused{false, {"The needs do not arise from an impairment or illness."}};
  record_assessment(db(), ann_, first, refused, coordinating_, kT0);

  person::Assessment a;
  a.from_impairment = true;
  a.impairment_notes = "Arthritis in both hands";
  a.outcomes[0] = {static_cast<std::uint8_t>(person::UnableTest::without_assistance), "Cannot open tins"};
  a.outcomes[1] = {static_cast<std::uint8_t>(static_cast<unsigned>(person::UnableTest::pain_or_distress) |
                                             static_cast<unsigned>(person::UnableTest::takes_much_longer)),
                   "Washing takes an hour, in pain"};
  a.significant_impact = true;
  a.wellbeing_notes = "Low mood, missing meals";
  a.fluctuating = true;
  a.fluctuating_notes = "Worse in winter; judged over three months";
  a.eligible_needs = {"meals", "hygiene"};
  const person::Decision eligible{true, {"The needs arise from an impairment.", "Two outcomes cannot be achieved.",
                                         "There is a significant impact on wellbeing."}};
  record_assessment(db(), ann_, a, eligible, coordinating_, kT0 + 24h);

  const auto latest = latest_assessment(db(), ann_);
  ASSERT_TRUE(latest.has_value());
  const auto& got = latest->assessment;
  EXPECT_TRUE(got.from_impairment);
  EXPECT_EQ(got.impairment_notes, "Arthritis in both hands");
  EXPECT_EQ(got.outcomes[0].tests, a.outcomes[0].tests);
  EXPECT_EQ(got.outcomes[0].why, "Cannot open tins");
  EXPECT_EQ(got.outcomes[1].tests, a.outcomes[1].tests);
  EXPECT_EQ(got.outcomes[1].why, "Washing takes an hour, in pain");
  for (std::size_t i = 2; i < person::kOutcomes.size(); ++i)
    EXPECT_FALSE(got.outcomes[i].unable()) << person::kOutcomes[i].code;
  EXPECT_TRUE(got.significant_impact);
  EXPECT_EQ(got.wellbeing_notes, "Low mood, missing meals");
  EXPECT_TRUE(got.fluctuating);
  EXPECT_EQ(got.fluctuating_notes, "Worse in winter; judged over three months");
  EXPECT_EQ(got.eligible_needs, (std::vector<std::string>{"hygiene", "meals"})) << "by code";
  EXPECT_EQ(got.assessed_by, "Name of cara@example.org");
  EXPECT_EQ(got.assessed_at, core::to_iso8601(kT0 + 24h));
  EXPECT_TRUE(latest->decision.eligible);
  EXPECT_EQ(latest->decision.reasons, eligible.reasons);
  EXPECT_EQ(count("care_assessment"), 2) << "the earlier assessment stays";
  EXPECT_FALSE(latest_assessment(db(), bob_).has_value());
  EXPECT_EQ(ann_trail(), (std::vector<std::string>{"record_assessment", "record_assessment"}));
}

TEST_P(PersonPlanStore, TheLatestBudgetIsTheOneInForce) {
  EXPECT_FALSE(latest_budget(db(), ann_).has_value());
  set_budget(db(), ann_, {core::Pence{10'000}, core::Pence{1'000}, person::BudgetManagement::council_managed, {}},
             coordinating_, kT0);
  set_budget(db(), ann_,
             {core::Pence{12'000}, core::Pence{2'000}, person::BudgetManagement::direct_payment, core::Pence{5'000}},
             coordinating_, kT0 + 1h);
  const auto budget = latest_budget(db(), ann_);
  ASSERT_TRUE(budget.has_value());
  EXPECT_EQ(budget->budget.weekly, core::Pence{12'000});
  EXPECT_EQ(budget->budget.person_contribution, core::Pence{2'000});
  EXPECT_EQ(budget->budget.council_contribution(), core::Pence{10'000});
  EXPECT_EQ(budget->budget.management, person::BudgetManagement::direct_payment);
  EXPECT_EQ(budget->budget.direct_payment, core::Pence{5'000});
  EXPECT_EQ(budget->set_by, "Name of cara@example.org");
  EXPECT_EQ(budget->set_at, core::to_iso8601(kT0 + 1h));
  EXPECT_EQ(count("personal_budget"), 2);
  EXPECT_FALSE(latest_budget(db(), bob_).has_value());
  EXPECT_EQ(ann_trail(), (std::vector<std::string>{"set_budget", "set_budget"}));
}

// ---------------------------------------------------------------- plan versions

TEST_P(PersonPlanStore, VersionsAreNumberedFromOneAndAStaleSaveWritesNothing) {
  EXPECT_FALSE(latest_plan(db(), ann_).has_value());
  EXPECT_TRUE(plan_history(db(), ann_).empty());
  // A save from a version the person never had is stale with nothing to show: nothing written, no crash.
  const auto none = save_plan_version(db(), ann_, 3, content("From nowhere"), self_, kT0);
  ASSERT_TRUE(std::holds_alternative<StaleVersion>(none));
  EXPECT_FALSE(std::get<StaleVersion>(none).latest.has_value());
  EXPECT_TRUE(plan_history(db(), ann_).empty());

  const auto one = save_plan_version(db(), ann_, 0, content("First advice"), self_, kT0);
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(one));
  EXPECT_EQ(std::get<std::int64_t>(one), 1);
  const auto two = save_plan_version(db(), ann_, 1, content("Second advice"), coordinating_, kT0 + 1h);
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(two));
  EXPECT_EQ(std::get<std::int64_t>(two), 2);

  // A third editor who started from version 1 is told of version 2; nothing of theirs is written.
  const auto events = count("audit_event");
  const auto stale = save_plan_version(db(), ann_, 1, content("Stale advice"), self_, kT0 + 2h);
  ASSERT_TRUE(std::holds_alternative<StaleVersion>(stale));
  const auto& latest_then = std::get<StaleVersion>(stale).latest;
  ASSERT_TRUE(latest_then.has_value());
  EXPECT_EQ(latest_then->version, 2);
  EXPECT_EQ(latest_then->content.advice_meeting, "Second advice");
  EXPECT_EQ(latest_then->created_by, "Name of cara@example.org");
  EXPECT_EQ(count("plan_version"), 2);
  EXPECT_EQ(count("plan_version", "advice_meeting = 'Stale advice'"), 0);
  EXPECT_EQ(count("audit_event"), events) << "a refused save is not a change";
  EXPECT_EQ(latest_plan(db(), ann_)->content.advice_meeting, "Second advice");
  // Starting from nothing when there is a plan is stale too.
  EXPECT_TRUE(std::holds_alternative<StaleVersion>(save_plan_version(db(), ann_, 0, content("x"), self_, kT0 + 3h)));

  // Another person's plan is numbered on its own.
  const auto bobs = save_plan_version(db(), bob_, 0, content("Bob's"), {bob_account_, "self"}, kT0);
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(bobs));
  EXPECT_EQ(std::get<std::int64_t>(bobs), 1);
  EXPECT_EQ(latest_plan(db(), ann_)->version, 2);
}

TEST_P(PersonPlanStore, AVersionReadsBackWithItsLinesGapsAndParticipants) {
  const auto saved = content("Talk to the day centre about transport");
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(save_plan_version(db(), ann_, 0, saved, self_, kT0)));
  const auto v = plan_version(db(), ann_, 1);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->version, 1);
  EXPECT_EQ(v->content, saved) << "everything the version holds, in order";
  EXPECT_EQ(v->content.lines.at(1).source, careplan::Source::informal);
  EXPECT_EQ(v->content.lines.at(2).source, careplan::Source::own_idea);
  EXPECT_EQ(v->content.weekly_cost(), core::Pence{350});
  EXPECT_EQ(v->created_at, core::to_iso8601(kT0));
  EXPECT_EQ(v->created_by, "Name of ann@example.org");
  EXPECT_EQ(v->created_by_role, "self");
  EXPECT_FALSE(v->agreed.has_value());
  EXPECT_FALSE(v->signed_off.has_value());
  EXPECT_FALSE(plan_version(db(), ann_, 2).has_value());
  EXPECT_FALSE(plan_version(db(), bob_, 1).has_value()) << "Ann's version 1 is not Bob's";

  // A default plan, written by Bespoke itself (no account).
  auto proposed = content("Proposed");
  proposed.kind = careplan::Kind::default_plan;
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(save_plan_version(db(), ann_, 1, proposed, {0, "system"}, kT0 + 1h)));
  const auto latest = latest_plan(db(), ann_);
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->version, 2);
  EXPECT_EQ(latest->content.kind, careplan::Kind::default_plan);
  EXPECT_EQ(latest->created_by, "Bespoke");

  // An empty plan is a plan too.
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(
      save_plan_version(db(), ann_, 2, careplan::Content{}, self_, kT0 + 2h)));
  EXPECT_EQ(latest_plan(db(), ann_)->content, careplan::Content{});
}

TEST_P(PersonPlanStore, OnlyTheLatestVersionIsAgreedAndOnlyOnce) {
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(save_plan_version(db(), ann_, 0, content("One"), self_, kT0)));
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(save_plan_version(db(), ann_, 1, content("Two"), self_, kT0 + 1h)));

  EXPECT_EQ(sign_off_plan(db(), ann_, 2, coordinating_, kT0 + 2h), DecisionOutcome::not_agreed)
      << "the council signs off only what the person agreed";
  EXPECT_EQ(agree_plan(db(), ann_, 1, self_, false, kT0 + 2h), DecisionOutcome::not_latest);
  EXPECT_EQ(agree_plan(db(), ann_, 3, self_, false, kT0 + 2h), DecisionOutcome::not_latest);
  EXPECT_EQ(agree_plan(db(), bob_, 1, {bob_account_, "self"}, false, kT0 + 2h), DecisionOutcome::not_latest)
      << "Bob has no plan";
  EXPECT_EQ(count("plan_decision"), 0);

  EXPECT_EQ(agree_plan(db(), ann_, 2, self_, false, kT0 + 3h), DecisionOutcome::done);
  EXPECT_EQ(agree_plan(db(), ann_, 2, self_, false, kT0 + 4h), DecisionOutcome::already);
  auto v = latest_plan(db(), ann_);
  ASSERT_TRUE(v.has_value());
  ASSERT_TRUE(v->agreed.has_value());
  EXPECT_EQ(v->agreed->by, "Name of ann@example.org");
  EXPECT_EQ(v->agreed->role, "self");
  EXPECT_TRUE(v->agreed->person_present) << "the person agreeing is there";
  EXPECT_EQ(v->agreed->at, core::to_iso8601(kT0 + 3h));
  EXPECT_FALSE(v->signed_off.has_value());
  EXPECT_FALSE(plan_version(db(), ann_, 1)->agreed.has_value());

  EXPECT_EQ(sign_off_plan(db(), ann_, 1, coordinating_, kT0 + 5h), DecisionOutcome::not_latest);
  EXPECT_EQ(sign_off_plan(db(), ann_, 2, coordinating_, kT0 + 5h), DecisionOutcome::done);
  EXPECT_EQ(sign_off_plan(db(), ann_, 2, coordinating_, kT0 + 6h), DecisionOutcome::already);
  v = latest_plan(db(), ann_);
  ASSERT_TRUE(v->signed_off.has_value());
  EXPECT_EQ(v->signed_off->by, "Name of cara@example.org");
  EXPECT_EQ(v->signed_off->role, "coordinator");
  EXPECT_FALSE(v->signed_off->person_present);
  EXPECT_EQ(v->signed_off->at, core::to_iso8601(kT0 + 5h));
  EXPECT_EQ(count("plan_decision"), 2);

  // A new version needs agreeing again.
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(save_plan_version(db(), ann_, 2, content("Three"), self_, kT0 + 7h)));
  EXPECT_EQ(sign_off_plan(db(), ann_, 3, coordinating_, kT0 + 8h), DecisionOutcome::not_agreed);
  EXPECT_EQ(agree_plan(db(), ann_, 2, self_, false, kT0 + 8h), DecisionOutcome::not_latest);
}

TEST_P(PersonPlanStore, ACoordinatorRecordsTheAgreementWithWhetherThePersonWasThere) {
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(save_plan_version(db(), ann_, 0, content("One"), coordinating_, kT0)));
  EXPECT_EQ(agree_plan(db(), ann_, 1, coordinating_, true, kT0 + 1h), DecisionOutcome::done);
  const auto v = latest_plan(db(), ann_);
  ASSERT_TRUE(v->agreed.has_value());
  EXPECT_EQ(v->agreed->role, "coordinator");
  EXPECT_TRUE(v->agreed->person_present);

  ASSERT_TRUE(std::holds_alternative<std::int64_t>(save_plan_version(db(), bob_, 0, content("B"), coordinating_, kT0)));
  EXPECT_EQ(agree_plan(db(), bob_, 1, {bob_account_, "delegate"}, false, kT0 + 1h), DecisionOutcome::done);
  EXPECT_FALSE(latest_plan(db(), bob_)->agreed->person_present) << "a delegate agreeing is not the person there";
}

TEST_P(PersonPlanStore, HistoryListsEveryVersionNewestFirstWithItsDecisions) {
  for (std::int64_t n = 0; n < 3; ++n)
    ASSERT_TRUE(std::holds_alternative<std::int64_t>(
        save_plan_version(db(), ann_, n, content("Advice " + std::to_string(n + 1)), self_, kT0 + hours(n))));
  ASSERT_EQ(agree_plan(db(), ann_, 3, self_, false, kT0 + 5h), DecisionOutcome::done);
  const auto history = plan_history(db(), ann_);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].version, 3);
  EXPECT_EQ(history[1].version, 2);
  EXPECT_EQ(history[2].version, 1);
  EXPECT_EQ(history[0].content.advice_meeting, "Advice 3");
  EXPECT_EQ(history[2].content.advice_meeting, "Advice 1");
  EXPECT_TRUE(history[0].agreed.has_value());
  EXPECT_FALSE(history[1].agreed.has_value());
  EXPECT_TRUE(history[0].content.lines.empty()) << "without their lines";
  EXPECT_EQ(history[2].created_at, core::to_iso8601(kT0));
  EXPECT_TRUE(plan_history(db(), bob_).empty());
}

// ---------------------------------------------------------------- the audit trail

TEST_P(PersonPlanStore, EveryChangeIsOnThePersonsAuditTrail) {
  save_about_me(db(), ann_, {"Annie", "", "", "", ""}, self_, kT0);
  save_what_matters(db(), ann_, person::WhatMatters{}, self_, kT0 + 1min);
  add_goal(db(), ann_, {"", "To cook again", "Sunday lunch", "", false}, self_, kT0 + 2min);
  const auto goal = goals_of(db(), ann_).at(0).public_id;
  ASSERT_TRUE(remove_goal(db(), ann_, goal, self_, kT0 + 3min));
  add_helper(db(), ann_, {"", "Jo", "daughter", {"meals"}, {}, ""}, self_, kT0 + 4min);
  ASSERT_TRUE(remove_helper(db(), ann_, helpers_of(db(), ann_).at(0).public_id, self_, kT0 + 5min));
  record_assessment(db(), ann_, person::Assessment{}, person::Decision{}, coordinating_, kT0 + 6min);
  set_budget(db(), ann_, {core::Pence{100}, {}, person::BudgetManagement::council_managed, {}}, coordinating_,
             kT0 + 7min);
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(save_plan_version(db(), ann_, 0, content("A"), self_, kT0 + 8min)));
  ASSERT_EQ(agree_plan(db(), ann_, 1, self_, false, kT0 + 9min), DecisionOutcome::done);
  ASSERT_EQ(sign_off_plan(db(), ann_, 1, coordinating_, kT0 + 10min), DecisionOutcome::done);
  // Refused changes are not on it.
  (void)save_plan_version(db(), ann_, 0, content("stale"), self_, kT0 + 11min);
  (void)agree_plan(db(), ann_, 1, self_, false, kT0 + 11min);
  (void)remove_goal(db(), ann_, goal, self_, kT0 + 11min);

  EXPECT_EQ(ann_trail(), (std::vector<std::string>{"update_about_me", "update_what_matters", "add_goal", "remove_goal",
                                                    "add_helper", "remove_helper", "record_assessment", "set_budget",
                                                    "save_plan", "agree_plan", "sign_off_plan"}));
  const auto events = audit_events_about(db(), ann_account_, ann_, 100);
  for (const auto& e : events) {
    EXPECT_EQ(e.subject_resident_id, ann_) << e.action;
    EXPECT_EQ(e.subject_account_id, ann_account_) << e.action;
    EXPECT_FALSE(e.purpose.empty()) << e.action;
  }
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events[0].actor_account_id, coordinator_) << "sign-off";
  EXPECT_EQ(events[0].actor_role, "coordinator");
  EXPECT_EQ(events[0].record_type, "plan");
  EXPECT_EQ(events[0].record_id, "version 1");
  EXPECT_EQ(events[1].actor_account_id, ann_account_) << "agreement";
  EXPECT_EQ(events[1].actor_role, "self");
  EXPECT_TRUE(audit_events_about(db(), bob_account_, bob_, 100).empty()) << "nothing about Bob";

  // The chain is whole.
  audit::ChainVerifier verifier;
  for_each_audit_event(db(), [&](const audit::Event& e) { verifier.add(e); });
  EXPECT_TRUE(verifier.ok()) << verifier.problem();
}

TEST_P(PersonPlanStore, ADefaultPlanByBespokeIsAuditedAsTheSystem) {
  auto proposed = content("Proposed");
  proposed.kind = careplan::Kind::default_plan;
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(save_plan_version(db(), ann_, 0, proposed, {0, "system"}, kT0)));
  const auto events = audit_events_about(db(), ann_account_, ann_, 10);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].action, "propose_default_plan");
  EXPECT_FALSE(events[0].actor_account_id.has_value());
}

// ---------------------------------------------------------------- the schema

// Every table of 0007 exists and is in the register of personal data (the
// register's coverage of the whole schema is personal_data_test.cpp's).
TEST_P(PersonPlanStore, TheNewTablesAreInTheRegisterOfPersonalData) {
  const auto with = tables_with_personal_data();
  for (const std::string_view table :
       {"person_profile", "person_goal", "informal_helper", "care_assessment", "care_assessment_outcome",
        "care_assessment_need", "personal_budget", "plan_version", "plan_line", "plan_gap", "plan_participant",
        "plan_decision"}) {
    EXPECT_TRUE(db().table_exists(table)) << table;
    EXPECT_NE(std::find(with.begin(), with.end(), table), with.end()) << table;
  }
}

BESPOKE_INSTANTIATE_BOTH_DRIVERS(PersonPlanStore);

}  // namespace
}  // namespace bespoke::store
