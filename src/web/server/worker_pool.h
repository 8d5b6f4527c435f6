#pragma once
// Internal to the server. A fixed set of handler threads fed by a bounded queue.
// Each worker owns one database connection, opened on first use, so a handler
// never shares a connection with another thread (store/database.h).
#include "web/metrics.h"
#include "web/router.h"
#include "web/server.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace bespoke::web::detail {

// The database side of one worker, handed to handlers as their RequestContext.
// Used by its worker thread only.
class WorkerContext final : public RequestContext {
 public:
  WorkerContext(const ConnectionFactory& factory, std::chrono::milliseconds ping_after,
                std::atomic<std::int64_t>& open_connections);
  ~WorkerContext() override;
  WorkerContext(const WorkerContext&) = delete;
  WorkerContext& operator=(const WorkerContext&) = delete;

  // Opens the connection if there is none; pings one that has been idle for
  // ping_after and reopens it when the ping fails. Throws store::Failure.
  store::Connection& db() override;

  // After a store::Failure the connection may be broken: it is closed once the
  // request is over (the handler may still hold references to it, say in a
  // transaction guard), and the next request opens a new one.
  void connection_failed() noexcept override;
  void drop_connection() noexcept;
  // Between requests: closes a connection marked failed.
  void request_finished() noexcept;

 private:
  const ConnectionFactory& factory_;
  std::chrono::milliseconds ping_after_;
  std::atomic<std::int64_t>& open_connections_;
  std::unique_ptr<store::Connection> connection_;
  std::chrono::steady_clock::time_point last_used_{};
  bool checked_ = false;  // pinged (or opened) during the current request
  bool failed_ = false;   // connection_failed() during the current request
};

// One unit of work. run() must not throw: it turns every failure into a response.
class Job {
 public:
  virtual ~Job() = default;
  virtual void run(WorkerContext& context) noexcept = 0;
};

class WorkerPool {
 public:
  WorkerPool(int workers, std::size_t queue_capacity, ConnectionFactory factory, std::chrono::milliseconds ping_after);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Thread-safe. False when the queue is full or the pool is stopping: the
  // caller answers 503 at once rather than waiting.
  [[nodiscard]] bool try_submit(std::shared_ptr<Job> job);

  // Refuses new jobs and drops the queued ones (their sessions are released);
  // running jobs go on. Idempotent.
  void close_queue() noexcept;
  // Jobs running now.
  [[nodiscard]] std::int64_t busy() const noexcept { return busy_.load(std::memory_order_relaxed); }

  // close_queue(), then joins the threads: waits, without bound, for running
  // jobs to finish (Server bounds the wait: it checks busy() first). Idempotent.
  void stop() noexcept;

  [[nodiscard]] PoolGauges gauges() const;

 private:
  void work(int index);

  ConnectionFactory factory_;
  std::chrono::milliseconds ping_after_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  // A ring of queue_capacity slots: the queue never allocates after construction.
  std::vector<std::shared_ptr<Job>> ring_;  // guarded by mutex_
  std::size_t head_ = 0;                    // guarded by mutex_
  std::size_t size_ = 0;                    // guarded by mutex_
  bool stopping_ = false;                   // guarded by mutex_
  std::atomic<std::int64_t> busy_{0};
  std::atomic<std::int64_t> open_connections_{0};
  std::vector<std::thread> threads_;
};

}  // namespace bespoke::web::detail
