#include "web/auth/guard.h"

#include "accounts/tokens.h"
#include "core/text.h"
#include "web/auth/authenticator.h"
#include "web/auth/caller.h"
#include "web/auth/cookies.h"
#include "web/errors.h"

#include <stdexcept>

namespace bespoke::web {
namespace {

using namespace std::chrono_literals;
constexpr auto kAnonymousCookieAge = std::chrono::seconds(2h);

// The handler sees the worker's connection and the resolved caller.
class CallerContext final : public RequestContext {
 public:
  explicit CallerContext(RequestContext& inner) : inner_(inner) {}
  store::Connection& db() override { return inner_.db(); }
  void connection_failed() noexcept override { inner_.connection_failed(); }
  [[nodiscard]] const Caller& caller() const override { return caller_; }
  Caller& mutable_caller() noexcept { return caller_; }

 private:
  RequestContext& inner_;
  Caller caller_;
};

bool changes_state(std::string_view method) noexcept { return method != "GET" && method != "HEAD"; }

bool is_form(const Request& request) {
  const auto ct = request.header("content-type");
  return ct && core::iequals_ascii(core::trim(ct->substr(0, ct->find(';'))), "application/x-www-form-urlencoded");
}

// The csrf_token field of a form post, if there is one.
std::string posted_csrf_token(const Request& request) {
  if (!is_form(request)) return {};
  const auto fields = parse_form(request.body);
  if (!fields) return {};
  for (const auto& [name, value] : *fields)
    if (name == "csrf_token") return value;
  return {};
}

Response api_denial(policy::Decision decision, bool bad_token) {
  if (decision == policy::Decision::sign_in_required || bad_token) {
    Response r = Response::problem(
        401, "Unauthorized",
        bad_token ? "The API token is not valid: it is unknown, revoked or expired."
                  : "Send a personal API token in the Authorization header (Bearer). Create one at /account/tokens.");
    r.set_header("www-authenticate", bad_token ? R"(Bearer realm="bespoke", error="invalid_token")"
                                               : R"(Bearer realm="bespoke")");
    return r;
  }
  if (decision == policy::Decision::not_found) return Response::problem(404, "Not Found", "There is nothing here.");
  return Response::problem(403, "Forbidden", "Your account or token may not do this.");
}

}  // namespace

bool Guard::is_api_path(std::string_view pattern) noexcept {
  return pattern.starts_with("/api/") || pattern.starts_with("/hsds/") || pattern == "/hsds";
}

Handler Guard::wrap(const std::string& method, const std::string& pattern, policy::Action action, Handler handler,
                    const RouteOptions& options) const {
  if (options.inline_handler) {
    if (action != policy::Action::read_public)
      throw std::logic_error("route " + method + " " + pattern + " runs on the I/O thread but is not read_public");
    return handler;
  }
  const bool api = is_api_path(pattern);
  const bool check_csrf = !api && changes_state(method);
  return [this, action, api, check_csrf, inner = std::move(handler)](const Request& request,
                                                                       RequestContext& context) -> Response {
    CallerContext ctx(context);
    Caller& caller = ctx.mutable_caller();
    std::vector<std::string> set_cookies;
    if (api) {
      if (!auth_.resolve_token(request, ctx.db(), caller)) return api_denial(policy::Decision::forbidden, true);
    } else if (cookie_value(request, kSessionCookie)) {
      auth_.resolve_session(request, ctx.db(), caller, set_cookies);
    }

    // Anonymous visitors' forms are bound to a random cookie, set only if a page used it.
    std::string new_anonymous_secret;
    if (!api && !caller.signed_in()) {
      const auto secret = cookie_value(request, kAnonymousCookie);
      if (secret && accounts::looks_like_token(*secret)) {
        caller.csrf_token = accounts::csrf_token_for(*secret);
      } else {
        new_anonymous_secret = accounts::new_token().token;
        caller.csrf_token = accounts::csrf_token_for(new_anonymous_secret);
      }
    }

    auto decision = policy::may_attempt(caller.subject, action);
    if (decision == policy::Decision::allow && caller.via == Caller::Via::api_token &&
        action != policy::Action::read_public && action != policy::Action::submit_public &&
        !caller.has_scope(policy::action_name(action)))
      decision = policy::Decision::forbidden;  // the token was not given this scope
    if (decision != policy::Decision::allow) {
      if (api) return api_denial(decision, false);
      Response r;
      if (decision == policy::Decision::sign_in_required) {
        r = Response::html(303, "");
        const auto next = request.method == "GET" ? request.target : std::string("/");
        r.set_header("location", "/sign-in?next=" + percent_encode(next));
      } else if (decision == policy::Decision::not_found) {
        r = errors_.respond(request, caller, 404, "Page not found", "If you typed the web address, check it is correct.");
      } else {
        r = errors_.respond(request, caller, 403, "You cannot see this page",
                            "Your account does not have permission to see this page.");
      }
      for (auto& c : set_cookies) r.add_header("set-cookie", std::move(c));
      return r;
    }

    if (check_csrf) {
      const auto sent = posted_csrf_token(request);
      if (sent.empty() || new_anonymous_secret.size() > 0 ||
          !accounts::equal_in_constant_time(sent, caller.csrf_token)) {
        Response r = errors_.respond(request, caller, 403, "This form has expired",
                                     "Go back, reload the page and try again. Nothing was changed.");
        for (auto& c : set_cookies) r.add_header("set-cookie", std::move(c));
        return r;
      }
    }

    Response response = inner(request, ctx);
    for (auto& c : set_cookies) response.add_header("set-cookie", std::move(c));
    if (!new_anonymous_secret.empty() && response.body.find(caller.csrf_token) != std::string::npos)
      response.add_header("set-cookie",
                          set_cookie(kAnonymousCookie, new_anonymous_secret, kAnonymousCookieAge, auth_.secure(request)));
    return response;
  };
}

}  // namespace bespoke::web
