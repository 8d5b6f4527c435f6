#pragma once
// Multi-row INSERTs for bulk writes (generating a town, imports): one
// statement carries many rows, which is far fewer round trips on PostgreSQL
// and far fewer statement steps on SQLite. Call inside a write Transaction.
#include "store/database.h"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::store {

// Parameters in one statement. SQLite allows 32766 and PostgreSQL 65535, but
// libpq (15) refuses a ParameterDescription message over 30,000 bytes (4
// bytes a parameter), which describing a prepared statement of more than
// about 7,500 parameters sends back.
inline constexpr std::size_t kMaxParameters = 7000;

// "INSERT INTO table (a, b) VALUES ($1, $2), ($3, $4)" for `rows` rows, then
// " " + suffix when suffix is not empty (e.g. "ON CONFLICT DO NOTHING").
// Throws std::invalid_argument unless table and columns are plain identifiers.
[[nodiscard]] std::string multi_row_insert_sql(std::string_view table, std::span<const std::string> columns,
                                               std::size_t rows, std::string_view suffix = {});

// Buffers rows and writes them in multi-row INSERTs. Full batches reuse one
// cached statement; the remainder is written in power-of-two sized pieces so
// that only a handful of statement texts are ever prepared.
//
//   BulkInserter ins(db, "resident", {"id", "name", "born"});
//   for (...) ins.add({Value{id}, Value{name}, Value{born}});
//   ins.flush();  // before tx.commit(): rows still buffered are not written
class BulkInserter {
 public:
  // rows_per_statement 0 picks min(1000, kMaxParameters / columns).
  BulkInserter(Connection& c, std::string table, std::vector<std::string> columns, std::size_t rows_per_statement = 0,
               std::string suffix = {});

  void add(std::span<const Value> row);  // throws std::invalid_argument on a wrong column count
  void add(std::initializer_list<Value> row) { add(std::span<const Value>(row.begin(), row.size())); }

  // Writes every buffered row; returns the rows the database reports as inserted.
  std::int64_t flush();

  [[nodiscard]] std::size_t buffered_rows() const noexcept { return values_.size() / columns_.size(); }
  [[nodiscard]] std::int64_t rows_written() const noexcept { return written_; }

 private:
  std::int64_t write(std::size_t first_row, std::size_t rows);
  const std::string& sql_for(std::size_t rows);

  Connection& c_;
  std::string table_;
  std::vector<std::string> columns_;
  std::size_t batch_rows_;
  std::string suffix_;
  std::vector<Value> values_;  // row-major
  std::vector<std::pair<std::size_t, std::string>> sql_;  // rows -> statement text
  std::int64_t written_ = 0;
};

// One-shot form: values holds rows * columns.size() values, row by row.
std::int64_t bulk_insert(Connection& c, std::string_view table, std::span<const std::string> columns,
                         std::span<const Value> values, std::string_view suffix = {});

}  // namespace bespoke::store
