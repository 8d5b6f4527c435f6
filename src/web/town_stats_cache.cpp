#include "web/town_stats_cache.h"

namespace bespoke::web {

std::shared_ptr<const store::TownStats> TownStatsCache::get(store::Connection& db) {
  {
    std::unique_lock lock(mutex_);
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    for (;;) {
      if (stats_ && (Clock::now() - loaded_at_ < max_age_ || refreshing_)) return stats_;
      if (!refreshing_) break;
      // The first load is under way: wait for it rather than repeat it.
      const auto generation = generation_;
      if (!loaded_.wait_until(lock, deadline, [&] { return generation_ != generation; }))
        throw store::Failure(store::FailureKind::busy, "the town's figures are still being counted");
      if (last_error_) std::rethrow_exception(last_error_);  // it failed: so does this request, at once
    }
    refreshing_ = true;
  }
  // Read outside the lock.
  std::shared_ptr<const store::TownStats> loaded;
  try {
    loaded = std::make_shared<const store::TownStats>(store::read_town_stats(db));
  } catch (...) {
    std::lock_guard lock(mutex_);
    refreshing_ = false;
    last_error_ = std::current_exception();
    ++generation_;
    loaded_.notify_all();
    throw;
  }
  std::lock_guard lock(mutex_);
  refreshing_ = false;
  last_error_ = nullptr;
  ++generation_;
  stats_ = loaded;
  loaded_at_ = Clock::now();
  loaded_.notify_all();
  return stats_;
}

std::shared_ptr<const store::TownStats> TownStatsCache::peek_fresh() {
  std::lock_guard lock(mutex_);
  return stats_ && Clock::now() - loaded_at_ < max_age_ ? stats_ : nullptr;
}

}  // namespace bespoke::web
