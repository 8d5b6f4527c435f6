#include "web/pages/reach_report.h"

#include "core/csv.h"
#include "core/text.h"
#include "web/charts.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <functional>

namespace bespoke::web {
namespace {

using kainjow::mustache::data;

// "12.3%"; "0%" for nothing.
std::string percent(double share) {
  if (!std::isfinite(share) || share <= 0) return "0%";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", share * 100.0);
  return text;
}

double share_of(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

std::string decile_label(int decile) {
  std::string label = "Decile " + std::to_string(decile);
  if (decile == 1) label += " (most deprived)";
  if (decile == 10) label += " (least deprived)";
  return label;
}

using Measure = std::function<std::int64_t(const store::ReachRow&)>;

struct Totals {
  std::int64_t residents = 0, with_needs = 0, agreed = 0, defaults = 0, unmet = 0, overdue = 0;
};

Totals totals_of(const std::vector<store::ReachRow>& rows) {
  Totals t;
  for (const auto& r : rows) {
    t.residents += r.residents;
    t.with_needs += r.with_needs;
    t.agreed += r.agreed_plans;
    t.defaults += r.default_plans;
    t.unmet += r.unmet_needs;
    t.overdue += r.overdue_reviews;
  }
  return t;
}

// A table row: each count, and its share of the place's total.
data row_view(const store::ReachRow& r, const Totals& t, std::string label) {
  data row;
  row.set("label", std::move(label));
  row.set("decile", std::to_string(r.decile));
  const auto cell = [&](const char* name, std::int64_t count, std::int64_t total) {
    row.set(name, core::format_thousands(count));
    row.set(std::string(name) + "_share", percent(share_of(count, total)));
  };
  cell("residents", r.residents, t.residents);
  cell("with_needs", r.with_needs, t.with_needs);
  cell("agreed", r.agreed_plans, t.agreed);
  cell("defaults", r.default_plans, t.defaults);
  cell("unmet", r.unmet_needs, t.unmet);
  cell("overdue", r.overdue_reviews, t.overdue);
  return row;
}

// Share of residents against share of `what`, a group per decile.
std::string share_chart(const std::vector<store::ReachRow>& deciles, const Totals& t, const std::string& id,
                        const std::string& what, const Measure& measure, std::int64_t total) {
  std::vector<BarGroup> groups;
  for (const auto& d : deciles) {
    const double residents = share_of(d.residents, t.residents);
    const double part = share_of(measure(d), total);
    groups.push_back(BarGroup{"Decile " + std::to_string(d.decile),
                              {residents * 100.0, part * 100.0},
                              {percent(residents), percent(part)}});
  }
  ChartOptions options;
  options.id = id;
  options.title = "Share of residents and share of " + what + ", by deprivation decile";
  options.description = "Two bars for each deprivation decile, from decile 1 (most deprived) to decile 10 (least "
                        "deprived): the decile's share of all residents, then its share of all " + what + ".";
  if (!deciles.empty()) {
    const auto& first = deciles.front();
    const auto& last = deciles.back();
    options.description += " Decile 1 has " + percent(share_of(first.residents, t.residents)) + " of residents and " +
                           percent(share_of(measure(first), total)) + " of " + what + "; decile 10 has " +
                           percent(share_of(last.residents, t.residents)) + " of residents and " +
                           percent(share_of(measure(last), total)) + " of " + what + ".";
  }
  options.width = 560;
  options.label_width = 90;
  options.value_width = 70;
  options.bar_height = 14;
  options.gap = 10;
  return grouped_bar_chart_svg(groups, {{"Share of residents", "#505a5f"}, {"Share of " + what, "#1d70b8"}}, options);
}

}  // namespace

std::string reach_csv(const std::vector<store::ReachRow>& deciles) {
  std::string out;
  const std::array<std::string_view, 7> header{"decile",        "residents",   "with_needs",     "agreed_plans",
                                               "default_plans", "unmet_needs", "overdue_reviews"};
  core::append_csv_row(out, header);
  for (const auto& d : deciles) {
    const std::array<std::string, 7> row{std::to_string(d.decile),        std::to_string(d.residents),
                                         std::to_string(d.with_needs),    std::to_string(d.agreed_plans),
                                         std::to_string(d.default_plans), std::to_string(d.unmet_needs),
                                         std::to_string(d.overdue_reviews)};
    core::append_csv_row(out, row);
  }
  return out;
}

data reach_view(const std::vector<store::ReachRow>& deciles, const std::vector<store::ReachRow>& neighbourhoods,
                const std::vector<store::GapCount>& gaps) {
  const auto t = totals_of(deciles);
  data view;
  data decile_rows{data::type::list};
  for (const auto& d : deciles) decile_rows.push_back(row_view(d, t, decile_label(d.decile)));
  view.set("deciles", decile_rows);
  data neighbourhood_rows{data::type::list};
  for (const auto& n : neighbourhoods) neighbourhood_rows.push_back(row_view(n, t, n.neighbourhood));
  view.set("neighbourhoods", neighbourhood_rows);
  view.set("has_neighbourhoods", !neighbourhoods.empty());
  view.set("totals", row_view(store::ReachRow{0, "", "", t.residents, t.with_needs, t.agreed, t.defaults, t.unmet,
                                               t.overdue, 1.0},
                              t, "All"));
  data gap_rows{data::type::list};
  for (const auto& g : gaps) {
    data row;
    row.set("need", g.need_label.empty() ? g.need_code : g.need_label);
    row.set("people", core::format_thousands(g.people));
    gap_rows.push_back(row);
  }
  view.set("gaps", gap_rows);
  view.set("has_gaps", !gaps.empty());
  // Our own SVG, every text in it escaped.
  view.set("needs_chart", share_chart(deciles, t, "reach-needs-chart", "people with needs",
                                      [](const store::ReachRow& r) { return r.with_needs; }, t.with_needs));
  view.set("agreed_chart", share_chart(deciles, t, "reach-agreed-chart", "agreed plans",
                                       [](const store::ReachRow& r) { return r.agreed_plans; }, t.agreed));
  return view;
}

data outreach_view(const std::vector<store::OutreachEntry>& people) {
  data rows{data::type::list};
  for (const auto& p : people) {
    data row;
    row.set("id", p.public_id);
    row.set("name", p.name);
    row.set("neighbourhood", p.neighbourhood);
    row.set("decile", std::to_string(p.decile));
    row.set("dependency", std::to_string(p.dependency));
    row.set("days", core::format_thousands(p.days_since_assessed));
    row.set("default_proposed", p.default_proposed);
    rows.push_back(row);
  }
  data view;
  view.set("people", rows);
  view.set("has_people", !people.empty());
  return view;
}

}  // namespace bespoke::web
