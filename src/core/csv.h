#pragma once
// RFC 4180 CSV: a streaming reader (quoted fields with "" escapes and embedded
// newlines, LF or CRLF line ends, a leading UTF-8 byte-order mark ignored) and
// a writer that quotes a field only when it must. The reader holds one row at
// a time, so it reads files of any size (the ONS Postcode Directory's millions
// of rows) in constant memory.
#include "core/error.h"

#include <cstddef>
#include <istream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::core {

struct CsvRow {
  std::size_t line = 0;             // 1-based line of the input where the row starts
  std::vector<std::string> fields;  // at least one field per row
};

// Not thread-safe; reads `in` from its current position, which it must outlive.
class CsvReader {
 public:
  explicit CsvReader(std::istream& in);

  // Reads the next row into `row` (reusing its storage): true when a row was
  // read, false at the end of the input. Blank lines are skipped. A malformed
  // row (an unterminated quote, text after a closing quote, a quote inside an
  // unquoted field) is an Error whose field is "line N" and message says where.
  [[nodiscard]] Result<bool> next(CsvRow& row);

  // The line the reader has reached (1-based).
  [[nodiscard]] std::size_t line() const noexcept { return line_; }

 private:
  int peek();
  int get();
  bool fill();

  std::istream& in_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::size_t line_ = 1;
  bool started_ = false;
};

// Appends one row, with a CRLF line end as RFC 4180 has it. A field is quoted
// only when it holds a comma, a quote, CR or LF (quotes are doubled).
void append_csv_row(std::string& out, std::span<const std::string> fields);
void append_csv_row(std::string& out, std::span<const std::string_view> fields);

}  // namespace bespoke::core
