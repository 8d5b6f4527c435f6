#pragma once
// Why a coordinator may hold a resident on their caseload: the lawful bases a
// coordinator chooses from when adding someone (UK GDPR Art. 6(1)(e) public
// task and Art. 9(2)(h) health or social care, under the statute named).
#include "core/error.h"

#include <array>
#include <string>
#include <string_view>

namespace bespoke::accounts {

struct LawfulBasis {
  std::string_view name;   // the form's value
  std::string_view label;  // what is recorded and shown to the resident
};

inline constexpr std::array<LawfulBasis, 5> kCaseloadBases{{
    {"assessment", "Assessing needs under the Care Act 2014, section 9"},
    {"planning", "Care and support planning under the Care Act 2014, section 25"},
    {"review", "Reviewing a care and support plan under the Care Act 2014, section 27"},
    {"safeguarding", "A safeguarding enquiry under the Care Act 2014, section 42"},
    {"social_prescribing", "A social prescribing referral the person agreed to"},
}};

inline constexpr std::size_t kMaxBasisNoteChars = 200;

// The text recorded for the caseload: the basis's label, then the note (a
// referral or case reference) when there is one. Problems name "basis" or "note".
[[nodiscard]] core::Result<std::string> caseload_basis(std::string_view name, std::string_view note);

}  // namespace bespoke::accounts
