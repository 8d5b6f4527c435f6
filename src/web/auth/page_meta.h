#pragma once
// A page's meta data with the header's account links filled in for the caller,
// and a form's problems shown on it.
#include "core/error.h"
#include "web/auth/caller.h"
#include "web/views.h"

#include <string>
#include <vector>

namespace bespoke::web {

[[nodiscard]] inline PageMeta page_meta(const Caller& caller, std::string title) {
  PageMeta meta;
  meta.title = std::move(title);
  if (caller.signed_in()) {
    meta.account_name = caller.display_name.empty() ? caller.email : caller.display_name;
    meta.csrf_token = caller.csrf_token;
  }
  return meta;
}

// A form's problems: each in the page's error summary (linking to the field)
// and in the view as "<field>_error", for the field's own message.
inline void show_errors(const std::vector<core::Error>& errors, kainjow::mustache::data& view, PageMeta& meta) {
  for (const auto& e : errors) {
    meta.errors.push_back({e.message, "#" + e.field});
    view.set(e.field + "_error", e.message);
  }
}

}  // namespace bespoke::web
