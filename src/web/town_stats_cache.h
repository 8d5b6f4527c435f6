#pragma once
// The home page's figures, read from the database at most once per interval.
// Counting five million residents takes a while; the home page must answer in
// milliseconds, so readers get the last figures while one of them refreshes.
#include "store/town_stats.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>

namespace bespoke::web {

class TownStatsCache {
 public:
  explicit TownStatsCache(std::chrono::seconds max_age) : max_age_(max_age) {}

  // Thread-safe. Exactly one caller reads the database at a time: the first
  // load makes the others wait for it (30 s at most) and share its failure if
  // it fails; later, stale figures are served to the others while one caller
  // refreshes them. Throws store::Failure.
  std::shared_ptr<const store::TownStats> get(store::Connection& db);

  // The figures if they are fresh, without touching the database; else nullptr.
  [[nodiscard]] std::shared_ptr<const store::TownStats> peek_fresh();

 private:
  using Clock = std::chrono::steady_clock;
  const std::chrono::seconds max_age_;
  std::mutex mutex_;
  std::condition_variable loaded_;
  std::shared_ptr<const store::TownStats> stats_;  // guarded by mutex_
  Clock::time_point loaded_at_{};                  // guarded by mutex_
  bool refreshing_ = false;                        // guarded by mutex_
  std::uint64_t generation_ = 0;                   // loads finished; guarded by mutex_
  std::exception_ptr last_error_;                  // of the last load, if it failed; guarded by mutex_
};

}  // namespace bespoke::web
