// The decision matrix (tests/http/access_matrix.txt) against the real server:
// every route of `bespoke routes --demo`, as a stranger and as each demo
// account, with its own ids and someone else's, on SQLite and PostgreSQL.
#include "http/browser_client.h"
#include "http/server_process.h"
#include "http/test_env.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace bespoke::testing {
namespace {

const std::vector<std::string> kColumns{"anon",      "resident",     "delegate",  "coordinator", "provider",
                                        "volunteer", "commissioner", "moderator", "admin"};
const std::map<std::string, std::string> kEmails{
    {"resident", "resident1@demo.invalid"},   {"delegate", "delegate1@demo.invalid"},
    {"coordinator", "coordinator1@demo.invalid"}, {"provider", "provider1@demo.invalid"},
    {"volunteer", "volunteer1@demo.invalid"}, {"commissioner", "commissioner1@demo.invalid"},
    {"moderator", "moderator1@demo.invalid"}, {"admin", "admin1@demo.invalid"}};

struct Line {
  int number = 0;
  std::string method;
  std::string path;  // with placeholders
  std::vector<int> expected;  // one per column
};

std::vector<Line> read_matrix() {
  std::ifstream in(std::string(BESPOKE_SOURCE_DIR) + "/tests/http/access_matrix.txt");
  EXPECT_TRUE(in) << "tests/http/access_matrix.txt is missing";
  std::vector<Line> lines;
  std::string text;
  int number = 0;
  while (std::getline(in, text)) {
    ++number;
    if (text.empty() || text[0] == '#') continue;
    std::istringstream words(text);
    Line line;
    line.number = number;
    words >> line.method >> line.path;
    int status = 0;
    while (words >> status) line.expected.push_back(status);
    EXPECT_EQ(line.expected.size(), kColumns.size()) << "access_matrix.txt:" << number << " needs a status per column";
    lines.push_back(line);
  }
  return lines;
}

// The route pattern a concrete path of the matrix stands for: placeholders
// become the pattern's {name} segments again, the query is dropped.
std::string pattern_of(std::string path, const std::set<std::string>& patterns) {
  path = path.substr(0, path.find('?'));
  if (patterns.count(path)) return path;
  // Try every pattern: segments equal or a {param} where the path has a placeholder or anything.
  for (const auto& p : patterns) {
    std::istringstream a(p.substr(1)), b(path.substr(1));
    std::string pa, pb;
    bool same = true;
    std::vector<std::string> ps, bs;
    while (std::getline(a, pa, '/')) ps.push_back(pa);
    while (std::getline(b, pb, '/')) bs.push_back(pb);
    if (ps.size() != bs.size()) continue;
    for (std::size_t i = 0; i < ps.size() && same; ++i)
      same = ps[i] == bs[i] || (ps[i].front() == '{' && bs[i].front() == '{');
    if (same) return p;
  }
  return {};
}

std::string substitute(std::string path, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string key = "{" + name + "}";
    for (auto at = path.find(key); at != std::string::npos; at = path.find(key)) path.replace(at, key.size(), value);
  }
  return path;
}

std::string json_field(const std::string& body, std::initializer_list<std::string_view> path) {
  boost::json::value v = boost::json::parse(body);
  for (const auto key : path) {
    if (v.is_array()) v = v.as_array().at(0);
    v = v.as_object().at(key);
  }
  return std::string(v.as_string());
}

class AccessMatrix : public ::testing::TestWithParam<Backend> {};

