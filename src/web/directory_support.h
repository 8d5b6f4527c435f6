#pragma once
// Pieces the directory's routes share (HSDS API, our JSON API, pages).
#include "core/error.h"
#include "directory/results.h"
#include "store/database.h"
#include "web/directory_query.h"
#include "web/http.h"

#include <string>
#include <vector>

namespace bespoke::web {

// Postcodes from the database's postcode table.
class StorePostcodes final : public PostcodeLookup {
 public:
  explicit StorePostcodes(store::Connection& db) : db_(db) {}
  [[nodiscard]] std::optional<core::LatLon> find(const std::string& postcode) override;

 private:
  store::Connection& db_;
};

// Rejects parameters a route does not know: a misspelt filter must not be
// silently ignored. nullopt when every parameter is allowed.
[[nodiscard]] std::optional<core::Error> unknown_parameter(const Request& request,
                                                           std::initializer_list<std::string_view> allowed);

// A 400 problem+json for the first error (its field named), with every
// error listed under "errors".
[[nodiscard]] Response bad_query(const std::vector<core::Error>& errors);

// The ids of a page of hits, as text.
[[nodiscard]] std::vector<std::string> hit_ids(const directory::Results& results);

}  // namespace bespoke::web
