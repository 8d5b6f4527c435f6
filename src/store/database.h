#pragma once
// The one Database interface, with an SQLite and a PostgreSQL driver behind it.
//
// SQL is written once and runs on both drivers: standard SQL with numbered
// parameters ($1, $2, ...), RETURNING and ON CONFLICT. Where the dialects differ,
// the driver hides it (see ARCHITECTURE.md, "Storage"). SQL text lives only in
// src/store/.
//
// A Connection is used by one thread at a time: each server worker owns one.
// Failures of the database itself (down, busy, disk full, corrupt) are thrown as
// store::Failure and turned into 503/507 at the one catch in the web layer;
// they are not the user's fault, so they are not core::Error values.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace bespoke::store {

enum class Driver { sqlite, postgres };

// A parameter or a column value. Booleans travel as 0/1 integers.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

enum class FailureKind {
  unavailable,  // cannot connect, connection lost
  busy,         // locked by another writer beyond the busy timeout, or a serialisation failure
  full,         // the disk or quota is full
  constraint,   // a UNIQUE/FOREIGN KEY/CHECK constraint failed
  schema,       // the schema is missing, or newer than this program
  other,
};

class Failure : public std::runtime_error {
 public:
  Failure(FailureKind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  [[nodiscard]] FailureKind kind() const noexcept { return kind_; }

 private:
  FailureKind kind_;
};

// One row of a result; columns by position, in the order of the SELECT list.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
  [[nodiscard]] bool is_null(std::size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  [[nodiscard]] std::int64_t integer(std::size_t i) const;  // NULL reads as 0
  [[nodiscard]] double real(std::size_t i) const;           // NULL reads as 0
  [[nodiscard]] std::string text(std::size_t i) const;      // NULL reads as ""
  [[nodiscard]] std::optional<std::string> optional_text(std::size_t i) const;
  [[nodiscard]] const Value& value(std::size_t i) const { return values_.at(i); }

  // For drivers streaming rows: refill one Row for each row of a result, so its
  // strings keep their capacity from row to row.
  [[nodiscard]] std::vector<Value>& mutable_values() noexcept { return values_; }

 private:
  std::vector<Value> values_;
};

enum class TxMode {
  read,   // a consistent snapshot for reads
  write,  // SQLite: BEGIN IMMEDIATE, so the write lock is taken up front
};

class Connection {
 public:
  virtual ~Connection() = default;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  [[nodiscard]] virtual Driver driver() const noexcept = 0;

  // Runs one statement and returns all its rows. The statement is prepared on
  // first use and cached on this connection by its text.
  virtual std::vector<Row> query(std::string_view sql, std::span<const Value> params = {}) = 0;

  // Runs one statement and calls on_row for each of its rows, in result order,
  // without keeping them: for reading a whole table of millions of rows. The
  // Row passed is valid only during the call (it is refilled for the next row).
  // on_row must not run statements on this connection (the SQLite statement is
  // still being stepped); an exception from it stops the read and propagates.
  //   SQLite: steps the prepared statement, one row at a time.
  //   PostgreSQL (for now) and the default: query(), then a loop over its rows.
  virtual void for_each_row(std::string_view sql, std::span<const Value> params,
                            const std::function<void(const Row&)>& on_row);

  // Runs one statement and returns the number of rows it changed.
  virtual std::int64_t execute(std::string_view sql, std::span<const Value> params = {}) = 0;

  // Runs a script of several statements without parameters (migrations).
  virtual void execute_script(std::string_view sql) = 0;

  virtual void begin(TxMode mode) = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;

  // Cheap round trip: is the database reachable on this connection?
  [[nodiscard]] virtual bool ping() noexcept = 0;

  // Where the dialects differ in more than SQL text, the driver does the work:
  // repository code calls these and never asks which driver it has.

  // Does a table of this name exist? Names as written in CREATE TABLE (unquoted,
  // so lower case). PostgreSQL: in the current schema; SQLite: in the main file.
  [[nodiscard]] virtual bool table_exists(std::string_view name);
  // Every table of the current schema (SQLite: the main file, its own tables
  // such as sqlite_sequence included), by name.
  [[nodiscard]] virtual std::vector<std::string> table_names();

  // Inside a write transaction: waits until this transaction holds the exclusive
  // lock called `key`, held until it commits or rolls back; another connection
  // taking the same key waits for that. SQLite: nothing to do, as a write
  // transaction (BEGIN IMMEDIATE) already excludes every other writer.
  // PostgreSQL: pg_advisory_xact_lock(key).
  virtual void lock_until_transaction_end(std::int64_t key);

  // Brackets loading many rows, with ids chosen by the caller, into `tables`
  // inside one write transaction: call begin_bulk_load(tables) after BEGIN and
  // before the inserts, end_bulk_load() after the last insert and before
  // commit(). commit() in between throws std::logic_error; a rollback (in WAL
  // mode) undoes both. One bulk load at a time per connection.
  //   SQLite: begin drops the tables' indexes (not the primary keys) and end
  //   recreates them from their stored definitions, sorting on two threads:
  //   far cheaper than growing each index one random key at a time.
  //   PostgreSQL: end moves each table's identity sequences past the largest id
  //   (so later inserts without an id get fresh ones) and runs ANALYZE.
  // The defaults do nothing, for connections that need no help.
  virtual void begin_bulk_load(std::span<const std::string_view> tables);
  virtual void end_bulk_load();

  // Convenience: the first column of the first row, or nullopt when no row.
  std::optional<Value> scalar(std::string_view sql, std::span<const Value> params = {});
};

// Rolls back unless commit() was called: no half-written data on any path.
class Transaction {
 public:
  Transaction(Connection& c, TxMode mode) : c_(c) { c_.begin(mode); }
  ~Transaction() {
    if (open_) c_.rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    c_.commit();
    open_ = false;
  }

 private:
  Connection& c_;
  bool open_ = true;
};

// One statement in its own write transaction; the number of rows it changed.
std::int64_t execute_in_transaction(Connection& c, std::string_view sql, std::span<const Value> params = {});

struct OpenOptions {
  int busy_timeout_ms = 5000;        // SQLite: how long a writer waits for the lock
  int statement_timeout_ms = 30000;  // PostgreSQL: statement_timeout
  bool bulk_load = false;            // SQLite: no journal, no fsync; only for a new file being generated
};

// "postgresql://..." or "postgres://..." opens PostgreSQL; anything else is an
// SQLite file path. Throws Failure(unavailable) when it cannot connect.
[[nodiscard]] std::unique_ptr<Connection> open(const std::string& url, const OpenOptions& options = {});

[[nodiscard]] Driver driver_for(std::string_view url) noexcept;

// SQLite: is the database file at `path` open on some connection, in this or
// another process? Before replacing the file (rename over it, delete its -wal
// and -shm), which would corrupt the new file for a process that has it open.
// Sees every connection in WAL mode (each one bespoke opens: SQLite holds a lock
// on the -shm file for as long as it is open) and any connection inside a
// transaction; not an idle connection of another program in rollback-journal
// mode. False when the file does not exist. The answer can be stale as soon as
// it is given: it detects a running server, it does not lock one out.
// Throws Failure(other) when it cannot check.
[[nodiscard]] bool sqlite_file_in_use(const std::string& path);

// The URL with any password replaced by "***", for logs.
[[nodiscard]] std::string redact(std::string_view url);

}  // namespace bespoke::store
