// The register of personal data (store/personal_data.cpp) covers the whole
// schema: every table is either listed with what erasure does to it, or
// declared to hold no personal data. A new table must be added to one of them.
#include "store/personal_data.h"

#include "store/migrations.h"
#include "store/test_databases.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace bespoke::store {
namespace {

using testing::BothDrivers;

class PersonalDataTest : public BothDrivers {};

TEST_P(PersonalDataTest, EveryTableOfTheSchemaIsDeclared) {
  auto& c = db();
  migrate(c);
  const auto with = tables_with_personal_data();
  const auto without = tables_without_personal_data();
  for (const auto& table : c.table_names()) {
    const bool listed = std::find(with.begin(), with.end(), table) != with.end();
    const bool declared = std::find(without.begin(), without.end(), table) != without.end();
    EXPECT_TRUE(listed || declared) << table << ": add it to kHoldings or kNoPersonalData in store/personal_data.cpp";
    EXPECT_FALSE(listed && declared) << table << " is in both lists";
  }
  for (const auto table : with) EXPECT_TRUE(c.table_exists(table)) << table << " is listed but does not exist";
}

TEST_P(PersonalDataTest, ExportAndErasureOfNobodyDoNothing) {
  auto& c = db();
  migrate(c);
  EXPECT_TRUE(export_personal_data(c, 12345).empty());
  EXPECT_FALSE(erase_person(c, 12345, std::nullopt, "system", "test", core::Timestamp{}).found);
  EXPECT_TRUE(c.query("SELECT 1 FROM audit_event").empty()) << "no erasure, no event";
}

BESPOKE_INSTANTIATE_BOTH_DRIVERS(PersonalDataTest);

}  // namespace
}  // namespace bespoke::store
