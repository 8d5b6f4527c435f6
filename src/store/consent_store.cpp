#include "store/consent_store.h"

#include "core/ids.h"
#include "store/audit_store.h"

#include <array>

namespace bespoke::store {
namespace {

Value optional_time(const std::optional<core::Timestamp>& t) { return t ? Value{core::to_iso8601(*t)} : Value{}; }

NewAuditEvent consent_event(const ConsentSubject& subject, std::int64_t actor, std::string_view role,
                            std::string action, std::string record_id, std::string purpose) {
  NewAuditEvent e;
  e.actor_account_id = actor;
  e.actor_role = std::string(role);
  e.action = std::move(action);
  e.subject_account_id = subject.account_id;
  if (subject.resident_id != 0) e.subject_resident_id = subject.resident_id;
  e.record_type = "consent";
  e.record_id = std::move(record_id);
  e.purpose = std::move(purpose);
  return e;
}

}  // namespace

void grant_consent(Connection& db, const ConsentSubject& subject, const accounts::ValidConsent& consent,
                   std::int64_t actor_account_id, std::string_view actor_role, core::Timestamp now) {
  const auto at = core::to_iso8601(now);
  const std::string kind = consent.grantee_kind == accounts::GranteeKind::person ? "person" : "organisation";
  Transaction tx(db, TxMode::write);
  for (const auto part : consent.parts) {
    const auto id = core::random_uuid();
    const std::array<Value, 8> p{id,           subject.account_id, std::string(accounts::part_name(part)),
                                 kind,         consent.grantee,    consent.purpose,
                                 at,           optional_time(consent.until)};
    db.execute(
        "INSERT INTO consent (public_id, resident_account_id, part, grantee_kind, grantee, purpose, granted_at, until) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        p);
    insert_audit_event(db, consent_event(subject, actor_account_id, actor_role, "grant_consent", id, consent.purpose),
                       now);
  }
  tx.commit();
}

bool withdraw_consent(Connection& db, const ConsentSubject& subject, std::string_view public_id,
                      std::int64_t actor_account_id, std::string_view actor_role, core::Timestamp now) {
  const std::array<Value, 3> p{core::to_iso8601(now), subject.account_id, std::string(public_id)};
  Transaction tx(db, TxMode::write);
  const auto changed = db.execute(
      "UPDATE consent SET withdrawn_at = $1 WHERE resident_account_id = $2 AND public_id = $3 AND withdrawn_at IS NULL",
      p);
  if (changed == 0) return false;
  insert_audit_event(db,
                     consent_event(subject, actor_account_id, actor_role, "withdraw_consent", std::string(public_id),
                                   "withdrawn by the resident"),
                     now);
  tx.commit();
  return true;
}

std::vector<ConsentRecord> consents_of(Connection& db, std::int64_t resident_account_id) {
  const std::array<Value, 1> p{resident_account_id};
  std::vector<ConsentRecord> out;
  for (const auto& r : db.query(
           "SELECT c.public_id, c.part, c.grantee_kind, c.grantee, COALESCE(o.name, c.grantee), c.purpose, "
           "c.granted_at, c.until, c.withdrawn_at FROM consent c LEFT JOIN organization o "
           "ON c.grantee_kind = 'organisation' AND o.id = c.grantee WHERE c.resident_account_id = $1 "
           "ORDER BY c.granted_at DESC, c.id DESC",
           p))
    out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6), r.optional_text(7),
                   r.optional_text(8)});
  return out;
}

std::optional<std::string> consent_purpose(Connection& db, std::int64_t resident_id, accounts::RecordPart part,
                                           std::string_view reader_email,
                                           const std::vector<std::string>& reader_organisations, core::Timestamp now) {
  const std::array<Value, 3> p{resident_id, std::string(accounts::part_name(part)), core::to_iso8601(now)};
  const auto rows = db.query(
      "SELECT c.grantee_kind, c.grantee, c.purpose FROM consent c JOIN account a ON a.id = c.resident_account_id "
      "WHERE a.resident_id = $1 AND c.part = $2 AND c.withdrawn_at IS NULL AND (c.until IS NULL OR c.until > $3) "
      "ORDER BY c.id",
      p);
  for (const auto& row : rows) {
    const auto kind = row.text(0);
    const auto grantee = row.text(1);
    if (kind == "person" && !reader_email.empty() && grantee == reader_email) return row.text(2);
    if (kind == "organisation")
      for (const auto& org : reader_organisations)
        if (org == grantee) return row.text(2);
  }
  return std::nullopt;
}

std::optional<std::string> organisation_name(Connection& db, std::string_view organisation_id) {
  const std::array<Value, 1> p{std::string(organisation_id)};
  const auto v = db.scalar("SELECT name FROM organization WHERE id = $1", p);
  if (!v || !std::holds_alternative<std::string>(*v)) return std::nullopt;
  return std::get<std::string>(*v);
}

}  // namespace bespoke::store
