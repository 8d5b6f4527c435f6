#pragma once
// Provider staff's edits to their organisation's directory entries: services
// (name, description, contact, status, where they are delivered, weekly
// opening times) and locations (name, address, coordinates), in the HSDS
// tables as docs/directory.md describes them.
//
// Each write is one transaction that also appends to the change log
// (record_change), so every server's search index applies it before its next
// search. Every write names the organisation whose staff made it and touches
// only that organisation's records: a record that belongs to another (or to
// none) is left alone and the write reports that nothing was found.
#include "core/geo.h"
#include "store/database.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::store {

// One day's opening in the weekly timetable: day 0 is Monday, 6 Sunday;
// times "HH:MM", local time, closing after opening.
struct DailyOpening {
  int day = 0;
  std::string opens_at;
  std::string closes_at;
  friend bool operator==(const DailyOpening&, const DailyOpening&) = default;
};

// The fields of a service that its organisation's staff edit.
struct ServiceDraft {
  std::string name;
  std::string description;
  std::optional<std::string> email;
  std::optional<std::string> url;
  std::string status;                     // an HSDS service.status value
  std::vector<std::string> location_ids;  // the organisation's locations it is delivered at
  std::vector<DailyOpening> weekly;       // at most one per day, Monday first
  friend bool operator==(const ServiceDraft&, const ServiceDraft&) = default;
};

struct EditableService {
  std::string id;
  std::string organization_id;
  ServiceDraft draft;  // location_ids: every location it is at, the organisation's or not
  // The stored weekly rows say more than one opening a day can (two sessions
  // on a day, a repeat rule, seasonal dates): draft.weekly shows part of
  // them, and saving replaces them all.
  bool weekly_simplified = false;
};

// The organisation a service or location belongs to; nullopt when there is
// no such record or it belongs to none.
[[nodiscard]] std::optional<std::string> organisation_of_service(Connection& c, std::string_view service_id);
[[nodiscard]] std::optional<std::string> organisation_of_location(Connection& c, std::string_view location_id);

[[nodiscard]] std::optional<EditableService> load_editable_service(Connection& c, std::string_view service_id);

// Adds a service with a new random id (returned). Locations not of the
// organisation are skipped. `now` is ISO 8601 UTC (service.last_modified).
[[nodiscard]] std::string create_service(Connection& c, std::string_view organization_id, const ServiceDraft& draft,
                                         std::string_view now);

// Replaces the draft's fields of the service. Where it is delivered: among the
// organisation's locations, exactly draft.location_ids (its sites elsewhere
// stay). Its weekly schedule rows (freq WEEKLY) are replaced by draft.weekly;
// dated exceptions stay. False when the organisation has no such service.
[[nodiscard]] bool update_service(Connection& c, std::string_view organization_id, std::string_view service_id,
                                  const ServiceDraft& draft, std::string_view now);

// Sets service.status only (retiring: "inactive"). False as above.
[[nodiscard]] bool set_service_status(Connection& c, std::string_view organization_id, std::string_view service_id,
                                      std::string_view status, std::string_view now);

// A location as its organisation's staff edit it. The address is all or
// nothing: empty address_1, city and postal_code mean no address.
struct LocationDraft {
  std::string name;
  std::string address_1;
  std::string city;
  std::string state_province;  // the county; may be empty
  std::string postal_code;     // normalised
  // nullopt: keep the location's coordinates (a new location has none).
  std::optional<core::LatLon> coordinates;

  [[nodiscard]] bool has_address() const noexcept {
    return !address_1.empty() || !city.empty() || !postal_code.empty();
  }
};

struct EditableLocation {
  std::string id;
  std::string organization_id;
  LocationDraft draft;  // coordinates: as stored
};

// An organisation's location, as its management page lists it.
struct OrganisationLocation {
  std::string id;
  std::string name;
  std::string address_1;
  std::string city;
  std::string postal_code;
  std::int64_t services = 0;  // services delivered there
};

// Ordered by name, then id.
[[nodiscard]] std::vector<OrganisationLocation> organisation_locations(Connection& c,
                                                                       std::string_view organization_id);

[[nodiscard]] std::optional<EditableLocation> load_editable_location(Connection& c, std::string_view location_id);

// Adds a physical location (and its address, if any) with a new random id (returned).
[[nodiscard]] std::string create_location(Connection& c, std::string_view organization_id, const LocationDraft& draft);

// Replaces the name, the address (its physical address first; removed when
// the draft has none) and, when the draft has them, the coordinates.
// False when the organisation has no such location.
[[nodiscard]] bool update_location(Connection& c, std::string_view organization_id, std::string_view location_id,
                                   const LocationDraft& draft);

// Takes the location off every service (its service_at_location rows and
// what hangs off them go) and keeps the location's own record. The number of
// services that were delivered there, or nullopt when the organisation has no
// such location.
[[nodiscard]] std::optional<std::size_t> retire_location(Connection& c, std::string_view organization_id,
                                                         std::string_view location_id);

}  // namespace bespoke::store
