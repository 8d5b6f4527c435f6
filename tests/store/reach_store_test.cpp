// Nobody left behind, on both drivers: who the default-plan batch picks, a
// coordinator's outreach list and its order, and the reach report's figures.
#include "store/reach_store.h"

#include "careplan/plan.h"
#include "demo/town.h"
#include "plans/plans.h"
#include "store/accounts_store.h"
#include "store/care_team_store.h"
#include "store/person_store.h"
#include "store/plan_store.h"
#include "store/town_writer.h"

// GCC 12 at -O3 reports a false -Wrestrict inside test_databases.h's
// with_database (std::string operator+ inlined); the header is shared.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wrestrict"
#include "store/test_databases.h"
#pragma GCC diagnostic pop

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace bespoke::store {
namespace {

using namespace std::chrono;
using accounts::Role;
using testing::BothDrivers;

const core::Timestamp kNow = sys_days{2026y / June / 1} + 12h;
core::Timestamp days_ago(int n) { return kNow - days(n); }

constexpr demo::NeedSet kFood = 1U << 1;     // demo::kNeeds[1]
constexpr demo::NeedSet kHousing = 1U << 2;  // demo::kNeeds[2]

// The residents, by id. Decile 1: Ashby (1) and Brook (2); decile 10: Cliff (3).
enum Resident : std::int64_t { ann = 1, ben, cat, dan, eve, fay, gus, hal, ivy, jon };

struct Person {
  std::int64_t id;
  std::int64_t neighbourhood;
  std::string_view given, family;
  demo::NeedSet needs;
};
constexpr Person kPeople[] = {
    {ann, 3, "Ann", "Adams", kFood}, {ben, 1, "Ben", "Baker", kFood | kHousing},
    {cat, 2, "Cat", "Cole", kFood},  {dan, 1, "Dan", "Dyer", kFood},
    {eve, 2, "Eve", "Evans", kFood}, {fay, 1, "Fay", "Ford", 0},
    {gus, 3, "Gus", "Gray", kFood},  {hal, 3, "Hal", "Hill", kHousing},
    {ivy, 1, "Ivy", "Ives", kFood},  {jon, 2, "Jon", "Jones", kFood},
};

void write_place(Connection& db) {
  demo::Place place;
  place.name = "Testham";
  place.scale = "test";
  place.reference_date = {2026, 1, 1};
  place.towns.push_back({1, {1, 1}, "Testham", {52.0, -1.0}, "Testshire"});
  const std::vector<std::pair<std::string, int>> areas{{"Ashby", 1}, {"Brook", 1}, {"Cliff", 10}};
  for (std::size_t i = 0; i < areas.size(); ++i) {
    demo::Neighbourhood n;
    n.id = static_cast<std::int64_t>(i + 1);
    n.public_id = {2, i + 1};
    n.town_id = 1;
    n.name = areas[i].first;
    n.code = "X0100000" + std::to_string(i + 1);
    n.centroid = {52.0, -1.0};
    n.deprivation_decile = areas[i].second;
    place.neighbourhoods.push_back(n);
  }
  TownWriter writer(db, "2026-01-01T00:00:00Z");
  writer.begin(place);
  demo::Chunk chunk;
  for (std::int64_t n = 1; n <= 3; ++n) {
    demo::Household h;
    h.id = n;
    h.public_id = {3, static_cast<std::uint64_t>(n)};
    h.neighbourhood_id = n;
    h.location = {52.0, -1.0};
    chunk.households.push_back(h);
  }
  for (const auto& p : kPeople) {
    demo::Resident r;
    r.id = p.id;
    r.public_id = {4, static_cast<std::uint64_t>(p.id)};
    r.household_id = p.neighbourhood;
    r.neighbourhood_id = p.neighbourhood;
    r.given_name = p.given;
    r.family_name = p.family;
    r.age = 70;
    r.birth_date = {1956, 1, 1};
    r.needs = p.needs;
    chunk.residents.push_back(r);
  }
  writer.write(chunk);
  writer.finish({});
}

person::Assessment assessment(int unable_outcomes, std::vector<std::string> eligible_needs) {
  person::Assessment a;
  a.from_impairment = true;
  a.significant_impact = true;
  for (int i = 0; i < unable_outcomes; ++i) a.outcomes[static_cast<std::size_t>(i)] = {1, "cannot, unaided"};
  a.eligible_needs = std::move(eligible_needs);
  return a;
}

careplan::Content plan(careplan::Kind kind, std::vector<careplan::Gap> gaps = {}) {
  careplan::Content c;
  c.kind = kind;
  c.budget_management = "council_managed";
  c.gaps = std::move(gaps);
  return c;
}

const std::string kNothingHere(plans::gap_text(plans::GapReason::no_provider));

class ReachStoreTest : public BothDrivers {
 protected:
  void SetUp() override {
    BothDrivers::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    migrated_db();
    write_place(db());
    coordinator_ = account("coordinator@example.org", Role::coordinator);
    other_ = account("other@example.org", Role::coordinator);
    const Actor c{coordinator_, "coordinator"};
    const auto assess = [&](std::int64_t who, int ago, int unable, std::vector<std::string> eligible) {
      record_assessment(db(), who, assessment(unable, std::move(eligible)), {true, {"eligible"}}, c, days_ago(ago));
    };
    const auto save = [&](std::int64_t who, std::int64_t based_on, careplan::Content content, int ago) {
      const auto saved = save_plan_version(db(), who, based_on, content,
                                           content.kind == careplan::Kind::default_plan ? Actor{0, "system"} : c,
                                           days_ago(ago));
      ASSERT_TRUE(std::holds_alternative<std::int64_t>(saved));
    };
    assess(ann, 40, 1, {});
    assess(ben, 40, 2, {"food"});
    assess(cat, 40, 1, {});
    save(cat, 0, plan(careplan::Kind::coproduced), 20);  // a draft, not agreed
    assess(dan, 200, 0, {});
    save(dan, 0, plan(careplan::Kind::coproduced), 100);
    ASSERT_EQ(agree_plan(db(), dan, 1, c, true, days_ago(100)), DecisionOutcome::done);  // review overdue since day 44
    assess(eve, 10, 0, {"food"});                                                      // too recent for the batch
    assess(fay, 40, 1, {});                                                            // no needs
    assess(gus, 40, 4, {"food"});
    save(gus, 0, plan(careplan::Kind::default_plan, {{"food", "Food and essentials", true, kNothingHere}}), 5);
    assess(hal, 40, 1, {});
    save(hal, 0, plan(careplan::Kind::default_plan, {{"housing", "Housing", false, kNothingHere}}), 35);
    save(hal, 1, plan(careplan::Kind::coproduced, {{"housing", "Housing", false, "Left for now, as chosen"}}), 3);
    assess(ivy, 60, 1, {});
    save(ivy, 0, plan(careplan::Kind::default_plan), 50);
    assess(ivy, 5, 1, {});  // the latest assessment is recent
    assess(jon, 90, 0, {});
    save(jon, 0, plan(careplan::Kind::default_plan, {{"food", "Food and essentials", false, kNothingHere}}), 80);
    assess(jon, 40, 3, {"food"});  // reassessed since the default plan
    for (const auto who : {ann, ben, cat, dan, eve, gus, jon})
      ASSERT_TRUE(add_to_caseload(db(), coordinator_, who, "care_act_s9", days_ago(60)));
    ASSERT_TRUE(add_to_caseload(db(), other_, hal, "care_act_s9", days_ago(60)));
  }

  std::int64_t account(std::string email, Role role) {
    NewAccount a;
    a.display_name = "Name of " + email;
    a.email = std::move(email);
    a.password_hash = "$argon2id$stand-in";
    a.roles = {{role, ""}};
    const auto created = create_account(db(), a, days_ago(365));
    if (!created) ADD_FAILURE() << created.error().message;
    return created ? created->id : 0;
  }

  std::int64_t coordinator_ = 0;
  std::int64_t other_ = 0;
};

TEST_P(ReachStoreTest, DefaultPlansAreForTheAssessedWithNeedsAndNoAgreedOrRecentDefaultPlan) {
  const auto cutoff = core::to_iso8601(days_ago(28));
  const auto candidates = residents_needing_default_plans(db(), cutoff);
  std::vector<std::int64_t> ids, versions;
  for (const auto& c : candidates) {
    ids.push_back(c.resident_id);
    versions.push_back(c.latest_version);
  }
  // Not Dan (agreed), Eve (assessed 10 days ago), Fay (no needs), Gus (a
  // default plan since the assessment), Hal (a draft after his default plan),
  // Ivy (reassessed 5 days ago); Jon, whose default plan predates his latest
  // assessment, again.
  EXPECT_EQ(ids, (std::vector<std::int64_t>{ann, ben, cat, jon}));
  EXPECT_EQ(versions, (std::vector<std::int64_t>{0, 0, 1, 1}));
  EXPECT_EQ(candidates.front().assessed_at, core::to_iso8601(days_ago(40)));

  // Once proposed, a person is not picked again.
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(
      save_plan_version(db(), ben, 0, plan(careplan::Kind::default_plan), {0, "system"}, kNow)));
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(
      save_plan_version(db(), cat, 1, plan(careplan::Kind::default_plan), {0, "system"}, kNow)));
  ids.clear();
  for (const auto& c : residents_needing_default_plans(db(), cutoff)) ids.push_back(c.resident_id);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{ann, jon}));
  // An earlier cutoff leaves out everyone assessed since.
  EXPECT_TRUE(residents_needing_default_plans(db(), core::to_iso8601(days_ago(41))).empty());
}

