// The bridge to the plan engine: directory services as options, a person's
// record as a request, and a proposal as a draft plan.
#include "careplan/catalogue.h"
#include "careplan/request.h"
#include "careplan/vocabulary.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace bespoke::careplan {
namespace {

using directory::ServiceEntry;
using directory::Taxonomy;
using directory::TermIndex;
using directory::Uuid;

constexpr core::LatLon kHome{52.0, -1.0};

// The standard vocabulary's taxonomies, and one that reuses a need's code.
struct Terms {
  Taxonomy tax;
  TermIndex loneliness, lunch_clubs, personal_care, mobility, money_advice, carer, young_carer, unknown_circumstance,
      other_loneliness;

  Terms() {
    const auto need = tax.add_taxonomy({Uuid{1, 1}, "bespokeNeed"});
    const auto circ = tax.add_taxonomy({Uuid{1, 2}, "bespokeCircumstance"});
    const auto other = tax.add_taxonomy({Uuid{1, 3}, "openEligibility"});
    loneliness = tax.add_term({Uuid{2, 1}, need, "loneliness", "Loneliness and social isolation", std::nullopt});
    lunch_clubs = tax.add_term({Uuid{2, 2}, need, "lunch_clubs", "Lunch clubs", loneliness});  // narrower, not a code
    personal_care = tax.add_term({Uuid{2, 3}, need, "personal_care", "Personal care at home", std::nullopt});
    mobility = tax.add_term({Uuid{2, 4}, need, "mobility", "Mobility and getting about", std::nullopt});
    money_advice = tax.add_term({Uuid{2, 5}, need, "money_advice", "Debt and money advice", std::nullopt});
    carer = tax.add_term({Uuid{2, 6}, circ, "carer", "Unpaid carer", std::nullopt});
    young_carer = tax.add_term({Uuid{2, 7}, circ, "young_carer", "Young carer", carer});
    unknown_circumstance = tax.add_term({Uuid{2, 8}, circ, "astronaut", "Astronaut", std::nullopt});
    other_loneliness = tax.add_term({Uuid{2, 9}, other, "loneliness", "Not our need", std::nullopt});
  }
};

Uuid org(std::uint64_t n) { return Uuid{0xA, n}; }
std::string sid(std::uint64_t n) { return Uuid{0x5, n}.text(); }  // service n's id

ServiceEntry service(std::uint64_t n, std::string name, std::vector<TermIndex> terms, std::uint64_t organisation,
                     directory::ProviderKind kind) {
  ServiceEntry e;
  e.id = Uuid{0x5, n};
  e.organization_id = org(organisation);
  e.organization_name = "Organisation " + std::to_string(organisation);
  e.name = std::move(name);
  e.terms = std::move(terms);
  e.provider_kind = kind;
  e.sites.push_back({Uuid{0x6, n}, Uuid{0x7, n}, kHome.lat + 0.001 * static_cast<double>(n), kHome.lon});
  return e;
}

class Bridge : public ::testing::Test {
 protected:
  Bridge() {
    using K = directory::ProviderKind;
    auto lunch = service(1, "Riverside lunch club", {t.lunch_clubs}, 1, K::community_led);
    lunch.description = "Hot food and company, with a GARDEN for members to grow vegetables.";
    lunch.community_led = true;
    lunch.lowest_cost_pence = 0;
    lunch.languages = {{'e', 'n', 0}, {'p', 'l', 0}};
    lunch.weekly = {{1, 600, 720}};
    lunch.capacity_available = 5;
    lunch.capacity_maximum = 20;
    entries.push_back(lunch);

    auto closed = service(2, "Old lunch club", {t.loneliness}, 1, K::community_led);
    closed.active = false;
    entries.push_back(closed);

    entries.push_back(service(3, "Not ours", {t.other_loneliness}, 1, K::charity));

    auto care = service(4, "Home care", {t.personal_care}, 2, K::council);
    care.lowest_cost_pence = 1250;
    entries.push_back(care);

    auto walk = service(5, "Women's walking group", {t.mobility}, 3, K::volunteer_group);
    walk.description = "Gentle walks for carers.";
    walk.eligible_circumstances = {t.young_carer};
    walk.weekly = {{2, 14 * 60, 15 * 60}, {4, 14 * 60, 15 * 60}};
    entries.push_back(walk);

    auto astronauts = service(6, "Astronauts' club", {t.loneliness}, 3, K::charity);
    astronauts.eligible_circumstances = {t.unknown_circumstance};
    entries.push_back(astronauts);

    auto mosque = service(7, "Mosque befriending for men", {t.loneliness, t.money_advice}, 4, K::charity);
    mosque.capacity_available = 0;
    mosque.capacity_maximum = 0;  // no limit published
    entries.push_back(mosque);
  }

