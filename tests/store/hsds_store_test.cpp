#include "store/hsds_store.h"

#include "web/hsds/json_read.h"
#include "hsds/test_files.h"
#include "store/hsds_database_test.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bespoke::store {
namespace {

namespace test_files = hsds::test_files;

class HsdsStoreTest : public testing::HsdsDatabaseTest {
 protected:
  static hsds::RecordSet read_example(const std::string& relative) {
    const auto path = test_files::reference_dir() / relative;
    const auto entity = hsds::entity_for_file(path.filename().string());
    EXPECT_TRUE(entity.has_value()) << relative;
    hsds::RecordSet set;
    if (!entity) return set;
    // The examples have slips (link_entity "link_entity", a metadata row's
    // resource_type "location" under a service): the reader reports them,
    // which is not what this test is about.
    (void)hsds::read_json(test_files::read_text(path), entity->get(), relative, set);
    // A reference the example leaves dangling (a term's parent_id) is stored
    // as given (migration 0004) but nests nothing when loaded back, which
    // this comparison of trees is not about: drop it.
    hsds::RecordSet out;
    for (const auto& e : hsds::entities()) {
      for (const auto* r : set.all(e)) {
        hsds::Record copy = *r;
        for (std::size_t i = 0; i < e.fields.size(); ++i) {
          const auto& f = e.fields[i];
          const auto* target = std::get_if<std::string>(&copy.values[i]);
          if (!f.references.empty() && target && !set.contains(hsds::entity(f.references), *target))
            copy.values[i] = std::monostate{};
        }
        // An attribute (metadata) naming the wrong entity is not nested under
        // its record, so it would not come back: say nothing instead.
        for (const auto& [id_field, entity_field] : {std::pair{"link_id", "link_entity"}, std::pair{"resource_id", "resource_type"}}) {
          const auto owner = copy.text(entity_field);
          const auto owner_id = copy.text(id_field);
          if (owner && owner_id) {
            const auto* owner_entity = hsds::find_entity(*owner);
            if (!owner_entity || !set.contains(*owner_entity, *owner_id)) copy.set(entity_field, std::monostate{});
          }
        }
        out.add(std::move(copy));
      }
    }
    return out;
  }

  static std::vector<std::string> ids_of(const hsds::RecordSet& set, const hsds::Entity& e) {
    std::vector<std::string> out;
    for (const auto* r : set.all(e)) out.push_back(r->id());
    return out;
  }
};

hsds::Record make(const char* entity, std::initializer_list<std::pair<const char*, hsds::Value>> values) {
  hsds::Record r(hsds::entity(entity));
  for (const auto& [k, v] : values) r.set(k, v);
  return r;
}

constexpr const char* kOrg = "11111111-1111-4111-8111-111111111111";
constexpr const char* kService = "22222222-2222-4222-8222-222222222222";
constexpr const char* kPhone = "33333333-3333-4333-8333-333333333333";

hsds::RecordSet small_set() {
  hsds::RecordSet set;
  set.add(make("organization", {{"id", std::string(kOrg)}, {"name", std::string("Org")},
                                {"description", std::string("An organisation")}, {"year_incorporated", 1999.0}}));
  set.add(make("service", {{"id", std::string(kService)},
                           {"organization_id", std::string(kOrg)},
                           {"name", std::string("Food bank")},
                           {"status", std::string("active")},
                           {"minimum_age", 16.5}}));
  set.add(make("phone", {{"id", std::string(kPhone)}, {"service_id", std::string(kService)},
                         {"number", std::string("01234 567890")}}));
  return set;
}

TEST_P(HsdsStoreTest, UpsertThenLoadTreeGivesTheSameRecords) {
  const auto set = small_set();
  write(set);
  const std::vector<std::string> ids{kService};
  const auto loaded = load_tree(db(), hsds::entity("service"), ids);
  EXPECT_EQ(loaded, set);
  EXPECT_EQ(loaded.find(hsds::entity("service"), kService)->number("minimum_age"), 16.5);
}

TEST_P(HsdsStoreTest, UpsertReplacesEveryColumnOfAnExistingRecord) {
  write(small_set());
  hsds::RecordSet update;
  update.add(make("service", {{"id", std::string(kService)},
                              {"organization_id", std::string(kOrg)},
                              {"name", std::string("Food bank (renamed)")},
                              {"status", std::string("inactive")}}));
  write(update);
  EXPECT_EQ(count(db(), hsds::entity("service")), 1);
  const std::vector<std::string> ids{kService};
  const auto loaded = load_tree(db(), hsds::entity("service"), ids);
  const auto* s = loaded.find(hsds::entity("service"), kService);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->text("name"), "Food bank (renamed)");
  EXPECT_EQ(s->text("status"), "inactive");
  EXPECT_FALSE(s->number("minimum_age").has_value());  // absent now: NULL
  EXPECT_TRUE(loaded.contains(hsds::entity("phone"), kPhone));  // children the update did not hold stay
}

