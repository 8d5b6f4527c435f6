#include "web/hsds/json_read.h"

#include "web/hsds/json_write.h"
#include "hsds/validate.h"
#include "test_files.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <map>
#include <set>

namespace bespoke::hsds {
namespace {
namespace json = boost::json;

constexpr const char* service_id = "ac148810-d857-441c-9679-408f346de14b";
constexpr const char* org_id = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610";
constexpr const char* phone_id = "1554f2e2-a373-45db-a3fa-9fc48a61c15e";

TEST(EntityForFile, ReferenceAndExportNames) {
  auto name = [](std::string_view f) { return std::string(entity_for_file(f)->get().name); };
  EXPECT_EQ(name("service_full.json"), "service");
  EXPECT_EQ(name("service_list.json"), "service");
  EXPECT_EQ(name("services.json"), "service");
  EXPECT_EQ(name("some/dir/organization_full.json"), "organization");
  EXPECT_EQ(name("organization_list.json"), "organization");
  EXPECT_EQ(name("organization.json"), "organization");
  EXPECT_EQ(name("service_at_location_full.json"), "service_at_location");
  EXPECT_EQ(name("service_at_location_list.json"), "service_at_location");
  EXPECT_EQ(name("taxonomy.json"), "taxonomy");
  EXPECT_EQ(name("taxonomy_list.json"), "taxonomy");
  EXPECT_EQ(name("taxonomies.json"), "taxonomy");
  EXPECT_EQ(name("taxonomy_term.json"), "taxonomy_term");
  EXPECT_EQ(name("taxonomy_term_list.json"), "taxonomy_term");
  EXPECT_EQ(name("location.json"), "location");
  EXPECT_EQ(name("phones.json"), "phone");
  EXPECT_EQ(name("service_capacity.json"), "service_capacity");
  EXPECT_FALSE(entity_for_file("api_details.json"));
  EXPECT_FALSE(entity_for_file("base.json"));
  EXPECT_FALSE(entity_for_file("nonsense.json"));
  EXPECT_TRUE(is_api_details_file("x/api_details.json"));
  EXPECT_FALSE(is_api_details_file("services.json"));
}

TEST(ReadJson, FlattensOwnedChildrenAndReferences) {
  RecordSet set;
  const auto issues = read_json(R"({"id":"ac148810-d857-441c-9679-408f346de14b","name":"S","status":"active",
    "minimum_age":12,
    "phones":[{"id":"1554f2e2-a373-45db-a3fa-9fc48a61c15e","number":"1"}],
    "organization":{"id":"d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610","name":"O","description":"d"},
    "attributes":[{"id":"ae58cc39-8b70-4ab1-8aea-786882e5ac8e",
                   "taxonomy_term":{"id":"3f7b145d-84af-42d7-8fae-eaca714b02b2","name":"T","description":"t"}}]})",
                                entity("service"), "s.json", set);
  EXPECT_TRUE(issues.empty()) << issues.front();
  EXPECT_EQ(set.size(), 5u);
  const Record* service = set.find(entity("service"), service_id);
  ASSERT_TRUE(service);
  EXPECT_EQ(service->text("organization_id"), org_id);
  EXPECT_EQ(service->number("minimum_age"), 12.0);
  EXPECT_EQ(service->source, "s.json");
  const Record* phone = set.find(entity("phone"), phone_id);
  ASSERT_TRUE(phone);
  EXPECT_EQ(phone->text("service_id"), service_id);
  EXPECT_EQ(phone->source, "s.json/phones/0");
  const Record* attribute = set.find(entity("attribute"), "ae58cc39-8b70-4ab1-8aea-786882e5ac8e");
  ASSERT_TRUE(attribute);
  EXPECT_EQ(attribute->text("link_id"), service_id);
  EXPECT_EQ(attribute->text("link_entity"), "service");
  EXPECT_EQ(attribute->text("taxonomy_term_id"), "3f7b145d-84af-42d7-8fae-eaca714b02b2");
}