  const plans::Option& option(std::uint64_t service_n) {
    const auto id = catalogue().option_of(Uuid{0x5, service_n}.text());
    EXPECT_TRUE(id.has_value());
    return *catalogue().engine().find(*id);
  }

  ServiceCatalogue& catalogue() {
    if (!catalogue_) catalogue_.emplace(t.tax, entries, vocabulary);
    return *catalogue_;
  }

  PersonFacts person() {
    PersonFacts p;
    p.home = kHome;
    p.age = 70;
    p.circumstances = {"carer"};
    p.matters.travel = plans::TravelMode::walk;
    p.matters.travel_minutes = 20;
    p.matters.interests = {"gardening"};
    p.needs = {{"loneliness", false}, {"personal_care", true}, {"mobility", false}, {"money_advice", false}};
    return p;
  }

  Terms t;
  Vocabulary vocabulary = Vocabulary::standard();
  std::vector<ServiceEntry> entries;
  std::optional<ServiceCatalogue> catalogue_;
};

std::vector<std::string> need_labels(const Vocabulary& v) {
  std::vector<std::string> labels;
  for (const auto& code : v.needs) labels.push_back("Label of " + code);
  return labels;
}

TEST(Vocabulary, StandardHasEnglishFirstAndLowerCaseInterests) {
  const auto v = Vocabulary::standard();
  EXPECT_TRUE(v.problems().empty());
  EXPECT_EQ(v.languages.front(), "en");
  EXPECT_EQ(v.language("pl"), 1u);
  EXPECT_EQ(v.need("loneliness"), 4u);
  EXPECT_FALSE(v.need("nonsense").has_value());
  EXPECT_TRUE(v.culture("muslim").has_value());
  EXPECT_FALSE(v.culture("none").has_value());
  const auto& names = v.names();
  EXPECT_EQ(names.interests[*v.interest("gardening")], "gardening");
  EXPECT_EQ(names.languages[1], "Polish");
  EXPECT_EQ(names.cultures[*v.culture("muslim")], "Muslim");
  EXPECT_EQ(provider_kind("volunteer_group"), plans::ProviderKind::volunteer_group);
  EXPECT_FALSE(provider_kind("pirates").has_value());
}

TEST_F(Bridge, KeepsActiveServicesMeetingANeedOfTheNeedTaxonomy) {
  EXPECT_EQ(catalogue().size(), 4u);  // lunch club, home care, walking group, mosque
  EXPECT_FALSE(catalogue().option_of(sid(2)).has_value());  // inactive
  EXPECT_FALSE(catalogue().option_of(sid(3)).has_value());  // "loneliness" of another taxonomy
  EXPECT_FALSE(catalogue().option_of(sid(6)).has_value());  // eligibility outside the vocabulary
  EXPECT_FALSE(catalogue().option_of("not a uuid").has_value());

  const auto lunch = catalogue().option_of(sid(1));
  ASSERT_EQ(lunch, 1u);
  const auto* facts = catalogue().facts(*lunch);
  ASSERT_NE(facts, nullptr);
  EXPECT_EQ(facts->id, sid(1));
  EXPECT_EQ(facts->name, "Riverside lunch club");
  EXPECT_EQ(facts->organisation_id, org(1).text());
  EXPECT_EQ(facts->organisation, "Organisation 1");
  EXPECT_EQ(catalogue().facts(0), nullptr);
  EXPECT_EQ(catalogue().facts(99), nullptr);
  EXPECT_EQ(catalogue().organisation_key(org(1).text()), 1u);
  EXPECT_EQ(catalogue().organisation_key(org(4).text()), 4u);
  EXPECT_FALSE(catalogue().organisation_key(org(9).text()).has_value());
}

TEST_F(Bridge, MapsEachServiceFact) {
  const auto& lunch = option(1);
  EXPECT_EQ(lunch.needs, std::vector<plans::NeedId>{*vocabulary.need("loneliness")});  // through the broader term
  EXPECT_EQ(lunch.kind, plans::ProviderKind::community_led);
  EXPECT_TRUE(lunch.community_led);
  ASSERT_TRUE(lunch.site.has_value());
  EXPECT_DOUBLE_EQ(lunch.site->lat, kHome.lat + 0.001);
  EXPECT_EQ(lunch.languages, 0b11u);  // English and Polish
  EXPECT_EQ(lunch.cost_per_session.value, 0);
  EXPECT_EQ(lunch.sessions, (std::vector<plans::WeeklySlot>{{1, 600, 720}}));
  EXPECT_EQ(lunch.spare_places, 5);
  EXPECT_EQ(lunch.interests, std::uint64_t{1} << *vocabulary.interest("gardening"));  // "GARDEN", any case
  EXPECT_EQ(lunch.carer_gender, plans::CarerGender::any);
  EXPECT_EQ(lunch.minimum_age, 0);
  EXPECT_EQ(lunch.maximum_age, 255);

  const auto& care = option(4);
  EXPECT_EQ(care.kind, plans::ProviderKind::council);
  EXPECT_FALSE(care.site.has_value());  // personal care comes to the person
  EXPECT_EQ(care.cost_per_session.value, 1250);
  EXPECT_EQ(care.languages, 1u);  // none listed: English
  EXPECT_TRUE(care.sessions.empty());
  EXPECT_FALSE(care.spare_places.has_value());

  const auto& walk = option(5);
  EXPECT_EQ(walk.kind, plans::ProviderKind::volunteer_group);
  // A young carer is a carer.
  EXPECT_EQ(walk.eligible_circumstances, std::uint32_t{1} << *vocabulary.circumstance("carer"));
  EXPECT_EQ(walk.carer_gender, plans::CarerGender::female);
  EXPECT_EQ(walk.interests, std::uint64_t{1} << *vocabulary.interest("walking"));
  EXPECT_EQ(walk.cost_per_session.value, 0);  // unknown: 0
  EXPECT_EQ(walk.sessions.size(), 2u);

  const auto& mosque = option(7);
  EXPECT_EQ(mosque.needs.size(), 2u);
  EXPECT_EQ(mosque.culture, std::uint32_t{1} << *vocabulary.culture("muslim"));
  EXPECT_EQ(mosque.interests, std::uint64_t{1} << *vocabulary.interest("faith"));
  EXPECT_EQ(mosque.carer_gender, plans::CarerGender::male);  // "for men"
  EXPECT_FALSE(mosque.spare_places.has_value());             // maximum 0: not published
}

TEST_F(Bridge, KeywordsMatchWholeWordsOnly) {
  entries.clear();
  using K = directory::ProviderKind;
  auto e = service(1, "Heart health start-up: reading glasses for women and for men", {t.loneliness}, 1, K::charity);
  e.description = "Already housing petitions; womenfolk.";
  entries.push_back(e);
  const auto& o = option(1);
  // "heart", "start" are not art; "already" not read; "housing" not sing; "petitions" not pet.
  EXPECT_EQ(o.interests, std::uint64_t{1} << *vocabulary.interest("reading"));  // "reading" itself
  EXPECT_EQ(o.carer_gender, plans::CarerGender::any);  // both women and men
}

TEST_F(Bridge, RequestHasThePersonsFacts) {
  auto p = person();
  p.matters.languages = {"pl", "en"};
  p.matters.faith = "muslim";
  p.matters.times = {"1:morning"};
  p.matters.ruled_out_kinds = {"private_company"};
  p.current_organisations = {org(2).text(), org(9).text()};  // the second unknown: skipped
  p.ruled_out_organisations = {org(3).text()};
  p.budget = person::Budget{core::Pence{2000}, core::Pence{500}, person::BudgetManagement::council_managed, {}};
  const auto r = request_for(p, catalogue(), vocabulary);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const auto& who = r->person;
  EXPECT_EQ(who.languages, 0b11u);
  EXPECT_EQ(who.main_language, 1);
  EXPECT_EQ(who.circumstances, std::uint32_t{1} << *vocabulary.circumstance("carer"));
  EXPECT_EQ(who.travel, plans::TravelMode::walk);
  EXPECT_DOUBLE_EQ(who.max_travel_m, person::reach_metres(plans::TravelMode::walk, 20));
  EXPECT_EQ(who.times_that_suit, (std::vector<plans::WeeklySlot>{{1, 9 * 60, 12 * 60}}));
  EXPECT_EQ(who.culture, std::uint32_t{1} << *vocabulary.culture("muslim"));
  EXPECT_EQ(who.interests, std::uint64_t{1} << *vocabulary.interest("gardening"));
  EXPECT_EQ(who.excluded_kinds, std::vector<plans::ProviderKind>{plans::ProviderKind::private_company});
  EXPECT_EQ(who.current_organisations, std::vector<std::uint32_t>{2});
  EXPECT_EQ(who.excluded_organisations, std::vector<std::uint32_t>{3});
  EXPECT_EQ(who.budget_per_week.value, 2000);
  ASSERT_EQ(r->needs.size(), 4u);
  EXPECT_EQ(r->needs[1].need, *vocabulary.need("personal_care"));
  EXPECT_TRUE(r->needs[1].eligible);
}

TEST_F(Bridge, RequestDefaultsAndNoTravel) {
  auto p = person();
  p.matters.travel = plans::TravelMode::none;
  p.matters.faith = "none";  // names no community
  const auto r = request_for(p, catalogue(), vocabulary);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->person.languages, 1u);  // English
  EXPECT_EQ(r->person.main_language, 0);
  EXPECT_EQ(r->person.travel, plans::TravelMode::none);
  EXPECT_EQ(r->person.max_travel_m, 0);
  EXPECT_EQ(r->person.culture, 0u);
  EXPECT_EQ(r->person.budget_per_week.value, 0);  // no budget: only free options fit
}

