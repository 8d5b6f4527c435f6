#include "store/bulk_insert.h"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace bespoke::store {

namespace {

void require_identifier(std::string_view s) {
  const auto ok_first = [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_'; };
  const auto ok_rest = [&](char ch) { return ok_first(ch) || (ch >= '0' && ch <= '9'); };
  // Names are spliced into SQL text, so only plain identifiers are accepted.
  if (s.empty() || !ok_first(s.front()) || !std::all_of(s.begin() + 1, s.end(), ok_rest))
    throw std::invalid_argument("bulk insert: not a plain SQL identifier: " + std::string(s));
}

}  // namespace

std::string multi_row_insert_sql(std::string_view table, std::span<const std::string> columns, std::size_t rows,
                                 std::string_view suffix) {
  require_identifier(table);
  if (columns.empty() || rows == 0) throw std::invalid_argument("bulk insert: no columns or no rows");
  if (columns.size() * rows > kMaxParameters) throw std::invalid_argument("bulk insert: too many parameters");
  std::string sql = "INSERT INTO ";
  sql += table;
  sql += " (";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    require_identifier(columns[i]);
    if (i) sql += ", ";
    sql += columns[i];
  }
  sql += ") VALUES ";
  std::size_t n = 1;
  sql.reserve(sql.size() + rows * columns.size() * 8);
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) sql += ", ";
      sql += '$';
      sql += std::to_string(n++);
    }
    sql += ')';
  }
  if (!suffix.empty()) {
    sql += ' ';
    sql += suffix;
  }
  return sql;
}

BulkInserter::BulkInserter(Connection& c, std::string table, std::vector<std::string> columns,
                           std::size_t rows_per_statement, std::string suffix)
    : c_(c), table_(std::move(table)), columns_(std::move(columns)), suffix_(std::move(suffix)) {
  if (columns_.empty()) throw std::invalid_argument("bulk insert: no columns");
  const std::size_t cap = kMaxParameters / columns_.size();
  if (cap == 0) throw std::invalid_argument("bulk insert: too many columns");
  batch_rows_ = std::min(rows_per_statement == 0 ? std::size_t{1000} : rows_per_statement, cap);
  (void)multi_row_insert_sql(table_, columns_, 1, suffix_);  // validates names now, not at the first flush
}

void BulkInserter::add(std::span<const Value> row) {
  if (row.size() != columns_.size())
    throw std::invalid_argument("bulk insert into " + table_ + ": " + std::to_string(row.size()) + " values for " +
                                std::to_string(columns_.size()) + " columns");
  values_.insert(values_.end(), row.begin(), row.end());
  if (buffered_rows() >= batch_rows_) {
    written_ += write(0, batch_rows_);
    values_.erase(values_.begin(), values_.begin() + static_cast<std::ptrdiff_t>(batch_rows_ * columns_.size()));
  }
}

std::int64_t BulkInserter::flush() {
  std::int64_t n = 0;
  std::size_t row = 0;
  std::size_t left = buffered_rows();
  while (left > 0) {
    std::size_t piece = std::min(left, batch_rows_);
    if (piece < batch_rows_) piece = std::bit_floor(piece);  // few distinct statement texts
    n += write(row, piece);
    row += piece;
    left -= piece;
  }
  values_.clear();
  written_ += n;
  return n;
}

std::int64_t BulkInserter::write(std::size_t first_row, std::size_t rows) {
  const std::span<const Value> params(values_.data() + first_row * columns_.size(), rows * columns_.size());
  return c_.execute(sql_for(rows), params);
}

const std::string& BulkInserter::sql_for(std::size_t rows) {
  for (const auto& [n, sql] : sql_) {
    if (n == rows) return sql;
  }
  sql_.emplace_back(rows, multi_row_insert_sql(table_, columns_, rows, suffix_));
  return sql_.back().second;
}

std::int64_t bulk_insert(Connection& c, std::string_view table, std::span<const std::string> columns,
                         std::span<const Value> values, std::string_view suffix) {
  if (columns.empty() || values.size() % columns.size() != 0)
    throw std::invalid_argument("bulk insert: values are not whole rows");
  BulkInserter ins(c, std::string(table), std::vector<std::string>(columns.begin(), columns.end()), 0,
                   std::string(suffix));
  for (std::size_t i = 0; i < values.size(); i += columns.size()) ins.add(values.subspan(i, columns.size()));
  ins.flush();
  return ins.rows_written();
}

}  // namespace bespoke::store
