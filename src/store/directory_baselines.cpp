#include "store/directory_baselines.h"

#include "core/geo.h"
#include "directory/text.h"
#include "store/bulk_insert.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace bespoke::store {
namespace {

using directory::Query;
using directory::ServiceEntry;
using directory::Sort;

// As the index: the Earth's mean radius (core/geo.h), and PostgreSQL
// earthdistance's own earth() radius, so that its distances can be scaled.
using core::kEarthRadiusM;
constexpr double kPgEarthRadiusM = 6378168;

// ---- The rows both databases load, from the entries ----

// Shortest text that reads back as the same double.
std::string number_text(double d) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, ec == std::errc{} ? end : buf);
}

std::string language_text(const std::array<char, 3>& code) { return std::string(code.data(), code[2] ? 3 : 2); }

// Sids are 1, 2, ... in id order, so ordering by sid is ordering by id.
struct Flat {
  std::vector<const ServiceEntry*> services;
  // Per service: its direct terms' labels, its terms and their broader ones.
  std::vector<std::string> labels;
  std::vector<std::vector<std::int64_t>> terms;
  std::vector<std::vector<std::string>> languages;
};

Flat flatten(const directory::Taxonomy& taxonomy, std::span<const ServiceEntry> services) {
  Flat f;
  for (const ServiceEntry& e : services) {
    if (e.active) f.services.push_back(&e);
  }
  std::stable_sort(f.services.begin(), f.services.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
  // A repeated id keeps the last entry, as the index: unique over the reversed
  // order keeps the first of each run there, and gathers the kept at the back.
  const auto kept = std::unique(f.services.rbegin(), f.services.rend(),
                                [](const auto* a, const auto* b) { return a->id == b->id; });
  f.services.erase(f.services.begin(), kept.base());
  const std::size_t n_terms = taxonomy.terms().size();
  for (const ServiceEntry* e : f.services) {
    std::vector<directory::TermIndex> direct;
    for (const auto t : e->terms) {
      if (t < n_terms) direct.push_back(t);
    }
    std::sort(direct.begin(), direct.end());
    direct.erase(std::unique(direct.begin(), direct.end()), direct.end());
    std::string labels;
    std::vector<std::int64_t> expanded;
    for (const auto t : direct) {
      if (!labels.empty()) labels += ' ';
      labels += taxonomy.term(t).name;
      expanded.push_back(t);
      for (auto p = taxonomy.term(t).parent; p; p = taxonomy.term(*p).parent) expanded.push_back(*p);
    }
    std::sort(expanded.begin(), expanded.end());
    expanded.erase(std::unique(expanded.begin(), expanded.end()), expanded.end());
    std::vector<std::string> languages;
    for (const auto& code : e->languages) languages.push_back(language_text(code));
    std::sort(languages.begin(), languages.end());
    languages.erase(std::unique(languages.begin(), languages.end()), languages.end());
    f.labels.push_back(std::move(labels));
    f.terms.push_back(std::move(expanded));
    f.languages.push_back(std::move(languages));
  }
  return f;
}

std::int64_t min_age(const ServiceEntry& e) { return e.minimum_age ? *e.minimum_age : 0; }
std::int64_t max_age(const ServiceEntry& e) { return e.maximum_age ? *e.maximum_age : 255; }
std::int64_t kind(const ServiceEntry& e) {
  return std::min<std::int64_t>(static_cast<std::int64_t>(e.provider_kind),
                                static_cast<std::int64_t>(directory::kProviderKindCount) - 1);
}
std::int64_t has_capacity(const ServiceEntry& e) { return e.capacity_available && *e.capacity_available > 0 ? 1 : 0; }

template <class T>
std::string array_literal(const std::vector<T>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    if constexpr (std::is_same_v<T, std::string>) {
      out += '"' + values[i] + '"';  // language codes: letters only
    } else {
      out += std::to_string(values[i]);
    }
  }
  return out + "}";
}

