// Composing a whole plan from the ranked candidates: one line (or none) per
// need, within the weekly budget, with no two sessions at the same time.
//
// The value of a plan orders plans by eligible needs met, then needs met, then
// the lines' scores (0..100 each): the coverage values are chosen per request
// so that no sum of scores outweighs one more need met, and no number of
// other needs outweighs one more eligible need. The optimal method is a
// depth-first branch and bound over the top candidates of each need, exact
// over those: needs are taken eligible first, then those with the fewest
// candidates; a branch is cut when even the best remaining candidates could
// not beat the best plan found. The greedy method is the baseline a hand-made
// plan resembles: needs in the person's order, the best candidate that still fits.
#include "plans/plans.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace bespoke::plans {
namespace {

// What meeting one need adds to a plan's value, for a request of n needs.
struct Coverage {
  double need = 0;
  double eligible = 0;
  explicit Coverage(std::size_t n)
      : need(100.0 * static_cast<double>(n + 1)), eligible(need * static_cast<double>(n + 1)) {}
  [[nodiscard]] double of(const NeedToMeet& n) const noexcept { return n.eligible ? eligible : need; }
};

bool same_line(const Candidate& a, const Candidate& b) {
  return a.option == b.option && a.session == b.session;
}

bool clashes(const Candidate& a, const Candidate& b) {
  const auto sa = a.slot(), sb = b.slot();
  return sa && sb && overlap(*sa, *sb);
}

// The plan being built: the chosen candidate per need (by position in the
// request), with the running cost.
struct Partial {
  std::vector<const Candidate*> chosen;  // nullptr: uncovered
  core::Pence cost;
  double value = 0;
};

// Can c join the plan? Sets extra_cost to what it adds (0 when it shares a line).
bool fits(const Partial& plan, const Candidate& c, core::Pence budget, core::Pence& extra_cost) {
  extra_cost = c.weekly_cost;
  for (const Candidate* other : plan.chosen) {
    if (!other) continue;
    if (same_line(*other, c)) {
      extra_cost = core::Pence{0};
      return true;
    }
  }
  if (plan.cost + extra_cost > budget) return false;
  for (const Candidate* other : plan.chosen)
    if (other && clashes(*other, c)) return false;
  return true;
}

class Search {
 public:
  Search(const std::vector<NeedToMeet>& needs, const std::vector<Ranking>& ranked, core::Pence budget,
         std::size_t node_limit)
      : needs_(needs), ranked_(ranked), budget_(budget), node_limit_(node_limit), coverage_(needs.size()) {
    order_.resize(needs.size());
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    std::stable_sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
      if (needs[a].eligible != needs[b].eligible) return needs[a].eligible;
      return ranked[a].candidates.size() < ranked[b].candidates.size();
    });
    // The most each need could still add, from position i on.
    bound_.assign(order_.size() + 1, 0.0);
    for (std::size_t i = order_.size(); i-- > 0;) {
      const auto& c = ranked[order_[i]].candidates;
      const double best = c.empty() ? 0.0 : coverage_.of(needs[order_[i]]) + c.front().score;
      bound_[i] = bound_[i + 1] + best;
    }
    current_.chosen.assign(needs.size(), nullptr);
    best_ = current_;
  }

  Partial run() {
    visit(0);
    return best_;
  }
  [[nodiscard]] std::size_t nodes() const noexcept { return nodes_; }

 private:
  void visit(std::size_t depth) {
    ++nodes_;
    if (current_.value + bound_[depth] <= best_.value) return;  // cannot beat the best: strict improvement only
    if (depth == order_.size()) {
      best_ = current_;
      return;
    }
    if (nodes_ >= node_limit_) return;
    const std::size_t need = order_[depth];
    for (const Candidate& c : ranked_[need].candidates) {
      core::Pence extra;
      if (!fits(current_, c, budget_, extra)) continue;
      current_.chosen[need] = &c;
      current_.cost = current_.cost + extra;
      current_.value += coverage_.of(needs_[need]) + c.score;
      visit(depth + 1);
      current_.value -= coverage_.of(needs_[need]) + c.score;
      current_.cost = current_.cost - extra;
      current_.chosen[need] = nullptr;
    }
    visit(depth + 1);  // leave it uncovered
  }

  const std::vector<NeedToMeet>& needs_;
  const std::vector<Ranking>& ranked_;
  core::Pence budget_;
  std::size_t node_limit_;
  Coverage coverage_;
  std::vector<std::size_t> order_;
  std::vector<double> bound_;
  Partial current_;
  Partial best_;
  std::size_t nodes_ = 0;
};

