#include "core/geo.h"
#include "core/ids.h"
#include "core/money.h"
#include "core/text.h"
#include "core/time.h"
#include "core/utf8.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <set>
#include <utility>

namespace bespoke::core {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("Caerdydd – Cymraeg ✓ 𝄞"));
}

TEST(Utf8, RejectsMalformedText) {
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation
}

TEST(Text, FormatsThousands) {
  EXPECT_EQ(format_thousands(0), "0");
  EXPECT_EQ(format_thousands(999), "999");
  EXPECT_EQ(format_thousands(1000), "1,000");
  EXPECT_EQ(format_thousands(50123), "50,123");
  EXPECT_EQ(format_thousands(1234567), "1,234,567");
  EXPECT_EQ(format_thousands(-1234), "-1,234");
  EXPECT_EQ(format_thousands(std::numeric_limits<std::int64_t>::min()), "-9,223,372,036,854,775,808");
}

TEST(Text, TrimsAndComparesIgnoringCase) {
  EXPECT_EQ(trim(" \t a b \r\n"), "a b");
  EXPECT_EQ(trim(""), "");
  EXPECT_TRUE(iequals_ascii("Application/JSON", "application/json"));
  EXPECT_FALSE(iequals_ascii("application/jso", "application/json"));
}

TEST(Money, FormatsPoundsWithSeparators) {
  EXPECT_EQ(format_pounds({0}), "£0.00");
  EXPECT_EQ(format_pounds({5}), "£0.05");
  EXPECT_EQ(format_pounds({123456789}), "£1,234,567.89");
  EXPECT_EQ(format_pounds({-150}), "-£1.50");
  EXPECT_EQ(format_pounds({INT64_MIN}), "-£92,233,720,368,547,758.08");
}

TEST(Time, RoundTripsIso8601) {
  const auto t = parse_iso8601("2026-11-29T00:31:41Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(to_iso8601(*t), "2026-11-29T00:31:41Z");
  EXPECT_FALSE(parse_iso8601("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_iso8601("2026-11-29 00:31:41"));
  EXPECT_FALSE(parse_iso8601("2026-11-29T24:00:00Z"));
}

TEST(Ids, UuidsAreVersion4AndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto id = random_uuid();
    EXPECT_TRUE(is_uuid(id));
    EXPECT_EQ(id[14], '4');
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(uuid_from_bits(1, 2), uuid_from_bits(1, 2));
  EXPECT_NE(uuid_from_bits(1, 2), uuid_from_bits(1, 3));
  EXPECT_TRUE(is_uuid(uuid_from_bits(0, 0)));
  EXPECT_EQ(random_hex(8).size(), 16u);
}

TEST(Geo, DistanceBetweenKnownPoints) {
  // Birmingham New Street to Coventry station: about 29 km.
  const double d = distance_m({52.4778, -1.8990}, {52.4008, -1.5135});
  EXPECT_NEAR(d, 27'500, 1'500);
  EXPECT_DOUBLE_EQ(distance_m({1, 1}, {1, 1}), 0);
  EXPECT_TRUE(is_valid({90, 180}));
  EXPECT_FALSE(is_valid({91, 0}));
}

TEST(Geo, ChordsOfUnitVectorsGiveGreatCircleDistances) {
  const LatLon birmingham{52.4778, -1.8990}, coventry{52.4008, -1.5135}, sydney{-33.8688, 151.2093};
  for (const auto& [a, b] : {std::pair{birmingham, coventry}, std::pair{birmingham, sydney}, std::pair{coventry, coventry}}) {
    const double c2 = chord2(unit_vector(a), unit_vector(b));
    EXPECT_NEAR(distance_of_chord2(c2), distance_m(a, b), 1e-6 * std::max(1.0, distance_m(a, b)));
    EXPECT_NEAR(chord2_of_distance(distance_m(a, b)), c2, 1e-12);
  }
  EXPECT_EQ(chord2_of_distance(1e9), 4);  // beyond the antipode
  EXPECT_LT(chord2(unit_vector(birmingham), unit_vector(coventry)), chord2(unit_vector(birmingham), unit_vector(sydney)));
}

TEST(Geo, BoundingBoxHoldsEveryPointWithinTheRadius) {
  const LatLon centre{52.4778, -1.8990};
  const auto box = bounding_box(centre, 10'000);
  ASSERT_TRUE(box);
  // Points 10 km away in every direction (stepping by bearing) lie inside.
  for (int bearing = 0; bearing < 360; bearing += 5) {
    const double b = bearing * std::numbers::pi / 180, angle = 10'000 / kEarthRadiusM;
    const double lat1 = centre.lat * std::numbers::pi / 180, lon1 = centre.lon * std::numbers::pi / 180;
    const double lat2 = std::asin(std::sin(lat1) * std::cos(angle) + std::cos(lat1) * std::sin(angle) * std::cos(b));
    const double lon2 = lon1 + std::atan2(std::sin(b) * std::sin(angle) * std::cos(lat1),
                                          std::cos(angle) - std::sin(lat1) * std::sin(lat2));
    const double lat = lat2 * 180 / std::numbers::pi, lon = lon2 * 180 / std::numbers::pi;
    EXPECT_TRUE(lat >= box->lat0 && lat <= box->lat1 && lon >= box->lon0 && lon <= box->lon1) << bearing;
  }
  EXPECT_FALSE(bounding_box(centre, std::numeric_limits<double>::infinity()));
  EXPECT_FALSE(bounding_box({89.95, 0}, 10'000));   // reaches the pole
  EXPECT_FALSE(bounding_box({0, 179.99}, 10'000));  // crosses the antimeridian
}

}  // namespace
}  // namespace bespoke::core

namespace bespoke::core {
namespace {

// Client-controlled header text: cut on a character boundary, cleaned.
TEST(PrintablePrefix, CutsOnACharacterBoundary) {
  const std::string agent = std::string(199, 'a') + "\xC3\xA9 and more";  // the é is bytes 200 and 201
  const auto cut = printable_prefix(agent, 200);
  EXPECT_EQ(cut, std::string(199, 'a'));
  EXPECT_TRUE(is_valid_utf8(cut));
  EXPECT_EQ(printable_prefix(agent, 201), std::string(199, 'a') + "\xC3\xA9");
}

TEST(PrintablePrefix, ReplacesWhatIsNotPrintableUtf8) {
  EXPECT_EQ(printable_prefix("ok\x01\x7F\xFF\xC3", 100), "ok????");
  EXPECT_EQ(printable_prefix("tab\tnew\nline", 100), "tab?new?line");
  EXPECT_EQ(printable_prefix("\xF0\x9F\x99\x82 smile", 100), "\xF0\x9F\x99\x82 smile");
  EXPECT_EQ(printable_prefix("", 10), "");
  EXPECT_EQ(printable_prefix("abc", 0), "");
}

TEST(CodePoints, CountsCharactersNotBytes) {
  EXPECT_EQ(code_points(""), 0u);
  EXPECT_EQ(code_points("abc"), 3u);
  EXPECT_EQ(code_points("\xC3\xA9\xF0\x9F\x99\x82"), 2u);
}

}  // namespace
}  // namespace bespoke::core
