#pragma once
// Times are UTC and travel as ISO 8601 text ("2026-11-29T00:31:41Z").
#include <chrono>
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

}  // namespace bespoke::core
