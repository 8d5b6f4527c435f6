#include "accounts/consent.h"

#include "accounts/sign_in_rules.h"
#include "core/text.h"
#include "core/utf8.h"

#include <algorithm>

namespace bespoke::accounts {
namespace {

struct PartNames {
  RecordPart part;
  std::string_view name;
  std::string_view label;
};

constexpr std::array<PartNames, 4> kPartNames{{
    {RecordPart::needs, "needs", "My needs and circumstances"},
    {RecordPart::what_matters, "what_matters", "What matters to me"},
    {RecordPart::plan, "plan", "My support plan"},
    {RecordPart::budget, "budget", "My personal budget"},
}};

}  // namespace

std::string_view part_name(RecordPart part) noexcept { return kPartNames[static_cast<std::size_t>(part)].name; }
std::string_view part_label(RecordPart part) noexcept { return kPartNames[static_cast<std::size_t>(part)].label; }

std::optional<RecordPart> parse_part(std::string_view name) noexcept {
  for (const auto& p : kPartNames)
    if (p.name == name) return p.part;
  return std::nullopt;
}

namespace {

// Fills out from the request, collecting every problem on the way.
void check(const ConsentRequest& request, core::Timestamp now, ValidConsent& out, std::vector<core::Error>& problems) {
  out.grantee_kind = request.grantee_kind;
  if (request.grantee_kind == GranteeKind::person) {
    auto email = normalise_email(request.grantee, "grantee");
    if (email) out.grantee = *email;
    else problems.push_back(email.error());
  } else if (request.grantee.empty() || request.grantee.size() > 100 || !core::is_valid_utf8(request.grantee)) {
    problems.push_back(core::Error::invalid("grantee", "Choose who to share with"));
  } else {
    out.grantee = request.grantee;
  }

  if (request.parts.empty()) problems.push_back(core::Error::invalid("parts", "Select what you want to share"));
  for (const auto& name : request.parts) {
    const auto part = parse_part(name);
    if (!part) {
      problems.push_back(core::Error::invalid("parts", "Select only from the parts listed"));
      break;
    }
    if (std::find(out.parts.begin(), out.parts.end(), *part) == out.parts.end()) out.parts.push_back(*part);
  }

  const auto purpose = core::trim(request.purpose);
  std::size_t controls = 0;
  for (const char c : purpose)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\r' && c != '\t') ++controls;
  if (purpose.empty()) problems.push_back(core::Error::invalid("purpose", "Say what they may use it for"));
  else if (!core::is_valid_utf8(purpose))
    problems.push_back(core::Error::invalid("purpose", "The purpose contains characters that cannot be read"));
  else if (controls > 0)
    problems.push_back(core::Error::invalid("purpose", "The purpose must not contain control characters"));
  else if (core::code_points(purpose) > kMaxPurposeChars)
    problems.push_back(core::Error::invalid(
        "purpose", "The purpose must be " + std::to_string(kMaxPurposeChars) + " characters or fewer"));
  else out.purpose = std::string(purpose);

  if (!request.until.empty()) {
    const auto day = core::parse_iso_date(request.until);
    if (!day) {
      problems.push_back(core::Error::invalid("until", "Enter the end date as a real date, like 2027-03-31"));
    } else {
      const core::Timestamp end = core::Timestamp(std::chrono::days(*day + 1)) - std::chrono::seconds(1);
      if (end <= now) problems.push_back(core::Error::invalid("until", "The end date must be in the future"));
      else out.until = end;
    }
  }
}

}  // namespace

std::vector<core::Error> consent_problems(const ConsentRequest& request, core::Timestamp now) {
  ValidConsent out;
  std::vector<core::Error> problems;
  check(request, now, out, problems);
  return problems;
}

core::Result<ValidConsent> validate_consent(const ConsentRequest& request, core::Timestamp now) {
  ValidConsent out;
  std::vector<core::Error> problems;
  check(request, now, out, problems);
  if (!problems.empty()) return problems.front();
  return out;
}

}  // namespace bespoke::accounts
