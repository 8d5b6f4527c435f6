// `bespoke import` and `bespoke export` as a user runs them (the real binary),
// on SQLite and PostgreSQL: every reference example imported as it is (its
// slips are warnings), served, exported, re-imported into a fresh database and
// exported again byte for byte; the validator's failing feed refused with its
// reasons; all-or-nothing imports; taxonomies; postcodes.
#include "hsds/model.h"
#include "http/server_process.h"
#include "http/test_env.h"
#include "store/database.h"
#include "store/hsds_store.h"
#include "store/postcode_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace bespoke::testing {
namespace {

namespace fs = std::filesystem;

class ImportExport : public ::testing::TestWithParam<Backend> {};

std::string param_name(const ::testing::TestParamInfo<Backend>& info) { return backend_name(info.param); }

fs::path reference(const std::string& relative) {
  return fs::path(BESPOKE_SOURCE_DIR) / "data" / "reference" / "hsds" / relative;
}

fs::path temp_dir(const std::string& name) {
  const auto dir = fs::path(temp_sqlite_path(name + "-dir"));
  fs::create_directories(dir);
  return dir;
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Every file under `dir`, by path relative to it.
std::map<std::string, std::string> files_under(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) out[fs::relative(entry.path(), dir).string()] = read_file(entry.path());
  return out;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::int64_t count_of(const std::string& db, const char* entity) {
  auto c = store::open(db);
  return store::count(*c, hsds::entity(entity));
}

bool exists(const std::string& db, const char* entity, const char* id) {
  auto c = store::open(db);
  return store::exists(*c, hsds::entity(entity), id);
}

TEST_P(ImportExport, EveryExampleSurvivesExportAndReimportByteForByte) {
  BESPOKE_NEED(fresh_database(GetParam(), first_skip), first);
  // The standard's examples and the validator's passing feed import as they
  // are, all or nothing: their slips are warnings, shown, and the records are
  // stored as given (docs/directory.md, "Import: errors and warnings").
  const std::map<std::string, std::vector<std::string>> warnings = {
      {"hsds-3.0/examples",
       {"location.json/latitude: latitude 100 is outside -90 to 90",
        "organization_full.json/parent_organization_id: parent_organization_id \"cd09a387-91f4-4555-94ec-e799c35344cd\": "
        "there is no organization with that id",
        "service_full.json/attributes/0/link_entity: link_entity is \"link_entity\" but the record is nested in a service",
        "service_full.json/metadata/0/resource_type: resource_type is \"location\" but the record is nested in a service"}},
      {"hsds-3.1/examples", {"location.json/latitude: latitude 100 is outside -90 to 90"}},
      {"hsds-3.1/examples/csv",
       {"contacts.csv:2:organization_id: organization_id \"ae67a707-5893-4225-b0b1-320ab9cb596b\": there is no "
        "organization with that id"}},
      {"oruk-3.0/examples", {"latitude 100 is outside -90 to 90"}},
      {"oruk-validator/mocks/V3.0-UK-Default",
       {"organization_list.json/contents/0/attributes/0/id: id \"attr-001\" is not a UUID",
        "organization_list.json/contents/0/organization_identifiers/0/identifier_type: identifier_type is required; "
        "the identifier_scheme \"UK-CHTY\" stands in for it",
        "organization_list.json/contents/0/name: name \"Global Outreach Initiative\" replaces the \"Example "
        "Organization Inc.\" read before for the same organization"}},
  };
  for (const auto& [folder, expected] : warnings) {
    const auto r = run_bespoke({"import", "hsds", "--db", first, reference(folder).string()});
    EXPECT_EQ(r.exit_code, 0) << folder << "\n" << r.output;
    EXPECT_TRUE(has(r.output, "imported ")) << r.output;
    EXPECT_TRUE(has(r.output, "the records are stored as given:")) << r.output;
    EXPECT_FALSE(has(r.output, "nothing was written")) << r.output;
    for (const auto& w : expected) EXPECT_TRUE(has(r.output, w)) << folder << ": no warning " << w << "\n" << r.output;
  }
  for (const auto& e : hsds::entities()) {
    EXPECT_GT(count_of(first, std::string(e.name).c_str()), 0) << e.name;
  }
  // Nothing was left out: the validator's ids, the identifiers without a type.
  EXPECT_TRUE(exists(first, "attribute", "attr-011"));
  EXPECT_TRUE(exists(first, "organization_identifier", "reg-12345"));
  {
    auto c = store::open(first);
    const auto type = c->scalar("SELECT identifier_type FROM organization_identifier WHERE id = 'reg-12345'");
    ASSERT_TRUE(type.has_value());
    EXPECT_TRUE(std::holds_alternative<std::monostate>(*type));
  }

  // The validator's warning feed has one real error (a term_uri that is not a
  // URI): refused; --skip-invalid imports the rest.
  const auto warn = reference("oruk-validator/mocks/V3.0-UK-Warn").string();
  const auto refused = run_bespoke({"import", "hsds", "--db", first, warn});
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_TRUE(has(refused.output, "1 error found; nothing was written")) << refused.output;
  EXPECT_TRUE(has(refused.output, "term_uri \"example_com\" is not an absolute URI")) << refused.output;
  const auto skipped = run_bespoke({"import", "hsds", "--skip-invalid", "--db", first, warn});
  EXPECT_EQ(skipped.exit_code, 0) << skipped.output;

  // A location at latitude 100 and references to records that are nowhere:
  // the pages and the API serve them.
  {
    ServerProcess server(first, {"--no-migrate"});
    const std::string service = "ac148810-d857-441c-9679-408f346de14b";
    const std::vector<std::string> targets = {"/services/" + service,
                                              "/hsds/services/" + service,
                                              "/hsds/services",
                                              "/hsds/service_at_locations",
                                              "/organisations/d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
                                              "/hsds/organizations/d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
                                              "/hsds/taxonomy_terms",
                                              "/services?q=counselling",
                                              "/api/v1/services?lat=51.5&lon=-0.1&radius_km=200"};
    for (const auto& target : targets) {
      const auto reply = http(server.port(), "GET", target);
      EXPECT_EQ(reply.status, 200) << target << "\n" << reply.body.substr(0, 500);
    }
    // The site at latitude 100 is served as given.
    EXPECT_TRUE(has(http(server.port(), "GET", "/hsds/services/" + service).body, "\"latitude\":100")) << service;
    EXPECT_TRUE(server.running());
  }

  const auto dir = temp_dir("export-1");
  const auto exported = run_bespoke({"export", "hsds", dir.string(), "--db", first, "--batch", "2"});
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  const auto before = files_under(dir);
  ASSERT_TRUE(before.contains("json/services.json"));
  ASSERT_TRUE(before.contains("csv/services.csv"));
  ASSERT_TRUE(before.contains("csv/datapackage.json"));

  // The JSON export, imported into a fresh database (no --skip-invalid: what we
  // export has no errors, only the warnings it had coming in), exports the same
  // bytes; so does the CSV package.
  for (const char* part : {"json", "csv"}) {
    SCOPED_TRACE(part);
    BESPOKE_NEED(fresh_database(GetParam(), second_skip), second);
    const auto imported = run_bespoke({"import", "hsds", "--db", second, (dir / part).string()});
    ASSERT_EQ(imported.exit_code, 0) << imported.output;
    const auto again = temp_dir(std::string("export-2-") + part);
    const auto r = run_bespoke({"export", "hsds", again.string(), "--db", second});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto after = files_under(again);
    ASSERT_EQ(after.size(), before.size());
    for (const auto& [name, content] : before) {
      ASSERT_TRUE(after.contains(name)) << name;
      EXPECT_TRUE(after.at(name) == content) << name << " differs";
    }
    for (const auto& e : hsds::entities()) {
      EXPECT_EQ(count_of(second, std::string(e.name).c_str()), count_of(first, std::string(e.name).c_str())) << e.name;
    }
  }

  // Only one format when asked; a second export replaces the first's files.
  const auto json_only = temp_dir("export-json");
  ASSERT_EQ(run_bespoke({"export", "hsds", json_only.string(), "--format", "json", "--db", first}).exit_code, 0);
  EXPECT_TRUE(fs::exists(json_only / "json" / "services.json"));
  EXPECT_FALSE(fs::exists(json_only / "csv"));
  EXPECT_EQ(run_bespoke({"export", "hsds", json_only.string(), "--format", "xml", "--db", first}).exit_code, 2);
}

constexpr const char* kOrg = "11111111-1111-4111-8111-111111111111";

std::string services_json(bool with_bad) {
  std::string s = R"([{"id":"22222222-2222-4222-8222-222222222222","organization_id":")" + std::string(kOrg) +
                  R"(","name":"Food bank","status":"active"})";
  if (with_bad) {
    s += R"(,{"id":"33333333-3333-4333-8333-333333333333","status":"open"})";           // no name, bad status
    s += R"(,{"id":"44444444-4444-4444-8444-444444444444","name":"Lost","status":"active",)"
         R"("organization_id":"55555555-5555-4555-8555-555555555555"})";                // no such organization: a warning
    s += R"(,{"id":"77777777-7777-4777-8777-777777777777","name":"Mail","status":"active","email":"nobody"})";  // bad email
  }
  return s + "]";
}

