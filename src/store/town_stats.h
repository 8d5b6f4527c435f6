#pragma once
// The demo town's headline figures, for the home page.
#include "store/database.h"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace bespoke::store {

struct DecileFigures {
  int decile = 0;                  // 1 = most deprived, 10 = least
  std::int64_t neighbourhoods = 0;
  std::int64_t residents = 0;
};

struct TownStats {
  bool has_town = false;  // false on a database with no town generated
  std::string place_name;
  std::string scale;      // "town", "city", "nation"
  std::uint64_t seed = 0;
  std::int64_t residents = 0;
  std::int64_t households = 0;
  std::int64_t organisations = 0;
  std::int64_t services = 0;
  std::int64_t volunteers = 0;
  std::int64_t neighbourhoods = 0;
  // Provider kind code ("council", "nhs", "charity", "community_led",
  // "social_enterprise", "volunteer_group", "private_company") and count, in that
  // order: attributes with that bespokeProviderKind term, which docs/directory.md
  // attaches once to an organisation (link_type provider_kind). Organisations
  // without one count only in `organisations`.
  std::vector<std::pair<std::string, std::int64_t>> organisations_by_kind;
  // Organisations with the bespokeOrganisation "locally_owned" attribute.
  std::int64_t locally_owned_organisations = 0;
  std::array<DecileFigures, 10> by_decile{};
};

// Reads the figures in one read transaction. Cost grows with the town: callers
// cache the result (web/ keeps it for a short time).
[[nodiscard]] TownStats read_town_stats(Connection& db);

}  // namespace bespoke::store
