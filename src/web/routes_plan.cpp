// The care and support plan itself: the overview of the steps, the options
// for each need (the engine's proposal to compare and choose from, or the
// person's own idea), my plan (who does what, when, at what cost; the budget
// before and after; the seven things a Care Act plan must hold), the person's
// agreement and the council's sign-off, and every version with what changed.
// A save names the version it started from: the second of two people editing
// at once is told, and their choices are kept on the page, not lost.
#include "careplan/plan.h"
#include "careplan/request.h"
#include "core/text.h"
#include "core/utf8.h"
#include "person/record.h"
#include "store/person_store.h"
#include "store/plan_store.h"
#include "store/referral_store.h"
#include "web/auth/authenticator.h"
#include "web/auth/page_meta.h"
#include "web/errors.h"
#include "web/pages/directory_format.h"
#include "web/pages/plan_support.h"
#include "web/plan_catalogue.h"
#include "web/routes.h"
#include "web/views.h"

#include <kainjow/mustache.hpp>

#include <charconv>

namespace bespoke::web {
namespace {

using kainjow::mustache::data;
using policy::Action;

constexpr std::size_t kFormLimit = 64 * 1024;
constexpr std::size_t kVersionsShown = 30;
constexpr const char* kOutOfDate =
    "The assessment or the budget changed after this version was made: save the choices again on the options page, "
    "so that the plan follows them";

std::optional<std::int64_t> whole_number(std::string_view text) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) return std::nullopt;
  return v;
}

std::vector<std::string> need_labels(const careplan::Vocabulary& vocabulary, const store::ResidentRecord& record) {
  std::vector<std::string> labels(vocabulary.needs);
  for (const auto& n : record.needs)
    if (const auto i = vocabulary.need(n.code)) labels[*i] = n.label;
  return labels;
}

// The engine's proposal for the person, with what it was made from.
struct Planning {
  const careplan::Vocabulary* vocabulary = nullptr;
  std::shared_ptr<const careplan::ServiceCatalogue> catalogue;
  careplan::PersonFacts facts;
  plans::PlanRequest request;
  plans::Proposal proposal;
  std::vector<std::string> labels;
};

core::Result<Planning> plan_for(store::Connection& db, PlanCatalogue& catalogues, const PlanPerson& who,
                                core::Timestamp now) {
  Planning p;
  p.vocabulary = &catalogues.vocabulary();
  p.catalogue = catalogues.current(db);
  p.facts = store::planning_facts(db, who.record, now);
  auto request = careplan::request_for(p.facts, *p.catalogue, catalogues.vocabulary());
  if (!request) return request.error();
  p.request = std::move(*request);
  plans::ProposeOptions options;
  options.compare = 5;
  p.proposal = plans::propose(p.catalogue->engine(), p.request, options);
  p.labels = need_labels(catalogues.vocabulary(), who.record);
  return p;
}

std::string candidate_key(const plans::Candidate& c) {
  return "c:" + std::to_string(c.option->id) + ":" + std::to_string(c.session);
}


Response unreadable(const ErrorPages& errors, const Request& request, const Caller& caller) {
  return errors.respond(request, caller, 400, "Bad Request", "The form could not be read.");
}

data budget_view(const careplan::Content& c) {
  data b;
  b.set("budget", core::format_pounds(c.budget_weekly));
  b.set("cost", core::format_pounds(c.weekly_cost()));
  b.set("left", core::format_pounds(c.budget_left()));
  b.set("person", core::format_pounds(c.person_contribution));
  b.set("council", core::format_pounds(c.budget_weekly - c.person_contribution));
  b.set("over", c.budget_left() < core::Pence{});
  return b;
}

std::string referral_status(const store::ReferralRecord& r) {
  if (r.status == "sent") return "Referred on " + r.created_at.substr(0, 10) + ": waiting for an answer";
  if (r.status == "accepted")
    return r.taken_up ? (*r.taken_up == "started" ? "Referral accepted: started" : "Referral accepted: did not start")
                      : "Referral accepted";
  if (r.status == "declined") return "Referral declined" + (r.decline_reason.empty() ? "" : ": " + r.decline_reason);
  return "Referral withdrawn";
}

