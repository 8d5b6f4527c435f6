#include "web/hsds/csv_package.h"

#include "examples_set.h"
#include "hsds/validate.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <sstream>

namespace bespoke::hsds {
namespace {

const PackageFile* file_named(const std::vector<PackageFile>& files, std::string_view name) {
  for (const auto& f : files)
    if (f.name == name) return &f;
  return nullptr;
}

RecordSet read_files(const std::vector<PackageFile>& files) {
  RecordSet back;
  for (const auto& f : files) {
    const Entity* e = entity_for_csv_file(f.name);
    if (!e) continue;
    std::istringstream in(f.content);
    const auto issues = read_csv_table(in, *e, f.name, back);
    EXPECT_TRUE(issues.empty()) << f.name << ": " << issues.front();
  }
  return back;
}

TEST(CsvPackage, WritesHeaderInModelOrderNumbersAsJsonAndEmptyCells) {
  RecordSet set;
  Record r(entity("location"));
  r.set("id", "l1");
  r.set("location_type", "physical");
  r.set("name", "Hall, \"main\"");
  r.set("latitude", 51.5);
  r.set("longitude", -1.0);
  set.add(r);
  const auto files = write_csv_package(set);
  EXPECT_EQ(files.size(), entities().size() + 1);
  const auto* locations = file_named(files, "locations.csv");
  ASSERT_TRUE(locations);
  EXPECT_EQ(locations->content,
            "id,location_type,url,organization_id,name,alternate_name,description,transportation,latitude,longitude,"
            "external_identifier,external_identifier_type\r\n"
            "l1,physical,,,\"Hall, \"\"main\"\"\",,,,51.5,-1,,\r\n");
  EXPECT_EQ(file_named(files, "phones.csv")->content,
            "id,location_id,service_id,organization_id,contact_id,service_at_location_id,number,extension,type,"
            "description\r\n");
}

TEST(CsvPackage, DatapackageDescribesEveryTable) {
  const auto doc = boost::json::parse(datapackage_json());
  const auto& resources = doc.at("resources").as_array();
  ASSERT_EQ(resources.size(), entities().size());
  const auto& services = resources[7].as_object();
  EXPECT_EQ(services.at("name"), "service");
  EXPECT_EQ(services.at("path"), "services.csv");
  const auto& fields = services.at("schema").at("fields").as_array();
  EXPECT_EQ(fields[0].at("name"), "id");
  EXPECT_EQ(fields[0].at("format"), "uuid");
  EXPECT_EQ(fields[0].at("constraints").at("required"), true);
  EXPECT_EQ(services.at("schema").at("foreignKeys").at(0).at("reference").at("resource"), "organization");
}

TEST(CsvPackage, ExamplesRoundTrip) {
  const auto set = test_files::all_examples();
  EXPECT_EQ(read_files(write_csv_package(set)), set);
}

TEST(CsvPackage, FolderRoundTrip) {
  const auto set = test_files::all_examples();
  const auto folder = std::filesystem::temp_directory_path() / ("hsds_csv_test_" + std::to_string(::getpid()));
  ASSERT_TRUE(write_csv_package(set, folder).has_value());
  RecordSet back;
  const auto issues = read_csv_package(folder, back);
  std::filesystem::remove_all(folder);
  EXPECT_TRUE(issues.empty()) << issues.front();
  EXPECT_EQ(back, set);
}

TEST(CsvPackage, ReadsTheStandardsExamplePackage) {
  RecordSet set;
  const auto issues = read_csv_package(test_files::reference_dir() / "hsds-3.1/examples/csv", set);
  for (const auto& i : issues) ADD_FAILURE() << i;
  EXPECT_EQ(set.size(entity("service")), 1u);
  EXPECT_GE(set.size(entity("organization")), 1u);
  const Record* service = set.find(entity("service"), "ac148810-d857-441c-9679-408f346de14b");
  ASSERT_TRUE(service);
  EXPECT_EQ(service->number("minimum_age"), 12.0);
  EXPECT_EQ(service->text("organization_id"), "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610");
  EXPECT_EQ(service->source, "services.csv:2");
  EXPECT_FALSE(service->text("nonexistent"));
}

TEST(CsvPackage, ReportsUnknownColumnsBadNumbersAndShortRows) {
  std::istringstream in("id,colour,minimum_age,name\r\ns1,red,twelve,S\r\ns2,blue\r\n,x,1,y\r\n");
  RecordSet set;
  const auto issues = read_csv_table(in, entity("service"), "services.csv", set);
  const std::vector<Issue> expected = {
      {"services.csv:1:2", "unknown column \"colour\" for service"},
      {"services.csv:2:3", "minimum_age \"twelve\" is not a number"},
      {"services.csv:3", "2 fields where the header has 4"},
      {"services.csv:4", "a service without an id is skipped"},
  };
  EXPECT_EQ(issues, expected);
  EXPECT_EQ(set.size(), 2u);
  EXPECT_EQ(set.find(entity("service"), "s1")->text("name"), "S");
}

TEST(CsvPackage, MalformedCsvNamesTheLine) {
  std::istringstream in("id,name\ns1,\"open\n");
  RecordSet set;
  const auto issues = read_csv_table(in, entity("service"), "services.csv", set);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].path, "services.csv:2");
}

}  // namespace
}  // namespace bespoke::hsds
