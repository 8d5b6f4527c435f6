#include "web/directory_query.h"

#include "core/ids.h"
#include "core/utf8.h"
#include "places/postcode.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace bespoke::web {
namespace {

using directory::ProviderKind;

constexpr std::array<std::string_view, 7> kKindCodes{"council", "nhs", "charity", "community_led",
                                                     "social_enterprise", "volunteer_group", "private_company"};
constexpr std::array<std::string_view, 7> kDayCodes{"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
constexpr std::array<std::string_view, 7> kDayNames{"monday", "tuesday", "wednesday", "thursday",
                                                    "friday", "saturday", "sunday"};

// Reads the parameters one by one, collecting every error.
class Parser {
 public:
  Parser(const Request& request, const directory::Taxonomy& taxonomy, ParsedQuery& out)
      : request_(request), taxonomy_(taxonomy), out_(out) {}

  std::optional<std::string> text(std::string_view name, std::size_t max_bytes) {
    auto value = request_.query_param(name);
    if (!value) return std::nullopt;
    if (!core::is_valid_utf8(*value)) return fail(name, "must be valid UTF-8 text");
    if (value->size() > max_bytes) return fail(name, fmt::format("must be at most {} characters", max_bytes));
    if (std::any_of(value->begin(), value->end(), [](unsigned char c) { return c < 0x20 || c == 0x7F; }))
      return fail(name, "must not contain control characters");
    return value;
  }

  template <class Int>
  std::optional<Int> integer(std::string_view name, Int low, Int high) {
    auto value = request_.query_param(name);
    if (!value) return std::nullopt;
    long long n = 0;
    const auto* end = value->data() + value->size();
    auto [ptr, ec] = std::from_chars(value->data(), end, n);
    if (value->empty() || ec != std::errc{} || ptr != end)
      return fail(name, fmt::format("must be a whole number from {} to {}", low, high));
    if (n < static_cast<long long>(low) || n > static_cast<long long>(high))
      return fail(name, fmt::format("must be from {} to {}", low, high));
    return static_cast<Int>(n);
  }

  std::optional<double> decimal(std::string_view name, double low, double high, bool low_inclusive = true) {
    auto value = request_.query_param(name);
    if (!value) return std::nullopt;
    double d = 0;
    const auto* end = value->data() + value->size();
    auto [ptr, ec] = std::from_chars(value->data(), end, d);
    if (value->empty() || ec != std::errc{} || ptr != end || !std::isfinite(d))
      return fail(name, "must be a number");
    if (d > high || d < low || (!low_inclusive && d == low))
      return fail(name, fmt::format("must be {} {} and at most {}", low_inclusive ? "at least" : "more than", low, high));
    return d;
  }

  std::optional<bool> boolean(std::string_view name) {
    auto value = request_.query_param(name);
    if (!value) return std::nullopt;
    if (*value == "true" || *value == "1" || *value == "yes") return true;
    if (*value == "false" || *value == "0" || *value == "no") return false;
    return fail(name, "must be true or false");
  }

  std::optional<directory::Uuid> uuid(std::string_view name) {
    auto value = request_.query_param(name);
    if (!value) return std::nullopt;
    auto id = directory::Uuid::parse(*value);
    if (!id) return fail(name, "must be a UUID");
    return id;
  }

  // A repeatable parameter's values, each mapped by `convert` (nullopt = wrong).
  template <class T, class Convert>
  std::vector<T> each(std::string_view name, std::string_view expected, Convert convert) {
    std::vector<T> out;
    for (const auto& value : request_.query_params(name)) {
      if (value.empty()) continue;  // an unticked form field
      if (auto converted = convert(value)) {
        out.push_back(*converted);
      } else {
        fail(name, fmt::format("{} is not {}", value.size() > 40 ? "the value" : "'" + value + "'", expected));
        break;
      }
    }
    return out;
  }

  std::optional<directory::TermIndex> term_by_code(std::string_view taxonomy_name, std::string_view code) {
    return find_term(taxonomy_, taxonomy_name, code);
  }

  std::nullopt_t fail(std::string_view field, std::string_view message) {
    out_.errors.push_back(core::Error::invalid(std::string(field), fmt::format("{} {}", field, message)));
    return std::nullopt;
  }

  const directory::Taxonomy& taxonomy() const { return taxonomy_; }

 private:
  const Request& request_;
  const directory::Taxonomy& taxonomy_;
  ParsedQuery& out_;
};

std::optional<std::uint8_t> weekday_from(std::string_view value) {
  std::string lower(value);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (std::size_t i = 0; i < 7; ++i) {
    std::string code(kDayCodes[i]);
    std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == code || lower == kDayNames[i]) return static_cast<std::uint8_t>(i);
  }
  return std::nullopt;
}

std::optional<std::array<char, 3>> language_code(std::string_view value) {
  if (value.size() < 2 || value.size() > 3) return std::nullopt;
  std::array<char, 3> code{};
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(value[i])));
    if (c < 'a' || c > 'z') return std::nullopt;
    code[i] = c;
  }
  return code;
}

