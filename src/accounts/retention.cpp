#include "accounts/retention.h"

namespace bespoke::accounts {

RetentionCutoffs retention_cutoffs(const RetentionPeriods& periods, core::Timestamp now,
                                   std::chrono::seconds session_idle, std::chrono::seconds session_absolute) noexcept {
  RetentionCutoffs c;
  c.closed_before = now - periods.closed_accounts;
  c.links_before = now - periods.spent_links;
  c.mail_before = now - periods.sent_mail;
  c.failures_before = now - periods.sign_in_failures;
  c.sessions_idle_before = now - session_idle;
  c.sessions_created_before = now - session_absolute;
  return c;
}

}  // namespace bespoke::accounts
