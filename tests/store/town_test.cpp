#include "demo/town.h"
#include "store/test_databases.h"
#include "store/town_stats.h"
#include "store/town_writer.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>
#include <vector>

namespace bespoke::store {
namespace {

using testing::BothDrivers;
using testing::index_list;

// Passes everything to the writer and remembers what the figures should say.
class Recording final : public demo::TownSink {
 public:
  explicit Recording(demo::TownSink& inner) : inner_(inner) {}
  void begin(const demo::Place& p) override {
    place = p;
    for (const auto& n : p.neighbourhoods) decile[n.id] = n.deprivation_decile;
    inner_.begin(p);
  }
  void write(const demo::Chunk& c) override {
    for (const auto& r : c.residents) ++residents_by_decile[decile[r.neighbourhood_id]];
    for (const auto& o : c.organisations) {
      ++by_kind[std::string(demo::code(o.kind))];
      locally_owned += o.locally_owned;
    }
    inner_.write(c);
  }
  void finish(const demo::Totals& t) override {
    totals = t;
    inner_.finish(t);
  }

  demo::Place place;
  demo::Totals totals;
  std::map<std::int64_t, int> decile;
  std::map<int, std::int64_t> residents_by_decile;
  std::map<std::string, std::int64_t> by_kind;
  std::int64_t locally_owned = 0;

 private:
  demo::TownSink& inner_;
};

class TownStore : public BothDrivers {};

TEST_P(TownStore, NoTownBeforeGenerating) {
  const TownStats s = read_town_stats(migrated_db());
  EXPECT_FALSE(s.has_town);
  EXPECT_EQ(s.residents, 0);
}

TEST_P(TownStore, FiguresReadBackEqualWhatWasGenerated) {
  Connection& db = migrated_db();
  TownWriter writer(db, "2026-01-01T00:00:00Z");
  Recording rec(writer);
  demo::DemoSpec spec = demo::DemoSpec::tiny(5);
  spec.threads = 2;
  demo::generate(spec, rec);

  const TownStats s = read_town_stats(db);
  ASSERT_TRUE(s.has_town);
  EXPECT_EQ(s.place_name, rec.place.name);
  EXPECT_EQ(s.scale, "test");
  EXPECT_EQ(s.seed, 5U);
  EXPECT_EQ(s.residents, rec.totals.residents);
  EXPECT_EQ(s.households, rec.totals.households);
  EXPECT_EQ(s.organisations, rec.totals.organisations);
  EXPECT_EQ(s.services, rec.totals.services);
  EXPECT_EQ(s.volunteers, rec.totals.volunteers);
  EXPECT_EQ(s.neighbourhoods, rec.totals.neighbourhoods);
  EXPECT_EQ(s.locally_owned_organisations, rec.locally_owned);
  ASSERT_EQ(s.organisations_by_kind.size(), demo::kProviderKindCount);
  for (std::size_t i = 0; i < demo::kProviderKindCount; ++i) {
    EXPECT_EQ(s.organisations_by_kind[i].first, demo::kProviderKinds[i].code);
    EXPECT_EQ(s.organisations_by_kind[i].second, rec.by_kind[s.organisations_by_kind[i].first]);
  }
  std::int64_t nbs = 0;
  for (const auto& d : s.by_decile) {
    EXPECT_EQ(d.residents, rec.residents_by_decile[d.decile]) << d.decile;
    EXPECT_GT(d.neighbourhoods, 0);
    nbs += d.neighbourhoods;
  }
  EXPECT_EQ(nbs, s.neighbourhoods);

  // The directory rows are there too.
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM resident_need").value(), Value{rec.totals.resident_needs});
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM cost_option").value(), Value{rec.totals.services});
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM location").value(), Value{rec.totals.organisations});
  EXPECT_EQ(db.scalar("SELECT SUM(hours_per_month) FROM volunteer").value(),
            Value{rec.totals.volunteer_hours_per_month});
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM service s WHERE NOT EXISTS "
                      "(SELECT 1 FROM schedule h WHERE h.service_id = s.id)")
                .value(),
            Value{std::int64_t{0}});
  const auto uuid = db.scalar("SELECT public_id FROM resident WHERE id = 1");
  ASSERT_TRUE(uuid);
  EXPECT_EQ(std::get<std::string>(*uuid).size(), 36U);

  // Ordinary inserts after the generator's explicit ids do not collide.
  db.execute("INSERT INTO town (public_id, name, latitude, longitude) VALUES ($1, 'Extra', 52, -2)",
             std::array<Value, 1>{Value{std::string("00000000-0000-4000-8000-000000000000")}});
}

