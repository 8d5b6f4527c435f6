#include "hsds/taxonomy_files.h"

#include "core/ids.h"
#include "hsds/validate.h"
#include "test_files.h"

#include <gtest/gtest.h>

#include <sstream>

namespace bespoke::hsds {
namespace {

const Record* term(const RecordSet& set, std::string_view taxonomy, std::string_view code) {
  return set.find(entity("taxonomy_term"), core::taxonomy_term_uuid(taxonomy, code));
}

TEST(OpenEligibility, ReadsBothTrees) {
  const auto read = read_open_eligibility(test_files::read_text(test_files::reference_dir() / "openeligibility/taxonomy.xml"));
  // The file gives id 1206 to "Medical Care" and to its child "Primary Care".
  const std::vector<Issue> expected = {
      {"taxonomy.xml/services/1206", "id 1206 appears twice; \"Primary Care\" is skipped"}};
  EXPECT_EQ(read.issues, expected);
  // 33 top-level, 132 second, 162 third and 58 fourth-level elements, less the duplicate.
  EXPECT_EQ(read.records.size(entity("taxonomy_term")), 384u);
  EXPECT_EQ(term(read.records, "openEligibility", "1206")->text("name"), "Medical Care");
  ASSERT_EQ(read.records.size(entity("taxonomy")), 1u);
  const Record* taxonomy = read.records.all(entity("taxonomy")).front();
  EXPECT_EQ(taxonomy->id(), core::taxonomy_uuid("openEligibility"));
  EXPECT_EQ(taxonomy->text("name"), "openEligibility");
  EXPECT_EQ(taxonomy->text("uri"), "https://github.com/auntbertha/openeligibility");

  const Record* food = term(read.records, "openEligibility", "1102");
  ASSERT_TRUE(food);
  EXPECT_EQ(food->text("name"), "Food");
  EXPECT_TRUE(food->text("description")->starts_with("Services for free meals"));
  EXPECT_FALSE(food->text("parent_id"));
  EXPECT_EQ(food->text("taxonomy_id"), taxonomy->id());

  const Record* payments = term(read.records, "openEligibility", "1113");
  const Record* help_food = term(read.records, "openEligibility", "1114");
  ASSERT_TRUE(payments && help_food);
  EXPECT_EQ(help_food->text("name"), "Help Pay for Food");
  EXPECT_EQ(help_food->text("description"), "Help Pay for Food");  // no description: the title
  EXPECT_EQ(help_food->text("parent_id"), payments->id());
  EXPECT_EQ(payments->text("parent_id"), core::taxonomy_term_uuid("openEligibility", "1101"));

  const Record* veterans = term(read.records, "openEligibility", "20010");  // the situations tree
  ASSERT_TRUE(veterans);
  EXPECT_EQ(veterans->text("parent_id"), core::taxonomy_term_uuid("openEligibility", "20007"));

  EXPECT_TRUE(validate(read.records).empty());
}

TEST(OpenEligibility, IdsAreStable) {
  const auto xml = test_files::read_text(test_files::reference_dir() / "openeligibility/taxonomy.xml");
  EXPECT_EQ(read_open_eligibility(xml).records, read_open_eligibility(xml).records);
  EXPECT_EQ(core::taxonomy_term_uuid("openEligibility", "1102"), core::taxonomy_term_uuid("openEligibility", "1102"));
  EXPECT_NE(core::taxonomy_term_uuid("openEligibility", "1102"), core::taxonomy_term_uuid("openEligibility", "1103"));
  EXPECT_TRUE(core::is_uuid(core::taxonomy_term_uuid("openEligibility", "1102")));
}

TEST(OpenEligibility, MalformedXmlIsAnIssue) {
  const auto read = read_open_eligibility("<taxonomy><services>");
  ASSERT_EQ(read.issues.size(), 1u);
  EXPECT_TRUE(read.records.empty());
}

TEST(TermListCsv, ReadsCodesNamesParentsAndUris) {
  std::istringstream in(
      "code,name,description,parent_code,term_uri\n"
      "1,Housing,,,http://id.esd.org.uk/need/1\n"
      "2,Homelessness,Having no home,1,http://id.esd.org.uk/need/2\n");
  const auto read = read_term_list_csv(in, {"esdNeed", "LGA needs", "http://id.esd.org.uk/list/needs", "4.0"});
  EXPECT_TRUE(read.issues.empty());
  EXPECT_EQ(read.records.size(), 3u);
  const Record* housing = term(read.records, "esdNeed", "1");
  const Record* homeless = term(read.records, "esdNeed", "2");
  ASSERT_TRUE(housing && homeless);
  EXPECT_EQ(housing->text("description"), "Housing");
  EXPECT_EQ(homeless->text("description"), "Having no home");
  EXPECT_EQ(homeless->text("parent_id"), housing->id());
  EXPECT_EQ(homeless->text("term_uri"), "http://id.esd.org.uk/need/2");
  EXPECT_EQ(homeless->text("code"), "2");
  const Record* taxonomy = read.records.find(entity("taxonomy"), core::taxonomy_uuid("esdNeed"));
  ASSERT_TRUE(taxonomy);
  EXPECT_EQ(taxonomy->text("version"), "4.0");
  EXPECT_TRUE(validate(read.records).empty());
}

TEST(TermListCsv, AcceptsEsdHeadersCaseInsensitively) {
  std::istringstream in("\xEF\xBB\xBF\"Identifier\",\"Label\",\"Description\",\"Parent\"\r\n"
                        "\"Gender_Female\",\"Female\",\"\",\"\"\r\n");
  const auto read = read_term_list_csv(in, {"esdCircumstance", "", "", ""});
  EXPECT_TRUE(read.issues.empty());
  const Record* female = term(read.records, "esdCircumstance", "Gender_Female");
  ASSERT_TRUE(female);
  EXPECT_EQ(female->text("name"), "Female");
}

TEST(TermListCsv, ReportsUnresolvedParentsDuplicatesAndMissingColumns) {
  std::istringstream in("code,name,parent_code\n1,A,\n2,B,9\n1,C,\n");
  const auto read = read_term_list_csv(in, {"esdServiceType", "", "", ""}, "types.csv");
  const std::vector<Issue> expected = {{"types.csv:4:1", "code \"1\" appears twice"},
                                       {"types.csv:3:3", "parent code \"9\" is not a code of this list"}};
  EXPECT_EQ(read.issues, expected);
  EXPECT_FALSE(term(read.records, "esdServiceType", "2")->text("parent_id"));

  std::istringstream no_name("code,title\n1,A\n");
  const auto bad = read_term_list_csv(no_name, {"x", "", "", ""}, "x.csv");
  ASSERT_EQ(bad.issues.size(), 2u);
  EXPECT_EQ(bad.issues[1].message, "the header needs a code (or Identifier) and a name (or Label) column");
}

}  // namespace
}  // namespace bespoke::hsds
