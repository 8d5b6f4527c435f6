#include "web/auth/authenticator.h"

#include "accounts/tokens.h"
#include "core/text.h"
#include "core/utf8.h"
#include "store/accounts_store.h"
#include "web/auth/cookies.h"
#include "web/server/state.h"

#include <boost/asio/ip/address.hpp>

#include <algorithm>

namespace bespoke::web {
namespace {

constexpr std::string_view kBearer = "Bearer ";
constexpr std::string_view kApiTokenPrefix = "bsp_";

std::string name_key(std::string_view normalised_email) { return "name:" + accounts::token_hash(normalised_email); }
std::string address_key_of(const Request& request) { return "address:" + throttle_address(request.remote_address); }

// Seconds to wait before another attempt under this key, or 0.
std::chrono::seconds wait_for(store::Connection& db, const std::string& key, int free_failures,
                              const accounts::ThrottleRules& rules, core::Timestamp now) {
  const auto count = store::read_failures(db, key);
  if (!count || now - count->last_failure_at >= rules.forget_after) return std::chrono::seconds(0);
  const auto delay = accounts::throttle_delay(count->failures, free_failures, rules);
  const auto ready = count->last_failure_at + delay;
  return ready > now ? std::chrono::duration_cast<std::chrono::seconds>(ready - now) : std::chrono::seconds(0);
}

}  // namespace

const Caller& Caller::anonymous() {
  static const Caller nobody;
  return nobody;
}

bool Caller::has_scope(std::string_view scope) const {
  const std::string padded = " " + token_scopes + " ";
  return padded.find(" " + std::string(scope) + " ") != std::string::npos;
}

std::string throttle_address(std::string_view remote_address) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(remote_address), ec);
  return ec ? std::string(remote_address) : detail::address_key(address).to_string();
}

Authenticator::Authenticator(AuthOptions options, const core::TimeSource& clock)
    : options_(std::move(options)), clock_(clock), decoy_hash_(accounts::hash_password(accounts::new_token().token)) {}

bool Authenticator::secure(const Request& request) const {
  if (!options_.trust_proxy) return false;
  const auto proto = request.header("x-forwarded-proto");
  return proto && core::iequals_ascii(core::trim(*proto), "https");
}

void Authenticator::describe(store::Connection& db, const store::AccountRecord& account, Caller& caller) {
  caller.subject.account_id = account.id;
  caller.subject.resident_id = account.resident_id;
  caller.account_public_id = account.public_id;
  caller.email = account.email;
  caller.display_name = account.display_name;
  caller.demo_account = account.demo;
  caller.grants = store::account_roles(db, account.id);
  for (const auto& grant : caller.grants) {
    caller.subject.roles.add(grant.role);
    if (accounts::is_organisation_role(grant.role) && !grant.organisation_id.empty())
      caller.subject.organisations.push_back(grant.organisation_id);
  }
}

void Authenticator::resolve_session(const Request& request, store::Connection& db, Caller& caller,
                                    std::vector<std::string>& set_cookies) const {
  const auto token = cookie_value(request, kSessionCookie);
  if (!token) return;
  const auto forget = [&] { set_cookies.push_back(set_cookie(kSessionCookie, "", std::chrono::seconds(0), secure(request))); };
  if (!accounts::looks_like_token(*token)) return forget();
  const auto hash = accounts::token_hash(*token);
  const auto session = store::find_session(db, hash);
  if (!session) return forget();
  const auto now = clock_.now();
  if (accounts::session_state(session->created_at, session->last_seen_at, now, options_.session) !=
      accounts::SessionState::live) {
    store::delete_session(db, hash);
    return forget();
  }
  const auto account = store::find_account(db, session->account_id);
  if (!account || account->disabled || (account->demo && !options_.demo)) {
    store::delete_session(db, hash);
    return forget();
  }
  if (accounts::session_needs_touch(session->last_seen_at, now, options_.session)) store::touch_session(db, session->id, now);
  describe(db, *account, caller);
  caller.via = Caller::Via::session;
  caller.session_token_hash = hash;
  caller.csrf_token = accounts::csrf_token_for(*token);
}

