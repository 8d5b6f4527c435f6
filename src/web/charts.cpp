#include "web/charts.h"

#include "core/text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace bespoke::web {
namespace {

// Pixel values with at most one decimal, no locale, no exponent.
std::string px(double value) {
  const double rounded = std::round(value * 10.0) / 10.0;
  char buffer[64];
  if (rounded == std::floor(rounded)) {
    std::snprintf(buffer, sizeof buffer, "%.0f", rounded);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1f", rounded);
  }
  return buffer;
}

bool is_safe_id(std::string_view id) {
  if (id.empty()) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string bar_chart_svg(const std::vector<Bar>& bars, const ChartOptions& o) {
  if (!is_safe_id(o.id)) throw std::invalid_argument("bar_chart_svg: id must be letters, digits, - or _");
  if (o.width <= o.label_width + o.value_width + 10 || o.bar_height <= 0 || o.gap < 0) {
    throw std::invalid_argument("bar_chart_svg: the sizes leave no room for bars");
  }
  double max_value = 0;
  for (const Bar& bar : bars) {
    if (std::isfinite(bar.value)) max_value = std::max(max_value, bar.value);
  }
  const double plot_x = o.label_width + 10;
  const double plot_width = o.width - plot_x - o.value_width;
  const int n = static_cast<int>(bars.size());
  const int height = std::max(1, n * o.bar_height + std::max(0, n - 1) * o.gap);

  const std::string title_id = o.id + "-title";
  const std::string desc_id = o.id + "-desc";
  std::string svg;
  svg.reserve(512 + bars.size() * 400);
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"app-chart__svg\" role=\"img\" width=\"" +
         std::to_string(o.width) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
         std::to_string(o.width) + ' ' + std::to_string(height) + "\" aria-labelledby=\"" + title_id + ' ' + desc_id +
         "\" font-family=\"'GDS Transport', arial, sans-serif\" font-size=\"16\">\n";
  svg += "<title id=\"" + title_id + "\">" + xml_escape(o.title) + "</title>\n";
  svg += "<desc id=\"" + desc_id + "\">" + xml_escape(o.description) + "</desc>\n";
  const std::string colour = xml_escape(o.bar_colour);
  const std::string text_colour = xml_escape(o.text_colour);
  for (int i = 0; i < n; ++i) {
    const Bar& bar = bars[static_cast<std::size_t>(i)];
    const double value = std::isfinite(bar.value) ? std::max(0.0, bar.value) : 0.0;
    const double bar_width = max_value > 0 ? plot_width * value / max_value : 0.0;
    const double y = static_cast<double>(i) * (o.bar_height + o.gap);
    const double text_y = y + o.bar_height / 2.0;
    const std::string value_text =
        bar.value_label.empty() ? core::format_thousands(static_cast<std::int64_t>(std::llround(value))) : bar.value_label;
    svg += "<g class=\"app-chart__row\">\n";
    svg += "<text x=\"" + px(o.label_width) + "\" y=\"" + px(text_y) + "\" text-anchor=\"end\" dominant-baseline=\"central\" fill=\"" +
           text_colour + "\">" + xml_escape(bar.label) + "</text>\n";
    svg += "<rect class=\"app-chart__bar\" x=\"" + px(plot_x) + "\" y=\"" + px(y) + "\" width=\"" + px(bar_width) +
           "\" height=\"" + std::to_string(o.bar_height) + "\" fill=\"" + colour + "\"/>\n";
    svg += "<text x=\"" + px(plot_x + bar_width + 6) + "\" y=\"" + px(text_y) + "\" dominant-baseline=\"central\" fill=\"" +
           text_colour + "\">" + xml_escape(value_text) + "</text>\n";
    svg += "</g>\n";
  }
  svg += "</svg>";
  return svg;
}

std::string grouped_bar_chart_svg(const std::vector<BarGroup>& groups, const std::vector<Series>& series,
                                  const ChartOptions& o) {
  if (!is_safe_id(o.id)) throw std::invalid_argument("grouped_bar_chart_svg: id must be letters, digits, - or _");
  if (o.width <= o.label_width + o.value_width + 10 || o.bar_height <= 0 || o.gap < 0 || series.empty()) {
    throw std::invalid_argument("grouped_bar_chart_svg: the sizes leave no room for bars");
  }
  const auto value_of = [](const BarGroup& g, std::size_t s) {
    const double v = s < g.values.size() ? g.values[s] : 0.0;
    return std::isfinite(v) ? std::max(0.0, v) : 0.0;
  };
  double max_value = 0;
  for (const auto& g : groups)
    for (std::size_t s = 0; s < series.size(); ++s) max_value = std::max(max_value, value_of(g, s));
  const double plot_x = o.label_width + 10;
  const double plot_width = o.width - plot_x - o.value_width;
  constexpr int kInnerGap = 2;  // between the bars of one group
  constexpr int kLegendRow = 24;
  const int k = static_cast<int>(series.size());
  const int group_height = k * o.bar_height + (k - 1) * kInnerGap;
  const int n = static_cast<int>(groups.size());
  const int legend_height = k * kLegendRow + 8;
  const int height = legend_height + std::max(1, n * group_height + std::max(0, n - 1) * o.gap);

  const std::string title_id = o.id + "-title";
  const std::string desc_id = o.id + "-desc";
  const std::string text_colour = xml_escape(o.text_colour);
  std::string svg;
  svg.reserve(1024 + groups.size() * series.size() * 400);
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"app-chart__svg\" role=\"img\" width=\"" +
         std::to_string(o.width) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
         std::to_string(o.width) + ' ' + std::to_string(height) + "\" aria-labelledby=\"" + title_id + ' ' + desc_id +
         "\" font-family=\"'GDS Transport', arial, sans-serif\" font-size=\"16\">\n";
  svg += "<title id=\"" + title_id + "\">" + xml_escape(o.title) + "</title>\n";
  svg += "<desc id=\"" + desc_id + "\">" + xml_escape(o.description) + "</desc>\n";
  svg += "<g class=\"app-chart__legend\">\n";
  for (int s = 0; s < k; ++s) {
    const double y = s * kLegendRow;
    svg += "<rect x=\"" + px(plot_x) + "\" y=\"" + px(y + 4) + "\" width=\"16\" height=\"16\" fill=\"" +
           xml_escape(series[static_cast<std::size_t>(s)].colour) + "\"/>\n";
    svg += "<text x=\"" + px(plot_x + 24) + "\" y=\"" + px(y + 12) + "\" dominant-baseline=\"central\" fill=\"" +
           text_colour + "\">" + xml_escape(series[static_cast<std::size_t>(s)].name) + "</text>\n";
  }
  svg += "</g>\n";
  for (int i = 0; i < n; ++i) {
    const BarGroup& group = groups[static_cast<std::size_t>(i)];
    const double top = legend_height + static_cast<double>(i) * (group_height + o.gap);
    svg += "<g class=\"app-chart__group\">\n";
    svg += "<text x=\"" + px(o.label_width) + "\" y=\"" + px(top + group_height / 2.0) +
           "\" text-anchor=\"end\" dominant-baseline=\"central\" fill=\"" + text_colour + "\">" +
           xml_escape(group.label) + "</text>\n";
    for (int s = 0; s < k; ++s) {
      const auto si = static_cast<std::size_t>(s);
      const double value = value_of(group, si);
      const double bar_width = max_value > 0 ? plot_width * value / max_value : 0.0;
      const double y = top + s * (o.bar_height + kInnerGap);
      const std::string value_text = si < group.value_labels.size() && !group.value_labels[si].empty()
                                         ? group.value_labels[si]
                                         : core::format_thousands(static_cast<std::int64_t>(std::llround(value)));
      svg += "<rect class=\"app-chart__bar\" x=\"" + px(plot_x) + "\" y=\"" + px(y) + "\" width=\"" + px(bar_width) +
             "\" height=\"" + std::to_string(o.bar_height) + "\" fill=\"" + xml_escape(series[si].colour) + "\"/>\n";
      svg += "<text x=\"" + px(plot_x + bar_width + 6) + "\" y=\"" + px(y + o.bar_height / 2.0) +
             "\" dominant-baseline=\"central\" font-size=\"14\" fill=\"" + text_colour + "\">" +
             xml_escape(value_text) + "</text>\n";
    }
    svg += "</g>\n";
  }
  svg += "</svg>";
  return svg;
}

}  // namespace bespoke::web
