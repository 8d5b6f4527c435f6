// Accounts: register, confirm the email address, sign in and out, reset a
// forgotten password, the account page, personal API tokens, /api/v1/me and
// the demo's outbox. The rules are in src/accounts, the decisions in
// src/policy, sessions and tokens in web/auth/authenticator.
#include "accounts/passwords.h"
#include "accounts/sign_in_rules.h"
#include "accounts/tokens.h"
#include "core/text.h"
#include "core/utf8.h"
#include "store/accounts_store.h"
#include "store/mail_store.h"
#include "store/retention_store.h"
#include "web/auth/authenticator.h"
#include "web/auth/caller.h"
#include "web/auth/page_meta.h"
#include "web/errors.h"
#include "web/routes.h"
#include "web/views.h"

#include <boost/json.hpp>
#include <kainjow/mustache.hpp>

#include <array>
#include <map>

namespace bespoke::web {
namespace {

using kainjow::mustache::data;
using policy::Action;
using namespace std::chrono_literals;

constexpr std::size_t kFormLimit = 16 * 1024;
constexpr auto kVerifyLinkLife = 24h;
constexpr auto kResetLinkLife = 1h;
constexpr std::size_t kMaxTokenNameChars = 60;

struct Field {
  std::string name;
  std::string message;
};

// The form's fields by name (the last value of a repeated one), or nullopt when unreadable.
std::optional<std::multimap<std::string, std::string>> read_form(const Request& request) {
  const auto pairs = parse_form(request.body);
  if (!pairs) return std::nullopt;
  return std::multimap<std::string, std::string>(pairs->begin(), pairs->end());
}

std::string field(const std::multimap<std::string, std::string>& form, const std::string& name) {
  const auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

// Only a path on this site: "/x", not "//evil.example" or "/\\evil".
std::string local_next(std::string_view next) {
  if (next.size() < 1 || next.size() > 2000 || next.front() != '/' || next.starts_with("//") ||
      next.find('\\') != std::string_view::npos || !core::is_valid_utf8(next))
    return "/account";
  for (const char c : next)
    if (static_cast<unsigned char>(c) < 0x20) return "/account";
  return std::string(next);
}

// A page with a form: the fields' values and errors, the error summary, status 422 on errors.
Response form_page(const Views& views, const Caller& caller, std::string_view template_name, std::string title,
                   data view, const std::vector<Field>& errors, int status = 200) {
  PageMeta meta = page_meta(caller, std::move(title));
  for (const auto& e : errors) {
    meta.errors.push_back({e.message, "#" + e.name});
    view.set(e.name + "_error", e.message);
  }
  view.set("csrf_token", caller.csrf_token);
  if (!errors.empty() && status == 200) status = 422;
  return views.html(template_name, view, meta, status);
}

Response message_page(const Views& views, const Caller& caller, int status, std::string heading,
                      std::vector<std::string> paragraphs, std::string link_href = {}, std::string link_text = {}) {
  data view;
  view.set("heading", heading);
  data list{data::type::list};
  for (auto& p : paragraphs) list.push_back(data(std::move(p)));
  view.set("paragraphs", list);
  if (!link_href.empty()) {
    view.set("link_href", link_href);
    view.set("link_text", link_text);
  }
  return views.html("message.mustache", view, page_meta(caller, std::move(heading)), status);
}

std::string minutes_text(std::chrono::seconds wait) {
  const auto minutes = (wait.count() + 59) / 60;
  return minutes <= 1 ? std::string("a minute") : std::to_string(minutes) + " minutes";
}

// The scopes a token may be given: the actions a program may take for its
// owner (a scope is named after its policy action).
struct ScopeOption {
  Action action;
  std::string_view label;
};
constexpr std::array kScopeOptions{
    ScopeOption{Action::use_own_account, "See who you are and your roles (GET /api/v1/me)"},
    ScopeOption{Action::read_own_record, "Read your own information"},
    ScopeOption{Action::read_resident_record, "Read the records you are allowed to see"},
    ScopeOption{Action::edit_directory, "Edit your organisation's directory entries"},
};

data tokens_view(store::Connection& db, const Caller& caller, const std::vector<std::string>& chosen) {
  data view;
  data rows{data::type::list};
  for (const auto& t : store::list_api_tokens(db, caller.subject.account_id)) {
    data row;
    row.set("id", t.public_id);
    row.set("name", t.name);
    row.set("scopes", t.scopes);
    row.set("created_at", t.created_at.substr(0, 10));
    row.set("revoked_at", t.revoked_at ? data(t.revoked_at->substr(0, 10)) : data(false));
    row.set("csrf_token", caller.csrf_token);
    rows.push_back(row);
  }
  view.set("has_tokens", !rows.is_empty_list());
  view.set("tokens", rows);
  data options{data::type::list};
  std::size_t n = 0;
  for (const auto& option : kScopeOptions) {
    if (policy::may_attempt(caller.subject, option.action) != policy::Decision::allow) continue;
    const std::string value(policy::action_name(option.action));
    data o;
    o.set("id", n++ == 0 ? std::string("scope") : "scope-" + std::to_string(n));
    o.set("value", value);
    o.set("label", std::string(option.label));
    o.set("checked", std::find(chosen.begin(), chosen.end(), value) != chosen.end());
    options.push_back(o);
  }
  view.set("scope_options", options);
  return view;
}

// The public address of a page, for links in mail: never from the request's
// Host header, which a client can forge to poison a reset link.
std::string link(const AuthOptions& options, std::string_view path_and_query) {
  return options.public_url + std::string(path_and_query);
}

std::string display_name_error(std::string_view name) {
  if (name.empty()) return "Enter your name";
  if (!core::is_valid_utf8(name)) return "Your name contains characters that cannot be read";
  std::size_t chars = 0;
  for (const char c : name) {
    if (static_cast<unsigned char>(c) < 0x20) return "Your name must not contain control characters";
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
  }
  if (chars > accounts::kMaxDisplayNameChars)
    return "Your name must be " + std::to_string(accounts::kMaxDisplayNameChars) + " characters or fewer";
  return {};
}

}  // namespace

void add_account_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth,
                        const accounts::PasswordRules& password_rules) {
  RouteOptions form;
  form.body_limit = kFormLimit;

  // --- Sign in -------------------------------------------------------------
  router.add("GET", "/sign-in", Action::sign_in, [&views, &auth](const Request& request, RequestContext& ctx) {
    const auto& caller = ctx.caller();
    if (caller.signed_in()) return Response::see_other("/account");
    data view;
    view.set("next", local_next(request.query_param("next").value_or("/account")));
    view.set("demo", auth.options().demo);
    return form_page(views, caller, "sign_in.mustache", "Sign in", view, {});
  });

  router.add(
      "POST", "/sign-in", Action::sign_in,
      [&views, &errors, &auth](const Request& request, RequestContext& ctx) {
        const auto form = read_form(request);
        if (!form) return errors.respond(request, ctx.caller(), 400, "Bad Request", "The form could not be read.");
        const auto& caller = ctx.caller();
        data view;
        const auto next = local_next(field(*form, "next"));
        view.set("next", next);
        view.set("demo", auth.options().demo);
        const auto raw_email = field(*form, "email");
        view.set("email", core::is_valid_utf8(raw_email) ? raw_email : std::string());
        const auto email = accounts::normalise_email(raw_email);
        const auto password = field(*form, "password");
        std::vector<Field> problems;
        if (!email) problems.push_back({"email", email.error().message});
        if (password.empty()) problems.push_back({"password", "Enter your password"});
        if (password.size() > accounts::kMaxPasswordBytes)
          problems.push_back({"password", "Enter a correct email address and password"});
        if (!problems.empty()) return form_page(views, caller, "sign_in.mustache", "Sign in", view, problems);

        const auto result = auth.sign_in(ctx.db(), *email, password, request, caller);
        using Outcome = Authenticator::SignIn::Outcome;
        switch (result.outcome) {
          case Outcome::signed_in: {
            Response r = Response::see_other(next);
            r.add_header("set-cookie", result.set_cookie);
            return r;
          }
          case Outcome::throttled: {
            Response r = form_page(views, caller, "sign_in.mustache", "Sign in", view,
                                   {{"email", "Too many attempts to sign in. Wait " + minutes_text(result.wait) +
                                                  " and try again."}},
                                   429);
            r.set_header("retry-after", std::to_string(result.wait.count()));
            return r;
          }
          case Outcome::demo_only:
            return form_page(views, caller, "sign_in.mustache", "Sign in", view,
                             {{"email", "Demo accounts can sign in only while the server runs with --demo"}});
          case Outcome::unverified:
            return form_page(views, caller, "sign_in.mustache", "Sign in", view,
                             {{"email", "Confirm your email address first: follow the link in the email we sent you"}});
          case Outcome::wrong: break;
        }
        return form_page(views, caller, "sign_in.mustache", "Sign in", view,
                         {{"email", "Enter a correct email address and password"}});
      },
      form);

  // --- Sign out ------------------------------------------------------------
  router.add("GET", "/sign-out", Action::sign_out, [&views](const Request&, RequestContext& ctx) {
    return form_page(views, ctx.caller(), "sign_out.mustache", "Sign out", data{}, {});
  });
  const auto sign_out = [&views, &auth](bool everywhere) {
    return [&views, &auth, everywhere](const Request&, RequestContext& ctx) {
      Response r = message_page(views, Caller::anonymous(), 200, "You have signed out",
                                {everywhere ? "You are signed out on every device." : "You are signed out."},
                                "/sign-in", "Sign in again");
      r.add_header("set-cookie", auth.sign_out(ctx.db(), ctx.caller(), everywhere));
      return r;
    };
  };
  router.add("POST", "/sign-out", Action::sign_out, sign_out(false), form);
  router.add("POST", "/sign-out/everywhere", Action::sign_out, sign_out(true), form);

  // --- Register and confirm -------------------------------------------------
  router.add("GET", "/register", Action::register_account, [&views](const Request&, RequestContext& ctx) {
    data view;
    view.set("min_password_chars", std::to_string(accounts::kMinPasswordChars));
    return form_page(views, ctx.caller(), "register.mustache", "Create an account", view, {});
  });

  router.add(
      "POST", "/register", Action::register_account,
      [&views, &errors, &auth, &password_rules](const Request& request, RequestContext& ctx) {
        const auto form = read_form(request);
        if (!form) return errors.respond(request, ctx.caller(), 400, "Bad Request", "The form could not be read.");
        const auto& caller = ctx.caller();
        const auto name = std::string(core::trim(field(*form, "name")));
        const auto raw_email = field(*form, "email");
        const auto password = field(*form, "password");
        data view;
        view.set("min_password_chars", std::to_string(accounts::kMinPasswordChars));
        view.set("name", core::is_valid_utf8(name) ? name : std::string());
        view.set("email", core::is_valid_utf8(raw_email) ? raw_email : std::string());
        std::vector<Field> problems;
        if (auto e = display_name_error(name); !e.empty()) problems.push_back({"name", e});
        const auto email = accounts::normalise_email(raw_email);
        if (!email) problems.push_back({"email", email.error().message});
        if (auto e = password_rules.check(password, email ? *email : std::string())) problems.push_back({"password", e->message});
        if (!problems.empty()) return form_page(views, caller, "register.mustache", "Create an account", view, problems);

        const auto now = auth.now();
        const auto token = accounts::new_token();
        store::NewAccount account{*email, name, accounts::hash_password(password), false, false, 0,
                                  {{accounts::Role::resident, {}}}};
        const store::Mail verify{*email, "Confirm your email address for Bespoke",
                                 "Hello " + name + ",\n\nFollow this link to confirm your email address and finish "
                                 "creating your Bespoke account. It works once, within 24 hours:\n\n" +
                                     link(auth.options(), "/verify-email?token=" + token.token) +
                                     "\n\nIf you did not ask for an account, ignore this email.\n"};
        const store::Mail taken{*email, "Someone tried to create a Bespoke account with your email address",
                                "Hello,\n\nSomeone (perhaps you) tried to create a Bespoke account with this email "
                                "address, which already has one. To sign in, go to\n\n" +
                                    link(auth.options(), "/sign-in") +
                                    "\n\nIf you have forgotten your password, reset it at\n\n" +
                                    link(auth.options(), "/reset-password") + "\n"};
        store::register_account(ctx.db(), account, {token.hash, now + kVerifyLinkLife}, verify, taken, now);
        // The same answer whether or not the address already had an account.
        return message_page(views, caller, 200, "Check your email",
                            {"We have sent an email to " + *email + ".",
                             "Follow the link in it to confirm your address, then sign in. The link works for 24 hours."});
      },
      form);

  router.add("GET", "/verify-email", Action::register_account, [&views, &auth](const Request& request, RequestContext& ctx) {
    const auto token = request.query_param("token").value_or("");
    const bool ok = accounts::looks_like_token(token) &&
                    store::confirm_email(ctx.db(), accounts::token_hash(token), auth.now());
    if (!ok)
      return message_page(views, ctx.caller(), 400, "This link is not valid",
                          {"It may have expired or been used already. Sign in, or create your account again."},
                          "/sign-in", "Sign in");
    return message_page(views, ctx.caller(), 200, "Email address confirmed", {"You can now sign in."}, "/sign-in",
                        "Sign in");
  });

  // --- Forgotten password ---------------------------------------------------
  router.add("GET", "/reset-password", Action::sign_in, [&views](const Request&, RequestContext& ctx) {
    return form_page(views, ctx.caller(), "reset_request.mustache", "Reset your password", data{}, {});
  });

  router.add(
      "POST", "/reset-password", Action::sign_in,
      [&views, &errors, &auth](const Request& request, RequestContext& ctx) {
        const auto form = read_form(request);
        if (!form) return errors.respond(request, ctx.caller(), 400, "Bad Request", "The form could not be read.");
        const auto raw_email = field(*form, "email");
        const auto email = accounts::normalise_email(raw_email);
        if (!email) {
          data view;
          view.set("email", core::is_valid_utf8(raw_email) ? raw_email : std::string());
          return form_page(views, ctx.caller(), "reset_request.mustache", "Reset your password", view,
                           {{"email", email.error().message}});
        }
        const auto account = store::find_account_by_email(ctx.db(), *email);
        if (account && !account->disabled && !account->demo) {
          const auto now = auth.now();
          const auto token = accounts::new_token();
          const store::Mail mail{*email, "Reset your Bespoke password",
                                 "Hello " + account->display_name +
                                     ",\n\nFollow this link to choose a new password. It works once, within an hour:\n\n" +
                                     link(auth.options(), "/reset-password/new?token=" + token.token) +
                                     "\n\nIf you did not ask to reset your password, ignore this email: your "
                                     "password has not changed.\n"};
          store::request_password_reset(ctx.db(), account->id, {token.hash, now + kResetLinkLife}, mail, now);
        }
        return message_page(views, ctx.caller(), 200, "Check your email",
                            {"If " + *email + " has a Bespoke account, we have sent it a link to reset the password.",
                             "The link works once, for one hour."});
      },
      form);

  router.add("GET", "/reset-password/new", Action::sign_in, [&views](const Request& request, RequestContext& ctx) {
    data view;
    const auto token = request.query_param("token").value_or("");
    view.set("token", accounts::looks_like_token(token) ? token : std::string());
    view.set("min_password_chars", std::to_string(accounts::kMinPasswordChars));
    return form_page(views, ctx.caller(), "reset_new.mustache", "Choose a new password", view, {});
  });

  router.add(
      "POST", "/reset-password/new", Action::sign_in,
      [&views, &errors, &auth, &password_rules](const Request& request, RequestContext& ctx) {
        const auto form = read_form(request);
        if (!form) return errors.respond(request, ctx.caller(), 400, "Bad Request", "The form could not be read.");
        const auto token = field(*form, "token");
        const auto password = field(*form, "password");
        data view;
        view.set("token", accounts::looks_like_token(token) ? token : std::string());
        view.set("min_password_chars", std::to_string(accounts::kMinPasswordChars));
        if (auto e = password_rules.check(password, {}))
          return form_page(views, ctx.caller(), "reset_new.mustache", "Choose a new password", view,
                           {{"password", e->message}});
        const auto account = accounts::looks_like_token(token)
                                 ? store::reset_password(ctx.db(), accounts::token_hash(token),
                                                         accounts::hash_password(password), auth.now())
                                 : std::nullopt;
        if (!account)
          return message_page(views, ctx.caller(), 400, "This link is not valid",
                              {"It may have expired or been used already. Ask for a new one."}, "/reset-password",
                              "Reset your password");
        return message_page(views, ctx.caller(), 200, "Password changed",
                            {"Your password has changed and every session of your account has ended."}, "/sign-in",
                            "Sign in");
      },
      form);

  // --- The account ----------------------------------------------------------
  router.add("GET", "/account", Action::use_own_account, [&views, &auth](const Request&, RequestContext& ctx) {
    const auto& caller = ctx.caller();
    data view;
    view.set("csrf_token", caller.csrf_token);
    view.set("closed_account_days", std::to_string(auth.options().closed_account_days));
    view.set("name", caller.display_name);
    view.set("email", caller.email);
    data roles{data::type::list};
    for (const auto& grant : caller.grants) {
      data r;
      r.set("label", std::string(accounts::role_label(grant.role)));
      r.set("organisation", grant.organisation_id.empty() ? data(false) : data(grant.organisation_id));
      roles.push_back(r);
    }
    view.set("roles", roles);
    data links{data::type::list};
    const auto offer = [&](Action action, std::string href, std::string text) {
      if (policy::may_attempt(caller.subject, action) != policy::Decision::allow) return;
      data l;
      l.set("href", std::move(href));
      l.set("text", std::move(text));
      links.push_back(l);
    };
    offer(Action::read_own_record, "/my-information", "See the information Bespoke holds about you");
    offer(Action::manage_own_delegations, "/my-information/helpers", "People who can act for you");
    offer(Action::read_resident_record, "/people", "People whose records you may see");
    offer(Action::manage_caseload, "/caseload", "Your caseload");
    offer(Action::read_reach_report, "/reports/reach", "Who is reached and who is missed");
    for (const auto& organisation : caller.subject.organisations)
      offer(Action::edit_directory, "/organisations/" + organisation + "/manage", "Manage your organisation's services");
    view.set("links", links);
    return views.html("account.mustache", view, page_meta(caller, "Your account"));
  });

  router.add(
      "POST", "/account/close", Action::use_own_account,
      [&views, &errors, &auth](const Request& request, RequestContext& ctx) {
        const auto form = read_form(request);
        if (!form) return errors.respond(request, ctx.caller(), 400, "Bad Request", "The form could not be read.");
        const auto& caller = ctx.caller();
        if (field(*form, "confirm") != "yes") {
          PageMeta meta = page_meta(caller, "Close your account");
          meta.errors.push_back({"Confirm that you want to close your account", "#confirm"});
          data view;
          view.set("heading", std::string("Close your account"));
          data paragraphs{data::type::list};
          paragraphs.push_back(data(std::string("Tick the box on your account page to confirm, then choose Close my account.")));
          view.set("paragraphs", paragraphs);
          view.set("link_href", std::string("/account"));
          view.set("link_text", std::string("Back to your account"));
          return views.html("message.mustache", view, meta, 422);
        }
        store::close_account(ctx.db(), caller.subject.account_id, auth.now());
        Response r = message_page(
            views, Caller::anonymous(), 200, "Your account is closed",
            {"You have been signed out everywhere and your API tokens no longer work.",
             "After " + std::to_string(auth.options().closed_account_days) +
                 " days your personal information will be removed, apart from what the law requires us to keep, "
                 "which will no longer name you."});
        r.add_header("set-cookie", auth.sign_out(ctx.db(), Caller::anonymous(), false));
        return r;
      },
      form);

  router.add("GET", "/account/tokens", Action::manage_own_tokens, [&views](const Request&, RequestContext& ctx) {
    const auto& caller = ctx.caller();
    auto view = tokens_view(ctx.db(), caller, {policy::action_name(Action::use_own_account).data()});
    view.set("csrf_token", caller.csrf_token);
    return views.html("tokens.mustache", view, page_meta(caller, "Personal API tokens"));
  });

  router.add(
      "POST", "/account/tokens", Action::manage_own_tokens,
      [&views, &errors, &auth](const Request& request, RequestContext& ctx) {
        const auto form = read_form(request);
        if (!form) return errors.respond(request, ctx.caller(), 400, "Bad Request", "The form could not be read.");
        const auto& caller = ctx.caller();
        const auto name = std::string(core::trim(field(*form, "name")));
        std::vector<std::string> scopes;
        std::vector<Field> problems;
        for (auto [it, end] = form->equal_range("scope"); it != end; ++it) {
          const auto option = std::find_if(kScopeOptions.begin(), kScopeOptions.end(), [&](const ScopeOption& o) {
            return policy::action_name(o.action) == it->second;
          });
          if (option == kScopeOptions.end() ||
              policy::may_attempt(caller.subject, option->action) != policy::Decision::allow) {
            problems.push_back({"scope", "Choose only from the scopes listed"});
            break;
          }
          if (std::find(scopes.begin(), scopes.end(), it->second) == scopes.end()) scopes.push_back(it->second);
        }
        if (name.empty()) problems.insert(problems.begin(), {"name", "Enter what the token is for"});
        else if (!core::is_valid_utf8(name) || name.size() > kMaxTokenNameChars * 4 ||
                 display_name_error(name).size() > 0)
          problems.insert(problems.begin(), {"name", "Enter up to " + std::to_string(kMaxTokenNameChars) +
                                                         " characters, without control characters"});
        if (scopes.empty() && problems.empty()) problems.push_back({"scope", "Choose at least one scope"});
        auto view = tokens_view(ctx.db(), caller, scopes);
        if (!problems.empty()) {
          view.set("name", core::is_valid_utf8(name) ? name : std::string());
          return form_page(views, caller, "tokens.mustache", "Personal API tokens", view, problems);
        }
        std::string joined;
        for (const auto& s : scopes) joined += (joined.empty() ? "" : " ") + s;
        const auto token = accounts::new_token("bsp_");
        (void)store::create_api_token(ctx.db(), caller.subject.account_id, name, token.hash, joined, auth.now(),
                                      std::nullopt);
        view = tokens_view(ctx.db(), caller, {});
        view.set("new_token", token.token);
        return form_page(views, caller, "tokens.mustache", "Personal API tokens", view, {}, 201);
      },
      form);

  router.add(
      "POST", "/account/tokens/{id}/revoke", Action::manage_own_tokens,
      [&errors, &auth](const Request& request, RequestContext& ctx) {
        const auto id = request.param("id").value_or("");
        if (!store::revoke_api_token(ctx.db(), ctx.caller().subject.account_id, id, auth.now()))
          return errors.respond(request, ctx.caller(), 404, "Page not found", "You have no live token with that id.");
        return Response::see_other("/account/tokens");
      },
      form);

  router.add("GET", "/api/v1/me", Action::use_own_account, [](const Request&, RequestContext& ctx) {
    const auto& caller = ctx.caller();
    boost::json::array roles;
    for (const auto& grant : caller.grants) {
      boost::json::object r{{"role", accounts::role_name(grant.role)}};
      if (!grant.organisation_id.empty()) r["organization_id"] = grant.organisation_id;
      roles.push_back(std::move(r));
    }
    boost::json::array scopes;
    std::string_view rest = caller.token_scopes;
    while (!rest.empty()) {
      const auto end = rest.find(' ');
      if (end != 0) scopes.emplace_back(rest.substr(0, end));
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
    boost::json::object body{{"id", caller.account_public_id}, {"email", caller.email},
                             {"name", caller.display_name},    {"roles", std::move(roles)},
                             {"scopes", std::move(scopes)}};
    return Response::json(200, boost::json::serialize(body));
  });

  // --- The demo's outbox ----------------------------------------------------
  if (auth.options().demo) {
    router.add("GET", "/demo/outbox", Action::read_demo_mail, [&views](const Request&, RequestContext& ctx) {
      data mails{data::type::list};
      for (const auto& m : store::recent_mail(ctx.db(), 50)) {
        data mail;
        mail.set("to", m.to);
        mail.set("subject", m.subject);
        mail.set("body", m.body);
        mail.set("created_at", m.created_at);
        // Links as paths on this server, so the demo works whatever its public URL.
        data links{data::type::list};
        std::size_t at = 0;
        while ((at = m.body.find("://", at)) != std::string::npos) {
          const auto path = m.body.find('/', at + 3);
          const auto end = m.body.find_first_of(" \n", at);
          at += 3;
          if (path == std::string::npos || (end != std::string::npos && path > end)) continue;
          links.push_back(data(m.body.substr(path, end == std::string::npos ? std::string::npos : end - path)));
        }
        mail.set("links", links);
        mails.push_back(mail);
      }
      data view;
      view.set("mails", mails);
      return views.html("outbox.mustache", view, page_meta(ctx.caller(), "Demo outbox"));
    });
  }
}

}  // namespace bespoke::web