TEST_P(ReachStoreTest, OutreachListsTheCaseloadWithoutAgreedPlansMostDeprivedThenMostDependentFirst) {
  const auto list = outreach_list(db(), coordinator_, kNow);
  std::vector<std::int64_t> order;
  for (const auto& e : list) order.push_back(e.resident_id);
  // Decile 1: Jon (3 unable + 1 eligible need), Ben (2 + 1), then Cat and Eve
  // (1 each) by family name; decile 10: Gus (4 + 1), Ann (1). Not Dan
  // (agreed), nor Hal (another coordinator's).
  ASSERT_EQ(order, (std::vector<std::int64_t>{jon, ben, cat, eve, gus, ann}));
  EXPECT_EQ(list[0].dependency, 4);
  EXPECT_EQ(list[1].dependency, 3);
  EXPECT_EQ(list[4].dependency, 5);
  EXPECT_EQ(list[0].name, "Jon Jones");
  EXPECT_EQ(list[0].neighbourhood, "Brook");
  EXPECT_EQ(list[0].decile, 1);
  EXPECT_EQ(list[0].public_id.size(), 36u);
  EXPECT_EQ(list[0].days_since_assessed, 40);
  EXPECT_EQ(list[3].days_since_assessed, 10);
  EXPECT_EQ(list[0].basis, "care_act_s9");
  EXPECT_TRUE(list[0].default_proposed);
  EXPECT_FALSE(list[1].default_proposed);
  EXPECT_FALSE(list[2].default_proposed) << "Cat's latest plan is a draft";
  EXPECT_TRUE(list[4].default_proposed);
  EXPECT_EQ(list[5].decile, 10);

  const auto others = outreach_list(db(), other_, kNow);
  ASSERT_EQ(others.size(), 1u);
  EXPECT_EQ(others[0].resident_id, hal);
  EXPECT_FALSE(others[0].default_proposed) << "his latest plan is his draft";

  // Agreeing takes a person off the list.
  ASSERT_EQ(agree_plan(db(), ben, 0, {coordinator_, "coordinator"}, true, kNow), DecisionOutcome::not_latest);
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(
      save_plan_version(db(), ben, 0, plan(careplan::Kind::coproduced), {coordinator_, "coordinator"}, kNow)));
  ASSERT_EQ(agree_plan(db(), ben, 1, {coordinator_, "coordinator"}, true, kNow), DecisionOutcome::done);
  EXPECT_EQ(outreach_list(db(), coordinator_, kNow).size(), 5u);
}

