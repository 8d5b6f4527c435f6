#pragma once
// The care and support plan as a document (Care Act 2014 s.24-25;
// ../shared/domain/personalisation.md §1): the person's chosen support lines,
// what is left uncovered and why, the budget before and after, the advice the
// Act requires, who took part. Versions are immutable: a change is a new
// version, and two versions can be compared in words. The person's agreement
// and the council's sign-off are separate acts on one version. Reviews fall
// due 6-8 weeks after a plan starts, then at least yearly, and whenever the
// person asks. Plain values and rules; no I/O.
#include "core/error.h"
#include "core/money.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::careplan {

// Where a line's support comes from.
enum class Source : std::uint8_t {
  service,   // a directory service (ref: the service's id)
  informal,  // someone in the person's informal network (ref: the helper's id)
  own_idea,  // something the person arranges themselves (ref: empty)
};
[[nodiscard]] std::string_view source_name(Source source) noexcept;  // "service", "informal", "own_idea"
[[nodiscard]] std::optional<Source> parse_source(std::string_view name) noexcept;

// One support line: who does what, when, at what cost, for which need.
struct Line {
  std::string need_code;
  std::string need_label;
  bool eligible = false;   // an eligible need under the Care Act
  Source source = Source::service;
  std::string ref;         // the service's or helper's id
  std::string title;       // the service's name, the helper's name, the person's idea
  std::string provider;    // the organisation, or the helper's relationship
  std::string when;        // "Tuesday 10:00-12:00", "arranged to suit"
  core::Pence weekly_cost;
  // Volunteer, informal or the person's own arrangement: for an eligible need
  // the plan must name a guaranteed service behind it (the fallback rule).
  bool needs_fallback = false;
  std::string fallback_ref;    // for volunteer or informal help with an eligible need: the guaranteed service
  std::string fallback_title;
  std::string explanation;     // the engine's words for why it fits
  friend bool operator==(const Line&, const Line&) = default;
};

// A need the plan leaves uncovered, and why (the engine's words, or the person's).
struct Gap {
  std::string need_code;
  std::string need_label;
  bool eligible = false;
  std::string reason;
  friend bool operator==(const Gap&, const Gap&) = default;
};

struct Participant {
  std::string name;
  std::string role;  // "the person", "daughter", "social worker", "advocate"
  friend bool operator==(const Participant&, const Participant&) = default;
};

enum class Kind : std::uint8_t {
  coproduced,  // made with the person
  default_plan,  // proposed by the engine because none was agreed in time
};

// Everything one version holds. The seven things a Care Act plan must hold:
// (1) the needs (lines and gaps), (2) which are eligible (each line's and
// gap's flag), (3) which the council will meet and how (the eligible lines),
// (4) the personal budget, (5) advice on meeting or reducing needs, (6) advice
// on preventing or delaying future needs, (7) direct payment details when there
// is one.
struct Content {
  Kind kind = Kind::coproduced;
  std::vector<Line> lines;
  std::vector<Gap> gaps;
  core::Pence budget_weekly;
  core::Pence person_contribution;
  std::string budget_management;   // person::kBudgetManagement code
  core::Pence direct_payment_weekly;  // 0 = no direct payment
  std::string direct_payment_needs;   // which needs it covers, in words
  std::string advice_meeting;
  std::string advice_preventing;
  std::vector<Participant> participants;
  bool advocate_present = false;
  std::string advocate_name;
  friend bool operator==(const Content&, const Content&) = default;

  [[nodiscard]] core::Pence weekly_cost() const noexcept;  // the distinct lines' costs
  [[nodiscard]] core::Pence budget_left() const noexcept { return budget_weekly - weekly_cost(); }
};

inline constexpr std::size_t kMaxParticipants = 12;
inline constexpr std::size_t kMaxAdviceChars = 2000;
inline constexpr std::size_t kMaxNameChars = 120;  // a participant's name or role, the advocate's name

// Problems that stop a version being saved at all (field-named): budget
// exceeded, a volunteer or informal line for an eligible need without a
// fallback, a line without a title, text too long, too many participants, an
// advocate present without a name, a direct payment larger than the budget.
[[nodiscard]] std::vector<core::Error> content_problems(const Content& content);

// What is still missing before the person can agree it (field-named): the
// seven items, and at least one participant. Includes content_problems().
[[nodiscard]] std::vector<core::Error> agreement_problems(const Content& content);

// The changes from `before` to `after`, in plain English, one per line:
// "Added: Befriending at Riverside Hub for Loneliness (£0.00 a week)",
// "Changed the advice on preventing future needs", "Budget: £50.00 → £60.00 a week".
[[nodiscard]] std::vector<std::string> compare(const Content& before, const Content& after);

// ---- Reviews (s.27) ---------------------------------------------------------

enum class ReviewKind : std::uint8_t { first, yearly, requested };
[[nodiscard]] std::string_view review_kind_label(ReviewKind kind) noexcept;

struct ReviewDue {
  ReviewKind kind = ReviewKind::first;
  std::int32_t earliest = 0;  // days since 1970-01-01
  std::int32_t latest = 0;    // due by; overdue after
};

inline constexpr std::int32_t kFirstReviewEarliestDays = 42;  // 6 weeks
inline constexpr std::int32_t kFirstReviewLatestDays = 56;    // 8 weeks
inline constexpr std::int32_t kYearlyReviewDays = 365;
inline constexpr std::int32_t kYearlyReviewEarlyDays = 28;    // a yearly review may be held up to 4 weeks early
inline constexpr std::int32_t kRequestedReviewDays = 28;      // a review the person asks for, within 4 weeks

// The next review for a plan that started on `started`: the first at 6-8
// weeks, then a year after the last review held (from 4 weeks before); a
// request made since the last review comes first when it falls due no later.
[[nodiscard]] ReviewDue next_review(std::int32_t started, std::optional<std::int32_t> last_held,
                                    std::optional<std::int32_t> requested_on) noexcept;

[[nodiscard]] bool overdue(const ReviewDue& due, std::int32_t today) noexcept;

}  // namespace bespoke::careplan
