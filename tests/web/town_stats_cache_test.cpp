#include "web/town_stats_cache.h"

#include "store/database.h"
#include "store/migrations.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>
#include <unistd.h>

namespace bespoke::web {
namespace {

std::string temp_db(const char* name) {
  return (std::filesystem::temp_directory_path() / (std::string(name) + "-" + std::to_string(getpid()) + ".db")).string();
}

TEST(TownStatsCache, LoadsOnceAndServesFromMemoryWhileFresh) {
  const auto path = temp_db("stats-cache");
  auto db = store::open(path);
  store::migrate(*db);
  TownStatsCache cache(std::chrono::seconds(60));
  EXPECT_EQ(cache.peek_fresh(), nullptr);
  const auto first = cache.get(*db);
  EXPECT_FALSE(first->has_town);
  EXPECT_EQ(cache.get(*db), first) << "fresh figures are not read again";
  EXPECT_EQ(cache.peek_fresh(), first);
  db.reset();
  std::filesystem::remove(path);
}

TEST(TownStatsCache, WaitersShareTheFailureOfTheFirstLoad) {
  // A database without the town's tables: every read fails.
  const auto path = temp_db("stats-cache-broken");
  TownStatsCache cache(std::chrono::seconds(60));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto db = store::open(path);
      try {
        (void)cache.get(*db);
      } catch (const store::Failure&) {
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 4);
  EXPECT_EQ(cache.peek_fresh(), nullptr);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace bespoke::web