// Loads the rows both schemas share: schedules (bench_weekly, bench_dated).
void load_hours(Connection& c, const Flat& f) {
  BulkInserter weekly(c, "bench_weekly", {"sid", "day", "opens", "closes"});
  BulkInserter dated(c, "bench_dated", {"sid", "first_day", "last_day", "closed", "opens", "closes"});
  for (std::size_t i = 0; i < f.services.size(); ++i) {
    const Value sid{static_cast<std::int64_t>(i + 1)};
    for (const auto& w : f.services[i]->weekly) {
      weekly.add({sid, Value{std::int64_t{w.day}}, Value{std::int64_t{w.opens}}, Value{std::int64_t{w.closes}}});
    }
    for (const auto& d : f.services[i]->dated) {
      dated.add({sid, Value{std::int64_t{d.first_day}}, Value{std::int64_t{d.last_day}},
                 Value{std::int64_t{d.closed ? 1 : 0}}, Value{std::int64_t{d.opens}}, Value{std::int64_t{d.closes}}});
    }
  }
  weekly.flush();
  dated.flush();
}

constexpr std::string_view kHoursTables =
    "CREATE TABLE bench_weekly (sid BIGINT NOT NULL, day BIGINT NOT NULL, opens BIGINT NOT NULL,"
    " closes BIGINT NOT NULL);\n"
    "CREATE TABLE bench_dated (sid BIGINT NOT NULL, first_day BIGINT NOT NULL, last_day BIGINT NOT NULL,"
    " closed BIGINT NOT NULL, opens BIGINT NOT NULL, closes BIGINT NOT NULL);\n";
constexpr std::string_view kHoursIndexes =
    "CREATE INDEX bench_weekly_sid ON bench_weekly (sid, day);\n"
    "CREATE INDEX bench_dated_sid ON bench_dated (sid, first_day);\n";

// libpq 15 refuses a ParameterDescription message over 30,000 bytes (4 bytes a
// parameter), which PQdescribePrepared receives: at most 7,000 parameters.
constexpr std::size_t kPgRowsPerStatement = 7000 / 15;

// ---- Building a search statement ----

enum class Dialect { sqlite, postgres };

struct Statement {
  std::string with;        // "WITH ..." or empty
  std::string from_where;  // " FROM ... WHERE ..."
  std::string order;       // " ORDER BY ..."
  std::vector<Value> params;

  std::string param(Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  }
};

// The words the index would search for (not stop words), each quoted for FTS5.
std::string fts5_query(const std::string& text) {
  std::string out;
  directory::WordReader words(text);
  while (words.next()) {
    if (directory::is_stop_word(words.word())) continue;
    if (!out.empty()) out += ' ';
    out += '"';
    for (const char ch : words.word()) {
      if (ch == '"') out += '"';
      out += ch;
    }
    out += '"';
  }
  return out;
}

bool has_searchable_words(const std::string& text) {
  directory::WordReader words(text);
  while (words.next()) {
    if (!directory::is_stop_word(words.word())) return true;
  }
  return false;
}

void refuse_unsupported(const Query& q) {
  if (!q.taxonomies.empty()) throw std::invalid_argument("directory baseline: taxonomies are not supported");
  if (q.circumstances) throw std::invalid_argument("directory baseline: circumstances are not supported");
  if (q.open_weekly) throw std::invalid_argument("directory baseline: open_weekly is not supported");
}

