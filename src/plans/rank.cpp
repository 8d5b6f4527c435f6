// Ranking the options for one need: the hard constraints first (each failure
// counted, so that a need left with none can say why), then the soft factors,
// each weighted and kept on the candidate for its explanation.
#include "plans/plans.h"

#include <algorithm>
#include <array>

namespace bespoke::plans {
namespace {

bool contains(const std::vector<std::uint32_t>& list, std::uint32_t value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool volunteered(ProviderKind kind) { return kind == ProviderKind::volunteer_group || kind == ProviderKind::informal; }

bool guaranteed(const Option& o) {
  return o.kind == ProviderKind::council || o.kind == ProviderKind::nhs || o.commissioned;
}

// The first hard constraint the option fails for this person, if any
// (distance is checked by the caller, which knows it).
std::optional<Exclusion> excluded_by(const Option& o, const Person& p) {
  if (p.age < o.minimum_age || p.age > o.maximum_age) return Exclusion::not_eligible;
  if (o.eligible_circumstances != 0 && (o.eligible_circumstances & p.circumstances) == 0) return Exclusion::not_eligible;
  if (p.languages != 0 && (o.languages & p.languages) == 0) return Exclusion::language;
  if (o.spare_places && *o.spare_places <= 0) return Exclusion::full;
  if (contains(p.excluded_organisations, o.organisation) && o.organisation != 0) return Exclusion::excluded;
  if (std::find(p.excluded_kinds.begin(), p.excluded_kinds.end(), o.kind) != p.excluded_kinds.end())
    return Exclusion::excluded;
  return std::nullopt;
}

// How well the option fits what matters to the person, 0..1. A preference the
// person did not state counts as met, so nobody is marked down for it.
double what_matters_fit(const Option& o, const Person& p) {
  double fit = 0;
  fit += 0.4 * (p.main_language == 0 || ((o.languages >> p.main_language) & 1U) ? 1.0 : 0.0);
  fit += 0.2 * (p.culture == 0 || (o.culture & p.culture) != 0 ? 1.0 : 0.0);
  fit += 0.2 * (p.carer_gender == CarerGender::any || o.carer_gender == p.carer_gender ? 1.0 : 0.0);
  fit += 0.2 * (p.interests == 0 || (o.interests & p.interests) != 0 ? 1.0 : 0.0);
  return fit;
}

bool suits(const WeeklySlot& slot, const Person& p) {
  if (p.times_that_suit.empty()) return true;
  return std::any_of(p.times_that_suit.begin(), p.times_that_suit.end(),
                     [&](const WeeklySlot& t) { return within(slot, t); });
}

// The option's sessions worth offering: those at times that suit first, then
// the rest, in weekly order; at most two (kArrangedToSuit alone when it has no
// fixed times).
struct Sessions {
  std::array<std::uint8_t, 2> index{};
  std::size_t count = 0;
  [[nodiscard]] const std::uint8_t* begin() const { return index.data(); }
  [[nodiscard]] const std::uint8_t* end() const { return index.data() + count; }
};

Sessions sessions_to_offer(const Option& o, const Person& p) {
  Sessions out;
  if (o.sessions.empty()) {
    out.index[out.count++] = kArrangedToSuit;
    return out;
  }
  for (int pass = 0; pass < 2 && out.count < 2; ++pass)
    for (std::size_t i = 0; i < o.sessions.size() && i < kArrangedToSuit && out.count < 2; ++i)
      if (suits(o.sessions[i], p) == (pass == 0)) out.index[out.count++] = static_cast<std::uint8_t>(i);
  return out;
}

Candidate score(const Option& o, std::uint8_t session, double distance_m, const PlanRequest& request) {
  const Person& p = request.person;
  const Weights& w = request.weights;
  Candidate c;
  c.option = &o;
  c.session = session;
  c.distance_m = distance_m;
  c.weekly_cost = o.cost_per_session;  // one session a week
  auto& pts = c.points;
  const auto put = [&pts](Factor f, double v) { pts[static_cast<std::size_t>(f)] = v; };
  const double reach = p.max_travel_m > 0 ? p.max_travel_m : 1;
  put(Factor::distance, w.distance * std::clamp(1.0 - distance_m / reach, 0.0, 1.0));
  put(Factor::timing, session == kArrangedToSuit || suits(o.sessions[session], p) ? w.timing : 0.0);
  put(Factor::what_matters, w.what_matters * what_matters_fit(o, p));
  const auto budget = p.budget_per_week.value;
  const double cost_share = c.weekly_cost.value <= 0 ? 0.0
                            : budget <= 0            ? 1.0
                                                     : static_cast<double>(c.weekly_cost.value) / static_cast<double>(budget);
  put(Factor::cost, w.cost * std::clamp(1.0 - cost_share, 0.0, 1.0));
  put(Factor::continuity, o.organisation != 0 && contains(p.current_organisations, o.organisation) ? w.continuity : 0.0);
  // No feedback yet counts as middling: new groups are not buried.
  put(Factor::outcomes, w.outcomes * std::clamp(o.good_feedback.value_or(0.5), 0.0, 1.0));
  put(Factor::community, o.community_led || o.locally_owned ? w.community : 0.0);
  for (const double v : pts) c.score += v;
  return c;
}

bool better(const Candidate& a, const Candidate& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.option->id != b.option->id) return a.option->id < b.option->id;
  return a.session < b.session;
}

// The nearest guaranteed option (council, NHS or commissioned) the person
// could use, from options sorted nearest first.
std::optional<std::uint32_t> fallback_for(const std::vector<Catalogue::Nearby>& nearest_first, const Person& p) {
  for (const auto& n : nearest_first)
    if (guaranteed(*n.option) && !excluded_by(*n.option, p)) return n.option->id;
  return std::nullopt;
}

// The most any option could score for this person apart from distance: each
// other factor at its best (continuity only when someone already helps them,
// outcomes at the best feedback any option has).
double best_but_distance(const PlanRequest& request, double best_feedback) {
  const Weights& w = request.weights;
  const bool helped = !request.person.current_organisations.empty();
  return w.timing + w.what_matters + w.cost + (helped ? w.continuity : 0.0) + w.outcomes * best_feedback + w.community;
}

// The best `limit` candidates so far, best first.
class TopList {
 public:
  explicit TopList(std::size_t limit) : limit_(limit) {}
  [[nodiscard]] bool full() const noexcept { return limit_ > 0 && list_.size() >= limit_; }
  [[nodiscard]] const Candidate& last() const { return list_.back(); }
  void offer(const Candidate& c) {
    if (limit_ == 0 || (full() && !better(c, list_.back()))) return;
    if (full()) list_.pop_back();
    list_.insert(std::upper_bound(list_.begin(), list_.end(), c, better), c);
  }
  std::vector<Candidate> take() { return std::move(list_); }

