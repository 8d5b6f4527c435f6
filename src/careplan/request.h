#pragma once
// From a person's record to the plan engine and back: request_for() turns
// what the person told us (their needs, what matters to them, their helpers,
// their budget) into a plans::PlanRequest against a ServiceCatalogue;
// draft_from() turns the engine's Proposal into the lines and gaps of a plan
// document (careplan::Content) with the engine's own words for each.
#include "careplan/catalogue.h"
#include "careplan/plan.h"
#include "careplan/vocabulary.h"
#include "core/error.h"
#include "core/geo.h"
#include "person/record.h"
#include "plans/plans.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace bespoke::careplan {

struct NeedInput {
  std::string code;       // a need code of the vocabulary
  bool eligible = false;  // an eligible need under the Care Act
};

// What the plan is made from, read from the person's record by the caller.
struct PersonFacts {
  core::LatLon home;
  int age = 0;
  std::vector<std::string> circumstances;  // circumstance codes
  std::vector<NeedInput> needs;            // in the person's order
  person::WhatMatters matters;
  std::vector<person::Helper> helpers;
  // The indicative personal budget; none: the person pays their own way and
  // the plan has a budget of £0, so that only free options fit.
  std::optional<person::Budget> budget;
  std::vector<std::string> current_organisations;    // organisation ids already helping
  std::vector<std::string> ruled_out_organisations;  // organisation ids the person does not want
};

// Helpers' options have ids from here on (catalogue options are 1 to size(), far below).
inline constexpr std::uint32_t kHelperOptionBase = 0x80000000U;

// The request for the person (default weights; the caller may set others):
//   person     home, age, circumstances; languages from matters.languages
//              (none: English), the first the main one; travel mode and
//              person::reach_metres (not travelling: 0); times from
//              person::slots_of; culture from the faith (a faith naming no
//              community: none); carer gender; interests; the ruled-out
//              kinds; organisations ruled out and already helping, by their
//              catalogue keys (ones the catalogue does not know are skipped);
//              budget_per_week the budget's weekly amount, or £0 without one
//   needs      in the given order, with their eligible flags
//   own_options  one per helper who helps with a known need: id
//              kHelperOptionBase + the helper's index, informal, the known
//              needs of helps_with, sessions from their times (none: arranged
//              to suit), free, comes to the person, in the person's languages
// Errors (Error::invalid, naming the field): an unknown or repeated need code
// ("needs"), an unknown circumstance ("circumstances"), language ("languages"),
// faith ("faith"), interest ("interests") or provider kind ("ruled_out_kinds"),
// a home that is not a place ("home"), an age outside 0..130 ("age"), a
// negative budget ("budget").
[[nodiscard]] core::Result<plans::PlanRequest> request_for(const PersonFacts& person, const ServiceCatalogue& catalogue,
                                                           const Vocabulary& vocabulary);

// The index into PersonFacts::helpers of a helper's option id; nullopt for
// any other id.
[[nodiscard]] std::optional<std::size_t> helper_index(std::uint32_t option_id) noexcept;

// "Tuesday 10:00 to 12:00"; "arranged to suit you" without a fixed time.
[[nodiscard]] std::string describe_slot(const std::optional<plans::WeeklySlot>& slot);

// One plan line for a candidate meeting `need` (the person's pick, or the
// proposal's): the need's code and label (need_labels is parallel to
// vocabulary.needs; the code stands in for a missing label), the service or
// helper, when, the weekly cost, the guaranteed fallback behind volunteer or
// informal help, and plans::explain's words.
[[nodiscard]] Line line_from(const plans::Candidate& candidate, const plans::PlanRequest& request,
                             const plans::NeedToMeet& need, const PersonFacts& person,
                             const ServiceCatalogue& catalogue, const Vocabulary& vocabulary,
                             std::span<const std::string> need_labels);

// A draft plan from a proposal made for `request` (from request_for(person)):
// its lines and gaps (the reason in plans::gap_text's words), and the budget
// (weekly, the person's contribution, how it is managed, any direct payment,
// which then covers the eligible needs the lines meet). The advice and
// participants are left for the people making the plan.
[[nodiscard]] Content draft_from(const plans::Proposal& proposal, const plans::PlanRequest& request,
                                 const PersonFacts& person, const ServiceCatalogue& catalogue,
                                 const Vocabulary& vocabulary, std::span<const std::string> need_labels);

// Whether a version still matches the person's record: each line's and gap's
// eligibility as the latest assessment decided, and the budget as last set.
// A plan agreed or signed off must follow the assessment and budget in force.
[[nodiscard]] bool matches_record(const Content& content, const PersonFacts& person);

}  // namespace bespoke::careplan
