// Who acts for a resident and who coordinates their care, against the real
// server on SQLite and PostgreSQL: a resident's delegations, a coordinator's
// caseload with its lawful basis, and a delegation a coordinator records for
// someone who lacks capacity. Each opens exactly what it says, until stopped.
#include "http/browser_client.h"
#include "http/server_process.h"
#include "http/test_env.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <regex>

namespace bespoke::testing {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The first "Stop" form's action on a delegations page ("" when none).
std::string first_withdraw_action(const std::string& html) {
  std::smatch m;
  static const std::regex action(R"re(action="([^"]*/withdraw)")re");
  return std::regex_search(html, m, action) ? m[1].str() : std::string();
}

// The residents a caseload page lists, by their record ids.
std::vector<std::string> caseload_ids(const std::string& html) {
  std::vector<std::string> out;
  static const std::regex link(R"re(href="/people/([0-9a-f-]{36})")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), link); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1].str());
  return out;
}

// A date about `months` months from today, as YYYY-MM-DD.
std::string in_months(int months) {
  const auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
                   std::chrono::days(30 * months);
  const std::chrono::year_month_day ymd{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return text;
}

class CareTeam : public ::testing::TestWithParam<Backend> {};

TEST_P(CareTeam, AResidentLetsSomeoneActForThemWithinTheScopeTheyChoseAndStopsIt) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient resident(server.port()), helper(server.port()), other(server.port()), stranger(server.port());
  ASSERT_TRUE(resident.sign_in("resident2@demo.invalid", kDemoPassword));
  ASSERT_TRUE(helper.sign_in("volunteer1@demo.invalid", kDemoPassword));
  ASSERT_TRUE(other.sign_in("resident1@demo.invalid", kDemoPassword));
  const auto record = my_record_id(resident);
  ASSERT_EQ(record.size(), 36u);
  EXPECT_EQ(helper.get("/people/" + record).status, 404);

  const auto page = resident.get("/my-information/helpers");
  EXPECT_EQ(page.status, 200);
  EXPECT_FALSE(contains(page.body, "Who can act for you")) << "nobody yet";

  // Bad requests name the field and change nothing.
  const auto unknown = resident.post_form("/my-information/helpers",
                                          {{"delegate_email", "nobody@example.org"}, {"part", "needs"}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_TRUE(contains(unknown.body, "href=\"#delegate_email\""));
  EXPECT_TRUE(contains(unknown.body, "No Bespoke account has this email address"));
  EXPECT_TRUE(contains(unknown.body, "value=\"nobody@example.org\"")) << "the answer is kept";
  const auto self = resident.post_form("/my-information/helpers",
                                       {{"delegate_email", "resident2@demo.invalid"}, {"part", "needs"}});
  EXPECT_EQ(self.status, 422);
  EXPECT_TRUE(contains(self.body, "Enter the email address of the person who will help"));
  const auto nothing = resident.post_form("/my-information/helpers",
                                          {{"delegate_email", "volunteer1@demo.invalid"}, {"until", "yesterday"}});
  EXPECT_EQ(nothing.status, 422);
  EXPECT_TRUE(contains(nothing.body, "href=\"#parts\""));
  EXPECT_TRUE(contains(nothing.body, "href=\"#until\""));
  EXPECT_EQ(helper.get("/people/" + record).status, 404);

  const auto granted = resident.post_form(
      "/my-information/helpers",
      {{"delegate_email", " Volunteer1@Demo.Invalid "}, {"part", "needs"}, {"part", "plan"}, {"until", "2099-12-31"}});
  ASSERT_EQ(granted.status, 303);
  EXPECT_EQ(granted.header("location"), "/my-information/helpers");
  const auto listed = resident.get("/my-information/helpers").body;
  EXPECT_TRUE(contains(listed, "volunteer1@demo.invalid"));
  EXPECT_TRUE(contains(listed, "My needs and circumstances, My support plan (until 2099-12-31)"));
  const auto again = resident.post_form("/my-information/helpers",
                                        {{"delegate_email", "volunteer1@demo.invalid"}, {"part", "budget"}});
  EXPECT_EQ(again.status, 422);
  EXPECT_TRUE(contains(again.body, "They can already act for you"));

  // Becoming a delegate is a change of role: the helper signs in again, then
  // sees the record, and why.
  EXPECT_EQ(helper.get("/account").status, 303);
  ASSERT_TRUE(helper.sign_in("volunteer1@demo.invalid", kDemoPassword));
  const auto seen = helper.get("/people/" + record);
  EXPECT_EQ(seen.status, 200);
  EXPECT_TRUE(contains(seen.body, "acting for the person, as they granted"));
  EXPECT_TRUE(contains(helper.get("/people").body, "You act for them"));
  EXPECT_EQ(stranger.get("/people/" + record).status, 303) << "signed out: to sign in";

  const auto trail = resident.get("/my-information/audit").body;
  EXPECT_TRUE(contains(trail, "Let someone act for you"));
  EXPECT_TRUE(contains(trail, "(acting for you)"));

  // Only the resident can stop it; once stopped, the record closes at once.
  const auto withdraw = first_withdraw_action(resident.get("/my-information/helpers").body);
  ASSERT_FALSE(withdraw.empty());
  other.get("/my-information/helpers");
  EXPECT_EQ(other.post_form(withdraw, {}).status, 404) << "someone else's delegation looks like none";
  EXPECT_EQ(helper.get("/people/" + record).status, 200);
  EXPECT_EQ(resident.post_form(withdraw, {}).status, 303);
  EXPECT_EQ(resident.post_form(withdraw, {}).status, 404) << "already stopped";
  // Acting for nobody now, the helper is no longer a delegate: signed out at once.
  EXPECT_EQ(helper.get("/people/" + record).status, 303);
  ASSERT_TRUE(helper.sign_in("volunteer1@demo.invalid", kDemoPassword));
  EXPECT_EQ(helper.get("/people/" + record).status, 404);
  EXPECT_FALSE(contains(helper.get("/account").body, "Acting for someone"));
  EXPECT_TRUE(contains(resident.get("/my-information/helpers").body, "Stopped "));
  EXPECT_TRUE(contains(resident.get("/my-information/audit").body, "Stopped someone acting for you"));

  // A delegation for the plan alone neither opens nor lists the needs.
  ASSERT_EQ(resident.post_form("/my-information/helpers", {{"delegate_email", "volunteer1@demo.invalid"}, {"part", "plan"}})
                .status,
            303);
  ASSERT_TRUE(helper.sign_in("volunteer1@demo.invalid", kDemoPassword));
  EXPECT_EQ(helper.get("/people/" + record).status, 404);
  EXPECT_FALSE(contains(helper.get("/people").body, record));
  EXPECT_EQ(resident.post_form("/my-information/helpers/not-a-number/withdraw", {}).status, 404);

  // Each grant changes the helper's role (ending their sessions): 20 a day at most.
  const Fields again_plan{{"delegate_email", "volunteer1@demo.invalid"}, {"part", "plan"}};
  for (int granted = 2; granted < 20; ++granted) {
    const auto stop = first_withdraw_action(resident.get("/my-information/helpers").body);
    ASSERT_FALSE(stop.empty());
    ASSERT_EQ(resident.post_form(stop, {}).status, 303);
    ASSERT_EQ(resident.post_form("/my-information/helpers", again_plan).status, 303) << "grant " << granted + 1;
  }
  ASSERT_EQ(resident.post_form(first_withdraw_action(resident.get("/my-information/helpers").body), {}).status, 303);
  const auto capped = resident.post_form("/my-information/helpers", again_plan);
  EXPECT_EQ(capped.status, 422);
  EXPECT_TRUE(contains(capped.body, "try again tomorrow"));
}

TEST_P(CareTeam, ACoordinatorKeepsACaseloadWithALawfulBasisForEachPerson) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient coordinator(server.port()), resident(server.port());
  ASSERT_TRUE(coordinator.sign_in("coordinator1@demo.invalid", kDemoPassword));
  ASSERT_TRUE(resident.sign_in("resident2@demo.invalid", kDemoPassword));
  const auto two = my_record_id(resident);
  const auto caseload = coordinator.get("/caseload");
  ASSERT_EQ(caseload.status, 200);
  const auto ids = caseload_ids(caseload.body);
  EXPECT_EQ(ids.size(), 25u) << "the demo's caseload";
  EXPECT_EQ(coordinator.get("/people/" + two).status, 404);

  const auto no_basis = coordinator.post_form("/caseload", {{"reference", two}});
  EXPECT_EQ(no_basis.status, 422);
  EXPECT_TRUE(contains(no_basis.body, "href=\"#basis\""));
  const auto unknown = coordinator.post_form(
      "/caseload", {{"reference", "00000000-0000-4000-8000-000000000000"}, {"basis", "assessment"}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_TRUE(contains(unknown.body, "No resident has this reference"));
  const auto twice = coordinator.post_form("/caseload", {{"reference", ids.at(0)}, {"basis", "review"}});
  EXPECT_EQ(twice.status, 422);
  EXPECT_TRUE(contains(twice.body, "already on your caseload"));
  const auto long_note = coordinator.post_form(
      "/caseload", {{"reference", two}, {"basis", "assessment"}, {"note", std::string(201, 'x')}});
  EXPECT_EQ(long_note.status, 422);
  EXPECT_TRUE(contains(long_note.body, "href=\"#note\""));
  EXPECT_EQ(coordinator.get("/people/" + two).status, 404) << "a refused add changes nothing";

  ASSERT_EQ(coordinator.post_form("/caseload", {{"reference", " " + two + " "}, {"basis", "assessment"}, {"note", "REF-77"}})
                .status,
            303);
  EXPECT_EQ(caseload_ids(coordinator.get("/caseload").body).size(), 26u);
  const auto seen = coordinator.get("/people/" + two);
  EXPECT_EQ(seen.status, 200);
  EXPECT_TRUE(contains(seen.body, "Assessing needs under the Care Act 2014, section 9 (REF-77)")) << "the basis is why";
  const auto trail = resident.get("/my-information/audit").body;
  EXPECT_TRUE(contains(trail, "Added you to their caseload"));
  EXPECT_TRUE(contains(trail, "on the caseload: Assessing needs under the Care Act 2014, section 9 (REF-77)"));

  EXPECT_EQ(coordinator.post_form("/caseload/" + two + "/remove", {}).status, 303);
  EXPECT_EQ(coordinator.post_form("/caseload/" + two + "/remove", {}).status, 404);
  EXPECT_EQ(coordinator.get("/people/" + two).status, 404);
  EXPECT_TRUE(contains(resident.get("/my-information/audit").body, "Took you off their caseload"));
}

TEST_P(CareTeam, ACoordinatorRecordsADelegationForSomeoneWhoLacksCapacityWithTheReason) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient coordinator(server.port()), helper(server.port()), resident(server.port());
  ASSERT_TRUE(coordinator.sign_in("coordinator1@demo.invalid", kDemoPassword));
  ASSERT_TRUE(resident.sign_in("resident1@demo.invalid", kDemoPassword));
  const auto one = my_record_id(resident);
  const auto ids = caseload_ids(coordinator.get("/caseload").body);
  // Someone on the caseload without an account: they may never sign in.
  std::string person;
  for (const auto& id : ids)
    if (id != one) person = id;
  ASSERT_FALSE(person.empty());

  // resident1 granted delegate1 in the demo: the coordinator sees it, not theirs to give.
  const auto ones = coordinator.get("/caseload/" + one + "/helpers");
  EXPECT_EQ(ones.status, 200);
  EXPECT_TRUE(contains(ones.body, "delegate1@demo.invalid"));
  EXPECT_TRUE(contains(ones.body, "can stop this")) << "what the resident granted is theirs to stop";
  EXPECT_FALSE(contains(ones.body, "/withdraw\"")) << "no Stop button for it";
  EXPECT_EQ(resident.get("/caseload/" + one + "/helpers").status, 403);
  EXPECT_TRUE(contains(resident.get("/my-information/audit").body, "Looked at who can act for you"))
      << "the coordinator's look at the delegations is on the trail";

  const auto path = "/caseload/" + person + "/helpers";
  ASSERT_EQ(coordinator.get(path).status, 200);
  const auto no_reason =
      coordinator.post_form(path, {{"delegate_email", "volunteer1@demo.invalid"}, {"part", "needs"}, {"reason", " "}});
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_TRUE(contains(no_reason.body, "href=\"#reason\""));
  EXPECT_TRUE(contains(no_reason.body, "Say why the person cannot decide this themselves"));

  const std::string reason = "Mental capacity assessment of 2 October 2026; son holds an LPA for health and welfare";
  const auto to_self = coordinator.post_form(
      path, {{"delegate_email", "coordinator1@demo.invalid"}, {"part", "needs"}, {"reason", reason}});
  EXPECT_EQ(to_self.status, 422) << "a delegation to oneself would outlast the caseload";
  EXPECT_TRUE(contains(to_self.body, "Enter the email address of the person who will help"));
  const auto no_end = coordinator.post_form(
      path, {{"delegate_email", "volunteer1@demo.invalid"}, {"part", "needs"}, {"reason", reason}});
  EXPECT_EQ(no_end.status, 422) << "what a coordinator records must end within a year";
  EXPECT_TRUE(contains(no_end.body, "href=\"#until\""));
  const auto too_long = coordinator.post_form(
      path, {{"delegate_email", "volunteer1@demo.invalid"}, {"part", "needs"}, {"reason", reason}, {"until", "2099-01-01"}});
  EXPECT_EQ(too_long.status, 422);
  EXPECT_TRUE(contains(too_long.body, "at most a year from today"));
  const Fields grant{{"delegate_email", "volunteer1@demo.invalid"}, {"part", "needs"}, {"reason", reason}, {"until", in_months(6)}};
  ASSERT_EQ(coordinator.post_form(path, grant).status, 303);
  const auto listed = coordinator.get(path).body;
  EXPECT_TRUE(contains(listed, "Cara Coordinator"));
  EXPECT_TRUE(contains(listed, reason));

  ASSERT_TRUE(helper.sign_in("volunteer1@demo.invalid", kDemoPassword));
  EXPECT_EQ(helper.get("/people/" + person).status, 200);
  EXPECT_EQ(helper.get("/people/" + one).status, 404);

  const auto withdraw = first_withdraw_action(listed);
  ASSERT_FALSE(withdraw.empty());
  EXPECT_EQ(coordinator.post_form(withdraw, {}).status, 303);
  EXPECT_EQ(helper.get("/people/" + person).status, 303) << "no longer a delegate: signed out";
  ASSERT_TRUE(helper.sign_in("volunteer1@demo.invalid", kDemoPassword));
  EXPECT_EQ(helper.get("/people/" + person).status, 404);
  // Recorded again, it ends when the person leaves the coordinator's caseload:
  // nobody keeps access through a delegation the coordinator chose.
  coordinator.get(path);
  ASSERT_EQ(coordinator.post_form(path, grant).status, 303);
  ASSERT_TRUE(helper.sign_in("volunteer1@demo.invalid", kDemoPassword));
  EXPECT_EQ(helper.get("/people/" + person).status, 200);
  coordinator.get("/caseload");
  ASSERT_EQ(coordinator.post_form("/caseload/" + person + "/remove", {}).status, 303);
  EXPECT_EQ(helper.get("/people/" + person).status, 303) << "acting for nobody now: signed out";
  ASSERT_TRUE(helper.sign_in("volunteer1@demo.invalid", kDemoPassword));
  EXPECT_EQ(helper.get("/people/" + person).status, 404);
  // Off the caseload, the coordinator cannot change who acts for them.
  EXPECT_EQ(coordinator.get(path).status, 404);
  EXPECT_EQ(coordinator.post_form(path, grant).status, 404);

  const auto verified = run_bespoke({"audit", "verify", "--db", db});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, CareTeam, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return std::string(backend_name(info.param)); });

}  // namespace
}  // namespace bespoke::testing
