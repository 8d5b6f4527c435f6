#include "web/auth/cookies.h"

#include "core/text.h"

namespace bespoke::web {

std::optional<std::string_view> cookie_value(const Request& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (header != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto end = rest.find(';');
      const auto pair = core::trim(rest.substr(0, end));
      const auto eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        auto v = pair.substr(eq + 1);
        if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
        return v;
      }
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
  }
  return std::nullopt;
}

std::string set_cookie(std::string_view name, std::string_view value, std::chrono::seconds max_age, bool secure) {
  std::string out(name);
  out += '=';
  out += value;
  out += "; Path=/; Max-Age=" + std::to_string(max_age.count()) + "; HttpOnly; SameSite=Lax";
  if (secure) out += "; Secure";
  return out;
}

}  // namespace bespoke::web
