#pragma once
#include <string_view>

namespace bespoke::core {

// True when text is well-formed UTF-8 (RFC 3629): no overlong forms,
// no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace bespoke::core
