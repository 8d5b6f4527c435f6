#pragma once
// UK postcodes: the one written form we store and look up.
#include <optional>
#include <string>
#include <string_view>

namespace bespoke::places {

// The postcode in its normal form: upper case, spaces removed, then one space
// before the three-character inward code ("sw1a1aa" -> "SW1A 1AA"). The outward
// code must have one of the standard shapes A9, A99, AA9, AA99, A9A or AA9A
// (A a letter, 9 a digit) and the inward code 9AA; nullopt otherwise (including
// the non-geographic "GIR 0AA" and overseas territories' codes).
[[nodiscard]] std::optional<std::string> normalise_postcode(std::string_view text);

}  // namespace bespoke::places
