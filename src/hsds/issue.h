#pragma once
// A problem found in HSDS input: where (a file and JSON pointer such as
// "service_list.json/contents/3/phones/0/number", or "services.csv:4:7" for a
// CSV file, line and column) and what, in plain English.
#include <ostream>
#include <string>

namespace bespoke::hsds {

struct Issue {
  std::string path;
  std::string message;
  friend bool operator==(const Issue&, const Issue&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Issue& i) { return os << i.path << ": " << i.message; }
};

}  // namespace bespoke::hsds
