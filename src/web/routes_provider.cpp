// Provider staff edit their organisation's directory entries: services (with
// where they are delivered and their weekly opening times) and locations.
// Every route is edit_directory, so the Guard lets only provider staff in
// (403 for other roles); each handler then asks the policy about the
// organisation the record belongs to, and another organisation's record is
// 404, exactly as one that does not exist. A save is one transaction with its
// change-log row, so the next search on any server finds the change.
#include "core/ids.h"
#include "core/time.h"
#include "store/consent_store.h"
#include "store/directory_edit_store.h"
#include "store/directory_lists.h"
#include "store/postcode_store.h"
#include "web/auth/authenticator.h"
#include "web/auth/caller.h"
#include "web/auth/page_meta.h"
#include "web/errors.h"
#include "web/pages/service_form.h"
#include "web/routes.h"
#include "web/views.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace bespoke::web {
namespace {

using kainjow::mustache::data;
using policy::Action;

// A description of 2,000 characters, percent-encoded, is at most 24 KiB.
constexpr std::size_t kFormLimit = 64 * 1024;

std::string manage_href(std::string_view organisation_id) {
  return "/organisations/" + std::string(organisation_id) + "/manage";
}

Response not_found_page(const ErrorPages& errors, const Request& request) {
  return errors.respond(request, 404, "Page not found", "If you typed the web address, check it is correct.");
}

// nullopt when the caller may edit this organisation's entries, otherwise the
// answer to send: someone else's organisation looks like no organisation.
std::optional<Response> refusal(const ErrorPages& errors, const Request& request, const Caller& caller,
                                std::string_view organisation_id) {
  switch (policy::decide_directory_edit(caller.subject, organisation_id)) {
    case policy::Decision::allow: return std::nullopt;
    case policy::Decision::forbidden:
      return errors.respond(request, 403, "You cannot see this page",
                            "Your account does not have permission to see this page.");
    case policy::Decision::sign_in_required:
    case policy::Decision::not_found: break;
  }
  return not_found_page(errors, request);
}

std::string now_text(const Authenticator& auth) { return core::to_iso8601(auth.now()); }

std::string error_for(const std::vector<core::Error>& errors, const std::string& field) {
  for (const auto& e : errors)
    if (e.field == field) return e.message;
  return {};
}

// The GOV.UK id of a radio or checkbox: the field's name for the first, so
// the error summary can link to it, then "name-2", "name-3", ...
std::string item_id(std::string_view field, std::size_t index) {
  return index == 0 ? std::string(field) : std::string(field) + "-" + std::to_string(index + 1);
}

// ---- The management page ----

std::pair<std::string, std::string> status_tag(std::string_view status) {
  if (status == "active") return {"Running", "govuk-tag--green"};
  if (status == "temporarily closed") return {"Temporarily closed", "govuk-tag--yellow"};
  if (status == "defunct") return {"Closed", "govuk-tag--red"};
  return {"Not running", "govuk-tag--grey"};
}

std::string address_line(const store::OrganisationLocation& l) {
  std::string out;
  for (const auto* part : {&l.address_1, &l.city, &l.postal_code}) {
    if (part->empty()) continue;
    if (!out.empty()) out += ", ";
    out += *part;
  }
  return out;
}

std::string location_label(const store::OrganisationLocation& l) {
  return l.name.empty() ? std::string("Unnamed location") : l.name;
}

data manage_view(store::Connection& db, const std::string& organisation_id, const std::string& name) {
  data services{data::type::list};
  for (const auto& s : store::service_summaries(db, store::services_of_organization(db, organisation_id))) {
    const auto [label, tag] = status_tag(s.status);
    data row;
    row.set("id", s.id);
    row.set("name", s.name);
    row.set("status_label", label);
    row.set("tag_class", tag);
    services.push_back(row);
  }
  data locations{data::type::list};
  for (const auto& l : store::organisation_locations(db, organisation_id)) {
    data row;
    row.set("id", l.id);
    row.set("name", location_label(l));
    const auto address = address_line(l);
    row.set("address", address.empty() ? data(false) : data(address));
    row.set("services", l.services == 1 ? std::string("1 service") : std::to_string(l.services) + " services");
    locations.push_back(row);
  }
  data view;
  view.set("id", organisation_id);
  view.set("name", name);
  view.set("has_services", !services.is_empty_list());
  view.set("services", services);
  view.set("has_locations", !locations.is_empty_list());
  view.set("locations", locations);
  return view;
}

// ---- The service form ----

// What differs between adding and editing a service.
struct ServicePage {
  std::string organisation_id;
  std::string organisation_name;
  std::string heading;       // "Add a service", "Edit Lunch club"
  std::string action;        // where the form posts
  std::string retire_action; // editing only
  bool hours_simplified = false;
};

data status_options(const std::string& chosen) {
  data list{data::type::list};
  for (std::size_t i = 0; i < kStatusOptions.size(); ++i) {
    const auto& o = kStatusOptions[i];
    data item;
    item.set("id", item_id("status", i));
    item.set("value", std::string(o.value));
    item.set("label", std::string(o.label));
    item.set("hint", std::string(o.hint));
    item.set("checked", chosen == o.value);
    list.push_back(item);
  }
  return list;
}

data location_options(const std::vector<store::OrganisationLocation>& locations,
                      const std::vector<std::string>& chosen) {
  data list{data::type::list};
  for (std::size_t i = 0; i < locations.size(); ++i) {
    const auto& l = locations[i];
    data item;
    item.set("id", item_id("location", i));
    item.set("value", l.id);
    item.set("label", location_label(l));
    const auto address = address_line(l);
    item.set("address", address.empty() ? data(false) : data(address));
    item.set("checked", std::find(chosen.begin(), chosen.end(), l.id) != chosen.end());
    list.push_back(item);
  }
  return list;
}

data day_rows(const ServiceAnswers& answers, const std::vector<core::Error>& errors) {
  data list{data::type::list};
  for (std::size_t d = 0; d < kDayNames.size(); ++d) {
    const std::string name(kDayNames[d]);
    const auto opens_error = error_for(errors, name + "-opens");
    const auto closes_error = error_for(errors, name + "-closes");
    data day;
    day.set("name", name);
    day.set("label", std::string(kDayLabels[d]));
    day.set("opens", answers.opens[d]);
    day.set("closes", answers.closes[d]);
    day.set("opens_error", !opens_error.empty());
    day.set("closes_error", !closes_error.empty());
    // One message under the day's legend: the first of its two.
    const auto message = opens_error.empty() ? closes_error : opens_error;
    day.set("error", message.empty() ? data(false) : data(message));
    list.push_back(day);
  }
  return list;
}

Response service_form(const Views& views, const Caller& caller, const ServicePage& page, const ServiceAnswers& answers,
                      const std::vector<store::OrganisationLocation>& locations,
                      const std::vector<core::Error>& errors = {}) {
  data view;
  view.set("heading", page.heading);
  view.set("organisation_name", page.organisation_name);
  view.set("action", page.action);
  view.set("back_href", manage_href(page.organisation_id));
  view.set("add_location_href", "/organisations/" + page.organisation_id + "/locations/new");
  view.set("retire_action", page.retire_action.empty() ? data(false) : data(page.retire_action));
  view.set("hours_simplified", page.hours_simplified);
  view.set("csrf_token", caller.csrf_token);
  view.set("name", answers.name);
  view.set("description", answers.description);
  view.set("email", answers.email);
  view.set("url", answers.url);
  view.set("status_options", status_options(answers.status));
  view.set("has_locations", !locations.empty());
  view.set("location_options", location_options(locations, answers.location_ids));
  view.set("days", day_rows(answers, errors));
  PageMeta meta = page_meta(caller, page.heading);
  show_errors(errors, view, meta);
  return views.html("service_form.mustache", view, meta, errors.empty() ? 200 : 422);
}

std::vector<std::string> ids_of(const std::vector<store::OrganisationLocation>& locations) {
  std::vector<std::string> ids;
  for (const auto& l : locations) ids.push_back(l.id);
  return ids;
}

// The service being edited, with the page around it; nullopt when there is
// no such service.
struct EditTarget {
  store::EditableService service;
  ServicePage page;
};

std::optional<EditTarget> edit_target(store::Connection& db, std::string_view service_id) {
  if (!core::is_uuid(service_id)) return std::nullopt;
  auto service = store::load_editable_service(db, service_id);
  if (!service) return std::nullopt;
  ServicePage page;
  page.organisation_id = service->organization_id;
  page.organisation_name = store::organisation_name(db, service->organization_id).value_or("");
  page.heading = "Edit " + service->draft.name;
  page.action = "/services/" + service->id + "/edit";
  page.retire_action = "/services/" + service->id + "/retire";
  page.hours_simplified = service->weekly_simplified;
  return EditTarget{std::move(*service), std::move(page)};
}

// ---- The location form ----

struct LocationPage {
  std::string organisation_id;
  std::string organisation_name;
  std::string heading;
  std::string action;
  std::string retire_action;  // editing only
  std::int64_t services = 0;  // editing: services delivered there
};

Response location_form(const Views& views, const Caller& caller, const LocationPage& page,
                       const LocationAnswers& answers, const std::vector<core::Error>& errors = {}) {
  data view;
  view.set("heading", page.heading);
  view.set("organisation_name", page.organisation_name);
  view.set("action", page.action);
  view.set("back_href", manage_href(page.organisation_id));
  view.set("retire_action", page.retire_action.empty() ? data(false) : data(page.retire_action));
  view.set("services", page.services == 1 ? std::string("1 service") : std::to_string(page.services) + " services");
  view.set("csrf_token", caller.csrf_token);
  view.set("name", answers.name);
  view.set("address_1", answers.address_1);
  view.set("city", answers.city);
  view.set("county", answers.county);
  view.set("postcode", answers.postcode);
  PageMeta meta = page_meta(caller, page.heading);
  show_errors(errors, view, meta);
  return views.html("location_form.mustache", view, meta, errors.empty() ? 200 : 422);
}

// The checked answers with coordinates from the postcode when it is a known
// one; otherwise the location keeps the coordinates it has (or has none).
LocationCheck checked_location(store::Connection& db, const LocationAnswers& answers) {
  auto check = check_location(answers);
  if (check.errors.empty() && !check.draft.postal_code.empty())
    if (const auto found = store::find_postcode(db, check.draft.postal_code))
      check.draft.coordinates = core::LatLon{found->latitude, found->longitude};
  return check;
}

struct LocationTarget {
  store::EditableLocation location;
  LocationPage page;
};

std::optional<LocationTarget> location_target(store::Connection& db, std::string_view location_id) {
  if (!core::is_uuid(location_id)) return std::nullopt;
  auto location = store::load_editable_location(db, location_id);
  if (!location) return std::nullopt;
  LocationPage page;
  page.organisation_id = location->organization_id;
  page.organisation_name = store::organisation_name(db, location->organization_id).value_or("");
  page.heading = "Edit " + (location->draft.name.empty() ? std::string("location") : location->draft.name);
  page.action = "/locations/" + location->id + "/edit";
  page.retire_action = "/locations/" + location->id + "/retire";
  for (const auto& l : store::organisation_locations(db, location->organization_id))
    if (l.id == location->id) page.services = l.services;
  return LocationTarget{std::move(*location), std::move(page)};
}

// ---- Routes ----

void add_manage_route(Router& router, const Views& views, const ErrorPages& errors) {
  router.add("GET", "/organisations/{id}/manage", Action::edit_directory,
             [&views, &errors](const Request& request, RequestContext& ctx) {
               const std::string id(request.param("id").value_or(""));
               if (auto refused = refusal(errors, request, ctx.caller(), id)) return *refused;
               const auto name = store::organisation_name(ctx.db(), id);
               if (!name) return not_found_page(errors, request);
               return views.html("manage_organisation.mustache", manage_view(ctx.db(), id, *name),
                                 page_meta(ctx.caller(), "Manage " + *name));
             });
}

void add_new_service_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth,
                            const RouteOptions& form) {
  // The page for a new service of the organisation, or nullopt when there is no such organisation.
  const auto new_page = [](store::Connection& db, const std::string& organisation_id) -> std::optional<ServicePage> {
    const auto name = store::organisation_name(db, organisation_id);
    if (!name) return std::nullopt;
    return ServicePage{organisation_id, *name, "Add a service", "/organisations/" + organisation_id + "/services/new",
                       {}, false};
  };

  router.add("GET", "/organisations/{id}/services/new", Action::edit_directory,
             [&views, &errors, new_page](const Request& request, RequestContext& ctx) {
               const std::string id(request.param("id").value_or(""));
               if (auto refused = refusal(errors, request, ctx.caller(), id)) return *refused;
               const auto page = new_page(ctx.db(), id);
               if (!page) return not_found_page(errors, request);
               ServiceAnswers answers;
               answers.status = "active";
               return service_form(views, ctx.caller(), *page, answers, store::organisation_locations(ctx.db(), id));
             });

  router.add(
      "POST", "/organisations/{id}/services/new", Action::edit_directory,
      [&views, &errors, &auth, new_page](const Request& request, RequestContext& ctx) {
        const std::string id(request.param("id").value_or(""));
        if (auto refused = refusal(errors, request, ctx.caller(), id)) return *refused;
        const auto page = new_page(ctx.db(), id);
        if (!page) return not_found_page(errors, request);
        const auto fields = parse_form(request.body);
        if (!fields) return errors.respond(request, 400, "Bad Request", "The form could not be read.");
        const auto answers = read_service_answers(*fields);
        const auto locations = store::organisation_locations(ctx.db(), id);
        const auto check = check_service(answers, ids_of(locations));
        if (!check.errors.empty()) return service_form(views, ctx.caller(), *page, answers, locations, check.errors);
        (void)store::create_service(ctx.db(), id, check.draft, now_text(auth));
        return Response::see_other(manage_href(id));
      },
      form);
}

