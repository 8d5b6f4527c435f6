#pragma once
// Fresh, empty databases for tests, on both drivers.
//
// SQLite: a new file in the temp directory, removed afterwards.
// PostgreSQL: a new database `t_<random>` on the cluster named by the
// environment variable BESPOKE_TEST_PG_URL (a URL to its "postgres" database),
// dropped afterwards. Without that variable PostgreSQL tests are skipped, or
// fail when BESPOKE_REQUIRE_PG=1. scripts/throwaway-postgres starts a cluster.
//
// Running the same tests on both drivers:
//
//   #include "store/test_databases.h"
//   using bespoke::store::testing::BothDrivers;
//   class ResidentRepoTest : public BothDrivers {};
//   TEST_P(ResidentRepoTest, SavesAndLoads) { auto& c = db(); ... }
//   BESPOKE_INSTANTIATE_BOTH_DRIVERS(ResidentRepoTest);
//
// A fixture that overrides SetUp() calls BothDrivers::SetUp() first and
// returns when IsSkipped() || HasFatalFailure().
#include "store/database.h"
#include "store/migrations.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <system_error>

namespace bespoke::store {
// gtest prints the parameter as "sqlite" / "postgres" instead of raw bytes.
inline void PrintTo(Driver d, std::ostream* os) { *os << (d == Driver::sqlite ? "sqlite" : "postgres"); }
}  // namespace bespoke::store

namespace bespoke::store::testing {

inline std::string random_suffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  auto n = rng();
  for (int i = 0; i < 16; ++i, n >>= 4) s += kHex[n & 15];
  return s;
}

inline bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && std::string_view(v) == "1";
}

// BESPOKE_TEST_PG_URL, or nullopt when unset or empty.
inline std::optional<std::string> pg_admin_url() {
  const char* v = std::getenv("BESPOKE_TEST_PG_URL");
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

// The same PostgreSQL URL with its database name replaced.
inline std::string with_database(std::string_view url, std::string_view name) {
  std::string out(url);
  const auto scheme = out.find("://");
  const auto authority = scheme == std::string::npos ? 0 : scheme + 3;
  const auto query = std::min(out.find_first_of("?#", authority), out.size());
  const auto slash = out.find('/', authority);
  if (slash == std::string::npos || slash > query) {
    out.insert(query, "/" + std::string(name));
  } else {
    out.replace(slash + 1, query - slash - 1, name);
  }
  return out;
}

inline const char* driver_name(Driver d) { return d == Driver::sqlite ? "sqlite" : "postgres"; }

// For INSTANTIATE_TEST_SUITE_P: names tests ".../sqlite" and ".../postgres".
inline std::string driver_param_name(const ::testing::TestParamInfo<Driver>& info) { return driver_name(info.param); }

// One fresh database; removed (file) or dropped (PostgreSQL) on destruction.
class ScratchDatabase {
 public:
  // Throws store::Failure when it cannot be created; callers check pg_admin_url() first.
  explicit ScratchDatabase(Driver driver) : driver_(driver) {
    if (driver == Driver::sqlite) {
      url_ = (std::filesystem::temp_directory_path() / ("bespoke-test-" + random_suffix() + ".db")).string();
    } else {
      const auto admin = pg_admin_url();
      if (!admin) throw Failure(FailureKind::unavailable, "BESPOKE_TEST_PG_URL is not set");
      admin_url_ = *admin;
      name_ = "t_" + random_suffix();
      open(admin_url_)->execute_script("CREATE DATABASE " + name_);
      url_ = with_database(admin_url_, name_);
    }
  }
  ~ScratchDatabase() {
    try {
      if (driver_ == Driver::sqlite) {
        std::error_code ec;
        for (const char* ext : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(url_ + ext, ec);
      } else {
        open(admin_url_)->execute_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      }
    } catch (const std::exception& e) {  // a leftover scratch database is not worth a crash
      ADD_FAILURE() << "could not remove test database " << url_ << ": " << e.what();
    }
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  [[nodiscard]] Driver driver() const noexcept { return driver_; }
  // A file path (SQLite) or a postgresql:// URL: what `bespoke --db` takes.
  [[nodiscard]] const std::string& url() const noexcept { return url_; }
  [[nodiscard]] std::unique_ptr<Connection> connect(const OpenOptions& options = {}) const {
    return open(url_, options);
  }

 private:
  Driver driver_;
  std::string url_;
  std::string admin_url_;
  std::string name_;
};

// Why a driver cannot be tested here, or "" when it can.
inline std::string unavailable_reason(Driver d) {
  if (d == Driver::postgres && !pg_admin_url())
    return "PostgreSQL tests need BESPOKE_TEST_PG_URL (see scripts/throwaway-postgres)";
  return {};
}

// Skips (or, with BESPOKE_REQUIRE_PG=1, fails) the current test when PostgreSQL is not configured.
// A macro because GTEST_SKIP and FAIL return from the calling function.
#define BESPOKE_REQUIRE_DRIVER(driver)                                                        \
  do {                                                                                        \
    const std::string bespoke_reason_ = ::bespoke::store::testing::unavailable_reason(driver); \
    if (!bespoke_reason_.empty()) {                                                           \
      if (::bespoke::store::testing::env_flag("BESPOKE_REQUIRE_PG")) FAIL() << bespoke_reason_; \
      GTEST_SKIP() << bespoke_reason_;                                                        \
    }                                                                                         \
  } while (false)

// Value-parameterised fixture: each test gets a fresh database of the driver in GetParam().
class BothDrivers : public ::testing::TestWithParam<Driver> {
 protected:
  void SetUp() override {
    BESPOKE_REQUIRE_DRIVER(GetParam());
    scratch_ = std::make_unique<ScratchDatabase>(GetParam());
    conn_ = scratch_->connect();
  }
  void TearDown() override {
    conn_.reset();  // PostgreSQL drops with FORCE anyway, but close politely first
    scratch_.reset();
  }

  [[nodiscard]] Connection& db() { return *conn_; }
  [[nodiscard]] ScratchDatabase& scratch() { return *scratch_; }
  [[nodiscard]] Driver driver() const { return GetParam(); }
  // Another connection to the same database (concurrency tests).
  [[nodiscard]] std::unique_ptr<Connection> connect(const OpenOptions& options = {}) {
    return scratch_->connect(options);
  }
  // The connection, migrated to the latest embedded schema.
  Connection& migrated_db() {
    migrate(*conn_);
    return *conn_;
  }

 private:
  std::unique_ptr<ScratchDatabase> scratch_;
  std::unique_ptr<Connection> conn_;
};

// Index names and definitions, to compare before and after a bulk load.
inline std::vector<std::string> index_list(Connection& c, Driver d) {
  std::vector<std::string> out;
  const auto rows = c.query(d == Driver::sqlite
                                ? "SELECT name || ': ' || COALESCE(sql, '') FROM sqlite_master WHERE type = 'index'"
                                  " ORDER BY name"
                                : "SELECT indexname || ': ' || indexdef FROM pg_indexes"
                                  " WHERE schemaname = current_schema() ORDER BY indexname");
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

}  // namespace bespoke::store::testing

#define BESPOKE_INSTANTIATE_BOTH_DRIVERS(Fixture)                                                              \
  INSTANTIATE_TEST_SUITE_P(Drivers, Fixture,                                                                   \
                           ::testing::Values(::bespoke::store::Driver::sqlite, ::bespoke::store::Driver::postgres), \
                           ::bespoke::store::testing::driver_param_name)
