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


// Escapes & < > " ' for XML and HTML text and attribute values.
[[nodiscard]] std::string xml_escape(std::string_view text);

}  // namespace bespoke::web
