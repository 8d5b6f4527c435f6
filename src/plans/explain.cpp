// An option in plain English, from the same inputs and factors that ranked it.
#include "plans/plans.h"

#include <array>
#include <cmath>

namespace bespoke::plans {
namespace {

constexpr std::array<std::string_view, 7> kDayNames{"Monday", "Tuesday", "Wednesday", "Thursday",
                                                    "Friday", "Saturday", "Sunday"};

// Straight-line distance times 1.3 for the way streets run; walking 80 m a
// minute; a bus 250 m a minute plus 10 minutes' wait; a car 500 m a minute
// plus 5 to park.
int minutes_for(double metres, TravelMode mode) {
  const double route = metres * 1.3;
  switch (mode) {
    case TravelMode::walk: return static_cast<int>(std::ceil(route / 80.0));
    case TravelMode::bus: return 10 + static_cast<int>(std::ceil(route / 250.0));
    case TravelMode::car: return 5 + static_cast<int>(std::ceil(route / 500.0));
    case TravelMode::none: break;
  }
  return 0;
}

std::string travel_text(const Candidate& c, const Person& p) {
  if (!c.option->site) return c.option->kind == ProviderKind::informal ? "" : "comes to you";
  const int minutes = std::max(1, minutes_for(c.distance_m, p.travel));
  const auto n = std::to_string(minutes);
  switch (p.travel) {
    case TravelMode::walk: return n + (minutes == 1 ? " minute's walk" : " minutes' walk");
    case TravelMode::bus: return "about " + n + " minutes by bus";
    case TravelMode::car: return n + " minutes' drive";
    case TravelMode::none: break;
  }
  return "";
}

std::string_view part_of_day(std::uint16_t start) {
  if (start < 12 * 60) return "morning";
  if (start < 17 * 60) return "afternoon";
  return "evening";
}

std::string timing_text(const Candidate& c, const Person& p) {
  const auto slot = c.slot();
  if (!slot) return "at times to suit you";
  std::string when = std::string(kDayNames[slot->day % 7]) + " " + std::string(part_of_day(slot->start));
  if (p.times_that_suit.empty()) return when;
  const bool suits = c.points[static_cast<std::size_t>(Factor::timing)] > 0;
  return when + (suits ? ", as you asked" : ", not a time you gave");
}

std::string name_of(const std::vector<std::string>& names, std::size_t i) {
  return i < names.size() ? names[i] : std::string();
}

// The first bit set in both masks.
std::optional<std::size_t> common(std::uint64_t a, std::uint64_t b) {
  const auto both = a & b;
  for (std::size_t i = 0; i < 64; ++i)
    if ((both >> i) & 1U) return i;
  return std::nullopt;
}

void add(std::string& out, const std::string& phrase) {
  if (phrase.empty()) return;
  if (!out.empty()) out += "; ";
  out += phrase;
}

std::string money_text(core::Pence pence) {
  if (pence.value <= 0) return "free";
  auto text = core::format_pounds(pence);
  if (text.ends_with(".00")) text.resize(text.size() - 3);
  return text + " a session";
}

}  // namespace

std::string explain(const Candidate& c, const Person& p, const Names& names) {
  const Option& o = *c.option;
  std::string out;
  add(out, travel_text(c, p));
  add(out, timing_text(c, p));
  if (p.main_language != 0 && ((o.languages >> p.main_language) & 1U)) {
    const auto language = name_of(names.languages, p.main_language);
    if (!language.empty()) add(out, "in " + language);
  }
  if (const auto culture = common(o.culture, p.culture)) {
    const auto name = name_of(names.cultures, *culture);
    if (!name.empty()) add(out, "for the " + name + " community");
  }
  if (p.carer_gender != CarerGender::any && o.carer_gender == p.carer_gender)
    add(out, p.carer_gender == CarerGender::female ? "women carers, as you asked" : "men carers, as you asked");
  if (const auto interest = common(o.interests, p.interests)) {
    const auto name = name_of(names.interests, *interest);
    if (!name.empty()) add(out, name + ", which you enjoy");
  }
  if (o.kind == ProviderKind::informal) add(out, "someone you know");
  if (c.points[static_cast<std::size_t>(Factor::continuity)] > 0) add(out, "already helping you");
  if (o.community_led) add(out, "run by a community-led organisation");
  else if (o.locally_owned) add(out, "a locally owned organisation");
  if (o.good_feedback) {
    const int in_ten = static_cast<int>(std::lround(*o.good_feedback * 10));
    add(out, std::to_string(in_ten) + " in 10 people rated it well");
  }
  if (c.fallback) add(out, "with a guaranteed service to fall back on");
  add(out, money_text(c.weekly_cost));
  return out;
}

std::string_view gap_text(GapReason reason) noexcept {
  switch (reason) {
    case GapReason::no_provider: return "Nothing here meets this need yet";
    case GapReason::out_of_reach: return "Nothing that meets this need is within the distance you travel";
    case GapReason::not_eligible: return "The services near you that meet this need are for other ages or circumstances";
    case GapReason::language: return "No service near you can support you in a language you use";
    case GapReason::full: return "The services near you that meet this need are full";
    case GapReason::excluded: return "You ruled out the services near you that meet this need";
    case GapReason::no_fallback:
      return "Only volunteers could meet this need, and there is no council service to fall back on";
    case GapReason::budget: return "The options found for this need cost more than the budget left";
    case GapReason::clash: return "The options found for this need that you can afford clash with the rest of your week";
  }
  return "";
}

}  // namespace bespoke::plans
