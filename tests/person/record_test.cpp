// The person's record: travel reach, times, the Care Act eligibility decision,
// the checks on each part of the record, and money typed into a form.
#include "person/record.h"  // first: the header is self-contained

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bespoke::person {
namespace {

using plans::TravelMode;
using plans::WeeklySlot;

std::vector<std::string> fields(const std::vector<core::Error>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) {
    EXPECT_EQ(p.code, core::ErrorCode::invalid);
    out.push_back(p.field);
  }
  return out;
}

// The message for `field`, or "" when there is no problem with it.
std::string message_for(const std::vector<core::Error>& problems, std::string_view field) {
  for (const auto& p : problems)
    if (p.field == field) return p.message;
  return "";
}

std::string repeat(std::string_view piece, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += piece;
  return out;
}

using Fields = std::vector<std::string>;

// ---- reach_metres -----------------------------------------------------------------

TEST(ReachMetres, WalkingIsEightyMetresAMinuteAlongTheStreets) {
  EXPECT_DOUBLE_EQ(reach_metres(TravelMode::walk, 20), 1600 / 1.3);
  EXPECT_DOUBLE_EQ(reach_metres(TravelMode::walk, 5), 400 / 1.3);
}

TEST(ReachMetres, ABusGoesTwoHundredAndFiftyMetresAMinuteAfterATenMinuteWait) {
  EXPECT_DOUBLE_EQ(reach_metres(TravelMode::bus, 30), 250 * 20 / 1.3);
  EXPECT_DOUBLE_EQ(reach_metres(TravelMode::bus, 120), 250 * 110 / 1.3);
}

TEST(ReachMetres, ACarGoesFiveHundredMetresAMinuteAfterFiveToPark) {
  EXPECT_DOUBLE_EQ(reach_metres(TravelMode::car, 25), 500 * 20 / 1.3);
}

TEST(ReachMetres, ABusOrCarUserCanStillWalkSomewhereNear) {
  EXPECT_DOUBLE_EQ(reach_metres(TravelMode::bus, 5), 400 / 1.3);
  EXPECT_DOUBLE_EQ(reach_metres(TravelMode::bus, 10), 400 / 1.3);
  EXPECT_DOUBLE_EQ(reach_metres(TravelMode::bus, 11), 400 / 1.3);  // 250 m of bus is less than the walk
  EXPECT_DOUBLE_EQ(reach_metres(TravelMode::car, 5), 400 / 1.3);
  EXPECT_DOUBLE_EQ(reach_metres(TravelMode::car, 6), 500 / 1.3);
}

TEST(ReachMetres, NoTravelReachesNothing) {
  EXPECT_EQ(reach_metres(TravelMode::none, 60), 0.0);
  EXPECT_EQ(reach_metres(TravelMode::walk, 0), 0.0);
  EXPECT_EQ(reach_metres(TravelMode::walk, -5), 0.0);
}

// ---- slot_of, slots_of ------------------------------------------------------------

TEST(Slots, EachDayPartIsItsHours) {
  EXPECT_EQ(slot_of("0:morning"), (WeeklySlot{0, 9 * 60, 12 * 60}));
  EXPECT_EQ(slot_of("3:afternoon"), (WeeklySlot{3, 12 * 60, 17 * 60}));
  EXPECT_EQ(slot_of("6:evening"), (WeeklySlot{6, 17 * 60, 21 * 60}));
}

TEST(Slots, MalformedEntriesAreNotSlots) {
  for (const char* bad : {"", "1", "1:", ":morning", "7:morning", "-1:morning", "11:morning", "1morning", "1:night",
                          "1:Morning", " 1:morning", "1:morning ", "a:morning", "1;morning"})
    EXPECT_FALSE(slot_of(bad).has_value()) << bad;
}

TEST(Slots, AreSortedByDayAndStartWithoutRepeats) {
  const std::vector<std::string> times{"4:evening", "1:afternoon", "nonsense", "1:morning", "4:evening", "0:evening",
                                       "9:morning"};
  EXPECT_EQ(slots_of(times), (std::vector<WeeklySlot>{
                                 {0, 17 * 60, 21 * 60},
                                 {1, 9 * 60, 12 * 60},
                                 {1, 12 * 60, 17 * 60},
                                 {4, 17 * 60, 21 * 60},
                             }));
}

TEST(Slots, NoTimesMeansNoSlots) {
  EXPECT_TRUE(slots_of({}).empty());
  EXPECT_TRUE(slots_of({"bad", "8:morning"}).empty());
}

// ---- label_of and the vocabularies ---------------------------------------------------

TEST(LabelOf, KnownCodesHaveTheirLabel) {
  EXPECT_EQ(label_of(kLanguages, "pl"), "Polish");
  EXPECT_EQ(label_of(kFaiths, "none"), "No religion");
  EXPECT_EQ(label_of(kProviderKinds, "community_led"), "Community-led organisation");
  EXPECT_EQ(label_of(kTravelModes, "bus"), "Bus or train");
}

TEST(LabelOf, UnknownCodesHaveNone) {
  EXPECT_EQ(label_of(kLanguages, "xx"), "");
  EXPECT_EQ(label_of(kLanguages, ""), "");
  EXPECT_EQ(label_of(kLanguages, "EN"), "");
}

TEST(Vocabularies, ProviderKindsAreInTheEnginesOrder) {
  EXPECT_EQ(kProviderKinds[static_cast<std::size_t>(plans::ProviderKind::council)].code, "council");
  EXPECT_EQ(kProviderKinds[static_cast<std::size_t>(plans::ProviderKind::community_led)].code, "community_led");
  EXPECT_EQ(kProviderKinds[static_cast<std::size_t>(plans::ProviderKind::private_company)].code, "private_company");
}

// ---- decide -----------------------------------------------------------------------

constexpr std::size_t kNutrition = 0;
constexpr std::size_t kHygiene = 1;
constexpr std::size_t kToilet = 2;

Assessment eligible_assessment() {
  Assessment a;
  a.from_impairment = true;
  a.impairment_notes = "Parkinson's disease, diagnosed in 2019.";
  a.outcomes[kNutrition] = {static_cast<std::uint8_t>(UnableTest::without_assistance), "Cannot cook safely."};
  a.outcomes[kHygiene] = {static_cast<std::uint8_t>(UnableTest::endangers), "Has fallen in the bath."};
  a.outcomes[kToilet] = {static_cast<std::uint8_t>(UnableTest::takes_much_longer), "Takes an hour at night."};
  a.significant_impact = true;
  a.wellbeing_notes = "Isolated and losing weight.";
  a.eligible_needs = {"meals"};
  return a;
}

const std::vector<std::string> kNeeds{"meals", "personal_care", "company"};

TEST(Decide, AllThreeConditionsMetIsEligible) {
  const auto d = decide(eligible_assessment());
  EXPECT_TRUE(d.eligible);
  EXPECT_EQ(d.reasons, (std::vector<std::string>{
                           "The needs arise from a physical or mental impairment or illness.",
                           "Unable to achieve 3 of the 10 outcomes: Managing and maintaining nutrition, Maintaining "
                           "personal hygiene and Managing toilet needs.",
                           "There is a significant impact on wellbeing.",
                       }));
}

TEST(Decide, NeedsNotFromAnImpairmentAreNotEligible) {
  auto a = eligible_assessment();
  a.from_impairment = false;
  const auto d = decide(a);
  EXPECT_FALSE(d.eligible);
  ASSERT_EQ(d.reasons.size(), 3u);
  EXPECT_EQ(d.reasons[0], "The needs do not arise from an impairment or illness, so they are not eligible.");
}

TEST(Decide, OneOutcomeIsNotEnough) {
  auto a = eligible_assessment();
  a.outcomes[kHygiene] = {};
  a.outcomes[kToilet] = {};
  const auto d = decide(a);
  EXPECT_FALSE(d.eligible);
  ASSERT_EQ(d.reasons.size(), 3u);
  EXPECT_EQ(d.reasons[1],
            "Unable to achieve only 1 of the 10 outcomes; at least 2 are needed: Managing and maintaining nutrition.");
}

TEST(Decide, TwoOutcomesAreEnough) {
  auto a = eligible_assessment();
  a.outcomes[kNutrition] = {};
  const auto d = decide(a);
  EXPECT_TRUE(d.eligible);
  EXPECT_EQ(d.reasons[1], "Unable to achieve 2 of the 10 outcomes: Maintaining personal hygiene and Managing toilet needs.");
}

TEST(Decide, AbleToAchieveEverything) {
  auto a = eligible_assessment();
  a.outcomes = {};
  const auto d = decide(a);
  EXPECT_FALSE(d.eligible);
  EXPECT_EQ(d.reasons[1], "Able to achieve all 10 outcomes.");
}

TEST(Decide, EachUnableTestCountsOnItsOwn) {
  for (const auto test : {UnableTest::without_assistance, UnableTest::pain_or_distress, UnableTest::endangers,
                          UnableTest::takes_much_longer}) {
    auto a = eligible_assessment();
    a.outcomes = {};
    a.outcomes[3].tests = static_cast<std::uint8_t>(test);
    a.outcomes[9].tests = static_cast<std::uint8_t>(test);
    const auto d = decide(a);
    EXPECT_TRUE(d.eligible);
    EXPECT_EQ(d.reasons[1],
              "Unable to achieve 2 of the 10 outcomes: Being appropriately clothed and Carrying out caring "
              "responsibilities for a child.");
  }
}

TEST(Decide, NoSignificantImpactIsNotEligible) {
  auto a = eligible_assessment();
  a.significant_impact = false;
  const auto d = decide(a);
  EXPECT_FALSE(d.eligible);
  EXPECT_EQ(d.reasons[2], "There is no significant impact on wellbeing.");
}

TEST(Decide, EveryReasonIsGivenEvenWhenAllFail) {
  const auto d = decide(Assessment{});
  EXPECT_FALSE(d.eligible);
  EXPECT_EQ(d.reasons, (std::vector<std::string>{
                           "The needs do not arise from an impairment or illness, so they are not eligible.",
                           "Able to achieve all 10 outcomes.",
                           "There is no significant impact on wellbeing.",
                       }));
}

// ---- about_me_problems --------------------------------------------------------------

TEST(AboutMeProblems, NothingIsRequired) { EXPECT_TRUE(about_me_problems(AboutMe{}).empty()); }

TEST(AboutMeProblems, EachFieldHasItsLimit) {
  AboutMe about;
  about.please_call_me = std::string(kShortText + 1, 'a');
  about.communication = std::string(kLongText + 1, 'a');
  about.important_people = std::string(kLongText + 1, 'a');
  about.good_day = std::string(kLongText + 1, 'a');
  about.adjustments = std::string(kLongText + 1, 'a');
  const auto problems = about_me_problems(about);
  EXPECT_EQ(fields(problems), (Fields{"please_call_me", "communication", "important_people", "good_day", "adjustments"}));
  EXPECT_EQ(message_for(problems, "please_call_me"), "What you like to be called must be 120 characters or fewer");
  EXPECT_EQ(message_for(problems, "good_day"), "What a good day looks like must be 2,000 characters or fewer");
}

TEST(AboutMeProblems, CharactersAreCountedNotBytes) {
  AboutMe about;
  about.please_call_me = repeat("\xC3\xA9", kShortText);           // é: two bytes each
  about.communication = repeat("\xE0\xA8\xAA", kLongText);          // ਪ (Gurmukhi): three bytes each
  about.good_day = repeat("\xF0\x9F\x99\x82", kLongText);           // 🙂: four bytes each
  EXPECT_TRUE(about_me_problems(about).empty());
  about.please_call_me += "a";
  EXPECT_EQ(fields(about_me_problems(about)), (Fields{"please_call_me"}));
}

TEST(AboutMeProblems, BrokenUtf8CannotBeRead) {
  for (const char* bad : {"caf\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xFF", "a\x80"}) {
    AboutMe about;
    about.adjustments = bad;
    const auto problems = about_me_problems(about);
    EXPECT_EQ(fields(problems), (Fields{"adjustments"}));
    EXPECT_EQ(message_for(problems, "adjustments"), "The adjustments you need contains characters we cannot read");
  }
}

TEST(AboutMeProblems, ControlCharactersAreRejectedButLineBreaksAndTabsAreNot) {
  AboutMe about;
  about.communication = "Speak slowly.\r\nFace me\twhen you talk.\n";
  EXPECT_TRUE(about_me_problems(about).empty());
  for (const char* bad : {"a\x01", "bell\x07", "esc\x1B[0m", "del\x7F", "nel\xC2\x85", "csi\xC2\x9B"}) {
    about.communication = bad;
    EXPECT_EQ(fields(about_me_problems(about)), (Fields{"communication"})) << bad;
  }
  about.communication = std::string("nul\0byte", 8);
  EXPECT_EQ(fields(about_me_problems(about)), (Fields{"communication"}));
  about.communication = "\xC2\xA0non-breaking space and \xC2\xA3";  // U+00A0 and £ are not controls
  EXPECT_TRUE(about_me_problems(about).empty());
}

// ---- what_matters_problems -------------------------------------------------------------

WhatMatters good_matters() {
  WhatMatters m;
  m.languages = {"pl", "en"};
  m.faith = "christian";
  m.times = {"1:morning", "3:afternoon"};
  m.travel = TravelMode::bus;
  m.travel_minutes = 30;
  m.interests = {"gardening", "music"};
  m.communication = {"large_print"};
  m.ruled_out_kinds = {"private_company"};
  m.food = "No pork.";
  m.pets = "A dog, Burek.";
  m.anything_else = "I like to be early.";
  return m;
}

TEST(WhatMattersProblems, AGoodAnswerHasNone) { EXPECT_TRUE(what_matters_problems(good_matters()).empty()); }

TEST(WhatMattersProblems, AtLeastOneLanguage) {
  auto m = good_matters();
  m.languages.clear();
  const auto problems = what_matters_problems(m);
  EXPECT_EQ(fields(problems), (Fields{"languages"}));
  EXPECT_EQ(message_for(problems, "languages"), "Choose at least one language you can be supported in");
}

TEST(WhatMattersProblems, LanguagesComeFromTheListOnce) {
  auto m = good_matters();
  m.languages = {"en", "fr"};
  EXPECT_EQ(message_for(what_matters_problems(m), "languages"), "Choose languages from the list");
  m.languages = {"pl", "en", "pl"};
  EXPECT_EQ(message_for(what_matters_problems(m), "languages"), "Choose each language only once");
  m.languages.assign(kLanguages.size(), "");
  for (std::size_t i = 0; i < kLanguages.size(); ++i) m.languages[i] = kLanguages[i].code;
  EXPECT_TRUE(what_matters_problems(m).empty());
}

TEST(WhatMattersProblems, FaithIsUnsaidOrFromTheList) {
  auto m = good_matters();
  m.faith = "";
  EXPECT_TRUE(what_matters_problems(m).empty());
  for (const auto& f : kFaiths) {
    m.faith = f.code;
    EXPECT_TRUE(what_matters_problems(m).empty()) << f.code;
  }
  m.faith = "Christian";
  EXPECT_EQ(fields(what_matters_problems(m)), (Fields{"faith"}));
}

TEST(WhatMattersProblems, TimesMustBeWellFormed) {
  auto m = good_matters();
  m.times = {"1:morning", "1:brunch"};
  EXPECT_EQ(fields(what_matters_problems(m)), (Fields{"times"}));
  m.times.clear();  // any time
  EXPECT_TRUE(what_matters_problems(m).empty());
}

TEST(WhatMattersProblems, TravelTimeIsFiveToOneHundredAndTwentyMinutes) {
  auto m = good_matters();
  for (const int ok : {5, 60, 120}) {
    m.travel_minutes = ok;
    EXPECT_TRUE(what_matters_problems(m).empty()) << ok;
  }
  for (const int bad : {-1, 0, 4, 121}) {
    m.travel_minutes = bad;
    EXPECT_EQ(fields(what_matters_problems(m)), (Fields{"travel_minutes"})) << bad;
  }
  m.travel = TravelMode::none;  // help comes to them: the minutes do not matter
  EXPECT_TRUE(what_matters_problems(m).empty());
}

TEST(WhatMattersProblems, InterestsAndCommunicationNeedsComeFromTheirLists) {
  auto m = good_matters();
  m.interests = {"gardening", "knitting"};
  m.communication = {"braille"};
  const auto problems = what_matters_problems(m);
  EXPECT_EQ(fields(problems), (Fields{"interests", "communication"}));
  EXPECT_EQ(message_for(problems, "interests"), "Choose interests from the list");
}

TEST(WhatMattersProblems, SomeKindOfProviderMustBeLeft) {
  auto m = good_matters();
  m.ruled_out_kinds = {"charity", "pharmacy"};
  EXPECT_EQ(message_for(what_matters_problems(m), "ruled_out_kinds"), "Choose kinds of provider from the list");
  m.ruled_out_kinds.clear();
  for (const auto& k : kProviderKinds) m.ruled_out_kinds.emplace_back(k.code);
  EXPECT_EQ(message_for(what_matters_problems(m), "ruled_out_kinds"), "You cannot rule out every kind of provider");
  m.ruled_out_kinds.pop_back();
  m.ruled_out_kinds.push_back("council");  // six kinds, one twice
  EXPECT_TRUE(what_matters_problems(m).empty());
}

TEST(WhatMattersProblems, FreeTextHasLimits) {
  auto m = good_matters();
  m.food = std::string(500, 'a');
  m.pets = std::string(500, 'a');
  m.anything_else = std::string(kLongText, 'a');
  EXPECT_TRUE(what_matters_problems(m).empty());
  m.food += "a";
  m.pets += "a";
  m.anything_else += "a";
  const auto problems = what_matters_problems(m);
  EXPECT_EQ(fields(problems), (Fields{"food", "pets", "anything_else"}));
  EXPECT_EQ(message_for(problems, "food"), "Food and drink must be 500 characters or fewer");
}

TEST(WhatMattersProblems, EveryProblemIsReportedInTheFormsOrder) {
  WhatMatters m;
  m.faith = "jedi";
  m.times = {"x"};
  m.travel_minutes = 500;
  m.interests = {"x"};
  m.communication = {"x"};
  m.ruled_out_kinds = {"x"};
  m.food = "\xFF";
  m.pets = "\x01";
  m.anything_else = std::string(kLongText + 1, 'a');
  EXPECT_EQ(fields(what_matters_problems(m)),
            (Fields{"languages", "faith", "times", "travel_minutes", "interests", "communication", "ruled_out_kinds",
                    "food", "pets", "anything_else"}));
}

TEST(WhatMattersProblems, OutOfRangeEnumsAreProblems) {
  auto m = good_matters();
  m.travel = static_cast<TravelMode>(9);
  m.carer_gender = static_cast<plans::CarerGender>(7);
  EXPECT_EQ(fields(what_matters_problems(m)), (Fields{"carer_gender", "travel"}));
}

// ---- goal_problems --------------------------------------------------------------------

Goal good_goal() {
  Goal g;
  g.hope = "To get back to the allotment.";
  g.how_we_know = "I'll have grown my own tomatoes.";
  g.need_code = "company";
  return g;
}

TEST(GoalProblems, AGoodGoalHasNone) {
  EXPECT_TRUE(goal_problems(good_goal(), kNeeds).empty());
  auto g = good_goal();
  g.need_code = "";
  EXPECT_TRUE(goal_problems(g, kNeeds).empty());
}

TEST(GoalProblems, HopeAndHowWeKnowAreRequired) {
  Goal g;
  g.hope = "  \n ";
  const auto problems = goal_problems(g, kNeeds);
  EXPECT_EQ(fields(problems), (Fields{"hope", "how_we_know"}));
  EXPECT_EQ(message_for(problems, "hope"), "Enter what you hope for");
  EXPECT_EQ(message_for(problems, "how_we_know"), "Enter how you will know it has been achieved");
}

TEST(GoalProblems, FiveHundredCharactersEach) {
  auto g = good_goal();
  g.hope = std::string(500, 'a');
  g.how_we_know = std::string(500, 'a');
  EXPECT_TRUE(goal_problems(g, kNeeds).empty());
  g.hope += "a";
  g.how_we_know += "a";
  EXPECT_EQ(fields(goal_problems(g, kNeeds)), (Fields{"hope", "how_we_know"}));
}

TEST(GoalProblems, TheNeedIsOneOfThePersons) {
  auto g = good_goal();
  g.need_code = "housing";
  EXPECT_EQ(fields(goal_problems(g, kNeeds)), (Fields{"need_code"}));
  EXPECT_EQ(fields(goal_problems(good_goal(), {})), (Fields{"need_code"}));
}

// ---- helper_problems -------------------------------------------------------------------

Helper good_helper() {
  Helper h;
  h.name = "Agnieszka";
  h.relationship = "Daughter";
  h.helps_with = {"meals", "company"};
  h.times = {"5:afternoon"};
  h.contact = "07700 900123";
  return h;
}

TEST(HelperProblems, AGoodHelperHasNone) { EXPECT_TRUE(helper_problems(good_helper(), kNeeds).empty()); }

TEST(HelperProblems, NameRelationshipAndWhatTheyHelpWithAreRequired) {
  const auto problems = helper_problems(Helper{}, kNeeds);
  EXPECT_EQ(fields(problems), (Fields{"name", "relationship", "helps_with"}));
  EXPECT_EQ(message_for(problems, "name"), "Enter their name");
  EXPECT_EQ(message_for(problems, "helps_with"), "Choose at least one thing they help with");
}

TEST(HelperProblems, TheyHelpWithThePersonsNeeds) {
  auto h = good_helper();
  h.helps_with = {"meals", "gardening"};
  EXPECT_EQ(message_for(helper_problems(h, kNeeds), "helps_with"), "Choose what they help with from the list");
}

TEST(HelperProblems, TimesAndLengths) {
  auto h = good_helper();
  h.times = {"5:afternoon", "Saturday"};
  h.name = std::string(kShortText + 1, 'a');
  h.relationship = std::string(kShortText + 1, 'a');
  h.contact = std::string(kShortText + 1, 'a');
  EXPECT_EQ(fields(helper_problems(h, kNeeds)), (Fields{"name", "relationship", "times", "contact"}));
  h = good_helper();
  h.times.clear();  // arranged between them
  h.contact.clear();
  EXPECT_TRUE(helper_problems(h, kNeeds).empty());
}

// ---- assessment_problems ------------------------------------------------------------------

TEST(AssessmentProblems, AGoodAssessmentHasNone) {
  EXPECT_TRUE(assessment_problems(eligible_assessment(), kNeeds).empty());
}

TEST(AssessmentProblems, EachOutcomeTheyCannotAchieveNeedsAReason) {
  auto a = eligible_assessment();
  a.outcomes[kHygiene].why = " ";
  a.outcomes[kToilet].why = "";
  const auto problems = assessment_problems(a, kNeeds);
  EXPECT_EQ(fields(problems), (Fields{"outcome_hygiene_why", "outcome_toilet_why"}));
  EXPECT_EQ(message_for(problems, "outcome_toilet_why"), "Enter why the person is unable to achieve managing toilet needs");
}

TEST(AssessmentProblems, OutcomesTheyCanAchieveNeedNoReasonButAreStillChecked) {
  auto a = eligible_assessment();
  a.outcomes[kNutrition + 5].why = "";  // able: fine
  EXPECT_TRUE(assessment_problems(a, kNeeds).empty());
  a.outcomes[9].why = std::string(kLongText + 1, 'a');
  EXPECT_EQ(fields(assessment_problems(a, kNeeds)), (Fields{"outcome_caring_for_child_why"}));
}

TEST(AssessmentProblems, UnknownUnableTestsAreProblems) {
  auto a = eligible_assessment();
  a.outcomes[kNutrition].tests = 0x10;
  EXPECT_EQ(fields(assessment_problems(a, kNeeds)), (Fields{"outcome_nutrition"}));
}

TEST(AssessmentProblems, TheImpairmentIsDescribedWhenTheNeedsAriseFromOne) {
  auto a = eligible_assessment();
  a.impairment_notes.clear();
  const auto problems = assessment_problems(a, kNeeds);
  EXPECT_EQ(fields(problems), (Fields{"impairment_notes"}));
  EXPECT_EQ(message_for(problems, "impairment_notes"), "Enter the impairment or illness the needs arise from");
  a.from_impairment = false;
  a.eligible_needs.clear();
  EXPECT_TRUE(assessment_problems(a, kNeeds).empty());
}

TEST(AssessmentProblems, TheImpactOnWellbeingIsAlwaysDescribed) {
  auto a = eligible_assessment();
  a.wellbeing_notes.clear();
  EXPECT_EQ(fields(assessment_problems(a, kNeeds)), (Fields{"wellbeing_notes"}));
  a.significant_impact = false;
  a.eligible_needs.clear();
  const auto problems = assessment_problems(a, kNeeds);
  EXPECT_EQ(fields(problems), (Fields{"wellbeing_notes"}));
  EXPECT_EQ(message_for(problems, "wellbeing_notes"), "Enter the impact on the person's wellbeing");
}

TEST(AssessmentProblems, FluctuatingNeedsAreDescribed) {
  auto a = eligible_assessment();
  a.fluctuating = true;
  EXPECT_EQ(fields(assessment_problems(a, kNeeds)), (Fields{"fluctuating_notes"}));
  a.fluctuating_notes = "Worse in winter and after a flare-up.";
  EXPECT_TRUE(assessment_problems(a, kNeeds).empty());
}

TEST(AssessmentProblems, EligibleNeedsAreThePersonsNeeds) {
  auto a = eligible_assessment();
  a.eligible_needs = {"meals", "transport"};
  EXPECT_EQ(message_for(assessment_problems(a, kNeeds), "eligible_needs"),
            "Choose eligible needs from the person's needs");
}

TEST(AssessmentProblems, NoNeedIsEligibleWhenThePersonIsNot) {
  auto a = eligible_assessment();
  a.significant_impact = false;
  const auto problems = assessment_problems(a, kNeeds);
  EXPECT_EQ(fields(problems), (Fields{"eligible_needs"}));
  EXPECT_EQ(message_for(problems, "eligible_needs"),
            "The person does not meet the eligibility criteria, so no need can be marked eligible");
}

TEST(AssessmentProblems, AnEligiblePersonHasAnEligibleNeed) {
  auto a = eligible_assessment();
  a.eligible_needs.clear();
  EXPECT_EQ(message_for(assessment_problems(a, kNeeds), "eligible_needs"), "Choose at least one need that is eligible");
}

TEST(AssessmentProblems, EverythingMissingInTheFormsOrder) {
  Assessment a;
  a.from_impairment = true;
  a.outcomes[kNutrition].tests = 1;
  a.outcomes[kToilet].tests = 2;
  a.fluctuating = true;
  a.significant_impact = true;
  EXPECT_EQ(fields(assessment_problems(a, kNeeds)),
            (Fields{"impairment_notes", "outcome_nutrition_why", "outcome_toilet_why", "wellbeing_notes",
                    "fluctuating_notes", "eligible_needs"}));
}

// ---- budget_problems ---------------------------------------------------------------------

Budget budget(std::int64_t weekly, std::int64_t contribution, BudgetManagement management, std::int64_t direct) {
  return {core::Pence{weekly}, core::Pence{contribution}, management, core::Pence{direct}};
}

TEST(BudgetProblems, AGoodBudgetHasNone) {
  EXPECT_TRUE(budget_problems(budget(25'000, 5'000, BudgetManagement::council_managed, 0)).empty());
  EXPECT_TRUE(budget_problems(budget(25'000, 5'000, BudgetManagement::direct_payment, 25'000)).empty());
  EXPECT_TRUE(budget_problems(budget(25'000, 0, BudgetManagement::mixed, 10'000)).empty());
  EXPECT_TRUE(budget_problems(budget(25'000, 0, BudgetManagement::mixed, 0)).empty());
  EXPECT_TRUE(budget_problems(budget(0, 0, BudgetManagement::council_managed, 0)).empty());
  EXPECT_TRUE(budget_problems(budget(1'000'000, 1'000'000, BudgetManagement::individual_service_fund, 0)).empty());
}

TEST(BudgetProblems, TheWeeklyBudgetIsZeroToTenThousandPounds) {
  EXPECT_EQ(message_for(budget_problems(budget(-1, 0, BudgetManagement::council_managed, 0)), "weekly"),
            "The weekly budget must be £0 or more");
  EXPECT_EQ(message_for(budget_problems(budget(1'000'001, 0, BudgetManagement::council_managed, 0)), "weekly"),
            "The weekly budget must be £10,000 or less");
}

TEST(BudgetProblems, TheContributionIsWithinTheBudget) {
  const auto over = budget_problems(budget(10'000, 10'001, BudgetManagement::council_managed, 0));
  EXPECT_EQ(fields(over), (Fields{"person_contribution"}));
  EXPECT_EQ(message_for(over, "person_contribution"), "The person's contribution cannot be more than the budget");
  EXPECT_EQ(fields(budget_problems(budget(10'000, -1, BudgetManagement::council_managed, 0))),
            (Fields{"person_contribution"}));
}

TEST(BudgetProblems, TheDirectPaymentIsWithinTheBudget) {
  EXPECT_EQ(message_for(budget_problems(budget(10'000, 0, BudgetManagement::mixed, 10'001)), "direct_payment"),
            "The direct payment cannot be more than the budget");
  EXPECT_EQ(fields(budget_problems(budget(10'000, 0, BudgetManagement::mixed, -1))), (Fields{"direct_payment"}));
}

TEST(BudgetProblems, ADirectPaymentOnlyWhenTheBudgetIsManagedThatWay) {
  EXPECT_EQ(fields(budget_problems(budget(10'000, 0, BudgetManagement::council_managed, 1))), (Fields{"direct_payment"}));
  EXPECT_EQ(fields(budget_problems(budget(10'000, 0, BudgetManagement::individual_service_fund, 1))),
            (Fields{"direct_payment"}));
  EXPECT_EQ(fields(budget_problems(budget(10'000, 0, BudgetManagement::direct_payment, 0))), (Fields{"direct_payment"}));
}

TEST(BudgetProblems, EveryProblemAtOnce) {
  EXPECT_EQ(fields(budget_problems(budget(-5, -1, static_cast<BudgetManagement>(8), -1))),
            (Fields{"weekly", "person_contribution", "management", "direct_payment"}));
}

TEST(BudgetProblems, TheCouncilPaysTheRest) {
  EXPECT_EQ(budget(25'000, 5'000, BudgetManagement::council_managed, 0).council_contribution(), core::Pence{20'000});
}

// ---- parse_pounds -----------------------------------------------------------------------

std::optional<std::int64_t> pence(std::string_view text) {
  const auto p = parse_pounds(text);
  if (!p) return std::nullopt;
  return p->value;
}

TEST(ParsePounds, AcceptsWhatPeopleType) {
  EXPECT_EQ(pence("12"), 1200);
  EXPECT_EQ(pence("12.5"), 1250);
  EXPECT_EQ(pence("12.50"), 1250);
  EXPECT_EQ(pence("12.05"), 1205);
  EXPECT_EQ(pence("£12.50"), 1250);
  EXPECT_EQ(pence("  £12.50 "), 1250);
  EXPECT_EQ(pence("0"), 0);
  EXPECT_EQ(pence("0.01"), 1);
  EXPECT_EQ(pence("£0"), 0);
  EXPECT_EQ(pence("007"), 700);
}

TEST(ParsePounds, ThousandsCommasInTheRightPlaces) {
  EXPECT_EQ(pence("1,000"), 100'000);
  EXPECT_EQ(pence("£123,456.78"), 12'345'678);
  EXPECT_EQ(pence("£12,345.6"), 1'234'560);
  EXPECT_EQ(pence("999,999"), 99'999'900);
  for (const char* bad : {"1,00", "1,0000", "10000,000", ",100", "1,000,", "1,,000", "1,00,000", "1,0,0,000",
                          "0,100", "1.000,00", "1,000.5,0"})
    EXPECT_EQ(pence(bad), std::nullopt) << bad;
}

TEST(ParsePounds, RejectsAnythingElse) {
  for (const char* bad : {"", "  ", "£", "£.", ".5", "12.", "12.345", "-5", "-£5", "£-5", "+5", "£ 5", "5£", "5p",
                          "£5 50", "1e3", "12.5.0", "1 000", "twelve", "0x10", "\xC2\xA3\xC2\xA3" "5", "12.a",
                          "\xEF\xBC\x91"})
    EXPECT_EQ(pence(bad), std::nullopt) << bad;
}

TEST(ParsePounds, AtMostAMillionPounds) {
  EXPECT_EQ(pence("1000000"), 100'000'000);
  EXPECT_EQ(pence("£1,000,000.00"), 100'000'000);
  EXPECT_EQ(pence("1000000.01"), std::nullopt);
  EXPECT_EQ(pence("1000001"), std::nullopt);
  EXPECT_EQ(pence("99999999999999999999999999"), std::nullopt);  // no overflow
}

}  // namespace
}  // namespace bespoke::person
