#include "accounts/sign_in_rules.h"

#include "core/text.h"
#include "core/utf8.h"

#include <algorithm>

namespace bespoke::accounts {

SessionState session_state(core::Timestamp created, core::Timestamp last_seen, core::Timestamp now,
                           const SessionLimits& limits) noexcept {
  if (now - created >= limits.absolute) return SessionState::absolute_expired;
  if (now - last_seen >= limits.idle) return SessionState::idle_expired;
  return SessionState::live;
}

bool session_needs_touch(core::Timestamp last_seen, core::Timestamp now, const SessionLimits& limits) noexcept {
  return now - last_seen >= limits.touch_every;
}

std::chrono::seconds throttle_delay(int failures, int free_failures, const ThrottleRules& rules) noexcept {
  if (failures < free_failures) return 0s;
  const int doublings = std::min(failures - free_failures, 30);
  const auto delay = rules.first_delay * (std::int64_t{1} << doublings);
  return std::min<std::chrono::seconds>(delay, rules.max_delay);
}

core::Result<std::string> normalise_email(std::string_view email, std::string_view field) {
  const std::string f(field);
  const auto trimmed = core::trim(email);
  if (trimmed.empty()) return core::Error::invalid(f, "Enter your email address");
  if (trimmed.size() > kMaxEmailBytes || !core::is_valid_utf8(trimmed) || !core::is_email(trimmed))
    return core::Error::invalid(f, "Enter an email address in the correct format, like name@example.com");
  std::string out(trimmed);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace bespoke::accounts
