#include "app/serve_command.h"

#include "store/database.h"
#include "store/migrations.h"
#include "web/access_log.h"
#include "web/server.h"
#include "web/site.h"

#include <fmt/format.h>

#include <filesystem>

namespace bespoke::app {
namespace {

// The folder given, or static/ beside the program (where ./dev build puts it).
std::filesystem::path static_dir(const std::string& given) {
  if (!given.empty()) return given;
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

// Builds the search index before listening, so the first search is fast. A
// database that cannot be reached now is not fatal: the first search builds it.
void load_directory(const ServeOptions& options, const store::OpenOptions& open_options, web::Site& site,
                    web::AccessLog& log) {
  try {
    auto db = store::open(options.db, open_options);
    const auto report = site.directory().load(*db);
    log.event("info", "directory index built",
              {{"services", std::to_string(report.services)}, {"seconds", fmt::format("{:.2f}", report.seconds)}});
  } catch (const store::Failure& e) {
    log.event("warning", "directory index not built at start-up; the first search builds it", {{"error", e.what()}});
  }
}

}  // namespace

int run_routes(const std::string& static_dir_flag) {
  const web::Site site(static_dir(static_dir_flag));
  for (const auto& route : site.router().routes()) {
    const char* where = route->options.from_memory    ? "memory, then worker"
                        : route->options.inline_handler ? "I/O thread"
                                                        : "worker";
    fmt::print("{:<7} {:<28} body limit {:>9} B  {}\n", route->method, route->pattern, route->options.body_limit,
               where);
  }
  return 0;
}

int run_serve(const ServeOptions& options) {
  store::OpenOptions open_options;
  open_options.busy_timeout_ms = options.busy_timeout_ms;
  web::AccessLog startup_log;  // the same JSON lines as the server's own log
  if (!prepare_database(options, open_options, startup_log)) return 1;

  web::Site site(static_dir(options.static_dir));
  load_directory(options, open_options, site, startup_log);

  web::ServerOptions server_options;
  server_options.listen = options.listen;
  server_options.io_threads = options.io_threads;
  server_options.workers = options.workers;
  server_options.queue_capacity = options.queue_capacity;
  server_options.max_connections_per_address = options.max_connections_per_address;
  server_options.header_timeout = std::chrono::milliseconds(options.header_timeout_ms);
  server_options.body_timeout = std::chrono::milliseconds(options.body_timeout_ms);

  web::Server server(
      server_options, site.router(), [&] { return store::open(options.db, open_options); },
      [&site](const web::Request& request, int status, std::string_view title, std::string_view detail) {
        return site.errors().respond(request, status, title, detail);
      },
      site.metrics());
  server.start();
  server.run();
  return 0;
}

}  // namespace bespoke::app
