#include "web/pages/record_parts.h"

#include <algorithm>

namespace bespoke::web {

kainjow::mustache::data part_checkboxes(const std::vector<std::string>& chosen) {
  using kainjow::mustache::data;
  data parts{data::type::list};
  std::size_t n = 0;
  for (const auto part : accounts::kRecordParts) {
    const std::string value(accounts::part_name(part));
    data p;
    p.set("id", n++ == 0 ? std::string("parts") : "parts-" + std::to_string(n));
    p.set("value", value);
    p.set("label", std::string(accounts::part_label(part)));
    p.set("checked", std::find(chosen.begin(), chosen.end(), value) != chosen.end());
    parts.push_back(p);
  }
  return parts;
}

std::string parts_in_words(const std::vector<accounts::RecordPart>& parts) {
  std::string out;
  for (const auto part : parts) {
    if (!out.empty()) out += ", ";
    out += accounts::part_label(part);
  }
  return out;
}

}  // namespace bespoke::web
