#pragma once
// The rules of signing in, as pure functions of times and counts: session
// lifetimes, throttling of failed attempts, and sign-in names (emails).
#include "core/error.h"
#include "core/time.h"

#include <chrono>
#include <string>
#include <string_view>

namespace bespoke::accounts {

using namespace std::chrono_literals;

struct SessionLimits {
  std::chrono::seconds idle = 30min;      // since the last request
  std::chrono::seconds absolute = 12h;    // since sign-in, however busy
  std::chrono::seconds touch_every = 60s; // last-seen is written at most this often
};

enum class SessionState { live, idle_expired, absolute_expired };

[[nodiscard]] SessionState session_state(core::Timestamp created, core::Timestamp last_seen, core::Timestamp now,
                                         const SessionLimits& limits) noexcept;

// When the session's last-seen time is worth writing again.
[[nodiscard]] bool session_needs_touch(core::Timestamp last_seen, core::Timestamp now,
                                       const SessionLimits& limits) noexcept;

// Failed sign-ins are counted per account name and per client address. After
// the free ones, each further attempt must wait a delay that doubles with every
// failure, up to a ceiling; a success clears the name's count.
struct ThrottleRules {
  int free_per_name = 5;
  int free_per_address = 20;  // a shared address (a library, an office) has many honest people
  std::chrono::seconds first_delay = 2s;
  std::chrono::seconds max_delay = 15min;
  std::chrono::seconds forget_after = 24h;  // failures older than this no longer count
};

// How long after the last failure the next attempt may be made.
[[nodiscard]] std::chrono::seconds throttle_delay(int failures, int free_failures, const ThrottleRules& rules) noexcept;

// The sign-in name as stored and looked up: trimmed, ASCII lower case.
// nullopt-like error when it is not a plausible email address.
[[nodiscard]] core::Result<std::string> normalise_email(std::string_view email, std::string_view field = "email");

inline constexpr std::size_t kMaxEmailBytes = 254;  // RFC 5321's path limit
inline constexpr std::size_t kMaxDisplayNameChars = 100;

}  // namespace bespoke::accounts
