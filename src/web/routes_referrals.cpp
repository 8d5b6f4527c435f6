// Referrals as a provider sees them: the referrals people made, with their
// consent, to the organisation's services (accept or decline; then whether
// the person took it up), and the spare places the organisation publishes so
// that referrals do not swamp it. /organisations/{id}/referrals, for the
// organisation's own staff. Reading a referral is reading about a person:
// each one shown is audited, and a withdrawn one no longer says who it was.
#include "core/text.h"
#include "store/consent_store.h"
#include "store/referral_store.h"
#include "web/auth/authenticator.h"
#include "web/auth/page_meta.h"
#include "web/errors.h"
#include "web/pages/plan_support.h"
#include "web/records.h"
#include "web/routes.h"
#include "web/views.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <charconv>

namespace bespoke::web {
namespace {

using kainjow::mustache::data;
using policy::Action;

constexpr std::size_t kFormLimit = 16 * 1024;
constexpr std::int64_t kMaxPlaces = 100000;

// The organisation named by {id} when the caller is its staff; otherwise the refusal.
std::optional<Response> refusal(const ErrorPages& errors, const Request& request, const Caller& caller) {
  switch (policy::decide_directory_edit(caller.subject, request.param("id").value_or(""))) {
    case policy::Decision::allow: return std::nullopt;
    case policy::Decision::forbidden:
      return errors.respond(request, caller, 403, "You cannot see this page",
                            "Your account does not have permission to see this page.");
    case policy::Decision::sign_in_required:
    case policy::Decision::not_found: break;
  }
  return errors.not_found(request, caller);
}

std::string status_words(const store::ReferralRecord& r) {
  if (r.status == "sent") return "Waiting for your answer";
  if (r.status == "accepted")
    return r.taken_up ? (*r.taken_up == "started" ? "Accepted: started" : "Accepted: did not start") : "Accepted";
  if (r.status == "declined") return "Declined" + (r.decline_reason.empty() ? "" : ": " + r.decline_reason);
  return "Withdrawn by the person";
}

std::optional<std::int64_t> places(std::string_view text) {
  const auto t = core::trim(text);
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size() || v < 0 || v > kMaxPlaces) return std::nullopt;
  return v;
}

Response referrals_page(const Views& views, store::Connection& db, const Caller& caller, const std::string& id,
                        const std::string& name, core::Timestamp now, const std::vector<core::Error>& problems = {}) {
  data view;
  view.set("id", id);
  view.set("name", name);
  view.set("csrf_token", caller.csrf_token);
  data rows{data::type::list};
  for (const auto& r : store::referrals_to(db, id)) {
    // Who it is for leaves with the page: recorded in their audit trail first.
    if (r.status != "withdrawn")
      audit_read(db, caller, r.resident_id, "provider", "plan", "a referral to " + r.service_name + ", with consent",
                 now);
    data row;
    row.set("id", r.public_id);
    row.set("person", r.person_name.empty() ? data(false) : data(r.person_name));
    row.set("service", r.service_name);
    row.set("need", r.need_label);
    row.set("note", r.note.empty() ? data(false) : data(r.note));
    row.set("sent", r.created_at.substr(0, 10));
    row.set("status", status_words(r));
    row.set("waiting", r.status == "sent");
    row.set("accepted_open", r.status == "accepted" && !r.taken_up);
    row.set("base", "/organisations/" + id + "/referrals/" + r.public_id);
    row.set("csrf_token", caller.csrf_token);
    for (const auto& e : problems) {
      if (e.field == "reason-" + r.public_id) row.set("reason_error", e.message);
      if (e.field == "outcome-" + r.public_id) row.set("outcome_error", e.message);
    }
    rows.push_back(row);
  }
  view.set("referrals", rows);
  view.set("has_referrals", !rows.is_empty_list());
  data services{data::type::list};
  for (const auto& c : store::capacity_of(db, id)) {
    data row;
    row.set("id", c.service_id);
    row.set("name", c.service_name);
    row.set("available", c.available ? data(std::to_string(*c.available)) : data(std::string()));
    row.set("maximum", c.maximum ? data(std::to_string(*c.maximum)) : data(std::string()));
    row.set("published", c.available.has_value());
    row.set("live", std::to_string(c.live_referrals));
    row.set("csrf_token", caller.csrf_token);
    row.set("action", "/organisations/" + id + "/capacity");
    for (const auto& e : problems)
      if (e.field == "available-" + c.service_id) row.set("error", e.message);
    services.push_back(row);
  }
  view.set("services", services);
  PageMeta meta = page_meta(caller, "Referrals to " + name);
  show_errors(problems, view, meta);
  return views.html("referrals.mustache", view, meta, problems.empty() ? 200 : 422);
}

}  // namespace

