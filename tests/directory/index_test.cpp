// DirectoryIndex behaviour, one feature at a time, on small hand-made data.
#include "directory/index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <thread>
#include <vector>

namespace bespoke::directory {
namespace {

// Term indexes of the test taxonomy.
enum : TermIndex { money, debt, loans, food, housing, carer, young_carer, veteran, wheelchair };

Taxonomy test_taxonomy() {
  Taxonomy tax;
  const auto need = tax.add_taxonomy({Uuid{1, 1}, "esdNeed"});
  const auto circ = tax.add_taxonomy({Uuid{1, 2}, "esdCircumstance"});
  const auto access = tax.add_taxonomy({Uuid{1, 3}, "accessibility"});
  tax.add_term({Uuid{2, 0}, need, "1", "Money", std::nullopt});
  tax.add_term({Uuid{2, 1}, need, "2", "Debt", money});
  tax.add_term({Uuid{2, 2}, need, "3", "Loans", debt});
  tax.add_term({Uuid{2, 3}, need, "4", "Food", std::nullopt});
  tax.add_term({Uuid{2, 4}, need, "5", "Housing", std::nullopt});
  tax.add_term({Uuid{2, 5}, circ, "6", "Carer", std::nullopt});
  tax.add_term({Uuid{2, 6}, circ, "7", "Young carer", carer});
  tax.add_term({Uuid{2, 7}, circ, "8", "Veteran", std::nullopt});
  tax.add_term({Uuid{2, 8}, access, "9", "Wheelchair access", std::nullopt});
  return tax;
}

ServiceEntry service(std::uint64_t n, std::string name, std::string description = "") {
  ServiceEntry e;
  e.id = Uuid{0, n};
  e.organization_id = Uuid{9, n};
  e.name = std::move(name);
  e.description = std::move(description);
  e.organization_name = "Trust";
  return e;
}

std::vector<std::uint64_t> ids(const Results& r) {
  std::vector<std::uint64_t> out;
  for (const Hit& h : r.hits) out.push_back(h.id.low);
  return out;
}

Query text(std::string t) {
  Query q;
  q.text = std::move(t);
  return q;
}

using Ids = std::vector<std::uint64_t>;

Ids sorted(Ids v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(DirectoryIndex, EmptyIndexFindsNothing) {
  const DirectoryIndex index(test_taxonomy(), {});
  EXPECT_EQ(index.size(), 0U);
  EXPECT_EQ(index.search(Query{}).total, 0U);
  EXPECT_EQ(index.search(text("food")).total, 0U);
}

TEST(DirectoryIndex, TextMatchesStemsInAnyField) {
  std::vector<ServiceEntry> s{service(1, "Carer support", "Weekly group"),
                              service(2, "Lunch club", "Advising older people on pensions"),
                              service(3, "Repair café", "Fix things")};
  s[2].organization_name = "Makers Guild";
  const DirectoryIndex index(test_taxonomy(), s);
  EXPECT_EQ(ids(index.search(text("carers"))), Ids{1});
  EXPECT_EQ(ids(index.search(text("advise"))), Ids{2});
  EXPECT_EQ(ids(index.search(text("cafe"))), Ids{3});
  EXPECT_EQ(ids(index.search(text("guild"))), Ids{3});  // organisation name
}

TEST(DirectoryIndex, EveryQueryWordMustMatch) {
  const std::vector<ServiceEntry> s{service(1, "Food bank"), service(2, "Food parcels"), service(3, "Bank advice")};
  const DirectoryIndex index(test_taxonomy(), s);
  EXPECT_EQ(ids(index.search(text("food bank"))), Ids{1});
  EXPECT_EQ(index.search(text("food zebra")).total, 0U);
}

TEST(DirectoryIndex, StopWordsAreIgnored) {
  const std::vector<ServiceEntry> s{service(1, "Food bank"), service(2, "Help with the garden")};
  const DirectoryIndex index(test_taxonomy(), s);
  EXPECT_EQ(ids(index.search(text("the food"))), Ids{1});
  EXPECT_EQ(index.search(text("the and of")).total, 2U);  // nothing left to search: everything
}

TEST(DirectoryIndex, TermLabelsAreSearchable) {
  std::vector<ServiceEntry> s{service(1, "Citizens Advice"), service(2, "Drop in")};
  s[0].terms = {loans};
  const DirectoryIndex index(test_taxonomy(), s);
  EXPECT_EQ(ids(index.search(text("loan"))), Ids{1});
  EXPECT_EQ(index.search(text("money")).total, 0U);  // broader labels are not the service's words
}

TEST(DirectoryIndex, ToleratesTyposInLongerWordsOnly) {
  const std::vector<ServiceEntry> s{service(1, "Benefits advice"), service(2, "Food bank"),
                                    service(3, "Accommodation and homelessness")};
  const DirectoryIndex index(test_taxonomy(), s);
  EXPECT_EQ(ids(index.search(text("benefts"))), Ids{1});
  EXPECT_EQ(ids(index.search(text("advising"))), Ids{1});   // "advis" is one edit from "advic"
  EXPECT_EQ(ids(index.search(text("acommodation"))), Ids{3});
  EXPECT_EQ(ids(index.search(text("homelessnes"))), Ids{3});
  EXPECT_EQ(ids(index.search(text("hoemlesnses"))), Ids{3});  // 2 edits in a 9+ letter word
  EXPECT_EQ(index.search(text("bnak")).total, 0U);           // 4 letters: exact only
  EXPECT_EQ(index.search(text("fodo")).total, 0U);
  EXPECT_EQ(index.search(text("bnfeits")).total, 0U);  // 2 edits in a 7-letter word
}

TEST(DirectoryIndex, ExactMatchesRankAboveTypoMatches) {
  const std::vector<ServiceEntry> s{service(1, "Benefit checks"), service(2, "Benefits checks")};
  const DirectoryIndex index(test_taxonomy(), s);
  EXPECT_EQ(ids(index.search(text("benefit"))), (Ids{1, 2}));  // same stem: tie, by id
  const std::vector<ServiceEntry> t{service(1, "Housing advice"), service(2, "Housong advice")};
  const DirectoryIndex typo_index(test_taxonomy(), t);
  const Results r = typo_index.search(text("housing"));
  ASSERT_EQ(ids(r), (Ids{1, 2}));
  EXPECT_GT(r.hits[0].score, r.hits[1].score);
  // Typos are tolerated in the query, against the service's stems: "housong"
  // is three edits from the stem "hous".
  EXPECT_EQ(ids(typo_index.search(text("housong"))), Ids{2});
}

TEST(DirectoryIndex, NameMatchOutranksDescriptionMatch) {
  const std::vector<ServiceEntry> s{service(1, "Lunch club", "Also a garden group for members"),
                                    service(2, "Garden group", "Growing vegetables for members together"),
                                    service(3, "Walking group", "Walks")};
  const DirectoryIndex index(test_taxonomy(), s);
  EXPECT_EQ(ids(index.search(text("garden"))), (Ids{2, 1}));
}

TEST(DirectoryIndex, RarerWordOutranksCommonWord) {
  std::vector<ServiceEntry> s;
  for (std::uint64_t n = 1; n <= 8; ++n) s.push_back(service(n, "Community group", "Meets weekly"));
  s.push_back(service(20, "Community choir", "Meets weekly"));
  s.push_back(service(21, "Choir", "Group singing"));  // "choir" is rare, "group" common
  s[0].name = "Community group choir";                  // has both
  const DirectoryIndex index(test_taxonomy(), s);
  const Results r = index.search(text("choir group"));
  ASSERT_EQ(sorted(ids(r)), (Ids{1, 21}));
  const Results choir = index.search(text("choir"));
  const Results group = index.search(text("group"));
  ASSERT_FALSE(choir.hits.empty());
  ASSERT_FALSE(group.hits.empty());
  EXPECT_GT(choir.hits[0].score, group.hits[0].score);
}

TEST(DirectoryIndex, EqualScoresBreakTiesByIdAndRepeatIdentically) {
  std::vector<ServiceEntry> s;
  for (std::uint64_t n : {7, 3, 9, 1, 5}) s.push_back(service(n, "Same name", "Same words"));
  const DirectoryIndex index(test_taxonomy(), s);
  const Results r = index.search(text("same"));
  EXPECT_EQ(ids(r), (Ids{1, 3, 5, 7, 9}));
  EXPECT_EQ(ids(index.search(Query{})), (Ids{1, 3, 5, 7, 9}));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(ids(index.search(text("same"))), ids(r));
}

TEST(DirectoryIndex, InactiveServicesAreNeverFound) {
  std::vector<ServiceEntry> s{service(1, "Food bank"), service(2, "Food hub")};
  s[1].active = false;
  DirectoryIndex index(test_taxonomy(), s);
  EXPECT_EQ(ids(index.search(text("food"))), Ids{1});
  EXPECT_EQ(index.size(), 1U);
  s[0].active = false;
  index.upsert(s[0]);  // deactivating removes
  EXPECT_EQ(index.search(text("food")).total, 0U);
  EXPECT_EQ(index.size(), 0U);
}

TEST(DirectoryIndex, TermFilterIncludesNarrowerTerms) {
  std::vector<ServiceEntry> s{service(1, "A"), service(2, "B"), service(3, "C"), service(4, "D")};
  s[0].terms = {money};
  s[1].terms = {debt};
  s[2].terms = {loans, food};
  s[3].terms = {food};
  const DirectoryIndex index(test_taxonomy(), s);
  Query q;
  q.terms = {money};
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 2, 3}));
  q.terms = {debt};
  EXPECT_EQ(ids(index.search(q)), (Ids{2, 3}));
  q.terms = {debt, food};  // AND
  EXPECT_EQ(ids(index.search(q)), (Ids{3}));
  q.terms = {TermIndex{999}};
  EXPECT_EQ(index.search(q).total, 0U);
}

