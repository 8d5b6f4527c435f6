// The person's own record, the first steps of co-producing a plan: About me,
// what matters to me, needs and goals (with the family and friends who help),
// and the council's part, the Care Act assessment and the personal budget,
// which only the person's coordinator records. /plan/{id}/..., where {id} is
// the person's reference; the person, their delegate or their coordinator.
#include "core/text.h"
#include "person/record.h"
#include "store/person_store.h"
#include "web/auth/authenticator.h"
#include "web/auth/page_meta.h"
#include "web/errors.h"
#include "web/pages/plan_support.h"
#include "web/routes.h"
#include "web/views.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <charconv>

namespace bespoke::web {
namespace {

using kainjow::mustache::data;
using policy::Action;

constexpr std::size_t kFormLimit = 64 * 1024;
constexpr std::size_t kMaxGoals = 20;
constexpr std::size_t kMaxHelpers = 20;

template <std::size_t N>
std::vector<Option> options_of(const std::array<person::Choice, N>& choices) {
  std::vector<Option> out;
  for (const auto& c : choices) out.emplace_back(std::string(c.code), std::string(c.label));
  return out;
}


// ---- About me -------------------------------------------------------------

Response about_me_page(const Views& views, const Caller& caller, const PlanPerson& who, const person::AboutMe& about,
                       const std::vector<core::Error>& problems) {
  const auto title = plan_title(who, "About me", "About");
  auto view = plan_view(who, caller, title);
  FormFields fields(problems);
  fields.text("please_call_me", "What should people call you?", "", about.please_call_me, "govuk-input--width-20")
      .textarea("communication", "How you communicate, and how people should communicate with you",
                "For example: I use a hearing aid; please face me and speak clearly", about.communication)
      .textarea("important_people", "The people who are important to you, and their part in your life", "",
                about.important_people)
      .textarea("good_day", "What a good day looks like for you", "", about.good_day)
      .textarea("adjustments", "Reasonable adjustments you need",
                "For example: appointments after 10am; a quiet room; written information in large print",
                about.adjustments);
  view.set("fields", fields.list());
  view.set("action", who.base + "/about-me");
  view.set("intro", std::string("In your own words: what you want everyone who helps you to know."));
  view.set("button", std::string("Save and continue"));
  PageMeta meta = page_meta(caller, title);
  show_errors(problems, view, meta);
  return views.html("plan_step.mustache", view, meta, problems.empty() ? 200 : 422);
}

// ---- What matters to me -----------------------------------------------------

std::vector<Option> faith_options() {
  auto out = options_of(person::kFaiths);
  out.emplace_back("", "I'd rather not say");
  return out;
}

Response what_matters_page(const Views& views, const Caller& caller, const PlanPerson& who,
                           const person::WhatMatters& m, const std::string& minutes,
                           const std::vector<core::Error>& problems) {
  const auto title = plan_title(who, "What matters to you", "What matters to");
  auto view = plan_view(who, caller, title);
  const std::string gender = m.carer_gender == plans::CarerGender::female ? "female"
                             : m.carer_gender == plans::CarerGender::male ? "male"
                                                                          : "any";
  const std::string travel(person::kTravelModes[static_cast<std::size_t>(m.travel)].code);
  FormFields fields(problems);
  fields
      .checkboxes("languages", "Languages you can be supported in", "The first you tick is taken as your main language",
                  options_of(person::kLanguages), m.languages)
      .radios("faith", "Faith or belief", "So we can suggest groups from your community, if you want that",
              faith_options(), m.faith)
      .radios("carer_gender", "Would you prefer carers of one gender?", "",
              {{"any", "No preference"}, {"female", "Women"}, {"male", "Men"}}, gender)
      .checkboxes("times", "When suits you", "Leave them all empty if any time suits", time_options(), m.times)
      .radios("travel", "How you get about", "", options_of(person::kTravelModes), travel)
      .text("travel_minutes", "How long are you happy to travel, each way, in minutes?", "For example, 20", minutes,
            "govuk-input--width-3")
      .checkboxes("interests", "What you enjoy", "", options_of(person::kInterests), m.interests)
      .checkboxes("communication", "Communication support you need", "", options_of(person::kCommunicationNeeds),
                  m.communication)
      .checkboxes("ruled_out_kinds", "Kinds of organisation you don't want support from", "",
                  options_of(person::kProviderKinds), m.ruled_out_kinds)
      .textarea("food", "Food and drink", "What you like, what you can't eat", m.food)
      .textarea("pets", "Pets", "", m.pets)
      .textarea("anything_else", "Anything else that matters to you", "", m.anything_else);
  view.set("fields", fields.list());
  view.set("action", who.base + "/what-matters");
  view.set("intro", std::string("We use your answers to suggest support that fits your life: each suggestion says "
                                "how it fits."));
  view.set("button", std::string("Save and continue"));
  PageMeta meta = page_meta(caller, title);
  show_errors(problems, view, meta);
  return views.html("plan_step.mustache", view, meta, problems.empty() ? 200 : 422);
}

person::WhatMatters what_matters_from(const PostedForm& form, std::vector<core::Error>& problems) {
  person::WhatMatters m;
  m.languages = form.all("languages");
  m.faith = form.one("faith");
  const auto gender = form.one("carer_gender");
  if (gender != "any" && gender != "female" && gender != "male")
    problems.push_back(core::Error::invalid("carer_gender", "Choose whether you would prefer carers of one gender"));
  m.carer_gender = gender == "female" ? plans::CarerGender::female
                   : gender == "male" ? plans::CarerGender::male
                                      : plans::CarerGender::any;
  m.times = form.all("times");
  const auto travel = form.one("travel");
  if (person::label_of(person::kTravelModes, travel).empty())
    problems.push_back(core::Error::invalid("travel", "Choose how you get about"));
  m.travel = travel == "bus" ? plans::TravelMode::bus
             : travel == "car" ? plans::TravelMode::car
             : travel == "none" ? plans::TravelMode::none
                                : plans::TravelMode::walk;
  const auto minutes = std::string(core::trim(form.one("travel_minutes")));
  int value = 0;
  const auto [end, ec] = std::from_chars(minutes.data(), minutes.data() + minutes.size(), value);
  if (m.travel == plans::TravelMode::none && minutes.empty()) value = 0;
  else if (ec != std::errc() || end != minutes.data() + minutes.size())
    problems.push_back(core::Error::invalid("travel_minutes", "Enter how many minutes you will travel, like 20"));
  // Someone who does not travel has no distance: whatever number came with the form is not theirs.
  m.travel_minutes = m.travel == plans::TravelMode::none ? 0 : value;
  m.interests = form.all("interests");
  m.communication = form.all("communication");
  m.ruled_out_kinds = form.all("ruled_out_kinds");
  m.food = form.one("food");
  m.pets = form.one("pets");
  m.anything_else = form.one("anything_else");
  return m;
}

// ---- Needs and goals ------------------------------------------------------------

struct NeedsAnswers {
  person::Goal goal;
  person::Helper helper;
};

Response needs_page(const Views& views, store::Connection& db, const Caller& caller, const PlanPerson& who,
                    const NeedsAnswers& answers, const std::vector<core::Error>& problems) {
  const auto title = plan_title(who, "Your needs and goals", "Needs and goals");
  auto view = plan_view(who, caller, title);
  const auto assessment = store::latest_assessment(db, who.record.id);
  data needs{data::type::list};
  for (const auto& n : who.record.needs) {
    data row;
    row.set("label", n.label);
    const bool eligible = assessment && std::find(assessment->assessment.eligible_needs.begin(),
                                                  assessment->assessment.eligible_needs.end(),
                                                  n.code) != assessment->assessment.eligible_needs.end();
    row.set("eligible", eligible);
    needs.push_back(row);
  }
  view.set("needs", needs);
  view.set("has_needs", !who.record.needs.empty());
  view.set("assessed", assessment.has_value());
  const auto labels = need_options(who.record);
  const auto label_of = [&](const std::string& code) {
    for (const auto& [c, l] : labels)
      if (c == code) return l;
    return code;
  };
  data goals{data::type::list};
  for (const auto& g : store::goals_of(db, who.record.id)) {
    data row;
    row.set("hope", g.hope);
    row.set("how_we_know", g.how_we_know);
    row.set("need", g.need_code.empty() ? data(false) : data(label_of(g.need_code)));
    row.set("remove_action", who.base + "/goals/" + g.public_id + "/remove");
    row.set("csrf_token", caller.csrf_token);
    goals.push_back(row);
  }
  view.set("goals", goals);
  view.set("has_goals", !goals.is_empty_list());
  data helpers{data::type::list};
  for (const auto& h : store::helpers_of(db, who.record.id)) {
    data row;
    row.set("name", h.name);
    row.set("relationship", h.relationship);
    std::string with;
    for (const auto& code : h.helps_with) with += (with.empty() ? "" : ", ") + label_of(code);
    row.set("helps_with", with);
    row.set("remove_action", who.base + "/helpers/" + h.public_id + "/remove");
    row.set("csrf_token", caller.csrf_token);
    helpers.push_back(row);
  }
  view.set("helpers", helpers);
  view.set("has_helpers", !helpers.is_empty_list());

  auto goal_options = labels;
  goal_options.insert(goal_options.begin(), Option{"", "Not one need in particular"});
  FormFields goal(problems);
  goal.textarea("hope", "What do you hope for?", "In your own words: a hope, not a service. For example: to get to my "
                                                 "grandson's football matches",
                answers.goal.hope)
      .textarea("how_we_know", "How will you know it has happened?", "", answers.goal.how_we_know)
      .radios("need_code", "Which need is it about?", "", goal_options, answers.goal.need_code);
  data goal_form;
  goal_form.set("fields", goal.list());
  view.set("goal_form", goal_form);
  FormFields helper(problems);
  helper.text("name", "Their name", "", answers.helper.name, "govuk-input--width-20")
      .text("relationship", "Who they are to you", "For example: daughter, neighbour", answers.helper.relationship,
            "govuk-input--width-20")
      .checkboxes("helps_with", "What they help with", "", labels, answers.helper.helps_with)
      .checkboxes("helper_times", "When they can help", "Leave empty if you arrange it between you", time_options(),
                  answers.helper.times)
      .text("contact", "How to reach them (optional)", "Only if they agree", answers.helper.contact);
  data helper_form;
  helper_form.set("fields", helper.list());
  view.set("helper_form", helper_form);
  PageMeta meta = page_meta(caller, title);
  show_errors(problems, view, meta);
  return views.html("plan_needs.mustache", view, meta, problems.empty() ? 200 : 422);
}

// ---- The Care Act assessment and the budget ----------------------------------

std::string pounds_text(core::Pence p) {
  auto text = core::format_pounds(p);
  return text.starts_with("£") ? text.substr(std::string("£").size()) : text;
}

struct AssessmentAnswers {
  person::Assessment assessment;
  std::string weekly, contribution, management = "council_managed", direct_payment;
};

Response assessment_page(const Views& views, store::Connection& db, const Caller& caller, const PlanPerson& who,
                         const AssessmentAnswers& answers, const std::vector<core::Error>& problems) {
  const auto title = "Assessment and budget: " + who.name;
  auto view = plan_view(who, caller, title);
  if (const auto latest = store::latest_assessment(db, who.record.id)) {
    view.set("assessed_at", latest->assessment.assessed_at.substr(0, 10));
    view.set("assessed_by", latest->assessment.assessed_by);
    view.set("eligible", latest->decision.eligible);
    data reasons{data::type::list};
    for (const auto& r : latest->decision.reasons) reasons.push_back(data(r));
    view.set("reasons", reasons);
    view.set("has_assessment", true);
  }
  if (const auto budget = store::latest_budget(db, who.record.id)) {
    view.set("has_budget", true);
    view.set("budget_weekly", core::format_pounds(budget->budget.weekly));
    view.set("budget_person", core::format_pounds(budget->budget.person_contribution));
    view.set("budget_council", core::format_pounds(budget->budget.council_contribution()));
  }
  const auto& a = answers.assessment;
  std::vector<Option> tests;
  for (const auto& t : person::kUnableTests) tests.emplace_back(std::string(t.code), std::string(t.label));
  const std::vector<Option> yes_no{{"yes", "Yes"}, {"no", "No"}};
  FormFields fields(problems);
  fields.radios("from_impairment", "Do the needs arise from a physical or mental impairment or illness?", "", yes_no,
                a.from_impairment ? "yes" : "no")
      .textarea("impairment_notes", "The impairment or illness", "", a.impairment_notes);
  for (std::size_t i = 0; i < person::kOutcomes.size(); ++i) {
    const std::string code(person::kOutcomes[i].code);
    std::vector<std::string> ticked;
    for (std::size_t t = 0; t < person::kUnableTests.size(); ++t)
      if (a.outcomes[i].tests & (1U << t)) ticked.emplace_back(person::kUnableTests[t].code);
    fields.checkboxes("outcome_" + code, std::string(person::kOutcomes[i].label),
                      "Tick any that apply; none means they can achieve it", tests, ticked)
        .textarea("outcome_" + code + "_why", "Why, in the person's words where you can", "", a.outcomes[i].why);
  }
  fields.radios("significant_impact", "Is there, or is there likely to be, a significant impact on their wellbeing?",
                "", yes_no, a.significant_impact ? "yes" : "no")
      .textarea("wellbeing_notes", "The impact on their wellbeing", "", a.wellbeing_notes)
      .radios("fluctuating", "Do the needs fluctuate?", "", yes_no, a.fluctuating ? "yes" : "no")
      .textarea("fluctuating_notes", "How they fluctuate, and over what period you judged them", "",
                a.fluctuating_notes)
      .checkboxes("eligible_needs", "Which of their needs will the council meet?",
                  "Only when the three conditions are met", need_options(who.record), a.eligible_needs);
  view.set("fields", fields.list());
  FormFields budget(problems);
  budget.money("weekly", "Indicative personal budget, per week", "", answers.weekly)
      .money("person_contribution", "The person's contribution, per week", "From the financial assessment",
             answers.contribution)
      .radios("management", "How the budget is managed", "", options_of(person::kBudgetManagement), answers.management)
      .money("direct_payment", "Direct payment, per week", "0 when there is none", answers.direct_payment);
  data budget_form;
  budget_form.set("fields", budget.list());
  view.set("budget_form", budget_form);
  PageMeta meta = page_meta(caller, title);
  show_errors(problems, view, meta);
  return views.html("plan_assessment.mustache", view, meta, problems.empty() ? 200 : 422);
}

AssessmentAnswers assessment_answers(store::Connection& db, std::int64_t resident_id) {
  AssessmentAnswers out;
  if (auto latest = store::latest_assessment(db, resident_id)) out.assessment = latest->assessment;
  if (const auto budget = store::latest_budget(db, resident_id)) {
    out.weekly = pounds_text(budget->budget.weekly);
    out.contribution = pounds_text(budget->budget.person_contribution);
    out.management = std::string(person::kBudgetManagement[static_cast<std::size_t>(budget->budget.management)].code);
    out.direct_payment = pounds_text(budget->budget.direct_payment);
  }
  return out;
}

person::Assessment assessment_from(const PostedForm& form) {
  person::Assessment a;
  a.from_impairment = form.one("from_impairment") == "yes";
  a.impairment_notes = form.one("impairment_notes");
  for (std::size_t i = 0; i < person::kOutcomes.size(); ++i) {
    const std::string code(person::kOutcomes[i].code);
    for (const auto& ticked : form.all("outcome_" + code))
      for (std::size_t t = 0; t < person::kUnableTests.size(); ++t)
        if (person::kUnableTests[t].code == ticked) a.outcomes[i].tests |= static_cast<std::uint8_t>(1U << t);
    a.outcomes[i].why = form.one("outcome_" + code + "_why");
  }
  a.significant_impact = form.one("significant_impact") == "yes";
  a.wellbeing_notes = form.one("wellbeing_notes");
  a.fluctuating = form.one("fluctuating") == "yes";
  a.fluctuating_notes = form.one("fluctuating_notes");
  a.eligible_needs = form.all("eligible_needs");
  return a;
}

// The budget form's answers as a budget; unreadable amounts are problems.
person::Budget budget_from(const AssessmentAnswers& answers, std::vector<core::Error>& problems) {
  const auto money = [&](const std::string& text, const char* field, const char* what) {
    const auto pence = person::parse_pounds(text.empty() ? std::string("0") : text);
    if (!pence) problems.push_back(core::Error::invalid(field, std::string("Enter ") + what + " in pounds, like 125.50"));
    return pence.value_or(core::Pence{});
  };
  person::Budget budget;
  budget.weekly = money(answers.weekly, "weekly", "the weekly budget");
  budget.person_contribution = money(answers.contribution, "person_contribution", "the person's contribution");
  budget.direct_payment = money(answers.direct_payment, "direct_payment", "the direct payment");
  bool known = false;
  for (std::size_t i = 0; i < person::kBudgetManagement.size(); ++i)
    if (person::kBudgetManagement[i].code == answers.management) {
      budget.management = static_cast<person::BudgetManagement>(i);
      known = true;
    }
  if (!known) problems.push_back(core::Error::invalid("management", "Choose how the budget is managed"));
  return budget;
}

}  // namespace

void add_plan_record_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth) {
  RouteOptions form;
  form.body_limit = kFormLimit;
  using accounts::RecordPart;
  const auto route = [&errors, &auth](Parts parts, Use use, PlanHandler handler) {
    return plan_route(errors, auth, std::move(parts), use, std::move(handler));
  };

  router.add("GET", "/plan/{id}/about-me", Action::plan_with_person,
             route(kAboutThem, Use::plan_work, [&views](const PlanCall& c) {
               return about_me_page(views, c.caller(), c.who, store::read_profile(c.db(), c.who.record.id).about, {});
             }));
  router.add(
      "POST", "/plan/{id}/about-me", Action::plan_with_person,
      route(kAboutThem, Use::plan_work,
            [&views](const PlanCall& c) {
              const person::AboutMe about{c.form.one("please_call_me"), c.form.one("communication"),
                                          c.form.one("important_people"), c.form.one("good_day"),
                                          c.form.one("adjustments")};
              const auto problems = person::about_me_problems(about);
              if (!problems.empty()) return about_me_page(views, c.caller(), c.who, about, problems);
              store::save_about_me(c.db(), c.who.record.id, about, c.who.actor, c.now);
              return Response::see_other(c.who.base + "/what-matters");
            }),
      form);

  router.add("GET", "/plan/{id}/what-matters", Action::plan_with_person,
             route(kAboutThem, Use::plan_work, [&views](const PlanCall& c) {
               const auto profile = store::read_profile(c.db(), c.who.record.id);
               return what_matters_page(views, c.caller(), c.who, profile.matters,
                                        std::to_string(profile.matters.travel_minutes), {});
             }));
  router.add(
      "POST", "/plan/{id}/what-matters", Action::plan_with_person,
      route(kAboutThem, Use::plan_work,
            [&views](const PlanCall& c) {
              std::vector<core::Error> problems;
              const auto matters = what_matters_from(c.form, problems);
              // Every problem at once: the form's own (unreadable answers), then the record's checks on the rest.
              for (auto& e : person::what_matters_problems(matters))
                if (std::none_of(problems.begin(), problems.end(), [&](const auto& p) { return p.field == e.field; }))
                  problems.push_back(std::move(e));
              if (!problems.empty())
                return what_matters_page(views, c.caller(), c.who, matters, c.form.one("travel_minutes"), problems);
              store::save_what_matters(c.db(), c.who.record.id, matters, c.who.actor, c.now);
              return Response::see_other(c.who.base + "/needs");
            }),
      form);

  router.add("GET", "/plan/{id}/needs", Action::plan_with_person,
             route(kNeedsAndGoals, Use::plan_work,
                   [&views](const PlanCall& c) { return needs_page(views, c.db(), c.caller(), c.who, {}, {}); }));
  router.add(
      "POST", "/plan/{id}/goals", Action::plan_with_person,
      route(kNeedsAndGoals, Use::plan_work,
            [&views](const PlanCall& c) {
              NeedsAnswers answers;
              answers.goal = {{}, c.form.one("hope"), c.form.one("how_we_know"), c.form.one("need_code"), false};
              auto problems = person::goal_problems(answers.goal, need_codes(c.who.record));
              if (store::goals_of(c.db(), c.who.record.id).size() >= kMaxGoals)
                problems.push_back(core::Error::invalid(
                    "hope", "You can keep up to " + std::to_string(kMaxGoals) + " goals: remove one first"));
              if (!problems.empty()) return needs_page(views, c.db(), c.caller(), c.who, answers, problems);
              store::add_goal(c.db(), c.who.record.id, answers.goal, c.who.actor, c.now);
              return Response::see_other(c.who.base + "/needs");
            }),
      form);
  router.add(
      "POST", "/plan/{id}/helpers", Action::plan_with_person,
      route(kNeedsAndGoals, Use::plan_work,
            [&views](const PlanCall& c) {
              NeedsAnswers answers;
              answers.helper = {{},
                                c.form.one("name"),
                                c.form.one("relationship"),
                                c.form.all("helps_with"),
                                c.form.all("helper_times"),
                                c.form.one("contact")};
              auto problems = person::helper_problems(answers.helper, need_codes(c.who.record));
              // Each helper is an option the engine weighs for every proposal: a person's circle, not a directory.
              if (store::helpers_of(c.db(), c.who.record.id).size() >= kMaxHelpers)
                problems.push_back(core::Error::invalid(
                    "name", "You can list up to " + std::to_string(kMaxHelpers) + " people who help: remove one first"));
              for (auto& p : problems)
                if (p.field == "times") p.field = "helper_times";
              if (!problems.empty()) return needs_page(views, c.db(), c.caller(), c.who, answers, problems);
              store::add_helper(c.db(), c.who.record.id, answers.helper, c.who.actor, c.now);
              return Response::see_other(c.who.base + "/needs");
            }),
      form);
  // Removing a goal or a helper: the same shape, by the item's id.
  using Remove = bool (*)(store::Connection&, std::int64_t, std::string_view, const store::Actor&, core::Timestamp);
  const auto remove = [&errors](Remove remove_item) {
    return [&errors, remove_item](const PlanCall& c) {
      if (!remove_item(c.db(), c.who.record.id, c.request.param("item").value_or(""), c.who.actor, c.now))
        return errors.not_found(c.request, c.caller());
      return Response::see_other(c.who.base + "/needs");
    };
  };
  router.add("POST", "/plan/{id}/goals/{item}/remove", Action::plan_with_person,
             route(kNeedsAndGoals, Use::plan_work, remove(&store::remove_goal)), form);
  router.add("POST", "/plan/{id}/helpers/{item}/remove", Action::plan_with_person,
             route(kNeedsAndGoals, Use::plan_work, remove(&store::remove_helper)), form);

  router.add("GET", "/plan/{id}/assessment", Action::assess_needs,
             route(kAssessment, Use::assessment, [&views](const PlanCall& c) {
               return assessment_page(views, c.db(), c.caller(), c.who, assessment_answers(c.db(), c.who.record.id),
                                      {});
             }));
  router.add(
      "POST", "/plan/{id}/assessment", Action::assess_needs,
      route(kAssessment, Use::assessment,
            [&views](const PlanCall& c) {
              auto answers = assessment_answers(c.db(), c.who.record.id);
              answers.assessment = assessment_from(c.form);
              const auto problems = person::assessment_problems(answers.assessment, need_codes(c.who.record));
              if (!problems.empty()) return assessment_page(views, c.db(), c.caller(), c.who, answers, problems);
              store::record_assessment(c.db(), c.who.record.id, answers.assessment,
                                       person::decide(answers.assessment), c.who.actor, c.now);
              return Response::see_other(c.who.base + "/assessment");
            }),
      form);
  router.add(
      "POST", "/plan/{id}/budget", Action::assess_needs,
      route(kAssessment, Use::assessment,
            [&views](const PlanCall& c) {
              auto answers = assessment_answers(c.db(), c.who.record.id);
              answers.weekly = c.form.one("weekly");
              answers.contribution = c.form.one("person_contribution");
              answers.management = c.form.one("management");
              answers.direct_payment = c.form.one("direct_payment");
              std::vector<core::Error> problems;
              const auto budget = budget_from(answers, problems);
              if (problems.empty()) problems = person::budget_problems(budget);
              if (!problems.empty()) return assessment_page(views, c.db(), c.caller(), c.who, answers, problems);
              store::set_budget(c.db(), c.who.record.id, budget, c.who.actor, c.now);
              return Response::see_other(c.who.base + "/assessment");
            }),
      form);
}

}  // namespace bespoke::web
