#pragma once
// The checks consent and delegation share (internal to src/accounts): which
// parts of the record, free text a person types, and an optional end date.
#include "accounts/consent.h"
#include "core/error.h"
#include "core/time.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::accounts::detail {

// Appends each part once; a problem on field "parts" when none or an unknown one.
void check_parts(const std::vector<std::string>& names, std::string_view none_message, std::vector<RecordPart>& out,
                 std::vector<core::Error>& problems);

// Trimmed text of at most max_chars code points without control characters;
// empty is a problem only when empty_message is not empty.
[[nodiscard]] std::optional<std::string> check_text(std::string_view text, const std::string& field,
                                                    std::string_view what, std::string_view empty_message,
                                                    std::size_t max_chars, std::vector<core::Error>& problems);

// "" (no end) or YYYY-MM-DD in the future: the end of that day, 23:59:59 UTC.
[[nodiscard]] std::optional<core::Timestamp> check_until(std::string_view text, core::Timestamp now,
                                                         std::vector<core::Error>& problems);

// What validate_*() returns: the checked value, or the first problem found.
template <class Valid>
[[nodiscard]] core::Result<Valid> first_problem_or(Valid valid, const std::vector<core::Error>& problems) {
  if (!problems.empty()) return problems.front();
  return valid;
}

}  // namespace bespoke::accounts::detail
