#pragma once
// A retention run: what has been kept long enough is deleted or pseudonymised.
// Each step is its own transaction; running twice changes nothing more.
#include "accounts/retention.h"
#include "store/database.h"

#include <cstdint>

namespace bespoke::store {

struct RetentionReport {
  std::int64_t accounts_pseudonymised = 0;
  std::int64_t sessions_deleted = 0;
  std::int64_t links_deleted = 0;
  std::int64_t mail_deleted = 0;
  std::int64_t failures_deleted = 0;
};

RetentionReport apply_retention(Connection& db, const accounts::RetentionCutoffs& cutoffs, core::Timestamp now);

// Closes an account: it can no longer sign in, its sessions end, and the
// retention run pseudonymises it after the closed-account period.
void close_account(Connection& db, std::int64_t account_id, core::Timestamp now);

}  // namespace bespoke::store
