// Who acts for a resident and who coordinates their care. A resident lets a
// relative, friend or advocate act for them (/my-information/helpers); a
// coordinator keeps their caseload with a lawful basis for each person
// (/caseload) and, for someone on it who lacks capacity, records a delegation
// with the reason (/caseload/{id}). Every change is in the person's audit trail.
#include "accounts/delegation.h"
#include "accounts/lawful_basis.h"
#include "accounts/sign_in_rules.h"
#include "core/text.h"
#include "core/utf8.h"
#include "store/accounts_store.h"
#include "store/care_team_store.h"
#include "store/resident_store.h"
#include "web/auth/authenticator.h"
#include "web/auth/caller.h"
#include "web/auth/page_meta.h"
#include "web/errors.h"
#include "web/records.h"
#include "web/pages/record_parts.h"
#include "web/routes.h"
#include "web/views.h"

#include <kainjow/mustache.hpp>

#include <charconv>
#include <map>

namespace bespoke::web {
namespace {

using kainjow::mustache::data;
using policy::Action;

constexpr std::size_t kFormLimit = 16 * 1024;
constexpr std::int64_t kMaxGrantsPerDay = 20;

// A posted form: the last value of each field, and every ticked part.
struct Answers {
  std::map<std::string, std::string> fields;
  std::vector<std::string> parts;

