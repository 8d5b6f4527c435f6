#include "web/records.h"

#include "store/accounts_store.h"
#include "store/audit_store.h"
#include "store/consent_store.h"

namespace bespoke::web {

namespace {

// Who the caller is to this resident, and why: the facts the policy decides on.
struct Relation {
  policy::ResidentFacts facts;
  std::string role;
  std::string purpose;
};

Relation relation_to(store::Connection& db, const Caller& caller, std::int64_t resident_id, accounts::RecordPart part,
                     bool consent_counts, core::Timestamp now) {
  const auto& subject = caller.subject;
  Relation out;
  out.facts.resident_id = resident_id;
  if (subject.resident_id == resident_id && subject.roles.has(accounts::Role::resident)) {
    out.role = "self";
    out.purpose = "reading my own information";
    return out;
  }
  const auto basis = subject.roles.has(accounts::Role::coordinator)
                         ? store::caseload_basis(db, subject.account_id, resident_id)
                         : std::nullopt;
  if (basis) {
    out.facts.on_my_caseload = true;
    out.role = "coordinator";
    out.purpose = "on the caseload: " + *basis;
  } else if (subject.roles.has(accounts::Role::delegate) &&
             store::delegated(db, subject.account_id, resident_id, accounts::part_name(part), now)) {
    out.facts.delegated_to_me = true;
    out.role = "delegate";
    out.purpose = "acting for the person, as they granted";
  } else if (consent_counts) {
    if (auto consented = store::consent_purpose(db, resident_id, part, caller.email, subject.organisations, now)) {
      out.facts.consented_to_me = true;
      out.role = "consent";
      out.purpose = "with consent: " + *consented;
    }
  }
  return out;
}

RecordRead open_record(store::Connection& db, const Caller& caller, std::int64_t resident_id,
                       accounts::RecordPart part, const Relation& relation, policy::Decision decision,
                       core::Timestamp now) {
  RecordRead out;
  out.decision = decision;
  if (out.decision != policy::Decision::allow) return out;
  auto record = store::read_resident(db, resident_id);
  if (!record) {
    out.decision = policy::Decision::not_found;
    return out;
  }
  // Before the data leaves: no unrecorded read.
  audit_read(db, caller, resident_id, relation.role, std::string(accounts::part_name(part)), relation.purpose, now);
  out.record = std::move(record);
  out.basis = relation.purpose;
  out.role = relation.role;
  return out;
}

}  // namespace

RecordRead read_resident_record(store::Connection& db, const Caller& caller, std::int64_t resident_id,
                                accounts::RecordPart part, core::Timestamp now) {
  if (!caller.signed_in()) return RecordRead{policy::Decision::sign_in_required, std::nullopt, {}, {}};
  const auto relation = relation_to(db, caller, resident_id, part, true, now);
  return open_record(db, caller, resident_id, part, relation,
                     policy::decide_resident_read(caller.subject, relation.facts), now);
}

RecordRead work_on_record(store::Connection& db, const Caller& caller, std::int64_t resident_id,
                          accounts::RecordPart part, Use use, core::Timestamp now) {
  if (!caller.signed_in()) return RecordRead{policy::Decision::sign_in_required, std::nullopt, {}, {}};
  const auto relation = relation_to(db, caller, resident_id, part, false, now);
  const auto decision = use == Use::assessment ? policy::decide_assessment(caller.subject, relation.facts)
                                               : policy::decide_plan_work(caller.subject, relation.facts);
  return open_record(db, caller, resident_id, part, relation, decision, now);
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
