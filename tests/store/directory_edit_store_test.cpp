#include "store/directory_edit_store.h"

#include "core/ids.h"
#include "store/directory_source.h"
#include "store/hsds_database_test.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace bespoke::store {
namespace {

constexpr const char* kOrg = "11111111-1111-4111-8111-111111111111";
constexpr const char* kOtherOrg = "11111111-1111-4111-8111-222222222222";
constexpr const char* kHall = "33333333-3333-4333-8333-000000000001";     // kOrg's
constexpr const char* kLibrary = "33333333-3333-4333-8333-000000000002";  // kOrg's
constexpr const char* kChurch = "33333333-3333-4333-8333-000000000003";   // kOtherOrg's
constexpr const char* kService = "44444444-4444-4444-8444-000000000001";  // kOrg's, at the hall and the church
constexpr const char* kOtherService = "44444444-4444-4444-8444-000000000002";  // kOtherOrg's, at the hall
constexpr const char* kNow = "2030-01-02T03:04:05Z";

hsds::Record make(const char* entity, std::initializer_list<std::pair<const char*, hsds::Value>> values) {
  hsds::Record r(hsds::entity(entity));
  for (const auto& [k, v] : values) r.set(k, v);
  return r;
}

hsds::Value text(const char* s) { return std::string(s); }

// Two organisations; kOrg has a hall and a library, kOtherOrg a church. kOrg's
// service is at the hall (with a contact and hours there) and at the church,
// with weekly hours and a bank-holiday closure; kOtherOrg's service is at the hall.
hsds::RecordSet directory() {
  hsds::RecordSet set;
  set.add(make("organization", {{"id", text(kOrg)}, {"name", text("Riverside Trust")}, {"description", text("x")}}));
  set.add(make("organization", {{"id", text(kOtherOrg)}, {"name", text("Hill Church")}, {"description", text("x")}}));
  set.add(make("location", {{"id", text(kHall)}, {"location_type", text("physical")}, {"organization_id", text(kOrg)},
                            {"name", text("Riverside Hall")}, {"latitude", 51.5}, {"longitude", -0.1}}));
  set.add(make("address", {{"id", text("55555555-5555-4555-8555-000000000001")}, {"location_id", text(kHall)},
                           {"address_1", text("1 River Street")}, {"city", text("Riverton")},
                           {"state_province", text("Shire")}, {"postal_code", text("RV1 1AA")},
                           {"country", text("GB")}, {"address_type", text("physical")}}));
  set.add(make("location", {{"id", text(kLibrary)}, {"location_type", text("physical")},
                            {"organization_id", text(kOrg)}, {"name", text("Library")}}));
  set.add(make("location", {{"id", text(kChurch)}, {"location_type", text("physical")},
                            {"organization_id", text(kOtherOrg)}, {"name", text("Church")}}));
  set.add(make("service", {{"id", text(kService)}, {"organization_id", text(kOrg)}, {"name", text("Lunch club")},
                           {"description", text("Hot lunches")}, {"status", text("active")},
                           {"assured_date", text("2029-05-01")}}));
  set.add(make("service", {{"id", text(kOtherService)}, {"organization_id", text(kOtherOrg)},
                           {"name", text("Choir")}, {"description", text("Singing")}, {"status", text("active")}}));
  set.add(make("service_at_location", {{"id", text("66666666-6666-4666-8666-000000000001")},
                                       {"service_id", text(kService)}, {"location_id", text(kHall)}}));
  set.add(make("service_at_location", {{"id", text("66666666-6666-4666-8666-000000000002")},
                                       {"service_id", text(kService)}, {"location_id", text(kChurch)}}));
  set.add(make("service_at_location", {{"id", text("66666666-6666-4666-8666-000000000003")},
                                       {"service_id", text(kOtherService)}, {"location_id", text(kHall)}}));
  set.add(make("contact", {{"id", text("77777777-7777-4777-8777-000000000001")},
                           {"service_at_location_id", text("66666666-6666-4666-8666-000000000001")},
                           {"name", text("Hall keeper")}}));
  set.add(make("schedule", {{"id", text("88888888-8888-4888-8888-000000000001")},
                            {"service_at_location_id", text("66666666-6666-4666-8666-000000000001")},
                            {"freq", text("WEEKLY")}, {"byday", text("TU")}, {"opens_at", text("10:00")},
                            {"closes_at", text("11:00")}}));
  set.add(make("schedule", {{"id", text("88888888-8888-4888-8888-000000000002")}, {"service_id", text(kService)},
                            {"freq", text("WEEKLY")}, {"byday", text("MO,WE")}, {"opens_at", text("12:00")},
                            {"closes_at", text("14:00")}}));
  set.add(make("schedule", {{"id", text("88888888-8888-4888-8888-000000000003")}, {"service_id", text(kService)},
                            {"valid_from", text("2030-12-25")}, {"valid_to", text("2030-12-25")},
                            {"description", text("Closed for Christmas")}}));
  return set;
}

class DirectoryEditStoreTest : public testing::HsdsDatabaseTest {
 protected:
  void SetUp() override {
    HsdsDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    write(directory());
  }

