#include "places/onspd.h"

#include "places/postcode.h"

#include <charconv>
#include <cmath>
#include <initializer_list>
#include <string_view>

namespace bespoke::places {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<double> parse_double(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  double d = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  s = trim(s);
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return n;
}

}  // namespace

std::optional<int> england_imd_decile(std::int64_t rank) noexcept {
  if (rank < 1 || rank > kEnglandLsoaCount) return std::nullopt;
  return static_cast<int>((rank * 10 + kEnglandLsoaCount - 1) / kEnglandLsoaCount);
}

OnspdReader::OnspdReader(std::istream& in) : csv_(in) {}

core::Result<void> OnspdReader::read_header() {
  auto got = csv_.next(row_);
  if (!got) return got.error();
  if (!*got) return core::Error::invalid("header", "the file is empty: expected an ONSPD header row");
  std::vector<std::string> names;
  for (const auto& f : row_.fields) names.push_back(lower(trim(f)));
  const auto find = [&](std::initializer_list<std::string_view> candidates) -> std::optional<std::size_t> {
    for (auto c : candidates)
      for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == c) return i;
    return std::nullopt;
  };
  const auto pc = find({"pcds", "pcd", "pcd2"});
  const auto lat = find({"lat"});
  const auto lon = find({"long", "lon"});
  if (!pc || !lat || !lon)
    return core::Error::invalid("header", "not an ONSPD file: the header needs the columns pcds (or pcd), lat and long");
  postcode_ = *pc;
  lat_ = *lat;
  long_ = *lon;
  area_ = find({"lsoa21cd", "lsoa21", "lsoa11cd", "lsoa11"});
  imd_ = find({"imd"});
  doterm_ = find({"doterm"});
  country_ = find({"ctry", "ctry25cd", "ctry12cd"});
  header_read_ = true;
  return {};
}

core::Result<bool> OnspdReader::next(PostcodeRecord& out) {
  if (!header_read_) {
    if (auto h = read_header(); !h) return h.error();
  }
  for (;;) {
    auto got = csv_.next(row_);
    if (!got) return got.error();
    if (!*got) return false;
    ++counts_.rows;
    const auto& f = row_.fields;
    const auto field = [&](std::optional<std::size_t> i) -> std::string_view {
      return i && *i < f.size() ? trim(f[*i]) : std::string_view();
    };
    if (!field(doterm_).empty()) {
      ++counts_.terminated;
      continue;
    }
    const auto pc = normalise_postcode(field(postcode_));
    if (!pc) {
      ++counts_.invalid;
      continue;
    }
    const auto lat_text = field(lat_);
    const auto lon_text = field(long_);
    if (lat_text.empty() || lon_text.empty()) {
      ++counts_.no_coordinates;
      continue;
    }
    const auto lat = parse_double(lat_text);
    const auto lon = parse_double(lon_text);
    if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) {
      // ONSPD's marker for "no grid reference" is lat 99.999999, long 0.
      if (lat && *lat > 99.9) {
        ++counts_.no_coordinates;
      } else {
        ++counts_.invalid;
      }
      continue;
    }
    out.postcode = *pc;
    out.latitude = *lat;
    out.longitude = *lon;
    const auto area = field(area_);
    out.area_code = area.empty() ? std::nullopt : std::optional<std::string>(area);
    out.neighbourhood_id.reset();
    out.deprivation_decile.reset();
    const auto country = field(country_);
    if (country.empty() || country == "E92000001") {
      if (const auto rank = parse_int(field(imd_))) out.deprivation_decile = england_imd_decile(*rank);
    }
    ++counts_.loaded;
    return true;
  }
}

}  // namespace bespoke::places
