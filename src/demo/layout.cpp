// The place's layout: towns, neighbourhoods, centroids and deprivation deciles.
// Made serially (it is small) from its own random stream.
#include "demo/names.h"
#include "demo/random.h"
#include "demo/town.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace bespoke::demo {
namespace {

constexpr double kMetresPerDegreeLat = 111'320.0;
constexpr double kNeighbourhoodSpacingM = 650.0;  // ~1,500 people at suburban densities

template <class Array>
std::string_view pick(Rng& r, const Array& words) {
  return words[r.below(words.size())];
}

std::string place_word(Rng& r) {
  return fmt::format("{}{}", pick(r, names::kPlaceStarts), pick(r, names::kPlaceEnds));
}

// Town sizes for the nation: a few large towns and many small ones (Zipf-like),
// every town at least a handful of neighbourhoods.
std::vector<int> town_sizes(int towns, int neighbourhoods) {
  std::vector<double> w(static_cast<std::size_t>(towns));
  for (int i = 0; i < towns; ++i) w[static_cast<std::size_t>(i)] = 1.0 / std::pow(i + 1.0, 0.8);
  const double total = std::accumulate(w.begin(), w.end(), 0.0);
  std::vector<int> sizes(w.size());
  int given = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    sizes[i] = std::max(1, static_cast<int>(neighbourhoods * w[i] / total));
    given += sizes[i];
  }
  // Whatever rounding left over goes to (or comes from) the largest town.
  sizes[0] += neighbourhoods - given;
  return sizes;
}

// Postcode areas for the fictional place: Z and a second letter that real
// postcodes allow in that position, never E (ZE is Shetland's).
constexpr std::array<std::string_view, 20> kPostcodeAreas{"ZA", "ZB", "ZD", "ZF", "ZG", "ZH", "ZK",
                                                          "ZL", "ZM", "ZN", "ZP", "ZR", "ZS", "ZT",
                                                          "ZU", "ZW", "ZY", "ZC", "ZO", "ZX"};
// Letters of an inward code's unit (never C, I, K, M, O or V).
constexpr std::string_view kUnitLetters = "ABDEFGHJLNPQRSTUWXYZ";
constexpr int kSectorsPerArea = 99 * 10;  // districts 1-99, sectors 0-9

// Counties: one for a town or a city; for a nation, each town belongs to the
// county of the nearest of the first few towns (the county towns).
void name_counties(Place& place, Rng& r) {
  const std::size_t counties = place.scale == "nation" ? std::min<std::size_t>(6, place.towns.size()) : 1;
  std::vector<std::string> names;
  while (names.size() < counties) {
    std::string n = fmt::format("{}shire", pick(r, names::kPlaceStarts));
    if (n != place.name && std::find(names.begin(), names.end(), n) == names.end()) names.push_back(std::move(n));
  }
  for (auto& town : place.towns) {
    std::size_t best = 0;
    for (std::size_t c = 1; c < counties; ++c)
      if (core::distance_m(town.centre, place.towns[c].centre) < core::distance_m(town.centre, place.towns[best].centre))
        best = c;
    town.county = names[best];
  }
}