TEST_P(TownStore, EveryIndexIsThereAfterWriting) {
  Connection& db = migrated_db();
  const auto before = index_list(db, driver());
  ASSERT_GT(before.size(), 40U);
  for (int run = 0; run < 2; ++run) {  // the second run replaces a town, with its indexes full
    TownWriter writer(db, "2026-01-01T00:00:00Z");
    demo::generate(demo::DemoSpec::tiny(static_cast<std::uint64_t>(run + 1)), writer);
    EXPECT_EQ(index_list(db, driver()), before) << "run " << run;
  }
  // And in use: a unique index refuses a second row with the same public id.
  const auto uuid = db.scalar("SELECT public_id FROM town WHERE id = 1");
  ASSERT_TRUE(uuid);
  try {
    db.execute("INSERT INTO town (public_id, name, latitude, longitude) VALUES ($1, 'Twin', 52, -2)",
               std::array<Value, 1>{*uuid});
    ADD_FAILURE() << "duplicate public_id accepted";
  } catch (const Failure& f) {
    EXPECT_EQ(f.kind(), FailureKind::constraint) << f.what();
  }
}

TEST_P(TownStore, InsertsAfterWritingGetFreshIds) {
  Connection& db = migrated_db();
  {
    TownWriter writer(db, "2026-01-01T00:00:00Z");
    demo::generate(demo::DemoSpec::tiny(3), writer);
  }
  // One table of each kind of explicit id: few rows, one per service, one per availability slot.
  struct Case {
    const char* table;
    const char* insert;
  };
  const std::array<Case, 3> cases{{
      {"town", "INSERT INTO town (public_id, name, latitude, longitude) VALUES ('00000000-0000-4000-8000-00000000000a',"
               " 'Extra', 52, -2) RETURNING id"},
      {"language", "INSERT INTO language (public_id, name, code) VALUES ('00000000-0000-4000-8000-00000000000b',"
                   " 'Welsh', 'cy') RETURNING id"},
      {"volunteer_availability",
       "INSERT INTO volunteer_availability (volunteer_id, byday, starts_at, ends_at)"
       " SELECT MIN(id), 'MO', '09:00', '10:00' FROM volunteer RETURNING id"},
  }};
  for (const auto& c : cases) {
    const auto max_id = db.scalar(std::string("SELECT MAX(id) FROM ") + c.table);
    ASSERT_TRUE(max_id && !std::holds_alternative<std::monostate>(*max_id)) << c.table << " is empty";
    const auto id = db.scalar(c.insert);
    ASSERT_TRUE(id) << c.table;
    EXPECT_GT(std::get<std::int64_t>(*id), std::get<std::int64_t>(*max_id)) << c.table;
  }
}

TEST_P(TownStore, RegeneratingReplacesTheTown) {
  Connection& db = migrated_db();
  {
    TownWriter writer(db, "2026-01-01T00:00:00Z");
    demo::generate(demo::DemoSpec::tiny(1), writer);
  }
  TownWriter writer(db, "2026-01-02T00:00:00Z");
  const demo::Totals t = demo::generate(demo::DemoSpec::tiny(2), writer);
  const TownStats s = read_town_stats(db);
  EXPECT_EQ(s.seed, 2U);
  EXPECT_EQ(s.residents, t.residents);
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM place").value(), Value{std::int64_t{1}});
}

TEST_P(TownStore, AFailureHalfWayLeavesNothingWritten) {
  Connection& db = migrated_db();
  struct Failing final : demo::TownSink {
    explicit Failing(TownWriter& w) : w(w) {}
    TownWriter& w;
    void begin(const demo::Place& p) override { w.begin(p); }
    void write(const demo::Chunk& c) override {
      if (c.index == 5) throw std::runtime_error("stop");
      w.write(c);
    }
    void finish(const demo::Totals& t) override { w.finish(t); }
  };
  {
    TownWriter writer(db, "2026-01-01T00:00:00Z");
    Failing failing(writer);
    EXPECT_THROW(demo::generate(demo::DemoSpec::tiny(1), failing), std::runtime_error);
  }
  EXPECT_FALSE(read_town_stats(db).has_town);
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM resident").value(), Value{std::int64_t{0}});
}

TEST_P(TownStore, TheSchemaRefusesBadRows) {
  Connection& db = migrated_db();
  db.execute("INSERT INTO town (id, public_id, name, latitude, longitude) VALUES (1, 'u1', 'T', 52, -2)");
  EXPECT_THROW(db.execute("INSERT INTO neighbourhood (public_id, town_id, code, name, latitude, longitude, "
                          "deprivation_decile) VALUES ('u2', 1, 'X', 'N', 52, -2, 11)"),
               Failure);
  EXPECT_THROW(db.execute("INSERT INTO organization (public_id, name, kind) VALUES ('u3', 'O', 'cartel')"), Failure);
}

BESPOKE_INSTANTIATE_BOTH_DRIVERS(TownStore);

}  // namespace
}  // namespace bespoke::store
