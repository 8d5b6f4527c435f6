#pragma once
// The deterministic demo place: neighbourhoods, households, residents,
// organisations, services and volunteers, made from a seed.
//
// The same seed and sizes make the same place, whatever the thread count: the
// work is split into chunks (one per neighbourhood), each with its own random
// stream seeded from (seed, chunk), and chunks reach the sink in a fixed order.
// No I/O here: a TownSink (store::TownWriter, or a test's) receives the batches.
#include "core/error.h"
#include "core/geo.h"
#include "demo/calendar.h"
#include "demo/vocabulary.h"

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::demo {

inline constexpr std::string_view kGeneratorVersion = "bespoke-demo/3";  // 3: with the demo accounts

// 128 random bits for a public id; text() lays them out as UUID v4.
struct PublicId {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  [[nodiscard]] std::string text() const;
  // Another id derived from this one, for the rows that belong to a record
  // (its schedule, cost option, ...): deterministic and, in practice, unique.
  [[nodiscard]] PublicId derive(std::uint64_t tag) const noexcept;
  friend bool operator==(const PublicId&, const PublicId&) = default;
};

struct Town {
  std::int64_t id = 0;
  PublicId public_id;
  std::string name;
  core::LatLon centre;
  std::string county;  // fictional, for addresses' state_province
};

struct Neighbourhood {
  std::int64_t id = 0;
  PublicId public_id;
  std::int64_t town_id = 0;
  std::string name;
  std::string code;  // fictional, in the style of an LSOA code: "X01000123"
  core::LatLon centroid;
  int deprivation_decile = 5;  // 1 = most deprived tenth of the place, 10 = least
  int planned_residents = 0;
  // Its postcodes: Place::postcodes[first_postcode, first_postcode + postcode_count).
  std::size_t first_postcode = 0;
  std::size_t postcode_count = 0;
};

// A fictional postcode of the place: valid UK shape (AA9 9AA or AA99 9AA), but
// in areas beginning with Z, which no real postcode but Shetland's ZE uses (and
// ZE is never used here). Every location's postcode is one of these.
struct Postcode {
  std::string code;  // normalised: "ZA12 3BD"
  std::int64_t neighbourhood_id = 0;
  core::LatLon location;  // near the neighbourhood's centroid
  int deprivation_decile = 5;  // the neighbourhood's
};

enum class Tenure : std::uint8_t { owner_occupied, social_rent, private_rent };
inline constexpr std::array<std::string_view, 3> kTenures{"owner_occupied", "social_rent", "private_rent"};

enum class HouseholdType : std::uint8_t { one_person, couple, couple_with_children, lone_parent, multi_adult };
inline constexpr std::array<std::string_view, 5> kHouseholdTypes{"one_person", "couple", "couple_with_children",
                                                                 "lone_parent", "multi_adult"};

struct Household {
  std::int64_t id = 0;
  PublicId public_id;
  std::int64_t neighbourhood_id = 0;
  HouseholdType type = HouseholdType::one_person;
  int size = 1;  // 1-6
  Tenure tenure = Tenure::owner_occupied;
  core::LatLon location;  // the home, near the neighbourhood centroid
};

enum class Sex : std::uint8_t { female, male };

// Ages are as at DemoSpec::reference_date.
struct Resident {
  std::int64_t id = 0;
  PublicId public_id;
  std::int64_t household_id = 0;
  std::int64_t neighbourhood_id = 0;
  std::string_view given_name;   // from static word lists: no allocation per resident
  std::string_view family_name;
  Sex sex = Sex::female;
  int age = 0;
  Date birth_date;
  std::uint8_t main_language = kEnglish;  // index into kLanguages
  bool speaks_english = true;
  std::uint8_t faith = 0;  // index into kFaiths
  NeedSet needs = 0;
  CircumstanceSet circumstances = 0;
};

// A weekly opening (service) or availability (volunteer) slot.
struct WeeklySlot {
  std::uint8_t day = 0;         // index into kDays (0 = Monday)
  std::uint16_t opens_at = 0;   // minutes after midnight
  std::uint16_t closes_at = 0;  // minutes after midnight, > opens_at
  friend bool operator==(const WeeklySlot&, const WeeklySlot&) = default;
};

// A dated exception to a service's weekly hours: closed from `from` to `to`
// (inclusive), or open only opens_at-closes_at on those days when closes_at > 0.
struct DatedHours {
  Date from;
  Date to;
  std::uint16_t opens_at = 0;   // minutes after midnight
  std::uint16_t closes_at = 0;  // 0 = closed
  std::string_view description;  // why: "Closed for Easter"
  [[nodiscard]] bool closed() const noexcept { return closes_at == 0; }
  friend bool operator==(const DatedHours&, const DatedHours&) = default;
};

enum class ServiceStatus : std::uint8_t { active, inactive, temporarily_closed };
inline constexpr std::array<std::string_view, 3> kServiceStatuses{"active", "inactive", "temporarily closed"};

struct Organisation {
  std::int64_t id = 0;
  PublicId public_id;
  std::int64_t neighbourhood_id = 0;
  ProviderKind kind = ProviderKind::charity;
  std::string name;
  std::string description;
  std::string registration_id;  // org-id style ("GB-CHC-1234567"); empty when unregistered
  std::string_view legal_status;  // "Registered charity", "Local authority", ...
  bool community_led = false;
  bool locally_owned = false;
  int year_founded = 2000;
  std::string domain;   // "ashford-food-bank.example": website and e-mail addresses are at it
  std::string website;
  std::string email;
  // Its one location (HSDS location) and that location's address.
  PublicId location_public_id;
  std::string address;   // address_1: "12 Church Road"
  std::string postcode;  // one of Place::postcodes, in the organisation's neighbourhood
  core::LatLon location;
  std::string phone;     // the location's: fictional (Ofcom's drama ranges)
  AccessibilitySet accessibility = 0;
};

struct Service {
  std::int64_t id = 0;
  PublicId public_id;
  std::int64_t organisation_id = 0;
  std::int64_t neighbourhood_id = 0;
  std::string name;
  std::string description;
  const ServiceTypeInfo* type = nullptr;  // an entry of kServiceTypes: its Open Eligibility term
  NeedSet needs_met = 0;
  ServiceStatus status = ServiceStatus::active;
  // Eligibility: ages inclusive (0 and 120 = no limit); circumstances are "any of" (0 = open to everyone).
  int minimum_age = 0;
  int maximum_age = 120;
  CircumstanceSet eligible_circumstances = 0;
  std::string url;
  std::string email;
  std::string_view contact_title;  // the contact's role: "Volunteer coordinator"
  std::string contact_email;       // at the organisation's domain
  std::string phone;               // a helpline of its own; empty = the location's phone
  Date assured_date;               // last verified; on or before the reference date
  Date last_modified;              // between assured_date and the reference date
  int last_modified_minute = 0;    // minutes after midnight (UTC) on last_modified
  std::vector<WeeklySlot> schedule;
  std::vector<DatedHours> exceptions;  // bank holidays of the reference year and the next
  std::string_view capacity_unit;  // one of kCapacityUnits
  int capacity_maximum = 0;
  int capacity_available = 0;  // 0..maximum
  std::int64_t cost_pence = 0;  // per session; 0 = free (written in pounds)
  std::uint16_t languages = 1;  // bit i = kLanguages[i] spoken by staff; English always
};

struct Volunteer {
  std::int64_t id = 0;
  PublicId public_id;
  std::int64_t resident_id = 0;
  std::int64_t neighbourhood_id = 0;
  SkillSet skills = 0;
  CheckSet checks = 0;
  std::vector<WeeklySlot> availability;
  int hours_per_month = 0;
  int max_travel_m = 0;
};

// One neighbourhood's worth of records, ids already final and references resolved.
struct Chunk {
  std::size_t index = 0;  // the neighbourhood's position; chunks arrive in this order
  std::vector<Household> households;
  std::vector<Resident> residents;
  std::vector<Organisation> organisations;
  std::vector<Service> services;
  std::vector<Volunteer> volunteers;
};

// Units of capacity (HSDS unit): ids are core::uuid_for_name("unit:bespoke:" + name).
inline constexpr std::array<std::string_view, 3> kCapacityUnits{"places", "hours a week", "appointments a week"};

struct Place {
  std::string name;
  std::string scale;
  std::uint64_t seed = 0;
  std::string generator_version{kGeneratorVersion};
  Date reference_date;
  std::vector<Town> towns;
  std::vector<Neighbourhood> neighbourhoods;
  std::vector<Postcode> postcodes;  // grouped by neighbourhood, in neighbourhood order
  // The bank holidays of the reference year and the next, in date order.
  std::vector<BankHoliday> bank_holidays;
};

struct Totals {
  std::int64_t towns = 0;
  std::int64_t neighbourhoods = 0;
  std::int64_t households = 0;
  std::int64_t residents = 0;
  std::int64_t resident_needs = 0;
  std::int64_t organisations = 0;
  std::int64_t services = 0;
  std::int64_t volunteers = 0;
  std::int64_t volunteer_hours_per_month = 0;
  friend bool operator==(const Totals&, const Totals&) = default;
};

// Receives the place in order: begin, then every chunk, then finish. Called on
// the thread that called generate(), so a sink needs no locking.
class TownSink {
 public:
  virtual ~TownSink() = default;
  virtual void begin(const Place& place) = 0;
  virtual void write(const Chunk& chunk) = 0;
  virtual void finish(const Totals& totals) = 0;
};

struct DemoSpec {
  std::string scale = "town";  // "test", "town", "city", "nation"
  std::uint64_t seed = 1;
  std::int64_t residents = 50'000;
  std::int64_t organisations = 1'000;
  std::int64_t services = 3'000;
  std::int64_t volunteers = 2'000;
  int residents_per_neighbourhood = 1'500;
  int towns = 1;
  int threads = 0;  // 0 = as many as the machine has; the output does not depend on it
  Date reference_date{2026, 1, 1};

  // "town" (≈50k residents), "city" (×10) or "nation" (≈5M residents over several towns).
  [[nodiscard]] static core::Result<DemoSpec> for_scale(std::string_view scale, std::uint64_t seed);
  // A small place for tests: about 3,000 residents in 20 neighbourhoods.
  [[nodiscard]] static DemoSpec tiny(std::uint64_t seed);
};

struct Progress {
  std::size_t chunks_done = 0;
  std::size_t chunks_total = 0;
  Totals totals;  // written so far
};
using ProgressFn = std::function<void(const Progress&)>;

// Makes the place and hands it to the sink. Exceptions from the sink propagate
// (after the worker threads have stopped). Returns what was made.
Totals generate(const DemoSpec& spec, TownSink& sink, const ProgressFn& progress = {});

// The layout alone (towns and neighbourhoods with their deciles), as generate() makes it.
[[nodiscard]] Place make_place(const DemoSpec& spec);

// Chance that a resident of this age has the need in a neighbourhood of this decile.
[[nodiscard]] double need_probability(std::size_t need, int decile, int age) noexcept;

}  // namespace bespoke::demo
