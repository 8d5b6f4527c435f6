#include "store/mail_store.h"

#include "core/utf8.h"

#include <array>

namespace bespoke::store {

void insert_mail(Connection& db, const Mail& mail, core::Timestamp now) {
  const std::array<Value, 4> p{mail.to, mail.subject, mail.body, core::to_iso8601(now)};
  db.execute("INSERT INTO mail_outbox (to_address, subject, body, created_at) VALUES ($1, $2, $3, $4)", p);
}

void queue_mail(Connection& db, const Mail& mail, core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  insert_mail(db, mail, now);
  tx.commit();
}

std::vector<OutgoingMail> recent_mail(Connection& db, int limit) {
  const std::array<Value, 1> p{std::int64_t{limit}};
  std::vector<OutgoingMail> out;
  for (const auto& r : db.query(
           "SELECT id, to_address, subject, body, created_at, sent_at FROM mail_outbox ORDER BY id DESC LIMIT $1", p))
    out.push_back({r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4), r.optional_text(5)});
  return out;
}

std::vector<OutgoingMail> mail_to_send(Connection& db, core::Timestamp now, int max_attempts, int limit) {
  const std::array<Value, 3> p{core::to_iso8601(now), std::int64_t{max_attempts}, std::int64_t{limit}};
  std::vector<OutgoingMail> out;
  for (const auto& r : db.query(
           "SELECT id, to_address, subject, body, created_at, sent_at FROM mail_outbox WHERE sent_at IS NULL "
           "AND attempts < $2 AND (next_attempt_at IS NULL OR next_attempt_at <= $1) ORDER BY id LIMIT $3",
           p))
    out.push_back({r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4), r.optional_text(5)});
  return out;
}

void mark_mail_sent(Connection& db, std::int64_t id, core::Timestamp now) {
  const std::array<Value, 2> p{core::to_iso8601(now), id};
  execute_in_transaction(db, "UPDATE mail_outbox SET sent_at = $1, attempts = attempts + 1 WHERE id = $2", p);
}

void mark_mail_failed(Connection& db, std::int64_t id, std::string_view error, core::Timestamp retry_at) {
  const std::array<Value, 3> p{core::printable_prefix(error, 500), core::to_iso8601(retry_at), id};
  execute_in_transaction(
      db, "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 WHERE id = $3", p);
}

}  // namespace bespoke::store
