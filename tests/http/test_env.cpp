#include "http/test_env.h"

#include "http/server_process.h"
#include "store/database.h"
#include "store/test_databases.h"

#include <cstdlib>
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

std::string town_database(Backend backend, std::string& skip_reason) {
  const char* var = backend == Backend::sqlite ? "BESPOKE_TEST_TOWN_DB" : "BESPOKE_TEST_PG_TOWN_URL";
  std::string v = env(var);
  if (v.empty()) skip_reason = std::string(var) + " is not set (./dev test generates the demo town)";
  return v;
}

}  // namespace bespoke::testing
