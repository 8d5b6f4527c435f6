#include "web/records.h"

#include "store/accounts_store.h"
#include "store/audit_store.h"
#include "store/consent_store.h"

namespace bespoke::web {

RecordRead read_resident_record(store::Connection& db, const Caller& caller, std::int64_t resident_id,
                                accounts::RecordPart part, core::Timestamp now) {
  RecordRead out;
  if (!caller.signed_in()) {
    out.decision = policy::Decision::sign_in_required;
    return out;
  }
  const auto& subject = caller.subject;
  policy::ResidentFacts facts;
  facts.resident_id = resident_id;
  std::string role;
  std::string purpose;
  const bool own = subject.resident_id == resident_id && subject.roles.has(accounts::Role::resident);
  if (own) {
    role = "self";
    purpose = "reading my own information";
  } else {
    const auto basis = subject.roles.has(accounts::Role::coordinator)
                           ? store::caseload_basis(db, subject.account_id, resident_id)
                           : std::nullopt;
    if (basis) {
      facts.on_my_caseload = true;
      role = "coordinator";
      purpose = "on the caseload: " + *basis;
    } else if (subject.roles.has(accounts::Role::delegate) &&
               store::delegated(db, subject.account_id, resident_id, accounts::part_name(part), now)) {
      facts.delegated_to_me = true;
      role = "delegate";
      purpose = "acting for the person, as they granted";
    } else if (auto consented = store::consent_purpose(db, resident_id, part, caller.email, subject.organisations, now)) {
      facts.consented_to_me = true;
      role = "consent";
      purpose = "with consent: " + *consented;
    }
  }
  out.decision = policy::decide_resident_read(subject, facts);
  if (out.decision != policy::Decision::allow) return out;
  auto record = store::read_resident(db, resident_id);
  if (!record) {
    out.decision = policy::Decision::not_found;
    return out;
  }
  // Before the data leaves: no unrecorded read.
  audit_read(db, caller, resident_id, role, std::string(accounts::part_name(part)), purpose, now);
  out.record = std::move(record);
  out.basis = purpose;
  return out;
}

void audit_read(store::Connection& db, const Caller& caller, std::int64_t resident_id, std::string_view role,
                std::string record_type, std::string purpose, core::Timestamp now) {
  store::NewAuditEvent event;
  event.actor_account_id = caller.subject.account_id;
  event.actor_role = std::string(role);
  event.action = "read";
  event.subject_account_id = store::account_of_resident(db, resident_id);
  event.subject_resident_id = resident_id;
  event.record_type = std::move(record_type);
  // The internal id, not the public one: once the person is erased it points at nothing.
  event.record_id = std::to_string(resident_id);
  event.purpose = std::move(purpose);
  store::append_audit_event(db, event, now);
}

}  // namespace bespoke::web
