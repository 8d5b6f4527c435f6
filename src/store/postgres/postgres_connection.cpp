#include "store/postgres/postgres_connection.h"

#include "store/driver_support.h"

#include <libpq-fe.h>

#include <array>
#include <cctype>
#include <charconv>
#include <stdexcept>
#include <string>
#include <vector>

namespace bespoke::store::postgres {

namespace {

// Type OIDs from pg_type.dat; stable across PostgreSQL versions.
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700, kFloat8 = 701,
              kNumeric = 1700;

FailureKind kind_of(std::string_view sqlstate) {
  // 53300 too many connections, 53200 out of memory: the server cannot serve us now.
  if (sqlstate.starts_with("08") || sqlstate == "3D000" || sqlstate == "57P01" || sqlstate == "57P03" ||
      sqlstate == "53300" || sqlstate == "53200")
    return FailureKind::unavailable;
  // 57014: statement_timeout (or a cancel) ended the statement; waiting on locks is the usual cause.
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03" || sqlstate == "57014")
    return FailureKind::busy;
  if (sqlstate == "53100") return FailureKind::full;
  if (sqlstate.starts_with("23")) return FailureKind::constraint;
  return FailureKind::other;
}

std::string trimmed(const char* s) {
  std::string out = s ? s : "";
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
  return out;
}

struct ResultDeleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

void no_notices(void*, const char*) {}  // "relation already exists, skipping" is not worth a log line

// Shortest text that reads back as the same double.
std::string double_text(double d) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  std::string s(buf, ec == std::errc{} ? end : buf);
  if (s == "inf") return "Infinity";
  if (s == "-inf") return "-Infinity";
  if (s == "nan" || s == "-nan") return "NaN";
  return s;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

bool word_at(std::string_view sql, std::size_t pos, std::string_view word) {
  if (sql.size() - pos < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(sql[pos + i])) != word[i]) return false;
  }
  const std::size_t end = pos + word.size();
  return end == sql.size() || !is_word_char(sql[end]);
}

