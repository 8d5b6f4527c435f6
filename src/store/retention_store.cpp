#include "store/retention_store.h"

#include "store/accounts_store.h"
#include "store/personal_data.h"

#include <array>

namespace bespoke::store {
RetentionReport apply_retention(Connection& db, const accounts::RetentionCutoffs& c, core::Timestamp now) {
  RetentionReport r;
  // Closed accounts not yet pseudonymised (an erased one has no resident link and the marker name).
  const std::array<Value, 1> closed{core::to_iso8601(c.closed_before)};
  for (const auto& row : db.query(
           "SELECT id FROM account WHERE disabled_at IS NOT NULL AND disabled_at < $1 AND password_hash <> '!' "
           "ORDER BY id",
           closed)) {
    if (erase_person(db, row.integer(0), std::nullopt, "system", "retention: closed account", now).found)
      ++r.accounts_pseudonymised;
  }
  const std::array<Value, 2> sessions{core::to_iso8601(c.sessions_idle_before), core::to_iso8601(c.sessions_created_before)};
  r.sessions_deleted = execute_in_transaction(db, "DELETE FROM user_session WHERE last_seen_at < $1 OR created_at < $2", sessions);
  const std::array<Value, 1> links{core::to_iso8601(c.links_before)};
  r.links_deleted =
      execute_in_transaction(db, "DELETE FROM one_time_token WHERE expires_at < $1 OR (used_at IS NOT NULL AND used_at < $1)", links);
  const std::array<Value, 1> mail{core::to_iso8601(c.mail_before)};
  r.mail_deleted = execute_in_transaction(db, "DELETE FROM mail_outbox WHERE created_at < $1", mail);
  r.failures_deleted = forget_failures_before(db, c.failures_before);
  return r;
}

void close_account(Connection& db, std::int64_t account_id, core::Timestamp now) {
  const std::array<Value, 2> p{core::to_iso8601(now), account_id};
  const std::array<Value, 1> id{account_id};
  Transaction tx(db, TxMode::write);
  db.execute("UPDATE account SET disabled_at = COALESCE(disabled_at, $1) WHERE id = $2", p);
  db.execute("DELETE FROM user_session WHERE account_id = $1", id);
  db.execute("UPDATE api_token SET revoked_at = COALESCE(revoked_at, (SELECT disabled_at FROM account WHERE id = $1)) "
             "WHERE account_id = $1",
             id);
  tx.commit();
}

}  // namespace bespoke::store
