#pragma once
// Times are UTC and travel as ISO 8601 text ("2026-11-29T00:31:41Z").
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bespoke::core {

using Clock = std::chrono::system_clock;
using Timestamp = std::chrono::sys_seconds;

// An injectable clock, so tests of time-dependent rules are deterministic.
class TimeSource {
 public:
  virtual ~TimeSource() = default;
  [[nodiscard]] virtual Timestamp now() const = 0;
};

class SystemTime final : public TimeSource {
 public:
  [[nodiscard]] Timestamp now() const override;
};

[[nodiscard]] std::string to_iso8601(Timestamp t);
// Accepts "YYYY-MM-DDTHH:MM:SSZ" only: the one form we write.
[[nodiscard]] std::optional<Timestamp> parse_iso8601(std::string_view text);

// RFC 3339 date-time ("2026-11-29T10:30:45.123Z", "...+01:00"; fractions
// are dropped) or a bare date (midnight UTC), as HSDS's last_modified and
// modified_after carry them.
[[nodiscard]] std::optional<Timestamp> parse_rfc3339(std::string_view text);

// UK civil time (Europe/London): GMT, or BST (UTC+1) from 01:00 UTC on the
// last Sunday of March to 01:00 UTC on the last Sunday of October. Opening
// hours are published in it.
struct UkLocalTime {
  std::int32_t day = 0;       // local date, days since 1970-01-01
  std::int32_t minute = 0;    // minute of the local day, 0 ... 1439
};
[[nodiscard]] UkLocalTime to_uk_local(Timestamp t) noexcept;

// "YYYY-MM-DD" -> days since 1970-01-01; nullopt unless a real calendar date.
[[nodiscard]] std::optional<std::int32_t> parse_iso_date(std::string_view text) noexcept;
// "HH:MM" or "HH:MM:SS" -> minute of the day; nullopt unless a real time.
[[nodiscard]] std::optional<std::int32_t> parse_clock_minutes(std::string_view text) noexcept;

}  // namespace bespoke::core
