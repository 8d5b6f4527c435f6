#pragma once
// Internal to src/person: the checks record.cpp and assessment.cpp share.
#include "person/record.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::person::detail {

[[nodiscard]] bool known(std::span<const Choice> choices, std::string_view code) noexcept;
[[nodiscard]] bool all_known(std::span<const Choice> choices, const std::vector<std::string>& codes) noexcept;
// Is every one of `codes` among `allowed` (the person's needs, say)?
[[nodiscard]] bool all_in(const std::vector<std::string>& allowed, const std::vector<std::string>& codes) noexcept;

// Control characters other than tab, LF and CR (C0, DEL, C1).
[[nodiscard]] bool has_control_characters(std::string_view text) noexcept;

// Adds at most one problem for text the user wrote in field `field`:
// `missing` when it is required (non-empty) and blank; "<name> contains
// characters we cannot read" for broken UTF-8 or control characters;
// "<name> must be <max> characters or fewer", counting code points.
void check_text(std::vector<core::Error>& out, std::string_view field, std::string_view value, std::string_view name,
                std::size_t max, std::string_view missing = {});

}  // namespace bespoke::person::detail
