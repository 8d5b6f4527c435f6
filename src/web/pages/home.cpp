#include "web/pages/home.h"

#include "core/text.h"

#include "web/auth/page_meta.h"
#include "web/charts.h"
#include "web/views.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace bespoke::web {

namespace mustache = kainjow::mustache;

std::string provider_kind_label(std::string_view code) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> labels{{
      {"council", "Council"},
      {"nhs", "NHS"},
      {"charity", "Charity"},
      {"community_led", "Community-led organisation"},
      {"social_enterprise", "Social enterprise"},
      {"volunteer_group", "Volunteer group"},
      {"private_company", "Private company"},
  }};
  for (const auto& [known, label] : labels) {
    if (known == code) return std::string(label);
  }
  return std::string(code);
}

namespace {

// by_decile[i] is decile i + 1; the field says so too once the store has filled it in.
int decile_number(const store::TownStats& stats, const store::DecileFigures& d) {
  if (d.decile != 0) return d.decile;
  return static_cast<int>(&d - stats.by_decile.data()) + 1;
}

std::string decile_label(int decile) {
  std::string label = "Decile " + std::to_string(decile);
  if (decile == 1) label += " (most deprived)";
  if (decile == 10) label += " (least deprived)";
  return label;
}

std::string decile_chart(const store::TownStats& stats) {
  std::vector<Bar> bars;
  bars.reserve(stats.by_decile.size());
  const store::DecileFigures* busiest = nullptr;
  for (const auto& d : stats.by_decile) {
    bars.push_back(Bar{"Decile " + std::to_string(decile_number(stats, d)), static_cast<double>(d.neighbourhoods),
                       core::format_thousands(d.neighbourhoods)});
    if (busiest == nullptr || d.neighbourhoods > busiest->neighbourhoods) busiest = &d;
  }
  ChartOptions options;
  options.id = "decile-chart";
  options.title = "Neighbourhoods in " + stats.place_name + " by deprivation decile";
  options.description = "A bar for each deprivation decile, from decile 1 (most deprived) to decile 10 (least deprived), "
                        "its length the number of neighbourhoods in that decile.";
  if (busiest != nullptr && busiest->neighbourhoods > 0) {
    options.description += " Decile " + std::to_string(decile_number(stats, *busiest)) + " has the most neighbourhoods: " +
                           core::format_thousands(busiest->neighbourhoods) + ".";
  }
  options.width = 480;  // narrow, so that the text stays readable when a phone scales it down
  options.label_width = 80;
  options.value_width = 60;
  return bar_chart_svg(bars, options);
}

}  // namespace

mustache::data home_view(const store::TownStats& stats) {
  mustache::data view;
  view.set("has_town", stats.has_town);
  view.set("demo_command", std::string(kDemoTownCommand));
  if (!stats.has_town) return view;

  view.set("place_name", stats.place_name);
  view.set("scale", stats.scale.empty() ? std::string("town") : stats.scale);
  view.set("seed", std::to_string(stats.seed));
  view.set("residents", core::format_thousands(stats.residents));
  view.set("households", core::format_thousands(stats.households));
  view.set("organisations", core::format_thousands(stats.organisations));
  view.set("services", core::format_thousands(stats.services));
  view.set("volunteers", core::format_thousands(stats.volunteers));
  view.set("neighbourhoods", core::format_thousands(stats.neighbourhoods));
  view.set("locally_owned", core::format_thousands(stats.locally_owned_organisations));

  mustache::data kinds{mustache::data::type::list};
  for (const auto& [code, count] : stats.organisations_by_kind) {
    mustache::data row;
    row.set("label", provider_kind_label(code));
    row.set("count", core::format_thousands(count));
    kinds.push_back(row);
  }
  view.set("organisations_by_kind", kinds);

  mustache::data deciles{mustache::data::type::list};
  for (const auto& d : stats.by_decile) {
    mustache::data row;
    row.set("label", decile_label(decile_number(stats, d)));
    row.set("neighbourhoods", core::format_thousands(d.neighbourhoods));
    row.set("residents", core::format_thousands(d.residents));
    deciles.push_back(row);
  }
  view.set("deciles", deciles);
  view.set("decile_chart", decile_chart(stats));  // our own SVG, escaped inside
  return view;
}

Response render_home(const Views& views, const store::TownStats& stats, const Caller& caller) {
  return views.html("home", home_view(stats), page_meta(caller, "Local services you shape for yourself"));
}

}  // namespace bespoke::web
