// Accounts against the real server: registering and confirming, signing in
// and out, throttling, password reset, personal API tokens, and the answers
// to forged, stale and malformed input. On SQLite and PostgreSQL.
#include "http/browser_client.h"
#include "http/server_process.h"
#include "http/test_env.h"
#include "store/database.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>

namespace bespoke::testing {
namespace {

// The newest link to `path` in the demo outbox for this address.
std::string mailed_link(BrowserClient& b, const std::string& to, const std::string& path) {
  const auto outbox = b.get("/demo/outbox").body;
  const auto mail = outbox.find("To " + to);
  if (mail == std::string::npos) return {};
  const auto at = outbox.find("href=\"" + path, mail);
  if (at == std::string::npos) return {};
  const auto start = at + 6;
  std::string link = outbox.substr(start, outbox.find('"', start) - start);
  for (auto amp = link.find("&amp;"); amp != std::string::npos; amp = link.find("&amp;")) link.replace(amp, 5, "&");
  return link;
}

class Accounts : public ::testing::TestWithParam<Backend> {};

TEST_P(Accounts, RegisterConfirmSignInAndOut) {
  BESPOKE_NEED(fresh_database(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient b(server.port());
  ASSERT_EQ(b.get("/register").status, 200);

  // Bad input: each field's own error, nothing stored.
  const auto bad = b.post_form("/register", {{"name", ""}, {"email", "not-an-email"}, {"password", "short"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("href=\"#name\""), std::string::npos);
  EXPECT_NE(bad.body.find("href=\"#email\""), std::string::npos);
  EXPECT_NE(bad.body.find("href=\"#password\""), std::string::npos);
  const auto common = b.post_form("/register", {{"name", "Ann"}, {"email", "ann@example.org"}, {"password", "password1234"}});
  EXPECT_EQ(common.status, 422);
  EXPECT_NE(common.body.find("too common"), std::string::npos);

  const auto made = b.post_form("/register", {{"name", "Ann Example"}, {"email", " Ann@Example.org "},
                                               {"password", "correct horse battery"}});
  EXPECT_EQ(made.status, 200);
  EXPECT_NE(made.body.find("Check your email"), std::string::npos);
  // The same answer for an address that already has an account; the owner is told by mail.
  const auto again = b.post_form("/register", {{"name", "Someone"}, {"email", "ann@example.org"},
                                                {"password", "another long passphrase"}});
  EXPECT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("Check your email"), std::string::npos);
  EXPECT_NE(b.get("/demo/outbox").body.find("Someone tried to create a Bespoke account"), std::string::npos);

  // Not confirmed yet: the right password is not enough.
  b.get("/sign-in");
  const auto early = b.post_form("/sign-in", {{"email", "ann@example.org"}, {"password", "correct horse battery"}});
  EXPECT_EQ(early.status, 422);
  EXPECT_NE(early.body.find("Confirm your email address first"), std::string::npos);

  const auto link = mailed_link(b, "ann@example.org", "/verify-email?token=");
  ASSERT_FALSE(link.empty());
  EXPECT_EQ(b.get(link).status, 200);
  EXPECT_EQ(b.get(link).status, 400) << "a confirmation link works once";

  ASSERT_TRUE(b.sign_in("ANN@example.org", "correct horse battery"));
  const auto account = b.get("/account");
  EXPECT_EQ(account.status, 200);
  EXPECT_NE(account.body.find("Ann Example"), std::string::npos);
  EXPECT_NE(account.body.find("Resident"), std::string::npos);
  const auto session = b.cookie("bespoke_session");

  EXPECT_EQ(b.post_form("/sign-out", {}).status, 200);
  EXPECT_FALSE(b.has_cookie("bespoke_session"));
  // The old cookie no longer works: it is cleared and the page asks to sign in.
  b.set_cookie("bespoke_session", session);
  const auto after = b.get("/account");
  EXPECT_EQ(after.status, 303);
  EXPECT_EQ(after.header("location").rfind("/sign-in?next=", 0), 0u);
  EXPECT_FALSE(b.has_cookie("bespoke_session"));
}

TEST_P(Accounts, SignInTellsNothingAboutWhichEmailsExistAndThrottles) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient b(server.port());
  b.get("/sign-in");
  const auto unknown = b.post_form("/sign-in", {{"email", "nobody@demo.invalid"}, {"password", "whatever it is"}});
  const auto wrong = b.post_form("/sign-in", {{"email", "resident1@demo.invalid"}, {"password", "whatever it is"}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(wrong.status, 422);
  const auto message = [](const std::string& html) {
    const auto at = html.find("govuk-error-summary__list");
    return html.substr(at, html.find("</ul>", at) - at);
  };
  EXPECT_EQ(message(unknown.body), message(wrong.body));

  // Five failures for a name are free; then each attempt must wait, whatever the password.
  for (int i = 0; i < 4; ++i) b.post_form("/sign-in", {{"email", "resident1@demo.invalid"}, {"password", "wrong again"}});
  const auto throttled = b.post_form("/sign-in", {{"email", "resident1@demo.invalid"}, {"password", kDemoPassword}});
  EXPECT_EQ(throttled.status, 429);
  EXPECT_FALSE(throttled.header("retry-after").empty());
  EXPECT_NE(throttled.body.find("Too many attempts"), std::string::npos);
  EXPECT_FALSE(b.has_cookie("bespoke_session"));
  // The same for an address nobody has: throttling does not reveal accounts either.
  for (int i = 0; i < 5; ++i) b.post_form("/sign-in", {{"email", "ghost@demo.invalid"}, {"password", "nope nope nope"}});
  EXPECT_EQ(b.post_form("/sign-in", {{"email", "ghost@demo.invalid"}, {"password", "nope"}}).status, 429);
  // Another account from the same address still signs in.
  BrowserClient other(server.port());
  EXPECT_TRUE(other.sign_in("resident2@demo.invalid", kDemoPassword));
}

TEST_P(Accounts, DemoAccountsSignInOnlyInDemoMode) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  {
    ServerProcess server(db);
    BrowserClient b(server.port());
    b.get("/sign-in");
    const auto r = b.post_form("/sign-in", {{"email", "admin1@demo.invalid"}, {"password", kDemoPassword}});
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("only while the server runs with --demo"), std::string::npos);
    EXPECT_EQ(b.get("/demo/outbox").status, 404) << "the outbox exists only in demo mode";
  }
  ServerProcess demo(db, {"--demo"});
  BrowserClient b(demo.port());
  EXPECT_TRUE(b.sign_in("admin1@demo.invalid", kDemoPassword));
}

TEST_P(Accounts, FormsNeedTheirOwnSessionsCsrfToken) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient b(server.port());
  b.get("/sign-in");
  const auto anonymous_token = b.csrf_token();
  EXPECT_EQ(b.post_form("/sign-in", {{"email", "resident1@demo.invalid"}, {"password", kDemoPassword}}, false).status,
            403) << "no token";
  ASSERT_TRUE(b.sign_in("resident1@demo.invalid", kDemoPassword));
  EXPECT_NE(b.csrf_token(), anonymous_token) << "signing in changes the token";
  // A token from before sign-in is stale now.
  const auto stale = http(server.port(), "POST", "/account/tokens",
                          {{"Content-Type", "application/x-www-form-urlencoded"},
                           {"Cookie", "bespoke_session=" + b.cookie("bespoke_session")}},
                          "name=x&scope=use_own_account&csrf_token=" + anonymous_token);
  EXPECT_EQ(stale.status, 403);
  EXPECT_NE(stale.body.find("This form has expired"), std::string::npos);
  // Forged session cookies are strangers, and get their cookie cleared.
  for (const std::string& forged : std::vector<std::string>{"x", std::string(43, 'A'), "../../etc/passwd", b.cookie("bespoke_session") + "A"}) {
    const auto r = http(server.port(), "GET", "/account", {{"Cookie", "bespoke_session=" + forged}});
    EXPECT_EQ(r.status, 303) << forged;
    EXPECT_NE(r.header("set-cookie").find("Max-Age=0"), std::string::npos) << forged;
  }
  // Cookies never work on the API.
  EXPECT_EQ(http(server.port(), "GET", "/api/v1/me", {{"Cookie", "bespoke_session=" + b.cookie("bespoke_session")}}).status,
            401);
}

TEST_P(Accounts, SessionCookieIsHttpOnlyLaxAndSecureOnlyBehindATrustedTlsProxy) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo", "--trust-proxy"});
  for (const bool tls : {false, true}) {
    BrowserClient b(server.port());
    b.get("/sign-in");
    Fields headers;
    auto r = http(server.port(), "POST", "/sign-in",
                  {{"Content-Type", "application/x-www-form-urlencoded"},
                   {"Cookie", "bespoke_anon=" + b.cookie("bespoke_anon")},
                   {"X-Forwarded-Proto", tls ? "https" : "http"}},
                  form_encode({{"email", "resident1@demo.invalid"}, {"password", kDemoPassword},
                               {"csrf_token", b.csrf_token()}}));
    ASSERT_EQ(r.status, 303);
    const auto cookie = r.header("set-cookie");
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
    EXPECT_EQ(cookie.find("Secure") != std::string::npos, tls);
  }
}

TEST_P(Accounts, PasswordResetWorksOnceAndEndsEverySession) {
  BESPOKE_NEED(fresh_database(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient b(server.port());
  b.get("/register");
  b.post_form("/register", {{"name", "Bo"}, {"email", "bo@example.org"}, {"password", "first long passphrase"}});
  b.get(mailed_link(b, "bo@example.org", "/verify-email?token="));
  BrowserClient laptop(server.port());
  ASSERT_TRUE(laptop.sign_in("bo@example.org", "first long passphrase"));

  b.get("/reset-password");
  const auto asked = b.post_form("/reset-password", {{"email", "bo@example.org"}});
  const auto unknown = b.post_form("/reset-password", {{"email", "nobody@example.org"}});
  EXPECT_EQ(asked.status, 200);
  EXPECT_EQ(unknown.status, 200);
  const auto link = mailed_link(b, "bo@example.org", "/reset-password/new?token=");
  ASSERT_FALSE(link.empty());
  EXPECT_EQ(b.get(link).status, 200);
  const auto token = link.substr(link.find("token=") + 6);
  EXPECT_EQ(b.post_form("/reset-password/new", {{"token", token}, {"password", "password1234"}}).status, 422);
  EXPECT_EQ(b.post_form("/reset-password/new", {{"token", token}, {"password", "second long passphrase"}}).status, 200);
  EXPECT_EQ(b.post_form("/reset-password/new", {{"token", token}, {"password", "third long passphrase"}}).status, 400)
      << "a reset link works once";
  EXPECT_EQ(laptop.get("/account").status, 303) << "every session ended";
  EXPECT_FALSE(b.sign_in("bo@example.org", "first long passphrase"));
  EXPECT_TRUE(b.sign_in("bo@example.org", "second long passphrase"));
}

TEST_P(Accounts, SignOutEverywhereEndsEverySession) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient phone(server.port()), laptop(server.port());
  ASSERT_TRUE(phone.sign_in("volunteer1@demo.invalid", kDemoPassword));
  ASSERT_TRUE(laptop.sign_in("volunteer1@demo.invalid", kDemoPassword));
  EXPECT_EQ(phone.post_form("/sign-out/everywhere", {}).status, 200);
  EXPECT_EQ(laptop.get("/account").status, 303);
  EXPECT_EQ(phone.get("/account").status, 303);
}

TEST_P(Accounts, ApiTokensAreScopedAndRevocable) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient b(server.port());
  ASSERT_TRUE(b.sign_in("coordinator1@demo.invalid", kDemoPassword));
  b.get("/account/tokens");
  EXPECT_EQ(b.post_form("/account/tokens", {{"name", "x"}, {"scope", "manage_accounts"}}).status, 422)
      << "a scope the account cannot hold";
  const auto made = b.post_form("/account/tokens", {{"name", "reports"}, {"scope", "read_resident_record"}});
  ASSERT_EQ(made.status, 201);
  const auto token = made.body.substr(made.body.find("bsp_"), 47);
  const Fields bearer{{"Authorization", "Bearer " + token}};
  EXPECT_EQ(http(server.port(), "GET", "/api/v1/me", bearer).status, 403) << "not given the use_own_account scope";
  EXPECT_EQ(http(server.port(), "GET", "/api/v1/services?q=advice", bearer).status, 200);

  const auto full = b.post_form("/account/tokens", {{"name", "me"}, {"scope", "use_own_account"}});
  const auto token2 = full.body.substr(full.body.find("bsp_"), 47);
  const auto me = http(server.port(), "GET", "/api/v1/me", {{"Authorization", "Bearer " + token2}});
  ASSERT_EQ(me.status, 200);
  const auto json = boost::json::parse(me.body);
  EXPECT_EQ(json.at("email"), "coordinator1@demo.invalid");
  EXPECT_EQ(json.at("roles").as_array().at(0).at("role"), "coordinator");
  // No token in the database is stored as itself.
  auto conn = store::open(db);
  EXPECT_TRUE(conn->query("SELECT 1 FROM api_token WHERE token_hash = '" + token2 + "'").empty());

  const auto page = b.get("/account/tokens").body;
  const auto form = page.find("/revoke\"");
  const auto id_start = page.rfind("/account/tokens/", form) + 16;
  const auto id = page.substr(id_start, form - id_start);
  EXPECT_EQ(b.post_form("/account/tokens/" + id + "/revoke", {}).status, 303);
  const auto revoked = http(server.port(), "GET", "/api/v1/me", {{"Authorization", "Bearer " + token2}});
  const auto revoked1 = http(server.port(), "GET", "/api/v1/me", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(revoked.status == 401 || revoked1.status == 401, true) << "the newest token was revoked";
  for (const std::string& bad : std::vector<std::string>{"Bearer", "Bearer bsp_short", "Basic abc", "Bearer " + std::string(47, 'x')}) {
    const auto r = http(server.port(), "GET", "/api/v1/services", {{"Authorization", bad}});
    EXPECT_EQ(r.status, 401) << bad;
    EXPECT_NE(r.header("www-authenticate").find("Bearer"), std::string::npos);
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
  }
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, Accounts, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return std::string(backend_name(info.param)); });

}  // namespace
}  // namespace bespoke::testing