void parse_place(Parser& p, const Request& request, QueryDialect dialect, PostcodeLookup& postcodes,
                 ParsedQuery& out) {
  std::optional<double> radius_m;
  if (dialect == QueryDialect::hsds) {
    if (auto m = p.decimal("proximity", 0, kMaxRadiusKm * 1000, false)) radius_m = *m;
  } else {
    if (auto km = p.decimal("radius_km", 0, kMaxRadiusKm, false)) radius_m = *km * 1000;
  }

  if (auto raw = p.text("postcode", 16); raw && !raw->empty()) {
    if (auto normalised = places::normalise_postcode(*raw)) {
      if (auto point = postcodes.find(*normalised)) {
        out.postcode = *normalised;
        out.place = *point;
      } else {
        p.fail("postcode", "is not a postcode we know");
      }
    } else {
      p.fail("postcode", "must be a UK postcode, like SW1A 1AA");
    }
  }
  if (dialect == QueryDialect::api) {
    const auto lat = p.decimal("lat", -90, 90);
    const auto lon = p.decimal("lon", -180, 180);
    const bool has_lat = request.query_param("lat").has_value(), has_lon = request.query_param("lon").has_value();
    if (has_lat != has_lon) p.fail(has_lat ? "lon" : "lat", "must be given with " + std::string(has_lat ? "lat" : "lon"));
    if (lat && lon) {
      if (out.postcode) p.fail("lat", "cannot be given with a postcode");
      out.place = core::LatLon{*lat, *lon};
    }
  }
  if (out.place) {
    directory::Near near{*out.place};
    if (radius_m) near.radius_m = *radius_m;
    out.query.near = near;
  } else if (radius_m) {
    p.fail(dialect == QueryDialect::hsds ? "proximity" : "radius_km", "needs a postcode to measure from");
  }
}

void parse_hsds_times(Parser& p, ParsedQuery& out) {
  auto clock = [&](std::string_view name) -> std::optional<std::uint16_t> {
    auto value = p.text(name, 8);
    if (!value) return std::nullopt;
    auto minutes = core::parse_clock_minutes(*value);
    if (!minutes) return p.fail(name, "must be a time like 09:30");
    return static_cast<std::uint16_t>(*minutes);
  };
  const auto day_text = p.text("day", 10);
  const auto start = clock("start_time");
  const auto end = clock("end_time");
  std::optional<std::uint8_t> day;
  if (day_text) {
    day = weekday_from(*day_text);
    if (!day) p.fail("day", "must be a day of the week, like Monday or MO");
  }
  if (start && end && *start > *end) p.fail("end_time", "must not be before start_time");
  if (day) {
    out.query.open_weekly = directory::WeeklyWindow{*day, start, end};
  } else if (start || end) {
    p.fail("day", "is needed with start_time and end_time");
  }
}

}  // namespace

std::optional<directory::TermIndex> find_term(const directory::Taxonomy& taxonomy, std::string_view taxonomy_name,
                                              std::string_view code) {
  const auto id = directory::Uuid::parse(core::taxonomy_term_uuid(taxonomy_name, code));
  return id ? taxonomy.find(*id) : std::nullopt;
}