 private:
  std::size_t limit_;
  std::vector<Candidate> list_;
};

}  // namespace

Ranking rank(const Catalogue& catalogue, const PlanRequest& request, const NeedToMeet& need, std::size_t limit) {
  const Person& p = request.person;
  const double radius = p.travel == TravelMode::none ? 0.0 : p.max_travel_m;
  std::vector<Catalogue::Nearby> reachable;
  catalogue.within(need.need, p.home, radius, reachable);
  double best_feedback = catalogue.best_feedback();
  const auto home = core::unit_vector(p.home);
  const double limit_c2 = core::chord2_of_distance(radius);
  bool offered = catalogue.offering(need.need) > 0;
  for (const auto& o : request.own_options) {
    if (std::find(o.needs.begin(), o.needs.end(), need.need) == o.needs.end()) continue;
    offered = true;
    best_feedback = std::max(best_feedback, o.good_feedback.value_or(0.5));
    if (!o.site) {
      reachable.push_back({&o, 0.0});
    } else if (radius > 0) {
      const double c2 = core::chord2(core::unit_vector(*o.site), home);
      if (c2 <= limit_c2) reachable.push_back({&o, c2});
    }
  }
  Ranking out;
  if (!offered) {
    out.none_because = GapReason::no_provider;
    return out;
  }
  // Nearest first: once even a perfect fit at this distance could not enter
  // the list, nothing further can, and the rest is not looked at.
  std::sort(reachable.begin(), reachable.end(), [](const Catalogue::Nearby& a, const Catalogue::Nearby& b) {
    return a.chord2 != b.chord2 ? a.chord2 < b.chord2 : a.option->id < b.option->id;
  });
  const double others = best_but_distance(request, std::clamp(best_feedback, 0.0, 1.0));
  const double reach = p.max_travel_m > 0 ? p.max_travel_m : 1;
  TopList top(limit);
  // The furthest stage any option reached, for the reason when none is left.
  int furthest = -1;
  bool any = false;
  std::optional<std::optional<std::uint32_t>> fallback;  // looked up once, when first needed
  for (std::size_t i = 0; i < reachable.size(); ++i) {
    const Option& o = *reachable[i].option;
    const double d = reachable[i].chord2 > 0 ? core::distance_of_chord2(reachable[i].chord2) : 0.0;
    if (top.full()) {
      const double ceiling = request.weights.distance * std::clamp(1.0 - d / reach, 0.0, 1.0) + others;
      if (ceiling < top.last().score) break;
    }
    if (const auto why = excluded_by(o, p)) {
      furthest = std::max(furthest, static_cast<int>(*why));
      continue;
    }
    const bool needs_fallback = need.eligible && volunteered(o.kind);
    if (needs_fallback) {
      if (!fallback) fallback = fallback_for(reachable, p);
      if (!*fallback) {
        furthest = std::max(furthest, static_cast<int>(Exclusion::no_fallback));
        continue;
      }
    }
    for (const auto session : sessions_to_offer(o, p)) {
      auto c = score(o, session, d, request);
      if (needs_fallback) c.fallback = *fallback;
      top.offer(c);
      any = true;
    }
  }
  if (!any) {
    // Exclusion and GapReason share their names from out_of_reach on.
    out.none_because = furthest < 0 ? GapReason::out_of_reach
                                    : static_cast<GapReason>(furthest + static_cast<int>(GapReason::out_of_reach));
    return out;
  }
  out.candidates = top.take();
  return out;
}

}  // namespace bespoke::plans
