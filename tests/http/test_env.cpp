#include "http/test_env.h"

#include "http/server_process.h"
#include "store/database.h"
#include "store/test_databases.h"

#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace bespoke::testing {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

struct PgDatabases {
  std::vector<std::string> names;
  ~PgDatabases() {
    try {
      auto admin = store::open(store::testing::pg_admin_url().value_or(""));
      for (const auto& n : names) admin->execute("DROP DATABASE IF EXISTS " + n + " WITH (FORCE)");
    } catch (...) {
    }
  }
};

}  // namespace

std::string fresh_database(Backend backend, std::string& skip_reason) {
  const std::string name = "h_" + store::testing::random_suffix();
  if (backend == Backend::sqlite) return temp_sqlite_path(name);
  const auto admin_url = store::testing::pg_admin_url();
  if (!admin_url) {
    skip_reason = "BESPOKE_TEST_PG_URL is not set (./dev test starts a throwaway PostgreSQL)";
    return {};
  }
  static PgDatabases created;
  auto admin = store::open(*admin_url);
  admin->execute("CREATE DATABASE " + name);
  created.names.push_back(name);
  return store::testing::with_database(*admin_url, name);
}

std::string writable_demo_town(Backend backend, std::string& skip_reason) {
  // A copy of the shared town when ./dev test made one (far quicker than
  // generating): SQLite's VACUUM INTO, PostgreSQL's CREATE DATABASE ... TEMPLATE.
  const auto shared = env("BESPOKE_TEST_TOWN_DB");
  const auto pg_template = env("BESPOKE_TEST_PG_TOWN_TEMPLATE");
  if (backend == Backend::sqlite && !shared.empty()) {
    const auto path = temp_sqlite_path("h_" + store::testing::random_suffix());
    store::open(shared)->execute("VACUUM INTO '" + path + "'");
    return path;
  }
  if (backend == Backend::postgres && !pg_template.empty()) {
    const auto admin_url = store::testing::pg_admin_url();
    if (admin_url) {
      const std::string name = "h_" + store::testing::random_suffix();
      static PgDatabases created;
      store::open(*admin_url)->execute("CREATE DATABASE " + name + " TEMPLATE " + pg_template);
      created.names.push_back(name);
      return store::testing::with_database(*admin_url, name);
    }
  }
  auto db = fresh_database(backend, skip_reason);
  if (db.empty()) return db;
  const auto made = run_bespoke({"demo", "--scale", "town", "--seed", "1", "--db", db});
  if (made.exit_code != 0) throw std::runtime_error("bespoke demo failed: " + made.output);
  return db;
}

std::string town_database(Backend backend, std::string& skip_reason) {
  const char* var = backend == Backend::sqlite ? "BESPOKE_TEST_TOWN_DB" : "BESPOKE_TEST_PG_TOWN_URL";
  std::string v = env(var);
  if (v.empty()) skip_reason = std::string(var) + " is not set (./dev test generates the demo town)";
  return v;
}

}  // namespace bespoke::testing