TEST(DirectoryIndex, TaxonomyFilterNeedsATermOfThatTaxonomy) {
  std::vector<ServiceEntry> s{service(1, "A"), service(2, "B")};
  s[0].terms = {wheelchair};
  s[1].terms = {food};
  const DirectoryIndex index(test_taxonomy(), s);
  Query q;
  q.taxonomies = {2};
  EXPECT_EQ(ids(index.search(q)), Ids{1});
  q.taxonomies = {0, 2};
  EXPECT_EQ(index.search(q).total, 0U);
}

TEST(DirectoryIndex, ProviderAndOwnershipFilters) {
  std::vector<ServiceEntry> s{service(1, "A"), service(2, "B"), service(3, "C")};
  s[0].provider_kind = ProviderKind::council;
  s[1].provider_kind = ProviderKind::charity;
  s[1].community_led = true;
  s[2].provider_kind = ProviderKind::social_enterprise;
  s[2].locally_owned = true;
  const DirectoryIndex index(test_taxonomy(), s);
  Query q;
  q.provider_kinds = {ProviderKind::charity, ProviderKind::social_enterprise};
  EXPECT_EQ(ids(index.search(q)), (Ids{2, 3}));
  q = {};
  q.community_led = true;
  EXPECT_EQ(ids(index.search(q)), Ids{2});
  q.community_led = false;
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 3}));
  q = {};
  q.locally_owned = true;
  EXPECT_EQ(ids(index.search(q)), Ids{3});
}

