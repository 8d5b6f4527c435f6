#include "store/migrations.h"

#include "hsds/test_files.h"
#include "store/hsds_store.h"
#include "web/hsds/csv_package.h"
#include "web/hsds/json_read.h"
// GCC 12 at -O3 reports a false -Wrestrict inside test_databases.h's
// with_database (std::string operator+ inlined); the header is shared.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wrestrict"
#include "store/test_databases.h"
#pragma GCC diagnostic pop

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

// The HSDS 3.1 examples (JSON and CSV) as 0003's tables take them: references
// to records the examples do not hold (a term's parent, the parent
// organization, ...) left out.
hsds::RecordSet examples_for_0003() {
  namespace test_files = hsds::test_files;
  hsds::RecordSet set;
  for (const auto& path : test_files::json_files("hsds-3.1/examples"))
    if (const auto e = hsds::entity_for_file(path.filename().string()))
      (void)hsds::read_json(test_files::read_text(path), e->get(), path.filename().string(), set);
  (void)hsds::read_csv_package(test_files::reference_dir() / "hsds-3.1/examples/csv", set);
  hsds::RecordSet out;
  for (const auto& e : hsds::entities())
    for (const auto* r : set.all(e)) {
      hsds::Record copy = *r;
      for (std::size_t i = 0; i < e.fields.size(); ++i) {
        const auto* target = std::get_if<std::string>(&copy.values[i]);
        if (!e.fields[i].references.empty() && target && !set.contains(hsds::entity(e.fields[i].references), *target))
          copy.values[i] = std::monostate{};
      }
      out.add(std::move(copy));
    }
  return out;
}

// Every row of every HSDS table.
hsds::RecordSet everything(Connection& c) {
  hsds::RecordSet out;
  for (const auto& e : hsds::entities()) for_each_batch(c, e, 100, [&](const hsds::RecordSet& batch) { out.merge(batch); });
  return out;
}

TEST_P(MigrationsTest, Migration4KeepsTheDirectoryAndLetsReferencesPointAtNothing) {
  auto& c = db();
  const auto all = embedded_migrations();
  ASSERT_GE(all.size(), 4u);
  ASSERT_EQ(all[3].version, 4);
  ASSERT_EQ(migrate(c, std::span<const Migration>(all).first(3)), 3);

  // A directory with a record of every entity, written under 0003.
  const auto examples = examples_for_0003();
  for (const auto& e : hsds::entities()) ASSERT_GT(examples.size(e), 0u) << e.name;
  {
    Transaction tx(c, TxMode::write);
    upsert_records(c, examples);
    // References within a table survive the rebuild too (SQLite drops a table
    // by deleting its rows first).
    c.execute("INSERT INTO organization (id, name, description) VALUES ('o-parent', 'P', 'd')");
    c.execute("INSERT INTO organization (id, name, description, parent_organization_id) VALUES ('o-child', 'C', 'd', "
              "'o-parent')");
    c.execute("INSERT INTO taxonomy_term (id, name, description) VALUES ('t-broad', 'B', 'd')");
    c.execute("INSERT INTO taxonomy_term (id, name, description, parent_id) VALUES ('t-narrow', 'N', 'd', 't-broad')");
    tx.commit();
  }
  // 0003 refuses a reference to nothing (at commit).
  const auto dangling = [&] {
    Transaction tx(c, TxMode::write);
    c.execute("INSERT INTO service (id, organization_id, name, status) VALUES ('s-dangling', 'nowhere', 'S', 'active')");
    c.execute("INSERT INTO phone (id, service_id, number) VALUES ('p-dangling', 'nowhere', '1')");
    c.execute("INSERT INTO taxonomy_term (id, name, description, parent_id) VALUES ('t-dangling', 'T', 'd', 'nowhere')");
    c.execute("INSERT INTO organization_identifier (id, organization_id, identifier_scheme, identifier) "
              "VALUES ('i-typeless', 'nowhere', 'GB-CHC', '1234567')");
    tx.commit();
  };
  EXPECT_THROW(dangling(), Failure);
  const auto before = everything(c);
  EXPECT_EQ(before.size(), examples.size() + 4);

  ASSERT_EQ(migrate(c), latest_schema_version() - 3);
  EXPECT_EQ(schema_status(c).current, latest_schema_version());
  // Every row as it was, every column.
  EXPECT_EQ(everything(c), before);
  // Now it stores them.
  EXPECT_NO_THROW(dangling());
  EXPECT_EQ(c.scalar("SELECT COUNT(*) FROM phone WHERE service_id = 'nowhere'"), Value{std::int64_t{1}});
  // The rest of 0003's checks hold: required fields, enums.
  EXPECT_THROW(c.execute("INSERT INTO service (id, status) VALUES ('s-nameless', 'active')"), Failure);
  EXPECT_THROW(c.execute("INSERT INTO service (id, name, status) VALUES ('s-cartel', 'S', 'cartel')"), Failure);
  EXPECT_THROW(c.execute("INSERT INTO organization_identifier (id, identifier_type) VALUES ('i-2', 'x')"), Failure);
  EXPECT_THROW(c.execute("INSERT INTO address (id, address_1, city, state_province, postal_code, country, address_type)"
                         " VALUES ('a-1', '1 Road', 'T', 'S', 'ZA1 1AA', 'GB', 'imaginary')"),
               Failure);
  // And the indexes are back.
  const auto loaded = load_tree(c, hsds::entity("service"), std::vector<std::string>{"ac148810-d857-441c-9679-408f346de14b"});
  EXPECT_GT(loaded.size(), 10u);
}

