// A person's own record and their co-produced care and support plan, against
// the real server on SQLite and PostgreSQL: the person walks the steps from
// About me to agreeing their plan; wrong answers are refused with the reason
// and change nothing; two people editing at once lose nothing; the
// coordinator records the assessment, the budget and the council's sign-off;
// and only the person, their delegate and their coordinator work on a plan.
#include "http/browser_client.h"
#include "http/server_process.h"
#include "http/test_env.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

namespace bespoke::testing {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Every match of the pattern's first group, in order.
std::vector<std::string> all_of(const std::string& html, const std::regex& pattern) {
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), pattern); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1].str());
  return out;
}

// The person's need codes, from the helper form of /plan/{id}/needs.
std::vector<std::string> need_codes(const std::string& needs_page) {
  static const std::regex code(R"re(name="helps_with" type="checkbox" value="([^"]*)")re");
  return all_of(needs_page, code);
}

// The choices the options page has checked (the engine's proposal, or what was
// posted), as the form would send them, with its based_on.
Fields checked_choices(const std::string& options_page) {
  Fields out;
  static const std::regex radio(R"re(name="(need_[0-9]+)" type="radio" value="([^"]*)" checked)re");
  for (auto it = std::sregex_iterator(options_page.begin(), options_page.end(), radio); it != std::sregex_iterator();
       ++it)
    out.emplace_back((*it)[1].str(), (*it)[2].str());
  out.emplace_back("based_on", hidden_input(options_page, "based_on"));
  return out;
}

// How many needs the options page asks about.
std::size_t needs_on(const std::string& options_page) {
  static const std::regex idea(R"re(name="need_[0-9]+" type="radio" value="idea")re");
  return static_cast<std::size_t>(
      std::distance(std::sregex_iterator(options_page.begin(), options_page.end(), idea), std::sregex_iterator()));
}

// Saves the engine's proposal as the next version; the reply.
Reply save_proposal(BrowserClient& client, const std::string& base) {
  const auto page = client.get(base + "/options");
  EXPECT_EQ(page.status, 200);
  return client.post_form(base + "/options", checked_choices(page.body));
}

// The person's own idea for every need (so that each, eligible or not, is met).
Fields own_ideas(const std::string& options_page) {
  Fields out;
  for (std::size_t i = 0; i < needs_on(options_page); ++i) {
    const auto n = std::to_string(i);
    out.emplace_back("need_" + n, "idea");
    out.emplace_back("idea_" + n, "My own arrangement number " + n);
    out.emplace_back("idea_cost_" + n, "5.00");
  }
  out.emplace_back("based_on", hidden_input(options_page, "based_on"));
  return out;
}

const Fields kDetails{{"advice_meeting", "Ask the library about the reading group"},
                      {"advice_preventing", "Keep walking to the shops each day"},
                      {"participants", "Ann Example, the person\nJo Example, daughter"}};

Fields with(Fields fields, const Fields& more) {
  fields.insert(fields.end(), more.begin(), more.end());
  return fields;
}

class Plan : public ::testing::TestWithParam<Backend> {};

TEST_P(Plan, APersonMakesTheirPlanStepByStepAndAgreesIt) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient me(server.port());
  ASSERT_TRUE(me.sign_in("resident1@demo.invalid", kDemoPassword));
  const auto id = my_record_id(me);
  ASSERT_EQ(id.size(), 36u);
  const auto base = "/plan/" + id;
  EXPECT_TRUE(contains(me.get("/my-information").body, "href=\"" + base + "\"")) << "the way in";

  const auto overview = me.get(base);
  ASSERT_EQ(overview.status, 200);
  EXPECT_TRUE(contains(overview.body, "Your support plan"));
  EXPECT_TRUE(contains(overview.body, "Not done yet"));
  EXPECT_TRUE(contains(overview.body, "No personal budget has been set yet"));

  // About me.
  ASSERT_EQ(me.get(base + "/about-me").status, 200);
  const auto about = me.post_form(base + "/about-me", {{"please_call_me", "Annie"},
                                                       {"communication", "I use a hearing aid; please face me"},
                                                       {"important_people", "My daughter Jo"},
                                                       {"good_day", "Gardening in the morning sun"},
                                                       {"adjustments", ""}});
  ASSERT_EQ(about.status, 303);
  EXPECT_EQ(about.header("location"), base + "/what-matters");
  const auto about_page = me.get(base + "/about-me").body;
  EXPECT_TRUE(contains(about_page, "value=\"Annie\""));
  EXPECT_TRUE(contains(about_page, "Gardening in the morning sun"));

  // What matters.
  const auto matters_form = me.get(base + "/what-matters");
  ASSERT_EQ(matters_form.status, 200);
  const auto matters = me.post_form(base + "/what-matters", {{"languages", "en"},
                                                             {"languages", "pl"},
                                                             {"faith", ""},
                                                             {"carer_gender", "female"},
                                                             {"times", "1:morning"},
                                                             {"times", "3:afternoon"},
                                                             {"travel", "bus"},
                                                             {"travel_minutes", "35"},
                                                             {"interests", "gardening"},
                                                             {"food", "No pork, please"}});
  ASSERT_EQ(matters.status, 303) << matters.body.substr(0, 2000);
  EXPECT_EQ(matters.header("location"), base + "/needs");
  const auto matters_page = me.get(base + "/what-matters").body;
  EXPECT_TRUE(contains(matters_page, "value=\"35\""));
  EXPECT_TRUE(contains(matters_page, "No pork, please"));
  EXPECT_TRUE(contains(matters_page, "value=\"gardening\" checked"));
  EXPECT_TRUE(contains(matters_page, "value=\"bus\" checked"));

  // Needs, goals and helpers.
  const auto needs = me.get(base + "/needs");
  ASSERT_EQ(needs.status, 200);
  const auto codes = need_codes(needs.body);
  ASSERT_FALSE(codes.empty()) << "resident1 has needs";
  EXPECT_TRUE(contains(needs.body, "No Care Act assessment has been recorded yet"));
  ASSERT_EQ(me.post_form(base + "/goals", {{"hope", "To get to the football with my grandson"},
                                           {"how_we_know", "I have been to three matches"},
                                           {"need_code", codes.front()}})
                .status,
            303);
  ASSERT_EQ(me.post_form(base + "/goals", {{"hope", "To bake bread again"}, {"how_we_know", "A loaf a week"}}).status,
            303);
  ASSERT_EQ(me.post_form(base + "/helpers",
                         {{"name", "Jo Example"}, {"relationship", "daughter"}, {"helps_with", codes.front()}})
                .status,
            303);
  auto needs_page = me.get(base + "/needs").body;
  EXPECT_TRUE(contains(needs_page, "To get to the football with my grandson"));
  EXPECT_TRUE(contains(needs_page, "I have been to three matches"));
  EXPECT_TRUE(contains(needs_page, "Jo Example (daughter)"));
  static const std::regex goal_remove(R"re(action="([^"]*/goals/[^"]*/remove)")re");
  const auto removes = all_of(needs_page, goal_remove);
  ASSERT_EQ(removes.size(), 2u);
  ASSERT_EQ(me.post_form(removes[1], {}).status, 303);
  EXPECT_EQ(me.post_form(removes[1], {}).status, 404) << "already removed";
  needs_page = me.get(base + "/needs").body;
  EXPECT_FALSE(contains(needs_page, "To bake bread again"));
  EXPECT_TRUE(contains(needs_page, "To get to the football with my grandson"));

  // Options: the engine's proposal, as checked, saved as version 1.
  const auto options = me.get(base + "/options");
  ASSERT_EQ(options.status, 200);
  EXPECT_EQ(hidden_input(options.body, "based_on"), "0");
  EXPECT_EQ(needs_on(options.body), codes.size()) << "one choice per need";
  const auto chosen = me.post_form(base + "/options", checked_choices(options.body));
  ASSERT_EQ(chosen.status, 303) << chosen.body.substr(0, 3000);
  EXPECT_EQ(chosen.header("location"), base + "/my-plan");

  auto mine = me.get(base + "/my-plan");
  ASSERT_EQ(mine.status, 200);
  EXPECT_TRUE(contains(mine.body, "Version 1: <strong>Draft: not agreed yet</strong>"));
  EXPECT_TRUE(contains(mine.body, "Give advice on meeting or reducing the needs")) << "what is missing is listed";
  EXPECT_FALSE(contains(mine.body, "I agree this plan"));
  EXPECT_EQ(hidden_input(mine.body, "based_on"), "1");

  // My plan: the advice and who took part, as version 2; then agreed.
  const auto details = me.post_form(base + "/my-plan", with({{"based_on", "1"}}, kDetails));
  ASSERT_EQ(details.status, 303) << details.body.substr(0, 3000);
  mine = me.get(base + "/my-plan");
  EXPECT_TRUE(contains(mine.body, "Version 2: <strong>Draft: not agreed yet</strong>"));
  EXPECT_TRUE(contains(mine.body, "Ask the library about the reading group"));
  EXPECT_TRUE(contains(mine.body, "Jo Example, daughter"));
  EXPECT_TRUE(contains(mine.body, "I agree this plan"));
  const auto agreed = me.post_form(base + "/agree", {{"version", "2"}});
  ASSERT_EQ(agreed.status, 303) << agreed.body.substr(0, 3000);
  mine = me.get(base + "/my-plan");
  EXPECT_TRUE(contains(mine.body, "Agreed, waiting for the council&apos;s sign-off"));
  EXPECT_TRUE(contains(mine.body, "id=\"agreed\""));
  EXPECT_FALSE(contains(mine.body, "I agree this plan")) << "agreed once";
  EXPECT_FALSE(contains(mine.body, "Sign off for the council")) << "not the person's to give";
  EXPECT_TRUE(contains(me.get(base).body, "Version 2 of the plan"));

  // Every version, with what changed.
  const auto versions = me.get(base + "/versions");
  ASSERT_EQ(versions.status, 200);
  EXPECT_TRUE(contains(versions.body, "id=\"version-2\""));
  EXPECT_TRUE(contains(versions.body, "id=\"version-1\""));
  EXPECT_TRUE(contains(versions.body, "Changed the advice on meeting needs"));
  EXPECT_TRUE(contains(versions.body, "Changed the advice on preventing future needs"));
  EXPECT_TRUE(contains(versions.body, "Took part: Jo Example (daughter)"));
  EXPECT_LT(versions.body.find("id=\"version-2\""), versions.body.find("id=\"version-1\"")) << "newest first";

  // The person's audit trail names each change in words.
  const auto trail = me.get("/my-information/audit").body;
  for (const char* action : {"Changed About me", "Changed what matters to you", "Added a goal", "Removed a goal",
                             "Added someone who helps you", "Saved a new version of your plan",
                             "Recorded that you agree your plan"})
    EXPECT_TRUE(contains(trail, action)) << action;
}

TEST_P(Plan, WrongAnswersAreRefusedWithTheReasonAndChangeNothing) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient me(server.port()), again(server.port());
  ASSERT_TRUE(me.sign_in("resident1@demo.invalid", kDemoPassword));
  const auto base = "/plan/" + my_record_id(me);

  // About me over 2,000 characters.
  me.get(base + "/about-me");
  const auto long_text = me.post_form(base + "/about-me",
                                      {{"please_call_me", "Annie"}, {"communication", std::string(2001, 'a')}});
  EXPECT_EQ(long_text.status, 422);
  EXPECT_TRUE(contains(long_text.body, "govuk-error-summary"));
  EXPECT_TRUE(contains(long_text.body, "href=\"#communication\""));
  EXPECT_TRUE(contains(long_text.body, "value=\"Annie\"")) << "the answers are kept on the page";
  const auto about = me.get(base + "/about-me").body;
  EXPECT_FALSE(contains(about, "Annie")) << "nothing saved";
  EXPECT_FALSE(contains(about, std::string(100, 'a')));

  // What matters: an unknown language; minutes that are not a number.
  me.get(base + "/what-matters");
  const auto language = me.post_form(base + "/what-matters",
                                     {{"languages", "xx"}, {"travel", "walk"}, {"travel_minutes", "20"}});
  EXPECT_EQ(language.status, 422);
  EXPECT_TRUE(contains(language.body, "govuk-error-summary"));
  EXPECT_TRUE(contains(language.body, "href=\"#languages\""));
  const auto minutes = me.post_form(base + "/what-matters",
                                    {{"languages", "en"}, {"travel", "bus"}, {"travel_minutes", "abc"}, {"food", "Soup"}});
  EXPECT_EQ(minutes.status, 422);
  EXPECT_TRUE(contains(minutes.body, "href=\"#travel_minutes\""));
  EXPECT_TRUE(contains(minutes.body, "value=\"abc\"")) << "what was typed is shown back";
  EXPECT_FALSE(contains(me.get(base + "/what-matters").body, "Soup")) << "nothing saved";
  // Someone who does not travel has no distance: a number sent with the form is
  // not theirs, so it is dropped (and never breaks the stored range).
  const auto no_travel = me.post_form(base + "/what-matters",
                                      {{"languages", "en"}, {"carer_gender", "any"}, {"travel", "none"}, {"travel_minutes", "500"}});
  EXPECT_EQ(no_travel.status, 303);
  EXPECT_TRUE(contains(me.get(base + "/what-matters").body, "id=\"travel_minutes\" name=\"travel_minutes\" type=\"text\" value=\"0\""));

  // Up to 20 goals: the 21st is refused with the reason.
  me.get(base + "/needs");
  for (int n = 0; n < 20; ++n)
    ASSERT_EQ(me.post_form(base + "/goals", {{"hope", "Hope " + std::to_string(n)}, {"how_we_know", "I will know"}})
                  .status,
              303);
  const auto too_many = me.post_form(base + "/goals", {{"hope", "One more"}, {"how_we_know", "I will know"}});
  EXPECT_EQ(too_many.status, 422);
  EXPECT_TRUE(contains(too_many.body, "You can keep up to 20 goals: remove one first"));

  // A goal without a hope.
  const auto goal = me.post_form(base + "/goals", {{"hope", " "}, {"how_we_know", "I will be out more"}});
  EXPECT_EQ(goal.status, 422);
  EXPECT_TRUE(contains(goal.body, "href=\"#hope\""));
  EXPECT_FALSE(contains(me.get(base + "/needs").body, "I will be out more"));

  // An own idea without its words.
  const auto options = me.get(base + "/options");
  ASSERT_EQ(options.status, 200);
  auto idea = checked_choices(options.body);
  for (auto& [name, value] : idea)
    if (name == "need_0") value = "idea";
  idea.emplace_back("idea_0", "");
  const auto no_idea = me.post_form(base + "/options", idea);
  EXPECT_EQ(no_idea.status, 422);
  EXPECT_TRUE(contains(no_idea.body, "href=\"#idea_0\""));
  EXPECT_TRUE(contains(me.get(base + "/my-plan").body, "There is no plan yet"));

  // Agreeing a plan that lacks the advice and who took part.
  ASSERT_EQ(save_proposal(me, base).status, 303);
  me.get(base + "/my-plan");
  const auto early = me.post_form(base + "/agree", {{"version", "1"}});
  EXPECT_EQ(early.status, 422);
  EXPECT_TRUE(contains(early.body, "govuk-error-summary"));
  EXPECT_TRUE(contains(early.body, "Give advice on meeting or reducing the needs"));
  EXPECT_TRUE(contains(early.body, "Record who took part in making the plan"));
  auto mine = me.get(base + "/my-plan").body;
  EXPECT_FALSE(contains(mine, "id=\"agreed\"")) << "still unagreed";
  EXPECT_TRUE(contains(mine, "Version 1: <strong>Draft: not agreed yet</strong>"));

  // Two people at once: both start from version 1; the second is told, and keeps what they wrote.
  ASSERT_TRUE(again.sign_in("resident1@demo.invalid", kDemoPassword));
  const auto first_page = me.get(base + "/my-plan").body;
  const auto second_page = again.get(base + "/my-plan").body;
  ASSERT_EQ(hidden_input(first_page, "based_on"), "1");
  ASSERT_EQ(hidden_input(second_page, "based_on"), "1");
  const auto first = me.post_form(base + "/my-plan", with({{"based_on", "1"}}, kDetails));
  ASSERT_EQ(first.status, 303) << first.body.substr(0, 2000);
  const auto second =
      again.post_form(base + "/my-plan", {{"based_on", hidden_input(second_page, "based_on")},
                                          {"advice_meeting", "Advice written in the second session"},
                                          {"advice_preventing", "Prevention written in the second session"},
                                          {"participants", "Sam Second, neighbour"}});
  EXPECT_EQ(second.status, 409);
  EXPECT_TRUE(contains(second.body, "govuk-error-summary"));
  EXPECT_TRUE(contains(second.body, "saved version 2"));
  EXPECT_TRUE(contains(second.body, "Advice written in the second session")) << "their text is still there";
  EXPECT_TRUE(contains(second.body, "Sam Second, neighbour"));
  EXPECT_EQ(hidden_input(second.body, "based_on"), "2") << "saving again builds on the new version";
  mine = me.get(base + "/my-plan").body;
  EXPECT_TRUE(contains(mine, "Version 2:"));
  EXPECT_TRUE(contains(mine, "Ask the library about the reading group"));
  EXPECT_FALSE(contains(mine, "written in the second session")) << "nothing of theirs overwrote the first";
  EXPECT_FALSE(contains(me.get(base + "/versions").body, "id=\"version-3\""));
}

TEST_P(Plan, ACoordinatorAssessesSetsTheBudgetAndSignsOffWhatThePersonAgreed) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient person(server.port()), coordinator(server.port());
  ASSERT_TRUE(person.sign_in("resident1@demo.invalid", kDemoPassword));
  ASSERT_TRUE(coordinator.sign_in("coordinator1@demo.invalid", kDemoPassword));
  const auto base = "/plan/" + my_record_id(person);
  const auto codes = need_codes(coordinator.get(base + "/needs").body);
  ASSERT_FALSE(codes.empty());

  const auto form = coordinator.get(base + "/assessment");
  ASSERT_EQ(form.status, 200);
  EXPECT_FALSE(contains(form.body, "id=\"decision\"")) << "not assessed yet";
  const Fields common{{"from_impairment", "yes"},
                      {"impairment_notes", "Arthritis in both hands"},
                      {"outcome_nutrition", "without_assistance"},
                      {"outcome_nutrition_why", "Cannot open tins or lift pans"},
                      {"significant_impact", "yes"},
                      {"wellbeing_notes", "Missing meals; low mood"},
                      {"fluctuating", "no"},
                      {"eligible_needs", codes.front()}};
  // One outcome is not enough for eligible needs.
  const auto one_outcome = coordinator.post_form(base + "/assessment", common);
  EXPECT_EQ(one_outcome.status, 422);
  EXPECT_TRUE(contains(one_outcome.body, "href=\"#eligible_needs\""));
  EXPECT_FALSE(contains(coordinator.get(base + "/assessment").body, "id=\"decision\"")) << "nothing stored";

  const auto assessed = coordinator.post_form(
      base + "/assessment", with(common, {{"outcome_hygiene", "pain_or_distress"},
                                          {"outcome_hygiene", "takes_much_longer"},
                                          {"outcome_hygiene_why", "Washing takes an hour, in pain"}}));
  ASSERT_EQ(assessed.status, 303) << assessed.body.substr(0, 3000);
  auto page = coordinator.get(base + "/assessment").body;
  EXPECT_TRUE(contains(page, "id=\"decision\""));
  EXPECT_TRUE(contains(page, "Eligible for care and support"));
  EXPECT_TRUE(contains(page, "Unable to achieve 2 of the 10 outcomes"));
  EXPECT_TRUE(contains(page, "Washing takes an hour, in pain")) << "the form starts from the latest";
  EXPECT_TRUE(contains(coordinator.get(base + "/needs").body, "The council will meet this need"));

  // The budget.
  const auto budget = coordinator.post_form(base + "/budget", {{"weekly", "120.00"},
                                                               {"person_contribution", "20.00"},
                                                               {"management", "council_managed"},
                                                               {"direct_payment", "0"}});
  ASSERT_EQ(budget.status, 303) << budget.body.substr(0, 3000);
  const auto overview = person.get(base).body;
  EXPECT_TRUE(contains(overview, "£120.00 a week"));
  EXPECT_TRUE(contains(overview, "£20.00"));
  EXPECT_TRUE(contains(overview, "£100.00"));
  EXPECT_EQ(person.post_form(base + "/budget", {{"weekly", "999"}, {"management", "council_managed"}}).status, 403)
      << "the council's part";

  // A plan with every need met, advice and who took part.
  const auto options = coordinator.get(base + "/options");
  ASSERT_EQ(options.status, 200);
  ASSERT_EQ(coordinator.post_form(base + "/options", own_ideas(options.body)).status, 303);
  const auto version = hidden_input(coordinator.get(base + "/my-plan").body, "based_on");
  ASSERT_EQ(coordinator.post_form(base + "/my-plan", with({{"based_on", version}}, kDetails)).status, 303);
  auto mine = coordinator.get(base + "/my-plan").body;
  const auto latest = hidden_input(mine, "version");
  ASSERT_EQ(latest, std::to_string(std::stoi(version) + 1));
  EXPECT_TRUE(contains(mine, "name=\"person_present\"")) << "the coordinator confirms the person is there";
  EXPECT_FALSE(contains(mine, "Sign off for the council"));

  // Not signed off before the person agrees.
  const auto too_soon = coordinator.post_form(base + "/sign-off", {{"version", latest}});
  EXPECT_EQ(too_soon.status, 422);
  EXPECT_TRUE(contains(too_soon.body, "has not agreed this version yet"));
  // The person's agreement, only with the person there.
  const auto absent = coordinator.post_form(base + "/agree", {{"version", latest}});
  EXPECT_EQ(absent.status, 422);
  EXPECT_TRUE(contains(absent.body, "href=\"#person_present\""));
  EXPECT_FALSE(contains(coordinator.get(base + "/my-plan").body, "id=\"agreed\""));
  ASSERT_EQ(coordinator.post_form(base + "/agree", {{"version", latest}, {"person_present", "yes"}}).status, 303);
  mine = coordinator.get(base + "/my-plan").body;
  EXPECT_TRUE(contains(mine, "id=\"agreed\""));
  EXPECT_TRUE(contains(mine, "Cara Coordinator, with the person"));
  EXPECT_TRUE(contains(mine, "Sign off for the council"));
  EXPECT_EQ(person.post_form(base + "/sign-off", {{"version", latest}}).status, 403);
  ASSERT_EQ(coordinator.post_form(base + "/sign-off", {{"version", latest}}).status, 303);
  mine = person.get(base + "/my-plan").body;
  EXPECT_TRUE(contains(mine, "Agreed and signed off"));
  EXPECT_TRUE(contains(mine, "id=\"signed-off\""));
  EXPECT_TRUE(contains(mine, "£100.00 from the council"));

  const auto trail = person.get("/my-information/audit").body;
  for (const char* action : {"Recorded your Care Act assessment", "Set your personal budget",
                             "Recorded that you agree your plan", "Signed off your plan for the council"})
    EXPECT_TRUE(contains(trail, action)) << action;
  EXPECT_TRUE(contains(trail, "(your care coordinator)"));
  const auto verified = run_bespoke({"audit", "verify", "--db", db});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

TEST_P(Plan, OnlyThePersonTheirDelegateAndTheirCoordinatorWorkOnThePlan) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient one(server.port()), two(server.port()), delegate(server.port()), coordinator(server.port()),
      stranger(server.port());
  ASSERT_TRUE(one.sign_in("resident1@demo.invalid", kDemoPassword));
  ASSERT_TRUE(two.sign_in("resident2@demo.invalid", kDemoPassword));
  ASSERT_TRUE(delegate.sign_in("delegate1@demo.invalid", kDemoPassword));
  ASSERT_TRUE(coordinator.sign_in("coordinator1@demo.invalid", kDemoPassword));
  const auto base1 = "/plan/" + my_record_id(one);
  const auto base2 = "/plan/" + my_record_id(two);

  // Someone else's plan is not there.
  EXPECT_EQ(one.get(base2).status, 404);
  EXPECT_EQ(one.get(base2 + "/about-me").status, 404);
  one.get(base1);
  EXPECT_EQ(one.post_form(base2 + "/about-me", {{"please_call_me", "Not mine to say"}}).status, 404);
  EXPECT_FALSE(contains(two.get(base2 + "/about-me").body, "Not mine to say"));
  EXPECT_EQ(one.get("/plan/00000000-0000-4000-8000-000000000000").status, 404);
  EXPECT_EQ(stranger.get(base1).status, 303) << "signed out: to sign in";
  EXPECT_EQ(coordinator.get(base2).status, 404) << "not on the caseload";
  EXPECT_EQ(coordinator.get(base2 + "/assessment").status, 404);

  // resident1's delegate works on the plan with them, but not on the council's part.
  const auto seen = delegate.get(base1);
  EXPECT_EQ(seen.status, 200);
  EXPECT_TRUE(contains(seen.body, "Support plan: "));
  ASSERT_EQ(delegate.post_form(base1 + "/about-me", {{"please_call_me", "Written with Dana"}}).status, 303);
  EXPECT_TRUE(contains(one.get(base1 + "/about-me").body, "Written with Dana"));
  EXPECT_EQ(delegate.get(base1 + "/assessment").status, 403);
  EXPECT_EQ(delegate.post_form(base1 + "/budget", {{"weekly", "1"}}).status, 403);
  EXPECT_EQ(delegate.post_form(base1 + "/sign-off", {{"version", "1"}}).status, 403);
  EXPECT_EQ(delegate.get(base2).status, 404);
  EXPECT_TRUE(contains(one.get("/my-information/audit").body, "(acting for you)"));

  // Consent to read is not consent to work on the plan.
  one.get("/my-information/sharing");
  ASSERT_EQ(one.post_form("/my-information/sharing", {{"grantee_kind", "person"},
                                                     {"person_email", "resident2@demo.invalid"},
                                                     {"part", "needs"},
                                                     {"part", "what_matters"},
                                                     {"part", "plan"},
                                                     {"purpose", "to help me choose"}})
                .status,
            303);
  EXPECT_EQ(two.get("/people/" + base1.substr(6)).status, 200) << "they may read it";
  EXPECT_EQ(two.get(base1).status, 404);
  EXPECT_EQ(two.get(base1 + "/about-me").status, 404);
  EXPECT_EQ(two.get(base1 + "/my-plan").status, 404);
  EXPECT_EQ(two.get(base1 + "/versions").status, 404);
  two.get(base2);
  EXPECT_EQ(two.post_form(base1 + "/about-me", {{"please_call_me", "By consent"}}).status, 404);
  EXPECT_FALSE(contains(one.get(base1 + "/about-me").body, "By consent"));

  // Choices said to build on a version when there is no plan at all are refused; the server stays up.
  const auto options = two.get(base2 + "/options");
  ASSERT_EQ(options.status, 200);
  auto choices = checked_choices(options.body);
  choices.back().second = "3";  // based_on
  const auto from_nowhere = two.post_form(base2 + "/options", choices);
  EXPECT_TRUE(from_nowhere.status == 409 || from_nowhere.status == 400) << from_nowhere.status;
  ASSERT_TRUE(server.running()) << "the server survives it";
  EXPECT_EQ(http(server.port(), "GET", "/readyz").status, 200);
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, Plan, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return std::string(backend_name(info.param)); });

}  // namespace
}  // namespace bespoke::testing
