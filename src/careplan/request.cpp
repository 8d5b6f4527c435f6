#include "careplan/request.h"

#include "core/text.h"

#include <algorithm>
#include <cstdio>

namespace bespoke::careplan {
namespace {

using core::Error;

std::string hhmm(std::uint16_t minutes) {
  if (minutes >= 1440) return "midnight";
  char text[8];
  std::snprintf(text, sizeof text, "%02u:%02u", static_cast<unsigned>(minutes / 60),
                static_cast<unsigned>(minutes % 60));
  return text;
}

std::string need_code(const Vocabulary& vocabulary, plans::NeedId need) {
  return need < vocabulary.needs.size() ? vocabulary.needs[need] : std::string();
}

std::string need_label(const Vocabulary& vocabulary, std::span<const std::string> labels, plans::NeedId need) {
  if (need < labels.size() && !labels[need].empty()) return labels[need];
  return need_code(vocabulary, need);
}

}  // namespace

core::Result<plans::PlanRequest> request_for(const PersonFacts& facts, const ServiceCatalogue& catalogue,
                                             const Vocabulary& vocabulary) {
  plans::PlanRequest request;
  plans::Person& p = request.person;
  const auto& m = facts.matters;

  if (!core::is_valid(facts.home)) return Error::invalid("home", "The home is not a place on the map");
  p.home = facts.home;
  if (facts.age < 0 || facts.age > 130) return Error::invalid("age", "The age must be between 0 and 130");
  p.age = facts.age;
  for (const auto& code : facts.circumstances) {
    const auto bit = vocabulary.circumstance(code);
    if (!bit) return Error::invalid("circumstances", "Unknown circumstance: " + code);
    p.circumstances |= std::uint32_t{1} << *bit;
  }

  // Languages: English when none is given; the first is the main one.
  p.languages = 0;
  for (const auto& code : m.languages) {
    const auto bit = vocabulary.language(code);
    if (!bit) return Error::invalid("languages", "Unknown language: " + code);
    if (p.languages == 0) p.main_language = static_cast<std::uint8_t>(*bit);
    p.languages |= std::uint64_t{1} << *bit;
  }
  if (p.languages == 0) p.languages = 1, p.main_language = 0;

  p.travel = m.travel;
  p.max_travel_m = m.travel == plans::TravelMode::none ? 0.0 : person::reach_metres(m.travel, m.travel_minutes);
  p.times_that_suit = person::slots_of(m.times);
  if (!m.faith.empty()) {
    if (const auto bit = vocabulary.culture(m.faith)) {
      p.culture = std::uint32_t{1} << *bit;
    } else if (std::find(vocabulary.other_faiths.begin(), vocabulary.other_faiths.end(), m.faith) ==
               vocabulary.other_faiths.end()) {
      return Error::invalid("faith", "Unknown faith: " + m.faith);
    }
  }
  p.carer_gender = m.carer_gender;
  for (const auto& code : m.interests) {
    const auto bit = vocabulary.interest(code);
    if (!bit) return Error::invalid("interests", "Unknown interest: " + code);
    p.interests |= std::uint64_t{1} << *bit;
  }
  for (const auto& code : m.ruled_out_kinds) {
    const auto kind = provider_kind(code);
    if (!kind) return Error::invalid("ruled_out_kinds", "Unknown kind of provider: " + code);
    if (std::find(p.excluded_kinds.begin(), p.excluded_kinds.end(), *kind) == p.excluded_kinds.end())
      p.excluded_kinds.push_back(*kind);
  }
  for (const auto& id : facts.ruled_out_organisations)
    if (const auto key = catalogue.organisation_key(id)) p.excluded_organisations.push_back(*key);
  for (const auto& id : facts.current_organisations)
    if (const auto key = catalogue.organisation_key(id)) p.current_organisations.push_back(*key);

  // No budget: the person pays their own way, and a budget of £0 lets only
  // free options into the plan (paid ones still rank, for the person to choose).
  if (facts.budget && facts.budget->weekly.value < 0) return Error::invalid("budget", "The budget cannot be negative");
  p.budget_per_week = facts.budget ? facts.budget->weekly : core::Pence{0};

  for (const auto& n : facts.needs) {
    const auto need = vocabulary.need(n.code);
    if (!need) return Error::invalid("needs", "Unknown need: " + n.code);
    for (const auto& earlier : request.needs)
      if (earlier.need == *need) return Error::invalid("needs", "A need is listed twice: " + n.code);
    request.needs.push_back({*need, n.eligible});
  }

  for (std::size_t h = 0; h < facts.helpers.size(); ++h) {
    const auto& helper = facts.helpers[h];
    plans::Option o;
    o.id = kHelperOptionBase + static_cast<std::uint32_t>(h);
    o.kind = plans::ProviderKind::informal;
    for (const auto& code : helper.helps_with)
      if (const auto need = vocabulary.need(code))
        if (std::find(o.needs.begin(), o.needs.end(), *need) == o.needs.end()) o.needs.push_back(*need);
    if (o.needs.empty()) continue;  // helps with nothing the plan can use
    o.sessions = person::slots_of(helper.times);
    o.languages = p.languages;
    request.own_options.push_back(std::move(o));
  }

  if (const auto problems = plans::request_problems(request); !problems.empty())
    return Error::invalid(problems.front(), "The plan cannot be made from these " + problems.front());
  return request;
}

std::optional<std::size_t> helper_index(std::uint32_t option_id) noexcept {
  if (option_id < kHelperOptionBase) return std::nullopt;
  return static_cast<std::size_t>(option_id - kHelperOptionBase);
}

std::string describe_slot(const std::optional<plans::WeeklySlot>& slot) {
  if (!slot) return "arranged to suit you";
  return std::string(person::kDayNames[slot->day % 7]) + " " + hhmm(slot->start) + " to " + hhmm(slot->end);
}

Line line_from(const plans::Candidate& candidate, const plans::PlanRequest& request, const plans::NeedToMeet& need,
               const PersonFacts& person, const ServiceCatalogue& catalogue, const Vocabulary& vocabulary,
               std::span<const std::string> need_labels) {
  Line line;
  line.need_code = need_code(vocabulary, need.need);
  line.need_label = need_label(vocabulary, need_labels, need.need);
  line.eligible = need.eligible;
  const plans::Option& o = *candidate.option;
  if (const auto h = helper_index(o.id); h && *h < person.helpers.size()) {
    const auto& helper = person.helpers[*h];
    line.source = Source::informal;
    line.ref = helper.public_id;
    line.title = helper.name;
    line.provider = helper.relationship;
  } else if (const auto* facts = catalogue.facts(o.id)) {
    line.source = Source::service;
    line.ref = facts->id;
    line.title = facts->name;
    line.provider = facts->organisation;
  } else {
    line.source = Source::own_idea;
  }
  line.when = describe_slot(candidate.slot());
  line.weekly_cost = candidate.weekly_cost;
  // Volunteers and family cannot carry a statutory duty alone (docs/plans.md, the fallback rule).
  line.needs_fallback = o.kind == plans::ProviderKind::volunteer_group || o.kind == plans::ProviderKind::informal;
  if (candidate.fallback) {
    if (const auto* fallback = catalogue.facts(*candidate.fallback)) {
      line.fallback_ref = fallback->id;
      line.fallback_title = fallback->name;
    }
  }
  line.explanation = plans::explain(candidate, request.person, vocabulary.names());
  return line;
}

Content draft_from(const plans::Proposal& proposal, const plans::PlanRequest& request, const PersonFacts& person,
                   const ServiceCatalogue& catalogue, const Vocabulary& vocabulary,
                   std::span<const std::string> need_labels) {
  Content content;
  std::vector<std::string> eligible_met;
  for (const auto& l : proposal.lines) {
    content.lines.push_back(
        line_from(l.chosen, request, {l.need, l.eligible}, person, catalogue, vocabulary, need_labels));
    if (l.eligible) eligible_met.push_back(content.lines.back().need_label);
  }
  for (const auto& g : proposal.gaps)
    content.gaps.push_back({need_code(vocabulary, g.need), need_label(vocabulary, need_labels, g.need), g.eligible,
                            std::string(plans::gap_text(g.reason))});
  if (person.budget) {
    const auto& b = *person.budget;
    content.budget_weekly = b.weekly;
    content.person_contribution = b.person_contribution;
    if (const auto m = static_cast<std::size_t>(b.management); m < person::kBudgetManagement.size())
      content.budget_management = std::string(person::kBudgetManagement[m].code);
    content.direct_payment_weekly = b.direct_payment;
    if (b.direct_payment.value > 0) content.direct_payment_needs = core::in_words(eligible_met);
  }
  return content;
}

bool matches_record(const Content& content, const PersonFacts& person) {
  const auto eligible = [&](const std::string& code) {
    for (const auto& n : person.needs)
      if (n.code == code) return n.eligible;
    return false;
  };
  for (const auto& l : content.lines)
    if (l.eligible != eligible(l.need_code)) return false;
  for (const auto& g : content.gaps)
    if (g.eligible != eligible(g.need_code)) return false;
  const auto weekly = person.budget ? person.budget->weekly : core::Pence{};
  const auto contribution = person.budget ? person.budget->person_contribution : core::Pence{};
  return content.budget_weekly == weekly && content.person_contribution == contribution;
}

}  // namespace bespoke::careplan
