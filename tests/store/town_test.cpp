#include "core/ids.h"
#include "demo/calendar.h"
#include "demo/town.h"
#include "store/test_databases.h"
#include "store/town_stats.h"
#include "store/town_writer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
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
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM address").value(), Value{rec.totals.organisations});
  EXPECT_EQ(db.scalar("SELECT SUM(hours_per_month) FROM volunteer").value(),
            Value{rec.totals.volunteer_hours_per_month});
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM service s WHERE NOT EXISTS "
                      "(SELECT 1 FROM schedule h WHERE h.service_id = s.id AND h.freq = 'WEEKLY')")
                .value(),
            Value{std::int64_t{0}});
  const auto uuid = db.scalar("SELECT public_id FROM resident WHERE id = 1");
  ASSERT_TRUE(uuid);
  EXPECT_EQ(std::get<std::string>(*uuid).size(), 36U);

  // An imported organisation that does not say what kind it is counts only in the total.
  db.execute("INSERT INTO organization (id, name, description) VALUES ('00000000-0000-4000-8000-0000000000aa', 'X', 'Y')");
  const TownStats more = read_town_stats(db);
  EXPECT_EQ(more.organisations, s.organisations + 1);
  EXPECT_EQ(more.organisations_by_kind, s.organisations_by_kind);
  EXPECT_EQ(more.locally_owned_organisations, s.locally_owned_organisations);

  // Ordinary inserts after the generator's explicit ids do not collide.
  db.execute("INSERT INTO town (public_id, name, latitude, longitude) VALUES ($1, 'Extra', 52, -2)",
             std::array<Value, 1>{Value{std::string("00000000-0000-4000-8000-000000000000")}});
}

std::int64_t count_of(Connection& db, const std::string& sql) { return Row({db.scalar(sql).value()}).integer(0); }