TEST_F(Bridge, HelpersBecomeInformalOptions) {
  auto p = person();
  p.helpers.push_back({"h-1", "Asha", "daughter", {"mobility", "no_such_need"}, {"2:afternoon"}, ""});
  p.helpers.push_back({"h-2", "Sam", "neighbour", {"no_such_need"}, {}, ""});  // nothing usable: left out
  p.helpers.push_back({"h-3", "Kit", "friend", {"loneliness"}, {}, ""});
  const auto r = request_for(p, catalogue(), vocabulary);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_EQ(r->own_options.size(), 2u);
  const auto& asha = r->own_options[0];
  EXPECT_EQ(asha.id, kHelperOptionBase);
  EXPECT_EQ(asha.kind, plans::ProviderKind::informal);
  EXPECT_EQ(asha.needs, std::vector<plans::NeedId>{*vocabulary.need("mobility")});
  EXPECT_EQ(asha.sessions, (std::vector<plans::WeeklySlot>{{2, 12 * 60, 17 * 60}}));
  EXPECT_EQ(asha.cost_per_session.value, 0);
  EXPECT_FALSE(asha.site.has_value());
  EXPECT_EQ(asha.organisation, 0u);
  EXPECT_EQ(asha.languages, r->person.languages);
  const auto& kit = r->own_options[1];
  EXPECT_EQ(kit.id, kHelperOptionBase + 2);
  EXPECT_TRUE(kit.sessions.empty());  // arranged between them
  EXPECT_EQ(helper_index(kit.id), 2u);
  EXPECT_FALSE(helper_index(1).has_value());
}

