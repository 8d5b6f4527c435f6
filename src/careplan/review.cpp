// When the next review of a plan falls due (Care Act 2014 s.27).
#include "careplan/plan.h"

namespace bespoke::careplan {

std::string_view review_kind_label(ReviewKind kind) noexcept {
  switch (kind) {
    case ReviewKind::first:
      return "First review (6 to 8 weeks)";
    case ReviewKind::yearly:
      return "Yearly review";
    case ReviewKind::requested:
      return "Review you asked for";
  }
  return "Yearly review";
}

ReviewDue next_review(std::int32_t started, std::optional<std::int32_t> last_held,
                      std::optional<std::int32_t> requested_on) noexcept {
  const ReviewDue scheduled =
      last_held ? ReviewDue{ReviewKind::yearly, *last_held + kYearlyReviewDays - kYearlyReviewEarlyDays,
                            *last_held + kYearlyReviewDays}
                : ReviewDue{ReviewKind::first, started + kFirstReviewEarliestDays, started + kFirstReviewLatestDays};
  // A request made on or before the last review held was answered by it.
  if (!requested_on || (last_held && *requested_on <= *last_held)) return scheduled;
  const ReviewDue requested{ReviewKind::requested, *requested_on, *requested_on + kRequestedReviewDays};
  return requested.latest <= scheduled.latest ? requested : scheduled;
}

bool overdue(const ReviewDue& due, std::int32_t today) noexcept { return today > due.latest; }

}  // namespace bespoke::careplan
