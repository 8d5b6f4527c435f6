#pragma once
// Charts drawn on the server as SVG: no script, readable without CSS (sizes, colours
// and fonts are attributes), announced as one image with a title and a description.
// Always pair a chart with a table of the same figures on the page.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::web {

struct Bar {
  std::string label;        // shown left of the bar
  double value = 0;         // negative values draw as zero
  std::string value_label;  // shown after the bar; empty: the value with thousands separators
};

struct ChartOptions {
  std::string id = "chart";  // prefix of the ids of <title> and <desc>; unique within the page
  std::string title;         // <title>: what the chart shows
  std::string description;   // <desc>: the gist in words (e.g. where most people live)
  int width = 640;           // of the whole drawing, in px (the viewBox scales it)
  int label_width = 150;     // the label column
  int value_width = 80;      // room after the longest bar for its value
  int bar_height = 24;
  int gap = 8;               // between bars
  std::string bar_colour = "#1d70b8";   // GOV.UK blue: 4.5:1 and more against white
  std::string text_colour = "#0b0c0c";  // GOV.UK text colour
};

// A horizontal bar chart, one <rect class="app-chart__bar"> per bar in the given
// order, the longest bar for the largest value; all bars zero-length when every value is 0.
[[nodiscard]] std::string bar_chart_svg(const std::vector<Bar>& bars, const ChartOptions& options);

// Grouped bars: one group per label (a decile), one bar per series in each
// group (the share of residents, the share of people with needs), so that
// figures can be compared side by side. A legend above the bars names the
// series by colour, and within every group the bars come in the legend's
// order, each with its value after it (so colour is never the only clue).
struct Series {
  std::string name;    // "Share of residents"
  std::string colour;  // "#505a5f"; at least 3:1 against white (WCAG 1.4.11)
};
struct BarGroup {
  std::string label;                      // shown left of the group
  std::vector<double> values;             // one per series (missing ones draw as zero)
  std::vector<std::string> value_labels;  // one per series; empty: the value with thousands separators
};
// One <g class="app-chart__group"> per group in the given order, holding one
// <rect class="app-chart__bar"> per series; the longest bar for the largest
// value of all groups. options.bar_height is each bar's; options.gap the space
// between groups; options.bar_colour is unused (the series' colours are).
[[nodiscard]] std::string grouped_bar_chart_svg(const std::vector<BarGroup>& groups, const std::vector<Series>& series,
                                                const ChartOptions& options);


// Escapes & < > " ' for XML and HTML text and attribute values.
[[nodiscard]] std::string xml_escape(std::string_view text);

}  // namespace bespoke::web
