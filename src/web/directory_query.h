#pragma once
// Turns a request's query string into a directory search, checking every
// parameter: a wrong one is an error naming it (problem+json `field`, or the
// GOV.UK error summary's link), never a 500 and never silently ignored.
//
// Two dialects share the parsing:
//   hsds  the Open Referral UK API (/hsds/...): search, page, per_page (1-100,
//         default 50), taxonomy_term_id, taxonomy_id, organization_id,
//         modified_after, minimum_age, maximum_age, day, start_time, end_time,
//         postcode and proximity (metres);
//   api   our own API and pages (/api/v1/services, /services): q, page,
//         per_page (0-100, default 20), postcode or lat+lon, radius_km, sort,
//         kind, community_led, locally_owned, need, circumstance, age,
//         language, cost, open_now, open_at, accessibility, has_capacity,
//         taxonomy_term_id, taxonomy_id, organization_id.
// Parameters combine with AND. Repeatable ones (kind, need, language, ...)
// combine their values with OR within the parameter.
#include "core/error.h"
#include "core/geo.h"
#include "core/time.h"
#include "directory/query.h"
#include "directory/taxonomy.h"
#include "web/http.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::web {

enum class QueryDialect { hsds, api };

// Where a postcode is (the database's postcode table).
class PostcodeLookup {
 public:
  virtual ~PostcodeLookup() = default;
  // `postcode` is normalised ("AB1 2CD"); nullopt when unknown.
  [[nodiscard]] virtual std::optional<core::LatLon> find(const std::string& postcode) = 0;
};

struct ParsedQuery {
  directory::Query query;
  std::vector<core::Error> errors;  // empty when the query is good
  std::optional<std::string> postcode;  // normalised, when one was given
  std::optional<core::LatLon> place;    // the point searched around
};

inline constexpr std::size_t kMaxSearchTextBytes = 200;
inline constexpr double kMaxRadiusKm = 200;
inline constexpr std::uint32_t kMaxPage = 100'000;
inline constexpr std::uint32_t kMaxPerPage = 100;

[[nodiscard]] ParsedQuery parse_directory_query(const Request& request, QueryDialect dialect,
                                                const directory::Taxonomy& taxonomy, PostcodeLookup& postcodes,
                                                core::Timestamp now);

// The term of `taxonomy_name` with this code, if the taxonomy has it.
[[nodiscard]] std::optional<directory::TermIndex> find_term(const directory::Taxonomy& taxonomy,
                                                            std::string_view taxonomy_name, std::string_view code);

}  // namespace bespoke::web
