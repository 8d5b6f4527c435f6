#include "store/migrations.h"

#include "store/test_databases.h"

#include <gtest/gtest.h>

#include <thread>

namespace bespoke::store {
namespace {

using testing::BothDrivers;

const std::vector<Migration>& sample() {
  static const std::vector<Migration> m{
      {1, "people", "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
                    "CREATE INDEX person_name ON person (name);"},
      {2, "pets", "CREATE TABLE pet (id INTEGER PRIMARY KEY, owner BIGINT NOT NULL REFERENCES person (id));"},
      {3, "seed", "INSERT INTO person (name) VALUES ('Ada');"},
  };
  return m;
}

TEST(EmbeddedMigrationsTest, AreNumberedInOrder) {
  const auto all = embedded_migrations();
  int last = 0;
  for (const auto& m : all) {
    EXPECT_GT(m.version, last);
    EXPECT_FALSE(m.name.empty());
    EXPECT_FALSE(m.sql.empty());
    last = m.version;
  }
  EXPECT_EQ(latest_schema_version(), last);
}

class MigrationsTest : public BothDrivers {};

TEST_P(MigrationsTest, StatusOfAnEmptyDatabaseIsZero) {
  const auto s = schema_status(db());
  EXPECT_EQ(s.current, 0);
  EXPECT_EQ(s.latest, latest_schema_version());
}

TEST_P(MigrationsTest, ApplyOnceThenNothing) {
  auto& c = db();
  EXPECT_EQ(migrate(c, sample()), 3);
  EXPECT_EQ(c.scalar("SELECT COUNT(*) FROM person"), Value{std::int64_t{1}});
  EXPECT_EQ(migrate(c, sample()), 0);
  EXPECT_EQ(c.scalar("SELECT COUNT(*) FROM person"), Value{std::int64_t{1}});
  const auto rows = c.query("SELECT version, name, applied_at FROM schema_migration ORDER BY version");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].integer(0), 3);
  EXPECT_EQ(rows[2].text(1), "seed");
  EXPECT_EQ(rows[2].text(2).size(), 20u);  // 2026-01-02T03:04:05Z
  // The auto id works after the dialect rewrite, and foreign keys hold.
  c.execute("INSERT INTO pet (owner) VALUES ($1)", std::vector<Value>{std::int64_t{1}});
  EXPECT_THROW(c.execute("INSERT INTO pet (owner) VALUES ($1)", std::vector<Value>{std::int64_t{99}}), Failure);
}

TEST_P(MigrationsTest, AppliesOnlyWhatIsNew) {
  auto& c = db();
  const std::span<const Migration> all(sample());
  EXPECT_EQ(migrate(c, all.first(1)), 1);
  EXPECT_EQ(migrate(c, all), 2);
  EXPECT_EQ(migrate(c, all), 0);
}

TEST_P(MigrationsTest, RefusesANewerDatabase) {
  auto& c = db();
  ASSERT_EQ(migrate(c, sample()), 3);
  try {
    migrate(c, std::span<const Migration>(sample()).first(2));
    FAIL() << "migrated a database newer than the program";
  } catch (const Failure& f) {
    EXPECT_EQ(f.kind(), FailureKind::schema);
    EXPECT_STREQ(f.what(), "database schema version 3 is newer than this program's 2; upgrade bespoke");
  }
  EXPECT_TRUE(c.ping());
}

TEST_P(MigrationsTest, AFailingMigrationLeavesNoTrace) {
  auto& c = db();
  std::vector<Migration> broken(sample().begin(), sample().begin() + 1);
  broken.push_back({2, "broken", "CREATE TABLE half (n BIGINT); SELECT * FROM no_such_table;"});
  EXPECT_THROW(migrate(c, broken), Failure);
  EXPECT_EQ(schema_status(c).current, 1);
  EXPECT_FALSE(c.table_exists("half"));
}

TEST_P(MigrationsTest, EmbeddedMigrationsApplyAndStatusIsCurrent) {
  auto& c = db();
  EXPECT_EQ(migrate(c), static_cast<int>(embedded_migrations().size()));
  EXPECT_EQ(migrate(c), 0);
  const auto s = schema_status(c);
  EXPECT_EQ(s.current, s.latest);
  EXPECT_NO_THROW(require_current_schema(c));
}

TEST_P(MigrationsTest, RequireCurrentSchemaRefusesOlder) {
  if (latest_schema_version() == 0) GTEST_SKIP() << "no embedded migrations yet";
  try {
    require_current_schema(db());
    FAIL();
  } catch (const Failure& f) {
    EXPECT_EQ(f.kind(), FailureKind::schema);
  }
}

TEST_P(MigrationsTest, ConcurrentMigratorsApplyEachMigrationOnce) {
  constexpr int kProcesses = 4;
  std::vector<std::unique_ptr<Connection>> conns;
  for (int i = 0; i < kProcesses; ++i) conns.push_back(connect());
  std::vector<int> applied(kProcesses, -1);
  std::vector<std::string> errors(kProcesses);
  std::vector<std::thread> threads;
  for (int i = 0; i < kProcesses; ++i) {
    threads.emplace_back([&, i] {
      try {
        applied[static_cast<std::size_t>(i)] = migrate(*conns[static_cast<std::size_t>(i)], sample());
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(i)] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  int total = 0;
  for (int i = 0; i < kProcesses; ++i) {
    EXPECT_EQ(errors[static_cast<std::size_t>(i)], "");
    total += std::max(0, applied[static_cast<std::size_t>(i)]);
  }
  EXPECT_EQ(total, 3);
  EXPECT_EQ(db().scalar("SELECT COUNT(*) FROM person"), Value{std::int64_t{1}});
}

BESPOKE_INSTANTIATE_BOTH_DRIVERS(MigrationsTest);

}  // namespace
}  // namespace bespoke::store
