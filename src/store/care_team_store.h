#pragma once
// Who acts for a resident and who coordinates their care: delegations and
// caseloads (0005_accounts.sql, 0006). Every change writes its audit event in
// the same transaction, about the resident it concerns.
#include "accounts/consent.h"
#include "core/time.h"
#include "store/audit_store.h"
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::store {

// Someone acting on a resident's behalf, and how they came to.
struct Actor {
  std::int64_t account_id = 0;
  std::string role;  // as the audit log records it: "self", "coordinator"
};

// An audit event about the resident's record by `actor` (account 0: Bespoke
// itself), for the caller to insert in the transaction of the change.
[[nodiscard]] NewAuditEvent event_about(Connection& db, std::int64_t resident_id, const Actor& actor,
                                        std::string action, std::string record_type, std::string record_id,
                                        std::string purpose);

struct DelegationRecord {
  std::int64_t id = 0;
  std::string delegate_name;
  std::string delegate_email;
  std::vector<accounts::RecordPart> parts;
  std::string granted_by_name;
  bool granted_by_resident = false;
  std::string reason;
  std::string granted_at;
  std::optional<std::string> until;
  std::optional<std::string> withdrawn_at;
};

struct NewDelegation {
  std::int64_t resident_id = 0;
  std::int64_t delegate_account_id = 0;
  std::vector<accounts::RecordPart> parts;
  std::optional<core::Timestamp> until;
  std::string reason;
};

// Newest first, withdrawn ones too.
[[nodiscard]] std::vector<DelegationRecord> delegations_for(Connection& db, std::int64_t resident_id);
// Records the delegation and gives the delegate the delegate role if they lack
// it (which, as every change of role does, ends their sessions). Its id.
std::int64_t grant_delegation(Connection& db, const NewDelegation& delegation, const Actor& actor,
                              core::Timestamp now);
// How many delegations this account has granted or recorded since `since`.
[[nodiscard]] std::int64_t delegations_granted_since(Connection& db, std::int64_t account_id, core::Timestamp since);

// False when the resident has no live delegation with that id (for a
// coordinator: none that a coordinator recorded; what the resident granted is
// theirs to stop). A delegate left acting for nobody loses the delegate role,
// which ends their sessions.
bool withdraw_delegation(Connection& db, std::int64_t resident_id, std::int64_t delegation_id, const Actor& actor,
                         core::Timestamp now);

struct CaseloadEntry {
  std::int64_t resident_id = 0;
  std::string public_id;
  std::string name;
  std::string since;
  std::string basis;
};

// By family name.
[[nodiscard]] std::vector<CaseloadEntry> caseload_of(Connection& db, std::int64_t coordinator_account_id);
// False when the resident is already on the caseload.
bool add_to_caseload(Connection& db, std::int64_t coordinator_account_id, std::int64_t resident_id,
                     std::string_view basis, core::Timestamp now);
// False when the resident was not on it. Delegations the coordinator recorded
// for the person end with it.
bool remove_from_caseload(Connection& db, std::int64_t coordinator_account_id, std::int64_t resident_id,
                          core::Timestamp now);

}  // namespace bespoke::store
