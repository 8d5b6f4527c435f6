#include "store/directory_lists.h"

#include <fmt/format.h>

#include <stdexcept>
#include <unordered_map>

namespace bespoke::store {
namespace {

// "$1, $2, ..." starting at `first`.
std::string placeholders(std::size_t count, std::size_t first = 1) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += fmt::format("{}${}", i ? ", " : "", first + i);
  return out;
}

// SQLite and PostgreSQL both take LIKE with an ESCAPE clause; LOWER() folds ASCII on both.
std::string like_pattern(std::string_view text) {
  std::string out = "%";
  for (const char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out.push_back('\\');
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  }
  out.push_back('%');
  return out;
}

}  // namespace

IdPage list_ids(Connection& c, std::string_view entity, const ListFilter& filter, std::int64_t offset,
                std::int64_t limit) {
  std::string table;
  if (entity == "organization" || entity == "taxonomy" || entity == "taxonomy_term" ||
      entity == "service_at_location") {
    table = std::string(entity);
  } else {
    throw std::invalid_argument("list_ids: not a listed entity: " + std::string(entity));
  }
  std::string where = "1 = 1";
  std::vector<Value> params;
  if (!filter.name_contains.empty() && entity != "service_at_location") {
    params.emplace_back(like_pattern(filter.name_contains));
    where += fmt::format(" AND LOWER(\"name\") LIKE ${} ESCAPE '\\'", params.size());
  }
  if (entity == "taxonomy_term") {
    if (filter.taxonomy_id) {
      params.emplace_back(*filter.taxonomy_id);
      where += fmt::format(" AND taxonomy_id = ${}", params.size());
    }
    if (filter.parent_id) {
      params.emplace_back(*filter.parent_id);
      where += fmt::format(" AND parent_id = ${}", params.size());
    }
    if (filter.top_only) where += " AND parent_id IS NULL";
  }
  IdPage page;
  const auto total = c.scalar(fmt::format("SELECT COUNT(*) FROM {} WHERE {}", table, where), params);
  page.total = total && std::holds_alternative<std::int64_t>(*total) ? std::get<std::int64_t>(*total) : 0;
  params.emplace_back(limit);
  params.emplace_back(offset);
  const auto sql = fmt::format("SELECT id FROM {} WHERE {} ORDER BY id LIMIT ${} OFFSET ${}", table, where,
                               params.size() - 1, params.size());
  for (const auto& row : c.query(sql, params)) page.ids.push_back(row.text(0));
  return page;
}

std::vector<ServiceSummary> service_summaries(Connection& c, std::span<const std::string> ids) {
  if (ids.empty()) return {};
  std::vector<Value> params(ids.begin(), ids.end());
  std::unordered_map<std::string, ServiceSummary> by_id;
  const auto list = placeholders(ids.size());
  for (const auto& row : c.query(fmt::format("SELECT s.id, s.\"name\", s.description, s.status, s.organization_id, "
                                             "o.\"name\", s.assured_date FROM service s LEFT JOIN organization o "
                                             "ON o.id = s.organization_id WHERE s.id IN ({})",
                                             list),
                                 params)) {
    ServiceSummary s{row.text(0), row.text(1), row.text(2), row.text(3), row.text(4), row.text(5), row.text(6),
                     std::nullopt, std::nullopt, {}};
    by_id.emplace(s.id, std::move(s));
  }
  for (const auto& row : c.query(fmt::format("SELECT sal.service_id, l.id, l.\"name\", a.address_1, a.city, "
                                             "a.postal_code FROM service_at_location sal JOIN location l ON "
                                             "l.id = sal.location_id LEFT JOIN address a ON a.location_id = l.id "
                                             "WHERE sal.service_id IN ({}) ORDER BY sal.service_id, l.id, a.id",
                                             list),
                                 params)) {
    auto it = by_id.find(row.text(0));
    if (it == by_id.end()) continue;
    auto& sites = it->second.sites;
    if (!sites.empty() && sites.back().location_id == row.text(1)) continue;  // first address only
    sites.push_back({row.text(1), row.text(2), row.text(3), row.text(4), row.text(5)});
  }
  for (const auto& row : c.query(fmt::format("SELECT service_id, SUM(available), SUM(maximum), COUNT(maximum) FROM "
                                             "service_capacity WHERE service_id IN ({}) GROUP BY service_id",
                                             list),
                                 params)) {
    auto it = by_id.find(row.text(0));
    if (it == by_id.end()) continue;
    it->second.capacity_available = static_cast<std::int64_t>(row.real(1));
    if (row.integer(3) > 0) it->second.capacity_maximum = static_cast<std::int64_t>(row.real(2));
  }
  std::vector<ServiceSummary> out;
  out.reserve(ids.size());
  for (const auto& id : ids) {
    if (auto it = by_id.find(id); it != by_id.end()) out.push_back(std::move(it->second));
  }
  return out;
}

std::vector<std::string> services_of_organization(Connection& c, std::string_view organization_id) {
  std::vector<std::string> out;
  const Value params[] = {std::string(organization_id)};
  for (const auto& row : c.query("SELECT id FROM service WHERE organization_id = $1 ORDER BY \"name\", id", params))
    out.push_back(row.text(0));
  return out;
}

}  // namespace bespoke::store