TEST(DirectoryIndex, EligibilityByAgeAndCircumstances) {
  std::vector<ServiceEntry> s{service(1, "Youth"), service(2, "Adults"), service(3, "Carers"), service(4, "Anyone")};
  s[0].maximum_age = 18;
  s[1].minimum_age = 18;
  s[2].eligible_circumstances = {carer, veteran};
  const DirectoryIndex index(test_taxonomy(), s);
  Query q;
  q.age = 18;
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 2, 3, 4}));
  q.age = 12;
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 3, 4}));
  q = {};
  q.circumstances = std::vector<TermIndex>{};
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 2, 4}));  // lists none: open to everyone
  q.circumstances = std::vector<TermIndex>{young_carer};  // narrower than "carer"
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 2, 3, 4}));
}

// Open Referral UK: minimum_age / maximum_age are about the service's limits.
TEST(DirectoryIndex, MinimumAgeFindsServicesWithAMinimumOfAtLeastIt) {
  std::vector<ServiceEntry> s{service(1, "None"), service(2, "Zero"), service(3, "Sixteen"), service(4, "Eighteen")};
  s[1].minimum_age = 0;
  s[2].minimum_age = 16;
  s[3].minimum_age = 18;
  s[3].maximum_age = 25;
  const DirectoryIndex index(test_taxonomy(), s);
  Query q;
  q.minimum_age = 0;
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 2, 3, 4}));  // absent counts as 0
  q.minimum_age = 16;
  EXPECT_EQ(ids(index.search(q)), (Ids{3, 4}));
  q.minimum_age = 17;
  EXPECT_EQ(ids(index.search(q)), Ids{4});
  q.minimum_age = 19;
  EXPECT_EQ(index.search(q).total, 0U);
}

