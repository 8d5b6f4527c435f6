#pragma once
#include "accounts/retention.h"
#include "web/mail/smtp.h"

#include <cstddef>
#include <string>

namespace bespoke::app {

struct ServeOptions {
  std::string db = "bespoke.db";
  std::string listen = "127.0.0.1:8080";
  int io_threads = 1;
  int workers = 4;
  std::size_t queue_capacity = 256;
  std::string static_dir;  // empty: static/ beside the executable
  int busy_timeout_ms = 5000;
  std::size_t max_connections_per_address = 256;
  int header_timeout_ms = 10'000;
  int body_timeout_ms = 30'000;
  bool migrate = true;
  bool demo = false;         // the demo town's ready accounts may sign in; /demo/outbox exists
  bool trust_proxy = false;  // believe X-Forwarded-Proto (cookies get Secure behind a TLS proxy)
  std::string public_url;    // for links in mail; empty: http:// + the listen address
  accounts::RetentionPeriods retention;  // applied at start-up and then hourly
  int sign_in_free_attempts = 5;         // failed sign-ins per name before delays start
  web::mail::SmtpConfig smtp;                 // host empty: mail stays in the outbox
};

// Prints the route table: method, pattern, body limit, where it runs.
// With demo, the demo-only routes too.
int run_routes(const std::string& static_dir, bool demo);

// Serves until SIGINT/SIGTERM; returns the exit status (0 after a clean drain).
int run_serve(const ServeOptions& options);

}  // namespace bespoke::app