  [[nodiscard]] std::string operator[](const std::string& name) const {
    const auto it = fields.find(name);
    return it == fields.end() ? std::string() : it->second;
  }
};

std::optional<Answers> read_form(const Request& request) {
  const auto form = parse_form(request.body);
  if (!form) return std::nullopt;
  Answers answers;
  for (const auto& [name, value] : *form) {
    if (!core::is_valid_utf8(value)) continue;
    if (name == "part") answers.parts.push_back(value);
    else answers.fields[name] = value;
  }
  return answers;
}

Response unreadable_form(const ErrorPages& errors, const Request& request, const Caller& caller) {
  return errors.respond(request, caller, 400, "Bad Request", "The form could not be read.");
}

// Whose delegations a page shows, and who is changing them.
struct DelegationPage {
  std::int64_t resident_id = 0;
  std::string resident_name;  // empty: the resident is looking at their own
  std::string base_path;      // "/my-information/helpers" or "/caseload/{id}"
  bool by_coordinator = false;
};

std::string day_of(const std::string& iso) { return iso.substr(0, 10); }

bool live(const store::DelegationRecord& d, const std::string& now_iso) {
  return !d.withdrawn_at && (!d.until || *d.until > now_iso);
}

data delegations_view(store::Connection& db, const Caller& caller, const DelegationPage& page, const Answers& answers,
                      const std::string& now_iso) {
  data view;
  const bool own = !page.by_coordinator;
  view.set("own", own);
  view.set("heading", own ? std::string("People who can act for you") : "Who can act for " + page.resident_name);
  view.set("back_href", own ? std::string("/my-information") : std::string("/caseload"));
  data rows{data::type::list};
  for (const auto& d : store::delegations_for(db, page.resident_id)) {
    data row;
    row.set("name", d.delegate_name);
    row.set("email", d.delegate_email);
    row.set("what", parts_in_words(d.parts));
    row.set("until", d.until ? data(day_of(*d.until)) : data(false));
    std::string granted = d.granted_by_resident ? (own ? std::string("You") : page.resident_name) : d.granted_by_name;
    granted += ", " + day_of(d.granted_at);
    if (!d.reason.empty()) granted += ": " + d.reason;
    row.set("granted", granted);
    // Stopped, ended by its date, or live; a coordinator may stop only what a coordinator recorded.
    std::string status;
    if (d.withdrawn_at) status = "Stopped " + day_of(*d.withdrawn_at);
    else if (!live(d, now_iso)) status = "Ended " + day_of(*d.until);
    else if (!own && d.granted_by_resident) status = "Only " + page.resident_name + " can stop this";
    row.set("status", status.empty() ? data(false) : data(status));
    row.set("withdraw_action", page.base_path + "/" + std::to_string(d.id) + "/withdraw");
    row.set("csrf_token", caller.csrf_token);
    rows.push_back(row);
  }
  view.set("has_delegations", !rows.is_empty_list());
  view.set("delegations", rows);
  view.set("form_action", page.base_path);
  view.set("delegate_email", answers["delegate_email"]);
  view.set("part_options", part_checkboxes(answers.parts));
  view.set("until", answers["until"]);
  view.set("show_reason", page.by_coordinator);
  view.set("until_hint", page.by_coordinator
                             ? std::string("The last day they may act, like 2027-03-31: at most a year from today")
                             : std::string("The last day they may act, like 2027-03-31. Leave empty until it is stopped."));
  view.set("reason", answers["reason"]);
  view.set("csrf_token", caller.csrf_token);
  return view;
}

Response delegations_page(const Views& views, store::Connection& db, const Caller& caller, const DelegationPage& page,
                          const Answers& answers, core::Timestamp now, const std::vector<core::Error>& problems = {}) {
  auto view = delegations_view(db, caller, page, answers, core::to_iso8601(now));
  PageMeta meta = page_meta(caller, page.by_coordinator ? "Who can act for " + page.resident_name
                                                        : std::string("People who can act for you"));
  show_errors(problems, view, meta);
  return views.html("delegations.mustache", view, meta, problems.empty() ? 200 : 422);
}

// Validates the posted delegation and records it; the page again with the
// problems (422) when there are any.
Response grant_from_form(const Views& views, store::Connection& db, const Caller& caller, const DelegationPage& page,
                         const Answers& answers, core::Timestamp now) {
  accounts::DelegationRequest asked;
  asked.delegate_email = answers["delegate_email"];
  asked.parts = answers.parts;
  asked.until = answers["until"];
  if (page.by_coordinator) asked.reason = answers["reason"];  // a resident needs give no reason
  asked.reason_required = page.by_coordinator;
  auto problems = accounts::delegation_problems(asked, now);
  // The person is looked up whenever the address is well formed, so the page
  // lists every problem at once.
  const auto email = accounts::normalise_email(asked.delegate_email, "delegate_email");
  std::optional<store::AccountRecord> delegate;
  if (email) {
    delegate = store::find_account_by_email(db, *email);
    // Only a signed-in resident or their coordinator gets this far, so saying
    // that no account has the address is worth what it reveals.
    if (!delegate || delegate->disabled || !delegate->email_verified)
      problems.insert(problems.begin(),
                      core::Error::invalid("delegate_email",
                                           "No Bespoke account has this email address: ask them to register first"));
    else if (delegate->resident_id == page.resident_id || delegate->id == caller.subject.account_id)
      // Not the resident, and not the coordinator either: a delegation to
      // oneself would outlast one's place on the caseload.
      problems.insert(problems.begin(),
                      core::Error::invalid("delegate_email", "Enter the email address of the person who will help"));
    else
      for (const auto& d : store::delegations_for(db, page.resident_id))
        if (live(d, core::to_iso8601(now)) && d.delegate_email == delegate->email) {
          problems.insert(problems.begin(),
                          core::Error::invalid("delegate_email",
                                               "They can already act for " +
                                                   (page.by_coordinator ? page.resident_name : std::string("you")) +
                                                   ": to change what they may do, stop that first"));
          break;
        }
  }
  // Each grant changes the delegate's role, which ends their sessions: a cap
  // keeps anyone from using grants to sign someone out again and again.
  if (problems.empty() &&
      store::delegations_granted_since(db, caller.subject.account_id, now - std::chrono::hours(24)) >=
          kMaxGrantsPerDay)
    problems.push_back(core::Error::invalid(
        "delegate_email", "You have given " + std::to_string(kMaxGrantsPerDay) +
                              " permissions in the last day, the most we allow: try again tomorrow"));
  const auto valid = accounts::validate_delegation(asked, now);
  if (!problems.empty() || !valid) return delegations_page(views, db, caller, page, answers, now, problems);
  store::NewDelegation grant;
  grant.resident_id = page.resident_id;
  grant.delegate_account_id = delegate->id;
  grant.parts = valid->parts;
  grant.until = valid->until;
  grant.reason = valid->reason;
  store::grant_delegation(db, grant, {caller.subject.account_id, page.by_coordinator ? "coordinator" : "self"}, now);
  return Response::see_other(page.base_path);
}

std::optional<std::int64_t> delegation_id(const Request& request) {
  const auto text = request.param("delegation").value_or("");
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

// The caseload page, with the add form's answers and problems.
Response caseload_page(const Views& views, store::Connection& db, const Caller& caller, const Answers& answers,
                       const std::vector<core::Error>& problems = {}) {
  data people{data::type::list};
  for (const auto& entry : store::caseload_of(db, caller.subject.account_id)) {
    data row;
    row.set("id", entry.public_id);
    row.set("name", entry.name);
    row.set("since", day_of(entry.since));
    row.set("basis", entry.basis);
    row.set("csrf_token", caller.csrf_token);
    people.push_back(row);
  }
  data view;
  view.set("has_people", !people.is_empty_list());
  view.set("people", people);
  data bases{data::type::list};
  std::size_t n = 0;
  for (const auto& basis : accounts::kCaseloadBases) {
    data b;
    b.set("id", n++ == 0 ? std::string("basis") : "basis-" + std::to_string(n));
    b.set("value", std::string(basis.name));
    b.set("label", std::string(basis.label));
    b.set("checked", answers["basis"] == basis.name);
    bases.push_back(b);
  }
  view.set("bases", bases);
  view.set("reference", answers["reference"]);
  view.set("note", answers["note"]);
  view.set("csrf_token", caller.csrf_token);
  PageMeta meta = page_meta(caller, "Your caseload");
  show_errors(problems, view, meta);
  return views.html("caseload.mustache", view, meta, problems.empty() ? 200 : 422);
}

// The resident named by {id} when they are on the caller's caseload.
std::optional<store::CaseloadEntry> on_my_caseload(store::Connection& db, const Caller& caller,
                                                   const Request& request) {
  const auto id = request.param("id").value_or("");
  for (auto& entry : store::caseload_of(db, caller.subject.account_id))
    if (entry.public_id == id) return entry;
  return std::nullopt;
}

DelegationPage coordinator_page(const store::CaseloadEntry& entry) {
  return {entry.resident_id, entry.name, "/caseload/" + entry.public_id + "/helpers", true};
}

}  // namespace

void add_care_team_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth) {
  RouteOptions form;
  form.body_limit = kFormLimit;

  const auto own_page = [](const Caller& caller) {
    return DelegationPage{caller.subject.resident_id, {}, "/my-information/helpers", false};
  };

  router.add("GET", "/my-information/helpers", Action::manage_own_delegations,
             [&views, &auth, own_page](const Request&, RequestContext& ctx) {
               const auto& caller = ctx.caller();
               if (caller.subject.resident_id == 0)
                 return views.html("no_record.mustache", data{}, page_meta(caller, "Your information"));
               return delegations_page(views, ctx.db(), caller, own_page(caller), {}, auth.now());
             });

  router.add(
      "POST", "/my-information/helpers", Action::manage_own_delegations,
      [&views, &errors, &auth, own_page](const Request& request, RequestContext& ctx) {
        const auto& caller = ctx.caller();
        if (caller.subject.resident_id == 0) return errors.not_found(request, caller);
        const auto answers = read_form(request);
        if (!answers) return unreadable_form(errors, request, caller);
        return grant_from_form(views, ctx.db(), caller, own_page(caller), *answers, auth.now());
      },
      form);

  router.add(
      "POST", "/my-information/helpers/{delegation}/withdraw", Action::manage_own_delegations,
      [&errors, &auth](const Request& request, RequestContext& ctx) {
        const auto& caller = ctx.caller();
        const auto id = delegation_id(request);
        if (!id || caller.subject.resident_id == 0 ||
            !store::withdraw_delegation(ctx.db(), caller.subject.resident_id, *id, {caller.subject.account_id, "self"},
                                        auth.now()))
          return errors.not_found(request, caller);
        return Response::see_other("/my-information/helpers");
      },
      form);

  router.add("GET", "/caseload", Action::manage_caseload, [&views](const Request&, RequestContext& ctx) {
    return caseload_page(views, ctx.db(), ctx.caller(), {});
  });

  router.add(
      "POST", "/caseload", Action::manage_caseload,
      [&views, &errors, &auth](const Request& request, RequestContext& ctx) {
        const auto& caller = ctx.caller();
        const auto answers = read_form(request);
        if (!answers) return unreadable_form(errors, request, caller);
        std::vector<core::Error> problems;
        const std::string reference(core::trim((*answers)["reference"]));
        std::optional<std::int64_t> resident;
        if (reference.empty())
          problems.push_back(core::Error::invalid("reference", "Enter the person's reference from the referral"));
        else if (reference.size() > 100 || !(resident = store::resident_id_of(ctx.db(), reference)))
          problems.push_back(
              core::Error::invalid("reference", "No resident has this reference: check it against the referral"));
        const auto basis = accounts::caseload_basis((*answers)["basis"], (*answers)["note"]);
        if (!basis) problems.push_back(basis.error());
        if (problems.empty() && !store::add_to_caseload(ctx.db(), caller.subject.account_id, *resident, *basis,
                                                        auth.now()))
          problems.push_back(core::Error::invalid("reference", "This person is already on your caseload"));
        if (!problems.empty()) return caseload_page(views, ctx.db(), caller, *answers, problems);
        return Response::see_other("/caseload");
      },
      form);

  router.add(
      "POST", "/caseload/{id}/remove", Action::manage_caseload,
      [&errors, &auth](const Request& request, RequestContext& ctx) {
        const auto& caller = ctx.caller();
        const auto entry = on_my_caseload(ctx.db(), caller, request);
        if (!entry || !store::remove_from_caseload(ctx.db(), caller.subject.account_id, entry->resident_id, auth.now()))
          return errors.not_found(request, caller);
        return Response::see_other("/caseload");
      },
      form);

  router.add("GET", "/caseload/{id}/helpers", Action::manage_caseload,
             [&views, &errors, &auth](const Request& request, RequestContext& ctx) {
               const auto& caller = ctx.caller();
               const auto entry = on_my_caseload(ctx.db(), caller, request);
               if (!entry) return errors.not_found(request, caller);
               // The reasons recorded are about the person's capacity: reading them is audited.
               audit_read(ctx.db(), caller, entry->resident_id, "coordinator", "delegation",
                          "on the caseload: " + entry->basis, auth.now());
               return delegations_page(views, ctx.db(), caller, coordinator_page(*entry), {}, auth.now());
             });

  router.add(
      "POST", "/caseload/{id}/helpers", Action::manage_caseload,
      [&views, &errors, &auth](const Request& request, RequestContext& ctx) {
        const auto& caller = ctx.caller();
        const auto entry = on_my_caseload(ctx.db(), caller, request);
        if (!entry) return errors.not_found(request, caller);
        const auto answers = read_form(request);
        if (!answers) return unreadable_form(errors, request, caller);
        return grant_from_form(views, ctx.db(), caller, coordinator_page(*entry), *answers, auth.now());
      },
      form);

  router.add(
      "POST", "/caseload/{id}/helpers/{delegation}/withdraw", Action::manage_caseload,
      [&errors, &auth](const Request& request, RequestContext& ctx) {
        const auto& caller = ctx.caller();
        const auto entry = on_my_caseload(ctx.db(), caller, request);
        const auto id = delegation_id(request);
        if (!entry || !id ||
            !store::withdraw_delegation(ctx.db(), entry->resident_id, *id, {caller.subject.account_id, "coordinator"},
                                        auth.now()))
          return errors.not_found(request, caller);
        return Response::see_other("/caseload/" + entry->public_id + "/helpers");
      },
      form);
}

}  // namespace bespoke::web