TEST_P(ImportExport, ImportIsAllOrNothingUnlessSkippingInvalidRecords) {
  BESPOKE_NEED(fresh_database(GetParam(), db_skip), db);
  const auto dir = temp_dir("all-or-nothing");
  write_file(dir / "organizations.json",
             R"([{"id":")" + std::string(kOrg) + R"(","name":"Helping Hands","description":"Local charity"}])");
  write_file(dir / "services.json", services_json(true));
  write_file(dir / "notes.json", "{}");  // not HSDS: skipped in a folder

  const auto refused = run_bespoke({"import", "hsds", "--db", db, dir.string()});
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_TRUE(has(refused.output, "3 errors found; nothing was written:")) << refused.output;
  EXPECT_TRUE(has(refused.output, "services.json/1/name: name is required")) << refused.output;
  EXPECT_TRUE(has(refused.output, "services.json/1/status: status \"open\" is not one of")) << refused.output;
  EXPECT_TRUE(has(refused.output, "services.json/3/email: email \"nobody\" is not an email address")) << refused.output;
  EXPECT_TRUE(has(refused.output, "and 1 warning, which alone would not stop the import:\n  ")) << refused.output;
  EXPECT_TRUE(has(refused.output, "services.json/2/organization_id: organization_id "
                                  "\"55555555-5555-4555-8555-555555555555\": there is no organization with that id"))
      << refused.output;
  EXPECT_EQ(count_of(db, "organization"), 0);
  EXPECT_EQ(count_of(db, "service"), 0);

  const auto skipped = run_bespoke({"import", "hsds", "--skip-invalid", "--db", db, dir.string()});
  EXPECT_EQ(skipped.exit_code, 0) << skipped.output;
  EXPECT_TRUE(has(skipped.output, "services.json/1/name")) << skipped.output;
  EXPECT_TRUE(has(skipped.output, "services.json/3/email")) << skipped.output;
  EXPECT_TRUE(has(skipped.output, "left out 2 invalid records")) << skipped.output;
  // The service whose organization is nowhere is kept, with its warning.
  EXPECT_TRUE(has(skipped.output, "1 warning; the records are stored as given:\n  ")) << skipped.output;
  EXPECT_TRUE(has(skipped.output, "services.json/2/organization_id")) << skipped.output;
  EXPECT_EQ(count_of(db, "organization"), 1);
  EXPECT_EQ(count_of(db, "service"), 2);
  EXPECT_TRUE(exists(db, "service", "44444444-4444-4444-8444-444444444444"));
  {
    auto c = store::open(db);
    const auto changes = store::changes_since(*c, 0, 10);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].entity, "*");
  }

  // A later import may point at records already in the database.
  const auto later = temp_dir("later");
  write_file(later / "service.json", R"({"id":"66666666-6666-4666-8666-666666666666","organization_id":")" +
                                         std::string(kOrg) + R"(","name":"Lunch club","status":"active"})");
  const auto r = run_bespoke({"import", "hsds", "--db", db, (later / "service.json").string()});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_FALSE(has(r.output, "warning")) << r.output;
  EXPECT_EQ(count_of(db, "service"), 3);

  // A named file whose records cannot be told, and a path that is not there.
  write_file(later / "stuff.json", "[]");
  EXPECT_EQ(run_bespoke({"import", "hsds", "--db", db, (later / "stuff.json").string()}).exit_code, 1);
  EXPECT_EQ(run_bespoke({"import", "hsds", "--db", db, (later / "missing").string()}).exit_code, 1);
  EXPECT_EQ(run_bespoke({"import", "hsds", "--db", db}).exit_code, 2);
}