  std::int64_t count(const std::string& sql, std::vector<Value> params = {}) {
    const auto v = db().scalar(sql, params);
    return v ? std::get<std::int64_t>(*v) : -1;
  }

  // The (entity, id) pairs logged after `seq`.
  std::vector<std::pair<std::string, std::string>> logged_since(std::int64_t seq) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& c : changes_since(db(), seq, 100)) out.emplace_back(c.entity, c.record_id);
    return out;
  }

  // The index's view of one service: what a search will find.
  std::optional<directory::ServiceEntry> entry(const std::string& id) {
    const auto taxonomy = load_taxonomy(db());
    const std::vector<std::string> ids{id};
    auto entries = load_service_entries(db(), taxonomy, ids);
    if (entries.empty()) return std::nullopt;
    return entries.front();
  }
};

ServiceDraft draft() {
  ServiceDraft d;
  d.name = "Breakfast club";
  d.description = "Toast and tea";
  d.email = "breakfast@example.org";
  d.url = "https://example.org/breakfast";
  d.status = "active";
  d.location_ids = {kLibrary};
  d.weekly = {{0, "08:00", "10:00"}, {1, "08:00", "10:00"}, {5, "09:00", "11:30"}};
  return d;
}

TEST_P(DirectoryEditStoreTest, CreatesAServiceWithItsSitesAndWeeklyHoursAndLogsIt) {
  const auto before = latest_change(db());
  auto d = draft();
  d.location_ids = {kLibrary, kChurch};  // the church is not kOrg's: skipped
  const auto id = create_service(db(), kOrg, d, kNow);
  ASSERT_TRUE(core::is_uuid(id));

  const auto loaded = load_editable_service(db(), id);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->organization_id, kOrg);
  auto expected = draft();
  EXPECT_EQ(loaded->draft, expected);
  EXPECT_FALSE(loaded->weekly_simplified);
  EXPECT_EQ(count("SELECT COUNT(*) FROM schedule WHERE service_id = $1 AND byday = 'MO,TU'", {id}), 1)
      << "days with the same times share a row";
  EXPECT_EQ(count("SELECT COUNT(*) FROM service WHERE id = $1 AND last_modified = $2", {id, std::string(kNow)}), 1);
  EXPECT_EQ(logged_since(before), (std::vector<std::pair<std::string, std::string>>{{"service", id}}));

  const auto e = entry(id);
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->active);
  EXPECT_EQ(e->name, "Breakfast club");
  EXPECT_EQ(e->weekly.size(), 3u);
  ASSERT_EQ(e->sites.size(), 0u) << "the library has no coordinates, so it is no place for search";
}

