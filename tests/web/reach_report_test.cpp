// The reach report's CSV and charts, without a database.
#include "web/pages/reach_report.h"

#include "web/charts.h"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace bespoke::web {
namespace {

namespace pt = boost::property_tree;

pt::ptree parse(const std::string& svg) {
  std::istringstream in(svg);
  pt::ptree tree;
  pt::read_xml(in, tree);
  return tree;
}

std::vector<store::ReachRow> ten_deciles() {
  std::vector<store::ReachRow> rows;
  for (int d = 1; d <= 10; ++d) {
    store::ReachRow r;
    r.decile = d;
    r.residents = 100 * d;
    r.with_needs = 10 * (11 - d);
    r.agreed_plans = d;
    r.default_plans = d % 2;
    r.unmet_needs = 0;
    r.overdue_reviews = d == 1 ? 2 : 0;
    rows.push_back(r);
  }
  return rows;
}

TEST(ReachReport, CsvHasTheHeaderThenOneRowPerDecile) {
  const auto csv = reach_csv(ten_deciles());
  EXPECT_EQ(csv.rfind(std::string(kReachCsvHeader) + "\r\n", 0), 0u);
  EXPECT_NE(csv.find("\r\n1,100,100,1,1,0,2\r\n"), std::string::npos);
  const std::string last = "\r\n10,1000,10,10,0,0,0\r\n";
  EXPECT_EQ(csv.substr(csv.size() - last.size()), last);
  std::size_t lines = 0;
  for (const char c : csv) lines += c == '\n';
  EXPECT_EQ(lines, 11u);
}

TEST(ReachReport, GroupedChartIsWellFormedWithABarPerSeriesInEachGroup) {
  std::vector<BarGroup> groups{{"Decile 1", {10, 20}, {"10%", "20%"}}, {"Decile <2>", {5}, {}}};
  ChartOptions options;
  options.id = "grouped";
  options.title = "Shares & more";
  options.description = "Two bars a decile.";
  const auto tree = parse(grouped_bar_chart_svg(groups, {{"Residents", "#505a5f"}, {"Needs", "#1d70b8"}}, options));
  const auto& svg = tree.get_child("svg");
  EXPECT_EQ(svg.get<std::string>("<xmlattr>.role"), "img");
  EXPECT_EQ(svg.get<std::string>("title"), "Shares & more");
  std::vector<std::string> widths, labels;
  for (const auto& [name, child] : svg) {
    if (name != "g" || child.get<std::string>("<xmlattr>.class", "") != "app-chart__group") continue;
    for (const auto& [inner, node] : child) {
      if (inner == "rect") widths.push_back(node.get<std::string>("<xmlattr>.width"));
      if (inner == "text") labels.push_back(node.data());
    }
  }
  ASSERT_EQ(widths.size(), 4u);
  EXPECT_EQ(widths[3], "0") << "a missing value draws as zero";
  EXPECT_EQ(std::stod(widths[1]), 2 * std::stod(widths[0]));
  EXPECT_EQ(labels[0], "Decile 1");
  EXPECT_EQ(labels[1], "10%");
  EXPECT_EQ(labels[3], "Decile <2>");
  EXPECT_EQ(labels[4], "5");
  EXPECT_THROW((void)grouped_bar_chart_svg(groups, {}, options), std::invalid_argument);
}

TEST(ReachReport, ViewGivesSharesAgainstTheShareOfResidents) {
  const auto deciles = ten_deciles();
  std::vector<store::ReachRow> areas{deciles[0]};
  areas[0].neighbourhood = "Ashby";
  const auto view = reach_view(deciles, areas, {{"food", "Food and essentials", 3}});
  const auto& rows = view.get("deciles")->list_value();
  ASSERT_EQ(rows.size(), 10u);
  // 100 of 5,500 residents; 100 of 550 with needs.
  EXPECT_EQ(rows[0].get("residents_share")->string_value(), "1.8%");
  EXPECT_EQ(rows[0].get("with_needs_share")->string_value(), "18.2%");
  EXPECT_EQ(rows[0].get("label")->string_value(), "Decile 1 (most deprived)");
  EXPECT_EQ(rows[9].get("unmet_share")->string_value(), "0%");
  EXPECT_EQ(view.get("totals")->get("residents")->string_value(), "5,500");
  EXPECT_EQ(view.get("neighbourhoods")->list_value()[0].get("label")->string_value(), "Ashby");
  EXPECT_EQ(view.get("gaps")->list_value()[0].get("need")->string_value(), "Food and essentials");
  EXPECT_NE(view.get("needs_chart")->string_value().find("<svg"), std::string::npos);
  EXPECT_NE(view.get("agreed_chart")->string_value().find("Decile 1 has 1.8% of residents and 1.8% of agreed plans"),
            std::string::npos);
}

}  // namespace
}  // namespace bespoke::web
