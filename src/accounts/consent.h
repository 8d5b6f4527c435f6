#pragma once
// Consent to share parts of a resident's record: which parts exist, and the
// checks a grant must pass before it is stored.
#include "core/error.h"
#include "core/time.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::accounts {

enum class RecordPart { needs, what_matters, plan, budget };

inline constexpr std::array kRecordParts{RecordPart::needs, RecordPart::what_matters, RecordPart::plan,
                                         RecordPart::budget};

[[nodiscard]] std::string_view part_name(RecordPart part) noexcept;   // "what_matters"
[[nodiscard]] std::string_view part_label(RecordPart part) noexcept;  // "What matters to me"
[[nodiscard]] std::optional<RecordPart> parse_part(std::string_view name) noexcept;

enum class GranteeKind { organisation, person };

struct ConsentRequest {
  std::vector<std::string> parts;  // as posted
  GranteeKind grantee_kind = GranteeKind::organisation;
  std::string grantee;             // an organisation id, or an email address
  std::string purpose;
  std::string until;               // "" or YYYY-MM-DD
};

struct ValidConsent {
  std::vector<RecordPart> parts;
  GranteeKind grantee_kind = GranteeKind::organisation;
  std::string grantee;  // the email normalised
  std::string purpose;
  std::optional<core::Timestamp> until;  // the end of that day, UK time ignored: 23:59:59 UTC
};

inline constexpr std::size_t kMaxPurposeChars = 300;

// Every problem with the request, in the form's order, each naming its field:
// "grantee", "parts", "purpose", "until". Empty when it may be granted.
[[nodiscard]] std::vector<core::Error> consent_problems(const ConsentRequest& request, core::Timestamp now);

// The consent to store, or the first of consent_problems().
[[nodiscard]] core::Result<ValidConsent> validate_consent(const ConsentRequest& request, core::Timestamp now);

}  // namespace bespoke::accounts
