#pragma once
// Feedback on Bespoke itself, from the phase banner's link: how satisfied the
// person was and how we could do better. Anonymous; no personal data is asked for.
#include "core/error.h"

#include <array>
#include <string>
#include <string_view>

namespace bespoke::feedback {

// The GOV.UK service-satisfaction scale, as stored and sent over the API.
inline constexpr std::array<std::string_view, 5> kSatisfactionCodes = {
    "very_satisfied", "satisfied", "neither", "dissatisfied", "very_dissatisfied"};

[[nodiscard]] std::string_view satisfaction_label(std::string_view code) noexcept;

inline constexpr std::size_t kMaxCommentChars = 1200;  // characters, not bytes
inline constexpr std::size_t kMaxPageChars = 200;

// What the person sent, before it is checked.
struct FeedbackInput {
  std::string satisfaction;
  std::string comment;
  std::string page;  // the page they came from, optional: a path starting with "/"
};

// Feedback that passed every check.
struct Feedback {
  std::string satisfaction;
  std::string comment;  // trimmed
  std::string page;
};

// Checks every field; the first error names its field ("satisfaction", "comment", "page").
[[nodiscard]] core::Result<Feedback> validate(FeedbackInput input);

}  // namespace bespoke::feedback