void add_edit_service_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth,
                             const RouteOptions& form) {
  router.add("GET", "/services/{id}/edit", Action::edit_directory,
             [&views, &errors](const Request& request, RequestContext& ctx) {
               const auto target = edit_target(ctx.db(), request.param("id").value_or(""));
               if (!target) return not_found_page(errors, request);
               if (auto refused = refusal(errors, request, ctx.caller(), target->page.organisation_id)) return *refused;
               return service_form(views, ctx.caller(), target->page, service_answers(target->service.draft),
                                   store::organisation_locations(ctx.db(), target->page.organisation_id));
             });

  router.add(
      "POST", "/services/{id}/edit", Action::edit_directory,
      [&views, &errors, &auth](const Request& request, RequestContext& ctx) {
        const auto target = edit_target(ctx.db(), request.param("id").value_or(""));
        if (!target) return not_found_page(errors, request);
        const auto& organisation = target->page.organisation_id;
        if (auto refused = refusal(errors, request, ctx.caller(), organisation)) return *refused;
        const auto fields = parse_form(request.body);
        if (!fields) return errors.respond(request, 400, "Bad Request", "The form could not be read.");
        const auto answers = read_service_answers(*fields);
        const auto locations = store::organisation_locations(ctx.db(), organisation);
        const auto check = check_service(answers, ids_of(locations));
        if (!check.errors.empty())
          return service_form(views, ctx.caller(), target->page, answers, locations, check.errors);
        if (!store::update_service(ctx.db(), organisation, target->service.id, check.draft, now_text(auth)))
          return not_found_page(errors, request);
        return Response::see_other(manage_href(organisation));
      },
      form);

  // Retiring keeps the service's page ("Not running"); the search index
  // holds active services only, so search stops finding it.
  router.add(
      "POST", "/services/{id}/retire", Action::edit_directory,
      [&errors, &auth](const Request& request, RequestContext& ctx) {
        const std::string id(request.param("id").value_or(""));
        const auto organisation = core::is_uuid(id) ? store::organisation_of_service(ctx.db(), id) : std::nullopt;
        if (!organisation) return not_found_page(errors, request);
        if (auto refused = refusal(errors, request, ctx.caller(), *organisation)) return *refused;
        if (!store::set_service_status(ctx.db(), *organisation, id, "inactive", now_text(auth)))
          return not_found_page(errors, request);
        return Response::see_other(manage_href(*organisation));
      },
      form);
}

