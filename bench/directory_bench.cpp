// ./dev bench directory (bench/directory.sh runs it): the directory search on
// the demo's HSDS tables, in-process, against the same searches through SQLite
// (FTS5 + R*Tree) and PostgreSQL (full-text search + earthdistance) on the
// same data, in the same run. See bench/README.md, "directory".
//
//   directory_bench --db FILE [--sqlite-out FILE] [--pg URL] [--urls FILE]
//                   [--queries 1000] [--runs 5] [--baseline-runs 1] [--seed 1] [--only KIND]
//
// The query mix is drawn from the data with a fixed seed: words of service
// names, descriptions and term labels; points at real sites with a radius of
// 2-10 km; filters on provider kind, need, free, open at a fixed time,
// language, age and capacity. Every query is timed on its own (steady_clock);
// p50/p99 are over the queries, each timed by the median of its runs (the
// percentiles over every sample are printed too). vs_X is X's total time on
// the mix divided by ours. Totals of queries without text must agree across
// all three, or the program fails (exit status 1); for text it reports how
// far they agree (the index has typo tolerance and BM25F, the databases do not).
//
// It ends with a line `BENCH directory ... http_rps=pending ...`: the script
// fills http_rps in from wrk, run over the URLs written to --urls.
#include "core/time.h"
#include "directory/index.h"
#include "directory/text.h"
#include "store/database.h"
#include "store/directory_baselines.h"
#include "store/directory_source.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace bespoke;
using directory::Query;
using directory::ServiceEntry;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string db;
  std::string sqlite_out;
  std::string pg_url;
  std::string urls_out;
  std::size_t queries = 1000;
  int runs = 5;
  int baseline_runs = 1;
  std::uint64_t seed = 1;
  std::string only;  // one kind of query (text, place, text+place, filters), for profiling
};

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(std::string(arg) + " needs a value");
      return argv[++i];
    };
    if (arg == "--db") o.db = value();
    else if (arg == "--sqlite-out") o.sqlite_out = value();
    else if (arg == "--pg") o.pg_url = value();
    else if (arg == "--urls") o.urls_out = value();
    else if (arg == "--queries") o.queries = std::stoul(value());
    else if (arg == "--runs") o.runs = std::stoi(value());
    else if (arg == "--baseline-runs") o.baseline_runs = std::stoi(value());
    else if (arg == "--seed") o.seed = std::stoull(value());
    else if (arg == "--only") o.only = value();
    else throw std::invalid_argument("unknown argument " + std::string(arg));
  }
  if (o.db.empty()) throw std::invalid_argument("--db FILE is required");
  if (o.runs < 1 || o.baseline_runs < 1 || o.queries < 1) throw std::invalid_argument("runs and queries must be >= 1");
  return o;
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string number(double d) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, ec == std::errc{} ? end : buf);
}

std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.') {
      out += ch;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// ---- The query mix ----

enum class Kind { text, place, text_place, filters };
constexpr std::array<const char*, 4> kKindNames{"text", "place", "text+place", "filters"};
constexpr std::array<std::string_view, 7> kProviderKindCodes{
    "council", "nhs", "charity", "community_led", "social_enterprise", "volunteer_group", "private_company"};

struct MixItem {
  Kind kind = Kind::text;
  Query query;
  std::string url;
};

// Searchable words of a text (no stop words, at least 4 letters).
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  directory::WordReader reader(text);
  while (reader.next()) {
    if (reader.letters() >= 4 && !directory::is_stop_word(reader.word())) out.emplace_back(reader.word());
  }
  return out;
}

// A fixed "now" for open-at, so that runs compare: Wednesday 2 December 2026,
// 10:30 local time.
directory::LocalTime fixed_now() { return {*core::parse_iso_date("2026-12-02"), 10 * 60 + 30}; }

