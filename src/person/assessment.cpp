// The Care Act assessment: the three national eligibility conditions
// (Eligibility Criteria Regulations 2015, reg. 2) and the checks on what the
// coordinator recorded.
#include "person/record.h"

#include "core/text.h"
#include "person/text_check.h"

#include <algorithm>
#include <cstddef>

namespace bespoke::person {
namespace {

constexpr std::size_t kOutcomesNeeded = 2;  // "unable to achieve two or more" (reg. 2(1)(b))
constexpr std::uint8_t kAllTests = 0x0F;    // every UnableTest bit

// "nutrition" for "Managing and maintaining nutrition" mid-sentence: the labels are ASCII.
std::string lower_first(std::string_view label) {
  std::string s(label);
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

}  // namespace

Decision decide(const Assessment& assessment) {
  Decision d;
  std::vector<std::string_view> unable;
  for (std::size_t i = 0; i < kOutcomes.size(); ++i)
    if (assessment.outcomes[i].unable()) unable.push_back(kOutcomes[i].label);
  const auto of_all = " of the " + std::to_string(kOutcomes.size()) + " outcomes";

  d.reasons.push_back(assessment.from_impairment
                          ? "The needs arise from a physical or mental impairment or illness."
                          : "The needs do not arise from an impairment or illness, so they are not eligible.");
  if (unable.empty()) {
    d.reasons.push_back("Able to achieve all " + std::to_string(kOutcomes.size()) + " outcomes.");
  } else if (unable.size() < kOutcomesNeeded) {
    d.reasons.push_back("Unable to achieve only " + std::to_string(unable.size()) + of_all + "; at least " +
                        std::to_string(kOutcomesNeeded) + " are needed: " + core::in_words(unable) + ".");
  } else {
    d.reasons.push_back("Unable to achieve " + std::to_string(unable.size()) + of_all + ": " + core::in_words(unable) + ".");
  }
  d.reasons.push_back(assessment.significant_impact ? "There is a significant impact on wellbeing."
                                                    : "There is no significant impact on wellbeing.");
  d.eligible = assessment.from_impairment && unable.size() >= kOutcomesNeeded && assessment.significant_impact;
  return d;
}

std::vector<core::Error> assessment_problems(const Assessment& assessment, const std::vector<std::string>& needs) {
  std::vector<core::Error> out;
  detail::check_text(out, "impairment_notes", assessment.impairment_notes, "The impairment or illness", kLongText,
                     assessment.from_impairment ? "Enter the impairment or illness the needs arise from" : "");
  for (std::size_t i = 0; i < kOutcomes.size(); ++i) {
    const auto& finding = assessment.outcomes[i];
    const auto code = std::string(kOutcomes[i].code);
    const auto outcome = lower_first(kOutcomes[i].label);
    if ((finding.tests & ~kAllTests) != 0)
      out.push_back(core::Error::invalid("outcome_" + code,
                                         "Choose how the person is unable to achieve " + outcome + " from the list"));
    detail::check_text(out, "outcome_" + code + "_why", finding.why, "Why the person is unable to achieve " + outcome,
                       kLongText, finding.unable() ? "Enter why the person is unable to achieve " + outcome : "");
  }
  detail::check_text(out, "wellbeing_notes", assessment.wellbeing_notes, "The impact on wellbeing", kLongText,
                     "Enter the impact on the person's wellbeing");
  detail::check_text(out, "fluctuating_notes", assessment.fluctuating_notes, "How the needs fluctuate", kLongText,
                     assessment.fluctuating ? "Enter how the person's needs fluctuate" : "");
  const bool eligible = decide(assessment).eligible;
  if (!detail::all_in(needs, assessment.eligible_needs)) {
    out.push_back(core::Error::invalid("eligible_needs", "Choose eligible needs from the person's needs"));
  } else if (!eligible && !assessment.eligible_needs.empty()) {
    out.push_back(core::Error::invalid(
        "eligible_needs", "The person does not meet the eligibility criteria, so no need can be marked eligible"));
  } else if (eligible && assessment.eligible_needs.empty()) {
    out.push_back(core::Error::invalid("eligible_needs", "Choose at least one need that is eligible"));
  }
  return out;
}

}  // namespace bespoke::person
