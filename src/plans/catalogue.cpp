#include "plans/plans.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace bespoke::plans {
namespace {

// Grid cells of about 2 km: a query walks the few cells its radius covers and
// checks the exact distance only there.
constexpr double kCellLatDeg = 0.02;
constexpr double kCellLonDeg = 0.03;

std::uint32_t cell_y(double lat) { return static_cast<std::uint32_t>(std::floor((lat + 90.0) / kCellLatDeg)); }
std::uint32_t cell_x(double lon) { return static_cast<std::uint32_t>(std::floor((lon + 180.0) / kCellLonDeg)); }
std::uint64_t cell_key(std::uint32_t y, std::uint32_t x) { return (static_cast<std::uint64_t>(y) << 32) | x; }

struct Placed {
  std::uint64_t key;
  std::uint32_t option;  // index into options
};

struct NeedIndex {
  std::vector<Placed> placed;          // sorted by key, then option
  std::vector<std::uint32_t> anywhere;  // options without a site
  std::size_t total = 0;
};

}  // namespace

struct Catalogue::Index {
  std::vector<Option> options;
  std::vector<core::UnitVector> points;  // per option (unused without a site)
  std::unordered_map<NeedId, NeedIndex> needs;
  std::unordered_map<std::uint32_t, std::uint32_t> by_id;
  double best_feedback = 0.5;
};

Catalogue::Catalogue(std::vector<Option> options) : index_(std::make_unique<Index>()) {
  auto& ix = *index_;
  // Kept in grid order, each option's lists copied afresh in that order, so a
  // query's options (and their sessions) lie close together in memory: at
  // nation scale a query's time was almost all cache misses.
  const auto place = [](const Option& o) {
    return o.site ? cell_key(cell_y(o.site->lat), cell_x(o.site->lon)) : ~std::uint64_t{0};
  };
  std::sort(options.begin(), options.end(), [&](const Option& a, const Option& b) {
    const auto pa = place(a), pb = place(b);
    return pa != pb ? pa < pb : a.id < b.id;
  });
  ix.options.reserve(options.size());
  for (auto& o : options) {
    if (o.cost_per_session.value < 0)
      throw std::invalid_argument("plans::Catalogue: option " + std::to_string(o.id) + " has a negative cost");
    ix.options.push_back(std::move(o));
    auto& kept = ix.options.back();
    kept.sessions = std::vector<WeeklySlot>(kept.sessions);
    std::sort(kept.needs.begin(), kept.needs.end());  // each need once: one entry per need in the index
    kept.needs.erase(std::unique(kept.needs.begin(), kept.needs.end()), kept.needs.end());
    kept.needs = std::vector<NeedId>(kept.needs);
  }
  ix.points.resize(ix.options.size());
  for (std::uint32_t i = 0; i < ix.options.size(); ++i) {
    const Option& o = ix.options[i];
    ix.by_id.emplace(o.id, i);
    if (o.good_feedback) ix.best_feedback = std::max(ix.best_feedback, *o.good_feedback);
    if (o.site) ix.points[i] = core::unit_vector(*o.site);
    for (const NeedId need : o.needs) {
      auto& n = ix.needs[need];
      ++n.total;
      if (o.site) n.placed.push_back({cell_key(cell_y(o.site->lat), cell_x(o.site->lon)), i});
      else n.anywhere.push_back(i);
    }
  }
  for (auto& [need, n] : ix.needs)
    std::sort(n.placed.begin(), n.placed.end(),
              [](const Placed& a, const Placed& b) { return a.key != b.key ? a.key < b.key : a.option < b.option; });
}

Catalogue::Catalogue(Catalogue&&) noexcept = default;
Catalogue& Catalogue::operator=(Catalogue&&) noexcept = default;
Catalogue::~Catalogue() = default;

const std::vector<Option>& Catalogue::options() const noexcept { return index_->options; }

const Option* Catalogue::find(std::uint32_t id) const noexcept {
  const auto it = index_->by_id.find(id);
  return it == index_->by_id.end() ? nullptr : &index_->options[it->second];
}

double Catalogue::best_feedback() const noexcept { return index_->best_feedback; }

std::size_t Catalogue::offering(NeedId need) const noexcept {
  const auto it = index_->needs.find(need);
  return it == index_->needs.end() ? 0 : it->second.total;
}

void Catalogue::within(NeedId need, core::LatLon point, double radius_m, std::vector<Nearby>& out) const {
  const auto& ix = *index_;
  const auto it = ix.needs.find(need);
  if (it == ix.needs.end()) return;
  const NeedIndex& n = it->second;
  for (const auto i : n.anywhere) out.push_back({&ix.options[i], 0.0});
  if (!(radius_m > 0)) return;
  const auto box = core::bounding_box(point, radius_m);
  const auto centre = core::unit_vector(point);
  const double limit = core::chord2_of_distance(radius_m);
  const auto add_if_near = [&](std::uint32_t i) {
    const double c2 = core::chord2(ix.points[i], centre);
    if (c2 <= limit) out.push_back({&ix.options[i], c2});
  };
  if (!box) {  // near a pole or the antimeridian, or no limit: every placed option
    for (const auto& p : n.placed) add_if_near(p.option);
    return;
  }
  const auto x0 = cell_x(box->lon0), x1 = cell_x(box->lon1);
  for (auto y = cell_y(box->lat0); y <= cell_y(box->lat1); ++y) {
    auto at = std::lower_bound(n.placed.begin(), n.placed.end(), cell_key(y, x0),
                               [](const Placed& p, std::uint64_t key) { return p.key < key; });
    const auto last = cell_key(y, x1);
    for (; at != n.placed.end() && at->key <= last; ++at) add_if_near(at->option);
  }
}

}  // namespace bespoke::plans
