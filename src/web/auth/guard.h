#pragma once
// Wraps every route's handler (web::Router does it at add()): resolves the
// caller, applies the policy's route-level rule for the route's action, checks
// the CSRF token of every form post, and hands the caller to the handler
// through RequestContext::caller().
//
//   pages        the session cookie; a form post without the right csrf_token
//                field is refused (403) before the handler runs.
//   /api/, /hsds/ never cookies: "Authorization: Bearer bsp_..." only, and the
//                token's scopes must name the route's action; a bad token is 401.
//
// Routes that run on the I/O thread (static files, health, metrics) must be
// read_public: they are not wrapped, so nothing there may depend on who asks.
#include "web/router.h"

#include <string>

namespace bespoke::web {

class Authenticator;
class ErrorPages;

class Guard {
 public:
  Guard(const Authenticator& auth, const ErrorPages& errors) : auth_(auth), errors_(errors) {}

  // Throws std::logic_error for an I/O-thread route whose action is not read_public.
  [[nodiscard]] Handler wrap(const std::string& method, const std::string& pattern, policy::Action action,
                             Handler handler, const RouteOptions& options) const;

  // Is this path served to programs (token, no cookies) rather than browsers?
  [[nodiscard]] static bool is_api_path(std::string_view pattern) noexcept;

 private:
  const Authenticator& auth_;
  const ErrorPages& errors_;
};

}  // namespace bespoke::web
