#pragma once
// The HTTP server: network I/O on an io_context, handlers on a bounded worker
// pool whose workers each own a database connection. Beast and Asio stay inside
// server.cpp and friends; this header shows none of them.
//
//   Listener (accept, per-address cap) -> Session (read with limits and
//   deadlines, write) -> WorkerPool (bounded queue, 503 when full) -> Router ->
//   handler -> Response posted back to the session.
#include "web/http.h"
#include "web/router.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace bespoke::store {
class Connection;
}

namespace bespoke::web {

class Metrics;

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free port
  int io_threads = 1;                     // threads running network I/O
  int workers = 4;                        // handler threads, each with its own database connection
  std::size_t queue_capacity = 64;        // requests waiting for a worker; beyond it: 503 at once
  std::size_t header_limit = 16 * 1024;   // request line + headers; beyond it: 431
  std::size_t url_limit = 8 * 1024;       // request target; beyond it: 414
  // Absolute, to the request's last header byte: on a new connection counted
  // from accept; on a kept-alive one from the first byte of the next request
  // (the wait before that byte is idle_timeout). Trickling bytes cannot extend it.
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};    // absolute: for the whole body
  std::chrono::milliseconds idle_timeout{30'000};    // keep-alive: between requests
  std::chrono::milliseconds write_timeout{30'000};
  // Lowered at start() to what the file descriptor limit allows (start() first
  // raises the soft RLIMIT_NOFILE to the hard limit, then keeps a margin for
  // database connections and files); the "listening" log line shows the value used.
  std::size_t max_connections = 10'000;
  std::size_t max_connections_per_address = 64;
  // In-flight work may finish within this. A handler still running after it
  // (a stuck query) cannot be interrupted: the server logs an error naming how
  // many requests were in flight and exits the process with status 1 (exit_now).
  std::chrono::milliseconds shutdown_grace{20'000};
  // A worker's database connection idle for this long is pinged before reuse
  // (and reopened when the ping fails); 0 pings before every request.
  std::chrono::milliseconds db_ping_after{1'000};
  // Receives each log line (JSON, no newline): access log, "listening", errors.
  // Empty: stderr. Called under a mutex, from any thread.
  std::function<void(std::string_view line)> log_sink;
  // "Exit now": after shutdown_grace with handlers still running, or on a second
  // SIGINT/SIGTERM while draining. Empty (the default): flush stdio and
  // std::_Exit(1). For tests: if it returns, shutdown goes on as before and
  // run() waits for the handlers.
  std::function<void()> exit_now;
};

// Opens a database connection for a worker (called lazily, again after a failure).
using ConnectionFactory = std::function<std::unique_ptr<store::Connection>()>;

// Builds the answer for an error the server itself decides (404, 405, 413, 503, 500...):
// problem+json under /api/, a GOV.UK error page elsewhere.
using ErrorResponder = std::function<Response(const Request&, int status, std::string_view title,
                                              std::string_view detail)>;

class Server {
 public:
  Server(ServerOptions options, const Router& router, ConnectionFactory connections, ErrorResponder errors,
         Metrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Takes over SIGINT and SIGTERM (first of all: from here on they mean a
  // graceful stop, acted on once run() runs), binds and starts listening;
  // returns the bound "host:port" (useful with port 0).
  // Throws std::runtime_error when the address cannot be bound.
  std::string start();

  // Serves until stop() or SIGINT/SIGTERM, then drains: stops accepting, lets
  // in-flight requests finish (within shutdown_grace), closes idle connections.
  // A second SIGINT/SIGTERM while draining exits at once (status 1).
  void run();

  // Thread-safe; may be called from a handler or a signal.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bespoke::web
