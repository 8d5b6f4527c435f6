// Nobody left behind, against the real program on SQLite and PostgreSQL: the
// commissioner's reach report (page and CSV, nobody else's), the default-plan
// batch and the coordinator's outreach list, and `bespoke report reach`.
#include "http/browser_client.h"
#include "http/server_process.h"
#include "http/test_env.h"

#include "careplan/plan.h"
#include "core/time.h"
#include "person/record.h"
#include "store/accounts_store.h"
#include "store/care_team_store.h"
#include "store/database.h"
#include "store/person_store.h"
#include "store/plan_store.h"
#include "store/resident_store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

namespace bespoke::testing {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

constexpr const char* kHeader = "decile,residents,with_needs,agreed_plans,default_plans,unmet_needs,overdue_reviews";

// The CSV's lines, without their CRLF ends.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// The sum of one column over the CSV's rows (the header skipped).
std::int64_t column_sum(const std::vector<std::string>& lines, std::size_t column) {
  std::int64_t sum = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::istringstream row(lines[i]);
    std::string cell;
    for (std::size_t c = 0; c <= column; ++c) std::getline(row, cell, ',');
    sum += std::stoll(cell);
  }
  return sum;
}

void expect_reach_csv(const std::vector<std::string>& lines) {
  ASSERT_EQ(lines.size(), 11u);
  EXPECT_EQ(lines[0], kHeader);
  for (int d = 1; d <= 10; ++d) EXPECT_EQ(lines[static_cast<std::size_t>(d)].rfind(std::to_string(d) + ",", 0), 0u);
  EXPECT_GT(column_sum(lines, 1), 40'000) << "the seed-1 town has about 50,000 residents";
}

class Reach : public ::testing::TestWithParam<Backend> {};

TEST_P(Reach, TheCommissionerSeesTheReportAndItsCsvAndNobodyElseDoes) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient commissioner(server.port()), resident(server.port()), coordinator(server.port()),
      stranger(server.port());
  ASSERT_TRUE(commissioner.sign_in("commissioner1@demo.invalid", kDemoPassword));
  ASSERT_TRUE(resident.sign_in("resident1@demo.invalid", kDemoPassword));
  ASSERT_TRUE(coordinator.sign_in("coordinator1@demo.invalid", kDemoPassword));

  const auto page = commissioner.get("/reports/reach");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "<svg")) << "the charts, drawn on the server";
  EXPECT_TRUE(contains(page.body, "id=\"reach-needs-chart-title\""));
  EXPECT_TRUE(contains(page.body, "id=\"reach-agreed-chart-title\""));
  EXPECT_TRUE(contains(page.body, "id=\"reach-deciles\""));
  EXPECT_TRUE(contains(page.body, "Decile 1 (most deprived)"));
  EXPECT_TRUE(contains(page.body, "id=\"reach-neighbourhoods\""));
  EXPECT_TRUE(contains(page.body, "Gaps in local provision"));
  EXPECT_TRUE(contains(page.body, "href=\"/reports/reach.csv\""));

  const auto csv = commissioner.get("/reports/reach.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("content-type").rfind("text/csv", 0), 0u) << csv.header("content-type");
  EXPECT_EQ(csv.header("content-disposition").rfind("attachment", 0), 0u);
  expect_reach_csv(lines_of(csv.body));

  for (const char* path : {"/reports/reach", "/reports/reach.csv"}) {
    EXPECT_EQ(resident.get(path).status, 403) << path;
    EXPECT_EQ(coordinator.get(path).status, 403) << path;
    EXPECT_EQ(stranger.get(path).status, 303) << path << ": to sign in";
  }
  EXPECT_EQ(commissioner.get("/caseload/outreach").status, 403);
  EXPECT_EQ(resident.get("/caseload/outreach").status, 403);
  const auto outreach = coordinator.get("/caseload/outreach");
  EXPECT_EQ(outreach.status, 200);
  EXPECT_TRUE(contains(outreach.body, "Everyone on your caseload who has been assessed has an agreed plan"))
      << "nobody is assessed in a new town";
  EXPECT_TRUE(contains(coordinator.get("/caseload").body, "href=\"/caseload/outreach\""));
}

