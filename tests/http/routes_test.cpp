// Walks the real route table (`bespoke routes`) against the real server: every
// route answers without a server error and with the headers every response carries.
#include "http/server_process.h"
#include "http/test_env.h"

#include <gtest/gtest.h>

#include <sstream>

namespace bespoke::testing {
namespace {

struct ListedRoute {
  std::string method;
  std::string pattern;
};

std::vector<ListedRoute> route_table() {
  const auto listed = run_bespoke({"routes"});
  EXPECT_EQ(listed.exit_code, 0) << listed.output;
  std::vector<ListedRoute> routes;
  std::istringstream lines(listed.output);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    ListedRoute r;
    if (words >> r.method >> r.pattern) routes.push_back(r);
  }
  return routes;
}

// A concrete path for a pattern: parameters get a value that matches no record.
std::string example_path(const std::string& pattern) {
  std::string path;
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '{') {
      path += "no-such-thing";
      i = pattern.find('}', i) + 1;
    } else {
      path += pattern[i++];
    }
  }
  return path;
}

TEST(Routes, TheTableListsTheSitesRoutes) {
  const auto routes = route_table();
  for (const char* expected : {"/", "/healthz", "/readyz", "/metrics", "/feedback", "/api/v1/feedback"}) {
    EXPECT_TRUE(std::any_of(routes.begin(), routes.end(), [&](const auto& r) { return r.pattern == expected; }))
        << expected;
  }
}

class EveryRoute : public ::testing::TestWithParam<Backend> {};

TEST_P(EveryRoute, AnswersWithoutAServerErrorAndWithTheCommonHeaders) {
  BESPOKE_NEED(town_database(GetParam(), db_skip), db);
  ServerProcess server(db, {"--no-migrate"});
  const auto routes = route_table();
  ASSERT_FALSE(routes.empty());
  for (const auto& route : routes) {
    const std::string path = example_path(route.pattern);
    SCOPED_TRACE(route.method + " " + path);
    // Unsafe methods get an empty form: a clear 4xx, never a 5xx.
    const auto r = route.method == "GET"
                       ? http(server.port(), "GET", path)
                       : http(server.port(), route.method, path, {{"Content-Type", "text/plain"}}, "x");
    EXPECT_GT(r.status, 0);
    EXPECT_LT(r.status, 500) << r.body.substr(0, 300);
    EXPECT_FALSE(r.header("x-request-id").empty());
    EXPECT_FALSE(r.header("content-security-policy").empty());
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  }
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, EveryRoute, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return std::string(backend_name(info.param)); });

}  // namespace
}  // namespace bespoke::testing
