#pragma once
// A problem found in HSDS input: where (a file and JSON pointer such as
// "service_list.json/contents/3/phones/0/number", or "services.csv:4:7" for a
// CSV file, line and column), what, in plain English, and how bad.
//
// An error is what the standard's schemas reject where they describe the
// record, or what could not be stored as given: an import refuses it. A
// warning is a doubt the schemas do not raise (a latitude of 100, a reference
// to a record that is nowhere): the record is stored exactly as given and the
// import goes on. docs/directory.md, "Import: errors and warnings".
#include <ostream>
#include <string>

namespace bespoke::hsds {

enum class Severity { error, warning };

struct Issue {
  std::string path;
  std::string message;
  Severity severity = Severity::error;
  [[nodiscard]] bool is_error() const noexcept { return severity == Severity::error; }
  friend bool operator==(const Issue&, const Issue&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Issue& i) {
    return os << (i.is_error() ? "" : "warning: ") << i.path << ": " << i.message;
  }
};

}  // namespace bespoke::hsds
