// The Open Referral UK (HSDS 3.0 UK profile) API under /hsds: public,
// read-only, anonymous. data/reference/hsds/README.md says what it must do;
// the responses carry only the profile's fields (hsds::Profile::oruk) and
// validate against both the ORUK 3.0 and HSDS 3.1 schemas (tests/api/).
#include "core/ids.h"
#include "web/hsds/json_write.h"
#include "store/directory_lists.h"
#include "store/hsds_store.h"
#include "web/directory_support.h"
#include "web/live_directory.h"
#include "web/routes.h"

#include <boost/json.hpp>

#include <cmath>

namespace bespoke::web {
namespace {

constexpr std::string_view kProfile = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md";
constexpr std::string_view kOpenapi = "https://openreferraluk.org/specifications/3.0/openapi.json";

Response json_response(const boost::json::value& body) { return Response::json(200, boost::json::serialize(body)); }

struct PageRequest {
  std::uint32_t page = 1;
  std::uint32_t per_page = 50;
};

// page and per_page for the lists the index does not serve.
std::optional<core::Error> read_paging(const Request& request, PageRequest& out) {
  ParsedQuery parsed;
  // The directory query parser knows the limits; reuse its checks on an empty taxonomy.
  static const directory::Taxonomy none;
  struct NoPostcodes final : PostcodeLookup {
    std::optional<core::LatLon> find(const std::string&) override { return std::nullopt; }
  } no_postcodes;
  Request paging = request;
  std::string query;
  for (const auto name : {"page", "per_page"}) {
    if (auto v = request.query_param(name)) query += (query.empty() ? "" : "&") + std::string(name) + "=" + *v;
  }
  paging.query = query;
  parsed = parse_directory_query(paging, QueryDialect::hsds, none, no_postcodes, {});
  if (!parsed.errors.empty()) return parsed.errors.front();
  out.page = parsed.query.page;
  out.per_page = parsed.query.per_page;
  return std::nullopt;
}

boost::json::object page_of(std::int64_t total, const PageRequest& paging, boost::json::array contents) {
  const auto per_page = static_cast<std::int64_t>(paging.per_page);
  const std::int64_t total_pages = total == 0 ? 0 : (total + per_page - 1) / per_page;
  boost::json::object page;
  page["total_items"] = total;
  page["total_pages"] = total_pages;
  page["page_number"] = paging.page;
  page["size"] = contents.size();
  page["first_page"] = paging.page == 1;
  page["last_page"] = static_cast<std::int64_t>(paging.page) >= total_pages;
  page["empty"] = contents.empty();
  page["contents"] = std::move(contents);
  return page;
}

// The records `ids` of `entity` as ORUK JSON, in the order of `ids`.
boost::json::array records_json(store::Connection& db, std::string_view entity, const std::vector<std::string>& ids,
                                hsds::Depth depth) {
  const auto& e = hsds::entity(entity);
  const auto set = store::load_tree(db, e, ids);
  boost::json::array out;
  for (const auto& id : ids) {
    if (const auto* r = set.find(e, id)) out.push_back(hsds::to_json(*r, set, {hsds::Profile::oruk, depth}));
  }
  return out;
}

std::optional<bool> flag(const Request& request, std::string_view name, std::vector<core::Error>& errors) {
  auto v = request.query_param(name);
  if (!v) return std::nullopt;
  if (*v == "true") return true;
  if (*v == "false") return false;
  errors.push_back(core::Error::invalid(std::string(name), std::string(name) + " must be true or false"));
  return std::nullopt;
}

// One record by id, fully nested; 400 for a malformed id, 404 for an unknown one.
Handler record_by_id(std::string entity) {
  return [entity](const Request& request, RequestContext& ctx) {
    const auto id = request.param("id").value_or("");
    if (!core::is_uuid(id)) return bad_query({core::Error::invalid("id", "id must be a UUID")});
    if (auto e = unknown_parameter(request, {})) return bad_query({*e});
    auto records = records_json(ctx.db(), entity, {std::string(id)}, hsds::Depth::full);
    if (records.empty()) return Response::problem(404, "Not Found", "There is no " + entity + " with that id", "id");
    return json_response(records.front());
  };
}

// A paged list straight from the store (organizations, taxonomies, terms,
// service_at_locations without a search).
Response store_list(const Request& request, store::Connection& db, std::string_view entity,
                    const store::ListFilter& filter, hsds::Depth depth) {
  PageRequest paging;
  if (auto e = read_paging(request, paging)) return bad_query({*e});
  const auto offset = static_cast<std::int64_t>(paging.page - 1) * paging.per_page;
  const auto ids = store::list_ids(db, entity, filter, offset, paging.per_page);
  return json_response(page_of(ids.total, paging, records_json(db, entity, ids.ids, depth)));
}

std::optional<core::Error> read_search(const Request& request, store::ListFilter& filter) {
  if (auto s = request.query_param("search")) {
    if (s->size() > kMaxSearchTextBytes) return core::Error::invalid("search", "search must be at most 200 characters");
    filter.name_contains = *s;
  }
  return std::nullopt;
}

Response services(const Request& request, RequestContext& ctx, LiveDirectory& directory) {
  if (auto e = unknown_parameter(request, {"search", "page", "per_page", "format", "taxonomy_term_id", "taxonomy_id",
                                           "organization_id", "modified_after", "minimal", "full", "minimum_age",
                                           "maximum_age", "start_time", "end_time", "day"}))
    return bad_query({*e});
  auto& db = ctx.db();
  const auto snapshot = directory.current(db);
  StorePostcodes postcodes(db);
  auto parsed = parse_directory_query(request, QueryDialect::hsds, snapshot->taxonomy, postcodes,
                                      core::SystemTime().now());
  if (auto format = request.query_param("format"); format && *format != "json")
    parsed.errors.push_back(core::Error::invalid("format", "format must be json: ndjson is not offered"));
  const auto minimal = flag(request, "minimal", parsed.errors);
  const auto full = flag(request, "full", parsed.errors);
  if (!parsed.errors.empty()) return bad_query(parsed.errors);

  const auto results = snapshot->index->search(parsed.query);
  const auto ids = hit_ids(results);
  boost::json::array contents;
  if (minimal.value_or(false)) {
    for (auto& item : records_json(db, "service", ids, hsds::Depth::direct)) {
      boost::json::object slim;
      // "Only the id and modified date", plus what the schemas require of a service.
      for (const auto* key : {"id", "name", "status", "last_modified"}) {
        if (const auto* v = item.as_object().if_contains(key)) slim[key] = *v;
      }
      contents.push_back(std::move(slim));
    }
  } else {
    contents = records_json(db, "service", ids, full.value_or(false) ? hsds::Depth::full : hsds::Depth::direct);
  }
  return json_response(page_of(static_cast<std::int64_t>(results.total),
                               {parsed.query.page, parsed.query.per_page}, std::move(contents)));
}

Response service_at_locations(const Request& request, RequestContext& ctx, LiveDirectory& directory) {
  if (auto e = unknown_parameter(request, {"search", "page", "per_page", "format", "taxonomy_term_id", "taxonomy_id",
                                           "organization_id", "modified_after", "full", "postcode", "proximity",
                                           "minimum_age", "maximum_age", "start_time", "end_time", "day"}))
    return bad_query({*e});
  auto& db = ctx.db();
  constexpr std::string_view filters[] = {"search", "taxonomy_term_id", "taxonomy_id", "organization_id",
                                          "modified_after", "postcode", "proximity", "minimum_age", "maximum_age",
                                          "start_time", "end_time", "day"};
  const bool searching = std::any_of(std::begin(filters), std::end(filters),
                                     [&](std::string_view p) { return request.query_param(p).has_value(); });
  std::vector<core::Error> errors;
  const auto full = flag(request, "full", errors);
  if (auto format = request.query_param("format"); format && *format != "json")
    errors.push_back(core::Error::invalid("format", "format must be json: ndjson is not offered"));
  if (!errors.empty()) return bad_query(errors);
  (void)full;  // service_at_locations always come with their location nested
  if (!searching) return store_list(request, db, "service_at_location", {}, hsds::Depth::full);

  // Searching: one service_at_location per matching service, the one nearest
  // the postcode (or the service's first), in the search's order.
  const auto snapshot = directory.current(db);
  StorePostcodes postcodes(db);
  auto parsed = parse_directory_query(request, QueryDialect::hsds, snapshot->taxonomy, postcodes,
                                      core::SystemTime().now());
  if (!parsed.errors.empty()) return bad_query(parsed.errors);
  auto& query = parsed.query;
  if (query.near) {
    query.sort = query.text.empty() ? directory::Sort::distance : directory::Sort::blended;
  } else {
    // Only services at a place have a service_at_location: an unbounded
    // "near" keeps just those; relevance keeps the order text-then-id.
    query.near = directory::Near{core::LatLon{0, 0}};
    query.sort = directory::Sort::relevance;
  }
  const auto results = snapshot->index->search(query);
  std::vector<std::string> ids;
  for (const auto& hit : results.hits) {
    if (hit.site) ids.push_back(hit.site->service_at_location_id.text());
  }
  return json_response(page_of(static_cast<std::int64_t>(results.total), {query.page, query.per_page},
                               records_json(db, "service_at_location", ids, hsds::Depth::full)));
}

}  // namespace

void add_hsds_routes(Router& router, LiveDirectory& directory) {
  const auto details = [](const Request& request, RequestContext&) {
    if (auto e = unknown_parameter(request, {})) return bad_query({*e});
    return json_response(boost::json::object{
        {"version", "HSDS-UK-3.0"}, {"profile", kProfile}, {"openapi_url", kOpenapi}});
  };
  router.add("GET", "/hsds", policy::Action::read_public, details);
  router.add("GET", "/hsds/", policy::Action::read_public, details);
  router.add("GET", "/hsds/services", policy::Action::read_public,
             [&directory](const Request& r, RequestContext& ctx) { return services(r, ctx, directory); });
  router.add("GET", "/hsds/services/{id}", policy::Action::read_public, record_by_id("service"));
  router.add("GET", "/hsds/service_at_locations", policy::Action::read_public, [&directory](const Request& r, RequestContext& ctx) {
    return service_at_locations(r, ctx, directory);
  });
  router.add("GET", "/hsds/service_at_locations/{id}", policy::Action::read_public, record_by_id("service_at_location"));
  router.add("GET", "/hsds/organizations", policy::Action::read_public, [](const Request& r, RequestContext& ctx) {
    if (auto e = unknown_parameter(r, {"search", "page", "per_page", "format", "full", "full_service"}))
      return bad_query({*e});
    store::ListFilter filter;
    if (auto e = read_search(r, filter)) return bad_query({*e});
    std::vector<core::Error> errors;
    const auto full = flag(r, "full", errors);
    flag(r, "full_service", errors);
    if (!errors.empty()) return bad_query(errors);
    return store_list(r, ctx.db(), "organization", filter, full.value_or(false) ? hsds::Depth::full : hsds::Depth::direct);
  });
  router.add("GET", "/hsds/organizations/{id}", policy::Action::read_public, record_by_id("organization"));
  router.add("GET", "/hsds/taxonomies", policy::Action::read_public, [](const Request& r, RequestContext& ctx) {
    if (auto e = unknown_parameter(r, {"search", "page", "per_page", "format"})) return bad_query({*e});
    store::ListFilter filter;
    if (auto e = read_search(r, filter)) return bad_query({*e});
    return store_list(r, ctx.db(), "taxonomy", filter, hsds::Depth::direct);
  });
  router.add("GET", "/hsds/taxonomies/{id}", policy::Action::read_public, record_by_id("taxonomy"));
  router.add("GET", "/hsds/taxonomy_terms", policy::Action::read_public, [](const Request& r, RequestContext& ctx) {
    if (auto e = unknown_parameter(r, {"search", "page", "per_page", "format", "taxonomy_id", "top_only", "parent_id"}))
      return bad_query({*e});
    store::ListFilter filter;
    if (auto e = read_search(r, filter)) return bad_query({*e});
    std::vector<core::Error> errors;
    for (const auto* name : {"taxonomy_id", "parent_id"}) {
      if (auto v = r.query_param(name)) {
        if (!core::is_uuid(*v)) errors.push_back(core::Error::invalid(name, std::string(name) + " must be a UUID"));
        (std::string_view(name) == "taxonomy_id" ? filter.taxonomy_id : filter.parent_id) = *v;
      }
    }
    filter.top_only = flag(r, "top_only", errors).value_or(false);
    if (!errors.empty()) return bad_query(errors);
    return store_list(r, ctx.db(), "taxonomy_term", filter, hsds::Depth::direct);
  });
  router.add("GET", "/hsds/taxonomy_terms/{id}", policy::Action::read_public, record_by_id("taxonomy_term"));
}

}  // namespace bespoke::web