TEST_P(Reach, TheBatchProposesADefaultPlanOnceAndTheOutreachListShowsIt) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ASSERT_EQ(run_bespoke({"migrate", "--db", db}).exit_code, 0);

  // resident1 (on coordinator1's caseload, with needs) was assessed 30 days ago.
  std::string record;
  {
    auto c = store::open(db);
    const auto coordinator = store::find_account_by_email(*c, "coordinator1@demo.invalid");
    const auto resident = store::find_account_by_email(*c, "resident1@demo.invalid");
    ASSERT_TRUE(coordinator && resident && resident->resident_id != 0);
    person::Assessment a;
    a.from_impairment = true;
    a.significant_impact = true;
    a.outcomes[0] = {1, "Cannot cook unaided"};
    const auto now = core::SystemTime{}.now();
    store::record_assessment(*c, resident->resident_id, a, {true, {"eligible"}}, {coordinator->id, "coordinator"},
                             now - std::chrono::days(30));
    record = store::read_resident(*c, resident->resident_id)->public_id;
  }

  const auto recent = run_bespoke({"plans", "propose-defaults", "--db", db, "--after-days", "31"});
  EXPECT_EQ(recent.exit_code, 0) << recent.output;
  EXPECT_TRUE(contains(recent.output, "proposed 0 default plans in ")) << recent.output;

  const auto first = run_bespoke({"plans", "propose-defaults", "--db", db});
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_TRUE(contains(first.output, "proposed 1 default plan in ")) << first.output;
  EXPECT_TRUE(contains(first.output, "(0 skipped)")) << first.output;
  EXPECT_FALSE(contains(first.output, "\r")) << "no progress bar when standard error is not a terminal";
  {
    auto c = store::open(db);
    const auto resident = store::find_account_by_email(*c, "resident1@demo.invalid");
    const auto plan = store::latest_plan(*c, resident->resident_id);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->version, 1);
    EXPECT_EQ(plan->content.kind, careplan::Kind::default_plan);
    EXPECT_EQ(plan->created_by, "Bespoke");
    EXPECT_TRUE(plan->content.advice_meeting.empty());
    EXPECT_FALSE(plan->content.lines.empty() && plan->content.gaps.empty()) << "a line or a gap for each need";
  }
  const auto second = run_bespoke({"plans", "propose-defaults", "--db", db});
  EXPECT_EQ(second.exit_code, 0) << second.output;
  EXPECT_TRUE(contains(second.output, "proposed 0 default plans in ")) << second.output;

  const auto report = run_bespoke({"report", "reach", "--db", db, "--format", "csv"});
  ASSERT_EQ(report.exit_code, 0) << report.output;
  const auto lines = lines_of(report.output);
  expect_reach_csv(lines);
  EXPECT_EQ(column_sum(lines, 4), 1) << "one default plan";
  EXPECT_EQ(column_sum(lines, 3), 0) << "no agreed plan";
  const auto json = run_bespoke({"report", "reach", "--db", db, "--format", "json"});
  EXPECT_EQ(json.exit_code, 2);
  EXPECT_TRUE(contains(json.output, "--format")) << json.output;

  ServerProcess server(db, {"--demo"});
  BrowserClient coordinator(server.port()), commissioner(server.port());
  ASSERT_TRUE(coordinator.sign_in("coordinator1@demo.invalid", kDemoPassword));
  const auto outreach = coordinator.get("/caseload/outreach");
  ASSERT_EQ(outreach.status, 200);
  EXPECT_TRUE(contains(outreach.body, "href=\"/plan/" + record + "\"")) << outreach.body;
  EXPECT_TRUE(contains(outreach.body, "Default plan proposed"));
  ASSERT_TRUE(commissioner.sign_in("commissioner1@demo.invalid", kDemoPassword));
  EXPECT_EQ(commissioner.get("/reports/reach.csv").body, report.output) << "the page's CSV is the command's";
}

TEST(ReachCommand, RefusesADatabaseItCannotOpen) {
  const auto r = run_bespoke({"plans", "propose-defaults", "--db", "postgresql://nobody@127.0.0.1:1/none"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "bespoke: ")) << r.output;
  const auto empty = run_bespoke({"report", "reach", "--db", temp_sqlite_path("reach-empty.db")});
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_TRUE(contains(empty.output, "bespoke migrate")) << empty.output;
  EXPECT_EQ(run_bespoke({"plans", "propose-defaults", "--after-days", "-1"}).exit_code, 2);
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, Reach, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return std::string(backend_name(info.param)); });

}  // namespace
}  // namespace bespoke::testing