TEST(ReadJson, AcceptsArraysAndPages) {
  RecordSet set;
  auto issues = read_json(R"([{"id":"a1","name":"x"},{"id":"a2","name":"y"}])", entity("taxonomy"), "t.json", set);
  EXPECT_TRUE(issues.empty());
  issues = read_json(R"({"total_items":1,"total_pages":1,"page_number":1,"size":1,"first_page":true,
                         "last_page":true,"empty":false,"contents":[{"id":"a3","name":"z"}]})",
                     entity("taxonomy"), "p.json", set);
  EXPECT_TRUE(issues.empty());
  EXPECT_EQ(set.size(entity("taxonomy")), 3u);
  EXPECT_EQ(set.find(entity("taxonomy"), "a3")->source, "p.json/contents/0");
}

TEST(ReadJson, ReportsWrongTypesUnknownPropertiesAndConflictingLinks) {
  RecordSet set;
  const auto issues = read_json(R"({"contents":[{},{"id":"s1","name":7,"minimum_age":"12","colour":"red",
      "phones":[{"id":"p1","number":"1","service_id":"other"},{"id":"p/2","number":null}],
      "organization":"not an object","description":null}],"extra":1})",
                                entity("service"), "service_list.json", set);
  const std::vector<Issue> expected = {
      {"service_list.json/extra", "unknown property \"extra\" of a page"},
      {"service_list.json/contents/0", "a service without an id is skipped"},
      {"service_list.json/contents/1/name", "name must be a string, found a number"},
      {"service_list.json/contents/1/minimum_age", "minimum_age must be a number, found a string"},
      {"service_list.json/contents/1/colour", "unknown property \"colour\" of a service"},
      {"service_list.json/contents/1/organization", "organization must be an object, found a string"},
      // A link of its own that contradicts the nesting: kept, with a warning.
      {"service_list.json/contents/1/phones/0/service_id",
       "service_id is \"other\" but the record is nested in service \"s1\"; stored as given, so it is not listed "
       "with that service",
       Severity::warning},
      // null for a required field is absent, which hsds::validate reports.
  };
  EXPECT_EQ(issues, expected);
  const Record* service = set.find(entity("service"), "s1");
  ASSERT_TRUE(service);
  EXPECT_FALSE(service->text("description"));  // null for an optional field: absent, no issue
  EXPECT_EQ(set.find(entity("phone"), "p1")->text("service_id"), "other");
  EXPECT_FALSE(set.find(entity("phone"), "p/2")->text("number"));
}

TEST(ReadJson, ANestedReferenceThatContradictsTheLinkKeepsTheLink) {
  RecordSet set;
  const auto issues = read_json(R"({"id":"s1","name":"S","status":"active","organization_id":"o1",
      "organization":{"id":"o2","name":"O","description":"d"}})",
                                entity("service"), "s.json", set);
  const std::vector<Issue> expected = {
      {"s.json/organization/id", "the nested organization is \"o2\" but organization_id is \"o1\"; organization_id "
                                 "is stored as given",
       Severity::warning}};
  EXPECT_EQ(issues, expected);
  EXPECT_EQ(set.find(entity("service"), "s1")->text("organization_id"), "o1");
  EXPECT_TRUE(set.contains(entity("organization"), "o2"));
}

TEST(ReadJson, ARecordReadTwiceKeepsTheLaterValuesAndSaysWhichItReplaced) {
  RecordSet set;
  // The same location under two services: equal values say nothing.
  EXPECT_TRUE(read_json(R"([{"id":"s1","name":"A","status":"active","service_at_locations":[{"id":"a1",
                             "location":{"id":"l1","location_type":"physical","latitude":51.5}}]},
                            {"id":"s2","name":"B","status":"active","service_at_locations":[{"id":"a2",
                             "location":{"id":"l1","location_type":"physical","latitude":51.5}}]}])",
                        entity("service"), "services.json", set)
                  .empty());
  // Another file gives it other values: they replace the first, with a warning each.
  const auto issues = read_json(R"({"id":"l1","location_type":"physical","latitude":52,"name":"Hall"})",
                                entity("location"), "location.json", set);
  const std::vector<Issue> expected = {
      {"location.json/latitude",
       "latitude 52 replaces the 51.5 read before for the same location at services.json/0/service_at_locations/0/location",
       Severity::warning}};
  EXPECT_EQ(issues, expected);
  EXPECT_EQ(set.find(entity("location"), "l1")->number("latitude"), 52.0);
  EXPECT_EQ(set.find(entity("location"), "l1")->text("name"), "Hall");
}

