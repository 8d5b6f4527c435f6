#include "accounts/grant_checks.h"

#include "core/text.h"
#include "core/utf8.h"

#include <algorithm>

namespace bespoke::accounts::detail {

void check_parts(const std::vector<std::string>& names, std::string_view none_message, std::vector<RecordPart>& out,
                 std::vector<core::Error>& problems) {
  if (names.empty()) problems.push_back(core::Error::invalid("parts", std::string(none_message)));
  for (const auto& name : names) {
    const auto part = parse_part(name);
    if (!part) {
      problems.push_back(core::Error::invalid("parts", "Select only from the parts listed"));
      return;
    }
    if (std::find(out.begin(), out.end(), *part) == out.end()) out.push_back(*part);
  }
}

std::optional<std::string> check_text(std::string_view text, const std::string& field, std::string_view what,
                                      std::string_view empty_message, std::size_t max_chars,
                                      std::vector<core::Error>& problems) {
  const auto trimmed = core::trim(text);
  const auto problem = [&](std::string message) {
    problems.push_back(core::Error::invalid(field, std::move(message)));
    return std::nullopt;
  };
  if (trimmed.empty()) {
    if (empty_message.empty()) return std::string();
    return problem(std::string(empty_message));
  }
  if (!core::is_valid_utf8(trimmed)) return problem(std::string(what) + " contains characters that cannot be read");
  const bool controls = std::any_of(trimmed.begin(), trimmed.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\r' && c != '\t';
  });
  if (controls) return problem(std::string(what) + " must not contain control characters");
  if (core::code_points(trimmed) > max_chars)
    return problem(std::string(what) + " must be " + std::to_string(max_chars) + " characters or fewer");
  return std::string(trimmed);
}

std::optional<core::Timestamp> check_until(std::string_view text, core::Timestamp now,
                                           std::vector<core::Error>& problems) {
  const auto trimmed = core::trim(text);
  if (trimmed.empty()) return std::nullopt;
  const auto day = core::parse_iso_date(trimmed);
  if (!day) {
    problems.push_back(core::Error::invalid("until", "Enter the end date as a real date, like 2027-03-31"));
    return std::nullopt;
  }
  const core::Timestamp end = core::Timestamp(std::chrono::days(*day + 1)) - std::chrono::seconds(1);
  if (end <= now) {
    problems.push_back(core::Error::invalid("until", "The end date must be in the future"));
    return std::nullopt;
  }
  return end;
}

}  // namespace bespoke::accounts::detail
