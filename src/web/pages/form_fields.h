#pragma once
// A form's fields as data for the _fields partial (web/templates/_fields.mustache):
// GOV.UK text inputs, textareas, money inputs, checkboxes and radios, each
// with its label, hint, value and, after a failed post, its error message.
#include "core/error.h"

#include <kainjow/mustache.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bespoke::web {

// A choice's value and the words people read.
using Option = std::pair<std::string, std::string>;

class FormFields {
 public:
  explicit FormFields(const std::vector<core::Error>& errors) : errors_(errors) {}

  FormFields& text(std::string name, std::string label, std::string hint, std::string value,
                   std::string width = "govuk-!-width-two-thirds");
  FormFields& textarea(std::string name, std::string label, std::string hint, std::string value);
  FormFields& money(std::string name, std::string label, std::string hint, std::string value);
  FormFields& checkboxes(std::string name, std::string label, std::string hint, const std::vector<Option>& options,
                         const std::vector<std::string>& chosen);
  FormFields& radios(std::string name, std::string label, std::string hint, const std::vector<Option>& options,
                     std::string_view chosen);

  [[nodiscard]] const kainjow::mustache::data& list() const noexcept { return fields_; }

 private:
  kainjow::mustache::data field(std::string name, std::string label, std::string hint);
  kainjow::mustache::data choices(const std::string& name, const std::vector<Option>& options,
                                  const std::vector<std::string>& chosen);

  const std::vector<core::Error>& errors_;
  kainjow::mustache::data fields_{kainjow::mustache::data::type::list};
};

}  // namespace bespoke::web