data lines_view(const careplan::Content& c, const careplan::ServiceCatalogue* catalogue,
                const std::vector<store::ReferralRecord>& referrals, const PlanPerson& who, const Caller& caller,
                const std::vector<core::Error>& problems, const std::string& referral_note) {
  data lines{data::type::list};
  std::size_t index = 0;
  for (const auto& l : c.lines) {
    data row;
    row.set("index", std::to_string(index++));
    if (l.source == careplan::Source::service) {
      // The newest referral to this service, if any; a new one may be made
      // unless one is waiting or accepted.
      const store::ReferralRecord* latest = nullptr;
      for (const auto& r : referrals)
        if (r.service_id == l.ref && !latest) latest = &r;
      const bool live = latest && (latest->status == "sent" || latest->status == "accepted");
      row.set("referral", latest ? data(referral_status(*latest)) : data(false));
      row.set("can_refer", !live && (!catalogue || catalogue->option_of(l.ref)));
      row.set("withdraw_action", live ? data(who.base + "/referrals/" + latest->public_id + "/withdraw") : data(false));
      row.set("refer_action", who.base + "/referrals");
      row.set("coordinator", who.coordinator());
      row.set("service_ref", l.ref);
      // A refused referral: its form open, with the message and what they wrote.
      for (const auto& e : problems)
        if (e.field == "refer-" + std::to_string(index - 1)) {
          row.set("refer_error", e.message);
          row.set("note", referral_note);
        }
      row.set("csrf_token", caller.csrf_token);
      row.set("own", who.own());
    }
    row.set("need", l.need_label);
    row.set("eligible", l.eligible);
    row.set("title", l.title);
    row.set("provider", l.provider);
    row.set("when", l.when);
    row.set("cost", core::format_pounds(l.weekly_cost));
    row.set("explanation", l.explanation);
    row.set("fallback", l.fallback_title.empty() ? data(false) : data(l.fallback_title));
    row.set("service_href", l.source == careplan::Source::service ? data("/services/" + l.ref) : data(false));
    // A service retired after it was chosen: the line stays, marked, until the person chooses again.
    row.set("retired", catalogue && l.source == careplan::Source::service && !catalogue->option_of(l.ref));
    lines.push_back(row);
  }
  return lines;
}

data gaps_view(const careplan::Content& c) {
  data gaps{data::type::list};
  for (const auto& g : c.gaps) {
    data row;
    row.set("need", g.need_label);
    row.set("eligible", g.eligible);
    row.set("reason", g.reason);
    gaps.push_back(row);
  }
  return gaps;
}

std::string status_of(const store::PlanVersion& v) {
  if (v.signed_off) return "Agreed and signed off";
  if (v.agreed) return "Agreed, waiting for the council's sign-off";
  if (v.content.kind == careplan::Kind::default_plan) return "Proposed by Bespoke: not agreed yet";
  return "Draft: not agreed yet";
}

// ---- Overview -----------------------------------------------------------------

Response overview_page(const Views& views, store::Connection& db, const Caller& caller, const PlanPerson& who) {
  const auto title = plan_title(who, "Your support plan", "Support plan");
  auto view = plan_view(who, caller, title);
  const auto profile = store::read_profile(db, who.record.id);
  const bool has_goals = !store::goals_of(db, who.record.id).empty();
  const auto latest = store::latest_plan(db, who.record.id);
  data steps{data::type::list};
  const auto step = [&](std::string href, std::string label, bool done) {
    data s;
    s.set("href", who.base + href);
    s.set("label", std::move(label));
    s.set("done", done);
    s.set("id", href.substr(1));
    steps.push_back(s);
  };
  step("/about-me", "About me", profile.about_me_at.has_value());
  step("/what-matters", "What matters to me", profile.what_matters_at.has_value());
  step("/needs", "Needs and goals", has_goals);
  step("/options", "Options: compare and choose", latest.has_value());
  step("/my-plan", "My plan: check and agree", latest && latest->agreed);
  view.set("steps", steps);
  if (const auto budget = store::latest_budget(db, who.record.id)) {
    view.set("has_budget", true);
    view.set("budget_weekly", core::format_pounds(budget->budget.weekly));
    view.set("budget_person", core::format_pounds(budget->budget.person_contribution));
    view.set("budget_council", core::format_pounds(budget->budget.council_contribution()));
  }
  if (latest) {
    view.set("has_plan", true);
    view.set("version", std::to_string(latest->version));
    view.set("status", status_of(*latest));
  }
  return views.html("plan_overview.mustache", view, page_meta(caller, title));
}

// ---- Options ---------------------------------------------------------------------

// The person's choice for each need, as posted (or the proposal's).
struct Choices {
  std::vector<std::string> picked;  // per need: a candidate key, "idea" or "none"
  std::vector<std::string> idea;
  std::vector<std::string> idea_cost;
};

Choices proposed_choices(const Planning& p) {
  Choices c;
  for (const auto& need : p.request.needs) {
    std::string pick = "none";
    for (const auto& line : p.proposal.lines)
      if (line.need == need.need) pick = candidate_key(line.chosen);
    c.picked.push_back(pick);
    c.idea.emplace_back();
    c.idea_cost.emplace_back();
  }
  return c;
}