TEST_F(Bridge, UnknownCodesAreErrorsNamingTheField) {
  const auto field = [&](PersonFacts p) {
    const auto r = request_for(p, catalogue(), vocabulary);
    return r.has_value() ? std::string("ok") : r.error().field;
  };
  auto p = person();
  p.needs.push_back({"flying", false});
  EXPECT_EQ(field(p), "needs");
  p = person();
  p.needs.push_back({"loneliness", false});  // twice
  EXPECT_EQ(field(p), "needs");
  p = person();
  p.matters.languages = {"xx"};
  EXPECT_EQ(field(p), "languages");
  p = person();
  p.circumstances = {"astronaut"};
  EXPECT_EQ(field(p), "circumstances");
  p = person();
  p.matters.faith = "jedi";
  EXPECT_EQ(field(p), "faith");
  p = person();
  p.matters.interests = {"jousting"};
  EXPECT_EQ(field(p), "interests");
  p = person();
  p.matters.ruled_out_kinds = {"pirates"};
  EXPECT_EQ(field(p), "ruled_out_kinds");
  p = person();
  p.home = {123, 0};
  EXPECT_EQ(field(p), "home");
  EXPECT_EQ(field(person()), "ok");
}

TEST(DescribeSlot, DayAndTimes) {
  EXPECT_EQ(describe_slot(plans::WeeklySlot{1, 600, 720}), "Tuesday 10:00 to 12:00");
  EXPECT_EQ(describe_slot(plans::WeeklySlot{4, 22 * 60, 1440}), "Friday 22:00 to midnight");
  EXPECT_EQ(describe_slot(std::nullopt), "arranged to suit you");
}

