#include "accounts/lawful_basis.h"

#include "accounts/grant_checks.h"

#include <vector>

namespace bespoke::accounts {

core::Result<std::string> caseload_basis(std::string_view name, std::string_view note) {
  const LawfulBasis* chosen = nullptr;
  for (const auto& basis : kCaseloadBases)
    if (basis.name == name) chosen = &basis;
  if (!chosen) return core::Error::invalid("basis", "Choose the lawful basis for seeing this person's record");
  std::vector<core::Error> problems;
  const auto checked = detail::check_text(note, "note", "The reference", "", kMaxBasisNoteChars, problems);
  if (!problems.empty()) return problems.front();
  std::string out(chosen->label);
  if (checked && !checked->empty()) out += " (" + *checked + ")";
  return out;
}

}  // namespace bespoke::accounts
