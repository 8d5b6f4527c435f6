#include "web/security_headers.h"

#include <array>

namespace bespoke::web {
namespace {

// No inline script or style anywhere in our pages, so CSP can forbid both;
// frame-ancestors 'none' and X-Frame-Options DENY together stop clickjacking in
// old and new browsers alike.
constexpr std::array<HeaderView, 5> kHeaders{{
    {"content-security-policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
     "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
    {"x-content-type-options", "nosniff"},
    {"referrer-policy", "no-referrer"},
    {"x-frame-options", "DENY"},
    {"cross-origin-opener-policy", "same-origin"},
}};

}  // namespace

std::span<const HeaderView> security_headers() noexcept { return kHeaders; }

bool is_open_data_path(std::string_view path) noexcept {
  constexpr std::string_view prefixes[] = {"/api/v1/services", "/api/v1/organisations", "/api/v1/openapi.json"};
  if (path == "/hsds" || path.starts_with("/hsds/")) return true;
  for (const auto prefix : prefixes) {
    if (path == prefix || (path.starts_with(prefix) && path[prefix.size()] == '/')) return true;
  }
  return false;
}

}  // namespace bespoke::web
