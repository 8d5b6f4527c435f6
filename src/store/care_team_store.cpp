#include "store/care_team_store.h"

#include "accounts/delegation.h"
#include "store/accounts_store.h"
#include "store/audit_store.h"

#include <array>

namespace bespoke::store {
namespace {

// Serialises changes to who is a delegate (PostgreSQL; SQLite's write
// transaction already does), so a grant and the withdrawal of a delegate's
// last other delegation cannot cross and leave a live delegation without the role.
constexpr std::int64_t kDelegateRoleLock = 0x64656c6567;  // "deleg"

// Someone who acts for nobody any more is no longer a delegate: the role goes,
// and with it (as with every change of role) their sessions, at once.
void drop_role_if_idle(Connection& db, std::int64_t delegate_account_id, const std::string& at) {
  const std::array<Value, 2> live{delegate_account_id, at};
  if (!db.scalar("SELECT 1 FROM delegation WHERE delegate_account_id = $1 AND withdrawn_at IS NULL "
                 "AND (until IS NULL OR until > $2)",
                 live))
    delete_role(db, delegate_account_id, RoleGrant{accounts::Role::delegate, {}});
}

}  // namespace

NewAuditEvent event_about(Connection& db, std::int64_t resident_id, const Actor& actor, std::string action,
                              std::string record_type, std::string record_id, std::string purpose) {
  NewAuditEvent e;
  if (actor.account_id != 0) e.actor_account_id = actor.account_id;
  e.actor_role = actor.role;
  e.action = std::move(action);
  e.subject_account_id = account_of_resident(db, resident_id);
  e.subject_resident_id = resident_id;
  e.record_type = std::move(record_type);
  e.record_id = std::move(record_id);
  e.purpose = std::move(purpose);
  return e;
}

std::vector<DelegationRecord> delegations_for(Connection& db, std::int64_t resident_id) {
  const std::array<Value, 1> p{resident_id};
  std::vector<DelegationRecord> out;
  for (const auto& r : db.query(
           "SELECT d.id, dl.display_name, dl.email, d.scope, g.display_name, "
           "CASE WHEN g.resident_id = d.resident_id THEN 1 ELSE 0 END, d.reason, d.granted_at, d.until, "
           "d.withdrawn_at FROM delegation d JOIN account dl ON dl.id = d.delegate_account_id "
           "JOIN account g ON g.id = d.granted_by_account_id WHERE d.resident_id = $1 "
           "ORDER BY d.granted_at DESC, d.id DESC",
           p)) {
    DelegationRecord d;
    d.id = r.integer(0);
    d.delegate_name = r.text(1);
    d.delegate_email = r.text(2);
    d.parts = accounts::parse_scope(r.text(3));
    d.granted_by_name = r.text(4);
    d.granted_by_resident = r.integer(5) == 1;
    d.reason = r.text(6);
    d.granted_at = r.text(7);
    d.until = r.optional_text(8);
    d.withdrawn_at = r.optional_text(9);
    out.push_back(std::move(d));
  }
  return out;
}

std::int64_t grant_delegation(Connection& db, const NewDelegation& delegation, const Actor& actor,
                              core::Timestamp now) {
  const auto scope = accounts::scope_text(delegation.parts);
  const std::array<Value, 7> p{delegation.resident_id,
                               delegation.delegate_account_id,
                               scope,
                               actor.account_id,
                               delegation.reason,
                               core::to_iso8601(now),
                               delegation.until ? Value{core::to_iso8601(*delegation.until)} : Value{}};
  Transaction tx(db, TxMode::write);
  db.lock_until_transaction_end(kDelegateRoleLock);
  const std::int64_t delegation_id =
      db.query(
            "INSERT INTO delegation (resident_id, delegate_account_id, scope, granted_by_account_id, reason, "
            "granted_at, until) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            p)
          .front()
          .integer(0);
  insert_role(db, delegation.delegate_account_id, RoleGrant{accounts::Role::delegate, {}}, now);
  insert_audit_event(db,
                     event_about(db, delegation.resident_id, actor, "grant_delegation", "delegation",
                                     std::to_string(delegation_id) + " " + scope,
                                     delegation.reason.empty() ? std::string("granted by the resident")
                                                               : delegation.reason),
                     now);
  tx.commit();
  return delegation_id;
}

std::int64_t delegations_granted_since(Connection& db, std::int64_t account_id, core::Timestamp since) {
  const std::array<Value, 2> p{account_id, core::to_iso8601(since)};
  return db.query("SELECT COUNT(*) FROM delegation WHERE granted_by_account_id = $1 AND granted_at >= $2", p)
      .front()
      .integer(0);
}

bool withdraw_delegation(Connection& db, std::int64_t resident_id, std::int64_t delegation_id, const Actor& actor,
                         core::Timestamp now) {
  const auto at = core::to_iso8601(now);
  const std::array<Value, 3> p{at, resident_id, delegation_id};
  Transaction tx(db, TxMode::write);
  db.lock_until_transaction_end(kDelegateRoleLock);
  // A coordinator may stop only what a coordinator recorded: what the resident
  // granted is theirs to stop.
  const std::string only_recorded =
      actor.role == "self" ? std::string()
                           : " AND granted_by_account_id <> COALESCE((SELECT a.id FROM account a WHERE a.resident_id = "
                             "delegation.resident_id), 0)";
  const auto delegate = db.query(
      "UPDATE delegation SET withdrawn_at = $1 WHERE resident_id = $2 AND id = $3 AND withdrawn_at IS NULL" +
          only_recorded + " RETURNING delegate_account_id",
      p);
  if (delegate.empty()) return false;
  drop_role_if_idle(db, delegate.front().integer(0), at);
  insert_audit_event(db,
                     event_about(db, resident_id, actor, "withdraw_delegation", "delegation",
                                     std::to_string(delegation_id),
                                     actor.role == "self" ? "withdrawn by the resident" : "withdrawn by " + actor.role),
                     now);
  tx.commit();
  return true;
}

std::vector<CaseloadEntry> caseload_of(Connection& db, std::int64_t coordinator_account_id) {
  const std::array<Value, 1> p{coordinator_account_id};
  std::vector<CaseloadEntry> out;
  for (const auto& r : db.query("SELECT r.id, r.public_id, r.given_name || ' ' || r.family_name, c.since, c.basis "
                                "FROM caseload c JOIN resident r ON r.id = c.resident_id "
                                "WHERE c.coordinator_account_id = $1 ORDER BY r.family_name, r.given_name, r.id",
                                p))
    out.push_back({r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4)});
  return out;
}

bool add_to_caseload(Connection& db, std::int64_t coordinator_account_id, std::int64_t resident_id,
                     std::string_view basis, core::Timestamp now) {
  const std::array<Value, 4> p{coordinator_account_id, resident_id, core::to_iso8601(now), std::string(basis)};
  Transaction tx(db, TxMode::write);
  const auto added = db.execute(
      "INSERT INTO caseload (coordinator_account_id, resident_id, since, basis) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT DO NOTHING",
      p);
  if (added == 0) return false;
  insert_audit_event(db,
                     event_about(db, resident_id, {coordinator_account_id, "coordinator"}, "add_to_caseload",
                                     "caseload", std::to_string(resident_id), std::string(basis)),
                     now);
  tx.commit();
  return true;
}

bool remove_from_caseload(Connection& db, std::int64_t coordinator_account_id, std::int64_t resident_id,
                          core::Timestamp now) {
  const auto at = core::to_iso8601(now);
  const std::array<Value, 2> p{coordinator_account_id, resident_id};
  Transaction tx(db, TxMode::write);
  db.lock_until_transaction_end(kDelegateRoleLock);
  const auto removed =
      db.execute("DELETE FROM caseload WHERE coordinator_account_id = $1 AND resident_id = $2", p);
  if (removed == 0) return false;
  // What the coordinator recorded for the person ends with their part in the
  // person's care, so that nobody keeps access through a delegation they chose.
  const std::array<Value, 3> ended{at, coordinator_account_id, resident_id};
  for (const auto& row : db.query("UPDATE delegation SET withdrawn_at = $1 WHERE granted_by_account_id = $2 "
                                  "AND resident_id = $3 AND withdrawn_at IS NULL RETURNING id, delegate_account_id",
                                  ended)) {
    insert_audit_event(db,
                       event_about(db, resident_id, {coordinator_account_id, "coordinator"}, "withdraw_delegation",
                                       "delegation", std::to_string(row.integer(0)),
                                       "ended with the coordinator's part in the person's care"),
                       now);
    drop_role_if_idle(db, row.integer(1), at);
  }
  insert_audit_event(db,
                     event_about(db, resident_id, {coordinator_account_id, "coordinator"}, "remove_from_caseload",
                                     "caseload", std::to_string(resident_id), "no longer coordinating this care"),
                     now);
  tx.commit();
  return true;
}

}  // namespace bespoke::store
