#pragma once
// A page's meta data with the header's account links filled in for the caller.
#include "web/auth/caller.h"
#include "web/views.h"

#include <string>

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

}  // namespace bespoke::web
