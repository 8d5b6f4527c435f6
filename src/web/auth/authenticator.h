#pragma once
// Sessions and API tokens: who a request comes from, signing in and out.
// Orchestrates src/accounts (rules, hashing) and store/accounts_store (rows);
// the routes in routes_account.cpp call it, the Guard resolves callers with it.
#include "accounts/passwords.h"
#include "accounts/sign_in_rules.h"
#include "core/time.h"
#include "store/database.h"
#include "web/auth/caller.h"
#include "web/http.h"

#include <chrono>
#include <string>
#include <vector>

namespace bespoke::web {

struct AuthOptions {
  bool demo = false;         // `serve --demo`: the demo town's ready accounts may sign in
  bool trust_proxy = false;  // `serve --trust-proxy`: X-Forwarded-Proto: https makes cookies Secure
  std::string public_url = "http://127.0.0.1:8080";  // for links in mail; never taken from the Host header
  int closed_account_days = 30;  // told to a person closing their account (the retention period)
  accounts::SessionLimits session;
  accounts::ThrottleRules throttle;
};

class Authenticator {
 public:
  Authenticator(AuthOptions options, const core::TimeSource& clock);

  [[nodiscard]] const AuthOptions& options() const noexcept { return options_; }
  [[nodiscard]] core::Timestamp now() const { return clock_.now(); }
  // Did the request reach us over TLS (as far as we may believe)?
  [[nodiscard]] bool secure(const Request& request) const;

  // Pages: the caller from the session cookie. A cookie naming no live session
  // (expired, signed out, forged) is answered by clearing it (set_cookies).
  void resolve_session(const Request& request, store::Connection& db, Caller& caller,
                       std::vector<std::string>& set_cookies) const;

  // The API: the caller from "Authorization: Bearer <token>". False when a token
  // is given but is not a live token (the request then gets 401, whatever it is).
  [[nodiscard]] bool resolve_token(const Request& request, store::Connection& db, Caller& caller) const;

  struct SignIn {
    enum class Outcome { signed_in, wrong, throttled, demo_only, unverified } outcome = Outcome::wrong;
    std::chrono::seconds wait{0};  // throttled: how long until the next attempt
    std::string set_cookie;        // signed_in: the new session's cookie
  };
  // Checks throttling for the name and the client address first, then the
  // password (against a decoy hash when the email is unknown, so the answer
  // and its timing are the same). A success starts a new session and ends the
  // one the request came with, if any.
  [[nodiscard]] SignIn sign_in(store::Connection& db, std::string_view email, std::string_view password,
                               const Request& request, const Caller& previous) const;

  // Ends this session (everywhere = every session of the account). Returns the
  // Set-Cookie value that clears the cookie.
  std::string sign_out(store::Connection& db, const Caller& caller, bool everywhere) const;

  // Fills caller's account fields and roles from the account row.
  static void describe(store::Connection& db, const store::AccountRecord& account, Caller& caller);

 private:
  AuthOptions options_;
  const core::TimeSource& clock_;
  std::string decoy_hash_;
};

// The client address as throttling counts it: IPv4 as is, IPv6 by its /64.
[[nodiscard]] std::string throttle_address(std::string_view remote_address);

}  // namespace bespoke::web
