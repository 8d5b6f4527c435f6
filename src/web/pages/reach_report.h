#pragma once
// The commissioner's reach report (GET /reports/reach, /reports/reach.csv and
// `bespoke report reach`): who is reached and who is missed, by deprivation
// decile and neighbourhood, against each one's share of the population; and a
// coordinator's outreach list (GET /caseload/outreach). Figures only: no one's
// record.
#include "store/reach_store.h"

#include <kainjow/mustache.hpp>

#include <string>
#include <vector>

namespace bespoke::web {

// The header of the CSV, then one row per decile row given (CRLF line ends, RFC 4180):
//   decile,residents,with_needs,agreed_plans,default_plans,unmet_needs,overdue_reviews
inline constexpr const char* kReachCsvHeader =
    "decile,residents,with_needs,agreed_plans,default_plans,unmet_needs,overdue_reviews";
[[nodiscard]] std::string reach_csv(const std::vector<store::ReachRow>& deciles);

// What reach_report.mustache shows: the decile and neighbourhood tables (each
// figure with its share of the place's total, against the share of residents),
// the gaps in local provision, and two charts by decile (share of residents
// against share of people with needs, and against share of agreed plans).
[[nodiscard]] kainjow::mustache::data reach_view(const std::vector<store::ReachRow>& deciles,
                                                 const std::vector<store::ReachRow>& neighbourhoods,
                                                 const std::vector<store::GapCount>& gaps);

// What outreach.mustache shows.
[[nodiscard]] kainjow::mustache::data outreach_view(const std::vector<store::OutreachEntry>& people);

}  // namespace bespoke::web
