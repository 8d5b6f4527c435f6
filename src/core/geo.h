#pragma once
// Points on the Earth in WGS84 degrees; distances in metres.
#include <optional>

namespace bespoke::core {

// The mean Earth radius every distance here uses.
inline constexpr double kEarthRadiusM = 6371008.8;

struct LatLon {
  double lat = 0;
  double lon = 0;
};

// Great-circle distance (haversine, mean Earth radius 6,371,008.8 m).
[[nodiscard]] double distance_m(LatLon a, LatLon b) noexcept;

[[nodiscard]] constexpr bool is_valid(LatLon p) noexcept {
  return p.lat >= -90 && p.lat <= 90 && p.lon >= -180 && p.lon <= 180;
}

// A point as a unit vector from the Earth's centre. The squared chord between
// two of them grows with their great-circle distance, so a search compares
// chords without trigonometry per point.
struct UnitVector {
  double x = 0, y = 0, z = 0;
};
[[nodiscard]] UnitVector unit_vector(LatLon p) noexcept;
[[nodiscard]] inline double chord2(const UnitVector& a, const UnitVector& b) noexcept {
  const double dx = a.x - b.x, dy = a.y - b.y, dz = a.z - b.z;
  return dx * dx + dy * dy + dz * dz;
}
// The squared chord of a great-circle distance; 4 (the antipode) from half
// the Earth's circumference on.
[[nodiscard]] double chord2_of_distance(double metres) noexcept;
// The great-circle distance of a squared chord.
[[nodiscard]] double distance_of_chord2(double c2) noexcept;

// A latitude/longitude box holding every point within radius_m of centre (a
// little larger, to be safe from rounding); nullopt when the radius is
// infinite or the box would reach a pole or cross the antimeridian.
struct GeoBox {
  double lat0 = 0, lat1 = 0, lon0 = 0, lon1 = 0;
};
[[nodiscard]] std::optional<GeoBox> bounding_box(LatLon centre, double radius_m) noexcept;

}  // namespace bespoke::core