Response options_page(const Views& views, const Caller& caller, const PlanPerson& who, const Planning& p,
                      const Choices& choices, std::int64_t based_on, const std::vector<core::Error>& problems,
                      int status = 200) {
  const auto title = plan_title(who, "Your options", "Options");
  auto view = plan_view(who, caller, title);
  view.set("budget", core::format_pounds(p.request.person.budget_per_week));
  view.set("based_on", std::to_string(based_on));
  view.set("stale", status == 409);
  data needs{data::type::list};
  for (std::size_t i = 0; i < p.request.needs.size(); ++i) {
    const auto& need = p.request.needs[i];
    const std::string field = "need_" + std::to_string(i);
    data n;
    n.set("label", p.labels[need.need]);
    n.set("eligible", need.eligible);
    n.set("field", field);
    n.set("idea_field", "idea_" + std::to_string(i));
    n.set("idea_cost_field", "idea_cost_" + std::to_string(i));
    n.set("idea", choices.idea[i]);
    n.set("idea_cost", choices.idea_cost[i]);
    n.set("idea_checked", choices.picked[i] == "idea");
    n.set("none_checked", choices.picked[i] == "none");
    n.set("error_id", field + "-error");
    for (const auto& e : problems) {
      if (e.field == field || e.field == "idea_" + std::to_string(i) || e.field == "idea_cost_" + std::to_string(i))
        n.set("error", e.message);
      if (e.field == "idea_" + std::to_string(i)) n.set("idea_error", true);
      if (e.field == "idea_cost_" + std::to_string(i)) n.set("idea_cost_error", true);
    }
    data options{data::type::list};
    std::size_t k = 0;
    for (const auto& c : p.proposal.ranked[i]) {
      const auto line = careplan::line_from(c, p.request, need, p.facts, *p.catalogue, *p.vocabulary, p.labels);
      data o;
      o.set("id", k++ == 0 ? field : field + "-" + std::to_string(k));
      o.set("value", candidate_key(c));
      o.set("checked", choices.picked[i] == candidate_key(c));
      o.set("title", line.title);
      o.set("provider", line.provider);
      o.set("when", line.when);
      o.set("cost", core::format_pounds(line.weekly_cost));
      o.set("explanation", line.explanation);
      o.set("fallback", line.fallback_title.empty() ? data(false) : data(line.fallback_title));
      options.push_back(o);
    }
    n.set("has_options", !options.is_empty_list());
    n.set("options", options);
    n.set("none_id", field + "-none");
    n.set("idea_id", field + "-idea");
    for (const auto& g : p.proposal.gaps)
      if (g.need == need.need && options.is_empty_list()) n.set("gap", std::string(plans::gap_text(g.reason)));
    needs.push_back(n);
  }
  view.set("needs", needs);
  PageMeta meta = page_meta(caller, title);
  show_errors(problems, view, meta);
  // A stale version is a conflict (409); other problems are the form's (422).
  return views.html("plan_options.mustache", view, meta, status != 200 ? status : problems.empty() ? 200 : 422);
}

// A council, NHS or commissioned service the person could use for the need:
// what stands behind their own arrangement for an eligible need.
const careplan::ServiceFacts* guaranteed_fallback(const Planning& p, const plans::NeedToMeet& need) {
  constexpr std::size_t kLook = 64;
  for (const auto& c : plans::rank(p.catalogue->engine(), p.request, need, kLook).candidates) {
    const auto kind = c.option->kind;
    if (kind == plans::ProviderKind::council || kind == plans::ProviderKind::nhs || c.option->commissioned)
      return p.catalogue->facts(c.option->id);
  }
  return nullptr;
}

