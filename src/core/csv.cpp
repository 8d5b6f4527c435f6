#include "core/csv.h"

#include <fmt/format.h>

namespace bespoke::core {
namespace {

constexpr std::size_t buffer_size = 1 << 16;

Error malformed(std::size_t line, std::string message) {
  return Error::invalid("line " + std::to_string(line), std::move(message));
}

template <class Text>
void append_row(std::string& out, std::span<const Text> fields) {
  bool first = true;
  for (const auto& field : fields) {
    if (!first) out += ',';
    first = false;
    const std::string_view f(field);
    if (f.find_first_of(",\"\r\n") == std::string_view::npos) {
      out += f;
      continue;
    }
    out += '"';
    for (const char c : f) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += "\r\n";
}

}  // namespace

CsvReader::CsvReader(std::istream& in) : in_(in), buffer_(buffer_size) {}

bool CsvReader::fill() {
  if (!in_) return false;
  in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  end_ = static_cast<std::size_t>(in_.gcount());
  pos_ = 0;
  return end_ > 0;
}

int CsvReader::peek() {
  if (pos_ == end_ && !fill()) return -1;
  return static_cast<unsigned char>(buffer_[pos_]);
}

int CsvReader::get() {
  const int c = peek();
  if (c >= 0) {
    ++pos_;
    if (c == '\n') ++line_;
  }
  return c;
}

Result<bool> CsvReader::next(CsvRow& row) {
  if (!started_) {
    started_ = true;
    // A UTF-8 byte-order mark: EF BB BF.
    // The first read fills the buffer, so it holds all three bytes if they are there.
    if (peek() == 0xEF) {
      if (end_ - pos_ >= 3 && static_cast<unsigned char>(buffer_[pos_ + 1]) == 0xBB &&
          static_cast<unsigned char>(buffer_[pos_ + 2]) == 0xBF)
        pos_ += 3;
    }
  }
  // Skip blank lines.
  for (;;) {
    const int c = peek();
    if (c == '\n') {
      get();
    } else if (c == '\r') {
      get();
      if (peek() == '\n') get();
    } else {
      break;
    }
  }
  if (peek() < 0) return false;

  row.line = line_;
  std::size_t count = 0;
  auto next_field = [&]() -> std::string& {
    if (count == row.fields.size()) row.fields.emplace_back();
    auto& f = row.fields[count++];
    f.clear();
    return f;
  };

  for (;;) {  // one field per iteration
    std::string& field = next_field();
    int c = peek();
    if (c == '"') {
      get();
      const std::size_t quote_line = line_;
      for (;;) {
        c = get();
        if (c < 0)
          return malformed(row.line, fmt::format("line {}: the quoted field opened on line {} is not closed",
                                                 row.line, quote_line));
        if (c == '"') {
          if (peek() == '"') {
            get();
            field += '"';
            continue;
          }
          break;
        }
        field += static_cast<char>(c);
      }
      c = peek();
      if (c != ',' && c != '\n' && c != '\r' && c >= 0)
        return malformed(row.line, fmt::format("line {}: text after the closing quote of field {}", line_, count));
    } else {
      for (;;) {
        c = peek();
        if (c < 0 || c == ',' || c == '\n') break;
        if (c == '\r') {
          get();
          if (peek() == '\n') {
            c = '\r';
            break;  // CRLF: the '\r' is consumed, the '\n' ends the row below
          }
          field += '\r';
          continue;
        }
        if (c == '"')
          return malformed(row.line, fmt::format("line {}: a quote inside unquoted field {}", line_, count));
        field += static_cast<char>(c);
        get();
      }
    }
    // Here c is the peeked delimiter (or '\r' already consumed before a '\n').
    c = peek();
    if (c == ',') {
      get();
      continue;
    }
    if (c == '\r') {
      get();
      if (peek() == '\n') get();
    } else if (c == '\n') {
      get();
    }
    break;
  }
  row.fields.resize(count);
  return true;
}

void append_csv_row(std::string& out, std::span<const std::string> fields) { append_row(out, fields); }
void append_csv_row(std::string& out, std::span<const std::string_view> fields) { append_row(out, fields); }

}  // namespace bespoke::core
