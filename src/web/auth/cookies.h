#pragma once
// The cookies Bespoke sets: the session (bespoke_session) and, for anonymous
// visitors who see a form, the secret their CSRF token is bound to
// (bespoke_anon). Both HttpOnly and SameSite=Lax; Secure when the request came
// over TLS through a proxy we were told to trust.
#include "web/http.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace bespoke::web {

inline constexpr std::string_view kSessionCookie = "bespoke_session";
inline constexpr std::string_view kAnonymousCookie = "bespoke_anon";

// The value of the named cookie in the request's Cookie header(s).
[[nodiscard]] std::optional<std::string_view> cookie_value(const Request& request, std::string_view name);

// A Set-Cookie value. max_age 0 clears the cookie.
[[nodiscard]] std::string set_cookie(std::string_view name, std::string_view value, std::chrono::seconds max_age,
                                     bool secure);

}  // namespace bespoke::web
