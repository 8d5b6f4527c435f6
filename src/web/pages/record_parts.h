#pragma once
// The parts of a resident's record as form checkboxes and as words, shared by
// the sharing (consent) and the "who can act for you" (delegation) pages.
#include "accounts/consent.h"

#include <kainjow/mustache.hpp>

#include <string>
#include <vector>

namespace bespoke::web {

// One checkbox per part ({id, value, label, checked}); ids "parts", "parts-2", …
// so that the error summary's "#parts" lands on the first.
[[nodiscard]] kainjow::mustache::data part_checkboxes(const std::vector<std::string>& chosen);

// "My needs and circumstances, My support plan"
[[nodiscard]] std::string parts_in_words(const std::vector<accounts::RecordPart>& parts);

}  // namespace bespoke::web