// The filters on bench_service s (and the side tables), shared by both dialects
// except for terms and languages.
void add_filters(Statement& st, const Query& q, Dialect dialect, std::string& where) {
  auto and_ = [&](const std::string& condition) { where += " AND " + condition; };
  if (!q.provider_kinds.empty()) {
    std::string list;
    for (const auto k : q.provider_kinds) {
      if (!list.empty()) list += ", ";
      list += st.param(std::min<std::int64_t>(static_cast<std::int64_t>(k),
                                              static_cast<std::int64_t>(directory::kProviderKindCount) - 1));
    }
    and_("s.kind IN (" + list + ")");
  }
  if (q.community_led) and_("s.community_led = " + st.param(std::int64_t{*q.community_led ? 1 : 0}));
  if (q.locally_owned) and_("s.locally_owned = " + st.param(std::int64_t{*q.locally_owned ? 1 : 0}));
  if (q.cost == directory::CostFilter::free_only) and_("s.cost = 1");
  if (q.cost == directory::CostFilter::paid_only) and_("s.cost = 2");
  if (q.has_capacity) and_("s.has_capacity = 1");
  if (q.age) {
    const std::string age = st.param(std::int64_t{*q.age});
    and_("s.min_age <= " + age + " AND s.max_age >= " + age);
  }
  // The Open Referral UK profile's meanings (as directory/query.h): a minimum
  // age of at least v; a maximum age (255 = none) of at most v.
  if (q.minimum_age) and_("s.min_age >= " + st.param(std::int64_t{*q.minimum_age}));
  if (q.maximum_age) and_("s.max_age <= " + st.param(std::int64_t{*q.maximum_age}));
  if (dialect == Dialect::sqlite) {
    for (const auto t : q.terms) {
      and_("s.sid IN (SELECT t.sid FROM bench_term t WHERE t.term = " + st.param(std::int64_t{t}) + ")");
    }
    if (!q.languages.empty()) {
      std::string list;
      for (const auto& code : q.languages) {
        if (!list.empty()) list += ", ";
        list += st.param(language_text(code));
      }
      and_("s.sid IN (SELECT l.sid FROM bench_language l WHERE l.code IN (" + list + "))");
    }
  } else {
    if (!q.terms.empty()) {
      std::vector<std::int64_t> terms(q.terms.begin(), q.terms.end());
      and_("s.terms @> " + st.param(array_literal(terms)) + "::bigint[]");
    }
    if (!q.languages.empty()) {
      std::vector<std::string> codes;
      for (const auto& code : q.languages) codes.push_back(language_text(code));
      and_("s.languages && " + st.param(array_literal(codes)) + "::text[]");
    }
  }
  if (q.open_at) {
    // Dated exceptions covering the day replace the weekly pattern for it.
    const std::string day = st.param(std::int64_t{q.open_at->day});
    const std::string minute = st.param(std::int64_t{q.open_at->minute});
    const std::string weekday = st.param(std::int64_t{q.open_at->weekday()});
    const std::string covers = "d.sid = s.sid AND d.first_day <= " + day + " AND d.last_day >= " + day;
    and_("(CASE WHEN EXISTS (SELECT 1 FROM bench_dated d WHERE " + covers +
         ") THEN EXISTS (SELECT 1 FROM bench_dated d WHERE " + covers + " AND d.closed = 0 AND d.opens <= " + minute +
         " AND d.closes > " + minute + ") ELSE EXISTS (SELECT 1 FROM bench_weekly w WHERE w.sid = s.sid AND w.day = " +
         weekday + " AND w.opens <= " + minute + " AND w.closes > " + minute + ") END)");
  }
}

Sort resolve(Sort sort, bool has_text, bool has_place) {
  if (sort != Sort::automatic) return sort;
  return has_text && has_place ? Sort::blended : has_text ? Sort::relevance : has_place ? Sort::distance : Sort::relevance;
}

// Runs the page (and, when the page is empty or not asked for, the count).
BaselineResults run_statement(Connection& c, Statement& st, const Query& q) {
  BaselineResults out;
  const std::uint32_t per_page = std::min(q.per_page, directory::kMaxPerPage);
  const std::uint64_t offset = (static_cast<std::uint64_t>(std::max(q.page, 1U)) - 1) * per_page;
  if (per_page > 0) {
    std::vector<Value> params = st.params;
    const std::string limit = st.param(std::int64_t{per_page});
    const std::string skip = st.param(static_cast<std::int64_t>(offset));
    const std::string sql =
        st.with + "SELECT s.id, COUNT(*) OVER ()" + st.from_where + st.order + " LIMIT " + limit + " OFFSET " + skip;
    const auto rows = c.query(sql, st.params);
    st.params = std::move(params);
    for (const Row& row : rows) {
      if (auto id = directory::Uuid::parse(row.text(0))) out.ids.push_back(*id);
    }
    if (!rows.empty()) {
      out.total = static_cast<std::size_t>(rows.front().integer(1));
      return out;
    }
  }
  const auto n = c.scalar(st.with + "SELECT COUNT(*)" + st.from_where, st.params);
  out.total = n ? static_cast<std::size_t>(std::get<std::int64_t>(*n)) : 0;
  return out;
}

