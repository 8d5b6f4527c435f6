// A resident's record and their rights over it: my information, sharing it
// (consent), who has looked at it (the audit log), everything held about me
// (subject access, as a page and as JSON); and the records others may see
// (/people), through web/records.h, which asks the policy and audits each read.
#include "accounts/consent.h"
#include "core/text.h"
#include "core/utf8.h"
#include "store/accounts_store.h"
#include "store/audit_store.h"
#include "store/consent_store.h"
#include "store/personal_data.h"
#include "store/resident_store.h"
#include "web/auth/authenticator.h"
#include "web/auth/caller.h"
#include "web/auth/page_meta.h"
#include "web/errors.h"
#include "web/pages/record_parts.h"
#include "web/records.h"
#include "web/routes.h"
#include "web/views.h"

#include <boost/json.hpp>
#include <kainjow/mustache.hpp>

#include <map>

namespace bespoke::web {
namespace {

using kainjow::mustache::data;
using policy::Action;

constexpr std::size_t kFormLimit = 16 * 1024;

data coded_list(const std::vector<store::CodedLabel>& items) {
  data list{data::type::list};
  for (const auto& item : items) {
    data d;
    d.set("label", item.label);
    list.push_back(d);
  }
  return list;
}

data record_view(const store::ResidentRecord& r) {
  data view;
  view.set("name", r.given_name + " " + r.family_name);
  view.set("first_name", r.given_name);
  view.set("reference", r.public_id);
  view.set("birth_date", r.birth_date);
  view.set("neighbourhood", r.neighbourhood);
  view.set("main_language", r.main_language);
  view.set("has_needs", !r.needs.empty());
  view.set("needs", coded_list(r.needs));
  view.set("has_circumstances", !r.circumstances.empty());
  view.set("circumstances", coded_list(r.circumstances));
  return view;
}

// The sharing page's form and list; `chosen` keeps the answers after an error.
data sharing_view(store::Connection& db, const Caller& caller, const std::map<std::string, std::string>& answers,
                  const std::vector<std::string>& chosen_parts) {
  data view;
  data consents{data::type::list};
  for (const auto& c : store::consents_of(db, caller.subject.account_id)) {
    data row;
    row.set("id", c.public_id);
    const auto part = accounts::parse_part(c.part);
    row.set("part", part ? std::string(accounts::part_label(*part)) : c.part);
    row.set("grantee", c.grantee_label);
    row.set("purpose", c.purpose);
    row.set("until", c.until ? data(c.until->substr(0, 10)) : data(false));
    row.set("withdrawn_at", c.withdrawn_at ? data(c.withdrawn_at->substr(0, 10)) : data(false));
    row.set("csrf_token", caller.csrf_token);
    consents.push_back(row);
  }
  view.set("has_consents", !consents.is_empty_list());
  view.set("consents", consents);
  const auto answer = [&](const std::string& name) {
    const auto it = answers.find(name);
    return it == answers.end() ? std::string() : it->second;
  };
  const auto organisation = answer("organisation");
  if (!organisation.empty()) {
    if (const auto name = store::organisation_name(db, organisation)) {
      view.set("organisation_id", organisation);
      view.set("organisation_name", *name);
    }
  }
  view.set("person_radio_id", organisation.empty() ? std::string("grantee") : std::string("grantee-2"));
  view.set("person_checked", organisation.empty() || answer("grantee_kind") == "person");
  view.set("person_email", answer("person_email"));
  view.set("purpose", answer("purpose"));
  view.set("until", answer("until"));
  view.set("part_options", part_checkboxes(chosen_parts));
  view.set("csrf_token", caller.csrf_token);
  return view;
}

// names: the actors' names already looked up for this page (a trail is mostly
// the same few people), so each is read once.
std::string describe_actor(store::Connection& db, const audit::Event& e, const Caller& me,
                           std::map<std::int64_t, std::string>& names) {
  if (!e.actor_account_id) return "Bespoke (automatic)";
  if (*e.actor_account_id == me.subject.account_id) return "You";
  auto [known, added] = names.try_emplace(*e.actor_account_id);
  if (added) {
    const auto actor = store::find_account(db, *e.actor_account_id);
    known->second = actor ? actor->display_name : std::string("A former user");
  }
  const std::string& name = known->second;
  if (e.actor_role == "coordinator") return name + " (your care coordinator)";
  if (e.actor_role == "delegate") return name + " (acting for you)";
  if (e.actor_role == "consent") return name + " (you shared it with them)";
  return name;
}

std::string describe_action(const audit::Event& e) {
  const auto part = accounts::parse_part(e.record_type);
  const std::string what = part ? std::string(accounts::part_label(*part)) : e.record_type;
  if (e.action == "read" && e.record_type == "delegation") return "Looked at who can act for you";
  if (e.action == "read") return "Looked at: " + what;
  if (e.action == "export") return "Downloaded everything held about you";
  if (e.action == "grant_consent") return "Shared your information";
  if (e.action == "withdraw_consent") return "Stopped sharing your information";
  if (e.action == "grant_delegation") return "Let someone act for you";
  if (e.action == "withdraw_delegation") return "Stopped someone acting for you";
  if (e.action == "add_to_caseload") return "Added you to their caseload";
  if (e.action == "remove_from_caseload") return "Took you off their caseload";
  if (e.action == "update_about_me") return "Changed About me";
  if (e.action == "update_what_matters") return "Changed what matters to you";
  if (e.action == "add_goal") return "Added a goal";
  if (e.action == "remove_goal") return "Removed a goal";
  if (e.action == "add_helper") return "Added someone who helps you";
  if (e.action == "remove_helper") return "Removed someone who helps you";
  if (e.action == "record_assessment") return "Recorded your Care Act assessment";
  if (e.action == "set_budget") return "Set your personal budget";
  if (e.action == "save_plan") return "Saved a new version of your plan";
  if (e.action == "propose_default_plan") return "Proposed a plan for you, as none was agreed in time";
  if (e.action == "agree_plan") return "Recorded that you agree your plan";
  if (e.action == "sign_off_plan") return "Signed off your plan for the council";
  if (e.action == "request_review") return "Asked for a review of your plan";
  if (e.action == "hold_review") return "Held a review of your plan";
  if (e.action == "refer") return "Referred you to a service, with your agreement";
  if (e.action == "withdraw_referral") return "Withdrew a referral";
  if (e.action == "accept_referral") return "Accepted your referral";
  if (e.action == "decline_referral") return "Declined your referral";
  if (e.action == "record_take_up") return "Recorded whether you started a service";
  return e.action + ": " + what;
}

}  // namespace

void add_record_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth) {
  RouteOptions form;
  form.body_limit = kFormLimit;

  router.add("GET", "/my-information", Action::read_own_record, [&views, &auth](const Request&, RequestContext& ctx) {
    const auto& caller = ctx.caller();
    if (caller.subject.resident_id == 0)
      return views.html("no_record.mustache", data{}, page_meta(caller, "Your information"));
    const auto read =
        read_resident_record(ctx.db(), caller, caller.subject.resident_id, accounts::RecordPart::needs, auth.now());
    if (!read.record) return views.html("no_record.mustache", data{}, page_meta(caller, "Your information"));
    auto view = record_view(*read.record);
    view.set("heading", std::string("Your information"));
    view.set("own", true);
    view.set("plan_href", "/plan/" + read.record->public_id);
    return views.html("record.mustache", view, page_meta(caller, "Your information"));
  });

  router.add("GET", "/people", Action::read_resident_record, [&views, &auth](const Request&, RequestContext& ctx) {
    const auto& caller = ctx.caller();
    data people{data::type::list};
    for (const auto& p : store::residents_visible_to(ctx.db(), caller.subject.account_id, caller.email,
                                                     caller.subject.organisations, core::to_iso8601(auth.now()))) {
      data d;
      d.set("id", p.public_id);
      d.set("name", p.name);
      d.set("why", p.why);
      people.push_back(d);
    }
    data view;
    view.set("has_people", !people.is_empty_list());
    view.set("people", people);
    return views.html("people.mustache", view, page_meta(caller, "People whose records you may see"));
  });

  router.add("GET", "/people/{id}", Action::read_resident_record,
             [&views, &errors, &auth](const Request& request, RequestContext& ctx) {
               const auto& caller = ctx.caller();
               const auto resident = store::resident_id_of(ctx.db(), request.param("id").value_or(""));
               if (!resident) return errors.not_found(request, ctx.caller());
               const auto read =
                   read_resident_record(ctx.db(), caller, *resident, accounts::RecordPart::needs, auth.now());
               if (!read.record) return errors.not_found(request, ctx.caller());
               auto view = record_view(*read.record);
               const auto name = read.record->given_name + " " + read.record->family_name;
               view.set("heading", name);
               view.set("basis", read.basis);
               view.set("back_href", std::string("/people"));
               // Those who may work on the plan with the person get the way in; a reader by consent does not.
               if (read.role == "coordinator" || read.role == "delegate")
                 view.set("plan_href", "/plan/" + read.record->public_id);
               return views.html("record.mustache", view, page_meta(caller, name));
             });

  router.add("GET", "/my-information/sharing", Action::manage_own_consent,
             [&views](const Request& request, RequestContext& ctx) {
               std::map<std::string, std::string> answers;
               if (auto org = request.query_param("organisation"); org && org->size() <= 100) answers["organisation"] = *org;
               return views.html("sharing.mustache", sharing_view(ctx.db(), ctx.caller(), answers, {}),
                                 page_meta(ctx.caller(), "Who you share your information with"));
             });

  router.add(
      "POST", "/my-information/sharing", Action::manage_own_consent,
      [&views, &errors, &auth](const Request& request, RequestContext& ctx) {
        const auto fields = parse_form(request.body);
        if (!fields) return errors.respond(request, ctx.caller(), 400, "Bad Request", "The form could not be read.");
        const auto& caller = ctx.caller();
        std::map<std::string, std::string> answers;
        accounts::ConsentRequest asked;
        for (const auto& [name, value] : *fields) {
          if (!core::is_valid_utf8(value)) continue;
          if (name == "part") asked.parts.push_back(value);
          else answers[name] = value;
        }
        const auto answer = [&](const std::string& name) {
          const auto it = answers.find(name);
          return it == answers.end() ? std::string() : it->second;
        };
        asked.grantee_kind =
            answer("grantee_kind") == "organisation" ? accounts::GranteeKind::organisation : accounts::GranteeKind::person;
        asked.grantee = asked.grantee_kind == accounts::GranteeKind::organisation ? answer("organisation")
                                                                                   : answer("person_email");
        asked.purpose = answer("purpose");
        asked.until = std::string(core::trim(answer("until")));
        const auto now = auth.now();
        auto problems = accounts::consent_problems(asked, now);
        auto valid = accounts::validate_consent(asked, now);
        if (valid && valid->grantee_kind == accounts::GranteeKind::organisation &&
            !store::organisation_name(ctx.db(), valid->grantee))
          problems.push_back(core::Error::invalid("grantee", "Choose an organisation from the directory"));
        if (valid && valid->grantee_kind == accounts::GranteeKind::person && valid->grantee == caller.email)
          problems.push_back(core::Error::invalid("grantee", "Enter someone else's email address"));
        if (!problems.empty()) {
          PageMeta meta = page_meta(caller, "Who you share your information with");
          auto view = sharing_view(ctx.db(), caller, answers, asked.parts);
          show_errors(problems, view, meta);
          return views.html("sharing.mustache", view, meta, 422);
        }
        store::grant_consent(ctx.db(), {caller.subject.account_id, caller.subject.resident_id}, *valid,
                             caller.subject.account_id, "self", now);
        return Response::see_other("/my-information/sharing");
      },
      form);

  router.add(
      "POST", "/my-information/sharing/{id}/withdraw", Action::manage_own_consent,
      [&errors, &auth](const Request& request, RequestContext& ctx) {
        const auto& caller = ctx.caller();
        if (!store::withdraw_consent(ctx.db(), {caller.subject.account_id, caller.subject.resident_id},
                                     request.param("id").value_or(""), caller.subject.account_id, "self", auth.now()))
          return errors.not_found(request, ctx.caller());
        return Response::see_other("/my-information/sharing");
      },
      form);

  router.add("GET", "/my-information/audit", Action::read_own_audit, [&views](const Request&, RequestContext& ctx) {
    const auto& caller = ctx.caller();
    data events{data::type::list};
    std::map<std::int64_t, std::string> names;
    for (const auto& e :
         store::audit_events_about(ctx.db(), caller.subject.account_id, caller.subject.resident_id, 500)) {
      data row;
      row.set("at", e.at.substr(0, 16).replace(10, 1, " "));
      row.set("who", describe_actor(ctx.db(), e, caller, names));
      row.set("what", describe_action(e));
      row.set("why", e.purpose);
      events.push_back(row);
    }
    data view;
    view.set("has_events", !events.is_empty_list());
    view.set("events", events);
    return views.html("audit_trail.mustache", view, page_meta(caller, "Who has looked at your information"));
  });

  // Subject access: the same rows as a page and as JSON; both are audited.
  const auto exported = [&auth](RequestContext& ctx) {
    const auto& caller = ctx.caller();
    store::NewAuditEvent event;
    event.actor_account_id = caller.subject.account_id;
    event.actor_role = "self";
    event.action = "export";
    event.subject_account_id = caller.subject.account_id;
    if (caller.subject.resident_id != 0) event.subject_resident_id = caller.subject.resident_id;
    event.record_type = "person";
    event.record_id = "all personal data";
    event.purpose = "subject access request";
    store::append_audit_event(ctx.db(), event, auth.now());
    return store::export_personal_data(ctx.db(), caller.subject.account_id);
  };

  router.add("GET", "/my-information/all", Action::export_own_data, [&views, exported](const Request&, RequestContext& ctx) {
    data tables{data::type::list};
    for (const auto& t : exported(ctx)) {
      if (t.rows.empty()) continue;
      data table;
      table.set("description", t.description);
      data columns{data::type::list};
      for (const auto& c : t.columns) columns.push_back(data(c));
      table.set("columns", columns);
      data rows{data::type::list};
      for (const auto& r : t.rows) {
        data cells{data::type::list};
        for (const auto& v : r) cells.push_back(data(v.value_or("")));
        data row;
        row.set("cells", cells);
        rows.push_back(row);
      }
      table.set("rows", rows);
      tables.push_back(table);
    }
    data view;
    view.set("tables", tables);
    return views.html("my_data.mustache", view, page_meta(ctx.caller(), "Everything Bespoke holds about you"));
  });

  router.add("GET", "/my-information/download", Action::export_own_data, [exported](const Request&, RequestContext& ctx) {
    boost::json::object body;
    body["exported_at"] = core::to_iso8601(core::SystemTime{}.now());
    boost::json::array tables;
    for (const auto& t : exported(ctx)) {
      boost::json::array rows;
      for (const auto& r : t.rows) {
        boost::json::object row;
        for (std::size_t i = 0; i < t.columns.size() && i < r.size(); ++i)
          row[t.columns[i]] = r[i] ? boost::json::value(*r[i]) : boost::json::value(nullptr);
        rows.push_back(std::move(row));
      }
      tables.push_back(boost::json::object{{"table", t.table}, {"description", t.description}, {"rows", std::move(rows)}});
    }
    body["tables"] = std::move(tables);
    Response r = Response::json(200, boost::json::serialize(body));
    r.set_header("content-disposition", "attachment; filename=\"my-bespoke-data.json\"");
    return r;
  });
}

}  // namespace bespoke::web
