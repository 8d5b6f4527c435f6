#pragma once
// The one way the web layer reads a resident's special-category data: the
// policy decides on the facts (own record, caseload, delegation, consent), and
// an allowed read is written to the audit log before the data is returned.
#include "accounts/consent.h"
#include "core/time.h"
#include "policy/policy.h"
#include "store/database.h"
#include "store/resident_store.h"
#include "web/auth/caller.h"

#include <optional>
#include <string>
#include <string_view>

namespace bespoke::web {

struct RecordRead {
  policy::Decision decision = policy::Decision::not_found;
  std::optional<store::ResidentRecord> record;  // set when allowed
  std::string basis;                            // why it was allowed, as audited
  std::string role;                             // how: "self", "coordinator", "delegate", "consent"
};

// Reads `part` of the resident's record for the caller. Someone else's record
// that the caller may not see answers not_found, exactly as a missing one.
[[nodiscard]] RecordRead read_resident_record(store::Connection& db, const Caller& caller, std::int64_t resident_id,
                                              accounts::RecordPart part, core::Timestamp now);

// What working on the person's record and plan needs (policy::decide_plan_work
// for Use::plan_work, decide_assessment for Use::assessment): as
// read_resident_record, but consent to read never counts.
enum class Use { plan_work, assessment };
[[nodiscard]] RecordRead work_on_record(store::Connection& db, const Caller& caller, std::int64_t resident_id,
                                        accounts::RecordPart part, Use use, core::Timestamp now);

// Writes a read of something about the resident (record_type: a part's name,
// "delegation") to the audit log, in its own transaction: call it before the
// data leaves. role is how the caller may read it ("self", "coordinator", ...).
void audit_read(store::Connection& db, const Caller& caller, std::int64_t resident_id, std::string_view role,
                std::string record_type, std::string purpose, core::Timestamp now);

}  // namespace bespoke::web