TEST(DirectoryIndex, MaximumAgeFindsServicesWithAMaximumAtOrBelowIt) {
  std::vector<ServiceEntry> s{service(1, "No limit"), service(2, "Under 18s"), service(3, "Under 25s"),
                              service(4, "Top")};
  s[1].maximum_age = 17;
  s[2].minimum_age = 18;
  s[2].maximum_age = 25;
  s[3].maximum_age = 255;
  const DirectoryIndex index(test_taxonomy(), s);
  Query q;
  q.maximum_age = 17;
  EXPECT_EQ(ids(index.search(q)), Ids{2});
  q.maximum_age = 25;
  EXPECT_EQ(ids(index.search(q)), (Ids{2, 3}));
  q.maximum_age = 255;  // no limit is never "at or below"
  EXPECT_EQ(ids(index.search(q)), (Ids{2, 3, 4}));
  q.maximum_age = 16;
  EXPECT_EQ(index.search(q).total, 0U);
  q.minimum_age = 18;  // both: 18 <= minimum and maximum <= 30
  q.maximum_age = 30;
  EXPECT_EQ(ids(index.search(q)), Ids{3});
}

TEST(DirectoryIndex, LanguageCostAndCapacityFilters) {
  std::vector<ServiceEntry> s{service(1, "A"), service(2, "B"), service(3, "C")};
  s[0].languages = {{'e', 'n', 0}, {'c', 'y', 0}};
  s[1].languages = {{'p', 'l', 0}};
  s[0].cost = Cost::free;
  s[1].cost = Cost::paid;
  s[0].capacity_available = 0;
  s[1].capacity_available = 3;
  const DirectoryIndex index(test_taxonomy(), s);
  Query q;
  q.languages = {{'c', 'y', 0}, {'p', 'l', 0}};
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 2}));
  q.languages = {{'x', 'x', 0}};
  EXPECT_EQ(index.search(q).total, 0U);
  q = {};
  q.cost = CostFilter::free_only;
  EXPECT_EQ(ids(index.search(q)), Ids{1});
  q.cost = CostFilter::paid_only;
  EXPECT_EQ(ids(index.search(q)), Ids{2});
  q = {};
  q.has_capacity = true;
  EXPECT_EQ(ids(index.search(q)), Ids{2});
}

constexpr std::int32_t kChristmas2024 = 20082;  // a Wednesday

TEST(DirectoryIndex, OpenAtHonoursDatedExceptions) {
  EXPECT_EQ((LocalTime{kChristmas2024, 600}).weekday(), 2);
  EXPECT_EQ((LocalTime{0, 0}).weekday(), 3);  // 1970-01-01 was a Thursday
  std::vector<ServiceEntry> s{service(1, "Weekdays"), service(2, "No hours"), service(3, "Special")};
  for (std::uint8_t day = 0; day < 5; ++day) s[0].weekly.push_back({day, 9 * 60, 17 * 60});
  s[0].dated.push_back({kChristmas2024, kChristmas2024 + 1, true, 0, 0});  // closed Christmas and Boxing Day
  s[2].weekly.push_back({2, 9 * 60, 12 * 60});
  s[2].dated.push_back({kChristmas2024, kChristmas2024, false, 14 * 60, 16 * 60});
  const DirectoryIndex index(test_taxonomy(), s);
  Query q;
  q.open_at = LocalTime{kChristmas2024 - 7, 10 * 60};  // an ordinary Wednesday, 10:00
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 3}));
  q.open_at = LocalTime{kChristmas2024, 10 * 60};
  EXPECT_EQ(index.search(q).total, 0U);
  q.open_at = LocalTime{kChristmas2024, 15 * 60};
  EXPECT_EQ(ids(index.search(q)), Ids{3});
  q.open_at = LocalTime{kChristmas2024 - 7, 17 * 60};  // closing time is closed
  EXPECT_EQ(index.search(q).total, 0U);
  q.open_at = LocalTime{kChristmas2024 + 2, 9 * 60};  // Friday after
  EXPECT_EQ(ids(index.search(q)), Ids{1});
}

