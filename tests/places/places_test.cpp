#include "places/onspd.h"
#include "places/postcode.h"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

namespace bespoke::places {
namespace {

TEST(NormalisePostcode, AcceptsEveryStandardShape) {
  EXPECT_EQ(normalise_postcode("M1 1AE"), "M1 1AE");        // A9 9AA
  EXPECT_EQ(normalise_postcode("B33 8TH"), "B33 8TH");      // A99 9AA
  EXPECT_EQ(normalise_postcode("CR2 6XH"), "CR2 6XH");      // AA9 9AA
  EXPECT_EQ(normalise_postcode("DN55 1PT"), "DN55 1PT");    // AA99 9AA
  EXPECT_EQ(normalise_postcode("W1A 0AX"), "W1A 0AX");      // A9A 9AA
  EXPECT_EQ(normalise_postcode("EC1A 1BB"), "EC1A 1BB");    // AA9A 9AA
}

TEST(NormalisePostcode, FoldsCaseAndSpaces) {
  EXPECT_EQ(normalise_postcode("sw1a1aa"), "SW1A 1AA");
  EXPECT_EQ(normalise_postcode("  sw1a   1aa "), "SW1A 1AA");
  EXPECT_EQ(normalise_postcode("SW1A  1AA"), "SW1A 1AA");  // ONSPD pcd pads to 8 characters
  EXPECT_EQ(normalise_postcode("m11ae"), "M1 1AE");
}

TEST(NormalisePostcode, RefusesOtherShapes) {
  for (const char* bad : {"", "SW1A", "1AA", "SW1A 1A", "SW1A 11A", "SW1A 1AAA", "SWAA 1AA", "S1AA 1AA", "99 9AA",
                          "AAA9 9AA", "SW1A-1AA", "GIR 0AA", "SW1A 1ÅA", "EC1A1BBB"}) {
    EXPECT_FALSE(normalise_postcode(bad).has_value()) << bad;
  }
}

TEST(Onspd, EnglandDecilesFromImdRank) {
  EXPECT_EQ(england_imd_decile(1), 1);
  EXPECT_EQ(england_imd_decile(3284), 1);
  EXPECT_EQ(england_imd_decile(3285), 2);
  EXPECT_EQ(england_imd_decile(16422), 5);
  EXPECT_EQ(england_imd_decile(16423), 6);
  EXPECT_EQ(england_imd_decile(32844), 10);
  EXPECT_FALSE(england_imd_decile(0).has_value());
  EXPECT_FALSE(england_imd_decile(32845).has_value());
}

std::vector<PostcodeRecord> read_all(OnspdReader& reader) {
  std::vector<PostcodeRecord> out;
  PostcodeRecord r;
  for (;;) {
    auto got = reader.next(r);
    EXPECT_TRUE(got.has_value()) << (got ? "" : got.error().message);
    if (!got || !*got) break;
    out.push_back(r);
  }
  return out;
}

TEST(Onspd, ReadsTheCsvLayout) {
  // The real file has ~50 columns; these are the ones that matter, out of order.
  std::istringstream in(
      "\"pcd\",\"pcd2\",\"pcds\",\"dointr\",\"doterm\",\"ctry\",\"lsoa21cd\",\"lat\",\"long\",\"imd\"\r\n"
      "\"SW1A1AA\",\"SW1A 1AA\",\"SW1A 1AA\",\"198001\",\"\",\"E92000001\",\"E01004736\",51.501009,-0.141588,18000\r\n"
      "\"SW1A1AB\",\"SW1A 1AB\",\"SW1A 1AB\",\"198001\",\"200012\",\"E92000001\",\"E01004736\",51.501,-0.1415,18000\r\n"
      "\"ZZ991ZZ\",\"ZZ99 1ZZ\",\"ZZ99 1ZZ\",\"198001\",\"\",\"E92000001\",\"\",99.999999,0.000000,\r\n"
      "\"CF101EP\",\"CF10 1EP\",\"CF10 1EP\",\"198001\",\"\",\"W92000004\",\"W01001939\",51.481,-3.179,100\r\n"
      "\"M1  1AE\",\"M1  1AE\",\"M1 1AE\",\"198001\",\"\",\"E92000001\",\"E01005061\",53.47,-2.23,1\r\n"
      "\"NOPE\",\"NOPE\",\"NOPE\",\"198001\",\"\",\"E92000001\",\"\",53.47,-2.23,1\r\n"
      "\"B338TH\",\"B33 8TH\",\"B33 8TH\",\"198001\",\"\",\"E92000001\",\"E01009000\",52.48,-1.79,\r\n");
  OnspdReader reader(in);
  const auto rows = read_all(reader);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (PostcodeRecord{"SW1A 1AA", 51.501009, -0.141588, "E01004736", std::nullopt, 6}));
  EXPECT_EQ(rows[1], (PostcodeRecord{"CF10 1EP", 51.481, -3.179, "W01001939", std::nullopt, std::nullopt}));
  EXPECT_EQ(rows[2], (PostcodeRecord{"M1 1AE", 53.47, -2.23, "E01005061", std::nullopt, 1}));
  EXPECT_EQ(rows[3], (PostcodeRecord{"B33 8TH", 52.48, -1.79, "E01009000", std::nullopt, std::nullopt}));
  const auto& n = reader.counts();
  EXPECT_EQ(n.rows, 7);
  EXPECT_EQ(n.loaded, 4);
  EXPECT_EQ(n.terminated, 1);
  EXPECT_EQ(n.no_coordinates, 1);
  EXPECT_EQ(n.invalid, 1);
}

TEST(Onspd, AcceptsOlderColumnNames) {
  std::istringstream in("pcd,lat,long,lsoa11,imd\nM1  1AE,53.47,-2.23,E01005061,32844\n");
  OnspdReader reader(in);
  const auto rows = read_all(reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].postcode, "M1 1AE");
  EXPECT_EQ(rows[0].area_code, "E01005061");
  EXPECT_EQ(rows[0].deprivation_decile, 10);
}

TEST(Onspd, RefusesAFileWithoutThePostcodeColumns) {
  std::istringstream in("name,lat,long\nx,1,2\n");
  OnspdReader reader(in);
  PostcodeRecord r;
  const auto got = reader.next(r);
  ASSERT_FALSE(got.has_value());
  EXPECT_NE(got.error().message.find("pcds"), std::string::npos);

  std::istringstream empty("");
  OnspdReader reader2(empty);
  EXPECT_FALSE(reader2.next(r).has_value());
}

}  // namespace
}  // namespace bespoke::places
