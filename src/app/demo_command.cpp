#include "app/demo_command.h"

#include "app/demo_accounts.h"

#include "core/text.h"
#include "core/time.h"
#include "demo/town.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/town_writer.h"

#include <fmt/format.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <system_error>

namespace bespoke::app {
namespace {

using SteadyClock = std::chrono::steady_clock;

using core::format_thousands;

// A bar on a terminal; otherwise a line at each quarter, so logs stay short.
class ProgressReport {
 public:
  explicit ProgressReport(const store::TownWriter& writer)
      : writer_(writer), tty_(isatty(STDERR_FILENO) == 1), start_(SteadyClock::now()) {}

  void update(const demo::Progress& p) {
    const auto now = SteadyClock::now();
    const double pct = p.chunks_total == 0 ? 100.0 : 100.0 * static_cast<double>(p.chunks_done) / static_cast<double>(p.chunks_total);
    const bool last = p.chunks_done == p.chunks_total;
    if (tty_) {
      if (!last && now - last_draw_ < std::chrono::milliseconds(100)) return;
      last_draw_ = now;
      const double secs = std::chrono::duration<double>(now - start_).count();
      const auto rate = secs > 0 ? static_cast<std::int64_t>(static_cast<double>(writer_.rows_written()) / secs) : 0;
      constexpr int width = 30;
      const int filled = static_cast<int>(pct * width / 100);
      fmt::print(stderr, "\r[{}{}] {:5.1f}%  {}  {} residents  {} rows/s  {:.0f}s\033[K",
                 std::string(static_cast<std::size_t>(filled), '#'), std::string(static_cast<std::size_t>(width - filled), '.'),
                 pct, last ? "committing" : "generating", format_thousands(p.totals.residents),
                 format_thousands(rate), secs);
      if (last) fmt::print(stderr, "\n");
    } else {
      while (next_quarter_ <= 4 && pct >= next_quarter_ * 25.0) {
        fmt::print(stderr, "demo: {}% ({} residents, {} organisations)\n", next_quarter_ * 25,
                   format_thousands(p.totals.residents), format_thousands(p.totals.organisations));
        ++next_quarter_;
      }
    }
    std::fflush(stderr);
  }

 private:
  const store::TownWriter& writer_;
  bool tty_;
  SteadyClock::time_point start_;
  SteadyClock::time_point last_draw_{};
  int next_quarter_ = 1;
};

struct Outcome {
  demo::Totals totals;
  std::int64_t rows = 0;
  int accounts = 0;  // the ready demo accounts
};

Outcome write_town(store::Connection& db, const demo::DemoSpec& spec) {
  store::TownWriter writer(db, core::to_iso8601(core::SystemTime{}.now()));
  ProgressReport report(writer);
  Outcome out;
  out.totals = demo::generate(spec, writer, [&](const demo::Progress& p) { report.update(p); });
  out.rows = writer.rows_written();
  out.accounts = add_demo_accounts(db);
  return out;
}

// Replacing a database file that a process has open (`bespoke serve`) would
// corrupt the new file for it: SQLite would go on using the old -shm and -wal.
bool refuse_if_in_use(const std::string& path) {
  if (!store::sqlite_file_in_use(path)) return false;
  fmt::print(stderr, "bespoke demo: {} is in use by another process (is bespoke serve running?); stop it first\n", path);
  return true;
}

// nullopt when the file turned out to be in use just before replacing it.
std::optional<Outcome> demo_sqlite(const std::string& path, const demo::DemoSpec& spec) {
  namespace fs = std::filesystem;
  const std::string tmp = fmt::format("{}.tmp-{}", path, getpid());
  std::error_code ec;
  const auto remove_tmp = [&] {
    fs::remove(tmp, ec);
    fs::remove(tmp + "-wal", ec);
    fs::remove(tmp + "-shm", ec);
  };
  remove_tmp();
  Outcome out;
  try {
    {
      auto db = store::open(tmp, store::OpenOptions{.bulk_load = true});
      store::migrate(*db);
      out = write_town(*db, spec);
    }
    // Reopening normally switches the file to WAL (durable) before it goes live.
    { auto db = store::open(tmp); }
    // Checked again: a server may have started while we generated.
    if (refuse_if_in_use(path)) {
      remove_tmp();
      return std::nullopt;
    }
    // A WAL left by an old file at this path must not be replayed into the new one.
    fs::remove(path + "-wal", ec);
    fs::remove(path + "-shm", ec);
    fs::rename(tmp, path);
  } catch (...) {
    remove_tmp();
    throw;
  }
  return out;
}

}  // namespace

int run_demo(const DemoOptions& options) {
  auto spec = demo::DemoSpec::for_scale(options.scale, options.seed);
  if (!spec) {
    fmt::print(stderr, "bespoke demo: {}\n", spec.error().message);
    return 2;
  }
  spec->threads = options.threads;
  // An SQLite database is a file, replaced whole; PostgreSQL is written in place.
  const bool sqlite_file = store::driver_for(options.db) == store::Driver::sqlite;
  // Checked before generating too, so as not to work for minutes and then refuse.
  if (sqlite_file && refuse_if_in_use(options.db)) return 1;
  const auto start = SteadyClock::now();
  fmt::print(stderr, "demo: generating a {} (seed {}) into {}\n", options.scale, options.seed,
             store::redact(options.db));

  Outcome out;
  if (sqlite_file) {
    auto written = demo_sqlite(options.db, *spec);
    if (!written) return 1;
    out = *written;
  } else {
    // One transaction replaces the whole place: deleting a city's residents alone
    // checks millions of foreign keys, far beyond a web request's statement timeout.
    auto db = store::open(options.db, store::OpenOptions{.statement_timeout_ms = 0});
    store::migrate(*db);
    out = write_town(*db, *spec);
  }

  const double secs = std::chrono::duration<double>(SteadyClock::now() - start).count();
  const auto& t = out.totals;
  fmt::print("{} {} (seed {}): {} neighbourhoods in {} town{}, {} households, {} residents, {} organisations, "
             "{} services, {} volunteers giving {} hours a month, {} demo accounts; {} rows in {:.1f} s\n",
             options.scale, store::redact(options.db), options.seed, format_thousands(t.neighbourhoods), t.towns,
             t.towns == 1 ? "" : "s", format_thousands(t.households), format_thousands(t.residents),
             format_thousands(t.organisations), format_thousands(t.services), format_thousands(t.volunteers),
             format_thousands(t.volunteer_hours_per_month), out.accounts, format_thousands(out.rows), secs);
  return 0;
}

}  // namespace bespoke::app
