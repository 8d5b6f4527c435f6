#include "store/audit_store.h"

#include <array>

namespace bespoke::store {
namespace {

// The advisory lock that serialises appends on PostgreSQL (SQLite's write
// transaction already does). Any fixed number unique to this use.
constexpr std::int64_t kAuditAppendLock = 0x6175646974;  // "audit"

constexpr std::string_view kColumns =
    "seq, at, actor_account_id, actor_role, action, subject_account_id, subject_resident_id, record_type, "
    "record_id, purpose, prev_hash, hash";

std::optional<std::int64_t> optional_integer(const Row& r, std::size_t i) {
  return r.is_null(i) ? std::nullopt : std::optional<std::int64_t>(r.integer(i));
}

Value value_of(const std::optional<std::int64_t>& v) { return v ? Value{*v} : Value{}; }

audit::Event event_from(const Row& r) {
  audit::Event e;
  e.seq = r.integer(0);
  e.at = r.text(1);
  e.actor_account_id = optional_integer(r, 2);
  e.actor_role = r.text(3);
  e.action = r.text(4);
  e.subject_account_id = optional_integer(r, 5);
  e.subject_resident_id = optional_integer(r, 6);
  e.record_type = r.text(7);
  e.record_id = r.text(8);
  e.purpose = r.text(9);
  e.prev_hash = r.text(10);
  e.hash = r.text(11);
  return e;
}

}  // namespace

audit::Event insert_audit_event(Connection& db, const NewAuditEvent& n, core::Timestamp now) {
  db.lock_until_transaction_end(kAuditAppendLock);
  std::optional<audit::Event> last;
  const auto rows = db.query(std::string("SELECT ") + std::string(kColumns) + " FROM audit_event ORDER BY seq DESC LIMIT 1");
  if (!rows.empty()) last = event_from(rows.front());
  audit::Event e;
  e.at = core::to_iso8601(now);
  e.actor_account_id = n.actor_account_id;
  e.actor_role = n.actor_role;
  e.action = n.action;
  e.subject_account_id = n.subject_account_id;
  e.subject_resident_id = n.subject_resident_id;
  e.record_type = n.record_type;
  e.record_id = n.record_id;
  e.purpose = n.purpose;
  audit::link_after(last, e);
  const std::array<Value, 12> p{e.seq,          e.at,          value_of(e.actor_account_id), e.actor_role,
                                e.action,       value_of(e.subject_account_id), value_of(e.subject_resident_id),
                                e.record_type,  e.record_id,   e.purpose,  e.prev_hash, e.hash};
  db.execute(std::string("INSERT INTO audit_event (") + std::string(kColumns) +
                 ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
             p);
  return e;
}

audit::Event append_audit_event(Connection& db, const NewAuditEvent& event, core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  auto e = insert_audit_event(db, event, now);
  tx.commit();
  return e;
}

std::vector<audit::Event> audit_events_about(Connection& db, std::int64_t account_id, std::int64_t resident_id,
                                             int limit) {
  const std::array<Value, 3> p{account_id, resident_id, std::int64_t{limit}};
  std::vector<audit::Event> out;
  for (const auto& row :
       db.query(std::string("SELECT ") + std::string(kColumns) +
                    " FROM audit_event WHERE subject_account_id = $1 OR subject_resident_id = $2 ORDER BY seq DESC "
                    "LIMIT $3",
                p))
    out.push_back(event_from(row));
  return out;
}

void for_each_audit_event(Connection& db, const std::function<void(const audit::Event&)>& on_event) {
  db.for_each_row(std::string("SELECT ") + std::string(kColumns) + " FROM audit_event ORDER BY seq", {},
                  [&](const Row& row) { on_event(event_from(row)); });
}

}  // namespace bespoke::store