TEST(ReadJson, NotJsonIsOneIssue) {
  RecordSet set;
  const auto issues = read_json("{\"id\":", entity("service"), "bad.json", set);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].path, "bad.json");
}

TEST(ReadJson, EmptyOptionalStringIsAbsentButEmptyRequiredIsKept) {
  RecordSet set;
  EXPECT_TRUE(read_json(R"({"id":"s1","name":"","description":""})", entity("service"), "s", set).empty());
  const Record* s = set.find(entity("service"), "s1");
  EXPECT_EQ(s->text("name"), "");
  EXPECT_FALSE(s->text("description"));
}

// ---- The standard's own examples -------------------------------------------

// Every example file read into its own set: (folder/name -> issues).
struct ExampleRead {
  std::string file;
  const Entity* entity;
  json::value input;
  RecordSet set;
  std::vector<Issue> issues;
};

std::vector<ExampleRead> read_examples() {
  std::vector<ExampleRead> out;
  for (const auto& folder : test_files::example_folders())
    for (const auto& path : test_files::json_files(folder)) {
      const auto name = path.filename().string();
      const auto e = entity_for_file(name);
      if (!e) continue;
      ExampleRead r{folder + "/" + name, &e->get(), json::parse(test_files::read_text(path)), {}, {}};
      r.issues = read_json_value(r.input, *r.entity, r.file, r.set);
      out.push_back(std::move(r));
    }
  return out;
}

TEST(Examples, EveryFileIsRead) {
  const auto examples = read_examples();
  // 11 per HSDS folder (base.json and tabular.json hold no records), 10 ORUK, 10 validator mocks.
  EXPECT_EQ(examples.size(), 11u + 11u + 10u + 10u);
  for (const auto& e : examples) EXPECT_GT(e.set.size(), 0u) << e.file;
}

TEST(Examples, ReadWithOnlyTheWarningsTheFilesDeserve) {
  // The HSDS 3.0 and 3.1 service examples nest a metadata record whose
  // resource_type says "location" and an attribute whose link_entity is the
  // placeholder "link_entity" inside a service: both contradict where they
  // are, and both are stored as given.
  std::multiset<std::pair<std::string, std::string>> expected;
  for (const std::string version : {"hsds-3.0", "hsds-3.1"})
    for (const std::string prefix : {"/examples/service_full.json", "/examples/service_at_location_full.json/service",
                                     "/examples/organization_full.json/services/0"}) {
      expected.emplace(version + prefix + "/metadata/0/resource_type",
                       "resource_type is \"location\" but the record is nested in a service; stored as given, so it "
                       "is not listed with that service");
      expected.emplace(version + prefix + "/attributes/0/link_entity",
                       "link_entity is \"link_entity\" but the record is nested in a service; stored as given, so it "
                       "is not listed with that service");
    }
  std::multiset<std::pair<std::string, std::string>> found;
  for (const auto& e : read_examples())
    for (const auto& i : e.issues) {
      EXPECT_EQ(i.severity, Severity::warning) << i;
      found.emplace(i.path, i.message);
    }
  EXPECT_EQ(found, expected);
}