// Open Referral UK: an opening on that day that opens at or after start_time
// and closes at or before end_time.
TEST(DirectoryIndex, OpenWeeklyWindowOpensAtOrAfterStartAndClosesAtOrBeforeEnd) {
  std::vector<ServiceEntry> s{service(1, "Morning"), service(2, "Day"), service(3, "Afternoon"),
                              service(4, "Tuesday")};
  s[0].weekly.push_back({0, 9 * 60, 12 * 60});
  s[1].weekly.push_back({0, 9 * 60, 17 * 60});
  s[2].weekly.push_back({0, 13 * 60, 17 * 60});
  s[3].weekly.push_back({1, 9 * 60, 17 * 60});
  const DirectoryIndex index(test_taxonomy(), s);
  Query q;
  q.open_weekly = WeeklyWindow{0, 9 * 60, 17 * 60};  // bounds are inclusive
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 2, 3}));
  q.open_weekly = WeeklyWindow{0, 10 * 60, 17 * 60};  // opening at 9 is before the start
  EXPECT_EQ(ids(index.search(q)), Ids{3});
  q.open_weekly = WeeklyWindow{0, 9 * 60, 12 * 60};
  EXPECT_EQ(ids(index.search(q)), Ids{1});
  q.open_weekly = WeeklyWindow{0, 10 * 60, 13 * 60};  // within the day's hours is not enough
  EXPECT_EQ(index.search(q).total, 0U);
  q.open_weekly = WeeklyWindow{0, std::nullopt, 12 * 60};  // no start bound
  EXPECT_EQ(ids(index.search(q)), Ids{1});
  q.open_weekly = WeeklyWindow{0, 12 * 60, std::nullopt};  // no end bound
  EXPECT_EQ(ids(index.search(q)), Ids{3});
  q.open_weekly = WeeklyWindow{0, std::nullopt, std::nullopt};  // day alone: any opening that day
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 2, 3}));
  q.open_weekly = WeeklyWindow{2, std::nullopt, std::nullopt};
  EXPECT_EQ(index.search(q).total, 0U);
}

TEST(DirectoryIndex, OrganizationFilter) {
  std::vector<ServiceEntry> s{service(1, "A"), service(2, "B"), service(3, "C")};
  s[0].organization_id = Uuid{9, 100};
  s[1].organization_id = Uuid{9, 200};
  s[2].organization_id = Uuid{9, 100};
  DirectoryIndex index(test_taxonomy(), s);
  Query q;
  q.organization = Uuid{9, 100};
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 3}));
  q.organization = Uuid{9, 300};  // unknown
  EXPECT_EQ(index.search(q).total, 0U);
  s[0].organization_id = Uuid{9, 300};  // moved to a new organisation
  index.upsert(s[0]);
  EXPECT_EQ(ids(index.search(q)), Ids{1});
  q.organization = Uuid{9, 100};
  EXPECT_EQ(ids(index.search(q)), Ids{3});
}

TEST(DirectoryIndex, ModifiedAfterIsInclusiveAndExcludesUndated) {
  std::vector<ServiceEntry> s{service(1, "Old"), service(2, "New"), service(3, "Undated")};
  s[0].last_modified = 1'700'000'000;
  s[1].last_modified = 1'750'000'000;
  const DirectoryIndex index(test_taxonomy(), s);
  Query q;
  q.modified_after = 1'700'000'000;
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 2}));
  q.modified_after = 1'700'000'001;
  EXPECT_EQ(ids(index.search(q)), Ids{2});
  q.modified_after = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 2}));
}

