#pragma once
// Where each postcode is (table `postcode`): for "near me" searches and the
// figures by place. Filled by `bespoke import postcodes` (the ONS Postcode
// Directory) or by the demo generator for its fictional place.
#include "places/onspd.h"
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace bespoke::store {

// Inserts the postcodes or replaces the rows with the same postcode (every
// column, neighbourhood included); of a postcode given twice the last wins.
// REQUIRES: inside the caller's write Transaction; postcodes normalised
// (places::normalise_postcode).
void upsert_postcodes(Connection& c, std::span<const places::PostcodeRecord> postcodes);

struct PostcodeLocation {
  std::string postcode;  // normalised
  double latitude = 0;
  double longitude = 0;
  std::optional<std::string> area_code;
  std::optional<std::int64_t> neighbourhood_id;
  std::optional<int> deprivation_decile;
  friend bool operator==(const PostcodeLocation&, const PostcodeLocation&) = default;
};

// Looks up a postcode as a person types it (normalised first); nullopt when it
// is not a postcode or not known.
[[nodiscard]] std::optional<PostcodeLocation> find_postcode(Connection& c, std::string_view postcode);

[[nodiscard]] std::int64_t count_postcodes(Connection& c);

}  // namespace bespoke::store