std::size_t skip_space(std::string_view sql, std::size_t pos) {
  while (pos < sql.size() && std::isspace(static_cast<unsigned char>(sql[pos]))) ++pos;
  return pos;
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }

  [[nodiscard]] Driver driver() const noexcept override { return Driver::postgres; }

  std::vector<Row> query(std::string_view sql, std::span<const Value> params) override {
    ResultPtr res = run(sql, params);
    const int rows = PQntuples(res.get());
    const int columns = PQnfields(res.get());
    std::vector<Oid> types(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) types[static_cast<std::size_t>(c)] = PQftype(res.get(), c);
    std::vector<Row> out;
    out.reserve(static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) values.push_back(cell(res.get(), r, c, types[static_cast<std::size_t>(c)]));
      out.emplace_back(std::move(values));
    }
    return out;
  }

  std::int64_t execute(std::string_view sql, std::span<const Value> params) override {
    ResultPtr res = run(sql, params);
    const std::string_view tuples = PQcmdTuples(res.get());
    std::int64_t n = 0;
    std::from_chars(tuples.data(), tuples.data() + tuples.size(), n);
    return n;
  }

  void execute_script(std::string_view sql) override {
    const std::string text = rewrite_dialect(sql);
    ResultPtr res(PQexec(conn_, text.c_str()));
    check(res.get(), "script");
  }

  void begin(TxMode mode) override {
    simple(mode == TxMode::write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  }

  void commit() override {
    if (bulk_load_open_) throw std::logic_error("commit() during a bulk load: call end_bulk_load() first");
    // COMMIT of a failed transaction "succeeds" with the tag ROLLBACK: refuse it loudly instead.
    if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
      rollback();
      throw Failure(FailureKind::other, "PostgreSQL: commit of a transaction in which a statement failed; rolled back");
    }
    simple("COMMIT");
  }

  void rollback() noexcept override {
    bulk_load_open_ = false;
    bulk_load_tables_.clear();
    if (PQstatus(conn_) != CONNECTION_OK || PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
    ResultPtr res(PQexec(conn_, "ROLLBACK"));
  }

  [[nodiscard]] bool ping() noexcept override {
    if (PQstatus(conn_) != CONNECTION_OK) return false;
    // An empty query is a real round trip that also succeeds inside a failed transaction.
    ResultPtr res(PQexec(conn_, ""));
    return res && PQresultStatus(res.get()) == PGRES_EMPTY_QUERY;
  }

  bool table_exists(std::string_view name) override {
    const std::array<Value, 1> p{Value{std::string(name)}};
    return !query("SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1", p)
                .empty();
  }

  std::vector<std::string> table_names() override {
    std::vector<std::string> out;
    for (const auto& row :
         query("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename", {}))
      out.push_back(row.text(0));
    return out;
  }

  void lock_until_transaction_end(std::int64_t key) override {
    const std::array<Value, 1> p{Value{key}};
    query("SELECT pg_advisory_xact_lock($1)", p);
  }

  void begin_bulk_load(std::span<const std::string_view> tables) override {
    if (PQtransactionStatus(conn_) != PQTRANS_INTRANS) throw std::logic_error("begin_bulk_load() outside a transaction");
    if (bulk_load_open_) throw std::logic_error("begin_bulk_load() during a bulk load");
    bulk_load_tables_.assign(tables.begin(), tables.end());
    // A bulk load writes parents before children, so deferred foreign keys can be
    // checked as each statement ends: otherwise every row's check waits in the
    // trigger queue, in memory, until commit (millions at nation scale). For the
    // rest of the transaction; any checks already pending run now.
    execute_script("SET CONSTRAINTS ALL IMMEDIATE");
    bulk_load_open_ = true;
  }

  void end_bulk_load() override {
    if (!bulk_load_open_) throw std::logic_error("end_bulk_load() without begin_bulk_load()");
    for (const auto& table : bulk_load_tables_) {
      // An identity sequence does not move past explicit ids by itself: the next
      // insert without an id would collide with them.
      const std::array<Value, 1> t{Value{detail::quoted_identifier(table)}};
      for (const auto& r : query("SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass($1)"
                                 " AND attidentity <> '' AND attnum > 0 AND NOT attisdropped",
                                 t)) {
        const std::string column = r.text(0);
        query("SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(" + detail::quoted_identifier(column) +
                  ") FROM " + detail::quoted_identifier(table) + "), 0) + 1, false)",
              std::array<Value, 2>{t[0], Value{column}});
      }
      // Fresh statistics, so the first queries after the load get sensible plans.
      execute_script("ANALYZE " + detail::quoted_identifier(table));
    }
    bulk_load_tables_.clear();
    bulk_load_open_ = false;
  }

  void set_up(const OpenOptions& options) {
    PQsetNoticeProcessor(conn_, no_notices, nullptr);
    const std::string sql = "SET client_encoding = 'UTF8'; SET TimeZone = 'UTC'; SET statement_timeout = " +
                            std::to_string(options.statement_timeout_ms);
    ResultPtr res(PQexec(conn_, sql.c_str()));
    check(res.get(), sql);
  }

 private:
  void simple(const char* sql) {
    ResultPtr res(PQexec(conn_, sql));
    check(res.get(), sql);
  }

  void check(PGresult* res, std::string_view what) {
    const auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) return;
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string msg = "PostgreSQL: " + trimmed(res ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
    if (msg.size() == 12) msg += trimmed(PQerrorMessage(conn_));
    if (state) msg += std::string(" [") + state + "]";
    msg += " in: ";
    msg += what.substr(0, 200);
    // No SQLSTATE means libpq itself failed, which is almost always a lost connection.
    FailureKind kind = state ? kind_of(state) : FailureKind::other;
    if (PQstatus(conn_) == CONNECTION_BAD) kind = FailureKind::unavailable;
    throw Failure(kind, msg);
  }

  // Parameter types follow the Value alternatives, so `SELECT $1` and `$1 + 1` mean the same as on
  // SQLite; strings and NULLs stay untyped so the server infers them from context (dates, casts).
  static char type_code(const Value& v) {
    if (std::holds_alternative<std::int64_t>(v)) return 'i';
    if (std::holds_alternative<double>(v)) return 'd';
    return 'u';
  }

  struct Prepared {
    std::string name;
    int params = 0;  // as the server counted them
  };

  const Prepared& prepare(std::string_view sql, std::span<const Value> params) {
    key_.assign(sql);
    key_ += '\0';
    for (const Value& v : params) key_ += type_code(v);
    if (auto it = cache_.find(key_); it != cache_.end()) return it->second;
    std::vector<Oid> types;
    for (const Value& v : params) {
      const char t = type_code(v);
      types.push_back(t == 'i' ? kInt8 : t == 'd' ? kFloat8 : 0);
    }
    std::string name = "b" + std::to_string(cache_.size() + 1);
    const std::string text = rewrite_dialect(sql);
    ResultPtr res(PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(types.size()),
                            types.empty() ? nullptr : types.data()));
    check(res.get(), sql);
    // A count mismatch would otherwise surface as a protocol violation (SQLSTATE 08P01, "unavailable").
    ResultPtr described(PQdescribePrepared(conn_, name.c_str()));
    check(described.get(), sql);
    return cache_.emplace(key_, Prepared{std::move(name), PQnparams(described.get())}).first->second;
  }

  ResultPtr run(std::string_view sql, std::span<const Value> params) {
    const Prepared& p = prepare(sql, params);
    if (static_cast<std::size_t>(p.params) != params.size())
      throw Failure(FailureKind::other, "PostgreSQL: statement takes " + std::to_string(p.params) + " parameters, " +
                                            std::to_string(params.size()) + " given: " + std::string(sql));
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        texts[i] = std::to_string(*n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        texts[i] = double_text(*d);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        values[i] = s->c_str();
        continue;
      } else {
        continue;  // NULL
      }
      values[i] = texts[i].c_str();
    }
    ResultPtr res(PQexecPrepared(conn_, p.name.c_str(), static_cast<int>(params.size()),
                                 values.empty() ? nullptr : values.data(), nullptr, nullptr, 0));
    check(res.get(), sql);
    return res;
  }

  static Value cell(const PGresult* res, int r, int c, Oid type) {
    if (PQgetisnull(res, r, c)) return std::monostate{};
    const char* p = PQgetvalue(res, r, c);
    const std::string_view s(p, static_cast<std::size_t>(PQgetlength(res, r, c)));
    switch (type) {
      case kInt2:
      case kInt4:
      case kInt8:
      case kOid: {
        std::int64_t n = 0;
        std::from_chars(s.data(), s.data() + s.size(), n);
        return n;
      }
      case kNumeric: {
        // SUM(bigint) is numeric on PostgreSQL but an integer on SQLite: keep whole numbers exact.
        std::int64_t n = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (ec == std::errc{} && end == s.data() + s.size()) return n;
        [[fallthrough]];
      }
      case kFloat4:
      case kFloat8: {
        double d = 0;
        std::from_chars(s.data(), s.data() + s.size(), d);  // also reads NaN and Infinity
        return d;
      }
      case kBool:
        return std::int64_t{s == "t" ? 1 : 0};
      default:
        return std::string(s);
    }
  }

  PGconn* conn_;
  std::string key_;  // scratch buffer for cache look-ups
  detail::StatementCache<Prepared> cache_;
  bool bulk_load_open_ = false;
  std::vector<std::string> bulk_load_tables_;
};

}  // namespace