TEST_P(DirectoryEditStoreTest, UpdateReplacesWeeklyHoursAndTheOrganisationsSitesOnly) {
  const auto before = latest_change(db());
  auto d = draft();
  d.email.reset();
  d.url.reset();
  ASSERT_TRUE(update_service(db(), kOrg, kService, d, kNow));

  const auto loaded = load_editable_service(db(), kService);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->draft.name, "Breakfast club");
  EXPECT_EQ(loaded->draft.email, std::nullopt);
  EXPECT_EQ(loaded->draft.weekly, d.weekly);
  // The hall is kOrg's and not chosen: gone, with its contact and hours; the
  // church is another organisation's: not the form's to change.
  auto sites = loaded->draft.location_ids;
  std::sort(sites.begin(), sites.end());
  EXPECT_EQ(sites, (std::vector<std::string>{kLibrary, kChurch}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM contact"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM schedule WHERE service_at_location_id IS NOT NULL"), 0);
  // The bank-holiday closure stays; the other columns too.
  const std::vector<Value> service{std::string(kService)};
  EXPECT_EQ(count("SELECT COUNT(*) FROM schedule WHERE service_id = $1 AND valid_from = '2030-12-25'", service), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM service WHERE id = $1 AND assured_date = '2029-05-01'", service), 1);
  EXPECT_EQ(logged_since(before), (std::vector<std::pair<std::string, std::string>>{{"service", kService}}));
  const auto e = entry(kService);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->name, "Breakfast club");
  EXPECT_EQ(e->dated.size(), 1u);
}

TEST_P(DirectoryEditStoreTest, AnotherOrganisationsServiceIsLeftAlone) {
  const auto before = latest_change(db());
  EXPECT_FALSE(update_service(db(), kOtherOrg, kService, draft(), kNow));
  EXPECT_FALSE(set_service_status(db(), kOtherOrg, kService, "inactive", kNow));
  EXPECT_FALSE(update_service(db(), kOrg, "no-such-service", draft(), kNow));
  EXPECT_EQ(load_editable_service(db(), kService)->draft.name, "Lunch club");
  EXPECT_EQ(latest_change(db()), before);
}

TEST_P(DirectoryEditStoreTest, RetiringAServiceTakesItOutOfSearchAndKeepsItsRecord) {
  const auto before = latest_change(db());
  ASSERT_TRUE(set_service_status(db(), kOrg, kService, "inactive", kNow));
  EXPECT_EQ(load_editable_service(db(), kService)->draft.status, "inactive");
  EXPECT_EQ(logged_since(before), (std::vector<std::pair<std::string, std::string>>{{"service", kService}}));
  const auto e = entry(kService);
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->active) << "the index leaves inactive services out of search";
}

TEST_P(DirectoryEditStoreTest, AWriteThatFailsHalfWayLeavesNothing) {
  const auto before = latest_change(db());
  const auto services = count("SELECT COUNT(*) FROM service");
  auto d = draft();
  d.weekly.push_back({9, "10:00", "11:00"});  // no such day: throws after the service row is written
  EXPECT_ANY_THROW((void)create_service(db(), kOrg, d, kNow));
  EXPECT_EQ(count("SELECT COUNT(*) FROM service"), services);
  EXPECT_EQ(count("SELECT COUNT(*) FROM service_at_location WHERE location_id = $1", {std::string(kLibrary)}), 0);
  EXPECT_EQ(latest_change(db()), before);
}

TEST_P(DirectoryEditStoreTest, HoursTheFormCannotShowAreFlagged) {
  Transaction tx(db(), TxMode::write);
  const Value params[] = {std::string("88888888-8888-4888-8888-000000000009"), std::string(kService)};
  db().execute("INSERT INTO schedule (id, service_id, freq, byday, opens_at, closes_at)"
               " VALUES ($1, $2, 'WEEKLY', 'MO', '15:00', '16:00')",
               params);
  tx.commit();
  const auto loaded = load_editable_service(db(), kService);
  ASSERT_TRUE(loaded);
  EXPECT_TRUE(loaded->weekly_simplified) << "two openings on Monday";
  EXPECT_EQ(loaded->draft.weekly.size(), 2u) << "one a day: Monday and Wednesday";
}