TEST_P(HsdsStoreTest, ExistsAndCount) {
  EXPECT_FALSE(exists(db(), hsds::entity("service"), kService));
  EXPECT_EQ(count(db(), hsds::entity("service")), 0);
  write(small_set());
  EXPECT_TRUE(exists(db(), hsds::entity("service"), kService));
  EXPECT_FALSE(exists(db(), hsds::entity("organization"), kService));
  EXPECT_EQ(count(db(), hsds::entity("phone")), 1);
}

TEST_P(HsdsStoreTest, LoadTreeLeavesOutUnknownIds) {
  write(small_set());
  const std::vector<std::string> ids{"99999999-9999-4999-8999-999999999999"};
  EXPECT_TRUE(load_tree(db(), hsds::entity("service"), ids).empty());
}

TEST_P(HsdsStoreTest, ServiceFullExampleRoundTrips) {
  for (const char* example : {"hsds-3.1/examples/service_full.json", "hsds-3.0/examples/service_full.json"}) {
    SCOPED_TRACE(example);
    const auto set = read_example(example);
    ASSERT_FALSE(set.empty());
    write(set);
    const auto& service = hsds::entity("service");
    const auto loaded = load_tree(db(), service, ids_of(set, service));
    if (std::string_view(example).starts_with("hsds-3.1")) {
      EXPECT_EQ(loaded.size(), set.size());  // a fresh database
    }
    for (const auto& e : hsds::entities()) {
      for (const auto* r : set.all(e)) {
        const auto* got = loaded.find(e, r->id());
        if (got == nullptr) {
          ADD_FAILURE() << "not loaded: " << e.name << " " << r->id();
        } else {
          EXPECT_EQ(*got, *r) << e.name << " " << r->id();
        }
      }
    }
  }
}

TEST_P(HsdsStoreTest, FullExamplesOfOtherEntitiesRoundTrip) {
  for (const auto& [example, root] : {std::pair{"hsds-3.1/examples/service_at_location_full.json", "service_at_location"},
                                      std::pair{"hsds-3.1/examples/organization_full.json", "organization"},
                                      std::pair{"hsds-3.1/examples/location.json", "location"}}) {
    SCOPED_TRACE(example);
    const auto set = read_example(example);
    ASSERT_FALSE(set.empty());
    write(set);
    // The example nests records the model does not (service_at_location.service):
    // load from every root the example holds.
    hsds::RecordSet loaded = load_tree(db(), hsds::entity(root), ids_of(set, hsds::entity(root)));
    for (const char* other : {"service", "organization"}) loaded.merge(load_tree(db(), hsds::entity(other), ids_of(set, hsds::entity(other))));
    // Everything the example holds comes back as it was (load_tree may find more:
    // the earlier examples share a database).
    for (const auto& entity : hsds::entities()) {
      for (const auto* r : set.all(entity)) {
        const auto* got = loaded.find(entity, r->id());
        if (got == nullptr) {
          ADD_FAILURE() << "not loaded: " << entity.name << " " << r->id();
        } else {
          EXPECT_EQ(*got, *r) << entity.name << " " << r->id();
        }
      }
    }
  }
}

// Forwards to a real connection, counting the statements.
class CountingConnection final : public Connection {
 public:
  explicit CountingConnection(Connection& inner) : inner_(inner) {}
  [[nodiscard]] Driver driver() const noexcept override { return inner_.driver(); }
  std::vector<Row> query(std::string_view sql, std::span<const Value> params) override {
    ++queries;
    return inner_.query(sql, params);
  }
  std::int64_t execute(std::string_view sql, std::span<const Value> params) override {
    ++queries;
    return inner_.execute(sql, params);
  }
  void execute_script(std::string_view sql) override { inner_.execute_script(sql); }
  void begin(TxMode mode) override { inner_.begin(mode); }
  void commit() override { inner_.commit(); }
  void rollback() noexcept override { inner_.rollback(); }
  [[nodiscard]] bool ping() noexcept override { return inner_.ping(); }
  int queries = 0;

 private:
  Connection& inner_;
};

