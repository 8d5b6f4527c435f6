#pragma once
// A person's own record, the part of Bespoke they write with whoever helps
// them (../shared/domain/personalisation.md §1, §3): About me (the PRSB
// headings, in their words), what matters to them (structured where the plan
// engine can use it), their goals, their informal network, the Care Act
// assessment a coordinator records, and the indicative personal budget.
// Plain values and their checks; no I/O.
#include "core/error.h"
#include "core/money.h"
#include "plans/model.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::person {

inline constexpr std::size_t kShortText = 120;   // a name, a phrase
inline constexpr std::size_t kLongText = 2000;   // a paragraph in the person's words

// PRSB "About Me": what the person wants everyone who helps them to know.
struct AboutMe {
  std::string please_call_me;
  std::string communication;     // how I communicate, and how to communicate with me
  std::string important_people;  // who matters to me, and their roles
  std::string good_day;          // what a good day looks like
  std::string adjustments;       // reasonable adjustments I need
  friend bool operator==(const AboutMe&, const AboutMe&) = default;
};

// A code and the words people read: the vocabularies below.
struct Choice {
  std::string_view code;
  std::string_view label;
};

// Things people enjoy, that an option may offer (matched in the directory's text).
inline constexpr std::array<Choice, 10> kInterests{{
    {"gardening", "Gardening"},
    {"music", "Music and singing"},
    {"arts", "Arts and crafts"},
    {"cooking", "Cooking"},
    {"sport", "Sport and exercise"},
    {"walking", "Walking"},
    {"reading", "Reading and writing"},
    {"computers", "Computers and technology"},
    {"faith", "Worship and faith activities"},
    {"animals", "Animals"},
}};

// Communication needs an option can meet.
inline constexpr std::array<Choice, 5> kCommunicationNeeds{{
    {"bsl", "British Sign Language"},
    {"easy_read", "Easy read"},
    {"large_print", "Large print"},
    {"hearing_loop", "Hearing loop"},
    {"interpreter", "An interpreter"},
}};

inline constexpr std::array<Choice, 4> kTravelModes{{
    {"walk", "Walking"},
    {"bus", "Bus or train"},
    {"car", "Car or taxi"},
    {"none", "I don't travel: help needs to come to me"},
}};

// The demo's languages (ISO 639-1), in the order the form offers them.
inline constexpr std::array<Choice, 11> kLanguages{{
    {"en", "English"},
    {"pl", "Polish"},
    {"ur", "Urdu"},
    {"pa", "Punjabi"},
    {"bn", "Bengali"},
    {"ro", "Romanian"},
    {"ar", "Arabic"},
    {"so", "Somali"},
    {"gu", "Gujarati"},
    {"cy", "Welsh"},
    {"pt", "Portuguese"},
}};

inline constexpr std::array<Choice, 8> kFaiths{{
    {"christian", "Christian"},
    {"none", "No religion"},
    {"muslim", "Muslim"},
    {"hindu", "Hindu"},
    {"sikh", "Sikh"},
    {"buddhist", "Buddhist"},
    {"jewish", "Jewish"},
    {"other", "Other religion"},
}};

// Kinds of provider a person may rule out: plans::ProviderKind's first seven,
// in its order, so that kProviderKinds[i] is ProviderKind(i). (Informal help
// from the person's own network is never "ruled out" this way.)
inline constexpr std::array<Choice, 7> kProviderKinds{{
    {"council", "Council"},
    {"nhs", "NHS"},
    {"charity", "Charity"},
    {"community_led", "Community-led organisation"},
    {"social_enterprise", "Social enterprise"},
    {"volunteer_group", "Volunteer group"},
    {"private_company", "Private company"},
}};
static_assert(kProviderKinds.size() == static_cast<std::size_t>(plans::ProviderKind::informal));

// Parts of the day people choose from, in local time.
struct DayPart {
  std::string_view code;
  std::string_view label;
  std::uint16_t start;
  std::uint16_t end;
};
inline constexpr std::array<DayPart, 3> kDayParts{{
    {"morning", "Mornings", 9 * 60, 12 * 60},
    {"afternoon", "Afternoons", 12 * 60, 17 * 60},
    {"evening", "Evenings", 17 * 60, 21 * 60},
}};
inline constexpr std::array<std::string_view, 7> kDayNames{"Monday", "Tuesday", "Wednesday", "Thursday",
                                                           "Friday", "Saturday", "Sunday"};

// What matters to me, each answer usable by the plan engine. Codes are the
// demo vocabularies' (languages ISO 639-1, faiths, provider kinds) and those above.
struct WhatMatters {
  std::vector<std::string> languages;      // that I can be supported in; the first is my main language
  std::string faith;                       // "" = not said
  plans::CarerGender carer_gender = plans::CarerGender::any;
  std::vector<std::string> times;          // "<day 0-6>:<day part>", e.g. "1:morning"; empty = any time
  plans::TravelMode travel = plans::TravelMode::walk;
  int travel_minutes = 20;                 // each way
  std::vector<std::string> interests;      // kInterests codes
  std::vector<std::string> communication;  // kCommunicationNeeds codes
  std::vector<std::string> ruled_out_kinds;  // provider kinds I don't want
  std::string food;                        // in my words
  std::string pets;
  std::string anything_else;
  friend bool operator==(const WhatMatters&, const WhatMatters&) = default;
};

// How far someone gets in `minutes` each way, as the plan engine reckons
// travel (docs/plans.md: a bus 250 m a minute after a 10-minute wait, ...).
// A straight-line radius, for plans::Person::max_travel_m: the route along
// streets is taken as 1.3 times the straight line. 0 for TravelMode::none.
[[nodiscard]] double reach_metres(plans::TravelMode mode, int minutes) noexcept;

