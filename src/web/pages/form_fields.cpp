#include "web/pages/form_fields.h"

#include <algorithm>

namespace bespoke::web {

using kainjow::mustache::data;

data FormFields::field(std::string name, std::string label, std::string hint) {
  data f;
  // What describes the field to assistive technology: its hint, then its error.
  std::string described = hint.empty() ? std::string() : name + "-hint";
  for (const auto& e : errors_)
    if (e.field == name) {
      f.set("error", e.message);
      described += (described.empty() ? "" : " ") + name + "-error";
      break;
    }
  f.set("described", described.empty() ? data(false) : data(described));
  f.set("name", std::move(name));
  f.set("label", std::move(label));
  f.set("hint", hint.empty() ? data(false) : data(std::move(hint)));
  return f;
}

FormFields& FormFields::text(std::string name, std::string label, std::string hint, std::string value,
                             std::string width) {
  auto f = field(std::move(name), std::move(label), std::move(hint));
  f.set("value", std::move(value));
  f.set("width", std::move(width));
  fields_.push_back(f);
  return *this;
}

FormFields& FormFields::textarea(std::string name, std::string label, std::string hint, std::string value) {
  auto f = field(std::move(name), std::move(label), std::move(hint));
  f.set("is_textarea", true);
  f.set("value", std::move(value));
  fields_.push_back(f);
  return *this;
}

FormFields& FormFields::money(std::string name, std::string label, std::string hint, std::string value) {
  auto f = field(std::move(name), std::move(label), std::move(hint));
  f.set("is_money", true);
  f.set("value", std::move(value));
  f.set("width", std::string("govuk-input--width-5"));
  fields_.push_back(f);
  return *this;
}

// The first option's id is the field's name, so that the error summary's
// "#name" lands on it.
data FormFields::choices(const std::string& name, const std::vector<Option>& options,
                         const std::vector<std::string>& chosen) {
  data list{data::type::list};
  std::size_t n = 0;
  for (const auto& [value, label] : options) {
    data o;
    o.set("id", n++ == 0 ? name : name + "-" + std::to_string(n));
    o.set("value", value);
    o.set("label", label);
    o.set("checked", std::find(chosen.begin(), chosen.end(), value) != chosen.end());
    list.push_back(o);
  }
  return list;
}

FormFields& FormFields::checkboxes(std::string name, std::string label, std::string hint,
                                   const std::vector<Option>& options, const std::vector<std::string>& chosen) {
  auto f = field(name, std::move(label), std::move(hint));
  f.set("is_choice", true);
  f.set("is_checkboxes", true);
  f.set("options", choices(name, options, chosen));
  fields_.push_back(f);
  return *this;
}

FormFields& FormFields::radios(std::string name, std::string label, std::string hint,
                               const std::vector<Option>& options, std::string_view chosen) {
  auto f = field(name, std::move(label), std::move(hint));
  f.set("is_choice", true);
  f.set("options", choices(name, options, {std::string(chosen)}));
  fields_.push_back(f);
  return *this;
}

}  // namespace bespoke::web
