#pragma once
// The mail outbox (0005_accounts.sql): mail is queued in the same database as
// the change that caused it, and a sender delivers it later.
#include "core/time.h"
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::store {

struct OutgoingMail {
  std::int64_t id = 0;
  std::string to;
  std::string subject;
  std::string body;
  std::string created_at;
  std::optional<std::string> sent_at;
};

struct Mail {
  std::string to;
  std::string subject;
  std::string body;
};

// In its own transaction.
void queue_mail(Connection& db, const Mail& mail, core::Timestamp now);
// Inside the caller's write transaction, with the change that sends it.
void insert_mail(Connection& db, const Mail& mail, core::Timestamp now);

// The newest first.
[[nodiscard]] std::vector<OutgoingMail> recent_mail(Connection& db, int limit);

// Mail to deliver now: unsent, fewer than max_attempts failures, and not
// waiting for a retry; oldest first.
[[nodiscard]] std::vector<OutgoingMail> mail_to_send(Connection& db, core::Timestamp now, int max_attempts, int limit);
void mark_mail_sent(Connection& db, std::int64_t id, core::Timestamp now);
void mark_mail_failed(Connection& db, std::int64_t id, std::string_view error, core::Timestamp retry_at);

}  // namespace bespoke::store
