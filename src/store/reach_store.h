#pragma once
// Nobody left behind (0007_person_and_plans.sql): who has assessed needs and
// no agreed plan, and how far plans reach by neighbourhood and deprivation
// decile. Reads only; the default-plan batch (app/plans_command) writes
// through store::save_plan_version, and a coordinator's reads of the outreach
// list are audited by the caller (web/records.h).
//
// Words used below, all per resident:
//   latest assessment   their care_assessment with the greatest assessed_at
//                       (then id), as store::latest_assessment reads it
//   latest plan         their plan_version with the greatest version
//   agreed              the latest plan has a plan_decision 'agreed'
//   default plan        the latest plan is a default_plan and not agreed
//   started             any version of their plan was ever agreed or signed
//                       off (store::ReviewState::started): reviews fall due
#include "core/time.h"
#include "store/database.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::store {

// ---- The default-plan batch -------------------------------------------------

struct DefaultCandidate {
  std::int64_t resident_id = 0;
  std::int64_t latest_version = 0;  // their latest plan version; 0: none (what save_plan_version's based_on wants)
  std::string assessed_at;          // their latest assessment
};

// Residents whose latest assessment is older than `assessed_before_iso`
// (ISO 8601 UTC, compared as text), who have at least one need
// (resident_need), who have never agreed a version of their plan, and who have had no
// default plan since that assessment (any version, not only the latest: a
// draft someone saved after a default plan is their work, and another
// default plan would bury it). By resident id.
[[nodiscard]] std::vector<DefaultCandidate> residents_needing_default_plans(Connection& db,
                                                                          std::string_view assessed_before_iso);

// ---- A coordinator's outreach list -------------------------------------------

struct OutreachEntry {
  std::int64_t resident_id = 0;  // internal: for the caller's audit of the read
  std::string public_id;
  std::string name;              // "given family"
  std::string neighbourhood;
  int decile = 0;                // the neighbourhood's deprivation decile, 1 = most deprived
  // How dependent the person is, as the latest assessment found: the number of
  // the ten Care Act outcomes they are unable to achieve, plus the number of
  // needs it decided the council must meet (eligible needs). 0 to 10 + needs.
  std::int64_t dependency = 0;
  std::int64_t days_since_assessed = 0;  // whole days from the latest assessment to `now`
  bool default_proposed = false;         // the latest plan is a default plan
  std::string basis;                     // the lawful basis the coordinator recorded (the caseload's)
};

// The people on the coordinator's caseload with an assessment who have never
// agreed a plan (none yet, a draft, or a default plan): most deprived
// neighbourhoods first (decile ascending), then the most dependent, then by
// family name and given name.
[[nodiscard]] std::vector<OutreachEntry> outreach_list(Connection& db, std::int64_t coordinator_account_id,
                                                       core::Timestamp now);

// ---- The commissioner's reach report -------------------------------------------

struct ReachRow {
  int decile = 0;                  // 1 = most deprived ... 10
  std::string neighbourhood;       // by neighbourhood: its name; by decile: ""
  std::string neighbourhood_code;
  std::int64_t residents = 0;
  std::int64_t with_needs = 0;     // at least one resident_need
  std::int64_t agreed_plans = 0;   // latest plan agreed
  std::int64_t default_plans = 0;  // latest plan a default plan, not agreed
  std::int64_t unmet_needs = 0;    // latest plan has at least one gap (any reason)
  // Started plans whose next review (careplan::next_review on review_state)
  // is overdue on `now`'s UK date. Read person by person: there are as many
  // reads as started plans, which is fine at town scale.
  std::int64_t overdue_reviews = 0;
  double population_share = 0;     // residents / every resident of the place (0 when there are none)
};

// One row per neighbourhood, by decile, then name.
[[nodiscard]] std::vector<ReachRow> reach_by_neighbourhood(Connection& db, core::Timestamp now);
// Ten rows, deciles 1 to 10, empty deciles included.
[[nodiscard]] std::vector<ReachRow> reach_by_decile(Connection& db, core::Timestamp now);
// The decile rows from neighbourhood rows (no reads): what reach_by_decile returns.
[[nodiscard]] std::vector<ReachRow> deciles_of(const std::vector<ReachRow>& neighbourhoods);

// The gaps in local provision: needs that latest plans leave uncovered
// because nothing here meets them (the reason plans::gap_text(no_provider)),
// with the number of people each, most people first, then by code.
struct GapCount {
  std::string need_code;
  std::string need_label;
  std::int64_t people = 0;
};
[[nodiscard]] std::vector<GapCount> gaps_in_provision(Connection& db);

}  // namespace bespoke::store