// Six to ten postcodes per neighbourhood, one sector of its town's area each:
// "ZA12 3BD" is area ZA, district 12, sector 3, unit BD.
void make_postcodes(Place& place, Rng& r) {
  std::array<int, kPostcodeAreas.size()> sectors_used{};
  for (auto& nb : place.neighbourhoods) {
    // The town's own area, or the next one with a sector left.
    std::size_t area = static_cast<std::size_t>(nb.town_id - 1) % kPostcodeAreas.size();
    for (std::size_t tries = 0; sectors_used[area] >= kSectorsPerArea; ++tries) {
      if (tries == kPostcodeAreas.size()) throw std::length_error("demo place: too many neighbourhoods for its postcodes");
      area = (area + 1) % kPostcodeAreas.size();
    }
    const int sector = sectors_used[area]++;
    const std::string outward = fmt::format("{}{}", kPostcodeAreas[area], 1 + sector / 10);
    nb.first_postcode = place.postcodes.size();
    const int count = r.between(6, 10);
    std::vector<std::string> units;
    while (static_cast<int>(units.size()) < count) {
      std::string unit{kUnitLetters[r.below(kUnitLetters.size())], kUnitLetters[r.below(kUnitLetters.size())]};
      if (std::find(units.begin(), units.end(), unit) != units.end()) continue;
      Postcode pc;
      pc.code = fmt::format("{} {}{}", outward, sector % 10, unit);
      pc.neighbourhood_id = nb.id;
      pc.location = {nb.centroid.lat + r.uniform(-0.003, 0.003), nb.centroid.lon + r.uniform(-0.005, 0.005)};
      pc.deprivation_decile = nb.deprivation_decile;
      place.postcodes.push_back(std::move(pc));
      units.push_back(std::move(unit));
    }
    nb.postcode_count = place.postcodes.size() - nb.first_postcode;
  }
}

}  // namespace

