#include "core/geo.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace bespoke::core {

namespace {
constexpr double kRad = std::numbers::pi / 180.0;
}  // namespace

double distance_m(LatLon a, LatLon b) noexcept {
  constexpr double radius_m = kEarthRadiusM;
  constexpr double rad = kRad;
  const double dlat = (b.lat - a.lat) * rad;
  const double dlon = (b.lon - a.lon) * rad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.lat * rad) * std::cos(b.lat * rad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * radius_m * std::asin(std::min(1.0, std::sqrt(h)));
}

UnitVector unit_vector(LatLon p) noexcept {
  const double phi = p.lat * kRad;
  const double lambda = p.lon * kRad;
  return {std::cos(phi) * std::cos(lambda), std::cos(phi) * std::sin(lambda), std::sin(phi)};
}

double chord2_of_distance(double metres) noexcept {
  const double angle = metres / kEarthRadiusM;  // radians
  if (!(angle < std::numbers::pi)) return 4;
  const double chord = 2 * std::sin(angle / 2);
  return chord * chord;
}

double distance_of_chord2(double c2) noexcept {
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(c2) / 2));
}

std::optional<GeoBox> bounding_box(LatLon centre, double radius_m) noexcept {
  if (!std::isfinite(radius_m)) return std::nullopt;
  const double angle = radius_m / kEarthRadiusM;
  const double lat = centre.lat;
  const double dlat = angle / kRad * 1.000001 + 1e-6;
  const double cos_lat = std::cos(lat * kRad);
  if (!(lat - dlat > -89.9 && lat + dlat < 89.9 && cos_lat > std::sin(angle))) return std::nullopt;
  const double dlon = std::asin(std::sin(angle) / cos_lat) / kRad * 1.000001 + 1e-6;
  const GeoBox box{lat - dlat, lat + dlat, centre.lon - dlon, centre.lon + dlon};
  if (box.lon0 < -180 || box.lon1 > 180) return std::nullopt;
  return box;
}

}  // namespace bespoke::core
