// System administration: accounts and their roles, and erasure. A system
// admin sees account details only, never care records (the policy gives the
// role no record action).
#include "accounts/roles.h"
#include "core/ids.h"
#include "core/utf8.h"
#include "store/accounts_store.h"
#include "store/consent_store.h"
#include "store/personal_data.h"
#include "web/auth/authenticator.h"
#include "web/auth/caller.h"
#include "web/auth/page_meta.h"
#include "web/errors.h"
#include "web/routes.h"
#include "web/views.h"

#include <kainjow/mustache.hpp>

namespace bespoke::web {
namespace {

using kainjow::mustache::data;
using policy::Action;

std::string status_of(const store::AccountRecord& a) {
  if (a.disabled) return "Closed";
  if (!a.email_verified) return "Email not confirmed";
  return a.demo ? "Active (demo)" : "Active";
}

Response admin_account_page(store::Connection& db, const Views& views, const Caller& caller,
                            const store::AccountRecord& account, const std::string& error_field = {},
                            const std::string& error = {}) {
  data view;
  view.set("account_id", account.public_id);
  view.set("email", account.email);
  view.set("name", account.display_name);
  view.set("status", status_of(account));
  view.set("csrf_token", caller.csrf_token);
  data roles{data::type::list};
  for (const auto& grant : store::account_roles(db, account.id)) {
    data r;
    r.set("account_id", account.public_id);
    r.set("csrf_token", caller.csrf_token);
    r.set("role", std::string(accounts::role_name(grant.role)));
    r.set("label", std::string(accounts::role_label(grant.role)));
    r.set("organisation", grant.organisation_id);
    roles.push_back(r);
  }
  view.set("roles", roles);
  data options{data::type::list};
  for (const auto role : accounts::kAllRoles) {
    data o;
    o.set("value", std::string(accounts::role_name(role)));
    o.set("label", std::string(accounts::role_label(role)));
    options.push_back(o);
  }
  view.set("role_options", options);
  PageMeta meta = page_meta(caller, account.email);
  if (!error.empty()) {
    view.set(error_field + "_error", error);
    meta.errors.push_back({error, "#" + error_field});
  }
  return views.html("admin_account.mustache", view, meta, error.empty() ? 200 : 422);
}

// The role grant a form describes, or an error naming the field.
core::Result<store::RoleGrant> posted_grant(store::Connection& db, const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string role_name;
  std::string organisation;
  for (const auto& [name, value] : fields) {
    if (name == "role") role_name = value;
    if (name == "organisation") organisation = value;
  }
  const auto role = accounts::parse_role(role_name);
  if (!role) return core::Error::invalid("role", "Choose a role from the list");
  if (!accounts::is_organisation_role(*role)) return store::RoleGrant{*role, {}};
  if (organisation.empty() || organisation.size() > 100 || !core::is_valid_utf8(organisation) ||
      !store::organisation_name(db, organisation))
    return core::Error::invalid("organisation", "Enter the id of an organisation in the directory");
  return store::RoleGrant{*role, organisation};
}

}  // namespace

void add_admin_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth) {
  RouteOptions form;
  form.body_limit = 16 * 1024;
  const auto not_found = [&errors](const Request& request, RequestContext& ctx) {
    return errors.respond(request, ctx.caller(), 404, "Page not found", "There is no account at this address.");
  };

  router.add("GET", "/admin/accounts", Action::manage_accounts, [&views](const Request& request, RequestContext& ctx) {
    auto q = request.query_param("q").value_or("");
    if (q.size() > 254 || !core::is_valid_utf8(q)) q.clear();
    data accounts{data::type::list};
    for (const auto& a : store::search_accounts(ctx.db(), q, 100)) {
      data row;
      row.set("id", a.public_id);
      row.set("email", a.email);
      row.set("name", a.display_name);
      row.set("status", status_of(a));
      accounts.push_back(row);
    }
    data view;
    view.set("q", q);
    view.set("accounts", accounts);
    return views.html("admin_accounts.mustache", view, page_meta(ctx.caller(), "Accounts"));
  });

  router.add("GET", "/admin/accounts/{id}", Action::manage_accounts,
             [&views, not_found](const Request& request, RequestContext& ctx) {
               const auto account = store::find_account_by_public_id(ctx.db(), request.param("id").value_or(""));
               if (!account) return not_found(request, ctx);
               return admin_account_page(ctx.db(), views, ctx.caller(), *account);
             });

  router.add(
      "POST", "/admin/accounts/{id}/roles", Action::manage_accounts,
      [&views, &errors, &auth, not_found](const Request& request, RequestContext& ctx) {
        const auto account = store::find_account_by_public_id(ctx.db(), request.param("id").value_or(""));
        if (!account) return not_found(request, ctx);
        const auto fields = parse_form(request.body);
        if (!fields) return errors.respond(request, ctx.caller(), 400, "Bad Request", "The form could not be read.");
        const auto grant = posted_grant(ctx.db(), *fields);
        if (!grant)
          return admin_account_page(ctx.db(), views, ctx.caller(), *account, grant.error().field, grant.error().message);
        store::grant_role(ctx.db(), account->id, *grant, auth.now());
        return Response::see_other("/admin/accounts/" + account->public_id);
      },
      form);

  router.add(
      "POST", "/admin/accounts/{id}/roles/revoke", Action::manage_accounts,
      [&views, &errors, not_found](const Request& request, RequestContext& ctx) {
        const auto account = store::find_account_by_public_id(ctx.db(), request.param("id").value_or(""));
        if (!account) return not_found(request, ctx);
        const auto fields = parse_form(request.body);
        if (!fields) return errors.respond(request, ctx.caller(), 400, "Bad Request", "The form could not be read.");
        const auto grant = posted_grant(ctx.db(), *fields);
        if (!grant || !store::revoke_role(ctx.db(), account->id, *grant))
          return admin_account_page(ctx.db(), views, ctx.caller(), *account, "role", "That role is not held");
        return Response::see_other("/admin/accounts/" + account->public_id);
      },
      form);

  router.add(
      "POST", "/admin/accounts/{id}/erase", Action::erase_person,
      [&views, &errors, &auth, not_found](const Request& request, RequestContext& ctx) {
        const auto account = store::find_account_by_public_id(ctx.db(), request.param("id").value_or(""));
        if (!account) return not_found(request, ctx);
        const auto fields = parse_form(request.body);
        if (!fields) return errors.respond(request, ctx.caller(), 400, "Bad Request", "The form could not be read.");
        bool confirmed = false;
        for (const auto& [name, value] : *fields) confirmed = confirmed || (name == "confirm" && value == "yes");
        if (!confirmed)
          return admin_account_page(ctx.db(), views, ctx.caller(), *account, "confirm",
                                    "Confirm that the person asked for erasure");
        if (account->id == ctx.caller().subject.account_id)
          return admin_account_page(ctx.db(), views, ctx.caller(), *account, "confirm",
                                    "You cannot erase your own account here");
        const auto report = store::erase_person(ctx.db(), account->id, ctx.caller().subject.account_id,
                                                "system_admin", "right to erasure, on request", auth.now());
        std::int64_t rows = 0;
        for (const auto& [table, n] : report.changed) rows += n;
        data view;
        view.set("heading", std::string("Erased"));
        data paragraphs{data::type::list};
        paragraphs.push_back(data("The person's data is gone: " + std::to_string(rows) +
                                  " rows were deleted or pseudonymised, and the erasure is in the audit log."));
        view.set("paragraphs", paragraphs);
        view.set("link_href", std::string("/admin/accounts"));
        view.set("link_text", std::string("Back to accounts"));
        return views.html("message.mustache", view, page_meta(ctx.caller(), "Erased"));
      },
      form);
}

}  // namespace bespoke::web