// ---- SQLite ----

class SqliteBaseline final : public DirectoryBaseline {
 public:
  explicit SqliteBaseline(std::unique_ptr<Connection> c) : c_(std::move(c)) {}
  [[nodiscard]] std::string_view name() const noexcept override { return "sqlite"; }

  BaselineResults run(const Query& q) override {
    refuse_unsupported(q);
    Statement st;
    const std::string match = q.text.empty() ? std::string() : fts5_query(q.text);
    const bool has_text = !match.empty();
    const bool has_place = q.near.has_value();
    if (has_place && !(q.near->radius_m >= 0)) return {};
    std::vector<std::string> ctes;
    std::string from = " FROM bench_service s";
    if (has_text) {
      ctes.push_back("t AS MATERIALIZED (SELECT rowid AS sid, -bm25(bench_fts, 3.0, 1.0, 1.5, 2.0) AS score"
                     " FROM bench_fts WHERE bench_fts MATCH " + st.param(match) + ")");
      from += " JOIN t ON t.sid = s.sid";
    }
    if (has_place) {
      const core::UnitVector v = core::unit_vector(q.near->point);
      const std::string x = st.param(v.x), y = st.param(v.y), z = st.param(v.z);
      const std::string c2 =
          "((p.x - " + x + ") * (p.x - " + x + ") + (p.y - " + y + ") * (p.y - " + y + ") + (p.z - " + z + ") * (p.z - " + z + "))";
      std::string cte = "n AS MATERIALIZED (SELECT p.sid AS sid, MIN(" + c2 + ") AS c2";
      if (const auto box = core::bounding_box(q.near->point, q.near->radius_m)) {
        cte += " FROM bench_site_rtree r JOIN bench_site p ON p.site = r.id WHERE r.min_lat <= " + st.param(box->lat1) +
               " AND r.max_lat >= " + st.param(box->lat0) + " AND r.min_lon <= " + st.param(box->lon1) +
               " AND r.max_lon >= " + st.param(box->lon0);
      } else {
        cte += " FROM bench_site p WHERE 1 = 1";
      }
      if (q.near->radius_m / core::kEarthRadiusM < std::numbers::pi) {
        cte += " AND " + c2 + " <= " + st.param(core::chord2_of_distance(q.near->radius_m));
      }
      cte += " GROUP BY p.sid)";
      ctes.push_back(std::move(cte));
      from += " JOIN n ON n.sid = s.sid";
    }
    std::string where = " WHERE 1 = 1";
    add_filters(st, q, Dialect::sqlite, where);
    if (!ctes.empty()) {
      st.with = "WITH ";
      for (std::size_t i = 0; i < ctes.size(); ++i) st.with += (i > 0 ? ", " : "") + ctes[i];
      st.with += ' ';
    }
    st.from_where = from + where;
    const std::string distance = "(2 * " + number_text(kEarthRadiusM) + " * asin(min(1.0, sqrt(n.c2) / 2)))";
    switch (resolve(q.sort, has_text, has_place)) {
      case Sort::automatic:
      case Sort::relevance:
        st.order = has_text ? " ORDER BY t.score DESC, s.sid" : " ORDER BY s.sid";
        break;
      case Sort::distance:
        st.order = has_place ? " ORDER BY n.c2, s.sid" : " ORDER BY s.sid";
        break;
      case Sort::blended: {
        const std::string score = has_text ? "t.score" : "1.0";
        const std::string factor = has_place ? "(1 + " + distance + " / " + number_text(directory::kBlendScaleM) + ")" : "1.0";
        st.order = " ORDER BY " + score + " / " + factor + " DESC, s.sid";
        break;
      }
    }
    return run_statement(*c_, st, q);
  }

