#include "web/server/worker_pool.h"

#include "store/database.h"

#include <algorithm>

namespace bespoke::web::detail {

WorkerContext::WorkerContext(const ConnectionFactory& factory, std::chrono::milliseconds ping_after,
                             std::atomic<std::int64_t>& open_connections)
    : factory_(factory), ping_after_(ping_after), open_connections_(open_connections) {}

WorkerContext::~WorkerContext() { drop_connection(); }

store::Connection& WorkerContext::db() {
  if (connection_ && !checked_) {
    checked_ = true;
    // A ping per request would cost a round trip on PostgreSQL; a connection in
    // steady use proves itself, so only one that sat idle is checked.
    if (std::chrono::steady_clock::now() - last_used_ >= ping_after_ && !connection_->ping()) drop_connection();
  }
  if (!connection_) {
    if (!factory_) throw store::Failure(store::FailureKind::unavailable, "no database configured");
    connection_ = factory_();
    if (!connection_) throw store::Failure(store::FailureKind::unavailable, "the connection factory returned none");
    open_connections_.fetch_add(1, std::memory_order_relaxed);
    checked_ = true;
  }
  last_used_ = std::chrono::steady_clock::now();
  return *connection_;
}

void WorkerContext::drop_connection() noexcept {
  if (connection_) {
    connection_.reset();
    open_connections_.fetch_sub(1, std::memory_order_relaxed);
  }
}

void WorkerContext::connection_failed() noexcept { failed_ = true; }

void WorkerContext::request_finished() noexcept {
  if (failed_) drop_connection();
  failed_ = false;
  checked_ = false;
}

WorkerPool::WorkerPool(int workers, std::size_t queue_capacity, ConnectionFactory factory,
                       std::chrono::milliseconds ping_after)
    : factory_(std::move(factory)), ping_after_(ping_after), ring_(std::max<std::size_t>(queue_capacity, 1)) {
  const int n = std::max(workers, 1);
  threads_.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) threads_.emplace_back([this, i] { work(i); });
}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::try_submit(std::shared_ptr<Job> job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || size_ == ring_.size()) return false;
    ring_[(head_ + size_) % ring_.size()] = std::move(job);
    ++size_;
  }
  ready_.notify_one();
  return true;
}

void WorkerPool::close_queue() noexcept {
  // Released outside the lock: a Job's destructor may do work. The ring's slots
  // are moved into a vector sized up front; if even that fails, they are
  // released under the lock, which is safe, only slower.
  std::vector<std::shared_ptr<Job>> dropped;
  try {
    dropped.reserve(ring_.size());
  } catch (...) {
  }
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (; size_ > 0; --size_, head_ = (head_ + 1) % ring_.size()) {
      if (dropped.size() < dropped.capacity()) {
        dropped.push_back(std::move(ring_[head_]));
      } else {
        ring_[head_].reset();
      }
    }
  }
  ready_.notify_all();
}

void WorkerPool::stop() noexcept {
  close_queue();
  for (auto& t : threads_) {
    if (!t.joinable()) continue;
    try {
      t.join();
    } catch (...) {
      // join() throws only for a deadlock (a worker stopping its own pool) or
      // an invalid thread; neither can wait, so leave the thread be.
      t.detach();
    }
  }
}

PoolGauges WorkerPool::gauges() const {
  PoolGauges g;
  {
    std::lock_guard lock(mutex_);
    g.queued = static_cast<std::int64_t>(size_);
  }
  g.workers = static_cast<std::int64_t>(threads_.size());  // fixed after construction
  g.busy = busy_.load(std::memory_order_relaxed);
  g.connections = open_connections_.load(std::memory_order_relaxed);
  return g;
}

void WorkerPool::work(int /*index*/) {
  WorkerContext context(factory_, ping_after_, open_connections_);
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || size_ > 0; });
      if (stopping_) return;
      job = std::move(ring_[head_]);
      head_ = (head_ + 1) % ring_.size();
      --size_;
      busy_.fetch_add(1, std::memory_order_relaxed);
    }
    job->run(context);
    context.request_finished();
    job.reset();
    busy_.fetch_sub(1, std::memory_order_relaxed);
  }
}

}  // namespace bespoke::web::detail
