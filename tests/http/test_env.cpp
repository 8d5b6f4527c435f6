#include "http/test_env.h"

#include "http/server_process.h"
#include "store/database.h"

#include <cstdlib>
#include <random>
#include <vector>

namespace bespoke::testing {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// postgresql:///postgres?host=...  ->  postgresql:///NAME?host=...
std::string with_database(const std::string& url, const std::string& name) {
  const auto scheme_end = url.find("://");
  const auto path = url.find('/', scheme_end + 3);
  const auto query = url.find('?', path);
  return url.substr(0, path + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

struct PgDatabases {
  std::vector<std::string> names;
  ~PgDatabases() {
    try {
      auto admin = store::open(env("BESPOKE_TEST_PG_URL"));
      for (const auto& n : names) admin->execute("DROP DATABASE IF EXISTS " + n + " WITH (FORCE)");
    } catch (...) {
    }
  }
};

}  // namespace

std::string fresh_database(Backend backend, std::string& skip_reason) {
  std::random_device rd;
  const std::string name = "h_" + std::to_string(rd()) + std::to_string(rd());
  if (backend == Backend::sqlite) return temp_sqlite_path(name);
  const std::string admin_url = env("BESPOKE_TEST_PG_URL");
  if (admin_url.empty()) {
    skip_reason = "BESPOKE_TEST_PG_URL is not set (./dev test starts a throwaway PostgreSQL)";
    return {};
  }
  static PgDatabases created;
  auto admin = store::open(admin_url);
  admin->execute("CREATE DATABASE " + name);
  created.names.push_back(name);
  return with_database(admin_url, name);
}

std::string town_database(Backend backend, std::string& skip_reason) {
  const char* var = backend == Backend::sqlite ? "BESPOKE_TEST_TOWN_DB" : "BESPOKE_TEST_PG_TOWN_URL";
  std::string v = env(var);
  if (v.empty()) skip_reason = std::string(var) + " is not set (./dev test generates the demo town)";
  return v;
}

}  // namespace bespoke::testing
