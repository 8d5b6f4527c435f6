#pragma once
// How long records are kept once they are closed or spent, and the cut-off
// times a retention run applies (store/retention_store.h does the work).
#include "core/time.h"

#include <chrono>

namespace bespoke::accounts {

struct RetentionPeriods {
  std::chrono::days closed_accounts{30};  // after closing, an account is pseudonymised like an erasure
  std::chrono::days spent_links{7};       // used or expired reset and verification links are deleted
  std::chrono::days sent_mail{30};        // delivered (or demo) mail is deleted
  std::chrono::days sign_in_failures{1};  // old failure counts are forgotten
};

struct RetentionCutoffs {
  core::Timestamp closed_before;
  core::Timestamp links_before;
  core::Timestamp mail_before;
  core::Timestamp failures_before;
  core::Timestamp sessions_idle_before;      // sessions idle longer than the idle limit
  core::Timestamp sessions_created_before;   // sessions older than the absolute limit
};

[[nodiscard]] RetentionCutoffs retention_cutoffs(const RetentionPeriods& periods, core::Timestamp now,
                                                 std::chrono::seconds session_idle,
                                                 std::chrono::seconds session_absolute) noexcept;

}  // namespace bespoke::accounts
