#pragma once
// What a directory search asks for: free text, filters, a place, an order, a
// page and the facets to count. A default Query finds every active service.
#include "core/geo.h"
#include "directory/entry.h"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace bespoke::directory {

// A local (Europe/London) wall-clock time: a date and a minute of that day.
struct LocalTime {
  std::int32_t day = 0;       // days since 1970-01-01 (a Thursday)
  std::uint16_t minute = 0;   // 0 ... 1439
  // 0 = Monday ... 6 = Sunday, as WeeklyOpening::day.
  [[nodiscard]] constexpr std::uint8_t weekday() const noexcept {
    return static_cast<std::uint8_t>(((day % 7) + 7 + 3) % 7);
  }
};

// The Open Referral UK profile's day / start_time / end_time: services with
// some weekly opening on `day` that opens at or after `start` and closes at
// or before `end` (minutes after local midnight). A missing bound is no bound;
// both missing: any opening on that day.
struct WeeklyWindow {
  std::uint8_t day = 0;  // 0 = Monday ... 6 = Sunday
  std::optional<std::uint16_t> start;
  std::optional<std::uint16_t> end;
};

// Services with a site within radius_m of point (great-circle distance). The
// radius may be infinite (sort by distance without a limit); services with no
// site never match a query with `near`.
struct Near {
  core::LatLon point;
  double radius_m = std::numeric_limits<double>::infinity();
};

// The order of the hits. Ties always break by ascending service id.
//   automatic: blended when there are both text and a place, relevance with
//              text only, distance with a place only, else by id.
//   relevance: BM25 score, highest first (all scores are 0 without text, so
//              this is id order).
//   distance:  nearest site first (id order without a place).
//   blended:   score / (1 + distance / kBlendScaleM), highest first (the
//              score alone without a place; 1 / (1 + d / kBlendScaleM) alone
//              without text).
enum class Sort : std::uint8_t { automatic, relevance, distance, blended };
inline constexpr double kBlendScaleM = 2000;

enum class CostFilter : std::uint8_t { any, free_only, paid_only };

// Which facet counts to compute over the matched set (each costs a little).
struct FacetRequest {
  bool provider_kind = false;
  bool community_led = false;
  bool locally_owned = false;
  bool cost = false;
  bool languages = false;
  bool terms = false;
  bool has_capacity = false;
  std::optional<LocalTime> open_now;  // count matched services open at this time

  [[nodiscard]] static FacetRequest all(std::optional<LocalTime> now = std::nullopt) {
    return {true, true, true, true, true, true, true, now};
  }
};

struct Query {
  // Free text: every word that is not a stop word must match (see index.h).
  std::string text;

  // Each term must match: the service has it or a narrower term.
  std::vector<TermIndex> terms;
  // The service has at least one term of each of these taxonomies.
  std::vector<std::uint32_t> taxonomies;
  // Only this organisation's services (ServiceEntry::organization_id).
  std::optional<Uuid> organization;
  // Unix seconds: services with last_modified >= it (none = excluded).
  std::optional<std::int64_t> modified_after;
  // Any of these provider kinds (empty = any).
  std::vector<ProviderKind> provider_kinds;
  std::optional<bool> community_led;
  std::optional<bool> locally_owned;

  // Eligibility of a person: their age lies within the service's age limits...
  std::optional<std::uint8_t> age;
  // ...and, when given, the service lists no circumstances or one of them is
  // one of these or broader than one of these.
  std::optional<std::vector<TermIndex>> circumstances;
  // The Open Referral UK profile's age parameters, about the service's own
  // limits (not a person's age): minimum_age = v finds services with a
  // minimum age of at least v (a service without one counts as 0);
  // maximum_age = v finds services with a maximum age at or below v (a
  // service without one has no limit and is left out).
  std::optional<std::uint8_t> minimum_age;
  std::optional<std::uint8_t> maximum_age;

  // Offered in any of these languages (ISO codes as in ServiceEntry).
  std::vector<std::array<char, 3>> languages;
  CostFilter cost = CostFilter::any;
  // Open at this local time: dated exceptions covering the day replace the
  // weekly pattern for that day; a service with no published hours is closed.
  std::optional<LocalTime> open_at;
  std::optional<WeeklyWindow> open_weekly;
  // Only services with capacity_available > 0.
  bool has_capacity = false;

  std::optional<Near> near;
  Sort sort = Sort::automatic;

  // 1-based; pages past the end are empty. per_page is clamped to
  // [0, kMaxPerPage]; 0 gives totals and facets only.
  std::uint32_t page = 1;
  std::uint32_t per_page = 20;
  FacetRequest facets;
};
inline constexpr std::uint32_t kMaxPerPage = 1000;

}  // namespace bespoke::directory