TEST(DirectoryIndex, HitsCarryTheServiceBadgesAndOpenNow) {
  std::vector<ServiceEntry> s{service(1, "A"), service(2, "B")};
  s[0].provider_kind = ProviderKind::charity;
  s[0].community_led = true;
  s[0].cost = Cost::free;
  s[0].capacity_available = 2;
  s[0].weekly = {{2, 9 * 60, 17 * 60}};  // Wednesdays
  s[1].locally_owned = true;
  s[1].cost = Cost::paid;
  s[1].capacity_available = 0;
  const DirectoryIndex index(test_taxonomy(), s);
  Query q;
  Results r = index.search(q);
  ASSERT_EQ(r.hits.size(), 2U);
  EXPECT_EQ(r.hits[0].provider_kind, ProviderKind::charity);
  EXPECT_TRUE(r.hits[0].community_led);
  EXPECT_FALSE(r.hits[0].locally_owned);
  EXPECT_EQ(r.hits[0].cost, Cost::free);
  EXPECT_TRUE(r.hits[0].has_capacity);
  EXPECT_FALSE(r.hits[0].open_now);  // not asked
  EXPECT_EQ(r.hits[1].provider_kind, ProviderKind::unknown);
  EXPECT_TRUE(r.hits[1].locally_owned);
  EXPECT_EQ(r.hits[1].cost, Cost::paid);
  EXPECT_FALSE(r.hits[1].has_capacity);
  q.facets.open_now = LocalTime{kChristmas2024 - 7, 10 * 60};  // an ordinary Wednesday
  r = index.search(q);
  ASSERT_EQ(r.hits.size(), 2U);
  EXPECT_EQ(r.hits[0].open_now, std::optional<bool>(true));
  EXPECT_EQ(r.hits[1].open_now, std::optional<bool>(false));
}

Site site_at(double lat, double lon, std::uint64_t n = 0) {
  return Site{Uuid{5, n}, Uuid{6, n}, lat, lon};
}

TEST(DirectoryIndex, RadiusAndDistanceSort) {
  // Along a meridian: 0.009° of latitude is about 1 km.
  std::vector<ServiceEntry> s{service(1, "Far"), service(2, "Near"), service(3, "Two sites"), service(4, "Online")};
  s[0].sites = {site_at(51.0 + 0.009 * 8, 0)};
  s[1].sites = {site_at(51.0 + 0.009 * 1, 0)};
  s[2].sites = {site_at(51.0 + 0.009 * 20, 0, 1), site_at(51.0 - 0.009 * 3, 0, 2)};
  const DirectoryIndex index(test_taxonomy(), s);
  Query q;
  q.near = Near{{51.0, 0}, 5000};
  const Results r = index.search(q);
  ASSERT_EQ(ids(r), (Ids{2, 3}));
  ASSERT_TRUE(r.hits[0].distance_m && r.hits[1].distance_m);
  EXPECT_NEAR(*r.hits[0].distance_m, 1000, 10);
  EXPECT_NEAR(*r.hits[1].distance_m, 3000, 30);
  EXPECT_EQ(r.hits[1].site->service_at_location_id, (Uuid{5, 2}));  // the nearest of its two
  q.near->radius_m = std::numeric_limits<double>::infinity();
  EXPECT_EQ(ids(index.search(q)), (Ids{2, 3, 1}));
  q.near->radius_m = 10;
  EXPECT_EQ(index.search(q).total, 0U);
  // Without a place, the first site is given and no distance.
  const Results all = index.search(text("two"));
  ASSERT_EQ(all.hits.size(), 1U);
  EXPECT_EQ(all.hits[0].site->service_at_location_id, (Uuid{5, 1}));
  EXPECT_FALSE(all.hits[0].distance_m);
}

TEST(DirectoryIndex, SitesOffTheEarthAreInNoPlaceSearch) {
  // The standard's own examples put every location at latitude 100.
  std::vector<ServiceEntry> s{service(1, "Example service"), service(2, "Example service")};
  s[0].sites = {site_at(100, 0)};
  s[1].sites = {site_at(100, 0, 1), site_at(51.0, 0, 2)};
  const DirectoryIndex index(test_taxonomy(), s);
  Query q = text("example");
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 2}));
  q.near = Near{{51.0, 0}, std::numeric_limits<double>::infinity()};
  const Results r = index.search(q);
  ASSERT_EQ(ids(r), (Ids{2}));
  EXPECT_EQ(r.hits[0].site->service_at_location_id, (Uuid{5, 2}));
}

