#include "web/hsds/json_write.h"

#include "examples_set.h"
#include "web/hsds/json_read.h"

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace bespoke::hsds {
namespace {
namespace json = boost::json;

RecordSet small_set() {
  RecordSet set;
  const auto issues = read_json(R"({"id":"s1","name":"S","status":"active","minimum_age":12,"description":"",
      "phones":[{"id":"p1","number":"1","languages":[{"id":"l1","name":"Urdu"}]}],
      "organization":{"id":"o1","name":"O","description":"d","alternate_name":"alt","year_incorporated":2011.5},
      "service_at_locations":[{"id":"sal1","location":{"id":"loc1","location_type":"physical","latitude":51.5}}],
      "attributes":[{"id":"a1","taxonomy_term":{"id":"t1","name":"T","description":"t","code":"C"}}]})",
                                entity("service"), "s.json", set);
  EXPECT_TRUE(issues.empty());
  return set;
}

TEST(ToJson, IntegersStayIntegersAndOtherNumbersDoubles) {
  EXPECT_TRUE(to_json(Value{12.0}).is_int64());
  EXPECT_EQ(to_json(Value{12.0}).as_int64(), 12);
  EXPECT_TRUE(to_json(Value{51.5}).is_double());
  EXPECT_TRUE(to_json(Value{1e300}).is_double());
  EXPECT_TRUE(to_json(Value{}).is_null());
  EXPECT_EQ(number_text(12.0), "12");
  EXPECT_EQ(number_text(-3.0), "-3");
  EXPECT_EQ(number_text(51.5), "51.5");
  EXPECT_EQ(number_text(0.1), "0.1");
}

TEST(ToJson, DirectFieldsOmitAbsentAndEmpty) {
  const auto set = small_set();
  const auto out = to_json(*set.find(entity("service"), "s1"), set, {Profile::all, Depth::direct});
  EXPECT_EQ(json::serialize(out),
            R"({"id":"s1","organization_id":"o1","name":"S","status":"active","minimum_age":12})");
}

TEST(ToJson, FullNestingExpandsChildrenReferencesAndAttributeTerms) {
  const auto set = small_set();
  const auto out = to_json(*set.find(entity("service"), "s1"), set);
  EXPECT_EQ(out.at("phones").at(0).at("languages").at(0).at("name"), "Urdu");
  EXPECT_EQ(out.at("organization").at("name"), "O");
  EXPECT_EQ(out.at("organization").at("year_incorporated").as_double(), 2011.5);
  EXPECT_EQ(out.at("service_at_locations").at(0).at("location").at("latitude").as_double(), 51.5);
  EXPECT_EQ(out.at("attributes").at(0).at("taxonomy_term").at("code"), "C");
  // The organization's services would expand the service again: not done.
  EXPECT_FALSE(out.at("organization").as_object().contains("services"));
  EXPECT_FALSE(out.at("service_at_locations").at(0).as_object().contains("service"));
}

TEST(ToJson, OrganizationExpandsItsServicesButNotTheirOrganization) {
  const auto set = small_set();
  const auto out = to_json(*set.find(entity("organization"), "o1"), set);
  ASSERT_EQ(out.at("services").as_array().size(), 1u);
  EXPECT_FALSE(out.at("services").at(0).as_object().contains("organization"));
}

TEST(ToJson, OrukProfileDropsFieldsAndChildrenOutsideIt) {
  const auto set = small_set();
  const auto out = to_json(*set.find(entity("service"), "s1"), set, {Profile::oruk, Depth::full});
  EXPECT_FALSE(out.at("organization").as_object().contains("alternate_name"));
  EXPECT_FALSE(out.at("organization").as_object().contains("year_incorporated"));
  EXPECT_FALSE(out.contains("phones"));  // service.phones is not in ORUK
  EXPECT_FALSE(out.at("attributes").at(0).at("taxonomy_term").as_object().contains("code"));
  const auto hsds = to_json(*set.find(entity("service"), "s1"), set, {Profile::hsds31, Depth::full});
  EXPECT_TRUE(hsds.contains("phones"));
}

RecordSet read_back(const std::vector<std::pair<std::string, json::array>>& files) {
  RecordSet back;
  for (const auto& [name, array] : files) {
    const auto e = entity_for_file(name);
    EXPECT_TRUE(e) << name;
    if (!e) continue;
    const auto issues = read_json_value(array, e->get(), name, back);
    EXPECT_TRUE(issues.empty()) << name << ": " << issues.front();
  }
  return back;
}

TEST(ExportJson, SmallSetRoundTrips) {
  const auto set = small_set();
  const auto files = export_json(set);
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files.front().first, "taxonomy_terms.json");  // no taxonomies in this set
  EXPECT_EQ(read_back(files), set);
}

TEST(ExportJson, AllExamplesRoundTripLosslessly) {
  const auto set = test_files::all_examples();
  ASSERT_GT(set.size(), 40u);  // the examples share ids: 50 distinct records
  const auto files = export_json(set);
  const auto back = read_back(files);
  EXPECT_EQ(back.size(), set.size());
  for (const auto& e : entities())
    for (const Record* r : set.all(e)) {
      const Record* b = back.find(e, r->id());
      ASSERT_TRUE(b) << e.name << " " << r->id();
      EXPECT_EQ(*b, *r) << e.name << " " << r->id() << "\n" << json::serialize(to_json(*r, set, {Profile::all, Depth::direct}))
                        << "\n" << json::serialize(to_json(*b, back, {Profile::all, Depth::direct}));
    }
  EXPECT_EQ(back, set);
}

TEST(ExportJson, AttributesOfNoNamedEntityGoToTheirOwnFile) {
  RecordSet set;
  Record s(entity("service"));
  s.set("id", "s1");
  s.set("name", "S");
  set.add(s);
  Record a(entity("attribute"));
  a.set("id", "a1");
  a.set("link_id", "s1");  // no link_entity: nesting it would add one on reading
  set.add(a);
  const auto files = export_json(set);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[1].first, "attributes.json");
  EXPECT_EQ(read_back(files), set);
}

}  // namespace
}  // namespace bespoke::hsds
