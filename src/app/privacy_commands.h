#pragma once
// The privacy commands: `bespoke audit verify`, `bespoke erase`, `bespoke retention run`.
#include "accounts/retention.h"

#include <string>

namespace bespoke::app {

// Walks the audit log's hash chain; exit 0 when whole, 1 (naming the first
// broken event) when not.
int run_audit_verify(const std::string& db_url);

// Erases the personal data of the account with this email; exit 1 when there is none.
int run_erase(const std::string& db_url, const std::string& email, const std::string& reason);

// One retention run with these periods.
int run_retention(const std::string& db_url, const accounts::RetentionPeriods& periods);

}  // namespace bespoke::app
