#pragma once
// The place's neighbourhoods (table `neighbourhood`) for the directory's search
// page: their names for a select box, and the centroid searched around when a
// person picks one instead of typing a postcode.
#include "store/database.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::store {

struct NeighbourhoodPlace {
  std::string code;  // stable, e.g. "N0001"; what the search page's form sends
  std::string name;
  double latitude = 0;   // centroid
  double longitude = 0;
  friend bool operator==(const NeighbourhoodPlace&, const NeighbourhoodPlace&) = default;
};

// Every neighbourhood ordered by name then code, at most `limit` of them (a
// nation has thousands: the caller decides whether a select box still makes
// sense by asking for one more than it would show).
[[nodiscard]] std::vector<NeighbourhoodPlace> list_neighbourhoods(Connection& c, std::size_t limit);

// The neighbourhood with this code; nullopt when there is none.
[[nodiscard]] std::optional<NeighbourhoodPlace> find_neighbourhood(Connection& c, std::string_view code);

}  // namespace bespoke::store