TEST(Examples, ValidateWithWarningsOnly) {
  // Each file on its own, with nothing in the database: every reference out
  // of the file resolves nowhere.
  std::map<std::string, int> kinds;
  for (const auto& e : read_examples())
    for (const auto& i : validate(e.set)) {
      EXPECT_EQ(i.severity, Severity::warning) << e.file << ": " << i;
      if (i.message == "latitude 100 is outside -90 to 90") {
        // Every location example has latitude 100: the schemas bound no coordinate.
        ++kinds["latitude"];
      } else if (e.file == "oruk-validator/mocks/V3.0-UK-Default/organization_list.json" &&
                 (i.message.starts_with("id \"attr-") || i.message.starts_with("id \"reg-"))) {
        // The validator's passing mock gives attributes and organization
        // identifiers ids like "attr-001" and "reg-12345"...
        ++kinds["mock id"];
      } else if (e.file == "oruk-validator/mocks/V3.0-UK-Default/organization_list.json" &&
                 i.message.starts_with("identifier_type is required; the identifier_scheme \"")) {
        // ...and the identifiers an identifier_scheme but no identifier_type.
        ++kinds["identifier_type"];
      } else if (i.message.find("\": there is no ") != std::string::npos) {
        // Parent organizations and terms, the taxonomy of a term, ... that are
        // not in the file.
        ++kinds["reference"];
      } else if (i.message == "link_entity \"link_entity\" is not an HSDS entity, so the attribute belongs to no record") {
        ++kinds["link_entity"];
      } else {
        ADD_FAILURE() << e.file << ": " << i;
      }
    }
  EXPECT_EQ(kinds["mock id"], 18);  // attr-001..011, seven reg-*
  EXPECT_EQ(kinds["identifier_type"], 7);
  EXPECT_GT(kinds["latitude"], 10);
  EXPECT_GT(kinds["reference"], 10);
  EXPECT_GT(kinds["link_entity"], 1);
}

// Walks `input` and checks that `output` has every (pointer -> value) of it:
// objects key by key, arrays element by element matched on "id" (our order is
// by id), numbers by value. null and "" are absent (the reader drops them);
// subtrees the reader reported are skipped.
void expect_contains(const json::value& input, const json::value& output, const std::string& pointer,
                     const std::set<std::string>& reported, const std::string& file) {
  if (reported.contains(pointer)) return;
  if (input.is_number()) {
    EXPECT_TRUE(output.is_number()) << file << pointer;
    if (output.is_number()) {
      EXPECT_EQ(input.to_number<double>(), output.to_number<double>()) << file << pointer;
    }
    return;
  }
  if (const auto* object = input.if_object()) {
    const auto* out = output.if_object();
    ASSERT_TRUE(out) << file << pointer;
    for (const auto& [key, value] : *object) {
      if (value.is_null() || (value.is_string() && value.get_string().empty())) continue;
      const auto child = pointer + "/" + json_pointer_token(key);
      if (reported.contains(child)) continue;
      const auto* found = out->if_contains(key);
      if (!found && value.is_array()) {  // an array of reported records only
        bool all_reported = true;
        for (std::size_t i = 0; i < value.as_array().size(); ++i)
          all_reported = all_reported && reported.contains(child + "/" + std::to_string(i));
        if (all_reported) continue;
      }
      EXPECT_TRUE(found) << file << child << " is missing";
      if (found) expect_contains(value, *found, child, reported, file);
    }
    return;
  }
  if (const auto* array = input.if_array()) {
    const auto* out = output.if_array();
    ASSERT_TRUE(out) << file << pointer;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const auto child = pointer + "/" + std::to_string(i);
      const auto& item = (*array)[i];
      const json::value* match = nullptr;
      for (const auto& candidate : *out)
        if (item.is_object() && candidate.is_object() && candidate.as_object().if_contains("id") &&
            item.as_object().if_contains("id") && candidate.at("id") == item.at("id"))
          match = &candidate;
      EXPECT_TRUE(match) << file << child << " is missing";
      if (match) expect_contains(item, *match, child, reported, file);
    }
    return;
  }
  EXPECT_EQ(input, output) << file << pointer;
}