TEST_P(HsdsStoreTest, LoadTreeOfManyServicesUsesFewQueries) {
  // 300 services with phones, attributes and an organization each: the same
  // number of queries whatever the number of ids (batched IN lists).
  hsds::RecordSet set;
  set.add(make("taxonomy", {{"id", std::string("aaaaaaaa-0000-4000-8000-000000000000")},
                            {"name", std::string("t")},
                            {"description", std::string("t")}}));
  set.add(make("taxonomy_term", {{"id", std::string("aaaaaaaa-0000-4000-8000-000000000001")},
                                 {"taxonomy_id", std::string("aaaaaaaa-0000-4000-8000-000000000000")},
                                 {"name", std::string("term")},
                                 {"description", std::string("term")}}));
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) {
    const auto hex = [&](int kind) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%08d-0000-4000-8000-%012d", kind, i);
      return std::string(buf);
    };
    set.add(make("organization", {{"id", hex(1)}, {"name", std::string("o")}, {"description", std::string("d")}}));
    set.add(make("service", {{"id", hex(2)}, {"organization_id", hex(1)}, {"name", std::string("s")},
                             {"status", std::string("active")}}));
    set.add(make("phone", {{"id", hex(3)}, {"service_id", hex(2)}, {"number", std::string("1")}}));
    set.add(make("attribute", {{"id", hex(4)},
                               {"link_id", hex(2)},
                               {"link_entity", std::string("service")},
                               {"link_type", std::string("need")},
                               {"taxonomy_term_id", std::string("aaaaaaaa-0000-4000-8000-000000000001")}}));
    if (i < 250) ids.push_back(hex(2));
  }
  write(set);
  CountingConnection counting(db());
  const auto one = load_tree(counting, hsds::entity("service"), std::span(ids).first(1));
  EXPECT_EQ(one.size(hsds::entity("phone")), 1u);
  const int for_one = counting.queries;
  counting.queries = 0;
  const auto loaded = load_tree(counting, hsds::entity("service"), ids);
  // About the same number of queries for 250 services as for 1 (an IN list
  // holds up to 512 ids; a round with more needs a second statement).
  EXPECT_LE(counting.queries, for_one + 4);
  EXPECT_LT(for_one, 60);
  EXPECT_EQ(loaded.size(hsds::entity("service")), 250u);
  EXPECT_EQ(loaded.size(hsds::entity("organization")), 250u);
  EXPECT_EQ(loaded.size(hsds::entity("phone")), 250u);
  EXPECT_EQ(loaded.size(hsds::entity("attribute")), 250u);
  EXPECT_EQ(loaded.size(hsds::entity("taxonomy_term")), 1u);
  EXPECT_EQ(loaded.size(hsds::entity("taxonomy")), 1u);
}

TEST_P(HsdsStoreTest, ForEachBatchStreamsATableInIdOrder) {
  hsds::RecordSet set;
  for (int i = 0; i < 25; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
    set.add(make("organization", {{"id", std::string(id)}, {"name", std::string("o")}, {"description", std::string("d")}}));
  }
  write(set);
  std::vector<std::string> seen;
  std::vector<std::size_t> sizes;
  for_each_batch(db(), hsds::entity("organization"), 10, [&](const hsds::RecordSet& batch) {
    sizes.push_back(batch.size());
    for (const auto* r : batch.all(hsds::entity("organization"))) seen.push_back(r->id());
  });
  EXPECT_EQ(sizes, (std::vector<std::size_t>{10, 10, 5}));
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(seen.front(), "00000000-0000-4000-8000-000000000000");

  int calls = 0;
  for_each_batch(db(), hsds::entity("service"), 10, [&](const hsds::RecordSet&) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST_P(HsdsStoreTest, ChangeLogRecordsInOrder) {
  EXPECT_EQ(latest_change(db()), 0);
  EXPECT_TRUE(changes_since(db(), 0, 10).empty());
  {
    Transaction tx(db(), TxMode::write);
    record_change(db(), "service", kService, "2026-01-01T00:00:00Z");
    record_change(db(), "*", "ignored", "2026-01-01T00:00:01Z");
    tx.commit();
  }
  {
    Transaction tx(db(), TxMode::write);
    record_change(db(), "organization", kOrg);
    // rolled back: not recorded
  }
  const auto all = changes_since(db(), 0, 10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].entity, "service");
  EXPECT_EQ(all[0].record_id, kService);
  EXPECT_EQ(all[0].changed_at, "2026-01-01T00:00:00Z");
  EXPECT_EQ(all[1].entity, "*");
  EXPECT_EQ(all[1].record_id, "*");
  EXPECT_LT(all[0].seq, all[1].seq);
  EXPECT_EQ(latest_change(db()), all[1].seq);
  EXPECT_EQ(changes_since(db(), all[0].seq, 10), std::vector<Change>{all[1]});
  EXPECT_EQ(changes_since(db(), 0, 1).size(), 1u);
  EXPECT_TRUE(changes_since(db(), all[1].seq, 10).empty());
  {
    Transaction tx(db(), TxMode::write);
    record_change(db(), "organization", kOrg);
    tx.commit();
  }
  const auto last = changes_since(db(), all[1].seq, 10);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].entity, "organization");
  EXPECT_EQ(last[0].changed_at.size(), 20u);  // the system clock's ISO 8601 UTC
}

BESPOKE_INSTANTIATE_BOTH_DRIVERS(HsdsStoreTest);

}  // namespace
}  // namespace bespoke::store
