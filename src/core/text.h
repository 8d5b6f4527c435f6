#pragma once
// Small text helpers shared by every module.
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

namespace bespoke::core {

// 1234567 -> "1,234,567"; -1234 -> "-1,234".
[[nodiscard]] std::string format_thousands(std::int64_t value);

// Without leading and trailing spaces, tabs, CR and LF.
[[nodiscard]] std::string_view trim(std::string_view text) noexcept;

// A list in words: "a", "a and b", "a, b and c".
template <class Items>
[[nodiscard]] std::string in_words(const Items& items) {
  std::string out;
  std::size_t i = 0;
  for (const auto& item : items) {
    if (i > 0) out += i + 1 == std::size(items) ? " and " : ", ";
    out += item;
    ++i;
  }
  return out;
}

// Equal ignoring ASCII case (header names, media types).
[[nodiscard]] bool iequals_ascii(std::string_view a, std::string_view b) noexcept;

// A plausible email address: one @, a local part without spaces or specials,
// a domain of dotted labels (HSDS's "email" format, our sign-in names).
[[nodiscard]] bool is_email(std::string_view text) noexcept;

}  // namespace bespoke::core
