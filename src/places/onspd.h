#pragma once
// The ONS Postcode Directory (ONSPD) in its CSV layout: one row per postcode,
// a header row naming the columns. Read one postcode at a time, so the whole
// UK (2.7M rows) streams in constant memory.
//
// Columns used (found by name in the header, in any order, case ignored):
//   pcds (or pcd)            the postcode; normalised (places/postcode.h)
//   lat, long                WGS84; ONSPD writes lat 99.999999, long 0.000000
//                            for a postcode without a grid reference: skipped
//   lsoa21cd (or lsoa21, lsoa11cd, lsoa11)
//                            the small area (LSOA; Data Zone in Scotland)
//   imd                      the deprivation rank of that area within its nation
//   doterm                   the date the postcode was terminated; such rows
//                            are skipped
//   ctry (optional)          the nation (E92000001 = England)
//
// Deprivation decile: England's Index of Multiple Deprivation ranks its 32,844
// LSOAs (1 = most deprived), so decile = ceil(rank * 10 / 32844). Wales
// (WIMD, 1,909 areas), Scotland (SIMD, 6,976 data zones) and Northern Ireland
// (NIMDM, 890 super output areas) rank on their own indices, which are not
// comparable with England's: their postcodes get no decile, nor does any
// postcode whose imd is empty or out of range. Without a ctry column every
// rank is taken as England's.
#include "core/csv.h"
#include "core/error.h"

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace bespoke::places {

inline constexpr std::int64_t kEnglandLsoaCount = 32844;

struct PostcodeRecord {
  std::string postcode;  // normalised
  double latitude = 0;
  double longitude = 0;
  std::optional<std::string> area_code;
  std::optional<std::int64_t> neighbourhood_id;  // the demo's neighbourhoods; ONSPD has none
  std::optional<int> deprivation_decile;         // 1 = most deprived 10%
  friend bool operator==(const PostcodeRecord&, const PostcodeRecord&) = default;
};

// England's IMD rank -> decile; nullopt outside 1..32844.
[[nodiscard]] std::optional<int> england_imd_decile(std::int64_t rank) noexcept;

struct OnspdCounts {
  std::int64_t rows = 0;            // data rows read
  std::int64_t loaded = 0;          // returned by next()
  std::int64_t no_coordinates = 0;  // lat 99.999999 / long 0, or empty
  std::int64_t terminated = 0;      // doterm set
  std::int64_t invalid = 0;         // a postcode or coordinate that does not parse
};

// Not thread-safe; reads `in`, which it must outlive.
class OnspdReader {
 public:
  explicit OnspdReader(std::istream& in);

  // The next live postcode with coordinates: true, false at the end of the
  // input, or an Error for a missing header column or malformed CSV.
  [[nodiscard]] core::Result<bool> next(PostcodeRecord& out);

  [[nodiscard]] const OnspdCounts& counts() const noexcept { return counts_; }

 private:
  core::Result<void> read_header();

  core::CsvReader csv_;
  core::CsvRow row_;
  bool header_read_ = false;
  std::size_t postcode_ = 0, lat_ = 0, long_ = 0;
  std::optional<std::size_t> area_, imd_, doterm_, country_;
  OnspdCounts counts_;
};

}  // namespace bespoke::places
