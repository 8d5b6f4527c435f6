#include "accounts/delegation.h"

#include "accounts/grant_checks.h"
#include "accounts/sign_in_rules.h"

#include <algorithm>

namespace bespoke::accounts {
namespace {

ValidDelegation check(const DelegationRequest& request, core::Timestamp now, std::vector<core::Error>& problems) {
  ValidDelegation out;
  if (auto email = normalise_email(request.delegate_email, "delegate_email")) out.delegate_email = *email;
  else problems.push_back(email.error());
  detail::check_parts(request.parts, "Select what they may do for you", out.parts, problems);
  out.until = detail::check_until(request.until, now, problems);
  if (request.reason_required && problems.end() == std::find_if(problems.begin(), problems.end(), [](const auto& e) {
        return e.field == "until";
      })) {
    // What a coordinator records for someone else has an end, and is looked at again by then.
    if (!out.until)
      problems.push_back(core::Error::invalid("until", "Enter the last day, at most a year from today"));
    else if (*out.until > now + std::chrono::days(kMaxRecordedDays))
      problems.push_back(core::Error::invalid("until", "The last day must be at most a year from today"));
  }
  if (auto reason = detail::check_text(request.reason, "reason", "The reason",
                                       request.reason_required ? "Say why the person cannot decide this themselves"
                                                               : "",
                                       kMaxReasonChars, problems))
    out.reason = std::move(*reason);
  return out;
}

}  // namespace

std::vector<core::Error> delegation_problems(const DelegationRequest& request, core::Timestamp now) {
  std::vector<core::Error> problems;
  (void)check(request, now, problems);
  return problems;
}

core::Result<ValidDelegation> validate_delegation(const DelegationRequest& request, core::Timestamp now) {
  std::vector<core::Error> problems;
  auto checked = check(request, now, problems);
  return detail::first_problem_or(std::move(checked), problems);
}

std::string scope_text(const std::vector<RecordPart>& parts) {
  std::string out;
  for (const auto part : parts) {
    if (!out.empty()) out += ' ';
    out += part_name(part);
  }
  return out;
}

std::vector<RecordPart> parse_scope(std::string_view scope) {
  std::vector<RecordPart> out;
  while (!scope.empty()) {
    const auto space = scope.find(' ');
    if (const auto part = parse_part(scope.substr(0, space))) out.push_back(*part);
    scope = space == std::string_view::npos ? std::string_view() : scope.substr(space + 1);
  }
  return out;
}

}  // namespace bespoke::accounts
