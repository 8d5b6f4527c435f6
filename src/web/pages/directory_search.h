#pragma once
// The search page, GET /services: the form as the person filled it in, the
// errors in it (a GOV.UK error summary linking to each field) and, when the
// query is good, one page of results with facet counts and pagination.
//
// The form sends the same parameters as /api/v1/services (web/directory_query.h
// parses both, so the page and the API agree), plus `neighbourhood`: a
// neighbourhood's code, searched around its centroid instead of a postcode.
#include "core/error.h"
#include "directory/results.h"
#include "directory/taxonomy.h"
#include "store/database.h"
#include "store/directory_lists.h"
#include "store/neighbourhood_store.h"
#include "web/directory_query.h"
#include "web/http.h"
#include "web/pages/directory_format.h"
#include "web/views.h"

#include <kainjow/mustache.hpp>

#include <span>
#include <string>
#include <vector>

namespace bespoke::web {

// The radius choices of the form, in km.
inline constexpr std::array<int, 5> kRadiusChoicesKm{1, 2, 5, 10, 20};
// Above this many neighbourhoods the form offers a postcode box only.
inline constexpr std::size_t kMaxNeighbourhoodChoices = 300;

// The request made ready for parse_directory_query.
struct SearchRequest {
  QueryPairs asked;          // the parameters, decoded, without empty values (the form's blanks)
  Request for_parser;        // `neighbourhood` replaced by its lat/lon; a radius without a place dropped
  std::vector<core::Error> errors;  // about `neighbourhood`
};

// Reads the query string; looks a neighbourhood up when one was chosen.
[[nodiscard]] SearchRequest prepare_search(const Request& request, store::Connection& db);

struct SearchPageInput {
  const QueryPairs& asked;
  const directory::Taxonomy& taxonomy;
  std::span<const store::NeighbourhoodPlace> neighbourhoods;  // empty: no select box
  const std::vector<core::Error>& errors;
  // When there are no errors: the search and its page of hits. `summaries`
  // holds the hits' display fields in hit order (services deleted since the
  // index saw them are missing).
  const directory::Query* query = nullptr;
  const directory::Results* results = nullptr;
  std::span<const store::ServiceSummary> summaries;
};

[[nodiscard]] kainjow::mustache::data search_view(const SearchPageInput& in);

// The error summary's items: one per field, linking to it ("#postcode").
[[nodiscard]] std::vector<ErrorSummaryItem> search_error_summary(const std::vector<core::Error>& errors);

}  // namespace bespoke::web