void add_referral_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth) {
  RouteOptions form;
  form.body_limit = kFormLimit;

  router.add("GET", "/organisations/{id}/referrals", Action::handle_referrals,
             [&views, &errors, &auth](const Request& request, RequestContext& ctx) {
               if (auto refused = refusal(errors, request, ctx.caller())) return *refused;
               const std::string id(request.param("id").value_or(""));
               const auto name = store::organisation_name(ctx.db(), id);
               if (!name) return errors.not_found(request, ctx.caller());
               return referrals_page(views, ctx.db(), ctx.caller(), id, *name, auth.now());
             });

  // accept, decline (with a reason) and take-up: one route each, the same shape.
  const auto answer = [&views, &errors, &auth](std::string_view what) {
    return [&views, &errors, &auth, what](const Request& request, RequestContext& ctx) {
      if (auto refused = refusal(errors, request, ctx.caller())) return *refused;
      const std::string id(request.param("id").value_or(""));
      const std::string referral(request.param("item").value_or(""));
      const auto name = store::organisation_name(ctx.db(), id);
      const auto posted = PostedForm::read(request);
      if (!name || !posted) return errors.not_found(request, ctx.caller());
      // A referral the organisation does not have is 404 before anything about the form is said.
      const auto theirs = store::referrals_to(ctx.db(), id);
      if (std::none_of(theirs.begin(), theirs.end(), [&](const auto& r) { return r.public_id == referral; }))
        return errors.not_found(request, ctx.caller());
      const store::Actor actor{ctx.caller().subject.account_id, "provider"};
      bool done = false;
      if (what == "accept") {
        done = store::answer_referral(ctx.db(), id, referral, store::ProviderAnswer::accept, "", actor, auth.now());
      } else if (what == "decline") {
        const std::string reason(core::trim(posted->one("reason")));
        if (reason.empty() || reason.size() > 500)
          return referrals_page(views, ctx.db(), ctx.caller(), id, *name, auth.now(),
                                {core::Error::invalid("reason-" + referral,
                                                      "Say why you cannot take this referral, in up to 500 characters, "
                                                      "so the person can choose again")});
        done = store::answer_referral(ctx.db(), id, referral, store::ProviderAnswer::decline, reason, actor, auth.now());
      } else {
        const auto outcome = posted->one("outcome");
        if (outcome != "started" && outcome != "did_not_start")
          return referrals_page(views, ctx.db(), ctx.caller(), id, *name, auth.now(),
                                {core::Error::invalid("outcome-" + referral, "Choose whether the person started")});
        done = store::record_take_up(ctx.db(), id, referral, outcome == "started", actor, auth.now());
      }
      if (!done) return errors.not_found(request, ctx.caller());
      return Response::see_other("/organisations/" + id + "/referrals");
    };
  };
  router.add("POST", "/organisations/{id}/referrals/{item}/accept", Action::handle_referrals, answer("accept"), form);
  router.add("POST", "/organisations/{id}/referrals/{item}/decline", Action::handle_referrals, answer("decline"), form);
  router.add("POST", "/organisations/{id}/referrals/{item}/take-up", Action::handle_referrals, answer("take-up"), form);

  router.add(
      "POST", "/organisations/{id}/capacity", Action::handle_referrals,
      [&views, &errors, &auth](const Request& request, RequestContext& ctx) {
        if (auto refused = refusal(errors, request, ctx.caller())) return *refused;
        const std::string id(request.param("id").value_or(""));
        const auto name = store::organisation_name(ctx.db(), id);
        const auto posted = PostedForm::read(request);
        if (!name || !posted) return errors.not_found(request, ctx.caller());
        const auto service = posted->one("service");
        const auto available = places(posted->one("available"));
        const auto maximum = places(posted->one("maximum"));
        if (!available || !maximum || *available > *maximum)
          return referrals_page(views, ctx.db(), ctx.caller(), id, *name, auth.now(),
                                {core::Error::invalid("available-" + service,
                                                      "Enter the spare places and the most you have, as whole numbers, "
                                                      "with no more spare than the most")});
        if (!store::publish_capacity(ctx.db(), id, service, *available, *maximum, auth.now()))
          return errors.not_found(request, ctx.caller());
        return Response::see_other("/organisations/" + id + "/referrals");
      },
      form);
}

}  // namespace bespoke::web