TEST(DirectoryIndex, TextWithPlaceBlendsRelevanceAndDistance) {
  std::vector<ServiceEntry> s{service(1, "Food bank", "Food food food"), service(2, "Food", "Parcels")};
  s[0].sites = {site_at(51.0 + 0.009 * 9, 0)};  // about 9 km
  s[1].sites = {site_at(51.0 + 0.0009, 0)};     // about 100 m
  const DirectoryIndex index(test_taxonomy(), s);
  Query q = text("food");
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 2}));  // relevance alone
  q.near = Near{{51.0, 0}, 20000};
  const Results r = index.search(q);
  ASSERT_EQ(ids(r), (Ids{2, 1}));
  for (std::size_t i = 1; i < r.hits.size(); ++i) {
    auto blended = [](const Hit& h) { return h.score / (1 + *h.distance_m / kBlendScaleM); };
    EXPECT_GE(blended(r.hits[i - 1]), blended(r.hits[i]));
  }
  q.sort = Sort::relevance;
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 2}));
}

TEST(DirectoryIndex, FacetsCountTheMatchedSet) {
  std::vector<ServiceEntry> s{service(1, "Food bank"), service(2, "Food hub"), service(3, "Food club"),
                              service(4, "Garden")};
  s[0].provider_kind = ProviderKind::charity;
  s[0].community_led = true;
  s[0].terms = {loans, food};
  s[0].languages = {{'e', 'n', 0}, {'c', 'y', 0}};
  s[0].cost = Cost::free;
  s[0].capacity_available = 2;
  s[0].weekly = {{2, 9 * 60, 17 * 60}};
  s[1].provider_kind = ProviderKind::charity;
  s[1].terms = {debt};
  s[1].languages = {{'e', 'n', 0}};
  s[2].locally_owned = true;
  s[3].terms = {housing};
  const DirectoryIndex index(test_taxonomy(), s);
  Query q = text("food");
  q.facets = FacetRequest::all(LocalTime{kChristmas2024 - 7, 600});
  const Results r = index.search(q);
  EXPECT_EQ(r.total, 3U);
  const FacetCounts& f = r.facets;
  EXPECT_EQ(f.provider_kind[static_cast<std::size_t>(ProviderKind::charity)], 2U);
  EXPECT_EQ(f.provider_kind[static_cast<std::size_t>(ProviderKind::unknown)], 1U);
  EXPECT_EQ(f.community_led, (YesNo{1, 2}));
  EXPECT_EQ(f.locally_owned, (YesNo{1, 2}));
  EXPECT_EQ(f.cost, (std::array<std::uint32_t, 3>{2, 1, 0}));
  EXPECT_EQ(f.has_capacity, (YesNo{1, 2}));
  EXPECT_EQ(f.open_now, 1U);
  using Lang = std::pair<std::array<char, 3>, std::uint32_t>;
  EXPECT_EQ(f.languages, (std::vector<Lang>{{{'c', 'y', 0}, 1}, {{'e', 'n', 0}, 2}}));
  using Count = std::pair<TermIndex, std::uint32_t>;
  // Service 1 counts once under money though two of its terms are below it.
  EXPECT_EQ(f.terms, (std::vector<Count>{{money, 2}, {debt, 2}, {loans, 1}, {food, 1}}));
  // Not requested: not counted.
  const Results bare = index.search(text("food"));
  EXPECT_TRUE(bare.facets.terms.empty());
  EXPECT_FALSE(bare.facets.open_now);
}

TEST(DirectoryIndex, Pagination) {
  std::vector<ServiceEntry> s;
  for (std::uint64_t n = 1; n <= 25; ++n) s.push_back(service(n, "Club"));
  const DirectoryIndex index(test_taxonomy(), s);
  Query q;
  q.per_page = 10;
  q.page = 3;
  const Results r = index.search(q);
  EXPECT_EQ(r.total, 25U);
  EXPECT_EQ(ids(r), (Ids{21, 22, 23, 24, 25}));
  q.page = 4;
  EXPECT_TRUE(index.search(q).hits.empty());
  EXPECT_EQ(index.search(q).total, 25U);
  q.page = 0;  // treated as 1
  EXPECT_EQ(index.search(q).hits.front().id.low, 1U);
  q.per_page = 0;
  EXPECT_TRUE(index.search(q).hits.empty());
  EXPECT_EQ(index.search(q).total, 25U);
}