ParsedQuery parse_directory_query(const Request& request, QueryDialect dialect, const directory::Taxonomy& taxonomy,
                                  PostcodeLookup& postcodes, core::Timestamp now) {
  ParsedQuery out;
  auto& q = out.query;
  Parser p(request, taxonomy, out);
  if (!parse_form(request.query)) {
    p.fail("query", "has a malformed percent-escape");
    return out;
  }
  const bool hsds = dialect == QueryDialect::hsds;

  if (auto text = p.text(hsds ? "search" : "q", kMaxSearchTextBytes)) q.text = *text;
  if (auto page = p.integer<std::uint32_t>("page", 1, kMaxPage)) q.page = *page;
  q.per_page = hsds ? 50 : 20;
  if (auto per_page = p.integer<std::uint32_t>("per_page", hsds ? 1 : 0, kMaxPerPage)) q.per_page = *per_page;

  if (auto id = p.uuid("taxonomy_term_id")) {
    if (auto term = taxonomy.find(*id)) {
      q.terms.push_back(*term);
    } else {
      p.fail("taxonomy_term_id", "is not a taxonomy term we know");
    }
  }
  if (auto id = p.uuid("taxonomy_id")) {
    if (auto t = taxonomy.find_taxonomy(*id)) {
      q.taxonomies.push_back(*t);
    } else {
      p.fail("taxonomy_id", "is not a taxonomy we know");
    }
  }
  if (auto id = p.uuid("organization_id")) q.organization = *id;
  parse_place(p, request, dialect, postcodes, out);

  if (hsds) {
    if (auto a = p.integer<std::uint8_t>("minimum_age", 0, 130)) q.minimum_age = *a;
    if (auto a = p.integer<std::uint8_t>("maximum_age", 0, 130)) q.maximum_age = *a;
    if (auto after = p.text("modified_after", 40)) {
      if (auto t = core::parse_rfc3339(*after)) {
        q.modified_after = t->time_since_epoch().count();
      } else {
        p.fail("modified_after", "must be a date-time like 2026-11-01T00:00:00Z");
      }
    }
    parse_hsds_times(p, out);
    return out;
  }

  if (auto sort = p.text("sort", 20)) {
    if (*sort == "relevance") q.sort = directory::Sort::relevance;
    else if (*sort == "distance") q.sort = directory::Sort::distance;
    else if (*sort == "blended") q.sort = directory::Sort::blended;
    else if (*sort != "" && *sort != "automatic") p.fail("sort", "must be relevance, distance or blended");
    if (q.sort == directory::Sort::distance && !q.near) p.fail("sort", "by distance needs a postcode or lat and lon");
  }
  q.provider_kinds = p.each<ProviderKind>("kind", "a provider kind", [](const std::string& v) -> std::optional<ProviderKind> {
    for (std::size_t i = 0; i < kKindCodes.size(); ++i)
      if (v == kKindCodes[i]) return static_cast<ProviderKind>(i);
    return std::nullopt;
  });
  if (auto b = p.boolean("community_led")) q.community_led = *b;
  if (auto b = p.boolean("locally_owned")) q.locally_owned = *b;
  auto terms_of = [&](std::string_view param, std::string_view taxonomy_name, std::string_view what) {
    return p.each<directory::TermIndex>(param, what, [&](const std::string& v) { return p.term_by_code(taxonomy_name, v); });
  };
  // Each need is its own AND-ed term; several needs mean "meets all of them".
  for (auto term : terms_of("need", "bespokeNeed", "a need we know")) q.terms.push_back(term);
  for (auto term : terms_of("accessibility", "bespokeAccessibility", "an accessibility feature we know"))
    q.terms.push_back(term);
  auto circumstances = terms_of("circumstance", "bespokeCircumstance", "a circumstance we know");
  if (!circumstances.empty()) q.circumstances = std::move(circumstances);
  if (auto age = p.integer<std::uint8_t>("age", 0, 130)) q.age = *age;
  q.languages = p.each<std::array<char, 3>>("language", "a language code like en or pl", language_code);
  if (auto cost = p.text("cost", 10)) {
    if (*cost == "free") q.cost = directory::CostFilter::free_only;
    else if (*cost == "paid") q.cost = directory::CostFilter::paid_only;
    else if (!cost->empty() && *cost != "any") p.fail("cost", "must be free or paid");
  }
  if (auto b = p.boolean("has_capacity")) q.has_capacity = *b;

  const auto local_now = core::to_uk_local(now);
  const directory::LocalTime now_local{local_now.day, static_cast<std::uint16_t>(local_now.minute)};
  if (auto open_at = p.text("open_at", 20); open_at && !open_at->empty()) {
    // YYYY-MM-DDTHH:MM, UK local time.
    const auto day = open_at->size() >= 16 && (*open_at)[10] == 'T' ? core::parse_iso_date(open_at->substr(0, 10))
                                                                     : std::nullopt;
    const auto minute = day ? core::parse_clock_minutes(open_at->substr(11)) : std::nullopt;
    if (day && minute) {
      q.open_at = directory::LocalTime{*day, static_cast<std::uint16_t>(*minute)};
    } else {
      p.fail("open_at", "must be a local date and time like 2026-12-24T10:00");
    }
  }
  if (auto b = p.boolean("open_now"); b && *b) {
    if (q.open_at) p.fail("open_now", "cannot be given with open_at");
    q.open_at = now_local;
  }
  q.facets = directory::FacetRequest::all(now_local);
  return out;
}

}  // namespace bespoke::web