 private:
  std::unique_ptr<Connection> c_;
};

// ---- PostgreSQL ----

class PostgresBaseline final : public DirectoryBaseline {
 public:
  explicit PostgresBaseline(Connection& c) : c_(c) {
    c_.execute("SET plan_cache_mode = force_custom_plan");
    c_.execute("SET jit = off");
  }
  [[nodiscard]] std::string_view name() const noexcept override { return "postgres"; }

  BaselineResults run(const Query& q) override {
    refuse_unsupported(q);
    Statement st;
    const bool has_text = !q.text.empty() && has_searchable_words(q.text);
    const bool has_place = q.near.has_value();
    if (has_place && !(q.near->radius_m >= 0)) return {};
    std::string from = " FROM bench_service s";
    std::string where = " WHERE 1 = 1";
    std::string tsquery;
    if (has_text) {
      tsquery = "plainto_tsquery('english', " + st.param(q.text) + ")";
      where += " AND s.doc @@ " + tsquery;
    }
    if (has_place) {
      const std::string centre =
          "ll_to_earth(" + st.param(q.near->point.lat) + ", " + st.param(q.near->point.lon) + ")";
      std::string cte = "WITH n AS (SELECT p.sid AS sid, MIN(earth_distance(" + centre + ", p.pt)) AS d FROM bench_site p";
      if (std::isfinite(q.near->radius_m)) {
        // earth() is 6,378,168 m; the index measures on 6,371,008.8 m.
        const std::string r = st.param(q.near->radius_m * (kPgEarthRadiusM / kEarthRadiusM));
        cte += " WHERE earth_box(" + centre + ", " + r + ") @> p.pt AND earth_distance(" + centre + ", p.pt) <= " + r;
      }
      cte += " GROUP BY p.sid) ";
      st.with = std::move(cte);
      from += " JOIN n ON n.sid = s.sid";
    }
    add_filters(st, q, Dialect::postgres, where);
    st.from_where = from + where;
    const std::string score =
        has_text ? "ts_rank('{0.33333334, 0.5, 0.6666667, 1}'::float4[], s.doc, " + tsquery + ")" : "1.0";
    switch (resolve(q.sort, has_text, has_place)) {
      case Sort::automatic:
      case Sort::relevance:
        st.order = has_text ? " ORDER BY " + score + " DESC, s.sid" : " ORDER BY s.sid";
        break;
      case Sort::distance:
        st.order = has_place ? " ORDER BY n.d, s.sid" : " ORDER BY s.sid";
        break;
      case Sort::blended: {
        const std::string factor =
            has_place ? "(1 + n.d * " + number_text(kEarthRadiusM / kPgEarthRadiusM) + " / " +
                            number_text(directory::kBlendScaleM) + ")"
                      : "1.0";
        st.order = " ORDER BY " + score + " / " + factor + " DESC, s.sid";
        break;
      }
    }
    return run_statement(c_, st, q);
  }

 private:
  Connection& c_;
};

}  // namespace

