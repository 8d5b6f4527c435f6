#include "store/postcode_store.h"

// GCC 12 at -O3 reports a false -Wrestrict inside test_databases.h's
// with_database (std::string operator+ inlined); the header is shared.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wrestrict"
#include "store/test_databases.h"
#pragma GCC diagnostic pop

#include <gtest/gtest.h>

#include <vector>

namespace bespoke::store {
namespace {

using testing::BothDrivers;

class PostcodeStoreTest : public BothDrivers {
 protected:
  void SetUp() override {
    BothDrivers::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    migrated_db();
  }
  void write(const std::vector<places::PostcodeRecord>& rows) {
    Transaction tx(db(), TxMode::write);
    upsert_postcodes(db(), rows);
    tx.commit();
  }
};

TEST_P(PostcodeStoreTest, UpsertsAndFindsPostcodes) {
  EXPECT_EQ(count_postcodes(db()), 0);
  EXPECT_FALSE(find_postcode(db(), "SW1A 1AA").has_value());
  write({{"SW1A 1AA", 51.501009, -0.141588, "E01004736", std::nullopt, 7},
         {"CF10 1EP", 51.481, -3.179, std::nullopt, std::nullopt, std::nullopt}});
  EXPECT_EQ(count_postcodes(db()), 2);

  const auto found = find_postcode(db(), " sw1a1aa ");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->postcode, "SW1A 1AA");
  EXPECT_DOUBLE_EQ(found->latitude, 51.501009);
  EXPECT_DOUBLE_EQ(found->longitude, -0.141588);
  EXPECT_EQ(found->area_code, "E01004736");
  EXPECT_EQ(found->deprivation_decile, 7);
  EXPECT_FALSE(found->neighbourhood_id.has_value());

  const auto wales = find_postcode(db(), "CF10 1EP");
  ASSERT_TRUE(wales.has_value());
  EXPECT_FALSE(wales->area_code.has_value());
  EXPECT_FALSE(wales->deprivation_decile.has_value());
  EXPECT_FALSE(find_postcode(db(), "not a postcode").has_value());

  // Loading again replaces the row.
  write({{"SW1A 1AA", 51.5, -0.14, "E01000000", std::nullopt, 3}});
  EXPECT_EQ(count_postcodes(db()), 2);
  EXPECT_EQ(find_postcode(db(), "SW1A 1AA")->deprivation_decile, 3);
  EXPECT_EQ(find_postcode(db(), "SW1A 1AA")->area_code, "E01000000");
}

TEST_P(PostcodeStoreTest, LoadsManyInBatches) {
  std::vector<places::PostcodeRecord> rows;
  for (int i = 0; i < 2500; ++i) {  // "AB<n> <d><L>A", each once
    const std::string pc = "AB" + std::to_string(i / 26 + 1) + " " + std::to_string(i % 10) +
                           static_cast<char>('A' + i % 26) + "A";
    rows.push_back({pc, 57.0, -2.0, std::nullopt, std::nullopt, std::nullopt});
  }
  write(rows);
  EXPECT_EQ(count_postcodes(db()), static_cast<std::int64_t>(rows.size()));
}

BESPOKE_INSTANTIATE_BOTH_DRIVERS(PostcodeStoreTest);

}  // namespace
}  // namespace bespoke::store