void add_new_location_routes(Router& router, const Views& views, const ErrorPages& errors, const RouteOptions& form) {
  const auto new_page = [](store::Connection& db, const std::string& organisation_id) -> std::optional<LocationPage> {
    const auto name = store::organisation_name(db, organisation_id);
    if (!name) return std::nullopt;
    return LocationPage{
        organisation_id, *name, "Add a location", "/organisations/" + organisation_id + "/locations/new", {}, 0};
  };

  router.add("GET", "/organisations/{id}/locations/new", Action::edit_directory,
             [&views, &errors, new_page](const Request& request, RequestContext& ctx) {
               const std::string id(request.param("id").value_or(""));
               if (auto refused = refusal(errors, request, ctx.caller(), id)) return *refused;
               const auto page = new_page(ctx.db(), id);
               if (!page) return not_found_page(errors, request);
               return location_form(views, ctx.caller(), *page, {});
             });

  router.add(
      "POST", "/organisations/{id}/locations/new", Action::edit_directory,
      [&views, &errors, new_page](const Request& request, RequestContext& ctx) {
        const std::string id(request.param("id").value_or(""));
        if (auto refused = refusal(errors, request, ctx.caller(), id)) return *refused;
        const auto page = new_page(ctx.db(), id);
        if (!page) return not_found_page(errors, request);
        const auto fields = parse_form(request.body);
        if (!fields) return errors.respond(request, 400, "Bad Request", "The form could not be read.");
        const auto answers = read_location_answers(*fields);
        const auto check = checked_location(ctx.db(), answers);
        if (!check.errors.empty()) return location_form(views, ctx.caller(), *page, answers, check.errors);
        (void)store::create_location(ctx.db(), id, check.draft);
        return Response::see_other(manage_href(id));
      },
      form);
}