Partial greedy(const std::vector<NeedToMeet>& needs, const std::vector<Ranking>& ranked, core::Pence budget) {
  const Coverage coverage(needs.size());
  Partial plan;
  plan.chosen.assign(needs.size(), nullptr);
  for (std::size_t i = 0; i < needs.size(); ++i) {
    for (const Candidate& c : ranked[i].candidates) {
      core::Pence extra;
      if (!fits(plan, c, budget, extra)) continue;
      plan.chosen[i] = &c;
      plan.cost = plan.cost + extra;
      plan.value += coverage.of(needs[i]) + c.score;
      break;
    }
  }
  return plan;
}

// Why a need with candidates was left out: over budget, or clashing.
GapReason left_out_because(const Partial& plan, const Ranking& ranking, core::Pence budget) {
  for (const Candidate& c : ranking.candidates)
    if (plan.cost + c.weekly_cost <= budget) return GapReason::clash;
  return GapReason::budget;
}

}  // namespace

std::vector<std::string> request_problems(const PlanRequest& request) {
  std::vector<std::string> problems;
  const Weights& w = request.weights;
  const bool negative = w.distance < 0 || w.timing < 0 || w.what_matters < 0 || w.cost < 0 || w.continuity < 0 ||
                        w.outcomes < 0 || w.community < 0;
  if (negative || !(w.total() <= 100.0)) problems.emplace_back("weights");
  for (std::size_t i = 0; i < request.needs.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (request.needs[i].need == request.needs[j].need) problems.emplace_back("needs");
  if (request.person.budget_per_week.value < 0) problems.emplace_back("budget");
  if (request.person.main_language >= 64) problems.emplace_back("main_language");
  for (std::size_t i = 0; i < request.own_options.size(); ++i) {
    const auto& o = request.own_options[i];
    bool bad = o.cost_per_session.value < 0;
    for (std::size_t j = 0; j < i; ++j) bad = bad || request.own_options[j].id == o.id;
    if (bad) {
      problems.emplace_back("own_options");
      break;
    }
  }
  return problems;
}

Proposal propose(const Catalogue& catalogue, const PlanRequest& request, const ProposeOptions& options) {
  if (const auto problems = request_problems(request); !problems.empty())
    throw std::invalid_argument("plans::propose: the request's " + problems.front() + " are not valid");
  for (const auto& o : request.own_options)
    if (catalogue.find(o.id))
      throw std::invalid_argument("plans::propose: own option " + std::to_string(o.id) + " has a catalogue option's id");
  if (options.candidates_per_need == 0 || options.node_limit == 0)
    throw std::invalid_argument("plans::propose: candidates_per_need and node_limit must be positive");
  const auto& needs = request.needs;
  const auto budget = request.person.budget_per_week;
  std::vector<Ranking> ranked;
  ranked.reserve(needs.size());
  for (const auto& need : needs)
    ranked.push_back(rank(catalogue, request, need, std::max(options.candidates_per_need, options.compare)));

  // The search sees candidates_per_need of each; the rest are for comparing.
  std::vector<Ranking> searched = ranked;
  for (auto& r : searched)
    if (r.candidates.size() > options.candidates_per_need) r.candidates.resize(options.candidates_per_need);

  Proposal out;
  Partial plan;
  if (options.method == Method::greedy) {
    plan = greedy(needs, searched, budget);
  } else {
    Search search(needs, searched, budget, options.node_limit);
    plan = search.run();
    out.nodes = search.nodes();
  }

  for (std::size_t i = 0; i < needs.size(); ++i) {
    const Candidate* c = plan.chosen[i];
    if (!c) {
      out.gaps.push_back({needs[i].need, needs[i].eligible,
                          searched[i].none_because ? *searched[i].none_because
                                                   : left_out_because(plan, searched[i], budget)});
      continue;
    }
    Line line{needs[i].need, needs[i].eligible, *c, false};
    for (const auto& earlier : out.lines)
      if (same_line(earlier.chosen, *c)) line.shared = true;
    out.lines.push_back(line);
  }
  out.weekly_cost = plan.cost;
  out.budget_per_week = budget;
  out.value = plan.value;
  out.ranked.reserve(ranked.size());
  for (auto& r : ranked) {
    if (r.candidates.size() > options.compare) r.candidates.resize(options.compare);
    out.ranked.push_back(std::move(r.candidates));
  }
  return out;
}

}  // namespace bespoke::plans
