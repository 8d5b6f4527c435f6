#pragma once
// Who is asking, as the Guard resolved it from a session cookie (pages) or an
// API token (under /api/): the policy's Subject plus what pages show.
#include "policy/policy.h"
#include "store/accounts_store.h"

#include <string>
#include <vector>

namespace bespoke::web {

struct Caller {
  enum class Via { nobody, session, api_token };

  policy::Subject subject;
  Via via = Via::nobody;
  std::string account_public_id;
  std::string email;
  std::string display_name;
  bool demo_account = false;
  std::vector<store::RoleGrant> grants;
  std::string session_token_hash;  // via session: the session to end at sign-out
  std::string token_scopes;        // via api_token: space-separated

  // The CSRF token forms must carry: bound to the session, or for an anonymous
  // visitor to an anonymous cookie (set by the Guard when a page used it).
  std::string csrf_token;

  [[nodiscard]] bool signed_in() const noexcept { return subject.signed_in(); }
  [[nodiscard]] bool has_scope(std::string_view scope) const;

  [[nodiscard]] static const Caller& anonymous();
};

}  // namespace bespoke::web