std::vector<MixItem> make_mix(const directory::Taxonomy& taxonomy, const std::vector<const ServiceEntry*>& services,
                              std::size_t count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };

  // Need terms (taxonomy bespokeNeed), by index.
  std::map<directory::TermIndex, std::string> need_codes;
  for (std::size_t t = 0; t < taxonomy.terms().size(); ++t) {
    const auto& term = taxonomy.terms()[t];
    if (taxonomy.taxonomies()[term.taxonomy].name == "bespokeNeed") {
      need_codes.emplace(static_cast<directory::TermIndex>(t), term.code);
    }
  }
  std::vector<const ServiceEntry*> with_sites;
  for (const auto* e : services) {
    if (!e->sites.empty()) with_sites.push_back(e);
  }
  if (services.empty() || with_sites.empty()) throw std::runtime_error("no active services with sites to draw from");

  const directory::LocalTime open_time = fixed_now();

  std::vector<MixItem> mix;
  while (mix.size() < count) {
    MixItem item;
    Query& q = item.query;
    std::string params;
    auto add = [&](std::string_view key, const std::string& value) {
      params += params.empty() ? "?" : "&";
      params += key;
      params += '=';
      params += value;
    };
    const double r = std::uniform_real_distribution<double>(0, 1)(rng);
    item.kind = r < 0.35 ? Kind::text : r < 0.60 ? Kind::place : r < 0.85 ? Kind::text_place : Kind::filters;

    if (item.kind == Kind::text || item.kind == Kind::text_place) {
      // One or two words from one service: its name, description or term labels.
      const ServiceEntry& e = *services[pick(services.size())];
      std::vector<std::string> words;
      const double source = std::uniform_real_distribution<double>(0, 1)(rng);
      if (source < 0.6) words = words_of(e.name);
      else if (source < 0.85) words = words_of(e.description);
      else if (!e.terms.empty()) words = words_of(taxonomy.term(e.terms[pick(e.terms.size())]).name);
      if (words.empty()) words = words_of(e.name);
      if (words.empty()) continue;
      q.text = words[pick(words.size())];
      if (words.size() > 1 && chance(0.3)) {
        const std::string& second = words[pick(words.size())];
        if (second != q.text) q.text += " " + second;
      }
      add("q", url_encode(q.text));
    }
    if (item.kind == Kind::place || item.kind == Kind::text_place) {
      const ServiceEntry& e = *with_sites[pick(with_sites.size())];
      const auto& site = e.sites[pick(e.sites.size())];
      const int km = static_cast<int>(2 + pick(9));  // 2 ... 10 km
      q.near = directory::Near{{site.latitude, site.longitude}, km * 1000.0};
      add("lat", number(site.latitude));
      add("lon", number(site.longitude));
      add("radius_km", std::to_string(km));
    }
    // Filters: fewer with text and places, always one without them.
    const double f = item.kind == Kind::filters ? 1.0 : 0.5;
    bool any_filter = false;
    do {
      if (chance(0.2 * f)) {
        const std::size_t n = 1 + pick(2);
        for (std::size_t i = 0; i < n; ++i) {
          const auto k = pick(kProviderKindCodes.size());
          const auto kind = static_cast<directory::ProviderKind>(k);
          if (std::find(q.provider_kinds.begin(), q.provider_kinds.end(), kind) != q.provider_kinds.end()) continue;
          q.provider_kinds.push_back(kind);
          add("kind", std::string(kProviderKindCodes[k]));
          any_filter = true;
        }
      }
      if (chance(0.3 * f)) {
        // A need some service meets.
        const ServiceEntry& e = *services[pick(services.size())];
        std::vector<directory::TermIndex> needs;
        for (const auto t : e.terms) {
          if (need_codes.count(t) != 0) needs.push_back(t);
        }
        if (!needs.empty()) {
          const auto t = needs[pick(needs.size())];
          if (std::find(q.terms.begin(), q.terms.end(), t) == q.terms.end()) {
            q.terms.push_back(t);
            add("need", url_encode(need_codes[t]));
            any_filter = true;
          }
        }
      }
      if (q.cost == directory::CostFilter::any && chance(0.15 * f)) {
        q.cost = directory::CostFilter::free_only;
        add("cost", "free");
        any_filter = true;
      }
      if (!q.open_at && chance(0.12 * f)) {
        q.open_at = open_time;
        add("open_now", "true");
        any_filter = true;
      }
      if (q.languages.empty() && chance(0.12 * f)) {
        const ServiceEntry& e = *services[pick(services.size())];
        if (!e.languages.empty()) {
          const auto code = e.languages[pick(e.languages.size())];
          q.languages.push_back(code);
          add("language", std::string(code.data(), code[2] ? 3 : 2));
          any_filter = true;
        }
      }
      if (!q.age && chance(0.15 * f)) {
        q.age = static_cast<std::uint8_t>(pick(81));
        add("age", std::to_string(*q.age));
        any_filter = true;
      }
      if (!q.has_capacity && chance(0.08 * f)) {
        q.has_capacity = true;
        add("has_capacity", "true");
        any_filter = true;
      }
    } while (item.kind == Kind::filters && !any_filter);
    q.per_page = 20;
    q.page = chance(0.1) ? 2 : 1;
    add("per_page", "20");
    add("page", std::to_string(q.page));
    item.url = "/api/v1/services" + params;
    mix.push_back(std::move(item));
  }
  return mix;
}

