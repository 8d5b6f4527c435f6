#include "store/directory_edit_store.h"

#include "core/ids.h"
#include "store/hsds_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

namespace bespoke::store {
namespace {

// RFC 5545 day codes, Monday first: DailyOpening::day indexes this.
constexpr std::array<std::string_view, 7> kDayCodes{"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

Value text_or_null(const std::optional<std::string>& text) { return text ? Value{*text} : Value{}; }

std::optional<std::string> first_row_text(Connection& c, std::string_view sql, std::string_view id) {
  const Value params[] = {std::string(id)};
  const auto rows = c.query(sql, params);
  if (rows.empty() || rows.front().is_null(0)) return std::nullopt;
  return rows.front().text(0);
}

// ---- Weekly opening times ----

// "HH:MM" of "HH:MM" or "HH:MM:SS[...]"; nullopt for anything else.
std::optional<std::string> hh_mm(std::string_view text) {
  const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() < 5 || !digit(0) || !digit(1) || text[2] != ':' || !digit(3) || !digit(4)) return std::nullopt;
  if (text.size() > 5 && text[5] != ':') return std::nullopt;
  return std::string(text.substr(0, 5));
}

// The days of an RRULE BYDAY list ("MO,TU"); nullopt when it holds anything
// else (an ordinal such as "1MO" only makes sense in a monthly rule).
std::optional<std::vector<int>> parse_byday(std::string_view byday) {
  std::vector<int> days;
  while (!byday.empty()) {
    const auto comma = byday.find(',');
    auto code = byday.substr(0, comma);
    while (!code.empty() && code.front() == ' ') code.remove_prefix(1);
    while (!code.empty() && code.back() == ' ') code.remove_suffix(1);
    const auto it = std::find(kDayCodes.begin(), kDayCodes.end(), code);
    if (it == kDayCodes.end()) return std::nullopt;
    days.push_back(static_cast<int>(it - kDayCodes.begin()));
    byday = comma == std::string_view::npos ? std::string_view{} : byday.substr(comma + 1);
  }
  if (days.empty()) return std::nullopt;
  return days;
}

// Reads the service's weekly rows into one opening a day; sets
// weekly_simplified when a row says more than that can.
void read_weekly(Connection& c, EditableService& service) {
  const Value params[] = {service.id};
  std::array<bool, 7> seen{};
  for (const auto& row :
       c.query("SELECT byday, opens_at, closes_at, \"interval\", dtstart, \"until\", \"count\", bymonthday, byweekno,"
               " byyearday, valid_from, valid_to FROM schedule WHERE service_id = $1 AND freq = 'WEEKLY' ORDER BY id",
               params)) {
    bool plain = row.is_null(3) || row.real(3) == 1;
    for (std::size_t i = 4; i < row.size(); ++i) plain = plain && row.is_null(i);
    const auto days = parse_byday(row.text(0));
    const auto opens = hh_mm(row.text(1));
    const auto closes = hh_mm(row.text(2));
    if (!plain || !days || !opens || !closes) {
      service.weekly_simplified = true;
      continue;
    }
    for (const int day : *days) {
      if (seen[day]) {
        service.weekly_simplified = true;
        continue;
      }
      seen[day] = true;
      service.draft.weekly.push_back({day, *opens, *closes});
    }
  }
  std::sort(service.draft.weekly.begin(), service.draft.weekly.end(),
            [](const DailyOpening& a, const DailyOpening& b) { return a.day < b.day; });
}

// Replaces the service's weekly rows: one row per distinct pair of times,
// with the days that share it ("MO,TU,WE"), as docs/directory.md describes.
void write_weekly(Connection& c, const std::string& service_id, std::vector<DailyOpening> weekly) {
  const Value id[] = {service_id};
  c.execute("DELETE FROM schedule WHERE service_id = $1 AND freq = 'WEEKLY'", id);
  std::sort(weekly.begin(), weekly.end(), [](const DailyOpening& a, const DailyOpening& b) { return a.day < b.day; });
  struct WeeklyRow {
    std::string byday, opens_at, closes_at;
  };
  std::vector<WeeklyRow> rows;
  for (const auto& o : weekly) {
    const std::string code(kDayCodes.at(static_cast<std::size_t>(o.day)));
    const auto same = std::find_if(rows.begin(), rows.end(), [&](const WeeklyRow& r) {
      return r.opens_at == o.opens_at && r.closes_at == o.closes_at;
    });
    if (same != rows.end()) {
      same->byday += "," + code;
    } else {
      rows.push_back({code, o.opens_at, o.closes_at});
    }
  }
  for (const auto& r : rows) {
    const Value params[] = {core::random_uuid(), service_id, r.byday, r.opens_at, r.closes_at};
    c.execute("INSERT INTO schedule (id, service_id, freq, byday, opens_at, closes_at)"
              " VALUES ($1, $2, 'WEEKLY', $3, $4, $5)",
              params);
  }
}

// ---- Where a service is delivered ----

// Deletes a service_at_location and the rows that point at it directly: what
// ON DELETE CASCADE did before migration 0004 dropped the foreign keys, so no
// hours or contacts are left for a site that is no longer there.
void delete_site(Connection& c, const std::string& service_at_location_id) {
  const Value id[] = {service_at_location_id};
  for (const char* table : {"schedule", "service_area", "contact", "phone"})
    c.execute(fmt::format("DELETE FROM {} WHERE service_at_location_id = $1", table), id);
  c.execute("DELETE FROM service_at_location WHERE id = $1", id);
}

// Among the organisation's locations, makes the service's sites exactly
// `chosen`; sites at other organisations' locations are not the form's to change.
void write_sites(Connection& c, std::string_view organization_id, const std::string& service_id,
                 const std::vector<std::string>& chosen) {
  const Value params[] = {service_id, std::string(organization_id)};
  std::set<std::string> present;
  for (const auto& row : c.query("SELECT sal.id, sal.location_id FROM service_at_location sal"
                                 " JOIN location l ON l.id = sal.location_id"
                                 " WHERE sal.service_id = $1 AND l.organization_id = $2 ORDER BY sal.id",
                                 params)) {
    const auto location = row.text(1);
    if (std::find(chosen.begin(), chosen.end(), location) == chosen.end()) {
      delete_site(c, row.text(0));
    } else {
      present.insert(location);
    }
  }
  for (const auto& location : chosen) {
    if (!present.insert(location).second) continue;
    const Value insert[] = {core::random_uuid(), service_id, location, std::string(organization_id)};
    c.execute("INSERT INTO service_at_location (id, service_id, location_id)"
              " SELECT $1, $2, id FROM location WHERE id = $3 AND organization_id = $4",
              insert);
  }
}

// ---- Locations ----

// The location's address the form shows: its physical one first.
constexpr const char* kAddressSql =
    "SELECT id, address_1, city, state_province, postal_code FROM address WHERE location_id = $1"
    " ORDER BY CASE WHEN address_type = 'physical' THEN 0 ELSE 1 END, id LIMIT 1";

void write_address(Connection& c, const std::string& location_id, const LocationDraft& draft) {
  const Value location[] = {location_id};
  const auto rows = c.query(kAddressSql, location);
  const std::optional<std::string> existing = rows.empty() ? std::nullopt : std::optional(rows.front().text(0));
  if (!draft.has_address()) {
    if (existing) {
      const Value id[] = {*existing};
      c.execute("DELETE FROM address WHERE id = $1", id);
    }
    return;
  }
  if (existing) {
    const Value params[] = {*existing, draft.address_1, draft.city, draft.state_province, draft.postal_code};
    c.execute("UPDATE address SET address_1 = $2, city = $3, state_province = $4, postal_code = $5 WHERE id = $1",
              params);
    return;
  }
  const Value params[] = {core::random_uuid(), location_id, draft.address_1, draft.city, draft.state_province,
                          draft.postal_code};
  c.execute("INSERT INTO address (id, location_id, address_1, city, state_province, postal_code, country,"
            " address_type) VALUES ($1, $2, $3, $4, $5, $6, 'GB', 'physical')",
            params);
}

}  // namespace

std::optional<std::string> organisation_of_service(Connection& c, std::string_view service_id) {
  return first_row_text(c, "SELECT organization_id FROM service WHERE id = $1", service_id);
}

std::optional<std::string> organisation_of_location(Connection& c, std::string_view location_id) {
  return first_row_text(c, "SELECT organization_id FROM location WHERE id = $1", location_id);
}

std::optional<EditableService> load_editable_service(Connection& c, std::string_view service_id) {
  Transaction tx(c, TxMode::read);
  const Value id[] = {std::string(service_id)};
  const auto rows = c.query("SELECT id, organization_id, \"name\", description, email, url, status FROM service"
                            " WHERE id = $1",
                            id);
  if (rows.empty()) return std::nullopt;
  const auto& row = rows.front();
  EditableService s;
  s.id = row.text(0);
  s.organization_id = row.text(1);
  s.draft.name = row.text(2);
  s.draft.description = row.text(3);
  s.draft.email = row.optional_text(4);
  s.draft.url = row.optional_text(5);
  s.draft.status = row.text(6);
  for (const auto& site : c.query("SELECT location_id FROM service_at_location WHERE service_id = $1"
                                  " AND location_id IS NOT NULL ORDER BY id",
                                  id)) {
    auto location = site.text(0);
    if (std::find(s.draft.location_ids.begin(), s.draft.location_ids.end(), location) == s.draft.location_ids.end())
      s.draft.location_ids.push_back(std::move(location));
  }
  read_weekly(c, s);
  tx.commit();
  return s;
}

namespace {
// $1 id, $2 organisation, then the columns the form edits, and last_modified.
std::array<Value, 8> service_columns(const std::string& id, std::string_view organization_id, const ServiceDraft& draft,
                                     std::string_view now) {
  return {id,         std::string(organization_id), draft.name,  draft.description, text_or_null(draft.email),
          text_or_null(draft.url), draft.status,     std::string(now)};
}
}  // namespace

std::string create_service(Connection& c, std::string_view organization_id, const ServiceDraft& draft,
                           std::string_view now) {
  Transaction tx(c, TxMode::write);
  const auto id = core::random_uuid();
  const auto params = service_columns(id, organization_id, draft, now);
  c.execute("INSERT INTO service (id, organization_id, \"name\", description, email, url, status, last_modified)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            params);
  write_sites(c, organization_id, id, draft.location_ids);
  write_weekly(c, id, draft.weekly);
  record_change(c, "service", id, now);
  tx.commit();
  return id;
}

bool update_service(Connection& c, std::string_view organization_id, std::string_view service_id,
                    const ServiceDraft& draft, std::string_view now) {
  Transaction tx(c, TxMode::write);
  const std::string id(service_id);
  const auto params = service_columns(id, organization_id, draft, now);
  if (c.execute("UPDATE service SET \"name\" = $3, description = $4, email = $5, url = $6, status = $7,"
                " last_modified = $8 WHERE id = $1 AND organization_id = $2",
                params) == 0)
    return false;
  write_sites(c, organization_id, id, draft.location_ids);
  write_weekly(c, id, draft.weekly);
  record_change(c, "service", id, now);
  tx.commit();
  return true;
}

bool set_service_status(Connection& c, std::string_view organization_id, std::string_view service_id,
                        std::string_view status, std::string_view now) {
  Transaction tx(c, TxMode::write);
  const Value params[] = {std::string(service_id), std::string(organization_id), std::string(status),
                          std::string(now)};
  if (c.execute("UPDATE service SET status = $3, last_modified = $4 WHERE id = $1 AND organization_id = $2", params) ==
      0)
    return false;
  record_change(c, "service", service_id, now);
  tx.commit();
  return true;
}

std::vector<OrganisationLocation> organisation_locations(Connection& c, std::string_view organization_id) {
  const Value params[] = {std::string(organization_id)};
  std::vector<OrganisationLocation> out;
  for (const auto& row : c.query(
           "SELECT l.id, l.\"name\", a.address_1, a.city, a.postal_code,"
           " (SELECT COUNT(DISTINCT sal.service_id) FROM service_at_location sal WHERE sal.location_id = l.id)"
           " FROM location l LEFT JOIN address a ON a.id = (SELECT a2.id FROM address a2 WHERE a2.location_id = l.id"
           " ORDER BY CASE WHEN a2.address_type = 'physical' THEN 0 ELSE 1 END, a2.id LIMIT 1)"
           " WHERE l.organization_id = $1 ORDER BY COALESCE(l.\"name\", ''), l.id",
           params))
    out.push_back({row.text(0), row.text(1), row.text(2), row.text(3), row.text(4), row.integer(5)});
  return out;
}

std::optional<EditableLocation> load_editable_location(Connection& c, std::string_view location_id) {
  Transaction tx(c, TxMode::read);
  const Value id[] = {std::string(location_id)};
  const auto rows =
      c.query("SELECT id, organization_id, \"name\", latitude, longitude FROM location WHERE id = $1", id);
  if (rows.empty()) return std::nullopt;
  const auto& row = rows.front();
  EditableLocation l;
  l.id = row.text(0);
  l.organization_id = row.text(1);
  l.draft.name = row.text(2);
  if (!row.is_null(3) && !row.is_null(4)) l.draft.coordinates = core::LatLon{row.real(3), row.real(4)};
  for (const auto& address : c.query(kAddressSql, id)) {
    l.draft.address_1 = address.text(1);
    l.draft.city = address.text(2);
    l.draft.state_province = address.text(3);
    l.draft.postal_code = address.text(4);
  }
  tx.commit();
  return l;
}

std::string create_location(Connection& c, std::string_view organization_id, const LocationDraft& draft) {
  Transaction tx(c, TxMode::write);
  const auto id = core::random_uuid();
  const Value params[] = {id, std::string(organization_id), draft.name,
                          draft.coordinates ? Value{draft.coordinates->lat} : Value{},
                          draft.coordinates ? Value{draft.coordinates->lon} : Value{}};
  c.execute("INSERT INTO location (id, location_type, organization_id, \"name\", latitude, longitude)"
            " VALUES ($1, 'physical', $2, $3, $4, $5)",
            params);
  write_address(c, id, draft);
  record_change(c, "location", id);
  tx.commit();
  return id;
}

bool update_location(Connection& c, std::string_view organization_id, std::string_view location_id,
                     const LocationDraft& draft) {
  Transaction tx(c, TxMode::write);
  const std::string id(location_id);
  const Value params[] = {id, std::string(organization_id), draft.name};
  if (c.execute("UPDATE location SET \"name\" = $3 WHERE id = $1 AND organization_id = $2", params) == 0) return false;
  if (draft.coordinates) {
    const Value where[] = {id, draft.coordinates->lat, draft.coordinates->lon};
    c.execute("UPDATE location SET latitude = $2, longitude = $3 WHERE id = $1", where);
  }
  write_address(c, id, draft);
  // "location" reaches the services delivered there (store::services_affected).
  record_change(c, "location", id);
  tx.commit();
  return true;
}

std::optional<std::size_t> retire_location(Connection& c, std::string_view organization_id,
                                           std::string_view location_id) {
  Transaction tx(c, TxMode::write);
  const std::string id(location_id);
  const Value owned[] = {id, std::string(organization_id)};
  if (c.query("SELECT id FROM location WHERE id = $1 AND organization_id = $2", owned).empty()) return std::nullopt;
  const Value where[] = {id};
  std::set<std::string> services;
  std::vector<std::string> sites;
  for (const auto& row : c.query("SELECT id, service_id FROM service_at_location WHERE location_id = $1", where)) {
    sites.push_back(row.text(0));
    if (!row.is_null(1)) services.insert(row.text(1));
  }
  for (const auto& site : sites) delete_site(c, site);
  // Once the rows are gone the location no longer leads to its services, so
  // each service is logged as changed itself (store::services_affected).
  record_change(c, "location", id);
  for (const auto& service : services) record_change(c, "service", service);
  tx.commit();
  return services.size();
}

}  // namespace bespoke::store
