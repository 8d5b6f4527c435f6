// Black-box tests of `bespoke serve`: the real program on a free port, on
// SQLite and on PostgreSQL.
#include "http/browser_client.h"
#include "http/server_process.h"
#include "http/test_env.h"
#include "store/feedback_store.h"

#include <gtest/gtest.h>

#include <signal.h>


namespace bespoke::testing {
namespace {

class Serve : public ::testing::TestWithParam<Backend> {};

std::string param_name(const ::testing::TestParamInfo<Backend>& info) { return backend_name(info.param); }

TEST_P(Serve, HealthReadinessAndMetrics) {
  BESPOKE_NEED(fresh_database(GetParam(), db_skip), db);
  ServerProcess server(db);
  const auto health = http(server.port(), "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  const auto ready = http(server.port(), "GET", "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_NE(ready.body.find("\"ready\""), std::string::npos);
  // A request is counted once its response is written: poll.
  Reply metrics;
  EXPECT_TRUE(eventually([&] {
    metrics = http(server.port(), "GET", "/metrics");
    return metrics.body.find("route=\"/readyz\"") != std::string::npos;
  })) << metrics.body;
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("http_requests_total{"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics.body.find("http_open_connections"), std::string::npos);
  EXPECT_NE(metrics.body.find("bespoke_db_connections"), std::string::npos);
}

TEST_P(Serve, HomePageShowsTheTownFigures) {
  BESPOKE_NEED(town_database(GetParam(), db_skip), db);
  ServerProcess server(db, {"--no-migrate"});
  const auto home = http(server.port(), "GET", "/");
  ASSERT_EQ(home.status, 200) << home.body;
  EXPECT_EQ(home.header("content-type"), "text/html; charset=utf-8");
  for (const char* text : {"Residents", "Community-led organisation", "Social enterprise", "Volunteers", "<svg",
                           "deprivation decile", "lang=\"en\"", "govuk-skip-link", "govuk-phase-banner"}) {
    EXPECT_NE(home.body.find(text), std::string::npos) << "missing: " << text;
  }
  // The stylesheet is content-hashed and served with long-lived caching and an ETag.
  const auto css_at = home.body.find("href=\"/static/app-");
  ASSERT_NE(css_at, std::string::npos);
  const std::string css = home.body.substr(css_at + 6, home.body.find('"', css_at + 6) - css_at - 6);
  ASSERT_TRUE(css.ends_with(".css")) << css;
  const auto sheet = http(server.port(), "GET", css);
  EXPECT_EQ(sheet.status, 200);
  EXPECT_NE(sheet.header("cache-control").find("immutable"), std::string::npos);
  const std::string etag = sheet.header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(http(server.port(), "GET", css, {{"If-None-Match", etag}}).status, 304);
}

TEST_P(Serve, EveryResponseCarriesSecurityHeadersAndARequestId) {
  BESPOKE_NEED(fresh_database(GetParam(), db_skip), db);
  ServerProcess server(db);
  for (const char* target : {"/", "/healthz", "/nowhere", "/api/v1/nowhere"}) {
    const auto r = http(server.port(), "GET", target);
    SCOPED_TRACE(target);
    EXPECT_NE(r.header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(r.header("content-security-policy").find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
    EXPECT_FALSE(r.header("referrer-policy").empty());
    EXPECT_FALSE(r.header("x-request-id").empty());
  }
  // One structured access-log line per request, carrying the request id.
  const auto r = http(server.port(), "GET", "/healthz", {{"X-Request-Id", "trace-me-123"}});
  EXPECT_EQ(r.header("x-request-id"), "trace-me-123");
  std::string log;
  ASSERT_TRUE(eventually([&] {
    log = server.log();
    const auto at = log.find("\"request_id\":\"trace-me-123\"");
    return at != std::string::npos && log.find('\n', at) != std::string::npos;
  })) << log;
  const auto at = log.find("\"request_id\":\"trace-me-123\"");
  const auto line = log.substr(log.rfind('\n', at) + 1, log.find('\n', at) - log.rfind('\n', at) - 1);
  for (const char* field : {"\"method\":\"GET\"", "\"route\":\"/healthz\"", "\"status\":200", "\"bytes\":",
                            "\"duration_us\":"}) {
    EXPECT_NE(line.find(field), std::string::npos) << field << " in " << line;
  }
}

TEST_P(Serve, UnknownRoutesAnswerAsProblemJsonUnderApiAndAsAPageElsewhere) {
  BESPOKE_NEED(fresh_database(GetParam(), db_skip), db);
  ServerProcess server(db);
  const auto api = http(server.port(), "GET", "/api/v1/nothing-here");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.header("content-type"), "application/problem+json");
  EXPECT_NE(api.body.find("\"status\":404"), std::string::npos);
  const auto page = http(server.port(), "GET", "/nothing-here");
  EXPECT_EQ(page.status, 404);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("govuk-heading-l"), std::string::npos);
  const auto wrong_method = http(server.port(), "DELETE", "/api/v1/feedback");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.header("allow"), "POST");
  EXPECT_EQ(wrong_method.header("content-type"), "application/problem+json");
}

TEST_P(Serve, FeedbackApiStoresValidFeedbackAndRejectsBadInputWithTheField) {
  BESPOKE_NEED(fresh_database(GetParam(), db_skip), db);
  ServerProcess server(db);
  const std::vector<std::pair<std::string, std::string>> json{{"Content-Type", "application/json"}};
  const auto ok = http(server.port(), "POST", "/api/v1/feedback", json,
                       R"({"satisfaction":"satisfied","comment":"Clear and quick – merci","page":"/"})");
  EXPECT_EQ(ok.status, 201) << ok.body;
  EXPECT_NE(ok.body.find("\"id\":\""), std::string::npos);

  struct Case {
    std::string body;
    int status;
    std::string field;
  };
  const std::vector<Case> cases{
      {R"({"satisfaction":"ecstatic"})", 422, "/satisfaction"},
      {R"({"comment":"no rating"})", 422, "/satisfaction"},
      {R"({"satisfaction":"satisfied","comment":7})", 422, "/comment"},
      {R"({"satisfaction":"satisfied","extra":1})", 422, "/extra"},
      {R"({"satisfaction":"satisfied","comment":")" + std::string(1201, 'x') + "\"}", 422, "/comment"},
      {R"({"satisfaction":"satisfied","page":"https://evil.example/"})", 422, "/page"},
      {R"({"satisfaction":"satisfied","satisfaction":"neither"})", 400, ""},
      {R"({"satisfaction":"satisfied")", 400, ""},
      {"{\"satisfaction\":\"satisfied\",\"comment\":\"\xff\"}", 400, ""},
      {"{\"satisfaction\":\"satisfied\",\"comment\":\"\xed\xa0\x80\"}", 400, ""},
      {std::string(100'000, '['), 400, ""},
      {"[1,2]", 422, "/"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body.substr(0, 80));
    const auto r = http(server.port(), "POST", "/api/v1/feedback", json, c.body);
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    if (!c.field.empty()) {
      EXPECT_NE(r.body.find("\"field\":\"" + c.field + "\""), std::string::npos) << r.body;
    }
  }
  EXPECT_EQ(http(server.port(), "POST", "/api/v1/feedback", {{"Content-Type", "text/plain"}}, "hi").status, 415);
  // The server is still serving, and only the one good answer was stored.
  EXPECT_EQ(http(server.port(), "GET", "/healthz").status, 200);
  EXPECT_EQ(store::count_feedback(*store::open(db)), 1);
}

TEST_P(Serve, FeedbackFormShowsAnErrorSummaryAndRedirectsWhenValid) {
  BESPOKE_NEED(fresh_database(GetParam(), db_skip), db);
  ServerProcess server(db);
  BrowserClient browser(server.port());
  const auto form = browser.get("/feedback?from=/");
  EXPECT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("name=\"satisfaction\""), std::string::npos);
  EXPECT_TRUE(browser.has_cookie("bespoke_anon")) << "the form's CSRF token is bound to an anonymous cookie";
  // Without the token, or from another browser, nothing is stored.
  EXPECT_EQ(browser.post_form("/feedback", {{"satisfaction", "satisfied"}}, false).status, 403);
  BrowserClient stranger(server.port());
  stranger.get("/feedback");
  stranger.set_cookie("bespoke_anon", "x" + stranger.cookie("bespoke_anon").substr(1));
  EXPECT_EQ(stranger.post_form("/feedback", {{"satisfaction", "satisfied"}}).status, 403);
  const auto missing = browser.post_form("/feedback", {{"comment", "hello"}, {"page", "/"}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_NE(missing.body.find("govuk-error-summary"), std::string::npos);
  EXPECT_NE(missing.body.find("href=\"#satisfaction\""), std::string::npos);
  EXPECT_NE(missing.body.find(">hello</textarea>"), std::string::npos) << "the answer is kept";
  const auto escaped = browser.post_form("/feedback", {{"comment", "<script>x</script>"}});
  EXPECT_EQ(escaped.status, 422);
  EXPECT_EQ(escaped.body.find("<script>x</script>"), std::string::npos);
  EXPECT_NE(escaped.body.find("&lt;script&gt;x&lt;/script&gt;"), std::string::npos);
  const auto sent = browser.post_form("/feedback", {{"satisfaction", "very_satisfied"}, {"comment", "Great"}});
  EXPECT_EQ(sent.status, 303);
  EXPECT_EQ(sent.header("location"), "/feedback/thanks");
  EXPECT_EQ(http(server.port(), "GET", "/feedback/thanks").status, 200);
  EXPECT_EQ(store::count_feedback(*store::open(db)), 1);
}

TEST_P(Serve, ShutsDownCleanlyOnSigterm) {
  BESPOKE_NEED(fresh_database(GetParam(), db_skip), db);
  ServerProcess server(db);
  RawConnection idle(server.port());
  ASSERT_TRUE(idle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(idle.read_reply().status, 200);  // now an idle keep-alive connection
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
  EXPECT_TRUE(idle.closed_within(std::chrono::milliseconds(2000)));
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, Serve, ::testing::Values(Backend::sqlite, Backend::postgres), param_name);

}  // namespace
}  // namespace bespoke::testing