// ---- Timing ----

struct Timings {
  std::vector<double> samples_us;  // every timed run of every query
  // Per query, the median of its timed runs: one query's latency, without a
  // one-off preemption by another process on a shared machine.
  std::vector<double> median_us;
  std::vector<store::BaselineResults> results;  // per query, from the last run
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n == 0 ? 0 : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// One warm-up pass over the mix, then `runs` timed passes.
template <class Run>
Timings time_mix(const std::vector<MixItem>& mix, int runs, Run&& run) {
  Timings t;
  t.results.resize(mix.size());
  for (std::size_t i = 0; i < mix.size(); ++i) t.results[i] = run(mix[i].query);
  std::vector<std::vector<double>> per_query(mix.size());
  for (int r = 0; r < runs; ++r) {
    for (std::size_t i = 0; i < mix.size(); ++i) {
      const auto start = Clock::now();
      t.results[i] = run(mix[i].query);
      const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
      t.samples_us.push_back(us);
      per_query[i].push_back(us);
    }
  }
  for (const auto& v : per_query) t.median_us.push_back(median(v));
  return t;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

double sum(const std::vector<double>& v) {
  double s = 0;
  for (const double x : v) s += x;
  return s;
}

store::BaselineResults from_index(const directory::Results& r) {
  store::BaselineResults out;
  out.total = r.total;
  for (const auto& hit : r.hits) out.ids.push_back(hit.id);
  return out;
}

struct Agreement {
  std::size_t exact_queries = 0, exact_total_equal = 0, exact_page_equal = 0;
  std::size_t text_queries = 0, text_total_equal = 0;
  double text_overlap_sum = 0;  // first page: |ours ∩ theirs| / min(|ours|, |theirs|)
  std::size_t text_overlap_n = 0;
  double text_total_ratio_sum = 0;  // theirs / ours, where ours > 0
  std::size_t text_total_ratio_n = 0;
  std::vector<std::string> mismatches;
};

Agreement compare(const std::vector<MixItem>& mix, const Timings& ours, const Timings& theirs, std::string_view name) {
  Agreement a;
  for (std::size_t i = 0; i < mix.size(); ++i) {
    const auto& o = ours.results[i];
    const auto& t = theirs.results[i];
    if (mix[i].query.text.empty()) {
      ++a.exact_queries;
      if (o.total == t.total) {
        ++a.exact_total_equal;
      } else if (a.mismatches.size() < 10) {
        a.mismatches.push_back(std::string(name) + ": total " + std::to_string(t.total) + ", ours " +
                               std::to_string(o.total) + " for " + mix[i].url);
      }
      if (o.ids == t.ids) ++a.exact_page_equal;
    } else {
      ++a.text_queries;
      if (o.total == t.total) ++a.text_total_equal;
      if (o.total > 0) {
        a.text_total_ratio_sum += static_cast<double>(t.total) / static_cast<double>(o.total);
        ++a.text_total_ratio_n;
      }
      const std::size_t smaller = std::min(o.ids.size(), t.ids.size());
      if (smaller > 0) {
        std::size_t common = 0;
        for (const auto& id : o.ids) common += std::count(t.ids.begin(), t.ids.end(), id) > 0 ? 1 : 0;
        a.text_overlap_sum += static_cast<double>(common) / static_cast<double>(smaller);
        ++a.text_overlap_n;
      }
    }
  }
  return a;
}

void print_row(const char* label, const std::vector<MixItem>& mix, const Timings& t, const Timings* ours) {
  std::printf("%-12s", label);
  for (std::size_t k = 0; k <= kKindNames.size(); ++k) {
    std::vector<double> mine;
    double total = 0, ours_total = 0;
    for (std::size_t i = 0; i < mix.size(); ++i) {
      if (k < kKindNames.size() && static_cast<std::size_t>(mix[i].kind) != k) continue;
      mine.push_back(t.median_us[i]);
      total += t.median_us[i];
      if (ours) ours_total += ours->median_us[i];
    }
    char ratio[32] = "";
    if (ours && ours_total > 0) std::snprintf(ratio, sizeof ratio, " x%.0f", total / ours_total);
    std::printf(" | %8.0f %9.0f%-6s", percentile(mine, 0.5), percentile(mine, 0.99), ratio);
  }
  std::printf("\n");
}

int run(const Options& o) {
  // Load and build.
  auto db = store::open(o.db);
  auto start = Clock::now();
  directory::Taxonomy taxonomy;
  std::vector<ServiceEntry> entries;
  {
    store::Transaction tx(*db, store::TxMode::read);
    taxonomy = store::load_taxonomy(*db);
    entries = store::load_service_entries(*db, taxonomy);
  }
  const double load_s = seconds_since(start);
  start = Clock::now();
  directory::DirectoryIndex index(taxonomy, entries);
  const double build_s = seconds_since(start);
  const std::size_t services = index.size();
  const double bytes_per_service = services ? static_cast<double>(index.memory_bytes()) / services : 0;
  std::printf("loaded %zu services (%zu entries) in %.2f s; index built in %.2f s, %.0f bytes per service\n", services,
              entries.size(), load_s, build_s, bytes_per_service);

  std::vector<const ServiceEntry*> active;
  for (const auto& e : entries) {
    if (e.active) active.push_back(&e);
  }
  auto mix = make_mix(taxonomy, active, o.queries, o.seed);
  if (!o.only.empty()) {
    std::erase_if(mix, [&](const MixItem& m) { return kKindNames[static_cast<std::size_t>(m.kind)] != o.only; });
  }
  std::array<std::size_t, 4> per_kind{};
  for (const auto& m : mix) ++per_kind[static_cast<std::size_t>(m.kind)];
  std::printf("query mix: %zu queries (%zu text, %zu place, %zu text+place, %zu filters only), seed %llu\n",
              mix.size(), per_kind[0], per_kind[1], per_kind[2], per_kind[3],
              static_cast<unsigned long long>(o.seed));
  if (!o.urls_out.empty()) {
    std::ofstream urls(o.urls_out);
    for (const auto& m : mix) urls << m.url << '\n';
    if (!urls) throw std::runtime_error("cannot write " + o.urls_out);
  }

  // Ours, the same work as the baselines (total and a page), then with every facet.
  const Timings ours =
      time_mix(mix, o.runs, [&](const Query& q) { return from_index(index.search(q)); });
  std::vector<MixItem> faceted = mix;
  for (auto& m : faceted) m.query.facets = directory::FacetRequest::all(fixed_now());
  const Timings ours_facets =
      time_mix(faceted, o.runs, [&](const Query& q) { return from_index(index.search(q)); });
  const double p50 = percentile(ours.median_us, 0.5), p99 = percentile(ours.median_us, 0.99);
  std::printf("ours (per-query medians of %d runs): p50 %.1f us, p99 %.1f us; over all %zu samples: p50 %.1f us, p99 %.1f us\n",
              o.runs, p50, p99, ours.samples_us.size(), percentile(ours.samples_us, 0.5),
              percentile(ours.samples_us, 0.99));
  std::printf("ours with every facet counted: p50 %.1f us, p99 %.1f us\n", percentile(ours_facets.median_us, 0.5),
              percentile(ours_facets.median_us, 0.99));
  {
    // The slowest queries, to see what the tail is made of.
    std::vector<std::size_t> order(mix.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ours.median_us[a] > ours.median_us[b]; });
    std::printf("slowest of ours:\n");
    for (std::size_t i = 0; i < std::min<std::size_t>(order.size(), 15); ++i) {
      const std::size_t q = order[i];
      std::printf("  %8.0f us  %-10s total %7llu  %s\n", ours.median_us[q], kKindNames[static_cast<std::size_t>(mix[q].kind)],
                  static_cast<unsigned long long>(ours.results[q].total), mix[q].url.c_str());
    }
  }

  struct Baseline {
    std::string name;
    double build_s = 0;
    Timings timings;
    Agreement agreement;
  };
  std::vector<Baseline> baselines;
  if (!o.sqlite_out.empty()) {
    start = Clock::now();
    store::build_sqlite_baseline(o.sqlite_out, taxonomy, entries);
    Baseline b{"sqlite", seconds_since(start), {}, {}};
    std::printf("sqlite: built %s in %.1f s\n", o.sqlite_out.c_str(), b.build_s);
    auto sqlite = store::open_sqlite_baseline(o.sqlite_out);
    b.timings = time_mix(mix, o.baseline_runs, [&](const Query& q) { return sqlite->run(q); });
    b.agreement = compare(mix, ours, b.timings, "sqlite");
    baselines.push_back(std::move(b));
  }
  std::unique_ptr<store::Connection> pg;
  if (!o.pg_url.empty()) {
    pg = store::open(o.pg_url);
    start = Clock::now();
    store::build_postgres_baseline(*pg, taxonomy, entries);
    Baseline b{"postgres", seconds_since(start), {}, {}};
    std::printf("postgres: built in %.1f s\n", b.build_s);
    auto postgres = store::postgres_baseline(*pg);
    b.timings = time_mix(mix, o.baseline_runs, [&](const Query& q) { return postgres->run(q); });
    b.agreement = compare(mix, ours, b.timings, "postgres");
    baselines.push_back(std::move(b));
  }

  // The table: per query kind, p50 and p99 of the per-query medians (us), and
  // each baseline's total time on that kind over ours.
  std::printf("\nper-query latency in microseconds (median of the timed runs per query), p50 and p99 by kind;\n"
              "xN = that row's total time on the kind over ours:\n");
  std::printf("%-12s", "");
  for (const char* k : kKindNames) std::printf(" | %-24s", k);
  std::printf(" | %-24s\n", "all");
  print_row("ours", mix, ours, nullptr);
  print_row("ours+facets", faceted, ours_facets, &ours);
  for (const auto& b : baselines) print_row(b.name.c_str(), mix, b.timings, &ours);

  bool failed = false;
  std::printf("\nagreement with ours:\n");
  for (const auto& b : baselines) {
    const Agreement& a = b.agreement;
    std::printf(
        "  %-8s without text: %zu/%zu totals equal, %zu/%zu pages identical; text: %zu/%zu totals equal, "
        "their total / ours %.2f on average, first-page overlap %.0f%%\n",
        b.name.c_str(), a.exact_total_equal, a.exact_queries, a.exact_page_equal, a.exact_queries, a.text_total_equal,
        a.text_queries, a.text_total_ratio_n ? a.text_total_ratio_sum / a.text_total_ratio_n : 0.0,
        a.text_overlap_n ? 100 * a.text_overlap_sum / a.text_overlap_n : 0.0);
    for (const auto& m : a.mismatches) std::printf("    MISMATCH %s\n", m.c_str());
    failed = failed || !a.mismatches.empty();
  }

  const double ours_total = sum(ours.median_us);
  auto ratio_of = [&](std::string_view name) -> std::string {
    for (const auto& b : baselines) {
      if (b.name == name) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", sum(b.timings.median_us) / ours_total);
        return buf;
      }
    }
    return "n/a";
  };
  auto build_of = [&](std::string_view name) -> std::string {
    for (const auto& b : baselines) {
      if (b.name == name) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", b.build_s);
        return buf;
      }
    }
    return "n/a";
  };
  std::printf("\nmean per query: ours %.1f us", ours_total / mix.size());
  for (const auto& b : baselines) std::printf(", %s %.1f us", b.name.c_str(), sum(b.timings.median_us) / mix.size());
  std::printf("\nbuild: ours %.2f s (load from the HSDS tables %.2f s), sqlite %s s, postgres %s s\n", build_s, load_s,
              build_of("sqlite").c_str(), build_of("postgres").c_str());
  if (failed) {
    std::printf("FAIL: totals differ on queries without text\n");
    return 1;
  }
  std::printf(
      "BENCH directory services=%zu p50_us=%.1f p99_us=%.1f http_rps=pending vs_sqlite=%s vs_postgres=%s "
      "build_s=%.2f bytes_per_service=%.0f\n",
      services, p50, p99, ratio_of("sqlite").c_str(), ratio_of("postgres").c_str(), build_s, bytes_per_service);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress lines through `| tee` as they come
  try {
    return run(parse_options(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "directory_bench: %s\n", e.what());
    return 2;
  }
}
