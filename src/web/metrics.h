#pragma once
// Prometheus metrics for the server: requests by route and status, a latency
// histogram, open connections and database pool use. Thread-safe.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace bespoke::web {

struct PoolGauges {
  std::int64_t workers = 0;      // size of the worker pool
  std::int64_t busy = 0;         // workers running a handler now
  std::int64_t queued = 0;       // requests waiting for a worker
  std::int64_t connections = 0;  // open database connections held by workers
};

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  void record_request(std::string_view method, std::string_view route, int status, std::chrono::nanoseconds duration,
                      std::uint64_t bytes_sent);
  void connection_opened();
  void connection_closed();
  // A connection over the total or per-address cap, answered 503 and closed.
  void connection_refused();
  void set_pool_source(std::function<PoolGauges()> source);

  // The text exposition format, version 0.0.4.
  [[nodiscard]] std::string render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bespoke::web
