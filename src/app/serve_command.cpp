#include "app/serve_command.h"

#include "accounts/sign_in_rules.h"
#include "app/periodic_job.h"
#include "store/database.h"
#include "store/mail_store.h"
#include "store/migrations.h"
#include "store/retention_store.h"
#include "web/access_log.h"
#include "web/server.h"
#include "web/site.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>

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

// The scheduled retention run (hourly): a failure is logged and retried next time.
void run_retention(const ServeOptions& options, const store::OpenOptions& open_options, web::AccessLog& log) {
  try {
    auto db = store::open(options.db, open_options);
    const auto now = core::SystemTime{}.now();
    const accounts::SessionLimits limits;
    const auto r = store::apply_retention(
        *db, accounts::retention_cutoffs(options.retention, now, limits.idle, limits.absolute), now);
    log.event("info", "retention run",
              {{"accounts_pseudonymised", std::to_string(r.accounts_pseudonymised)},
               {"sessions_deleted", std::to_string(r.sessions_deleted)},
               {"links_deleted", std::to_string(r.links_deleted)},
               {"mail_deleted", std::to_string(r.mail_deleted)}});
  } catch (const std::exception& e) {
    log.event("warning", "retention run failed; retried in an hour", {{"error", e.what()}});
  }
}

// Delivers queued mail through the SMTP relay. A failed message is retried
// later (after 1, 2, 4 ... minutes, up to an hour) and given up after 10 tries.
void deliver_mail(const ServeOptions& options, const store::OpenOptions& open_options, web::AccessLog& log) {
  constexpr int kMaxAttempts = 10;
  try {
    auto db = store::open(options.db, open_options);
    for (const auto& m : store::mail_to_send(*db, core::SystemTime{}.now(), kMaxAttempts, 50)) {
      const auto error = web::mail::send(options.smtp, {m.to, m.subject, m.body});
      const auto now = core::SystemTime{}.now();
      if (!error) {
        store::mark_mail_sent(*db, m.id, now);
        continue;
      }
      log.event("warning", "mail not delivered; retried later", {{"mail_id", std::to_string(m.id)}, {"error", *error}});
      store::mark_mail_failed(*db, m.id, *error, now + std::chrono::minutes(1));
    }
  } catch (const std::exception& e) {
    log.event("warning", "mail delivery failed; retried shortly", {{"error", e.what()}});
  }
}

}  // namespace

int run_routes(const std::string& static_dir_flag, bool demo) {
  web::AuthOptions auth;
  auth.demo = demo;
  const web::Site site(static_dir(static_dir_flag), auth);
  for (const auto& route : site.router().routes()) {
    const char* where = route->options.from_memory    ? "memory, then worker"
                        : route->options.inline_handler ? "I/O thread"
                                                        : "worker";
    fmt::print("{:<7} {:<32} {:<22} body limit {:>9} B  {}\n", route->method, route->pattern,
               policy::action_name(route->action), route->options.body_limit, where);
  }
  return 0;
}

int run_serve(const ServeOptions& options) {
  store::OpenOptions open_options;
  open_options.busy_timeout_ms = options.busy_timeout_ms;
  web::AccessLog startup_log;  // the same JSON lines as the server's own log
  if (!prepare_database(options, open_options, startup_log)) return 1;

  web::AuthOptions auth;
  auth.demo = options.demo;
  auth.trust_proxy = options.trust_proxy;
  auth.closed_account_days = static_cast<int>(options.retention.closed_accounts.count());
  auth.throttle.free_per_name = options.sign_in_free_attempts;
  auth.throttle.free_per_address = std::max(options.sign_in_free_attempts, auth.throttle.free_per_address);
  auth.public_url = options.public_url.empty() ? "http://" + options.listen : options.public_url;
  while (auth.public_url.ends_with('/')) auth.public_url.pop_back();
  web::Site site(static_dir(options.static_dir), auth);
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
  PeriodicJob retention(std::chrono::hours(1), [&] { run_retention(options, open_options, startup_log); });
  std::optional<PeriodicJob> mail_sender;
  if (!options.smtp.host.empty())
    mail_sender.emplace(std::chrono::seconds(5), [&] { deliver_mail(options, open_options, startup_log); });
  server.run();
  return 0;
}

}  // namespace bespoke::app