TEST_P(ImportExport, TheValidatorsFailingFeedIsRefusedWithItsReasons) {
  BESPOKE_NEED(fresh_database(GetParam(), db_skip), db);
  const auto fail = reference("oruk-validator/mocks/V3.0-UK-Fail");
  const auto r = run_bespoke({"import", "hsds", "--db", db, fail.string()});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(has(r.output, "errors found; nothing was written:")) << r.output;
  for (const char* reason : {"service_list.json/contents/2/email: email must be a string, found a boolean",
                             "service_list.json/contents/3/email: email must be a string, found a number",
                             "service_list.json/contents/1/name: name is required",
                             "email \"email-example_com\" is not an email address",
                             "url \"example_counselling\" is not an absolute URI"})
    EXPECT_TRUE(has(r.output, reason)) << reason << "\n" << r.output;
  for (const auto& e : hsds::entities()) EXPECT_EQ(count_of(db, std::string(e.name).c_str()), 0) << e.name;
  // Each of its failing files on its own, too.
  for (const char* file : {"service_full.json", "service_list.json", "taxonomy_term.json"}) {
    const auto one = run_bespoke({"import", "hsds", "--db", db, (fail / file).string()});
    EXPECT_EQ(one.exit_code, 1) << file << "\n" << one.output;
  }
  EXPECT_TRUE(has(run_bespoke({"import", "hsds", "--db", db, (fail / "service_full.json").string()}).output,
                  "service_full.json/url: url \"example/counselling\" is not an absolute URI"));
  EXPECT_TRUE(has(run_bespoke({"import", "hsds", "--db", db, (fail / "taxonomy_term.json").string()}).output,
                  "taxonomy_term.json/description: description is required"));
}

