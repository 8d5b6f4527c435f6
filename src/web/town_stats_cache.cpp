#include "web/town_stats_cache.h"

namespace bespoke::web {

std::shared_ptr<const store::TownStats> TownStatsCache::get(store::Connection& db) {
  {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (stats_ && (Clock::now() - loaded_at_ < max_age_ || refreshing_)) return stats_;
      if (!refreshing_) break;
      loaded_.wait(lock);  // the first load is under way: wait for it rather than repeat it
    }
    refreshing_ = true;
  }
  // Read outside the lock; on failure wake the waiters so one of them can try.
  std::shared_ptr<const store::TownStats> loaded;
  try {
    loaded = std::make_shared<const store::TownStats>(store::read_town_stats(db));
  } catch (...) {
    std::lock_guard lock(mutex_);
    refreshing_ = false;
    loaded_.notify_all();
    throw;
  }
  std::lock_guard lock(mutex_);
  refreshing_ = false;
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
