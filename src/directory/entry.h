#pragma once
// What the directory search knows about one service: the fields it searches,
// filters, ranks and facets on, in a compact form. Built by store/ from the
// HSDS tables (store/directory_source.h) and kept current on every write; the
// full HSDS record for display is read from the database, not from here.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::directory {

// 128-bit id (HSDS ids are UUIDs); ordered so that ties break by id.
struct Uuid {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  // Accepts the canonical 36-character form in either case; nullopt otherwise.
  [[nodiscard]] static std::optional<Uuid> parse(std::string_view text) noexcept;
  [[nodiscard]] std::string text() const;  // lower-case canonical form
  friend auto operator<=>(const Uuid&, const Uuid&) = default;
};

// Hash for unordered containers keyed on Uuid (mixes both halves).
struct UuidHash {
  [[nodiscard]] std::size_t operator()(const Uuid& id) const noexcept {
    std::uint64_t h = (id.high ^ (id.low * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL;
    return static_cast<std::size_t>(h ^ (h >> 31));
  }
};

// Dense index of a taxonomy term in a Taxonomy (taxonomy.h).
using TermIndex = std::uint32_t;

// The provider kinds of DESIGN.md; the codes are those of demo/vocabulary.h.
enum class ProviderKind : std::uint8_t {
  council,
  nhs,
  charity,
  community_led,
  social_enterprise,
  volunteer_group,
  private_company,
  unknown,  // imported organisations that do not say
};
inline constexpr std::size_t kProviderKindCount = 8;

// A weekly opening, in local (Europe/London) wall-clock minutes after midnight.
struct WeeklyOpening {
  std::uint8_t day = 0;  // 0 = Monday ... 6 = Sunday
  std::uint16_t opens = 0;
  std::uint16_t closes = 0;  // > opens; 1440 = midnight at the end of the day
  friend bool operator==(const WeeklyOpening&, const WeeklyOpening&) = default;
};

// A dated exception to the weekly pattern (a bank holiday): closed all day, or
// open only at these hours. Dates are days since 1970-01-01 (local date).
struct DatedOpening {
  std::int32_t first_day = 0;
  std::int32_t last_day = 0;  // inclusive
  bool closed = true;
  std::uint16_t opens = 0;
  std::uint16_t closes = 0;
  friend bool operator==(const DatedOpening&, const DatedOpening&) = default;
};

// Where the service is delivered: one HSDS service_at_location with coordinates.
struct Site {
  Uuid service_at_location_id;
  Uuid location_id;
  double latitude = 0;
  double longitude = 0;
  friend bool operator==(const Site&, const Site&) = default;
};

enum class Cost : std::uint8_t { unknown, free, paid };

struct ServiceEntry {
  Uuid id;
  Uuid organization_id;
  bool active = true;  // HSDS status "active"; others are never found by search
  std::string name;
  std::string description;
  std::string organization_name;
  // Terms the service is tagged with (service types, needs met, accessibility
  // of its locations, ...), each once, in any order. Their labels are
  // searchable text; the taxonomy gives their broader terms.
  std::vector<TermIndex> terms;
  // Eligibility: inclusive ages (nullopt = no limit) and circumstances, any one
  // of which qualifies (empty = open to everyone).
  std::optional<std::uint8_t> minimum_age;
  std::optional<std::uint8_t> maximum_age;
  std::vector<TermIndex> eligible_circumstances;
  ProviderKind provider_kind = ProviderKind::unknown;
  bool community_led = false;
  bool locally_owned = false;
  std::vector<std::array<char, 3>> languages;  // ISO 639-1/-3 codes, lower case, NUL-padded
  Cost cost = Cost::unknown;
  // The lowest cost_option amount, in pence (0 = free); nullopt = none published.
  std::optional<std::int64_t> lowest_cost_pence;
  std::vector<WeeklyOpening> weekly;   // empty = no published hours
  std::vector<DatedOpening> dated;
  std::optional<std::int32_t> capacity_available;  // nullopt = not published
  std::optional<std::int32_t> capacity_maximum;
  std::vector<Site> sites;  // empty = not at a place (online, phone, at home)
  std::optional<std::int64_t> last_modified;  // Unix seconds (HSDS service.last_modified)
};

}  // namespace bespoke::directory
