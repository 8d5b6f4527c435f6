// Our own directory search API, /api/v1/services: every filter, facets,
// distance and our additions (provider kind, community-led, open now, cost,
// capacity, last verified), described by /api/v1/openapi.json.
#include "core/embedded.h"
#include "store/directory_lists.h"
#include "web/directory_support.h"
#include "web/live_directory.h"
#include "web/routes.h"

#include <boost/json.hpp>

#include <cmath>

namespace bespoke::web {
namespace openapi_embedded {
const std::vector<core::EmbeddedFile>& embedded_files();
}

namespace {

constexpr std::array<std::string_view, directory::kProviderKindCount> kKindCodes{
    "council", "nhs", "charity", "community_led", "social_enterprise", "volunteer_group", "private_company", "unknown"};
constexpr std::array<std::string_view, 3> kCostCodes{"unknown", "free", "paid"};

std::string language_text(const std::array<char, 3>& code) {
  return std::string(code.data(), code[2] ? 3 : 2);
}

boost::json::object yes_no(const directory::YesNo& counts) {
  return {{"yes", counts.yes}, {"no", counts.no}};
}

boost::json::object facets_json(const directory::FacetCounts& f, const directory::Taxonomy& taxonomy) {
  boost::json::object kinds;
  for (std::size_t i = 0; i < f.provider_kind.size(); ++i) {
    if (f.provider_kind[i] != 0) kinds[kKindCodes[i]] = f.provider_kind[i];
  }
  boost::json::object cost;
  for (std::size_t i = 0; i < f.cost.size(); ++i) cost[kCostCodes[i]] = f.cost[i];
  boost::json::object languages;
  for (const auto& [code, n] : f.languages) languages[language_text(code)] = n;
  boost::json::array terms;
  for (const auto& [index, n] : f.terms) {
    const auto& term = taxonomy.term(index);
    terms.push_back({{"id", term.id.text()},
                     {"taxonomy", taxonomy.taxonomies()[term.taxonomy].name},
                     {"code", term.code},
                     {"name", term.name},
                     {"count", n}});
  }
  boost::json::object out{{"provider_kind", std::move(kinds)},
                          {"community_led", yes_no(f.community_led)},
                          {"locally_owned", yes_no(f.locally_owned)},
                          {"cost", std::move(cost)},
                          {"languages", std::move(languages)},
                          {"terms", std::move(terms)},
                          {"has_capacity", yes_no(f.has_capacity)}};
  if (f.open_now) out["open_now"] = *f.open_now;
  return out;
}

boost::json::object hit_json(const directory::Hit& hit, const store::ServiceSummary& summary) {
  boost::json::object o{{"id", summary.id}, {"name", summary.name}, {"description", summary.description},
                        {"status", summary.status}};
  o["organization"] = boost::json::object{{"id", summary.organization_id},
                                          {"name", summary.organization_name},
                                          {"kind", kKindCodes[static_cast<std::size_t>(hit.provider_kind)]},
                                          {"community_led", hit.community_led},
                                          {"locally_owned", hit.locally_owned}};
  if (hit.distance_m) o["distance_m"] = std::round(*hit.distance_m);
  if (hit.site) {
    boost::json::object site{{"service_at_location_id", hit.site->service_at_location_id.text()},
                             {"location_id", hit.site->location_id.text()},
                             {"latitude", hit.site->latitude},
                             {"longitude", hit.site->longitude}};
    for (const auto& s : summary.sites) {
      if (s.location_id != site["location_id"].as_string()) continue;
      if (!s.name.empty()) site["name"] = s.name;
      if (!s.address_1.empty()) site["address_1"] = s.address_1;
      if (!s.city.empty()) site["city"] = s.city;
      if (!s.postal_code.empty()) site["postal_code"] = s.postal_code;
    }
    o["site"] = std::move(site);
  }
  if (hit.open_now) o["open_now"] = *hit.open_now;
  o["cost"] = kCostCodes[static_cast<std::size_t>(hit.cost)];
  if (summary.capacity_available) {
    boost::json::object capacity{{"available", *summary.capacity_available}};
    if (summary.capacity_maximum) capacity["maximum"] = *summary.capacity_maximum;
    o["capacity"] = std::move(capacity);
  }
  if (!summary.assured_date.empty()) o["last_verified"] = summary.assured_date;
  if (hit.score > 0) o["score"] = std::round(hit.score * 1000) / 1000;
  o["links"] = boost::json::object{{"hsds", "/hsds/services/" + summary.id}, {"page", "/services/" + summary.id}};
  return o;
}

Response search(const Request& request, RequestContext& ctx, LiveDirectory& directory) {
  if (auto e = unknown_parameter(request, {"q", "page", "per_page", "postcode", "lat", "lon", "radius_km", "sort",
                                           "kind", "community_led", "locally_owned", "need", "circumstance", "age",
                                           "language", "cost", "open_now", "open_at", "accessibility",
                                           "has_capacity", "taxonomy_term_id", "taxonomy_id", "organization_id"}))
    return bad_query({*e});
  auto& db = ctx.db();
  const auto snapshot = directory.current(db);
  StorePostcodes postcodes(db);
  const auto parsed =
      parse_directory_query(request, QueryDialect::api, snapshot->taxonomy, postcodes, core::SystemTime().now());
  if (!parsed.errors.empty()) return bad_query(parsed.errors);
  const auto& query = parsed.query;
  const auto results = snapshot->index->search(query);
  const auto ids = hit_ids(results);
  const auto summaries = store::service_summaries(db, ids);

  boost::json::array hits;
  for (std::size_t i = 0, s = 0; i < results.hits.size() && s < summaries.size(); ++i) {
    if (summaries[s].id != ids[i]) continue;  // deleted since the index saw it
    hits.push_back(hit_json(results.hits[i], summaries[s++]));
  }
  const auto per_page = std::max<std::uint32_t>(query.per_page, 1);
  boost::json::object body{{"total", results.total},
                           {"page", query.page},
                           {"per_page", query.per_page},
                           {"total_pages", (results.total + per_page - 1) / per_page}};
  if (parsed.place) {
    boost::json::object place{{"latitude", parsed.place->lat}, {"longitude", parsed.place->lon}};
    if (parsed.postcode) place["postcode"] = *parsed.postcode;
    if (query.near && std::isfinite(query.near->radius_m)) place["radius_m"] = query.near->radius_m;
    body["place"] = std::move(place);
  }
  body["results"] = std::move(hits);
  body["facets"] = facets_json(results.facets, snapshot->taxonomy);
  return Response::json(200, boost::json::serialize(body));
}

}  // namespace

void add_directory_api_routes(Router& router, LiveDirectory& directory) {
  router.add("GET", "/api/v1/services", policy::Action::read_public,
             [&directory](const Request& r, RequestContext& ctx) { return search(r, ctx, directory); });
  const std::string_view spec = openapi_embedded::embedded_files().at(0).text;
  RouteOptions from_memory_only;
  from_memory_only.inline_handler = true;  // a constant string: no worker needed
  router.add(
      "GET", "/api/v1/openapi.json", policy::Action::read_public,
      [spec](const Request&, RequestContext&) {
        auto r = Response::json(200, std::string(spec));
        r.set_header("cache-control", "public, max-age=300");
        return r;
      },
      from_memory_only);
}

}  // namespace bespoke::web