// The lines and gaps the person chose; problems name the need's field.
careplan::Content chosen_content(const Planning& p, const Choices& choices, std::vector<core::Error>& problems) {
  careplan::Content c;
  for (std::size_t i = 0; i < p.request.needs.size(); ++i) {
    const auto& need = p.request.needs[i];
    const auto& label = p.labels[need.need];
    const auto& code = p.vocabulary->needs[need.need];
    const auto& pick = choices.picked[i];
    if (pick == "none") {
      std::string reason = "Left for now, as chosen";
      for (const auto& g : p.proposal.gaps)
        if (g.need == need.need && p.proposal.ranked[i].empty()) reason = std::string(plans::gap_text(g.reason));
      c.gaps.push_back({code, label, need.eligible, reason});
      continue;
    }
    if (pick == "idea") {
      const std::string idea(core::trim(choices.idea[i]));
      const auto cost = person::parse_pounds(choices.idea_cost[i].empty() ? std::string("0") : choices.idea_cost[i]);
      if (idea.empty() || idea.size() > 300)
        problems.push_back(core::Error::invalid("idea_" + std::to_string(i),
                                                "Describe your own idea for " + label + " in up to 300 characters"));
      else if (!cost)
        problems.push_back(core::Error::invalid("idea_cost_" + std::to_string(i),
                                                "Enter what your idea costs a week, like 12.50, or leave it empty"));
      else {
        careplan::Line line;
        line.need_code = code;
        line.need_label = label;
        line.eligible = need.eligible;
        line.source = careplan::Source::own_idea;
        line.title = idea;
        line.provider = "Arranged by the person";
        line.when = "arranged to suit you";
        line.weekly_cost = *cost;
        line.explanation = "Your own idea";
        line.needs_fallback = true;
        if (need.eligible) {
          // The council must meet this need: the person's own arrangement stands
          // beside a guaranteed service they could use, named as the fallback.
          if (const auto* fallback = guaranteed_fallback(p, need)) {
            line.fallback_ref = fallback->id;
            line.fallback_title = fallback->name;
          } else {
            problems.push_back(core::Error::invalid(
                "idea_" + std::to_string(i),
                "The council must meet " + label + ": your own idea needs a council or NHS service behind it, and "
                "none you could use meets this need. Choose one of the options"));
            continue;
          }
        }
        c.lines.push_back(std::move(line));
      }
      continue;
    }
    const plans::Candidate* found = nullptr;
    for (const auto& cand : p.proposal.ranked[i])
      if (candidate_key(cand) == pick) found = &cand;
    if (!found) {
      problems.push_back(core::Error::invalid("need_" + std::to_string(i),
                                              "Choose an option for " + label + ", your own idea, or none for now"));
      continue;
    }
    c.lines.push_back(careplan::line_from(*found, p.request, need, p.facts, *p.catalogue, *p.vocabulary, p.labels));
  }
  return c;
}

Choices posted_choices(const Planning& p, const PostedForm& form) {
  Choices c;
  for (std::size_t i = 0; i < p.request.needs.size(); ++i) {
    const auto n = std::to_string(i);
    c.picked.push_back(form.one("need_" + n));
    c.idea.push_back(form.one("idea_" + n));
    c.idea_cost.push_back(form.one("idea_cost_" + n));
  }
  return c;
}

// Carries what the people making the plan wrote (advice, who took part) and
// the budget into a new version.
void carry_over(careplan::Content& into, const std::optional<store::PlanVersion>& latest,
                const careplan::PersonFacts& facts) {
  if (latest) {
    const auto& from = latest->content;
    into.advice_meeting = from.advice_meeting;
    into.advice_preventing = from.advice_preventing;
    into.participants = from.participants;
    into.advocate_present = from.advocate_present;
    into.advocate_name = from.advocate_name;
    into.direct_payment_needs = from.direct_payment_needs;
  }
  if (facts.budget) {
    into.budget_weekly = facts.budget->weekly;
    into.person_contribution = facts.budget->person_contribution;
    into.budget_management =
        std::string(person::kBudgetManagement[static_cast<std::size_t>(facts.budget->management)].code);
    into.direct_payment_weekly = facts.budget->direct_payment;
  } else {
    into.budget_management = "council_managed";
  }
}

// ---- My plan -------------------------------------------------------------------

struct Details {
  std::string advice_meeting, advice_preventing, direct_payment_needs, participants, advocate_name;
  bool advocate_present = false;
  std::string referral_note;  // a refused referral's note, shown again
};

Details details_of(const careplan::Content& c) {
  Details d{c.advice_meeting, c.advice_preventing, c.direct_payment_needs, {}, c.advocate_name, c.advocate_present, {}};
  for (const auto& person : c.participants)
    d.participants += person.name + (person.role.empty() ? "" : ", " + person.role) + "\n";
  return d;
}

// "Name, role" per line.
std::vector<careplan::Participant> participants_of(const std::string& text) {
  std::vector<careplan::Participant> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto nl = text.find('\n', i);
    const auto end = nl == std::string::npos ? text.size() : nl;
    const std::string line(core::trim(std::string_view(text).substr(i, end - i)));
    i = end + 1;
    if (line.empty()) continue;
    const auto comma = line.find(',');
    if (comma == std::string::npos) out.push_back({line, ""});
    else
      out.push_back({std::string(core::trim(std::string_view(line).substr(0, comma))),
                     std::string(core::trim(std::string_view(line).substr(comma + 1)))});
  }
  return out;
}


// When the next review is due (s.27), and whether it is overdue.
void review_view(data& view, const store::ReviewState& state, std::int32_t today) {
  if (!state.started) return;
  const auto due = careplan::next_review(*state.started, state.last_held, state.requested_on);
  view.set("review_kind", std::string(careplan::review_kind_label(due.kind)));
  view.set("review_due", long_date(due.latest));
  view.set("review_from", long_date(due.earliest));
  view.set("review_overdue", careplan::overdue(due, today));
  view.set("review_requested", state.requested_on.has_value());
  view.set("has_review", true);
  if (state.last_held) {
    view.set("last_review", long_date(*state.last_held));
    view.set("last_review_notes", state.last_notes);
  }
}

