#include "accounts/consent.h"

#include "accounts/grant_checks.h"
#include "accounts/sign_in_rules.h"
#include "core/utf8.h"

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

// The checked request, collecting every problem on the way.
ValidConsent check(const ConsentRequest& request, core::Timestamp now, std::vector<core::Error>& problems) {
  ValidConsent out;
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

  detail::check_parts(request.parts, "Select what you want to share", out.parts, problems);
  if (auto purpose = detail::check_text(request.purpose, "purpose", "The purpose", "Say what they may use it for",
                                        kMaxPurposeChars, problems))
    out.purpose = std::move(*purpose);
  out.until = detail::check_until(request.until, now, problems);
  return out;
}

}  // namespace

std::vector<core::Error> consent_problems(const ConsentRequest& request, core::Timestamp now) {
  std::vector<core::Error> problems;
  (void)check(request, now, problems);
  return problems;
}

core::Result<ValidConsent> validate_consent(const ConsentRequest& request, core::Timestamp now) {
  std::vector<core::Error> problems;
  auto checked = check(request, now, problems);
  return detail::first_problem_or(std::move(checked), problems);
}

}  // namespace bespoke::accounts
