#include "store/neighbourhood_store.h"

namespace bespoke::store {
namespace {

NeighbourhoodPlace place_from(const Row& row) {
  return NeighbourhoodPlace{row.text(0), row.text(1), row.real(2), row.real(3)};
}

}  // namespace

std::vector<NeighbourhoodPlace> list_neighbourhoods(Connection& c, std::size_t limit) {
  const Value params[] = {static_cast<std::int64_t>(limit)};
  std::vector<NeighbourhoodPlace> out;
  for (const auto& row : c.query("SELECT code, \"name\", latitude, longitude FROM neighbourhood"
                                 " ORDER BY \"name\", code LIMIT $1",
                                 params))
    out.push_back(place_from(row));
  return out;
}

std::optional<NeighbourhoodPlace> find_neighbourhood(Connection& c, std::string_view code) {
  const Value params[] = {std::string(code)};
  const auto rows =
      c.query("SELECT code, \"name\", latitude, longitude FROM neighbourhood WHERE code = $1", params);
  if (rows.empty()) return std::nullopt;
  return place_from(rows.front());
}

}  // namespace bespoke::store
