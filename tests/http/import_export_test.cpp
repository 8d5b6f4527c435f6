// `bespoke import` and `bespoke export` as a user runs them (the real binary,
// no HTTP), on SQLite and PostgreSQL: every reference example imported,
// exported, re-imported into a fresh database and exported again byte for
// byte; all-or-nothing imports; taxonomies; postcodes.
#include "hsds/model.h"
#include "http/server_process.h"
#include "http/test_env.h"
#include "store/database.h"
#include "store/hsds_store.h"
#include "store/postcode_store.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
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

// The standard's examples with their slips removed: the links the nesting
// implies instead of wrong link_entity/resource_type values, no parents that
// are not there, a latitude on Earth. Valid, so imported without --skip-invalid.
void repair(boost::json::value& v) {
  if (auto* o = v.if_object()) {
    for (const char* k : {"parent_id", "parent_organization_id", "link_entity", "resource_type"}) o->erase(k);
    if (auto* lat = o->if_contains("latitude"); lat && lat->is_number() && std::abs(lat->to_number<double>()) > 90)
      *lat = 51.5;
    for (auto& [k, child] : *o) repair(child);
  } else if (auto* a = v.if_array()) {
    for (auto& child : *a) repair(child);
  }
}

fs::path repaired_examples() {
  const auto dir = temp_dir("repaired");
  for (const char* f : {"service_full.json", "organization_full.json", "service_at_location_full.json", "location.json",
                        "taxonomy_term.json", "taxonomy.json"}) {
    auto v = boost::json::parse(read_file(reference(std::string("hsds-3.1/examples/") + f)));
    repair(v);
    write_file(dir / f, boost::json::serialize(v));
  }
  return dir;
}

TEST_P(ImportExport, EveryExampleSurvivesExportAndReimportByteForByte) {
  BESPOKE_NEED(fresh_database(GetParam(), first_skip), first);
  for (const char* folder : {"hsds-3.0/examples", "hsds-3.1/examples", "hsds-3.1/examples/csv", "oruk-3.0/examples",
                             "oruk-validator/mocks/V3.0-UK-Default", "oruk-validator/mocks/V3.0-UK-Warn"}) {
    // The examples have slips (dangling references, link_entity "link_entity"):
    // the valid records go in, the rest is reported.
    const auto r = run_bespoke({"import", "hsds", "--skip-invalid", "--db", first, reference(folder).string()});
    EXPECT_EQ(r.exit_code, 0) << folder << "\n" << r.output;
    EXPECT_TRUE(has(r.output, "imported ")) << r.output;
  }
  const auto repaired = run_bespoke({"import", "hsds", "--db", first, repaired_examples().string()});
  ASSERT_EQ(repaired.exit_code, 0) << repaired.output;
  for (const auto& e : hsds::entities()) {
    EXPECT_GT(count_of(first, std::string(e.name).c_str()), 0) << e.name;
  }

  const auto dir = temp_dir("export-1");
  const auto exported = run_bespoke({"export", "hsds", dir.string(), "--db", first, "--batch", "2"});
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  const auto before = files_under(dir);
  ASSERT_TRUE(before.contains("json/services.json"));
  ASSERT_TRUE(before.contains("csv/services.csv"));
  ASSERT_TRUE(before.contains("csv/datapackage.json"));

  // The JSON export, imported into a fresh database (no --skip-invalid: what we
  // export is valid), exports the same bytes; so does the CSV package.
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
         R"("organization_id":"55555555-5555-4555-8555-555555555555"})";                // no such organization
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
  EXPECT_TRUE(has(refused.output, "nothing was written")) << refused.output;
  EXPECT_TRUE(has(refused.output, "33333333-3333-4333-8333-333333333333") || has(refused.output, "services.json/1"))
      << refused.output;
  EXPECT_TRUE(has(refused.output, "services.json/2")) << refused.output;
  EXPECT_TRUE(has(refused.output, "services.json/1/name") || has(refused.output, "name")) << refused.output;
  EXPECT_EQ(count_of(db, "organization"), 0);
  EXPECT_EQ(count_of(db, "service"), 0);

  const auto skipped = run_bespoke({"import", "hsds", "--skip-invalid", "--db", db, dir.string()});
  EXPECT_EQ(skipped.exit_code, 0) << skipped.output;
  EXPECT_TRUE(has(skipped.output, "services.json/2")) << skipped.output;
  EXPECT_TRUE(has(skipped.output, "left out 2 invalid records")) << skipped.output;
  EXPECT_EQ(count_of(db, "organization"), 1);
  EXPECT_EQ(count_of(db, "service"), 1);
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
  EXPECT_EQ(count_of(db, "service"), 2);

  // A named file whose records cannot be told, and a path that is not there.
  write_file(later / "stuff.json", "[]");
  EXPECT_EQ(run_bespoke({"import", "hsds", "--db", db, (later / "stuff.json").string()}).exit_code, 1);
  EXPECT_EQ(run_bespoke({"import", "hsds", "--db", db, (later / "missing").string()}).exit_code, 1);
  EXPECT_EQ(run_bespoke({"import", "hsds", "--db", db}).exit_code, 2);
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
