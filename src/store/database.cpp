#include "store/database.h"

#include "store/postgres/postgres_connection.h"
#include "store/sqlite/sqlite_connection.h"

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>
#include <system_error>

namespace bespoke::store {

namespace {

[[noreturn]] void conversion_failure(std::size_t i, std::string_view want, std::string_view got) {
  throw Failure(FailureKind::other,
                "column " + std::to_string(i) + " cannot be read as " + std::string(want) + ": " + std::string(got));
}

std::string shortest_text(double d) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc{} ? std::string(buf, end) : std::string("nan");
}

}  // namespace

std::int64_t Row::integer(std::size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* n = std::get_if<std::int64_t>(&v)) return *n;
  if (const auto* d = std::get_if<double>(&v)) {
    // Only exact integers: truncating 2.5 silently would hide a schema mistake.
    if (std::isfinite(*d) && std::trunc(*d) == *d && std::fabs(*d) < 9.2e18) return static_cast<std::int64_t>(*d);
    conversion_failure(i, "an integer", shortest_text(*d));
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec != std::errc{} || end != s->data() + s->size()) conversion_failure(i, "an integer", *s);
    return out;
  }
  return 0;
}

double Row::real(std::size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
  if (const auto* s = std::get_if<std::string>(&v)) {
    double out = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec != std::errc{} || end != s->data() + s->size()) conversion_failure(i, "a number", *s);
    return out;
  }
  return 0;
}

std::string Row::text(std::size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (const auto* d = std::get_if<double>(&v)) return shortest_text(*d);
  return {};
}

std::optional<std::string> Row::optional_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

std::optional<Value> Connection::scalar(std::string_view sql, std::span<const Value> params) {
  auto rows = query(sql, params);
  if (rows.empty()) return std::nullopt;
  if (rows.front().size() == 0) throw Failure(FailureKind::other, "scalar(): the statement returns no columns");
  return rows.front().value(0);
}

void Connection::for_each_row(std::string_view sql, std::span<const Value> params,
                              const std::function<void(const Row&)>& on_row) {
  for (const auto& row : query(sql, params)) on_row(row);
}

bool Connection::table_exists(std::string_view) {
  throw std::logic_error("table_exists() is not implemented by this connection");
}

std::int64_t execute_in_transaction(Connection& c, std::string_view sql, std::span<const Value> params) {
  Transaction tx(c, TxMode::write);
  const auto n = c.execute(sql, params);
  tx.commit();
  return n;
}

std::vector<std::string> Connection::table_names() {
  throw std::logic_error("table_names() is not implemented by this connection");
}

void Connection::lock_until_transaction_end(std::int64_t) {}

void Connection::begin_bulk_load(std::span<const std::string_view>) {}

void Connection::end_bulk_load() {}

bool sqlite_file_in_use(const std::string& path) { return sqlite::file_in_use(path); }

Driver driver_for(std::string_view url) noexcept {
  return url.starts_with("postgresql://") || url.starts_with("postgres://") ? Driver::postgres : Driver::sqlite;
}

std::unique_ptr<Connection> open(const std::string& url, const OpenOptions& options) {
  if (driver_for(url) == Driver::postgres) return postgres::open(url, options);
  return sqlite::open(url, options);
}

std::string redact(std::string_view url) {
  std::string out(url);
  const auto scheme = out.find("://");
  if (scheme == std::string::npos) return out;  // a file path carries no secret
  const auto authority = scheme + 3;
  auto authority_end = out.find_first_of("/?#", authority);
  if (authority_end == std::string::npos) authority_end = out.size();
  // The last '@' ends the userinfo; a password may itself contain '@' only when percent-encoded.
  const auto at = out.rfind('@', authority_end);
  if (at != std::string::npos && at >= authority) {
    const auto colon = out.find(':', authority);
    if (colon != std::string::npos && colon < at) {
      out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // libpq also accepts the password as a query parameter.
  for (auto pos = out.find('?'); pos != std::string::npos; pos = out.find('&', pos)) {
    ++pos;
    if (out.compare(pos, 9, "password=") == 0) {
      const auto value = pos + 9;
      auto end = out.find_first_of("&#", value);
      if (end == std::string::npos) end = out.size();
      out.replace(value, end - value, "***");
    }
  }
  return out;
}

}  // namespace bespoke::store