TEST_P(DirectoryEditStoreTest, LocationsAreCreatedEditedAndListed) {
  const auto before = latest_change(db());
  LocationDraft d;
  d.name = "Annexe";
  d.address_1 = "2 River Street";
  d.city = "Riverton";
  d.state_province = "Shire";
  d.postal_code = "RV1 2BB";
  d.coordinates = core::LatLon{51.6, -0.2};
  const auto id = create_location(db(), kOrg, d);
  auto loaded = load_editable_location(db(), id);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->organization_id, kOrg);
  EXPECT_EQ(loaded->draft.postal_code, "RV1 2BB");
  ASSERT_TRUE(loaded->draft.coordinates);
  EXPECT_DOUBLE_EQ(loaded->draft.coordinates->lat, 51.6);

  // No coordinates in the draft: the location keeps its own. No address: it goes.
  LocationDraft renamed;
  renamed.name = "The Annexe";
  ASSERT_TRUE(update_location(db(), kOrg, id, renamed));
  loaded = load_editable_location(db(), id);
  EXPECT_EQ(loaded->draft.name, "The Annexe");
  EXPECT_FALSE(loaded->draft.has_address());
  ASSERT_TRUE(loaded->draft.coordinates);
  EXPECT_DOUBLE_EQ(loaded->draft.coordinates->lon, -0.2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM address WHERE location_id = $1", {id}), 0);

  EXPECT_FALSE(update_location(db(), kOtherOrg, id, renamed));
  EXPECT_EQ(logged_since(before),
            (std::vector<std::pair<std::string, std::string>>{{"location", id}, {"location", id}}));

  const auto listed = organisation_locations(db(), kOrg);
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].name, "Library");
  EXPECT_EQ(listed[1].name, "Riverside Hall");
  EXPECT_EQ(listed[1].postal_code, "RV1 1AA");
  EXPECT_EQ(listed[1].services, 2) << "kOrg's service and kOtherOrg's";
  EXPECT_EQ(listed[2].name, "The Annexe");
  EXPECT_EQ(organisation_of_location(db(), kChurch), std::optional<std::string>(kOtherOrg));
  EXPECT_EQ(organisation_of_service(db(), kService), std::optional<std::string>(kOrg));
  EXPECT_EQ(organisation_of_service(db(), "no-such-service"), std::nullopt);
}

TEST_P(DirectoryEditStoreTest, RetiringALocationTakesItOffEveryServiceAndKeepsIt) {
  ASSERT_TRUE(entry(kService));
  ASSERT_EQ(entry(kService)->sites.size(), 1u) << "the hall has coordinates";
  const auto before = latest_change(db());
  EXPECT_EQ(retire_location(db(), kOtherOrg, kHall), std::nullopt);
  EXPECT_EQ(retire_location(db(), kOrg, kHall), std::optional<std::size_t>(2));
  EXPECT_EQ(count("SELECT COUNT(*) FROM service_at_location WHERE location_id = $1", {std::string(kHall)}), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM location WHERE id = $1", {std::string(kHall)}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM contact"), 0);
  const auto logged = logged_since(before);
  EXPECT_EQ(logged, (std::vector<std::pair<std::string, std::string>>{
                        {"location", kHall}, {"service", kService}, {"service", kOtherService}}));
  // What every server's index applies next: both services, read again.
  const auto changes = changes_since(db(), before, 100);
  const auto affected = services_affected(db(), changes);
  EXPECT_EQ(affected.service_ids, (std::vector<std::string>{kService, kOtherService}));
  EXPECT_TRUE(entry(kService)->sites.empty());
  EXPECT_EQ(load_editable_service(db(), kService)->draft.location_ids, (std::vector<std::string>{kChurch}));
}

BESPOKE_INSTANTIATE_BOTH_DRIVERS(DirectoryEditStoreTest);

}  // namespace
}  // namespace bespoke::store
