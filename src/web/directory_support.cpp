#include "web/directory_support.h"

#include "store/postcode_store.h"

#include <boost/json.hpp>

#include <algorithm>

namespace bespoke::web {

std::optional<core::LatLon> StorePostcodes::find(const std::string& postcode) {
  if (auto found = store::find_postcode(db_, postcode)) return core::LatLon{found->latitude, found->longitude};
  return std::nullopt;
}

std::optional<core::Error> unknown_parameter(const Request& request, std::initializer_list<std::string_view> allowed) {
  const auto pairs = parse_form(request.query);
  if (!pairs) return core::Error::invalid("query", "The query string has a malformed percent-escape");
  for (const auto& [name, value] : *pairs) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      const std::string shown = name.size() > 40 ? name.substr(0, 40) + "..." : name;
      return core::Error::invalid(shown, "Unknown parameter '" + shown + "'");
    }
  }
  return std::nullopt;
}

Response bad_query(const std::vector<core::Error>& errors) {
  boost::json::object o;
  o["type"] = "about:blank";
  o["title"] = "Bad Request";
  o["status"] = 400;
  if (!errors.empty()) {
    o["detail"] = errors.front().message;
    o["field"] = errors.front().field;
  }
  boost::json::array all;
  for (const auto& e : errors) all.push_back(boost::json::object{{"field", e.field}, {"message", e.message}});
  o["errors"] = std::move(all);
  return Response::text(400, boost::json::serialize(o), "application/problem+json");
}

std::vector<std::string> hit_ids(const directory::Results& results) {
  std::vector<std::string> ids;
  ids.reserve(results.hits.size());
  for (const auto& hit : results.hits) ids.push_back(hit.id.text());
  return ids;
}

}  // namespace bespoke::web