TEST_P(ImportExport, ImportsTaxonomies) {
  BESPOKE_NEED(fresh_database(GetParam(), db_skip), db);
  // The file repeats one id (1206): all or nothing refuses it, --skip-invalid
  // loads the rest and says what it left out.
  const auto xml = reference("openeligibility/taxonomy.xml").string();
  const auto refused = run_bespoke({"import", "taxonomy", "--db", db, xml});
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_TRUE(has(refused.output, "1206")) << refused.output;
  EXPECT_EQ(count_of(db, "taxonomy_term"), 0);
  const auto oe = run_bespoke({"import", "taxonomy", "--skip-invalid", "--db", db, xml});
  ASSERT_EQ(oe.exit_code, 0) << oe.output;
  EXPECT_TRUE(has(oe.output, "openEligibility")) << oe.output;
  EXPECT_TRUE(has(oe.output, "1206")) << oe.output;
  const auto oe_terms = count_of(db, "taxonomy_term");
  EXPECT_GT(oe_terms, 100);
  EXPECT_EQ(run_bespoke({"import", "taxonomy", "--db", db, "--name", "esdNeed", xml}).exit_code, 2);

  const auto dir = temp_dir("taxonomy");
  write_file(dir / "needs.csv", "Identifier,Label,Description,Parent\r\n1,Food,Having enough to eat,\r\n"
                                "2,Hot meals,,1\r\n3,Warmth,Keeping warm,\r\n");
  EXPECT_EQ(run_bespoke({"import", "taxonomy", "--db", db, (dir / "needs.csv").string()}).exit_code, 2);  // no --name
  const auto csv = run_bespoke({"import", "taxonomy", "--db", db, "--name", "esdNeed", "--uri",
                                "http://id.esd.org.uk/list/needs", (dir / "needs.csv").string()});
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  EXPECT_TRUE(has(csv.output, "3 terms")) << csv.output;
  EXPECT_EQ(count_of(db, "taxonomy_term"), oe_terms + 3);
  EXPECT_EQ(count_of(db, "taxonomy"), 2);
  // Loading the same list again changes nothing (ids come from name and code).
  ASSERT_EQ(run_bespoke({"import", "taxonomy", "--db", db, "--name", "esdNeed", (dir / "needs.csv").string()}).exit_code, 0);
  EXPECT_EQ(count_of(db, "taxonomy_term"), oe_terms + 3);

  write_file(dir / "bad.csv", "code,name\r\n1,One\r\n2,Two,extra,\"unterminated\r\n");
  const auto bad = run_bespoke({"import", "taxonomy", "--db", db, "--name", "badList", (dir / "bad.csv").string()});
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_EQ(count_of(db, "taxonomy"), 2);
}

