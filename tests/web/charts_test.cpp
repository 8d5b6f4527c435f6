#include "web/charts.h"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <gtest/gtest.h>

#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace bespoke::web {
namespace {

namespace pt = boost::property_tree;

// Parses the SVG as XML (throws on anything not well-formed).
pt::ptree parse(const std::string& svg) {
  std::istringstream in(svg);
  pt::ptree tree;
  pt::read_xml(in, tree);
  return tree;
}

std::vector<const pt::ptree*> bars_of(const pt::ptree& tree) {
  std::vector<const pt::ptree*> bars;
  for (const auto& [name, child] : tree.get_child("svg")) {
    if (name != "g") continue;
    for (const auto& [inner, node] : child) {
      if (inner == "rect" && node.get<std::string>("<xmlattr>.class", "") == "app-chart__bar") bars.push_back(&node);
    }
  }
  return bars;
}

// Attributes read as text and converted here (ptree's get<double> trips g++ 12's
// -Wmaybe-uninitialized under the sanitizers).
double number(const pt::ptree& node, const char* attribute) {
  return std::stod(node.get<std::string>(std::string("<xmlattr>.") + attribute));
}

std::vector<Bar> deciles() {
  std::vector<Bar> bars;
  for (int d = 1; d <= 10; ++d) bars.push_back(Bar{"Decile " + std::to_string(d), static_cast<double>(d * 10), ""});
  return bars;
}

TEST(Charts, BarChartIsWellFormedAccessibleSvgWithOneBarPerDecile) {
  ChartOptions options;
  options.id = "deciles";
  options.title = "Neighbourhoods by decile";
  options.description = "Decile 10 has the most.";
  const std::string svg = bar_chart_svg(deciles(), options);
  const auto tree = parse(svg);
  const auto& root = tree.get_child("svg");
  EXPECT_EQ(root.get<std::string>("<xmlattr>.role"), "img");
  EXPECT_EQ(root.get<std::string>("<xmlattr>.aria-labelledby"), "deciles-title deciles-desc");
  EXPECT_EQ(root.get<std::string>("title"), "Neighbourhoods by decile");
  EXPECT_EQ(root.get<std::string>("title.<xmlattr>.id"), "deciles-title");
  EXPECT_EQ(root.get<std::string>("desc"), "Decile 10 has the most.");
  EXPECT_EQ(root.get<std::string>("desc.<xmlattr>.id"), "deciles-desc");
  EXPECT_EQ(bars_of(tree).size(), 10u);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("style="), std::string::npos);  // works without CSS and under a strict CSP
  // Text labels are real text.
  EXPECT_NE(svg.find(">Decile 1<"), std::string::npos);
  EXPECT_NE(svg.find(">100<"), std::string::npos);
}

TEST(Charts, ScalesBarsToTheLargestValue) {
  ChartOptions options;
  options.width = 600;
  options.label_width = 90;
  options.value_width = 100;
  const double plot_width = 600 - (90 + 10) - 100;  // 400
  const auto tree = parse(bar_chart_svg({{"a", 50, ""}, {"b", 200, ""}, {"c", 0, ""}, {"d", 100, ""}, {"e", -5, ""}},
                                        options));
  const auto bars = bars_of(tree);
  ASSERT_EQ(bars.size(), 5u);
  const auto width = [&](std::size_t i) { return number(*bars[i], "width"); };
  EXPECT_DOUBLE_EQ(width(1), plot_width);
  EXPECT_DOUBLE_EQ(width(0), plot_width / 4);
  EXPECT_DOUBLE_EQ(width(2), 0);
  EXPECT_DOUBLE_EQ(width(3), plot_width / 2);
  EXPECT_DOUBLE_EQ(width(4), 0);
  // Bars do not overlap: each starts below the previous one.
  for (std::size_t i = 1; i < bars.size(); ++i) {
    EXPECT_GT(number(*bars[i], "y"), number(*bars[i - 1], "y") + number(*bars[i - 1], "height") - 1e-9);
  }
}

TEST(Charts, AllZeroAndEmptyChartsAreStillValid) {
  const auto zeros = parse(bar_chart_svg({{"a", 0, ""}, {"b", 0, ""}}, {}));
  for (const auto* bar : bars_of(zeros)) EXPECT_DOUBLE_EQ(number(*bar, "width"), 0);
  EXPECT_TRUE(bars_of(parse(bar_chart_svg({}, {}))).empty());
}

TEST(Charts, EscapesLabelsTitleAndDescription) {
  ChartOptions options;
  options.title = "<script>alert(1)</script>";
  options.description = "A & B \"quoted\"";
  const std::string svg = bar_chart_svg({{"<b>Place</b>", 1, "1 & more"}}, options);
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
  const auto tree = parse(svg);
  EXPECT_EQ(tree.get<std::string>("svg.title"), "<script>alert(1)</script>");
  EXPECT_EQ(tree.get<std::string>("svg.desc"), "A & B \"quoted\"");
}

TEST(Charts, RejectsAnUnsafeIdAndImpossibleSizes) {
  ChartOptions bad_id;
  bad_id.id = "x\" onload=\"alert(1)";
  EXPECT_THROW((void)bar_chart_svg({}, bad_id), std::invalid_argument);
  ChartOptions narrow;
  narrow.width = 100;
  EXPECT_THROW((void)bar_chart_svg({}, narrow), std::invalid_argument);
}

}  // namespace
}  // namespace bespoke::web
