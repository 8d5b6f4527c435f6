#pragma once
// Money is an integer number of pence (DESIGN.md §2): no floating point, ever.
#include <compare>
#include <cstdint>
#include <string>

namespace bespoke::core {

struct Pence {
  std::int64_t value = 0;
  friend constexpr auto operator<=>(Pence, Pence) = default;
  friend constexpr Pence operator+(Pence a, Pence b) { return {a.value + b.value}; }
  friend constexpr Pence operator-(Pence a, Pence b) { return {a.value - b.value}; }
};

// "£1,234.50", "-£0.05", "£0.00".
[[nodiscard]] std::string format_pounds(Pence amount);

}  // namespace bespoke::core