void build_sqlite_baseline(const std::string& path, const directory::Taxonomy& taxonomy,
                           std::span<const ServiceEntry> services) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((path + suffix).c_str());
  const Flat f = flatten(taxonomy, services);
  OpenOptions options;
  options.bulk_load = true;
  auto c = open(path, options);
  c->execute_script(
      "CREATE TABLE bench_service (sid INTEGER PRIMARY KEY, id TEXT NOT NULL, kind BIGINT NOT NULL,"
      " community_led BIGINT NOT NULL, locally_owned BIGINT NOT NULL, cost BIGINT NOT NULL,"
      " has_capacity BIGINT NOT NULL, min_age BIGINT NOT NULL, max_age BIGINT NOT NULL);\n"
      "CREATE VIRTUAL TABLE bench_fts USING fts5(name, description, organization, labels,"
      " tokenize = 'porter unicode61 remove_diacritics 2');\n"
      "CREATE TABLE bench_term (term BIGINT NOT NULL, sid BIGINT NOT NULL, PRIMARY KEY (term, sid)) WITHOUT ROWID;\n"
      "CREATE TABLE bench_language (code TEXT NOT NULL, sid BIGINT NOT NULL, PRIMARY KEY (code, sid)) WITHOUT ROWID;\n"
      "CREATE TABLE bench_site (site INTEGER PRIMARY KEY, sid BIGINT NOT NULL, x DOUBLE PRECISION NOT NULL,"
      " y DOUBLE PRECISION NOT NULL, z DOUBLE PRECISION NOT NULL);\n"
      "CREATE VIRTUAL TABLE bench_site_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon);\n" +
      std::string(kHoursTables));
  Transaction tx(*c, TxMode::write);
  {
    BulkInserter service(*c, "bench_service",
                         {"sid", "id", "kind", "community_led", "locally_owned", "cost", "has_capacity", "min_age",
                          "max_age"});
    BulkInserter fts(*c, "bench_fts", {"rowid", "name", "description", "organization", "labels"});
    BulkInserter term(*c, "bench_term", {"term", "sid"});
    BulkInserter language(*c, "bench_language", {"code", "sid"});
    BulkInserter site(*c, "bench_site", {"site", "sid", "x", "y", "z"});
    BulkInserter rtree(*c, "bench_site_rtree", {"id", "min_lat", "max_lat", "min_lon", "max_lon"});
    std::int64_t site_id = 0;
    for (std::size_t i = 0; i < f.services.size(); ++i) {
      const ServiceEntry& e = *f.services[i];
      const Value sid{static_cast<std::int64_t>(i + 1)};
      service.add({sid, Value{e.id.text()}, Value{kind(e)}, Value{std::int64_t{e.community_led ? 1 : 0}},
                   Value{std::int64_t{e.locally_owned ? 1 : 0}}, Value{static_cast<std::int64_t>(e.cost)},
                   Value{has_capacity(e)}, Value{min_age(e)}, Value{max_age(e)}});
      fts.add({sid, Value{e.name}, Value{e.description}, Value{e.organization_name}, Value{f.labels[i]}});
      for (const auto t : f.terms[i]) term.add({Value{t}, sid});
      for (const auto& code : f.languages[i]) language.add({Value{code}, sid});
      for (const auto& s : e.sites) {
        const core::UnitVector v = core::unit_vector({s.latitude, s.longitude});
        ++site_id;
        site.add({Value{site_id}, sid, Value{v.x}, Value{v.y}, Value{v.z}});
        rtree.add({Value{site_id}, Value{s.latitude}, Value{s.latitude}, Value{s.longitude}, Value{s.longitude}});
      }
    }
    for (BulkInserter* b : {&service, &fts, &term, &language, &site, &rtree}) b->flush();
  }
  load_hours(*c, f);
  c->execute_script(std::string(kHoursIndexes) +
                    "CREATE INDEX bench_site_sid ON bench_site (sid);\n"
                    "CREATE INDEX bench_service_kind ON bench_service (kind);\n"
                    "INSERT INTO bench_fts (bench_fts) VALUES ('optimize');\n");
  tx.commit();
  c->execute_script("ANALYZE");
}

std::unique_ptr<DirectoryBaseline> open_sqlite_baseline(const std::string& path) {
  auto c = open(path);
  // Room for the whole file in the page cache (2 GiB), and reads through mmap.
  c->execute_script("PRAGMA cache_size = -2097152; PRAGMA mmap_size = 4294967296; PRAGMA query_only = 1");
  return std::make_unique<SqliteBaseline>(std::move(c));
}

