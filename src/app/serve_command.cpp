#include "app/serve_command.h"

#include "store/database.h"
#include "store/migrations.h"
#include "web/access_log.h"
#include "web/errors.h"
#include "web/metrics.h"
#include "web/routes.h"
#include "web/server.h"
#include "web/static_files.h"
#include "web/town_stats_cache.h"
#include "web/views.h"

#include <filesystem>

namespace bespoke::app {
namespace {

std::filesystem::path default_static_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path("static") : exe.parent_path() / "static";
}

// Checks the schema before serving: refuses a database newer than this program,
// applies pending migrations (unless told not to). A database that cannot be
// reached is not fatal: the server starts and /readyz answers 503 until it can.
bool prepare_database(const ServeOptions& options, const store::OpenOptions& open_options, web::AccessLog& log) {
  try {
    auto db = store::open(options.db, open_options);
    auto status = store::schema_status(*db);
    if (status.current > status.latest) {
      const auto current = std::to_string(status.current);
      const auto latest = std::to_string(status.latest);
      log.event("error", "database schema is newer than this program; upgrade bespoke",
                          {{"schema_version", current}, {"program_schema_version", latest}});
      return false;
    }
    if (status.current < status.latest && options.migrate) {
      const int applied = store::migrate(*db);
      const auto count = std::to_string(applied);
      const auto version = std::to_string(store::latest_schema_version());
      log.event("info", "migrations applied", {{"applied", count}, {"schema_version", version}});
    }
  } catch (const store::Failure& e) {
    if (e.kind() == store::FailureKind::schema) {
      log.event("error", e.what());
      return false;
    }
    const auto db = store::redact(options.db);
    log.event("warning", "database unreachable at start-up; /readyz answers 503 until it is",
                        {{"db", db}, {"error", e.what()}});
  }
  return true;
}

}  // namespace

int run_serve(const ServeOptions& options) {
  store::OpenOptions open_options;
  open_options.busy_timeout_ms = options.busy_timeout_ms;
  web::AccessLog startup_log;  // the same JSON lines as the server's own log
  if (!prepare_database(options, open_options, startup_log)) return 1;

  const web::StaticFiles statics(options.static_dir.empty() ? default_static_dir()
                                                            : std::filesystem::path(options.static_dir));
  const web::Views views(statics);
  const web::ErrorPages errors(views);
  web::Metrics metrics;
  web::TownStatsCache town_stats(std::chrono::seconds(60));

  web::Router router;
  web::add_operational_routes(router, metrics);
  web::add_static_routes(router, statics, errors);
  web::add_home_routes(router, views, town_stats);
  web::add_feedback_routes(router, views, errors);

  web::ServerOptions server_options;
  server_options.listen = options.listen;
  server_options.io_threads = options.io_threads;
  server_options.workers = options.workers;
  server_options.queue_capacity = options.queue_capacity;
  server_options.max_connections_per_address = options.max_connections_per_address;
  server_options.header_timeout = std::chrono::milliseconds(options.header_timeout_ms);
  server_options.body_timeout = std::chrono::milliseconds(options.body_timeout_ms);

  web::Server server(
      server_options, router, [&] { return store::open(options.db, open_options); },
      [&errors](const web::Request& request, int status, std::string_view title, std::string_view detail) {
        return errors.respond(request, status, title, detail);
      },
      metrics);
  server.start();
  server.run();
  return 0;
}

}  // namespace bespoke::app
