#pragma once
// `bespoke report reach`: the commissioner's reach report by deprivation
// decile (web/pages/reach_report.h), the same CSV as /reports/reach.csv.
#include <string>

namespace bespoke::app {

struct ReportReachOptions {
  std::string db;
  std::string format = "csv";  // the only format offered
};

// Writes the CSV to standard output: the header
//   decile,residents,with_needs,agreed_plans,default_plans,unmet_needs,overdue_reviews
// then ten rows, deciles 1 to 10 (CRLF line ends). Exit status 0; 2 for a
// --format other than csv (nothing is read); a database that cannot be opened
// or is not at this program's schema is an exception (main: exit 1).
int run_report_reach(const ReportReachOptions& options);

}  // namespace bespoke::app
