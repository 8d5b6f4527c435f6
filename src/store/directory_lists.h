#pragma once
// Reads for the directory's web interfaces that the search index does not
// answer: pages of organisations, taxonomies, terms and service-at-locations
// for the HSDS API, and the few display fields of a page of search hits.
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::store {

struct IdPage {
  std::int64_t total = 0;         // matching records over all pages
  std::vector<std::string> ids;   // this page's, ordered by id
};

struct ListFilter {
  std::string name_contains;               // case-insensitive (ASCII) substring of the name; "" = any
  std::optional<std::string> taxonomy_id;  // taxonomy_term only
  std::optional<std::string> parent_id;    // taxonomy_term only
  bool top_only = false;                   // taxonomy_term only: no parent
};

// entity: "organization", "taxonomy", "taxonomy_term" or "service_at_location"
// (name_contains does not apply to the last). offset/limit as in SQL.
[[nodiscard]] IdPage list_ids(Connection& c, std::string_view entity, const ListFilter& filter, std::int64_t offset,
                              std::int64_t limit);

struct SiteSummary {
  std::string location_id;
  std::string name;
  std::string address_1;
  std::string city;
  std::string postal_code;
};

struct ServiceSummary {
  std::string id;
  std::string name;
  std::string description;
  std::string status;
  std::string organization_id;
  std::string organization_name;
  std::string assured_date;  // "" when not verified
  std::optional<std::int64_t> capacity_available;  // summed over its service_capacity rows
  std::optional<std::int64_t> capacity_maximum;
  std::vector<SiteSummary> sites;
};

// The summaries of these services, in the order of `ids` (unknown ids are left out).
[[nodiscard]] std::vector<ServiceSummary> service_summaries(Connection& c, std::span<const std::string> ids);

// The ids of an organisation's services, ordered by name then id.
[[nodiscard]] std::vector<std::string> services_of_organization(Connection& c, std::string_view organization_id);

}  // namespace bespoke::store