Response my_plan_page(const Views& views, store::Connection& db, PlanCatalogue& catalogues, const Caller& caller,
                      const PlanPerson& who, core::Timestamp now, const Details* answers, const std::vector<core::Error>& problems,
                      int status = 200) {
  const auto now_day = core::to_uk_local(now).day;
  const auto title = plan_title(who, "Your plan", "Plan");
  auto view = plan_view(who, caller, title);
  const auto latest = store::latest_plan(db, who.record.id);
  if (!latest) {
    view.set("no_plan", true);
    return views.html("plan_mine.mustache", view, page_meta(caller, title));
  }
  const auto& c = latest->content;
  const auto catalogue = catalogues.current(db);
  view.set("version", std::to_string(latest->version));
  view.set("status", status_of(*latest));
  view.set("default_plan", c.kind == careplan::Kind::default_plan);
  view.set("lines", lines_view(c, catalogue.get(), store::referrals_of(db, who.record.id), who, caller, problems,
                               answers ? answers->referral_note : std::string()));
  view.set("has_lines", !c.lines.empty());
  view.set("gaps", gaps_view(c));
  view.set("has_gaps", !c.gaps.empty());
  view.set("money", budget_view(c));
  view.set("management", std::string(person::label_of(person::kBudgetManagement, c.budget_management)));
  view.set("has_direct_payment", c.direct_payment_weekly > core::Pence{});
  view.set("direct_payment", core::format_pounds(c.direct_payment_weekly));
  // The seven things, and what is still missing before the person can agree.
  const auto missing = careplan::agreement_problems(c);
  data todo{data::type::list};
  for (const auto& m : missing) todo.push_back(data(m.message));
  view.set("missing", todo);
  view.set("complete", missing.empty());
  view.set("can_agree", missing.empty() && !latest->agreed);
  view.set("can_sign_off", who.coordinator() && latest->agreed && !latest->signed_off);
  if (latest->agreed) {
    view.set("agreed_by", latest->agreed->by);
    view.set("agreed_at", latest->agreed->at.substr(0, 10));
    // "with the person" says something only when someone else recorded it.
    view.set("person_present", latest->agreed->person_present && latest->agreed->role != "self");
  }
  if (latest->signed_off) {
    view.set("signed_off_by", latest->signed_off->by);
    view.set("signed_off_at", latest->signed_off->at.substr(0, 10));
  }
  review_view(view, store::review_state(db, who.record.id), now_day);
  const auto d = answers ? *answers : details_of(c);
  FormFields fields(problems);
  fields.textarea("advice_meeting", "Advice on meeting or reducing the needs", "", d.advice_meeting)
      .textarea("advice_preventing", "Advice on preventing or delaying future needs", "", d.advice_preventing)
      .textarea("participants", "Who took part in making this plan",
                "One person a line: their name, a comma, who they are. For example: Ann Jones, the person",
                d.participants)
      .checkboxes("advocate_present", "Advocacy", "", {{"yes", "An independent advocate was present"}},
                  d.advocate_present ? std::vector<std::string>{"yes"} : std::vector<std::string>{})
      .text("advocate_name", "The advocate's name", "", d.advocate_name, "govuk-input--width-20");
  if (c.direct_payment_weekly > core::Pence{})
    fields.textarea("direct_payment_needs", "Which needs the direct payment covers", "", d.direct_payment_needs);
  view.set("fields", fields.list());
  PageMeta meta = page_meta(caller, title);
  show_errors(problems, view, meta);
  return views.html("plan_mine.mustache", view, meta, status != 200 ? status : problems.empty() ? 200 : 422);
}

// ---- Versions ----------------------------------------------------------------------

Response versions_page(const Views& views, store::Connection& db, const Caller& caller, const PlanPerson& who) {
  const auto title = plan_title(who, "Versions of your plan", "Versions of the plan");
  auto view = plan_view(who, caller, title);
  const auto history = store::plan_history(db, who.record.id);
  // Each version shown is read whole once, with the one before the oldest
  // shown, and compared with its predecessor: what changed, in words.
  const std::size_t shown = std::min(history.size(), kVersionsShown);
  std::vector<std::optional<store::PlanVersion>> whole;
  for (std::size_t i = 0; i < shown + 1 && i < history.size(); ++i)
    whole.push_back(store::plan_version(db, who.record.id, history[i].version));
  data rows{data::type::list};
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& v = history[i];
    data row;
    row.set("version", std::to_string(v.version));
    auto when = v.created_at.substr(0, 16);
    if (when.size() > 10) when[10] = ' ';
    row.set("when", when);
    row.set("by", v.created_by);
    row.set("status", status_of(v));
    data changes{data::type::list};
    if (whole[i]) {
      const auto* before = i + 1 < whole.size() && whole[i + 1] ? &whole[i + 1]->content : nullptr;
      const auto words = careplan::compare(before ? *before : careplan::Content{}, whole[i]->content);
      for (const auto& w : words) changes.push_back(data(w));
      if (words.empty()) changes.push_back(data(std::string("No changes")));
    }
    row.set("changes", changes);
    row.set("first", v.version == 1);
    rows.push_back(row);
  }
  view.set("versions", rows);
  view.set("has_versions", !rows.is_empty_list());
  return views.html("plan_versions.mustache", view, page_meta(caller, title));
}

}  // namespace