TEST_P(TownStore, DirectoryRecordsFollowTheConventions) {
  Connection& db = migrated_db();
  TownWriter writer(db, "2026-01-01T00:00:00Z");
  Recording rec(writer);
  demo::generate(demo::DemoSpec::tiny(9), rec);
  const std::int64_t services = rec.totals.services;
  ASSERT_GT(services, 100);

  // Taxonomies: ours from the vocabularies, and the whole of Open Eligibility.
  for (const char* name : {"bespokeProviderKind", "bespokeOrganisation", "bespokeNeed", "bespokeCircumstance",
                           "bespokeAccessibility", "openEligibility"})
    EXPECT_EQ(count_of(db, fmt::format("SELECT COUNT(*) FROM taxonomy WHERE name = '{}' AND id = '{}'", name,
                                       core::taxonomy_uuid(name))),
              1)
        << name;
  EXPECT_EQ(count_of(db, "SELECT COUNT(*) FROM taxonomy_term t JOIN taxonomy x ON x.id = t.taxonomy_id"
                         " WHERE x.name = 'bespokeNeed'"),
            static_cast<std::int64_t>(demo::kNeedCount));
  EXPECT_GT(count_of(db, "SELECT COUNT(*) FROM taxonomy_term t JOIN taxonomy x ON x.id = t.taxonomy_id"
                         " WHERE x.name = 'openEligibility'"),
            250);

  // Every service: exactly one Open Eligibility type, at least one need, an
  // organisation, and a location with an address whose postcode is the place's.
  EXPECT_EQ(count_of(db, "SELECT COUNT(*) FROM service s WHERE (SELECT COUNT(*) FROM attribute a"
                         " JOIN taxonomy_term t ON t.id = a.taxonomy_term_id JOIN taxonomy x ON x.id = t.taxonomy_id"
                         " WHERE a.link_id = s.id AND a.link_entity = 'service' AND a.link_type = 'service_type'"
                         " AND x.name = 'openEligibility') <> 1"),
            0);
  EXPECT_EQ(count_of(db, "SELECT COUNT(*) FROM service s WHERE NOT EXISTS (SELECT 1 FROM attribute a"
                         " JOIN taxonomy_term t ON t.id = a.taxonomy_term_id WHERE a.link_id = s.id"
                         " AND a.link_type = 'need' AND t.taxonomy = 'bespokeNeed')"),
            0);
  EXPECT_EQ(count_of(db, "SELECT COUNT(*) FROM service s WHERE NOT EXISTS"
                         " (SELECT 1 FROM organization o WHERE o.id = s.organization_id)"),
            0);
  EXPECT_EQ(count_of(db, "SELECT COUNT(*) FROM service s WHERE NOT EXISTS (SELECT 1 FROM service_at_location sal"
                         " JOIN location l ON l.id = sal.location_id JOIN address a ON a.location_id = l.id"
                         " JOIN postcode p ON p.postcode = a.postal_code WHERE sal.service_id = s.id"
                         " AND a.country = 'GB' AND a.address_type = 'physical' AND l.latitude IS NOT NULL)"),
            0);
  EXPECT_EQ(count_of(db, "SELECT COUNT(*) FROM address a JOIN location l ON l.id = a.location_id"
                         " JOIN postcode p ON p.postcode = a.postal_code"
                         " WHERE p.latitude - l.latitude > 0.01 OR l.latitude - p.latitude > 0.01"),
            0);
  EXPECT_EQ(count_of(db, "SELECT COUNT(*) FROM contact WHERE service_id IS NOT NULL AND email LIKE '%@%.example'"),
            services);
  EXPECT_EQ(count_of(db, "SELECT COUNT(*) FROM service_capacity c JOIN unit u ON u.id = c.unit_id"), services);
  EXPECT_EQ(count_of(db, "SELECT COUNT(*) FROM language WHERE code = 'en'"), services);
  EXPECT_GT(count_of(db, "SELECT COUNT(*) FROM service WHERE status <> 'active'"), 0);
  EXPECT_LT(count_of(db, "SELECT COUNT(*) FROM service WHERE status <> 'active'"), services / 10);

  // Every attribute's term exists, and so does the record it is on.
  EXPECT_EQ(count_of(db, "SELECT COUNT(*) FROM attribute a WHERE NOT EXISTS"
                         " (SELECT 1 FROM taxonomy_term t WHERE t.id = a.taxonomy_term_id)"),
            0);
  for (const char* entity : {"organization", "location", "service"})
    EXPECT_EQ(count_of(db, fmt::format("SELECT COUNT(*) FROM attribute a WHERE a.link_entity = '{0}' AND NOT EXISTS"
                                       " (SELECT 1 FROM {0} r WHERE r.id = a.link_id)",
                                       entity)),
              0)
        << entity;
  EXPECT_EQ(count_of(db, "SELECT COUNT(*) FROM attribute WHERE link_type = 'accessibility'"),
            count_of(db, "SELECT COUNT(*) FROM accessibility"));
  EXPECT_EQ(count_of(db, "SELECT COUNT(*) FROM attribute WHERE link_type = 'provider_kind'"),
            rec.totals.organisations);
  EXPECT_EQ(count_of(db, "SELECT COUNT(*) FROM organization_identifier WHERE identifier_scheme = 'org-id'"
                         " AND identifier LIKE 'GB-%' AND identifier LIKE identifier_type || '-%'"),
            count_of(db, "SELECT COUNT(*) FROM organization_identifier"));

  // Every id is a UUID.
  for (const char* table : {"organization", "organization_identifier", "location", "address", "accessibility", "phone",
                            "service", "service_at_location", "contact", "schedule", "cost_option", "service_capacity",
                            "unit", "language", "attribute", "taxonomy", "taxonomy_term"})
    for (const auto& r : db.query(fmt::format("SELECT id FROM {}", table))) ASSERT_TRUE(core::is_uuid(r.text(0))) << table;

  // Last verified: on or before the reference date, mostly in the three months before it.
  const std::string today = demo::iso_date(rec.place.reference_date);
  const std::string oldest = demo::iso_date(demo::add_days(rec.place.reference_date, -540));
  const std::string quarter = demo::iso_date(demo::add_days(rec.place.reference_date, -92));
  EXPECT_EQ(count_of(db, fmt::format("SELECT COUNT(*) FROM service WHERE assured_date > '{}' OR assured_date < '{}'"
                                     " OR last_modified < assured_date",
                                     today, oldest)),
            0);
  EXPECT_GT(count_of(db, fmt::format("SELECT COUNT(*) FROM service WHERE assured_date >= '{}'", quarter)),
            services * 7 / 10);

  // Bank holidays: a service open on that weekday has a dated row covering the day.
  std::map<std::string, std::array<bool, 7>> open;
  for (const auto& r : db.query("SELECT service_id, byday FROM schedule WHERE freq = 'WEEKLY'")) {
    auto& days = open[r.text(0)];
    const std::string byday = r.text(1);
    for (std::size_t d = 0; d < demo::kDays.size(); ++d)
      if (byday.find(demo::kDays[d]) != std::string::npos) days[d] = true;
  }
  EXPECT_EQ(static_cast<std::int64_t>(open.size()), services);
  std::map<std::string, std::vector<std::array<std::string, 3>>> dated;  // from, to, closes_at ("" = closed)
  for (const auto& r : db.query("SELECT service_id, valid_from, valid_to, closes_at FROM schedule"
                                " WHERE freq IS NULL AND valid_from IS NOT NULL"))
    dated[r.text(0)].push_back({r.text(1), r.text(2), r.is_null(3) ? std::string() : r.text(3)});
  std::int64_t closed = 0, special = 0;
  for (int year : {2026, 2027}) {
    for (const auto& h : demo::england_and_wales_bank_holidays(year)) {
      const std::string day = demo::iso_date(h.date);
      for (const auto& [service, days] : open) {
        if (!days[static_cast<std::size_t>(demo::weekday(h.date))]) continue;
        const auto& rows = dated[service];
        const auto it = std::find_if(rows.begin(), rows.end(),
                                     [&](const auto& row) { return row[0] <= day && day <= row[1]; });
        ASSERT_NE(it, rows.end()) << service << " has nothing for " << day;
        ++((*it)[2].empty() ? closed : special);
      }
    }
  }
  EXPECT_GT(closed, special);
  EXPECT_GT(special, 0);

  // The place's postcodes: every neighbourhood has several, with its decile.
  EXPECT_EQ(count_of(db, "SELECT COUNT(*) FROM neighbourhood n WHERE (SELECT COUNT(*) FROM postcode p"
                         " WHERE p.neighbourhood_id = n.id AND p.deprivation_decile = n.deprivation_decile"
                         " AND p.area_code = n.code) < 6"),
            0);
  EXPECT_EQ(count_of(db, "SELECT COUNT(*) FROM directory_change WHERE entity = '*' AND record_id = '*'"), 1);
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
      {"household", "INSERT INTO household (public_id, neighbourhood_id, household_type, size, tenure, latitude, longitude)"
                    " SELECT '00000000-0000-4000-8000-00000000000b', MIN(id), 'one_person', 1, 'social_rent', 52, -2"
                    " FROM neighbourhood RETURNING id"},
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
  EXPECT_EQ(s.organisations, t.organisations);
  EXPECT_EQ(s.services, t.services);
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM place").value(), Value{std::int64_t{1}});
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM service_at_location").value(), Value{t.services});
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM attribute WHERE link_type = 'provider_kind'").value(), Value{t.organisations});
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM postcode p WHERE NOT EXISTS"
                      " (SELECT 1 FROM neighbourhood n WHERE n.id = p.neighbourhood_id)")
                .value(),
            Value{std::int64_t{0}});
  // Taxonomies are upserted, not duplicated; each generation asks the search indexes to rebuild.
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM taxonomy WHERE name = 'bespokeNeed'").value(), Value{std::int64_t{1}});
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM directory_change WHERE entity = '*'").value(), Value{std::int64_t{2}});
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
  EXPECT_THROW(db.execute("INSERT INTO service (id, name, status) VALUES ('u3', 'S', 'cartel')"), Failure);
  EXPECT_THROW(db.execute("INSERT INTO address (id, address_1, city, state_province, postal_code, country, address_type)"
                          " VALUES ('u4', '1 Road', 'T', 'S', 'ZA1 1AA', 'GB', 'imaginary')"),
               Failure);
}

BESPOKE_INSTANTIATE_BOTH_DRIVERS(TownStore);

}  // namespace
}  // namespace bespoke::store