// The weekly slot one "<day 0-6>:<day part>" entry stands for, e.g. "1:morning"
// -> Tuesday 09:00-12:00; nullopt when it is not one.
[[nodiscard]] std::optional<plans::WeeklySlot> slot_of(std::string_view time) noexcept;

// The weekly slots `times` stands for (none when empty: any time), sorted by
// day and start, without repeats; entries that are not slots are skipped.
[[nodiscard]] std::vector<plans::WeeklySlot> slots_of(const std::vector<std::string>& times);

struct Goal {
  std::string public_id;
  std::string hope;           // in the person's words: a hope, not a service
  std::string how_we_know;    // how they will know it is achieved
  std::string need_code;      // "" = not tied to one need
  bool achieved = false;
};

// Family, friends and neighbours who already help.
struct Helper {
  std::string public_id;
  std::string name;
  std::string relationship;
  std::vector<std::string> helps_with;  // need codes
  std::vector<std::string> times;       // as WhatMatters::times; empty = arranged between them
  std::string contact;                  // how to reach them, if they agree
};

// ---- The Care Act assessment (Eligibility Criteria Regulations 2015) -------

struct Outcome {
  std::string_view code;
  std::string_view label;
};
inline constexpr std::array<Outcome, 10> kOutcomes{{
    {"nutrition", "Managing and maintaining nutrition"},
    {"hygiene", "Maintaining personal hygiene"},
    {"toilet", "Managing toilet needs"},
    {"clothing", "Being appropriately clothed"},
    {"home_safety", "Being able to make use of the home safely"},
    {"habitable_home", "Maintaining a habitable home environment"},
    {"relationships", "Developing and maintaining family or other personal relationships"},
    {"work_learning", "Accessing and engaging in work, training, education or volunteering"},
    {"community", "Making use of local facilities and services, including public transport and recreation"},
    {"caring_for_child", "Carrying out caring responsibilities for a child"},
}};

// "Unable to achieve" an outcome means any one of these (regulation 2(3)).
enum class UnableTest : std::uint8_t {
  without_assistance = 1,
  pain_or_distress = 2,       // only with significant pain, distress or anxiety
  endangers = 4,              // endangers their or others' health or safety
  takes_much_longer = 8,      // takes significantly longer than would normally be expected
};
inline constexpr std::array<Choice, 4> kUnableTests{{
    {"without_assistance", "Unable to achieve it without assistance"},
    {"pain_or_distress", "Only with significant pain, distress or anxiety"},
    {"endangers", "Endangers their or others' health or safety"},
    {"takes_much_longer", "Takes significantly longer than would be expected"},
}};

struct OutcomeFinding {
  std::uint8_t tests = 0;  // UnableTest bits; none = able to achieve it
  std::string why;
  [[nodiscard]] bool unable() const noexcept { return tests != 0; }
};

struct Assessment {
  bool from_impairment = false;  // the needs arise from a physical or mental impairment or illness
  std::string impairment_notes;
  std::array<OutcomeFinding, kOutcomes.size()> outcomes{};
  bool significant_impact = false;  // a significant impact on wellbeing, now or likely
  std::string wellbeing_notes;
  bool fluctuating = false;  // needs that come and go: judged over a period
  std::string fluctuating_notes;
  std::vector<std::string> eligible_needs;  // the person's needs the council must meet (need codes)
  std::string assessed_by;                   // filled in by the store: who recorded it
  std::string assessed_at;
};

// The three conditions, each with its reason in plain English.
struct Decision {
  bool eligible = false;
  std::vector<std::string> reasons;
};
[[nodiscard]] Decision decide(const Assessment& assessment);

// ---- The indicative personal budget (s.26) ----------------------------------

enum class BudgetManagement : std::uint8_t { council_managed, direct_payment, individual_service_fund, mixed };
inline constexpr std::array<Choice, 4> kBudgetManagement{{
    {"council_managed", "The council arranges the support"},
    {"direct_payment", "A direct payment to the person"},
    {"individual_service_fund", "An individual service fund held by a provider"},
    {"mixed", "A mix of these"},
}};

struct Budget {
  core::Pence weekly;                // the whole indicative budget, per week
  core::Pence person_contribution;   // what the person pays of it, per week
  BudgetManagement management = BudgetManagement::council_managed;
  core::Pence direct_payment;        // per week; 0 without one
  [[nodiscard]] core::Pence council_contribution() const noexcept { return weekly - person_contribution; }
};

// ---- Checks ------------------------------------------------------------------
// Each returns every problem, in the form's order, naming its field; empty
// when the values may be stored. `needs` is the person's needs (codes) for the
// checks that refer to them.

[[nodiscard]] std::vector<core::Error> about_me_problems(const AboutMe& about);
[[nodiscard]] std::vector<core::Error> what_matters_problems(const WhatMatters& matters);
[[nodiscard]] std::vector<core::Error> goal_problems(const Goal& goal, const std::vector<std::string>& needs);
[[nodiscard]] std::vector<core::Error> helper_problems(const Helper& helper, const std::vector<std::string>& needs);
[[nodiscard]] std::vector<core::Error> assessment_problems(const Assessment& assessment,
                                                           const std::vector<std::string>& needs);
[[nodiscard]] std::vector<core::Error> budget_problems(const Budget& budget);

// "£12.50" or "12.5" or "12" → pence; nullopt for anything else (or negative).
[[nodiscard]] std::optional<core::Pence> parse_pounds(std::string_view text) noexcept;

[[nodiscard]] std::string_view label_of(std::span<const Choice> choices, std::string_view code) noexcept;

}  // namespace bespoke::person