TEST_P(MigrationsTest, Migration6PointsDelegationsAtTheRecordAndKeepsThem) {
  auto& c = db();
  const auto all = embedded_migrations();
  ASSERT_GE(all.size(), 6u);
  ASSERT_EQ(all[5].version, 6);
  ASSERT_EQ(migrate(c, std::span<const Migration>(all).first(5)), 5);
  {
    Transaction tx(c, TxMode::write);
    c.execute("INSERT INTO account (id, public_id, email, display_name, password_hash, resident_id, created_at) VALUES "
              "(1, 'a1', 'resident@example.org', 'R', '!', 501, 't'), "
              "(2, 'a2', 'daughter@example.org', 'D', '!', NULL, 't'), "
              "(3, 'a3', 'recordless@example.org', 'N', '!', NULL, 't')");
    c.execute("INSERT INTO delegation (resident_account_id, delegate_account_id, scope, granted_by_account_id, reason, "
              "granted_at, until, withdrawn_at) VALUES "
              "(1, 2, 'needs plan', 1, 'granted by the resident', '2026-01-01T00:00:00Z', '2027-01-01T23:59:59Z', NULL), "
              "(1, 2, 'budget', 1, 'granted by the resident', '2025-01-01T00:00:00Z', NULL, '2025-06-01T00:00:00Z'), "
              "(3, 2, 'needs', 3, 'granted by the resident', '2026-01-01T00:00:00Z', NULL, NULL)");
    tx.commit();
  }
  ASSERT_EQ(migrate(c), latest_schema_version() - 5);
  const auto rows = c.query("SELECT resident_id, delegate_account_id, scope, granted_by_account_id, until, withdrawn_at "
                            "FROM delegation ORDER BY id");
  // The account without a record had nothing a delegate could act on.
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].integer(0), 501);
  EXPECT_EQ(rows[0].integer(1), 2);
  EXPECT_EQ(rows[0].text(2), "needs plan");
  EXPECT_EQ(rows[0].integer(3), 1);
  EXPECT_EQ(rows[0].optional_text(4), "2027-01-01T23:59:59Z");
  EXPECT_FALSE(rows[0].optional_text(5));
  EXPECT_EQ(rows[1].optional_text(5), "2025-06-01T00:00:00Z");
  // New rows get ids after the old ones (PostgreSQL's identity included).
  c.execute("INSERT INTO delegation (resident_id, delegate_account_id, scope, granted_by_account_id, reason, granted_at) "
            "VALUES (502, 2, 'needs', 2, 'capacity', 't')");
  EXPECT_EQ(c.query("SELECT COUNT(DISTINCT id) FROM delegation").front().integer(0), 3);
}

BESPOKE_INSTANTIATE_BOTH_DRIVERS(MigrationsTest);

}  // namespace
}  // namespace bespoke::store
