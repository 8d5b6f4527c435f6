#pragma once
// The audit log's rows (audit_event, 0005_accounts.sql). Appending takes an
// exclusive lock for the rest of the transaction, so events get consecutive
// seq numbers and each links to the one before it (src/audit/audit.h).
#include "audit/audit.h"
#include "core/time.h"
#include "store/database.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace bespoke::store {

struct NewAuditEvent {
  std::optional<std::int64_t> actor_account_id;  // nullopt: the system
  std::string actor_role;
  std::string action;
  std::optional<std::int64_t> subject_account_id;
  std::optional<std::int64_t> subject_resident_id;
  std::string record_type;
  std::string record_id;
  std::string purpose;
};

// Inside the caller's write transaction, with the change it records.
audit::Event insert_audit_event(Connection& db, const NewAuditEvent& event, core::Timestamp now);
// In its own transaction: for reads, written before the data is shown.
audit::Event append_audit_event(Connection& db, const NewAuditEvent& event, core::Timestamp now);

// Events about this person (by account or by record), newest first.
[[nodiscard]] std::vector<audit::Event> audit_events_about(Connection& db, std::int64_t account_id,
                                                           std::int64_t resident_id, int limit);

// Every event in seq order, one at a time.
void for_each_audit_event(Connection& db, const std::function<void(const audit::Event&)>& on_event);

}  // namespace bespoke::store
