#pragma once
// Care and support plans (0007_person_and_plans.sql): versions that are never
// changed once written, and the person's agreement and the council's sign-off
// on a version. Saving names the version the editor started from, so that of
// two people editing at once the second is told and nothing is lost.
#include "careplan/plan.h"
#include "core/time.h"
#include "store/care_team_store.h"
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace bespoke::store {

struct PlanDecisionRecord {
  std::string by;    // the account's display name
  std::string role;  // "self", "delegate", "coordinator"
  bool person_present = false;
  std::string at;
};

struct PlanVersion {
  std::int64_t id = 0;
  std::int64_t version = 0;
  careplan::Content content;
  std::string created_at;
  std::string created_by;  // display name; "Bespoke" for a default plan
  std::string created_by_role;
  std::optional<PlanDecisionRecord> agreed;
  std::optional<PlanDecisionRecord> signed_off;
};

[[nodiscard]] std::optional<PlanVersion> latest_plan(Connection& db, std::int64_t resident_id);
[[nodiscard]] std::optional<PlanVersion> plan_version(Connection& db, std::int64_t resident_id, std::int64_t version);
// Every version, newest first, without their lines.
[[nodiscard]] std::vector<PlanVersion> plan_history(Connection& db, std::int64_t resident_id);

// The new version's number; or, when the latest version is no longer
// `based_on` (0: there was none), nothing is written and the latest is returned.
struct StaleVersion {
  std::optional<PlanVersion> latest;  // nullopt: `based_on` named a version the person never had
};
using SaveResult = std::variant<std::int64_t, StaleVersion>;
// actor.account_id 0: written by Bespoke itself (a default plan).
SaveResult save_plan_version(Connection& db, std::int64_t resident_id, std::int64_t based_on,
                             const careplan::Content& content, const Actor& actor, core::Timestamp now);

enum class DecisionOutcome { done, not_latest, already, not_agreed };
// The person agrees `version` (themselves, through a delegate, or with a
// coordinator when person_present). Only the latest version can be agreed.
DecisionOutcome agree_plan(Connection& db, std::int64_t resident_id, std::int64_t version, const Actor& actor,
                           bool person_present, core::Timestamp now);
// The council signs off a version the person agreed.
DecisionOutcome sign_off_plan(Connection& db, std::int64_t resident_id, std::int64_t version, const Actor& actor,
                              core::Timestamp now);

// ---- Reviews ------------------------------------------------------------------

// What careplan::next_review needs, in days since 1970-01-01: when the plan
// started (the first sign-off, else the first agreement; nullopt: no plan has
// started), the last review held, and a request made since then.
struct ReviewState {
  std::optional<std::int32_t> started;
  std::optional<std::int32_t> last_held;
  std::optional<std::int32_t> requested_on;
  std::string last_notes;
};
[[nodiscard]] ReviewState review_state(Connection& db, std::int64_t resident_id);

// A review the person (or someone for them) asks for today; false when one is already pending.
bool request_review(Connection& db, std::int64_t resident_id, const Actor& actor, core::Timestamp now);
// A review the coordinator held today, with what was found.
void record_review(Connection& db, std::int64_t resident_id, std::string_view notes, const Actor& actor,
                   core::Timestamp now);

}  // namespace bespoke::store