TEST_F(Bridge, ProposalBecomesADraftWithExplanationsAndAGap) {
  auto ride = service(8, "Dial-a-ride", {t.mobility}, 2, directory::ProviderKind::council);
  ride.lowest_cost_pence = 300;
  entries.push_back(ride);
  auto p = person();
  p.needs = {{"loneliness", false}, {"personal_care", true}, {"mobility", true}, {"early_years", false}};
  p.helpers.push_back({"h-1", "Asha", "daughter", {"mobility"}, {"2:afternoon"}, ""});
  p.matters.ruled_out_kinds = {"volunteer_group"};  // not the walking group: Asha instead
  p.budget = person::Budget{core::Pence{2000}, core::Pence{500}, person::BudgetManagement::direct_payment,
                            core::Pence{1500}};
  const auto request = request_for(p, catalogue(), vocabulary);
  ASSERT_TRUE(request.has_value()) << request.error().message;
  const auto proposal = plans::propose(catalogue().engine(), *request);
  const auto labels = need_labels(vocabulary);
  const auto draft = draft_from(proposal, *request, p, catalogue(), vocabulary, labels);

  ASSERT_EQ(draft.lines.size(), 3u);
  const auto& lunch = draft.lines[0];
  EXPECT_EQ(lunch.need_code, "loneliness");
  EXPECT_EQ(lunch.need_label, "Label of loneliness");
  EXPECT_FALSE(lunch.eligible);
  EXPECT_EQ(lunch.source, Source::service);
  EXPECT_EQ(lunch.ref, sid(1));
  EXPECT_EQ(lunch.title, "Riverside lunch club");
  EXPECT_EQ(lunch.provider, "Organisation 1");
  EXPECT_EQ(lunch.when, "Tuesday 10:00 to 12:00");
  EXPECT_EQ(lunch.weekly_cost.value, 0);
  EXPECT_NE(lunch.explanation.find("gardening, which you enjoy"), std::string::npos) << lunch.explanation;
  EXPECT_NE(lunch.explanation.find("run by a community-led organisation"), std::string::npos) << lunch.explanation;

  const auto& care = draft.lines[1];
  EXPECT_EQ(care.need_code, "personal_care");
  EXPECT_TRUE(care.eligible);
  EXPECT_EQ(care.title, "Home care");
  EXPECT_EQ(care.when, "arranged to suit you");
  EXPECT_EQ(care.weekly_cost.value, 1250);
  EXPECT_NE(care.explanation.find("comes to you"), std::string::npos) << care.explanation;

  const auto& asha = draft.lines[2];
  EXPECT_EQ(asha.need_code, "mobility");
  EXPECT_EQ(asha.source, Source::informal);
  EXPECT_EQ(asha.ref, "h-1");
  EXPECT_EQ(asha.title, "Asha");
  EXPECT_EQ(asha.provider, "daughter");
  EXPECT_EQ(asha.when, "Wednesday 12:00 to 17:00");
  // Informal help with an eligible need: the council's dial-a-ride stands behind it.
  EXPECT_EQ(asha.fallback_ref, sid(8));
  EXPECT_EQ(asha.fallback_title, "Dial-a-ride");
  EXPECT_NE(asha.explanation.find("someone you know"), std::string::npos) << asha.explanation;

  ASSERT_EQ(draft.gaps.size(), 1u);
  EXPECT_EQ(draft.gaps[0].need_code, "early_years");
  EXPECT_EQ(draft.gaps[0].reason, plans::gap_text(plans::GapReason::no_provider));

  EXPECT_EQ(draft.budget_weekly.value, 2000);
  EXPECT_EQ(draft.person_contribution.value, 500);
  EXPECT_EQ(draft.budget_management, "direct_payment");
  EXPECT_EQ(draft.direct_payment_weekly.value, 1500);
  EXPECT_EQ(draft.direct_payment_needs, "Label of personal_care and Label of mobility");

  // A line for another candidate the person picks.
  const auto& ranked = proposal.ranked[0];
  ASSERT_FALSE(ranked.empty());
  const auto picked = line_from(ranked.back(), *request, request->needs[0], p, catalogue(), vocabulary, labels);
  EXPECT_EQ(picked.need_code, "loneliness");
  EXPECT_FALSE(picked.explanation.empty());
}

TEST(MatchesRecord, AVersionFollowsTheLatestAssessmentAndBudget) {
  PersonFacts person;
  person.needs = {{"loneliness", false}, {"personal_care", true}};
  person.budget = person::Budget{core::Pence{12000}, core::Pence{2000}, person::BudgetManagement::council_managed, {}};
  Content c;
  c.lines.push_back({"personal_care", "Personal care", true, Source::service, "s", "Home care", "Org", "any",
                     core::Pence{1000}, false, "", "", ""});
  c.gaps.push_back({"loneliness", "Loneliness", false, "Left for now"});
  c.budget_weekly = core::Pence{12000};
  c.person_contribution = core::Pence{2000};
  EXPECT_TRUE(matches_record(c, person));

  auto reassessed = person;
  reassessed.needs[0].eligible = true;  // loneliness is now the council's to meet
  EXPECT_FALSE(matches_record(c, reassessed));
  auto rebudgeted = person;
  rebudgeted.budget->weekly = core::Pence{15000};
  EXPECT_FALSE(matches_record(c, rebudgeted));
  auto no_budget = person;
  no_budget.budget.reset();
  EXPECT_FALSE(matches_record(c, no_budget));
}

}  // namespace
}  // namespace bespoke::careplan