Place make_place(const DemoSpec& spec) {
  Place place;
  place.scale = spec.scale;
  place.seed = spec.seed;
  place.reference_date = spec.reference_date;
  Rng r(mix_seed(spec.seed, 0xC0FFEE, 0));

  const int neighbourhoods = std::max<int>(
      1, static_cast<int>((spec.residents + spec.residents_per_neighbourhood / 2) / spec.residents_per_neighbourhood));
  const int towns = std::clamp(spec.towns, 1, neighbourhoods);
  const std::vector<int> sizes = town_sizes(towns, neighbourhoods);

  // Town centres: one in the West Midlands for a town or a city; for a nation,
  // spread over the middle of England at least ~25 km apart.
  std::vector<core::LatLon> centres;
  for (int t = 0; t < towns; ++t) {
    core::LatLon c{52.48 + r.uniform(-0.05, 0.05), -1.90 + r.uniform(-0.05, 0.05)};
    if (t > 0) {
      for (int attempt = 0; attempt < 200; ++attempt) {
        c = {r.uniform(51.0, 54.5), r.uniform(-3.2, 0.3)};
        const bool clear = std::all_of(centres.begin(), centres.end(),
                                       [&](core::LatLon o) { return core::distance_m(c, o) > 25'000; });
        if (clear) break;
      }
    }
    centres.push_back(c);
  }

  std::vector<std::string> used_names;
  auto fresh_name = [&] {
    for (;;) {
      std::string n = place_word(r);
      if (std::find(used_names.begin(), used_names.end(), n) == used_names.end() || used_names.size() > 500) {
        used_names.push_back(n);
        return n;
      }
    }
  };

  // Deprivation is a smooth field (so that deprived neighbourhoods cluster) plus noise;
  // neighbourhoods are ranked across the whole place into ten equal deciles, as the
  // English Indices of Deprivation do.
  std::vector<double> score;
  std::int64_t planned_total = 0;
  for (int t = 0; t < towns; ++t) {
    Town town;
    town.id = t + 1;
    town.public_id = {r.next(), r.next()};
    town.name = fresh_name();
    town.centre = centres[static_cast<std::size_t>(t)];
    const int n = sizes[static_cast<std::size_t>(t)];
    const double radius_m = kNeighbourhoodSpacingM * std::sqrt(static_cast<double>(n));
    const double town_offset = r.uniform(-0.6, 0.6);
    struct Bump {
      double x, y, amplitude;
    };
    std::vector<Bump> bumps;
    for (int b = 0; b < 4; ++b) {
      const double a = r.uniform(0, 6.283185307179586);
      const double d = radius_m * std::sqrt(r.uniform());
      bumps.push_back({d * std::cos(a), d * std::sin(a), r.uniform(-1.2, 1.2)});
    }
    const double metres_per_degree_lon = kMetresPerDegreeLat * std::cos(town.centre.lat * 3.141592653589793 / 180);
    for (int j = 0; j < n; ++j) {
      Neighbourhood nb;
      nb.id = static_cast<std::int64_t>(place.neighbourhoods.size()) + 1;
      nb.public_id = {r.next(), r.next()};
      nb.town_id = town.id;
      // A sunflower (Vogel) spiral: even spacing, the centre first.
      const double dist = kNeighbourhoodSpacingM * std::sqrt(j + 0.5) * r.uniform(0.9, 1.1);
      const double angle = j * 2.399963229728653 + r.uniform(-0.2, 0.2);
      const double x = dist * std::cos(angle);
      const double y = dist * std::sin(angle);
      nb.centroid = {town.centre.lat + y / kMetresPerDegreeLat, town.centre.lon + x / metres_per_degree_lon};
      if (j == 0) {
        nb.name = fmt::format("{} Town Centre", town.name);
      } else if (j < 9 && r.chance(0.5)) {
        static constexpr std::array<std::string_view, 4> compass{"North", "South", "East", "West"};
        const double deg = std::atan2(y, x) * 180 / 3.141592653589793;  // 0 = east, anticlockwise
        const std::size_t q = deg >= 45 && deg < 135 ? 0 : deg >= -135 && deg < -45 ? 1 : deg >= -45 && deg < 45 ? 2 : 3;
        nb.name = fmt::format("{} {}", compass[q], town.name);
        if (std::find(used_names.begin(), used_names.end(), nb.name) != used_names.end())
          nb.name = fmt::format("{} {}", fresh_name(), pick(r, names::kNeighbourhoodKinds));
        used_names.push_back(nb.name);
      } else {
        nb.name = fmt::format("{} {}", fresh_name(), pick(r, names::kNeighbourhoodKinds));
      }
      nb.code = fmt::format("X01{:06d}", nb.id);
      nb.planned_residents = std::max(
          20, static_cast<int>(spec.residents_per_neighbourhood * r.uniform(0.85, 1.15)));
      planned_total += nb.planned_residents;
      double s = town_offset + 1.0 * (1.0 - dist / (radius_m + 1));  // inner areas more deprived
      for (const auto& b : bumps) {
        const double d2 = ((x - b.x) * (x - b.x) + (y - b.y) * (y - b.y)) / (0.16 * radius_m * radius_m + 1);
        s += b.amplitude * std::exp(-d2);
      }
      score.push_back(s + r.normalish(0, 0.3));
      place.neighbourhoods.push_back(std::move(nb));
    }
    place.towns.push_back(std::move(town));
  }

  // Scale planned sizes so that they add up to the requested residents.
  const double factor = static_cast<double>(spec.residents) / static_cast<double>(planned_total);
  for (auto& nb : place.neighbourhoods)
    nb.planned_residents = std::max(1, static_cast<int>(std::lround(nb.planned_residents * factor)));

  std::vector<std::size_t> order(place.neighbourhoods.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  for (std::size_t rank = 0; rank < order.size(); ++rank)
    place.neighbourhoods[order[rank]].deprivation_decile = 1 + static_cast<int>(rank * 10 / order.size());

  const std::string& main = place.towns.front().name;
  if (spec.scale == "nation") {
    place.name = fmt::format("{}shire", pick(r, names::kPlaceStarts));
  } else if (spec.scale == "city") {
    place.name = fmt::format("City of {}", main);
  } else {
    place.name = main;
  }

  // Addresses and dates, from a stream of their own (the layout above is as it was
  // before they were added).
  Rng more(mix_seed(spec.seed, 0xC0FFEE, 1));
  name_counties(place, more);
  make_postcodes(place, more);
  for (int y = spec.reference_date.year; y <= spec.reference_date.year + 1; ++y) {
    const auto holidays = england_and_wales_bank_holidays(y);
    place.bank_holidays.insert(place.bank_holidays.end(), holidays.begin(), holidays.end());
  }
  return place;
}

}  // namespace bespoke::demo
