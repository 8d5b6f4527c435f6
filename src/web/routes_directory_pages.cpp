// The directory's pages: search (GET /services), a service (/services/{id})
// and an organisation with its services (/organisations/{id}). GOV.UK
// patterns, no JavaScript needed; each service and organisation has a stable
// address (its HSDS id), and a search's address holds the whole query, so
// results can be shared too.
#include "core/ids.h"
#include "core/time.h"
#include "store/directory_lists.h"
#include "store/hsds_store.h"
#include "store/neighbourhood_store.h"
#include "web/directory_support.h"
#include "web/errors.h"
#include "web/live_directory.h"
#include "web/pages/directory_organisation.h"
#include "web/pages/directory_search.h"
#include "web/pages/directory_service.h"
#include "web/auth/page_meta.h"
#include "web/routes.h"
#include "web/views.h"

#include <string>
#include <vector>

namespace bespoke::web {
namespace {

Response search_page(const Request& request, RequestContext& ctx, const Views& views, LiveDirectory& directory) {
  auto& db = ctx.db();
  const auto snapshot = directory.current(db);
  auto prepared = prepare_search(request, db);
  StorePostcodes postcodes(db);
  const auto parsed = parse_directory_query(prepared.for_parser, QueryDialect::api, snapshot->taxonomy, postcodes,
                                            core::SystemTime().now());
  auto errors = std::move(prepared.errors);
  errors.insert(errors.end(), parsed.errors.begin(), parsed.errors.end());

  auto neighbourhoods = store::list_neighbourhoods(db, kMaxNeighbourhoodChoices + 1);
  if (neighbourhoods.size() > kMaxNeighbourhoodChoices) neighbourhoods.clear();  // too many for a select box

  SearchPageInput input{prepared.asked, snapshot->taxonomy, neighbourhoods, errors, nullptr, nullptr, {}};
  directory::Results results;
  std::vector<store::ServiceSummary> summaries;
  if (errors.empty()) {
    results = snapshot->index->search(parsed.query);
    summaries = store::service_summaries(db, hit_ids(results));
    input.query = &parsed.query;
    input.results = &results;
    input.summaries = summaries;
  }
  PageMeta meta = page_meta(ctx.caller(), "Find help near you");
  meta.errors = search_error_summary(errors);
  // A query string the form could not have sent is the client's mistake: 400.
  return Response::html(errors.empty() ? 200 : 400, views.page("services_search.mustache", search_view(input), meta));
}

Response not_found(const Request& request, const Caller& caller, const ErrorPages& errors, std::string_view what) {
  return errors.respond(request, caller, 404, "Page not found",
                        "There is no " + std::string(what) + " at this address. It may have been removed from the directory.");
}

Response service_page(const Request& request, RequestContext& ctx, const Views& views, const ErrorPages& errors) {
  const auto id = std::string(request.param("id").value_or(""));
  if (!core::is_uuid(id)) return not_found(request, ctx.caller(), errors, "service");
  const auto& entity = hsds::entity("service");
  const std::vector<std::string> ids{id};
  const auto set = store::load_tree(ctx.db(), entity, ids);
  const auto* service = set.find(entity, id);
  if (!service) return not_found(request, ctx.caller(), errors, "service");
  const PageMeta meta = page_meta(ctx.caller(), std::string(service->text("name").value_or("Service")));
  const auto today = core::to_uk_local(core::SystemTime().now()).day;
  return Response::html(200, views.page("service.mustache", service_view(set, *service, today), meta));
}

Response organisation_page(const Request& request, RequestContext& ctx, const Views& views, const ErrorPages& errors) {
  const auto id = std::string(request.param("id").value_or(""));
  if (!core::is_uuid(id)) return not_found(request, ctx.caller(), errors, "organisation");
  auto& db = ctx.db();
  const auto& entity = hsds::entity("organization");
  const std::vector<std::string> ids{id};
  const auto set = store::load_tree(db, entity, ids);
  const auto* organization = set.find(entity, id);
  if (!organization) return not_found(request, ctx.caller(), errors, "organisation");
  const auto services = store::service_summaries(db, store::services_of_organization(db, id));
  const PageMeta meta = page_meta(ctx.caller(), std::string(organization->text("name").value_or("Organisation")));
  auto view = organisation_view(set, *organization, services);
  if (policy::may_attempt(ctx.caller().subject, policy::Action::manage_own_consent) == policy::Decision::allow)
    view.set("share_href", "/my-information/sharing?organisation=" + percent_encode(id));
  if (policy::decide_directory_edit(ctx.caller().subject, id) == policy::Decision::allow)
    view.set("manage_href", "/organisations/" + id + "/manage");
  return Response::html(200, views.page("organisation.mustache", view, meta));
}

}  // namespace

void add_directory_page_routes(Router& router, const Views& views, const ErrorPages& errors, LiveDirectory& directory) {
  router.add("GET", "/services", policy::Action::read_public, [&views, &directory](const Request& r, RequestContext& ctx) {
    return search_page(r, ctx, views, directory);
  });
  router.add("GET", "/services/{id}", policy::Action::read_public, [&views, &errors](const Request& r, RequestContext& ctx) {
    return service_page(r, ctx, views, errors);
  });
  router.add("GET", "/organisations/{id}", policy::Action::read_public, [&views, &errors](const Request& r, RequestContext& ctx) {
    return organisation_page(r, ctx, views, errors);
  });
}

}  // namespace bespoke::web