bool Authenticator::resolve_token(const Request& request, store::Connection& db, Caller& caller) const {
  const auto header = request.header("authorization");
  if (!header) return true;  // anonymous
  const auto value = core::trim(*header);
  if (value.size() <= kBearer.size() || !core::iequals_ascii(value.substr(0, kBearer.size()), kBearer)) return false;
  const auto token = core::trim(value.substr(kBearer.size()));
  if (!accounts::looks_like_token(token, kApiTokenPrefix)) return false;
  const auto record = store::find_api_token(db, accounts::token_hash(token));
  if (!record || record->revoked_at) return false;
  const auto now = clock_.now();
  if (record->expires_at) {
    const auto expires = core::parse_iso8601(*record->expires_at);
    if (!expires || *expires <= now) return false;
  }
  const auto account = store::find_account(db, record->account_id);
  if (!account || account->disabled || (account->demo && !options_.demo)) return false;
  const auto last_used = record->last_used_at ? core::parse_iso8601(*record->last_used_at) : std::nullopt;
  if (!last_used || accounts::session_needs_touch(*last_used, now, options_.session))
    store::touch_api_token(db, record->id, now);
  describe(db, *account, caller);
  caller.via = Caller::Via::api_token;
  caller.token_scopes = record->scopes;
  return true;
}

Authenticator::SignIn Authenticator::sign_in(store::Connection& db, std::string_view email, std::string_view password,
                                             const Request& request, const Caller& previous) const {
  SignIn result;
  const auto now = clock_.now();
  const auto& rules = options_.throttle;
  const std::string by_name = name_key(email);
  const std::string by_address = address_key_of(request);
  const auto wait = std::max(wait_for(db, by_name, rules.free_per_name, rules, now),
                             wait_for(db, by_address, rules.free_per_address, rules, now));
  if (wait.count() > 0) {
    result.outcome = SignIn::Outcome::throttled;
    result.wait = wait;
    return result;
  }
  const auto account = store::find_account_by_email(db, email);
  // Always one argon2id verification, so an unknown email takes as long as a known one.
  const bool password_ok = accounts::verify_password(account ? account->password_hash : decoy_hash_, password);
  if (!account || !password_ok || account->disabled) {
    store::record_failure(db, by_name, now);
    store::record_failure(db, by_address, now);
    result.outcome = SignIn::Outcome::wrong;
    return result;
  }
  store::clear_failures(db, by_name);
  if (account->demo && !options_.demo) {
    result.outcome = SignIn::Outcome::demo_only;
    return result;
  }
  if (!account->email_verified) {
    result.outcome = SignIn::Outcome::unverified;
    return result;
  }
  if (accounts::password_needs_rehash(account->password_hash))
    store::set_password_hash(db, account->id, accounts::hash_password(password));
  // A new token at every sign-in: a session id planted before sign-in is worthless.
  if (!previous.session_token_hash.empty()) store::delete_session(db, previous.session_token_hash);
  const auto token = accounts::new_token();
  const auto user_agent = core::printable_prefix(request.header("user-agent").value_or(""), 200);
  store::create_session(db, account->id, token.hash, now, throttle_address(request.remote_address), user_agent);
  result.outcome = SignIn::Outcome::signed_in;
  result.set_cookie = set_cookie(kSessionCookie, token.token, options_.session.absolute, secure(request));
  return result;
}

std::string Authenticator::sign_out(store::Connection& db, const Caller& caller, bool everywhere) const {
  if (everywhere && caller.signed_in()) {
    store::delete_sessions_of(db, caller.subject.account_id);
  } else if (!caller.session_token_hash.empty()) {
    store::delete_session(db, caller.session_token_hash);
  }
  return set_cookie(kSessionCookie, "", std::chrono::seconds(0), false);
}

}  // namespace bespoke::web
