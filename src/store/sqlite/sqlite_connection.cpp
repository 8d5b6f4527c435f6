#include "store/sqlite/sqlite_connection.h"

#include "store/driver_support.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
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
    not_busy(c, sql);
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

  void for_each_row(std::string_view sql, std::span<const Value> params,
                    const std::function<void(const Row&)>& on_row) override {
    Cached& c = prepare(sql);
    not_busy(c, sql);
    ResetOnExit reset(c.stmt);
    bind(c, params, sql);
    const int columns = sqlite3_column_count(c.stmt);
    Row row{std::vector<Value>(static_cast<std::size_t>(columns))};
    auto& values = row.mutable_values();
    for (;;) {
      const int rc = sqlite3_step(c.stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(rc, sql);
      for (int i = 0; i < columns; ++i) refill(c.stmt, i, values[static_cast<std::size_t>(i)]);
      on_row(row);
    }
  }

  std::int64_t execute(std::string_view sql, std::span<const Value> params) override {
    Cached& c = prepare(sql);
    not_busy(c, sql);
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

  void commit() override {
    if (bulk_load_open_) throw std::logic_error("commit() during a bulk load: call end_bulk_load() first");
    execute("COMMIT", {});
  }

  void rollback() noexcept override {
    // The rollback brings the dropped indexes back (except with journal_mode=OFF, where
    // a rollback is undefined and the file is to be thrown away anyway).
    bulk_load_open_ = false;
    deferred_indexes_.clear();
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

  bool table_exists(std::string_view name) override {
    const std::array<Value, 1> p{Value{std::string(name)}};
    // SQLite's names are case-insensitive.
    return !query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1 COLLATE NOCASE", p).empty();
  }

  std::vector<std::string> table_names() override {
    std::vector<std::string> out;
    for (const auto& row : query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", {}))
      out.push_back(row.text(0));
    return out;
  }

  // A write transaction (BEGIN IMMEDIATE) already excludes every other writer.
  void lock_until_transaction_end(std::int64_t) override {}

  void begin_bulk_load(std::span<const std::string_view> tables) override {
    if (sqlite3_get_autocommit(db_)) throw std::logic_error("begin_bulk_load() outside a transaction");
    if (bulk_load_open_) throw std::logic_error("begin_bulk_load() during a bulk load");
    // Building an index once from sorted data is far cheaper than growing it one
    // random key (a UUID) at a time: drop the tables' indexes now and build them
    // again from their own definitions in end_bulk_load(), in this same transaction.
    // Indexes without SQL (those of PRIMARY KEY and UNIQUE constraints) stay.
    for (const auto table : tables) {
      const std::array<Value, 1> p{Value{std::string(table)}};
      for (const auto& r : query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                                 " AND tbl_name = $1 COLLATE NOCASE ORDER BY name",
                                 p)) {
        execute_script("DROP INDEX " + detail::quoted_identifier(r.text(0)));
        deferred_indexes_.push_back(r.text(1));
      }
    }
    bulk_load_open_ = true;
  }

  void end_bulk_load() override {
    if (!bulk_load_open_) throw std::logic_error("end_bulk_load() without begin_bulk_load()");
    if (!deferred_indexes_.empty()) {
      const std::int64_t threads = query("PRAGMA threads", {}).at(0).integer(0);
      execute_script("PRAGMA threads = 2");  // lets the sorter use a second core for CREATE INDEX
      for (const auto& sql : deferred_indexes_) execute_script(sql);
      execute_script("PRAGMA threads = " + std::to_string(threads));
    }
    deferred_indexes_.clear();
    bulk_load_open_ = false;
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

  // A statement still being stepped by for_each_row() cannot be run again (the
  // reset would pull the rows from under it).
  static void not_busy(const Cached& c, std::string_view sql) {
    if (sqlite3_stmt_busy(c.stmt))
      throw std::logic_error("SQLite: statement run again while for_each_row() is reading it: " +
                             std::string(sql.substr(0, 200)));
  }

  // column(), into an existing Value: a string keeps its capacity. Reads the
  // cell through one sqlite3_column_value() and the sqlite3_value_*() calls,
  // which skip the per-call work of the sqlite3_column_*() ones (an eighth of
  // a whole-table scan of the schedule table). The value is "unprotected",
  // which only matters when several threads share the connection: ours is
  // used by one thread at a time (opened with SQLITE_OPEN_NOMUTEX).
  static void refill(sqlite3_stmt* stmt, int i, Value& out) {
    sqlite3_value* v = sqlite3_column_value(stmt, i);
    const auto assign_text = [&](const char* p) {
      const auto n = static_cast<std::size_t>(sqlite3_value_bytes(v));
      if (auto* s = std::get_if<std::string>(&out)) {
        s->assign(p ? p : "", p ? n : 0);
      } else {
        out.emplace<std::string>(p ? p : "", p ? n : 0);
      }
    };
    switch (sqlite3_value_type(v)) {
      case SQLITE_INTEGER:
        out = std::int64_t{sqlite3_value_int64(v)};
        return;
      case SQLITE_FLOAT:
        out = sqlite3_value_double(v);
        return;
      case SQLITE_TEXT:
        assign_text(reinterpret_cast<const char*>(sqlite3_value_text(v)));
        return;
      case SQLITE_BLOB:
        assign_text(static_cast<const char*>(sqlite3_value_blob(v)));
        return;
      default:
        out = std::monostate{};
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
  detail::StatementCache<Cached> cache_;
  bool bulk_load_open_ = false;
  std::vector<std::string> deferred_indexes_;  // CREATE INDEX statements for end_bulk_load()
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

bool file_in_use(const std::string& path) {
  // A connection in WAL mode holds a read lock on a byte of PATH-shm for as long
  // as it is open; any connection in a transaction holds a lock on PATH. F_GETLK
  // asks for a conflicting lock without taking one, but reports only other
  // processes' locks, and closing a descriptor drops all of a process's locks on
  // that file (SQLite's included). So a child process asks: it sees this
  // process's connections too, and its close() leaves our locks alone.
  const std::string shm = path + "-shm";
  const std::array<const char*, 2> files{path.c_str(), shm.c_str()};
  const pid_t pid = ::fork();
  if (pid < 0) throw Failure(FailureKind::other, "cannot check whether " + path + " is in use: fork: " + std::strerror(errno));
  if (pid == 0) {
    // Only async-signal-safe calls here: the parent may have other threads.
    bool in_use = false;
    bool error = false;
    for (const char* file : files) {
      const int fd = ::open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
      if (fd < 0) {
        error = error || errno != ENOENT;
        continue;
      }
      struct flock lock {};
      lock.l_type = F_WRLCK;  // conflicts with every other lock
      lock.l_whence = SEEK_SET;
      lock.l_start = 0;
      lock.l_len = 0;  // to the end of the file, however far it grows
      if (::fcntl(fd, F_GETLK, &lock) != 0) {
        error = true;
      } else if (lock.l_type != F_UNLCK) {
        in_use = true;
      }
      ::close(fd);
    }
    ::_exit(in_use ? 1 : error ? 2 : 0);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      throw Failure(FailureKind::other, "cannot check whether " + path + " is in use: waitpid: " + std::strerror(errno));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) <= 1) return WEXITSTATUS(status) == 1;
  throw Failure(FailureKind::other, "cannot check whether " + path + " or " + shm + " is in use (cannot read it?)");
}

}  // namespace bespoke::store::sqlite
