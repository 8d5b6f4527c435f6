#pragma once
// Schema migrations: numbered SQL scripts compiled into the binary from
// src/store/migrations/NNNN_name.sql and applied in order, each in its own
// write transaction together with its row in schema_migration.
#include "store/database.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::store {

struct Migration {
  int version = 0;        // NNNN from the file name
  std::string name;       // the rest of the file name, without ".sql"
  std::string_view sql;   // the script; runs on both drivers (docs/storage.md)
};

// The migrations embedded in this binary, by ascending version. Throws
// std::logic_error on a misnamed file or a repeated version (a build mistake).
[[nodiscard]] std::vector<Migration> embedded_migrations();

// The highest embedded version; 0 when there are none.
[[nodiscard]] int latest_schema_version();

struct SchemaStatus {
  int current = 0;  // 0 when schema_migration does not exist yet
  int latest = 0;   // latest_schema_version()
};

[[nodiscard]] SchemaStatus schema_status(Connection& c);

// Throws Failure(schema) unless the database is exactly at latest_schema_version():
// for `bespoke serve`, which must not run against a missing, older or newer schema.
void require_current_schema(Connection& c);

// Applies every pending migration and returns how many it applied. Safe when
// several processes migrate at once (PostgreSQL: an advisory lock; SQLite:
// BEGIN IMMEDIATE). Throws Failure(schema) when the database is newer than
// the newest migration given.
int migrate(Connection& c);
int migrate(Connection& c, std::span<const Migration> migrations);

}  // namespace bespoke::store
