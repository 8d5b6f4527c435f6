#pragma once
// Databases for the black-box tests, on both drivers. `./dev test` provides:
//   BESPOKE_TEST_PG_URL       a throwaway PostgreSQL cluster's "postgres" database
//   BESPOKE_TEST_TOWN_DB      an SQLite file holding the seed-1 demo town
//   BESPOKE_TEST_PG_TOWN_URL  a PostgreSQL database holding the same town
// and sets BESPOKE_REQUIRE_PG=1, so that a missing one fails instead of skipping.
#include <string>

namespace bespoke::testing {

enum class Backend { sqlite, postgres };

inline const char* backend_name(Backend b) { return b == Backend::sqlite ? "SQLite" : "PostgreSQL"; }

// An empty database of that kind; dropped when the process exits. Returns "" and
// sets skip_reason when the environment does not provide PostgreSQL.
std::string fresh_database(Backend backend, std::string& skip_reason);

// A new demo town (seed 1, with the demo accounts) of that kind that the test
// may change; dropped when the process exits. "" with skip_reason as above.
std::string writable_demo_town(Backend backend, std::string& skip_reason);

// The shared read-only demo town of that kind, or "" with skip_reason.
std::string town_database(Backend backend, std::string& skip_reason);

}  // namespace bespoke::testing

// Skips (or, under ./dev test, fails) when the backend is not available.
#define BESPOKE_NEED(expr, var)                                                          \
  std::string var##_skip;                                                                \
  const std::string var = (expr);                                                        \
  if (var.empty()) {                                                                     \
    if (std::getenv("BESPOKE_REQUIRE_PG")) FAIL() << var##_skip;                         \
    GTEST_SKIP() << var##_skip;                                                          \
  }
