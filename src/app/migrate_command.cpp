#include "app/migrate_command.h"

#include "store/database.h"
#include "store/migrations.h"

#include <fmt/format.h>

#include <cstdio>

#ifndef BESPOKE_VERSION
#define BESPOKE_VERSION "0.0.0"
#endif

namespace bespoke::app {

int run_migrate(const std::string& db_url) {
  auto db = store::open(db_url);
  const auto before = store::schema_status(*db);
  const int applied = store::migrate(*db);
  const auto after = store::schema_status(*db);
  fmt::print("{}: schema version {} -> {} ({} migration{} applied)\n", store::redact(db_url), before.current,
             after.current, applied, applied == 1 ? "" : "s");
  return 0;
}

int run_version() {
  fmt::print("bespoke {}\nschema version {}\n", BESPOKE_VERSION, store::latest_schema_version());
  return 0;
}

}  // namespace bespoke::app
