// The `bespoke` command. Composition only: it parses flags (CLI11) and hands
// each command to its module. Every flag also reads an environment variable.
#include "app/demo_command.h"
#include "app/export_command.h"
#include "app/import_command.h"
#include "app/migrate_command.h"
#include "app/plans_command.h"
#include "app/privacy_commands.h"
#include "app/report_command.h"
#include "app/serve_command.h"
#include "web/mail/smtp.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <iostream>
#include <thread>

namespace {

int threads_default() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

}  // namespace

int main(int argc, char** argv) {
  using namespace bespoke::app;
  CLI::App app{"Bespoke: local public services that people shape for themselves.", "bespoke"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every command");

  std::string db = "bespoke.db";
  auto add_db = [&db](CLI::App* cmd) {
    cmd->add_option("--db", db, "SQLite file path or postgresql:// URL")->envname("BESPOKE_DB")->capture_default_str();
  };

  ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Serve the web site and the API over HTTP");
  add_db(serve_cmd);
  serve_cmd->add_option("--listen", serve.listen, "Address to listen on, host:port (port 0: any free port)")
      ->envname("BESPOKE_LISTEN")
      ->capture_default_str();
  // Half the cores for network I/O, the rest for handlers that wait on the
  // database: measured best on 2 cores (bench/README.md).
  serve.io_threads = std::max(1, threads_default() / 2);
  serve_cmd->add_option("--threads", serve.io_threads, "Threads for network I/O")
      ->envname("BESPOKE_THREADS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  serve.workers = std::max(2, threads_default() * 2);
  serve_cmd->add_option("--workers", serve.workers, "Handler threads, each with its own database connection")
      ->envname("BESPOKE_WORKERS")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  serve_cmd->add_option("--queue", serve.queue_capacity, "Requests that may wait for a worker before 503")
      ->envname("BESPOKE_QUEUE")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  serve_cmd->add_option("--static-dir", serve.static_dir, "Folder of built assets (default: static/ beside the program)")
      ->envname("BESPOKE_STATIC_DIR");
  serve_cmd->add_option("--busy-timeout-ms", serve.busy_timeout_ms, "How long an SQLite writer waits for the lock")
      ->envname("BESPOKE_BUSY_TIMEOUT_MS")
      ->check(CLI::Range(0, 600'000))
      ->capture_default_str();
  serve_cmd->add_option("--max-connections-per-address", serve.max_connections_per_address,
                        "Open connections allowed from one client address")
      ->envname("BESPOKE_MAX_CONNECTIONS_PER_ADDRESS")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  serve_cmd->add_option("--header-timeout-ms", serve.header_timeout_ms,
                        "Absolute deadline for a request's headers")
      ->envname("BESPOKE_HEADER_TIMEOUT_MS")
      ->check(CLI::Range(100, 600'000))
      ->capture_default_str();
  serve_cmd->add_option("--body-timeout-ms", serve.body_timeout_ms, "Absolute deadline for a request's body")
      ->envname("BESPOKE_BODY_TIMEOUT_MS")
      ->check(CLI::Range(100, 600'000))
      ->capture_default_str();
  serve_cmd->add_flag("!--no-migrate", serve.migrate, "Do not apply pending migrations at start-up")
      ->envname("BESPOKE_NO_MIGRATE");
  serve_cmd->add_flag("--demo", serve.demo,
                      "Demo mode: the demo town's accounts (password bespoke-demo) may sign in, and mail is "
                      "readable at /demo/outbox");
  serve_cmd->add_option("--sign-in-free-attempts", serve.sign_in_free_attempts,
                        "Failed sign-ins per account name (and at least 20 per address) before growing delays; "
                        "raise it only for a security scan of a throwaway server")
      ->envname("BESPOKE_SIGN_IN_FREE_ATTEMPTS")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  std::string smtp_relay;
  serve_cmd->add_option("--smtp", smtp_relay, "Deliver mail through this SMTP relay, HOST[:PORT] (default: keep it in the outbox)")
      ->envname("BESPOKE_SMTP");
  serve.smtp.from = "bespoke@localhost";
  serve_cmd->add_option("--mail-from", serve.smtp.from, "The address mail comes from")
      ->envname("BESPOKE_MAIL_FROM")
      ->capture_default_str();
  serve_cmd->add_flag("--trust-proxy", serve.trust_proxy,
                      "Behind a TLS-terminating proxy: X-Forwarded-Proto: https marks cookies Secure");
  serve_cmd->add_option("--public-url", serve.public_url,
                        "The site's address as users reach it, for links in mail (default: http://LISTEN)");

  DemoOptions demo;
  demo.scale = "town";
  demo.seed = 1;
  demo.threads = threads_default();
  auto* demo_cmd = app.add_subcommand("demo", "Generate the fictional demo place into a database (replacing it)");
  add_db(demo_cmd);
  demo_cmd->add_option("--scale", demo.scale, "town (50k residents), city (500k) or nation (5M)")
      ->envname("BESPOKE_SCALE")
      ->check(CLI::IsMember({"town", "city", "nation"}))
      ->capture_default_str();
  demo_cmd->add_option("--seed", demo.seed, "Seed: the same seed gives the same place")
      ->envname("BESPOKE_SEED")
      ->capture_default_str();
  demo_cmd->add_option("--threads", demo.threads, "Generator threads")
      ->envname("BESPOKE_DEMO_THREADS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();

  auto* import_cmd = app.add_subcommand("import", "Load directory data (HSDS, taxonomies, postcodes) into a database");
  import_cmd->require_subcommand(1);
  ImportHsdsOptions import_hsds;
  auto* import_hsds_cmd = import_cmd->add_subcommand(
      "hsds",
      "Import HSDS 3.x records, all or nothing on errors (warnings are reported and the records kept as given): "
      "JSON files, folders of them, or tabular CSV packages");
  add_db(import_hsds_cmd);
  import_hsds_cmd
      ->add_option("PATH", import_hsds.paths,
                   "A JSON file (services.json, service_list.json, ...), a folder of them, or a folder holding an "
                   "HSDS tabular package (datapackage.json or *.csv)")
      ->required();
  import_hsds_cmd->add_flag("--skip-invalid", import_hsds.skip_invalid,
                            "Write the valid records and report the invalid ones, instead of writing nothing")
      ->envname("BESPOKE_SKIP_INVALID");

  ImportTaxonomyOptions import_taxonomy;
  auto* import_taxonomy_cmd = import_cmd->add_subcommand(
      "taxonomy", "Import a taxonomy: Open Eligibility XML, or a term list as CSV (e.g. an esd list's download)");
  add_db(import_taxonomy_cmd);
  import_taxonomy_cmd->add_option("FILE", import_taxonomy.file, "The XML or CSV file")->required();
  import_taxonomy_cmd->add_option("--name", import_taxonomy.name,
                                  "The taxonomy's CURIE prefix (e.g. esdNeed); required for CSV, "
                                  "always openEligibility for Open Eligibility XML");
  import_taxonomy_cmd->add_option("--uri", import_taxonomy.uri, "The taxonomy's URI (e.g. http://id.esd.org.uk/list/needs)");
  import_taxonomy_cmd->add_option("--description", import_taxonomy.description, "What the taxonomy is (default: its name)");
  import_taxonomy_cmd->add_option("--version", import_taxonomy.version, "The version of the list");
  import_taxonomy_cmd->add_flag("--skip-invalid", import_taxonomy.skip_invalid,
                                "Write the terms that could be read and report the others, instead of writing nothing")
      ->envname("BESPOKE_SKIP_INVALID");

  ImportPostcodesOptions import_postcodes;
  auto* import_postcodes_cmd = import_cmd->add_subcommand(
      "postcodes", "Import the ONS Postcode Directory (ONSPD) CSV: where each postcode is, its area and deprivation");
  add_db(import_postcodes_cmd);
  import_postcodes_cmd->add_option("FILE", import_postcodes.file, "The ONSPD CSV file (e.g. ONSPD_NOV_2025_UK.csv)")
      ->required();

  auto* export_cmd = app.add_subcommand("export", "Write the directory out as files");
  export_cmd->require_subcommand(1);
  ExportHsdsOptions export_hsds;
  auto* export_hsds_cmd = export_cmd->add_subcommand(
      "hsds", "Export the directory as HSDS 3.1: DIR/json (nested JSON) and DIR/csv (the tabular package)");
  add_db(export_hsds_cmd);
  export_hsds_cmd->add_option("DIR", export_hsds.dir, "The folder to write (created if needed)")->required();
  export_hsds_cmd->add_option("--format", export_hsds.format, "json, csv or both")
      ->envname("BESPOKE_EXPORT_FORMAT")
      ->check(CLI::IsMember({"json", "csv", "both"}))
      ->capture_default_str();
  export_hsds_cmd->add_option("--batch", export_hsds.batch, "Records read per query (services nested per batch)")
      ->envname("BESPOKE_EXPORT_BATCH")
      ->check(CLI::Range(1, 100'000))
      ->capture_default_str();

  auto* plans_cmd = app.add_subcommand("plans", "Care and support plans");
  plans_cmd->require_subcommand(1);
  ProposeDefaultsOptions propose_defaults;
  auto* propose_defaults_cmd = plans_cmd->add_subcommand(
      "propose-defaults",
      "Propose a default plan (the plan engine's, marked as such) for everyone assessed more than --after-days ago "
      "who has needs and no agreed plan");
  add_db(propose_defaults_cmd);
  propose_defaults_cmd
      ->add_option("--after-days", propose_defaults.after_days,
                   "Days after the latest assessment before a default plan is proposed")
      ->envname("BESPOKE_DEFAULT_PLAN_AFTER_DAYS")
      ->check(CLI::Range(0, 3650))
      ->capture_default_str();

  auto* report_cmd = app.add_subcommand("report", "Reports for commissioners");
  report_cmd->require_subcommand(1);
  ReportReachOptions report_reach;
  auto* report_reach_cmd = report_cmd->add_subcommand(
      "reach", "Who plans reach, by deprivation decile, on standard output (as /reports/reach.csv)");
  add_db(report_reach_cmd);
  report_reach_cmd->add_option("--format", report_reach.format, "csv (the only format)")
      ->envname("BESPOKE_REPORT_FORMAT")
      ->capture_default_str();

  auto* migrate_cmd = app.add_subcommand("migrate", "Apply pending database migrations");
  add_db(migrate_cmd);

  std::string routes_static_dir;
  auto* routes_cmd = app.add_subcommand("routes", "Print the table of HTTP routes");
  bool routes_demo = false;
  routes_cmd->add_flag("--demo", routes_demo, "Include the routes that exist only under serve --demo");
  routes_cmd->add_option("--static-dir", routes_static_dir, "Folder of built assets (default: static/ beside the program)")
      ->envname("BESPOKE_STATIC_DIR");

  auto* audit_cmd = app.add_subcommand("audit", "The audit log of special-category data");
  audit_cmd->require_subcommand(1);
  auto* audit_verify_cmd = audit_cmd->add_subcommand("verify", "Check the audit log's hash chain; exit 1 if broken");
  add_db(audit_verify_cmd);

  std::string erase_email;
  std::string erase_reason = "right to erasure, on request";
  auto* erase_cmd = app.add_subcommand("erase", "Erase a person's personal data (right to erasure)");
  add_db(erase_cmd);
  erase_cmd->add_option("--email", erase_email, "The email address of their account")->required();
  erase_cmd->add_option("--reason", erase_reason, "Recorded in the audit log")->capture_default_str();

  bespoke::accounts::RetentionPeriods retention;
  int closed_days = static_cast<int>(retention.closed_accounts.count());
  int mail_days = static_cast<int>(retention.sent_mail.count());
  auto* retention_cmd = app.add_subcommand("retention", "Retention of closed and spent records");
  retention_cmd->require_subcommand(1);
  auto* retention_run_cmd =
      retention_cmd->add_subcommand("run", "Pseudonymise closed accounts and delete spent records now");
  add_db(retention_run_cmd);
  for (auto* cmd : {retention_run_cmd, serve_cmd}) {
    cmd->add_option("--retention-closed-days", closed_days, "Days after closing before an account is pseudonymised")
        ->envname("BESPOKE_RETENTION_CLOSED_DAYS")
        ->check(CLI::Range(0, 3650))
        ->capture_default_str();
    cmd->add_option("--retention-mail-days", mail_days, "Days mail is kept in the outbox")
        ->envname("BESPOKE_RETENTION_MAIL_DAYS")
        ->check(CLI::Range(0, 3650))
        ->capture_default_str();
  }

  app.add_subcommand("version", "Print the version of the program and of its database schema");

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help
  } catch (const CLI::ParseError& e) {
    std::cerr << "bespoke: " << e.what() << "\nRun 'bespoke --help' for the commands and their flags.\n";
    return 2;
  }

  retention.closed_accounts = std::chrono::days(closed_days);
  retention.sent_mail = std::chrono::days(mail_days);
  try {
    if (*serve_cmd) {
      serve.db = db;
      if (!smtp_relay.empty() && !bespoke::web::mail::parse_relay(smtp_relay, serve.smtp)) {
        std::cerr << "bespoke serve: --smtp must be HOST or HOST:PORT\n";
        return 2;
      }
      serve.retention = retention;
      return run_serve(serve);
    }
    if (*demo_cmd) {
      demo.db = db;
      return run_demo(demo);
    }
    if (*import_hsds_cmd) {
      import_hsds.db = db;
      return run_import_hsds(import_hsds);
    }
    if (*import_taxonomy_cmd) {
      import_taxonomy.db = db;
      return run_import_taxonomy(import_taxonomy);
    }
    if (*import_postcodes_cmd) {
      import_postcodes.db = db;
      return run_import_postcodes(import_postcodes);
    }
    if (*export_hsds_cmd) {
      export_hsds.db = db;
      return run_export_hsds(export_hsds);
    }
    if (*propose_defaults_cmd) {
      propose_defaults.db = db;
      return run_propose_defaults(propose_defaults);
    }
    if (*report_reach_cmd) {
      report_reach.db = db;
      return run_report_reach(report_reach);
    }
    if (*migrate_cmd) return run_migrate(db);
    if (*audit_verify_cmd) return run_audit_verify(db);
    if (*erase_cmd) return run_erase(db, erase_email, erase_reason);
    if (*retention_run_cmd) return run_retention(db, retention);
    if (*routes_cmd) return run_routes(routes_static_dir, routes_demo);
    return run_version();
  } catch (const std::exception& e) {
    std::cerr << "bespoke: " << e.what() << "\n";
    return 1;
  }
}