TEST(Examples, ReadWithoutLoss) {
  for (const auto& e : read_examples()) {
    // A reported record is kept apart from where it was nested: skip its subtree.
    std::set<std::string> reported;
    for (const auto& i : e.issues) {
      auto p = i.path.substr(e.file.size());
      reported.insert(p.substr(0, p.rfind('/')));
    }
    std::vector<std::pair<std::string, const json::object*>> tops;
    const auto& doc = e.input.as_object();
    if (const auto* contents = doc.if_contains("contents")) {
      for (std::size_t i = 0; i < contents->as_array().size(); ++i)
        tops.emplace_back("/contents/" + std::to_string(i), &contents->as_array()[i].as_object());
    } else {
      tops.emplace_back("", &doc);
    }
    for (const auto& [pointer, object] : tops) {
      const Record* record = e.set.find(*e.entity, object->at("id").as_string());
      ASSERT_TRUE(record) << e.file << pointer;
      const json::value written = to_json(*record, e.set, {Profile::all, Depth::full});
      expect_contains(*object, written, pointer, reported, e.file);
    }
  }
}

TEST(Examples, OrukFailMocksGiveTheExpectedIssues) {
  const auto folder = std::string("oruk-validator/mocks/V3.0-UK-Fail");
  RecordSet set;
  const auto path = test_files::reference_dir() / folder / "service_list.json";
  const auto read = read_json(test_files::read_text(path), entity("service"), "service_list.json", set);
  const std::vector<Issue> expected_read = {
      {"service_list.json/contents/2/email", "email must be a string, found a boolean"},
      {"service_list.json/contents/3/email", "email must be a string, found a number"},
      // The mock lists one service twice, with different organizations.
      {"service_list.json/contents/3/organization_id",
       "organization_id \"465a99b7-ff4a-4f4c-9931-47a6dac97be5\" replaces the \"ac148810-d857-441c-9679-408f346de14b\" "
       "read before for the same service at service_list.json/contents/0",
       Severity::warning},
  };
  EXPECT_EQ(read, expected_read);
  const auto issues = validate(set, [](const Entity&, std::string_view) { return true; });
  auto has = [&](const std::string& path, const std::string& message) {
    return std::find(issues.begin(), issues.end(), Issue{path, message}) != issues.end();
  };
  EXPECT_TRUE(has("service_list.json/contents/0/name", "name is required"));
  EXPECT_TRUE(has("service_list.json/contents/0/email", "email \"email-example_com\" is not an email address"));
  EXPECT_TRUE(has("service_list.json/contents/1/name", "name is required"));
  EXPECT_TRUE(has("service_list.json/contents/0/url", "url \"example_counselling\" is not an absolute URI"));

  RecordSet full;
  const auto full_read = read_json(test_files::read_text(test_files::reference_dir() / folder / "service_full.json"),
                                   entity("service"), "service_full.json", full);
  EXPECT_TRUE(full_read.empty());
  const auto full_issues = validate(full, [](const Entity&, std::string_view) { return true; });
  EXPECT_NE(std::find(full_issues.begin(), full_issues.end(),
                      Issue{"service_full.json/email", "email \"email-example_com\" is not an email address"}),
            full_issues.end());

  // A taxonomy term (the feed's other failing file; its organization files are
  // the passing feed's).
  RecordSet term;
  EXPECT_TRUE(read_json(test_files::read_text(test_files::reference_dir() / folder / "taxonomy_term.json"),
                        entity("taxonomy_term"), "taxonomy_term.json", term)
                  .empty());
  const auto term_issues = validate(term);
  EXPECT_NE(std::find(term_issues.begin(), term_issues.end(),
                      Issue{"taxonomy_term.json/description", "description is required"}),
            term_issues.end());
  EXPECT_NE(std::find(term_issues.begin(), term_issues.end(),
                      Issue{"taxonomy_term.json/term_uri", "term_uri \"example_com\" is not an absolute URI"}),
            term_issues.end())
      << ::testing::PrintToString(term_issues);
}

}  // namespace
}  // namespace bespoke::hsds