std::string rewrite_dialect(std::string_view sql) {
  // SQLite makes `INTEGER PRIMARY KEY` an alias of the rowid, filled in on insert;
  // PostgreSQL's equivalent is an identity column.
  static constexpr std::string_view kReplacement = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
  std::string out;
  out.reserve(sql.size());
  std::size_t i = 0;
  while (i < sql.size()) {
    const char ch = sql[i];
    if (ch == '\'' || ch == '"') {  // literal or quoted identifier; a doubled quote stays inside
      std::size_t j = i + 1;
      while (j < sql.size()) {
        if (sql[j] == ch) {
          if (j + 1 < sql.size() && sql[j + 1] == ch) {
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      j = std::min(j + 1, sql.size());
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (ch == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      auto j = sql.find('\n', i);
      j = j == std::string_view::npos ? sql.size() : j;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (ch == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      auto j = sql.find("*/", i + 2);
      j = j == std::string_view::npos ? sql.size() : j + 2;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if ((i == 0 || !is_word_char(sql[i - 1])) && word_at(sql, i, "INTEGER")) {
      const std::size_t p = skip_space(sql, i + 7);
      const std::size_t k = p > i + 7 && word_at(sql, p, "PRIMARY") ? skip_space(sql, p + 7) : 0;
      if (k > p + 7 && word_at(sql, k, "KEY")) {
        out.append(kReplacement);
        i = k + 3;
      } else {
        out.append(sql.substr(i, 7));
        i += 7;
      }
    } else {
      out.push_back(ch);
      ++i;
    }
  }
  return out;
}

std::unique_ptr<Connection> open(const std::string& url, const OpenOptions& options) {
  // connect_timeout first, so that a value in the URL (expanded from dbname) overrides it.
  const char* keys[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {"10", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (conn == nullptr) throw Failure(FailureKind::unavailable, "PostgreSQL: out of memory connecting");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = "cannot connect to PostgreSQL at " + redact(url) + ": " + trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    throw Failure(FailureKind::unavailable, msg);
  }
  auto c = std::make_unique<PgConnection>(conn);
  c->set_up(options);
  return c;
}

}  // namespace bespoke::store::postgres
