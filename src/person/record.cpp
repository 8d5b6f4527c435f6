// A person's record: how far they travel, when they are free, and the checks
// on each part before it is stored. The Care Act assessment is in assessment.cpp.
#include "person/record.h"

#include "person/text_check.h"

#include "core/text.h"
#include "core/utf8.h"

#include <algorithm>
#include <tuple>

namespace bespoke::person {

// ---- Travel and times ----------------------------------------------------------

// The plan engine measures straight-line distance from home (rank.cpp) and
// explains it as a route 1.3 times longer (explain.cpp, docs/plans.md
// "distance"). The speeds below give a route length, so it is divided by 1.3
// to return the straight-line radius the engine compares against. A bus or
// car user is given at least a 400 m route (a short walk) even when the wait
// or parking uses up all their minutes.
double reach_metres(plans::TravelMode mode, int minutes) noexcept {
  constexpr double kRouteFactor = 1.3;
  constexpr double kShortWalk = 400;
  const double m = std::max(minutes, 0);
  double route = 0;
  switch (mode) {
    case plans::TravelMode::walk: route = 80.0 * m; break;
    case plans::TravelMode::bus: route = std::max(kShortWalk, 250.0 * (m - 10)); break;
    case plans::TravelMode::car: route = std::max(kShortWalk, 500.0 * (m - 5)); break;
    case plans::TravelMode::none: return 0;
  }
  return route / kRouteFactor;
}

std::optional<plans::WeeklySlot> slot_of(std::string_view time) noexcept {
  if (time.size() < 3 || time[0] < '0' || time[0] > '6' || time[1] != ':') return std::nullopt;
  const auto part = time.substr(2);
  for (const auto& p : kDayParts)
    if (p.code == part) return plans::WeeklySlot{static_cast<std::uint8_t>(time[0] - '0'), p.start, p.end};
  return std::nullopt;
}

std::vector<plans::WeeklySlot> slots_of(const std::vector<std::string>& times) {
  std::vector<plans::WeeklySlot> out;
  out.reserve(times.size());
  for (const auto& t : times)
    if (const auto slot = slot_of(t)) out.push_back(*slot);
  const auto key = [](const plans::WeeklySlot& s) { return std::tie(s.day, s.start, s.end); };
  std::sort(out.begin(), out.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string_view label_of(std::span<const Choice> choices, std::string_view code) noexcept {
  for (const auto& c : choices)
    if (c.code == code) return c.label;
  return {};
}

namespace detail {

bool known(std::span<const Choice> choices, std::string_view code) noexcept {
  return std::any_of(choices.begin(), choices.end(), [&](const Choice& c) { return c.code == code; });
}

bool all_known(std::span<const Choice> choices, const std::vector<std::string>& codes) noexcept {
  return std::all_of(codes.begin(), codes.end(), [&](const std::string& c) { return known(choices, c); });
}

bool all_in(const std::vector<std::string>& allowed, const std::vector<std::string>& codes) noexcept {
  return std::all_of(codes.begin(), codes.end(), [&](const std::string& c) {
    return std::find(allowed.begin(), allowed.end(), c) != allowed.end();
  });
}

// Control characters other than tab, LF and CR: C0, DEL and C1 (U+0080..U+009F,
// which valid UTF-8 spells C2 80..C2 9F).
bool has_control_characters(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

void check_text(std::vector<core::Error>& out, std::string_view field, std::string_view value, std::string_view name,
                std::size_t max, std::string_view missing) {
  std::string message;
  if (!missing.empty() && core::trim(value).empty()) {
    message = missing;
  } else if (!core::is_valid_utf8(value) || has_control_characters(value)) {
    message = std::string(name) + " contains characters we cannot read";
  } else if (core::code_points(value) > max) {
    message = std::string(name) + " must be " + core::format_thousands(static_cast<std::int64_t>(max)) +
              " characters or fewer";
  } else {
    return;
  }
  out.push_back(core::Error::invalid(std::string(field), std::move(message)));
}

}  // namespace detail

using detail::all_in;
using detail::all_known;
using detail::check_text;
using detail::known;

// ---- Checks ---------------------------------------------------------------------

namespace {

constexpr std::size_t kMediumText = kLongText / 4;        // 500: a goal, food, pets
constexpr std::int64_t kMostWeeklyBudget = 1'000'000;     // £10,000 a week
constexpr std::int64_t kMostPounds = 100'000'000;         // what parse_pounds accepts: £1,000,000
constexpr int kFewestTravelMinutes = 5;
constexpr int kMostTravelMinutes = 120;

void invalid(std::vector<core::Error>& out, std::string_view field, std::string message) {
  out.push_back(core::Error::invalid(std::string(field), std::move(message)));
}

bool all_slots(const std::vector<std::string>& times) noexcept {
  return std::all_of(times.begin(), times.end(), [](const std::string& t) { return slot_of(t).has_value(); });
}

bool has_repeats(std::vector<std::string> codes) {
  std::sort(codes.begin(), codes.end());
  return std::adjacent_find(codes.begin(), codes.end()) != codes.end();
}

}  // namespace

std::vector<core::Error> about_me_problems(const AboutMe& about) {
  std::vector<core::Error> out;
  check_text(out, "please_call_me", about.please_call_me, "What you like to be called", kShortText);
  check_text(out, "communication", about.communication, "How you communicate", kLongText);
  check_text(out, "important_people", about.important_people, "The people who matter to you", kLongText);
  check_text(out, "good_day", about.good_day, "What a good day looks like", kLongText);
  check_text(out, "adjustments", about.adjustments, "The adjustments you need", kLongText);
  return out;
}

std::vector<core::Error> what_matters_problems(const WhatMatters& matters) {
  std::vector<core::Error> out;
  if (matters.languages.empty()) {
    invalid(out, "languages", "Choose at least one language you can be supported in");
  } else if (!all_known(kLanguages, matters.languages)) {
    invalid(out, "languages", "Choose languages from the list");
  } else if (has_repeats(matters.languages)) {
    invalid(out, "languages", "Choose each language only once");
  }
  if (!matters.faith.empty() && !known(kFaiths, matters.faith)) invalid(out, "faith", "Choose a faith from the list");
  if (matters.carer_gender > plans::CarerGender::male)
    invalid(out, "carer_gender", "Choose who you would prefer to support you from the list");
  if (!all_slots(matters.times)) invalid(out, "times", "Choose times from the list");
  if (matters.travel > plans::TravelMode::none) {
    invalid(out, "travel", "Choose how you travel");
  } else if (matters.travel != plans::TravelMode::none &&
             (matters.travel_minutes < kFewestTravelMinutes || matters.travel_minutes > kMostTravelMinutes)) {
    invalid(out, "travel_minutes", "How long you can travel each way must be between 5 and 120 minutes");
  }
  if (!all_known(kInterests, matters.interests)) invalid(out, "interests", "Choose interests from the list");
  if (!all_known(kCommunicationNeeds, matters.communication))
    invalid(out, "communication", "Choose communication needs from the list");
  if (!all_known(kProviderKinds, matters.ruled_out_kinds)) {
    invalid(out, "ruled_out_kinds", "Choose kinds of provider from the list");
  } else if (std::all_of(kProviderKinds.begin(), kProviderKinds.end(), [&](const Choice& k) {
               return std::find(matters.ruled_out_kinds.begin(), matters.ruled_out_kinds.end(), k.code) !=
                      matters.ruled_out_kinds.end();
             })) {
    invalid(out, "ruled_out_kinds", "You cannot rule out every kind of provider");
  }
  check_text(out, "food", matters.food, "Food and drink", kMediumText);
  check_text(out, "pets", matters.pets, "Pets", kMediumText);
  check_text(out, "anything_else", matters.anything_else, "Anything else", kLongText);
  return out;
}

std::vector<core::Error> goal_problems(const Goal& goal, const std::vector<std::string>& needs) {
  std::vector<core::Error> out;
  check_text(out, "hope", goal.hope, "What you hope for", kMediumText, "Enter what you hope for");
  check_text(out, "how_we_know", goal.how_we_know, "How you will know", kMediumText,
             "Enter how you will know it has been achieved");
  if (!goal.need_code.empty() && std::find(needs.begin(), needs.end(), goal.need_code) == needs.end())
    invalid(out, "need_code", "Choose a need from the list");
  return out;
}

std::vector<core::Error> helper_problems(const Helper& helper, const std::vector<std::string>& needs) {
  std::vector<core::Error> out;
  check_text(out, "name", helper.name, "Their name", kShortText, "Enter their name");
  check_text(out, "relationship", helper.relationship, "Who they are to you", kShortText,
             "Enter who they are to you, for example daughter or neighbour");
  if (helper.helps_with.empty()) {
    invalid(out, "helps_with", "Choose at least one thing they help with");
  } else if (!all_in(needs, helper.helps_with)) {
    invalid(out, "helps_with", "Choose what they help with from the list");
  }
  if (!all_slots(helper.times)) invalid(out, "times", "Choose times from the list");
  check_text(out, "contact", helper.contact, "How to contact them", kShortText);
  return out;
}

std::vector<core::Error> budget_problems(const Budget& budget) {
  std::vector<core::Error> out;
  const core::Pence zero{0};
  if (budget.weekly < zero) {
    invalid(out, "weekly", "The weekly budget must be £0 or more");
  } else if (budget.weekly > core::Pence{kMostWeeklyBudget}) {
    invalid(out, "weekly", "The weekly budget must be £10,000 or less");
  }
  if (budget.person_contribution < zero) {
    invalid(out, "person_contribution", "The person's contribution must be £0 or more");
  } else if (budget.person_contribution > budget.weekly) {
    invalid(out, "person_contribution", "The person's contribution cannot be more than the budget");
  }
  if (budget.management > BudgetManagement::mixed) invalid(out, "management", "Choose how the budget is managed");
  if (budget.direct_payment < zero) {
    invalid(out, "direct_payment", "The direct payment must be £0 or more");
  } else if (budget.direct_payment > budget.weekly) {
    invalid(out, "direct_payment", "The direct payment cannot be more than the budget");
  } else if (budget.direct_payment > zero && budget.management == BudgetManagement::council_managed) {
    invalid(out, "direct_payment", "The direct payment must be £0 when the council arranges the support");
  } else if (budget.direct_payment > zero && budget.management == BudgetManagement::individual_service_fund) {
    invalid(out, "direct_payment", "The direct payment must be £0 when an individual service fund holds the budget");
  } else if (budget.direct_payment == zero && budget.management == BudgetManagement::direct_payment) {
    invalid(out, "direct_payment", "Enter the direct payment: it must be more than £0");
  }
  return out;
}

std::optional<core::Pence> parse_pounds(std::string_view text) noexcept {
  constexpr std::string_view kPound = "\xC2\xA3";
  auto s = core::trim(text);
  if (s.starts_with(kPound)) s.remove_prefix(kPound.size());
  const auto dot = s.find('.');
  const auto whole = s.substr(0, dot);
  const auto fraction = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (whole.empty()) return std::nullopt;
  if (dot != std::string_view::npos && (fraction.empty() || fraction.size() > 2)) return std::nullopt;
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };

  // Thousands commas, when there are any, must all be in place: 1,234,567.
  const auto first_comma = whole.find(',');
  const bool grouped = first_comma != std::string_view::npos;
  if (grouped && (first_comma == 0 || first_comma > 3 || whole[0] == '0' || (whole.size() - first_comma) % 4 != 0))
    return std::nullopt;
  std::int64_t pounds = 0;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (grouped && i >= first_comma && (i - first_comma) % 4 == 0) {
      if (whole[i] != ',') return std::nullopt;
      continue;
    }
    if (!digit(whole[i])) return std::nullopt;  // a stray comma too
    pounds = pounds * 10 + (whole[i] - '0');
    if (pounds > kMostPounds / 100) return std::nullopt;  // long before it could overflow
  }
  std::int64_t pence = 0;
  for (std::size_t i = 0; i < 2; ++i) {
    if (i < fraction.size() && !digit(fraction[i])) return std::nullopt;
    pence = pence * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  }
  const std::int64_t total = pounds * 100 + pence;
  if (total > kMostPounds) return std::nullopt;
  return core::Pence{total};
}

}  // namespace bespoke::person
