#pragma once
// Points on the Earth in WGS84 degrees; distances in metres.
namespace bespoke::core {

struct LatLon {
  double lat = 0;
  double lon = 0;
};

// Great-circle distance (haversine, mean Earth radius 6,371,008.8 m).
[[nodiscard]] double distance_m(LatLon a, LatLon b) noexcept;

[[nodiscard]] constexpr bool is_valid(LatLon p) noexcept {
  return p.lat >= -90 && p.lat <= 90 && p.lon >= -180 && p.lon <= 180;
}

}  // namespace bespoke::core
