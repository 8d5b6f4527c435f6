#include "web/town_stats_cache.h"

namespace bespoke::web {

std::shared_ptr<const store::TownStats> TownStatsCache::get(store::Connection& db) {
  {
    std::lock_guard lock(mutex_);
    const bool fresh = stats_ && Clock::now() - loaded_at_ < max_age_;
    if (fresh || (stats_ && refreshing_)) return stats_;
    refreshing_ = true;
  }
  // Read outside the lock; on failure let the next caller try again.
  std::shared_ptr<const store::TownStats> loaded;
  try {
    loaded = std::make_shared<const store::TownStats>(store::read_town_stats(db));
  } catch (...) {
    std::lock_guard lock(mutex_);
    refreshing_ = false;
    throw;
  }
  std::lock_guard lock(mutex_);
  refreshing_ = false;
  stats_ = loaded;
  loaded_at_ = Clock::now();
  return stats_;
}

std::shared_ptr<const store::TownStats> TownStatsCache::peek_fresh() {
  std::lock_guard lock(mutex_);
  return stats_ && Clock::now() - loaded_at_ < max_age_ ? stats_ : nullptr;
}

void TownStatsCache::invalidate() {
  std::lock_guard lock(mutex_);
  stats_.reset();
}

}  // namespace bespoke::web