TEST(DirectoryIndex, UpsertAndRemoveAreVisibleAtOnce) {
  DirectoryIndex index(test_taxonomy(), std::vector<ServiceEntry>{service(1, "Food bank")});
  index.upsert(service(2, "Food hub"));
  EXPECT_EQ(ids(index.search(text("food"))), (Ids{1, 2}));
  index.upsert(service(1, "Garden club"));  // replaced
  EXPECT_EQ(ids(index.search(text("food"))), Ids{2});
  EXPECT_EQ(ids(index.search(text("garden"))), Ids{1});
  EXPECT_TRUE(index.remove(Uuid{0, 2}));
  EXPECT_FALSE(index.remove(Uuid{0, 2}));
  EXPECT_EQ(index.search(text("food")).total, 0U);
  EXPECT_EQ(index.size(), 1U);
  index.upsert(service(3, "Zymurgy workshop"));  // a word new to the index
  EXPECT_EQ(ids(index.search(text("zymurgy"))), Ids{3});
  EXPECT_EQ(ids(index.search(text("zymurgi"))), Ids{3});  // and typo search finds it
}

TEST(DirectoryIndex, ManyUpsertsCompactAndKeepResultsRight) {
  std::vector<ServiceEntry> s;
  for (std::uint64_t n = 0; n < 50; ++n) s.push_back(service(n, n % 2 ? "Odd club" : "Even club"));
  DirectoryIndex index(test_taxonomy(), s);
  for (int round = 0; round < 10; ++round) {
    for (std::uint64_t n = 0; n < 50; ++n) {
      ServiceEntry e = service(n, (n + round) % 2 ? "Odd club" : "Even club");
      e.terms = {round % 2 ? food : housing};
      e.sites = {site_at(51 + 0.001 * static_cast<double>(n), 0)};
      index.upsert(e);
    }
    Query q = text("odd");
    q.terms = {round % 2 ? food : housing};
    q.near = Near{{51, 0}, 100000};
    EXPECT_EQ(index.search(q).total, 25U);
  }
  EXPECT_EQ(index.size(), 50U);
  EXPECT_LT(index.memory_bytes(), 200000U);
}

TEST(DirectoryIndex, UpdateTaxonomyReparentsTerms) {
  std::vector<ServiceEntry> s{service(1, "A")};
  s[0].terms = {food};
  DirectoryIndex index(test_taxonomy(), s);
  Query q;
  q.terms = {money};
  EXPECT_EQ(index.search(q).total, 0U);
  Taxonomy tax = test_taxonomy();
  tax.add_term({Uuid{2, 3}, 0, "4", "Food", money});  // food is now under money
  const TermIndex pantry = tax.add_term({Uuid{2, 9}, 0, "10", "Pantry", food});
  index.update_taxonomy(tax);
  EXPECT_EQ(ids(index.search(q)), Ids{1});
  ServiceEntry e = service(2, "B");
  e.terms = {pantry};
  index.upsert(e);
  q.terms = {food};
  EXPECT_EQ(ids(index.search(q)), (Ids{1, 2}));
  EXPECT_EQ(ids(index.search(text("pantry"))), Ids{2});
}

TEST(DirectoryIndex, ConcurrentSearchesWithUpserts) {
  std::vector<ServiceEntry> s;
  for (std::uint64_t n = 0; n < 200; ++n) s.push_back(service(n, "Food bank", "Parcels and advice"));
  DirectoryIndex index(test_taxonomy(), s);
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        const Results r = index.search(text("food parcels"));
        if (r.total < 200 || r.total > 300) ++bad;
      }
    });
  }
  for (std::uint64_t n = 0; n < 300; ++n) index.upsert(service(n % 250, "Food bank", "Parcels"));
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(index.search(text("food parcels")).total, 250U);
}

}  // namespace
}  // namespace bespoke::directory
