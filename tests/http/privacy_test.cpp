// Consent, the audit log, subject access and erasure against the real server
// and the real command, on SQLite and PostgreSQL.
#include "http/browser_client.h"
#include "http/server_process.h"
#include "http/test_env.h"
#include "store/database.h"
#include "web/http.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>

namespace bespoke::testing {
namespace {

class Privacy : public ::testing::TestWithParam<Backend> {};

TEST_P(Privacy, ConsentOpensARecordToAnOrganisationUntilWithdrawnAndEveryReadIsAudited) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient resident(server.port()), provider(server.port()), other(server.port());
  ASSERT_TRUE(resident.sign_in("resident1@demo.invalid", kDemoPassword));
  ASSERT_TRUE(provider.sign_in("provider1@demo.invalid", kDemoPassword));
  ASSERT_TRUE(other.sign_in("provider2@demo.invalid", kDemoPassword));
  const auto organisation = linked_organisation(provider);
  ASSERT_EQ(organisation.size(), 36u);
  const auto record = my_record_id(resident);
  ASSERT_FALSE(record.empty());

  EXPECT_EQ(provider.get("/people/" + record).status, 404) << "no consent yet";

  // Bad grants are refused with the field named, and change nothing.
  resident.get("/my-information/sharing?organisation=" + organisation);
  const auto bad = resident.post_form("/my-information/sharing", {{"grantee_kind", "organisation"},
                                                                  {"organisation", organisation},
                                                                  {"purpose", "to offer me a place"},
                                                                  {"until", "2001-01-01"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("href=\"#until\""), std::string::npos);
  EXPECT_NE(bad.body.find("href=\"#parts\""), std::string::npos) << "no part chosen: the first error is the parts";
  const auto nobody = resident.post_form("/my-information/sharing", {{"grantee_kind", "organisation"},
                                                                     {"organisation", "no-such-organisation"},
                                                                     {"part", "needs"},
                                                                     {"purpose", "x"}});
  EXPECT_EQ(nobody.status, 422);
  EXPECT_EQ(provider.get("/people/" + record).status, 404);

  const auto granted = resident.post_form("/my-information/sharing", {{"grantee_kind", "organisation"},
                                                                      {"organisation", organisation},
                                                                      {"part", "needs"},
                                                                      {"purpose", "to offer me a place at lunch club"}});
  EXPECT_EQ(granted.status, 303);
  const auto seen = provider.get("/people/" + record);
  EXPECT_EQ(seen.status, 200);
  EXPECT_NE(seen.body.find("to offer me a place at lunch club"), std::string::npos) << "the page says why";
  EXPECT_NE(provider.get("/people").body.find("/people/" + record), std::string::npos);
  EXPECT_EQ(other.get("/people/" + record).status, 404) << "another organisation's staff";

  // The resident sees who looked and why.
  const auto trail = resident.get("/my-information/audit").body;
  EXPECT_NE(trail.find("Priya Provider (you shared it with them)"), std::string::npos);
  EXPECT_NE(trail.find("with consent: to offer me a place at lunch club"), std::string::npos);

  // Withdrawn: closed at once.
  const auto sharing = resident.get("/my-information/sharing").body;
  const auto form = sharing.find("/withdraw\"");
  ASSERT_NE(form, std::string::npos);
  const auto id_start = sharing.rfind("/my-information/sharing/", form) + 24;
  const auto consent = sharing.substr(id_start, form - id_start);
  EXPECT_EQ(other.post_form("/my-information/sharing/" + consent + "/withdraw", {}).status, 403);
  EXPECT_EQ(resident.post_form("/my-information/sharing/" + consent + "/withdraw", {}).status, 303);
  EXPECT_EQ(resident.post_form("/my-information/sharing/" + consent + "/withdraw", {}).status, 404);
  EXPECT_EQ(provider.get("/people/" + record).status, 404);

  // The chain is whole; changing any event breaks it.
  const auto verified = run_bespoke({"audit", "verify", "--db", db});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find("hash chain intact"), std::string::npos);
  auto conn = store::open(db);
  conn->execute("UPDATE audit_event SET purpose = 'nothing to see' WHERE seq = 2");
  const auto tampered = run_bespoke({"audit", "verify", "--db", db});
  EXPECT_EQ(tampered.exit_code, 1);
  EXPECT_NE(tampered.output.find("event 2"), std::string::npos) << tampered.output;
}

TEST_P(Privacy, CoordinatorsSeeTheirCaseloadAndDelegatesWhoTheyActFor) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient resident1(server.port()), resident2(server.port()), coordinator(server.port()), delegate(server.port());
  ASSERT_TRUE(resident1.sign_in("resident1@demo.invalid", kDemoPassword));
  ASSERT_TRUE(resident2.sign_in("resident2@demo.invalid", kDemoPassword));
  ASSERT_TRUE(coordinator.sign_in("coordinator1@demo.invalid", kDemoPassword));
  ASSERT_TRUE(delegate.sign_in("delegate1@demo.invalid", kDemoPassword));
  const auto one = my_record_id(resident1);
  const auto two = my_record_id(resident2);
  EXPECT_EQ(coordinator.get("/people/" + one).status, 200);
  EXPECT_EQ(coordinator.get("/people/" + two).status, 404) << "not on the caseload: as if it did not exist";
  EXPECT_EQ(delegate.get("/people/" + one).status, 200);
  EXPECT_EQ(delegate.get("/people/" + two).status, 404);
  const auto trail = resident1.get("/my-information/audit").body;
  EXPECT_NE(trail.find("Cara Coordinator (your care coordinator)"), std::string::npos);
  EXPECT_NE(trail.find("Dana Delegate (acting for you)"), std::string::npos);
  EXPECT_EQ(resident2.get("/my-information/audit").body.find("Cara Coordinator"), std::string::npos);
}

// Every text value of every row of every table, for the erasure check.
std::vector<std::string> every_value(store::Connection& db) {
  std::vector<std::string> out;
  for (const auto& table : db.table_names()) {
    for (const auto& row : db.query("SELECT * FROM " + table)) {
      for (std::size_t i = 0; i < row.size(); ++i)
        if (const auto text = row.optional_text(i)) out.push_back(*text);
    }
  }
  return out;
}

TEST_P(Privacy, ErasureLeavesNothingThatIdentifiesThePerson) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  std::string email = "resident1@demo.invalid";
  std::vector<std::string> identifying;
  {
    ServerProcess server(db, {"--demo"});
    BrowserClient resident(server.port()), provider(server.port());
    ASSERT_TRUE(resident.sign_in(email, kDemoPassword));
    ASSERT_TRUE(provider.sign_in("provider1@demo.invalid", kDemoPassword));
    // Leave traces everywhere: a consent, reads, a token, an export, failed sign-ins.
    const auto organisation = linked_organisation(provider);
    resident.get("/my-information/sharing");
    ASSERT_EQ(resident.post_form("/my-information/sharing", {{"grantee_kind", "organisation"}, {"organisation", organisation},
                                                             {"part", "needs"}, {"purpose", "lunch club"}})
                  .status,
              303);
    resident.get("/account/tokens");
    ASSERT_EQ(resident.post_form("/account/tokens", {{"name", "my app"}, {"scope", "use_own_account"}}).status, 201);
    const auto json = boost::json::parse(resident.get("/my-information/download").body);
    for (const auto& t : json.at("tables").as_array()) {
      const auto& rows = t.at("rows").as_array();
      if (rows.empty()) continue;
      if (t.at("table") == "account") {
        identifying.emplace_back(rows.at(0).at("public_id").as_string());
        identifying.emplace_back(rows.at(0).at("display_name").as_string());
      }
      if (t.at("table") == "resident") {
        const auto& r = rows.at(0).as_object();
        // Ids, and the whole name (a family name alone is also a shop's name).
        identifying.emplace_back(r.at("public_id").as_string());
        identifying.push_back(std::string(r.at("given_name").as_string()) + " " + std::string(r.at("family_name").as_string()));
      }
    }
    EXPECT_EQ(provider.get("/people/" + identifying.at(2)).status, 200) << identifying.at(2);
    BrowserClient stranger(server.port());
    stranger.get("/sign-in");
    stranger.post_form("/sign-in", {{"email", email}, {"password", "not the password"}});
  }
  identifying.push_back(email);
  ASSERT_GE(identifying.size(), 5u);
  {
    auto conn = store::open(db);
    const auto before = every_value(*conn);
    for (const auto& id : identifying)
      EXPECT_NE(std::find(before.begin(), before.end(), id), before.end()) << id << " is in the database before";
  }
  const auto erased = run_bespoke({"erase", "--email", email, "--db", db});
  ASSERT_EQ(erased.exit_code, 0) << erased.output;
  EXPECT_EQ(run_bespoke({"erase", "--email", email, "--db", db}).exit_code, 1) << "nobody left to erase";

  auto conn = store::open(db);
  for (const auto& value : every_value(*conn)) {
    for (const auto& id : identifying)
      EXPECT_EQ(value.find(id), std::string::npos) << "'" << id << "' remains in: " << value.substr(0, 200);
  }
  // The audit log is still whole and records the erasure.
  const auto verified = run_bespoke({"audit", "verify", "--db", db});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  // The search index (built from the directory) finds nothing of them either.
  ServerProcess server(db, {"--demo"});
  for (const auto& id : identifying) {
    const auto found = http(server.port(), "GET", "/api/v1/services?q=" + web::percent_encode(id));
    ASSERT_EQ(found.status, 200);
    EXPECT_EQ(found.body.find(id), std::string::npos) << id;
  }
  BrowserClient b(server.port());
  EXPECT_FALSE(b.sign_in(email, kDemoPassword));
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, Privacy, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return std::string(backend_name(info.param)); });

}  // namespace
}  // namespace bespoke::testing