void add_plan_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth,
                     PlanCatalogue& catalogues) {
  RouteOptions form;
  form.body_limit = kFormLimit;
  using accounts::RecordPart;
  const auto route = [&errors, &auth](Parts parts, Use use, PlanHandler handler) {
    return plan_route(errors, auth, std::move(parts), use, std::move(handler));
  };

  router.add("GET", "/plan/{id}", Action::plan_with_person,
             route(kOverview, Use::plan_work, [&views, &errors](const PlanCall& c) {
               return overview_page(views, c.db(), c.caller(), c.who);
             }));

  router.add("GET", "/plan/{id}/options", Action::plan_with_person,
             route(kChoosing, Use::plan_work, [&views, &errors, &catalogues](const PlanCall& c) {
               auto planning = plan_for(c.db(), catalogues, c.who, c.now);
               if (!planning) return errors.respond(c.request, planning.error());
               const auto latest = store::latest_plan(c.db(), c.who.record.id);
               return options_page(views, c.caller(), c.who, *planning, proposed_choices(*planning),
                                   latest ? latest->version : 0, {});
             }));
  router.add(
      "POST", "/plan/{id}/options", Action::plan_with_person,
      route(kChoosing, Use::plan_work, [&views, &errors, &catalogues](const PlanCall& c) {
        auto planning = plan_for(c.db(), catalogues, c.who, c.now);
        if (!planning) return errors.respond(c.request, planning.error());
        const auto choices = posted_choices(*planning, c.form);
        const auto based_on = whole_number(c.form.one("based_on"));
        if (!based_on) return unreadable(errors, c.request, c.caller());
        std::vector<core::Error> problems;
        auto content = chosen_content(*planning, choices, problems);
        const auto latest = store::latest_plan(c.db(), c.who.record.id);
        carry_over(content, latest, planning->facts);
        // The plan's own problems (the budget, the fallback rule) are about the choices as a whole.
        if (problems.empty())
          for (auto& p : careplan::content_problems(content)) problems.push_back(core::Error::invalid("need_0", p.message));
        if (!problems.empty())
          return options_page(views, c.caller(), c.who, *planning, choices, *based_on, problems);
        // The same choices again change nothing: no new version, and an agreement stands.
        if (latest && latest->version == *based_on && latest->content == content)
          return Response::see_other(c.who.base + "/my-plan");
        const auto saved = store::save_plan_version(c.db(), c.who.record.id, *based_on, content, c.who.actor,
                                                    c.now);
        if (std::holds_alternative<store::StaleVersion>(saved)) {
          const auto& stale_latest = std::get<store::StaleVersion>(saved).latest;
          if (!stale_latest) return unreadable(errors, c.request, c.caller());
          const auto& latest_now = *stale_latest;
          const std::vector<core::Error> stale{core::Error::invalid(
              "need_0", latest_now.created_by + " saved version " + std::to_string(latest_now.version) +
                            " of this plan while you were choosing. Your choices are below: check the new version, "
                            "then save yours again to replace it.")};
          return options_page(views, c.caller(), c.who, *planning, choices, latest_now.version, stale, 409);
        }
        return Response::see_other(c.who.base + "/my-plan");
      }),
      form);

  router.add("GET", "/plan/{id}/my-plan", Action::plan_with_person,
             route(kThePlan, Use::plan_work, [&views, &errors, &catalogues](const PlanCall& c) {
               return my_plan_page(views, c.db(), catalogues, c.caller(), c.who, c.now, nullptr, {});
             }));
  router.add(
      "POST", "/plan/{id}/my-plan", Action::plan_with_person,
      route(kThePlan, Use::plan_work, [&views, &errors, &catalogues](const PlanCall& c) {
        const auto based_on = whole_number(c.form.one("based_on"));
        if (!based_on) return unreadable(errors, c.request, c.caller());
        const auto latest = store::plan_version(c.db(), c.who.record.id, *based_on);
        if (!latest) return errors.not_found(c.request, c.caller());
        Details d{c.form.one("advice_meeting"), c.form.one("advice_preventing"), c.form.one("direct_payment_needs"),
                  c.form.one("participants"),   c.form.one("advocate_name"),      c.form.one("advocate_present") == "yes", {}};
        auto content = latest->content;
        content.kind = careplan::Kind::coproduced;
        content.advice_meeting = d.advice_meeting;
        content.advice_preventing = d.advice_preventing;
        content.direct_payment_needs = d.direct_payment_needs;
        content.participants = participants_of(d.participants);
        content.advocate_present = d.advocate_present;
        content.advocate_name = d.advocate_name;
        auto problems = careplan::content_problems(content);
        if (!problems.empty())
          return my_plan_page(views, c.db(), catalogues, c.caller(), c.who, c.now, &d, problems);
        if (content == latest->content) return Response::see_other(c.who.base + "/my-plan");
        const auto saved =
            store::save_plan_version(c.db(), c.who.record.id, *based_on, content, c.who.actor, c.now);
        if (std::holds_alternative<store::StaleVersion>(saved)) {
          const auto& stale_latest = std::get<store::StaleVersion>(saved).latest;
          if (!stale_latest) return unreadable(errors, c.request, c.caller());
          const auto& now = *stale_latest;
          const std::vector<core::Error> stale{core::Error::invalid(
              "advice_meeting", now.created_by + " saved version " + std::to_string(now.version) +
                                    " while you were writing. The plan below is theirs; what you wrote is still in "
                                    "the boxes: save it again to add it to their version.")};
          return my_plan_page(views, c.db(), catalogues, c.caller(), c.who, c.now, &d, stale, 409);
        }
        return Response::see_other(c.who.base + "/my-plan");
      }),
      form);

  router.add(
      "POST", "/plan/{id}/agree", Action::plan_with_person,
      route(kThePlan, Use::plan_work, [&views, &errors, &catalogues](const PlanCall& c) {
        const auto version = whole_number(c.form.one("version"));
        if (!version) return unreadable(errors, c.request, c.caller());
        const auto plan = store::plan_version(c.db(), c.who.record.id, *version);
        if (!plan) return errors.not_found(c.request, c.caller());
        std::vector<core::Error> problems = careplan::agreement_problems(plan->content);
        if (!careplan::matches_record(plan->content, store::planning_facts(c.db(), c.who.record, c.now)))
          problems.push_back(core::Error::invalid("advice_meeting", kOutOfDate));
        // A coordinator records the person's agreement only with the person there.
        const bool present = c.form.one("person_present") == "yes";
        if (problems.empty() && c.who.coordinator() && !present)
          problems.push_back(core::Error::invalid(
              "person_present", "Tick to confirm " + c.who.name + " is with you and agrees this plan"));
        if (problems.empty()) {
          const auto outcome = store::agree_plan(c.db(), c.who.record.id, *version, c.who.actor, present, c.now);
          if (outcome == store::DecisionOutcome::not_latest)
            problems.push_back(core::Error::invalid(
                "advice_meeting", "There is a newer version of this plan: check it before you agree"));
        }
        if (!problems.empty()) {
          for (auto& p : problems)
            if (p.field != "person_present") p.field = "advice_meeting";
          return my_plan_page(views, c.db(), catalogues, c.caller(), c.who, c.now, nullptr, problems);
        }
        return Response::see_other(c.who.base + "/my-plan");
      }),
      form);

  router.add(
      "POST", "/plan/{id}/sign-off", Action::assess_needs,
      route(kThePlan, Use::assessment, [&views, &errors, &catalogues](const PlanCall& c) {
        const auto version = whole_number(c.form.one("version"));
        if (!version) return unreadable(errors, c.request, c.caller());
        // The council signs off what follows its own assessment and budget.
        const auto plan = store::plan_version(c.db(), c.who.record.id, *version);
        if (!plan) return errors.not_found(c.request, c.caller());
        std::string refused;
        if (!store::latest_assessment(c.db(), c.who.record.id))
          refused = "Record the Care Act assessment before signing off the plan";
        else if (!careplan::matches_record(plan->content, store::planning_facts(c.db(), c.who.record, c.now)))
          refused = kOutOfDate;
        if (!refused.empty())
          return my_plan_page(views, c.db(), catalogues, c.caller(), c.who, c.now, nullptr,
                              {core::Error::invalid("advice_meeting", refused)});
        const auto outcome = store::sign_off_plan(c.db(), c.who.record.id, *version, c.who.actor, c.now);
        if (outcome == store::DecisionOutcome::done || outcome == store::DecisionOutcome::already)
          return Response::see_other(c.who.base + "/my-plan");
        const std::vector<core::Error> problems{core::Error::invalid(
            "advice_meeting", outcome == store::DecisionOutcome::not_agreed
                                  ? "The person has not agreed this version yet: the council signs off only what "
                                    "the person agreed"
                                  : "There is a newer version of this plan: check it before you sign off")};
        return my_plan_page(views, c.db(), catalogues, c.caller(), c.who, c.now, nullptr, problems);
      }),
      form);

  router.add(
      "POST", "/plan/{id}/reviews/request", Action::plan_with_person,
      route(kThePlan, Use::plan_work, [&errors](const PlanCall& c) {
        if (!store::review_state(c.db(), c.who.record.id).started) return errors.not_found(c.request, c.caller());
        // Asking twice is harmless: the pending c.request stands.
        (void)store::request_review(c.db(), c.who.record.id, c.who.actor, c.now);
        return Response::see_other(c.who.base + "/my-plan");
      }),
      form);
  router.add(
      "POST", "/plan/{id}/reviews", Action::assess_needs,
      route(kThePlan, Use::assessment, [&views, &errors, &catalogues](const PlanCall& c) {
        if (!store::review_state(c.db(), c.who.record.id).started) return errors.not_found(c.request, c.caller());
        const std::string notes(core::trim(c.form.one("review_notes")));
        if (notes.empty() || notes.size() > careplan::kMaxAdviceChars)
          return my_plan_page(views, c.db(), catalogues, c.caller(), c.who, c.now, nullptr,
                              {core::Error::invalid("review_notes", "Say what the review found, in up to 2,000 characters")});
        store::record_review(c.db(), c.who.record.id, notes, c.who.actor, c.now);
        return Response::see_other(c.who.base + "/my-plan");
      }),
      form);

  router.add(
      "POST", "/plan/{id}/referrals", Action::plan_with_person,
      route(kThePlan, Use::plan_work, [&views, &errors, &catalogues](const PlanCall& c) {
        const auto index = whole_number(c.form.one("line"));
        const auto version = whole_number(c.form.one("version"));
        const auto latest = store::latest_plan(c.db(), c.who.record.id);
        if (!index || !version || !latest || *index >= static_cast<std::int64_t>(latest->content.lines.size()) ||
            latest->content.lines[static_cast<std::size_t>(*index)].source != careplan::Source::service)
          return unreadable(errors, c.request, c.caller());
        const auto& line = latest->content.lines[static_cast<std::size_t>(*index)];
        const auto fail = [&](std::string message) {
          auto d = details_of(latest->content);
          d.referral_note = c.form.one("note");
          return my_plan_page(views, c.db(), catalogues, c.caller(), c.who, c.now, &d,
                              {core::Error::invalid("refer-" + std::to_string(*index), std::move(message))});
        };
        // Consent is to one service: if the plan changed since the page was
        // shown, the person agreed to share with what they saw, not with this.
        if (*version != latest->version || line.ref != c.form.one("service"))
          return fail("The plan changed while you were looking at it: check the support below, then refer again");
        // Consent is the person's: given by them or someone acting for them, or
        // recorded by their coordinator only with them there.
        const bool present = c.form.one("person_present") == "yes";
        if (c.form.one("consent") != "yes" || (c.who.coordinator() && !present))
          return fail(c.who.coordinator()
                          ? "Tick to record that " + c.who.name + " is with you and agrees that " + line.title +
                                " may see their name, this need and the note"
                          : "Tick to agree that " + line.title + " may see " +
                                (c.who.own() ? std::string("your name, this need and your note")
                                             : "the person's name, this need and the note"));
        const std::string note(core::trim(c.form.one("note")));
        if (core::code_points(note) > 1000) return fail("The note must be 1,000 characters or fewer");
        store::NewReferral referral{c.who.record.id, line.ref,  line.title, line.need_code, line.need_label,
                                    note,            present || !c.who.coordinator()};
        switch (store::make_referral(c.db(), referral, c.who.actor, c.now)) {
          case store::ReferralOutcome::made: return Response::see_other(c.who.base + "/my-plan");
          case store::ReferralOutcome::no_such_service:
            return fail(line.title + " is no longer offered: choose again on the options page");
          case store::ReferralOutcome::no_spare_places:
            return fail(line.title + " has no spare places just now: choose another option, or ask again later");
          case store::ReferralOutcome::already_referred: break;
        }
        return fail("There is already a referral to " + line.title);
      }),
      form);
  router.add(
      "POST", "/plan/{id}/referrals/{item}/withdraw", Action::plan_with_person,
      route(kThePlan, Use::plan_work, [&errors](const PlanCall& c) {
        if (!store::withdraw_referral(c.db(), c.who.record.id, c.request.param("item").value_or(""), c.who.actor,
                                      c.now))
          return errors.not_found(c.request, c.caller());
        return Response::see_other(c.who.base + "/my-plan");
      }),
      form);

  router.add("GET", "/plan/{id}/versions", Action::plan_with_person,
             route(kThePlan, Use::plan_work, [&views, &errors](const PlanCall& c) {
               return versions_page(views, c.db(), c.caller(), c.who);
             }));
}

}  // namespace bespoke::web