void add_edit_location_routes(Router& router, const Views& views, const ErrorPages& errors, const RouteOptions& form) {
  router.add("GET", "/locations/{id}/edit", Action::edit_directory,
             [&views, &errors](const Request& request, RequestContext& ctx) {
               const auto target = location_target(ctx.db(), request.param("id").value_or(""));
               if (!target) return not_found_page(errors, request);
               if (auto refused = refusal(errors, request, ctx.caller(), target->page.organisation_id)) return *refused;
               return location_form(views, ctx.caller(), target->page, location_answers(target->location.draft));
             });

  router.add(
      "POST", "/locations/{id}/edit", Action::edit_directory,
      [&views, &errors](const Request& request, RequestContext& ctx) {
        const auto target = location_target(ctx.db(), request.param("id").value_or(""));
        if (!target) return not_found_page(errors, request);
        const auto& organisation = target->page.organisation_id;
        if (auto refused = refusal(errors, request, ctx.caller(), organisation)) return *refused;
        const auto fields = parse_form(request.body);
        if (!fields) return errors.respond(request, 400, "Bad Request", "The form could not be read.");
        const auto answers = read_location_answers(*fields);
        const auto check = checked_location(ctx.db(), answers);
        if (!check.errors.empty()) return location_form(views, ctx.caller(), target->page, answers, check.errors);
        if (!store::update_location(ctx.db(), organisation, target->location.id, check.draft))
          return not_found_page(errors, request);
        return Response::see_other(manage_href(organisation));
      },
      form);

  router.add(
      "POST", "/locations/{id}/retire", Action::edit_directory,
      [&errors](const Request& request, RequestContext& ctx) {
        const std::string id(request.param("id").value_or(""));
        const auto organisation = core::is_uuid(id) ? store::organisation_of_location(ctx.db(), id) : std::nullopt;
        if (!organisation) return not_found_page(errors, request);
        if (auto refused = refusal(errors, request, ctx.caller(), *organisation)) return *refused;
        if (!store::retire_location(ctx.db(), *organisation, id)) return not_found_page(errors, request);
        return Response::see_other(manage_href(*organisation));
      },
      form);
}

}  // namespace

void add_provider_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth,
                         LiveDirectory& /*directory*/) {
  // The search index needs no call from here: each save appends to the change
  // log in its own transaction, and every server's LiveDirectory applies the
  // log before its next search. Calling it after the commit would only add a
  // way to fail (a 503 for a save that was made, then made twice on retry).
  RouteOptions form;
  form.body_limit = kFormLimit;
  add_manage_route(router, views, errors);
  add_new_service_routes(router, views, errors, auth, form);
  add_edit_service_routes(router, views, errors, auth, form);
  add_new_location_routes(router, views, errors, form);
  add_edit_location_routes(router, views, errors, form);
}

}  // namespace bespoke::web