TEST_P(ImportExport, ImportsPostcodes) {
  BESPOKE_NEED(fresh_database(GetParam(), db_skip), db);
  const auto dir = temp_dir("postcodes");
  write_file(dir / "onspd.csv",
             "pcd,pcds,doterm,ctry,lat,long,lsoa21cd,imd\r\n"
             "SW1A1AA,SW1A 1AA,,E92000001,51.501009,-0.141588,E01004736,18000\r\n"
             "SW1A1AB,SW1A 1AB,200012,E92000001,51.501,-0.1415,E01004736,18000\r\n"
             "ZZ991ZZ,ZZ99 1ZZ,,E92000001,99.999999,0.000000,,\r\n"
             "CF101EP,CF10 1EP,,W92000004,51.481,-3.179,W01001939,100\r\n");
  const auto r = run_bespoke({"import", "postcodes", "--db", db, (dir / "onspd.csv").string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "2 loaded, 1 skipped without coordinates, 1 terminated")) << r.output;
  {
    auto c = store::open(db);
    EXPECT_EQ(store::count_postcodes(*c), 2);
    const auto found = store::find_postcode(*c, "sw1a 1aa");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->deprivation_decile, 6);
    EXPECT_EQ(found->area_code, "E01004736");
  }
  write_file(dir / "other.csv", "name,value\r\nx,1\r\n");
  const auto bad = run_bespoke({"import", "postcodes", "--db", db, (dir / "other.csv").string()});
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_TRUE(has(bad.output, "pcds")) << bad.output;
}

TEST(ImportExportHelp, EveryCommandHasHelp) {
  const auto top = run_bespoke({"import", "--help"});
  EXPECT_EQ(top.exit_code, 0) << top.output;
  EXPECT_TRUE(has(top.output, "postcodes")) << top.output;
  for (const auto& args : std::vector<std::vector<std::string>>{{"import", "hsds", "--help"},
                                                                {"import", "taxonomy", "--help"},
                                                                {"import", "postcodes", "--help"},
                                                                {"export", "hsds", "--help"}}) {
    const auto r = run_bespoke(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << " " << args[1] << "\n" << r.output;
    EXPECT_TRUE(has(r.output, "--db")) << r.output;
  }
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, ImportExport, ::testing::Values(Backend::sqlite, Backend::postgres), param_name);

}  // namespace
}  // namespace bespoke::testing
