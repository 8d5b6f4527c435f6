#include "store/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include <cerrno>
#include <charconv>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace bespoke::store::sqlite {

namespace {

FailureKind kind_of(int code, int system_errno) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return FailureKind::busy;
    case SQLITE_FULL:
      return FailureKind::full;
    case SQLITE_IOERR:
      // Some write paths report ENOSPC as an I/O error rather than SQLITE_FULL.
      return system_errno == ENOSPC || system_errno == EDQUOT ? FailureKind::full : FailureKind::other;
    case SQLITE_CONSTRAINT:
      return FailureKind::constraint;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
      return FailureKind::unavailable;
    default:
      return FailureKind::other;
  }
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// A prepared statement and, for each of its SQLite parameter slots, which $N it is.
struct Cached {
  sqlite3_stmt* stmt = nullptr;
  std::vector<int> slot_to_n;  // slot_to_n[slot - 1] = N
  int max_n = 0;
};

// Resets a statement on every exit path, so it never holds a read lock or stale bindings.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* s) : s_(s) {}
  ~ResetOnExit() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite3_stmt* s_;
};

bool is_blank(std::string_view s) {
  for (char ch : s) {
    if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r' && ch != ';') return false;
  }
  return true;
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteConnection() override {
    for (auto& [sql, c] : cache_) sqlite3_finalize(c.stmt);
    sqlite3_close_v2(db_);
  }

  [[nodiscard]] Driver driver() const noexcept override { return Driver::sqlite; }

  std::vector<Row> query(std::string_view sql, std::span<const Value> params) override {
    Cached& c = prepare(sql);
    ResetOnExit reset(c.stmt);
    bind(c, params, sql);
    std::vector<Row> rows;
    const int columns = sqlite3_column_count(c.stmt);
    for (;;) {
      const int rc = sqlite3_step(c.stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(rc, sql);
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int i = 0; i < columns; ++i) values.push_back(column(c.stmt, i));
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  std::int64_t execute(std::string_view sql, std::span<const Value> params) override {
    Cached& c = prepare(sql);
    ResetOnExit reset(c.stmt);
    bind(c, params, sql);
    const auto before = sqlite3_total_changes64(db_);
    for (;;) {
      const int rc = sqlite3_step(c.stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(rc, sql);  // rows (RETURNING) are discarded
    }
    // sqlite3_changes64 keeps the count of the last DML statement; a DDL statement changed nothing.
    if (sqlite3_stmt_readonly(c.stmt) || sqlite3_total_changes64(db_) == before) return 0;
    return sqlite3_changes64(db_);
  }

  void execute_script(std::string_view sql) override {
    const std::string text(sql);  // sqlite3_exec needs a terminating NUL
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(rc, "script");
  }

  void begin(TxMode mode) override { execute(mode == TxMode::write ? "BEGIN IMMEDIATE" : "BEGIN", {}); }

  void commit() override { execute("COMMIT", {}); }

  void rollback() noexcept override {
    // SQLite rolls back by itself on some errors (FULL, IOERR, BUSY); then there is nothing to do.
    if (sqlite3_get_autocommit(db_)) return;
    try {
      execute("ROLLBACK", {});
    } catch (...) {  // nothing sensible to do: the caller is already unwinding
    }
  }

  [[nodiscard]] bool ping() noexcept override {
    try {
      return !query("SELECT 1", {}).empty();
    } catch (...) {
      return false;
    }
  }

 private:
  [[noreturn]] void fail(int rc, std::string_view what) {
    const int code = sqlite3_extended_errcode(db_) != SQLITE_OK ? sqlite3_extended_errcode(db_) : rc;
    std::string msg = "SQLite: ";
    msg += sqlite3_errmsg(db_);
    msg += " (";
    msg += sqlite3_errstr(code);
    msg += ", ";
    msg += path_;
    msg += ") in: ";
    msg += what.substr(0, 200);
    throw Failure(kind_of(code, sqlite3_system_errno(db_)), msg);
  }

  Cached& prepare(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                      &tail);
    if (rc != SQLITE_OK) fail(rc, sql);
    Cached c;
    c.stmt = stmt;
    try {
      if (stmt == nullptr) throw Failure(FailureKind::other, "SQLite: empty statement");
      if (tail != nullptr && !is_blank({tail, static_cast<std::size_t>(sql.data() + sql.size() - tail)}))
        throw Failure(FailureKind::other, "SQLite: more than one statement (use execute_script): " + std::string(sql));
      const int slots = sqlite3_bind_parameter_count(stmt);
      for (int slot = 1; slot <= slots; ++slot) {
        const char* name = sqlite3_bind_parameter_name(stmt, slot);
        int n = 0;
        const std::string_view nm = name ? name : "";
        auto [end, ec] = nm.size() > 1 ? std::from_chars(nm.data() + 1, nm.data() + nm.size(), n)
                                       : std::from_chars_result{nm.data(), std::errc::invalid_argument};
        if (nm.empty() || nm[0] != '$' || ec != std::errc{} || end != nm.data() + nm.size() || n < 1)
          throw Failure(FailureKind::other, "SQLite: parameters must be written $1, $2, ...: " + std::string(sql));
        c.slot_to_n.push_back(n);
        c.max_n = std::max(c.max_n, n);
      }
    } catch (...) {
      sqlite3_finalize(stmt);
      throw;
    }
    return cache_.emplace(std::string(sql), std::move(c)).first->second;
  }

  void bind(const Cached& c, std::span<const Value> params, std::string_view sql) {
    // PostgreSQL refuses a count mismatch, so SQLite does too: the same code must pass on both.
    if (params.size() != static_cast<std::size_t>(c.max_n))
      throw Failure(FailureKind::other, "SQLite: statement takes " + std::to_string(c.max_n) + " parameters, " +
                                            std::to_string(params.size()) + " given: " + std::string(sql));
    for (std::size_t slot = 1; slot <= c.slot_to_n.size(); ++slot) {
      const Value& v = params[static_cast<std::size_t>(c.slot_to_n[slot - 1] - 1)];
      const int i = static_cast<int>(slot);
      int rc = SQLITE_OK;
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(c.stmt, i, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(c.stmt, i, *d);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(c.stmt, i, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(c.stmt, i);
      }
      if (rc != SQLITE_OK) fail(rc, sql);
    }
  }

  static Value column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        return std::int64_t{sqlite3_column_int64(stmt, i)};
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, i);
      case SQLITE_TEXT: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
      }
      case SQLITE_BLOB: {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i))) : std::string();
      }
      default:
        return std::monostate{};
    }
  }

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, Cached, StringHash, std::equal_to<>> cache_;
};

}  // namespace

std::unique_ptr<Connection> open(const std::string& path, const OpenOptions& options) {
  sqlite3* db = nullptr;
  // NOMUTEX: a connection belongs to one thread at a time, so SQLite's own mutex is pure cost.
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = "cannot open SQLite database " + path + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    throw Failure(FailureKind::unavailable, msg);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  auto conn = std::make_unique<SqliteConnection>(db, path);
  // The first statement reads the header: a file that is not a database fails here (NOTADB -> unavailable).
  if (options.bulk_load) {
    // Generating a brand-new file: a crash just means generating it again.
    conn->execute_script(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;"
        " PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;");
  } else {
    // reliability.md §3: WAL + FULL is durable across power loss; keep the WAL from growing forever.
    conn->execute_script(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        " PRAGMA journal_size_limit=67108864;");
  }
  return conn;
}

}  // namespace bespoke::store::sqlite