void build_postgres_baseline(Connection& c, const directory::Taxonomy& taxonomy,
                             std::span<const ServiceEntry> services) {
  const Flat f = flatten(taxonomy, services);
  c.execute_script(
      "CREATE EXTENSION IF NOT EXISTS cube;\n"
      "CREATE EXTENSION IF NOT EXISTS earthdistance;\n"
      "DROP TABLE IF EXISTS bench_service, bench_site, bench_weekly, bench_dated;\n"
      "SET maintenance_work_mem = '1GB';\n"
      "CREATE TABLE bench_service (sid BIGINT PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL,"
      " description TEXT NOT NULL, organization TEXT NOT NULL, labels TEXT NOT NULL,"
      " doc tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', name), 'A') ||"
      " setweight(to_tsvector('english', labels), 'B') || setweight(to_tsvector('english', organization), 'C') ||"
      " setweight(to_tsvector('english', description), 'D')) STORED,"
      " kind BIGINT NOT NULL, community_led BIGINT NOT NULL, locally_owned BIGINT NOT NULL, cost BIGINT NOT NULL,"
      " has_capacity BIGINT NOT NULL, min_age BIGINT NOT NULL, max_age BIGINT NOT NULL,"
      " terms BIGINT[] NOT NULL, languages TEXT[] NOT NULL);\n"
      "CREATE TABLE bench_site (sid BIGINT NOT NULL, latitude DOUBLE PRECISION NOT NULL,"
      " longitude DOUBLE PRECISION NOT NULL,"
      " pt earth GENERATED ALWAYS AS (ll_to_earth(latitude, longitude)) STORED);\n" +
      std::string(kHoursTables));
  Transaction tx(c, TxMode::write);
  {
    BulkInserter service(c, "bench_service",
                         {"sid", "id", "name", "description", "organization", "labels", "kind", "community_led",
                          "locally_owned", "cost", "has_capacity", "min_age", "max_age", "terms", "languages"},
                         kPgRowsPerStatement);
    BulkInserter site(c, "bench_site", {"sid", "latitude", "longitude"});
    for (std::size_t i = 0; i < f.services.size(); ++i) {
      const ServiceEntry& e = *f.services[i];
      const Value sid{static_cast<std::int64_t>(i + 1)};
      service.add({sid, Value{e.id.text()}, Value{e.name}, Value{e.description}, Value{e.organization_name},
                   Value{f.labels[i]}, Value{kind(e)}, Value{std::int64_t{e.community_led ? 1 : 0}},
                   Value{std::int64_t{e.locally_owned ? 1 : 0}}, Value{static_cast<std::int64_t>(e.cost)},
                   Value{has_capacity(e)}, Value{min_age(e)}, Value{max_age(e)}, Value{array_literal(f.terms[i])},
                   Value{array_literal(f.languages[i])}});
      for (const auto& s : e.sites) site.add({sid, Value{s.latitude}, Value{s.longitude}});
    }
    service.flush();
    site.flush();
  }
  load_hours(c, f);
  c.execute_script(std::string(kHoursIndexes) +
                   "CREATE INDEX bench_service_doc ON bench_service USING GIN (doc);\n"
                   "CREATE INDEX bench_service_terms ON bench_service USING GIN (terms);\n"
                   "CREATE INDEX bench_service_languages ON bench_service USING GIN (languages);\n"
                   "CREATE INDEX bench_service_kind ON bench_service (kind);\n"
                   "CREATE INDEX bench_site_earth ON bench_site USING GIST (pt);\n"
                   "CREATE INDEX bench_site_sid ON bench_site (sid);\n");
  tx.commit();
  c.execute_script("ANALYZE bench_service; ANALYZE bench_site; ANALYZE bench_weekly; ANALYZE bench_dated");
}

std::unique_ptr<DirectoryBaseline> postgres_baseline(Connection& c) { return std::make_unique<PostgresBaseline>(c); }

}  // namespace bespoke::store
