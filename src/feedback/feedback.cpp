#include "feedback/feedback.h"

#include "core/text.h"
#include "core/utf8.h"

#include <algorithm>

namespace bespoke::feedback {
namespace {

// Characters as a person counts them: UTF-8 code points (the text is already valid UTF-8).
std::size_t count_chars(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool has_control_chars(std::string_view s, bool allow_newlines) {
  return std::any_of(s.begin(), s.end(), [allow_newlines](char c) {
    const auto u = static_cast<unsigned char>(c);
    if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) return false;
    return u < 0x20 || u == 0x7F;
  });
}

}  // namespace

std::string_view satisfaction_label(std::string_view code) noexcept {
  if (code == "very_satisfied") return "Very satisfied";
  if (code == "satisfied") return "Satisfied";
  if (code == "neither") return "Neither satisfied nor dissatisfied";
  if (code == "dissatisfied") return "Dissatisfied";
  if (code == "very_dissatisfied") return "Very dissatisfied";
  return {};
}

core::Result<Feedback> validate(FeedbackInput input) {
  using core::Error;
  if (!core::is_valid_utf8(input.satisfaction) || !core::is_valid_utf8(input.comment) ||
      !core::is_valid_utf8(input.page)) {
    const char* field = !core::is_valid_utf8(input.satisfaction) ? "satisfaction"
                        : !core::is_valid_utf8(input.comment)    ? "comment"
                                                                 : "page";
    return Error::invalid(field, "Text must be valid UTF-8");
  }
  if (input.satisfaction.empty()) return Error::invalid("satisfaction", "Select how satisfied you are with Bespoke");
  if (std::find(kSatisfactionCodes.begin(), kSatisfactionCodes.end(), input.satisfaction) == kSatisfactionCodes.end())
    return Error::invalid("satisfaction", "Select one of the answers given");

  Feedback out;
  out.satisfaction = std::move(input.satisfaction);
  out.comment = std::string(core::trim(input.comment));
  if (count_chars(out.comment) > kMaxCommentChars)
    return Error::invalid("comment", "How we could improve must be 1,200 characters or fewer");
  if (has_control_chars(out.comment, true)) return Error::invalid("comment", "How we could improve contains control characters");

  out.page = std::string(core::trim(input.page));
  if (!out.page.empty()) {
    if (out.page.front() != '/' || out.page.starts_with("//") || count_chars(out.page) > kMaxPageChars ||
        has_control_chars(out.page, false))
      return Error::invalid("page", "The page must be an address on this site, such as /feedback");
  }
  return out;
}

}  // namespace bespoke::feedback