TEST_P(AccessMatrix, EveryRouteAsEveryRoleAnswersAsTheMatrixSays) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  const auto lines = read_matrix();

  // Every route is in the matrix, and every line is a route.
  const auto listed = run_bespoke({"routes", "--demo"});
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  std::set<std::string> patterns;
  std::set<std::string> routes;
  std::istringstream table(listed.output);
  for (std::string text; std::getline(table, text);) {
    std::istringstream words(text);
    std::string method, pattern;
    if (!(words >> method >> pattern)) continue;
    patterns.insert(pattern);
    routes.insert(method + " " + pattern);
  }
  std::set<std::string> covered;
  for (const auto& line : lines) {
    const auto pattern = pattern_of(line.path, patterns);
    EXPECT_TRUE(routes.count(line.method + " " + pattern))
        << "access_matrix.txt:" << line.number << " names no route: " << line.method << " " << line.path;
    covered.insert(line.method + " " + pattern);
  }
  for (const auto& route : routes) EXPECT_TRUE(covered.count(route)) << "no line in access_matrix.txt for " << route;

  // A signed-in browser and an API token (with every scope it may hold) per account.
  std::map<std::string, BrowserClient> browsers;
  std::map<std::string, std::string> tokens;
  for (const auto& column : kColumns) {
    auto [it, _] = browsers.emplace(column, BrowserClient(server.port()));
    auto& b = it->second;
    if (column == "anon") {
      b.get("/sign-in");  // an anonymous cookie and its CSRF token
      continue;
    }
    ASSERT_TRUE(b.sign_in(kEmails.at(column), kDemoPassword)) << column;
    const auto page = b.get("/account/tokens");
    Fields fields{{"name", "matrix"}};
    for (std::size_t at = page.body.find("name=\"scope\" type=\"checkbox\" value=\""); at != std::string::npos;
         at = page.body.find("name=\"scope\" type=\"checkbox\" value=\"", at + 1)) {
      const auto start = page.body.find("value=\"", at) + 7;
      fields.emplace_back("scope", page.body.substr(start, page.body.find('"', start) - start));
    }
    const auto made = b.post_form("/account/tokens", fields);
    ASSERT_EQ(made.status, 201) << column << ": " << made.body.substr(0, 400);
    const auto at = made.body.find("bsp_");
    ASSERT_NE(at, std::string::npos);
    tokens[column] = made.body.substr(at, 47);
  }

  // The placeholders' values.
  std::map<std::string, std::string> values{{"nothing", "no-such-thing"}};
  auto& anon = browsers.at("anon");
  values["service"] = json_field(anon.get("/hsds/services?per_page=1").body, {"contents", "id"});
  values["organisation"] = json_field(anon.get("/hsds/organizations?per_page=1").body, {"contents", "id"});
  const auto record_id = [](const std::string& download) {
    const auto parsed = boost::json::parse(download);
    for (const auto& t : parsed.at("tables").as_array())
      if (t.at("table") == "resident") return std::string(t.at("rows").as_array().at(0).at("public_id").as_string());
    return std::string();
  };
  values["resident1"] = record_id(browsers.at("resident").get("/my-information/download").body);
  BrowserClient resident2(server.port());
  ASSERT_TRUE(resident2.sign_in("resident2@demo.invalid", kDemoPassword));
  values["resident2"] = record_id(resident2.get("/my-information/download").body);
  ASSERT_FALSE(values["resident1"].empty());
  ASSERT_FALSE(values["resident2"].empty());
  resident2.get("/my-information/sharing");
  ASSERT_EQ(resident2
                .post_form("/my-information/sharing", {{"grantee_kind", "person"},
                                                       {"person_email", "friend@example.org"},
                                                       {"part", "needs"},
                                                       {"purpose", "to help me"}})
                .status,
            303);
  const auto sharing = resident2.get("/my-information/sharing").body;
  const auto withdraw = sharing.find("/withdraw\"");
  ASSERT_NE(withdraw, std::string::npos);
  const auto id_start = sharing.rfind("/my-information/sharing/", withdraw) + 24;
  values["consent2"] = sharing.substr(id_start, withdraw - id_start);
  const auto admin_page = browsers.at("admin").get("/admin/accounts?q=resident2%40demo.invalid").body;
  const auto link = admin_page.find("href=\"/admin/accounts/");
  ASSERT_NE(link, std::string::npos);
  values["account2"] = admin_page.substr(link + 22, 36);

  std::vector<std::string> mismatches;
  for (const auto& line : lines) {
    const auto path = substitute(line.path, values);
    const bool api = path.rfind("/api/", 0) == 0 || path.rfind("/hsds", 0) == 0;
    for (std::size_t c = 0; c < kColumns.size() && c < line.expected.size(); ++c) {
      const auto& column = kColumns[c];
      auto& b = browsers.at(column);
      Reply r;
      if (api) {
        Fields auth;
        if (column != "anon") auth.emplace_back("Authorization", "Bearer " + tokens.at(column));
        r = line.method == "GET" ? http(server.port(), "GET", path, auth)
                                 : http(server.port(), line.method, path,
                                        [&] { auth.emplace_back("Content-Type", "application/json"); return auth; }(),
                                        "{}");
      } else if (line.method == "GET") {
        r = b.get(path);
      } else {
        r = b.post_form(path, {});
        // Signing out ends the session the next lines need: sign in again.
        if (path.rfind("/sign-out", 0) == 0 && column != "anon") b.sign_in(kEmails.at(column), kDemoPassword);
      }
      if (r.status != line.expected[c])
        mismatches.push_back("access_matrix.txt:" + std::to_string(line.number) + " " + line.method + " " + path +
                             " as " + column + ": expected " + std::to_string(line.expected[c]) + ", got " +
                             std::to_string(r.status));
      if (r.status >= 500) mismatches.push_back("  " + r.body.substr(0, 300));
    }
  }
  std::string report;
  for (const auto& m : mismatches) report += m + "\n";
  EXPECT_TRUE(mismatches.empty()) << mismatches.size() << " answers differ from the matrix:\n" << report;
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, AccessMatrix, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return std::string(backend_name(info.param)); });

}  // namespace
}  // namespace bespoke::testing
