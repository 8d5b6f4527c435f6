#pragma once
// Where the database holds personal data, in one table (personal_data.cpp):
// for each table, which rows are about a person and what erasure does to them.
// Subject access (export) and erasure both read it, so they cannot disagree,
// and a test checks that every table of the schema is either listed here or
// declared to hold no personal data: a new table cannot be forgotten.
#include "core/time.h"
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::store {

struct PersonalRows {
  std::string table;
  std::string description;  // what these rows are, for the readable page
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

// Everything held about the account's holder (and their resident record), in
// a fixed order; secrets (password and token hashes) are never included.
[[nodiscard]] std::vector<PersonalRows> export_personal_data(Connection& db, std::int64_t account_id);

struct ErasureReport {
  bool found = false;
  std::vector<std::pair<std::string, std::int64_t>> changed;  // table, rows deleted or pseudonymised
};

// Removes the person's personal data in one transaction: rows about them are
// deleted, the account row is kept pseudonymised (so that references in
// records the law requires to keep, and in the audit log, point at nobody),
// and an "erase" event is appended to the audit log. actor: nullopt for a
// command or a scheduled job.
ErasureReport erase_person(Connection& db, std::int64_t account_id, std::optional<std::int64_t> actor_account_id,
                           std::string_view actor_role, std::string_view purpose, core::Timestamp now);

// Tables that hold personal data (listed above) and tables declared to hold
// none, with why; for the completeness test.
[[nodiscard]] std::vector<std::string_view> tables_with_personal_data();
[[nodiscard]] std::vector<std::string_view> tables_without_personal_data();

}  // namespace bespoke::store
