#pragma once
// Delegation: a resident lets a relative, friend or advocate act for them, in
// parts of their record and until a date. Where the resident lacks capacity, a
// coordinator records the delegation instead, and must say why.
#include "accounts/consent.h"
#include "core/error.h"
#include "core/time.h"

#include <optional>
#include <string>
#include <vector>

namespace bespoke::accounts {

struct DelegationRequest {
  std::string delegate_email;      // as typed
  std::vector<std::string> parts;  // as posted
  std::string until;               // "" or YYYY-MM-DD
  std::string reason;
  bool reason_required = false;  // a coordinator acting for someone who lacks capacity: also an end date within a year
};

struct ValidDelegation {
  std::string delegate_email;  // normalised
  std::vector<RecordPart> parts;
  std::optional<core::Timestamp> until;
  std::string reason;  // empty when the resident granted it themselves
};

inline constexpr std::size_t kMaxReasonChars = 500;
// A delegation a coordinator records must end within this many days: it is for
// someone who could not agree to it, so it is looked at again.
inline constexpr int kMaxRecordedDays = 366;

// Every problem, in the form's order, each naming its field: "delegate_email",
// "parts", "until", "reason". Empty when it may be granted.
[[nodiscard]] std::vector<core::Error> delegation_problems(const DelegationRequest& request, core::Timestamp now);
[[nodiscard]] core::Result<ValidDelegation> validate_delegation(const DelegationRequest& request, core::Timestamp now);

// The stored scope ("needs plan") and back; unknown names are dropped.
[[nodiscard]] std::string scope_text(const std::vector<RecordPart>& parts);
[[nodiscard]] std::vector<RecordPart> parse_scope(std::string_view scope);

}  // namespace bespoke::accounts
