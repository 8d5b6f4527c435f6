#pragma once
// The plan engine (no I/O): for each of a person's needs, the options that may
// meet it, ranked, each with the factors that ranked it; and a whole plan
// composed from them that covers as many needs as it can within the person's
// budget and week, saying what is left uncovered and why. docs/plans.md says
// how: hard constraints, soft factors, and a branch-and-bound search, exact
// over each need's top candidates, that a greedy first-fit baseline is
// measured against.
//
// Deterministic: the same inputs give the same plan (ties break by option id).
#include "plans/model.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::plans {

// The directory's options, indexed by need and place: built once, shared by
// every proposal (read-only, so any number of threads may use it).
class Catalogue {
 public:
  // std::invalid_argument for an option with a negative cost.
  explicit Catalogue(std::vector<Option> options);
  Catalogue(const Catalogue&) = delete;
  Catalogue& operator=(const Catalogue&) = delete;
  Catalogue(Catalogue&&) noexcept;
  Catalogue& operator=(Catalogue&&) noexcept;
  ~Catalogue();

  [[nodiscard]] const std::vector<Option>& options() const noexcept;
  [[nodiscard]] const Option* find(std::uint32_t id) const noexcept;
  // How many options meet the need anywhere: 0 is a gap in local provision.
  [[nodiscard]] std::size_t offering(NeedId need) const noexcept;

  // The highest share of good feedback any option has (0.5, the neutral
  // prior, when none has any): a bound for ranking.
  [[nodiscard]] double best_feedback() const noexcept;

  // An option near a point: chord2 is the squared chord of its distance
  // (core::chord2), 0 for one that comes to the person.
  struct Nearby {
    const Option* option;
    double chord2;
  };
  // Options meeting the need whose site is within radius_m of `point`, and
  // those that come to the person (no site), in no particular order.
  void within(NeedId need, core::LatLon point, double radius_m, std::vector<Nearby>& out) const;

 private:
  struct Index;
  std::unique_ptr<Index> index_;
};

// Why an option cannot be used for a need: the hard constraints, in the order
// they are checked.
enum class Exclusion : std::uint8_t {
  out_of_reach,   // further than the person travels (or they do not travel and it does not come to them)
  not_eligible,   // age or circumstances
  language,       // no language the person can be supported in
  full,           // no spare places
  excluded,       // the person ruled out the organisation or its kind
  no_fallback,    // volunteer or informal help for an eligible need, with no guaranteed service behind it
};

// The soft factors, each weighted (Weights) and each shown.
enum class Factor : std::uint8_t { distance, timing, what_matters, cost, continuity, outcomes, community };
inline constexpr std::size_t kFactorCount = 7;

inline constexpr std::uint8_t kArrangedToSuit = 255;  // Candidate::session when the option has no fixed times

// One way to meet one need: an option at one of its weekly sessions.
struct Candidate {
  const Option* option = nullptr;  // into the catalogue, or into PlanRequest::own_options
  std::uint8_t session = kArrangedToSuit;  // index into option->sessions
  double distance_m = 0;                   // 0 when it comes to the person
  core::Pence weekly_cost;
  std::array<double, kFactorCount> points{};  // by Factor
  double score = 0;                          // their sum
  std::optional<std::uint32_t> fallback;     // the guaranteed option behind volunteer or informal help

  [[nodiscard]] std::optional<WeeklySlot> slot() const {
    if (session == kArrangedToSuit) return std::nullopt;
    return option->sessions[session];
  }
};

struct PlanRequest {
  Person person;
  std::vector<NeedToMeet> needs;     // in the person's order
  std::vector<Option> own_options;   // their family and neighbours, their own ideas (ids distinct from the catalogue's)
  Weights weights;
};

// The request's problems, each naming its field ("weights", "needs", "budget",
// "main_language", "own_options"); empty when it can be planned.
[[nodiscard]] std::vector<std::string> request_problems(const PlanRequest& request);

// Why a need is left uncovered.
enum class GapReason : std::uint8_t {
  no_provider,   // nothing here meets this need: a gap in local provision
  out_of_reach,
  not_eligible,
  language,
  full,
  excluded,
  no_fallback,
  budget,        // the top options for it cost more than the budget left
  clash,         // the affordable top options clash with the rest of the plan
};

struct Line {
  NeedId need = 0;
  bool eligible = false;
  Candidate chosen;
  bool shared = false;  // the same session as an earlier line (one place meets both needs; paid once)
};

struct Gap {
  NeedId need = 0;
  bool eligible = false;
  GapReason reason = GapReason::no_provider;
};

struct Proposal {
  std::vector<Line> lines;  // in the request's order of needs
  std::vector<Gap> gaps;
  core::Pence weekly_cost;
  core::Pence budget_per_week;
  double value = 0;  // what the composition maximised: eligible needs met, then needs met, then the lines' scores
  // For comparing and choosing: each need's best candidates, best first (same order as request.needs).
  std::vector<std::vector<Candidate>> ranked;
  std::size_t nodes = 0;  // search nodes visited (the greedy baseline: 0)
};

enum class Method : std::uint8_t { optimal, greedy };

struct ProposeOptions {
  Method method = Method::optimal;
  std::size_t candidates_per_need = 8;  // the search looks at this many per need
  std::size_t compare = 5;              // Proposal::ranked keeps this many per need
  std::size_t node_limit = 2'000'000;   // a guard: the best plan found by then is returned
};

// Each need's usable candidates, best first, and for a need with none, why.
struct Ranking {
  std::vector<Candidate> candidates;
  std::optional<GapReason> none_because;
};
[[nodiscard]] Ranking rank(const Catalogue& catalogue, const PlanRequest& request, const NeedToMeet& need,
                           std::size_t limit);

// A whole plan. std::invalid_argument when the request has request_problems,
// an own option shares a catalogue option's id, or an option is zero.
[[nodiscard]] Proposal propose(const Catalogue& catalogue, const PlanRequest& request,
                               const ProposeOptions& options = {});

// Names the caller's codes for the explanations ("in Polish", "gardening").
struct Names {
  std::vector<std::string> languages;
  std::vector<std::string> cultures;
  std::vector<std::string> interests;
};

// The candidate in plain English, from the factors that ranked it:
// "12 minutes' walk; Tuesday morning, as you asked; run by a community-led organisation; free".
[[nodiscard]] std::string explain(const Candidate& candidate, const Person& person, const Names& names = {});

// "Nothing near you meets this need", ...
[[nodiscard]] std::string_view gap_text(GapReason reason) noexcept;

}  // namespace bespoke::plans