TEST_P(ReachStoreTest, ReachCountsEachDecileAgainstItsShareOfResidents) {
  const auto deciles = reach_by_decile(db(), kNow);
  ASSERT_EQ(deciles.size(), 10u);
  for (std::size_t i = 0; i < deciles.size(); ++i) EXPECT_EQ(deciles[i].decile, static_cast<int>(i + 1));
  const auto& d1 = deciles[0];
  EXPECT_EQ(d1.residents, 7);
  EXPECT_EQ(d1.with_needs, 6);     // not Fay
  EXPECT_EQ(d1.agreed_plans, 1);   // Dan
  EXPECT_EQ(d1.default_plans, 2);  // Jon and Ivy (hers from before her latest assessment)
  EXPECT_EQ(d1.unmet_needs, 1);    // Jon
  EXPECT_EQ(d1.overdue_reviews, 1);  // Dan: agreed 100 days ago, first review due by day 56
  EXPECT_DOUBLE_EQ(d1.population_share, 0.7);
  const auto& d10 = deciles[9];
  EXPECT_EQ(d10.residents, 3);
  EXPECT_EQ(d10.with_needs, 3);
  EXPECT_EQ(d10.agreed_plans, 0);
  EXPECT_EQ(d10.default_plans, 1);  // Gus; Hal's latest is his draft
  EXPECT_EQ(d10.unmet_needs, 2);    // Gus and Hal
  EXPECT_EQ(d10.overdue_reviews, 0);
  EXPECT_DOUBLE_EQ(d10.population_share, 0.3);
  for (std::size_t i = 1; i < 9; ++i) {
    EXPECT_EQ(deciles[i].residents, 0);
    EXPECT_EQ(deciles[i].population_share, 0.0);
  }

  const auto areas = reach_by_neighbourhood(db(), kNow);
  ASSERT_EQ(areas.size(), 3u);
  EXPECT_EQ(areas[0].neighbourhood, "Ashby");
  EXPECT_EQ(areas[1].neighbourhood, "Brook");
  EXPECT_EQ(areas[2].neighbourhood, "Cliff");
  EXPECT_EQ(areas[0].residents, 4);  // Ben, Dan, Fay, Ivy
  EXPECT_EQ(areas[0].overdue_reviews, 1);
  EXPECT_EQ(areas[0].default_plans, 1);  // Ivy
  EXPECT_EQ(areas[1].residents, 3);
  EXPECT_EQ(areas[1].default_plans, 1);  // Jon
  EXPECT_EQ(areas[2].decile, 10);
  EXPECT_DOUBLE_EQ(areas[0].population_share, 0.4);

  // A review held since brings Dan up to date.
  record_review(db(), dan, "All well", {coordinator_, "coordinator"}, days_ago(1));
  EXPECT_EQ(reach_by_decile(db(), kNow)[0].overdue_reviews, 0);
}

TEST_P(ReachStoreTest, GapsInProvisionCountLatestPlansWhereNothingHereMeetsTheNeed) {
  const auto gaps = gaps_in_provision(db());
  // Gus's and Jon's latest plans; not Hal's default plan, replaced by his draft
  // (which leaves housing for now, by choice).
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].need_code, "food");
  EXPECT_EQ(gaps[0].need_label, "Food and essentials");
  EXPECT_EQ(gaps[0].people, 2);
}

TEST_P(ReachStoreTest, NoNeighbourhoodsMakeTenEmptyDecilesAndNoCaseloadAnEmptyList) {
  const auto deciles = deciles_of({});
  ASSERT_EQ(deciles.size(), 10u);
  for (const auto& d : deciles) {
    EXPECT_EQ(d.residents, 0);
    EXPECT_EQ(d.population_share, 0.0);
  }
  EXPECT_TRUE(outreach_list(db(), account("nobody@example.org", Role::coordinator), kNow).empty());
}

BESPOKE_INSTANTIATE_BOTH_DRIVERS(ReachStoreTest);

}  // namespace
}  // namespace bespoke::store
