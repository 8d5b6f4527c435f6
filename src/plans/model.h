#pragma once
// What the plan engine reasons about: a person (where they live, what matters
// to them, their budget), the needs to meet, and the options that might meet
// them (directory services, the person's family and neighbours, their own
// ideas). Plain values, filled in by the caller from the store; codes are the
// caller's dense indices (needs, languages, circumstances, interests), so the
// engine needs no vocabulary of its own.
#include "core/geo.h"
#include "core/money.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bespoke::plans {

using NeedId = std::uint16_t;

// A weekly time: day 0 = Monday ... 6 = Sunday, minutes after local midnight.
struct WeeklySlot {
  std::uint8_t day = 0;
  std::uint16_t start = 0;
  std::uint16_t end = 0;  // > start; 1440 = midnight at the end of the day
  friend bool operator==(const WeeklySlot&, const WeeklySlot&) = default;
};

[[nodiscard]] constexpr bool overlap(const WeeklySlot& a, const WeeklySlot& b) noexcept {
  return a.day == b.day && a.start < b.end && b.start < a.end;
}
// Does `inner` lie wholly within `outer`?
[[nodiscard]] constexpr bool within(const WeeklySlot& inner, const WeeklySlot& outer) noexcept {
  return inner.day == outer.day && inner.start >= outer.start && inner.end <= outer.end;
}

// Who provides an option. Council and NHS services are statutory: they can be
// a guaranteed fallback; so can any option the council commissions.
enum class ProviderKind : std::uint8_t {
  council,
  nhs,
  charity,
  community_led,
  social_enterprise,
  volunteer_group,
  private_company,
  informal,  // the person's family, friends or neighbours
  unknown,
};

enum class CarerGender : std::uint8_t { any, female, male };

struct Option {
  std::uint32_t id = 0;            // the caller's key; ties in every ranking break by it
  std::uint32_t organisation = 0;  // for exclusions and continuity (0 = none, as for informal help)
  ProviderKind kind = ProviderKind::unknown;
  bool community_led = false;
  bool locally_owned = false;
  bool commissioned = false;  // paid for by the council: a guaranteed fallback like its own services
  std::vector<NeedId> needs;
  // Eligibility: ages inclusive; circumstances any-of (0 = open to everyone).
  std::uint8_t minimum_age = 0;
  std::uint8_t maximum_age = 255;
  std::uint32_t eligible_circumstances = 0;
  std::optional<core::LatLon> site;  // nullopt: comes to the person (at home, by phone, online)
  std::uint64_t languages = 1;        // bit i: staff speak language i (bit 0 is English)
  core::Pence cost_per_session;
  std::vector<WeeklySlot> sessions;  // when it runs; empty: arranged to suit the person
  std::optional<std::int32_t> spare_places;  // nullopt: not published; 0: full
  std::uint32_t culture = 0;                 // bit i: faith or cultural community i it serves
  CarerGender carer_gender = CarerGender::any;
  std::uint64_t interests = 0;             // bit i: interest i it offers
  std::optional<double> good_feedback;     // share of people who rated it well, 0..1, once recorded
};

enum class TravelMode : std::uint8_t { walk, bus, car, none };

struct Person {
  core::LatLon home;
  int age = 0;
  std::uint32_t circumstances = 0;  // bit i: circumstance i applies
  // Languages the person can be supported in; an option must speak one (0 = any).
  std::uint64_t languages = 1;
  std::uint8_t main_language = 0;  // for "in Polish" when it is not English (0)
  TravelMode travel = TravelMode::walk;
  double max_travel_m = 1500;
  std::vector<WeeklySlot> times_that_suit;  // empty: any time
  std::uint32_t culture = 0;
  CarerGender carer_gender = CarerGender::any;
  std::uint64_t interests = 0;
  std::vector<std::uint32_t> excluded_organisations;
  std::vector<ProviderKind> excluded_kinds;
  std::vector<std::uint32_t> current_organisations;  // already helping: continuity
  core::Pence budget_per_week;
};

struct NeedToMeet {
  NeedId need = 0;
  bool eligible = false;  // an eligible need under the Care Act: the council must meet it
};

// How much each soft factor counts, in points; a line scores 0 to their sum,
// which is at most 100 (validated), so that the composition can rank plans by
// needs met first and scores after (docs/plans.md).
struct Weights {
  double distance = 25;
  double timing = 20;
  double what_matters = 20;
  double cost = 10;
  double continuity = 10;
  double outcomes = 10;
  double community = 5;  // the council's policy weight for community-led and locally owned organisations

  [[nodiscard]] double total() const noexcept {
    return distance + timing + what_matters + cost + continuity + outcomes + community;
  }
};

}  // namespace bespoke::plans
