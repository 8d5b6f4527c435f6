#pragma once
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
};

// Prints the route table: method, pattern, body limit, where it runs.
int run_routes(const std::string& static_dir);

// Serves until SIGINT/SIGTERM; returns the exit status (0 after a clean drain).
int run_serve(const ServeOptions& options);

}  // namespace bespoke::app
