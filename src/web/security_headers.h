#pragma once
// The security headers every response carries (OWASP ASVS 5.0 V3.4), kept in one
// table so that a test can check them and a reviewer can read them in one place.
#include <span>
#include <string_view>
#include <utility>

namespace bespoke::web {

using HeaderView = std::pair<std::string_view, std::string_view>;  // lower-case name, value

// Added to every response; a handler's header of the same name wins.
[[nodiscard]] std::span<const HeaderView> security_headers() noexcept;

// Added unless the handler set its own Cache-Control: responses may carry
// personal data, so by default nothing is stored (ASVS 14.3.2).
inline constexpr HeaderView default_cache_control{"cache-control", "no-store"};

// The open data APIs (the HSDS feed under /hsds, the directory search under
// /api/v1) are read by other sites' scripts: their responses, errors
// included, say so (Open Referral UK requires it). Nothing else does.
inline constexpr HeaderView open_data_cors{"access-control-allow-origin", "*"};
[[nodiscard]] bool is_open_data_path(std::string_view path) noexcept;

}  // namespace bespoke::web
