#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace bespoke::core {

// True when text is well-formed UTF-8 (RFC 3629): no overlong forms,
// no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

// At most max_bytes of text, cut on a character boundary, with every byte that
// is not part of printable UTF-8 (control characters, broken sequences)
// replaced by '?': for text a client controls, such as a User-Agent header.
[[nodiscard]] std::string printable_prefix(std::string_view text, std::size_t max_bytes);

// The number of code points in valid UTF-8 text.
[[nodiscard]] std::size_t code_points(std::string_view text) noexcept;

}  // namespace bespoke::core
