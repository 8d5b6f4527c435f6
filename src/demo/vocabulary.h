#pragma once
// The fixed vocabularies of the demo place: needs, provider kinds, languages,
// faiths, circumstances, volunteer skills and checks. Codes are stable (they are
// stored in the database and checked by its CHECK constraints); labels are for people.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace bespoke::demo {

// ---- Needs ---------------------------------------------------------------
// Codes follow the esd needs list style (short, lower-case, one concept each).
// prevalence: share of residents with the need in a middle-decile neighbourhood.
// gradient: how much more common in the most deprived decile than the middle
// (decile 1 gets prevalence*(1+gradient), decile 10 prevalence*(1-gradient)).
// child/adult/older: multipliers for ages 0-15, 16-64 and 65+.
struct NeedInfo {
  std::string_view code;
  std::string_view label;
  double prevalence;
  double gradient;
  double child;
  double adult;
  double older;
};

inline constexpr std::array<NeedInfo, 16> kNeeds{{
    {"money_advice", "Debt and money advice", 0.08, 0.6, 0.0, 1.2, 0.7},
    {"food", "Food and essentials", 0.05, 0.75, 1.0, 1.0, 0.8},
    {"housing", "Housing and homelessness", 0.04, 0.6, 0.5, 1.3, 0.6},
    {"employment", "Employment and skills", 0.06, 0.55, 0.0, 1.4, 0.1},
    {"loneliness", "Loneliness and social isolation", 0.07, 0.3, 0.2, 0.9, 2.2},
    {"mental_health", "Mental health and wellbeing", 0.10, 0.4, 0.6, 1.2, 0.8},
    {"long_term_condition", "Living with a long-term health condition", 0.14, 0.35, 0.2, 0.8, 2.6},
    {"mobility", "Mobility and getting about", 0.06, 0.3, 0.1, 0.6, 3.2},
    {"personal_care", "Personal care at home", 0.03, 0.3, 0.1, 0.4, 4.0},
    {"carer_support", "Support for carers", 0.05, 0.2, 0.2, 1.2, 1.0},
    {"early_years", "Childcare and early years", 0.05, 0.25, 2.5, 0.5, 0.0},
    {"learning_disability", "Learning disability and autism support", 0.025, 0.2, 1.4, 1.0, 0.5},
    {"substance_misuse", "Alcohol and drug misuse", 0.02, 0.7, 0.0, 1.4, 0.4},
    {"domestic_abuse", "Domestic abuse", 0.015, 0.5, 0.5, 1.4, 0.3},
    {"digital_inclusion", "Digital skills and access", 0.06, 0.5, 0.1, 0.7, 2.8},
    {"english_language", "Learning English (ESOL)", 0.0, 0.0, 0.0, 0.0, 0.0},  // from language, not chance
}};
inline constexpr std::size_t kNeedCount = kNeeds.size();
inline constexpr std::size_t kEnglishLanguageNeed = kNeedCount - 1;
using NeedSet = std::uint32_t;  // bit i = kNeeds[i]

[[nodiscard]] constexpr std::optional<std::size_t> need_index(std::string_view code) noexcept {
  for (std::size_t i = 0; i < kNeeds.size(); ++i)
    if (kNeeds[i].code == code) return i;
  return std::nullopt;
}

// ---- Provider kinds ------------------------------------------------------
enum class ProviderKind : std::uint8_t {
  council,
  nhs,
  charity,
  community_led,
  social_enterprise,
  volunteer_group,
  private_company,
};
inline constexpr std::size_t kProviderKindCount = 7;

struct ProviderKindInfo {
  ProviderKind kind;
  std::string_view code;
  std::string_view label;
};

inline constexpr std::array<ProviderKindInfo, kProviderKindCount> kProviderKinds{{
    {ProviderKind::council, "council", "Council"},
    {ProviderKind::nhs, "nhs", "NHS"},
    {ProviderKind::charity, "charity", "Charity"},
    {ProviderKind::community_led, "community_led", "Community-led organisation"},
    {ProviderKind::social_enterprise, "social_enterprise", "Social enterprise"},
    {ProviderKind::volunteer_group, "volunteer_group", "Volunteer group"},
    {ProviderKind::private_company, "private_company", "Private company"},
}};

[[nodiscard]] constexpr std::string_view code(ProviderKind k) noexcept {
  return kProviderKinds[static_cast<std::size_t>(k)].code;
}
[[nodiscard]] constexpr std::string_view label(ProviderKind k) noexcept {
  return kProviderKinds[static_cast<std::size_t>(k)].label;
}
[[nodiscard]] constexpr std::optional<ProviderKind> provider_kind_from_code(std::string_view c) noexcept {
  for (const auto& k : kProviderKinds)
    if (k.code == c) return k.kind;
  return std::nullopt;
}

// ---- Languages -----------------------------------------------------------
// Main language shares roughly as in an English Midlands town (census 2021:
// about 9 in 10 have English as their main language).
// A code with its label and its share of the population.
struct Share {
  std::string_view code;
  std::string_view label;
  double share;
};

// Codes are ISO 639-1.
inline constexpr std::array<Share, 11> kLanguages{{
    {"en", "English", 0.895},
    {"pl", "Polish", 0.018},
    {"ur", "Urdu", 0.015},
    {"pa", "Punjabi", 0.014},
    {"bn", "Bengali", 0.008},
    {"ro", "Romanian", 0.010},
    {"ar", "Arabic", 0.008},
    {"so", "Somali", 0.005},
    {"gu", "Gujarati", 0.007},
    {"cy", "Welsh", 0.006},
    {"pt", "Portuguese", 0.006},
}};
inline constexpr std::size_t kEnglish = 0;

// ---- Faiths (census 2021 England shares, including no religion) ----------
inline constexpr std::array<Share, 9> kFaiths{{
    {"christian", "Christian", 0.463},
    {"none", "No religion", 0.367},
    {"muslim", "Muslim", 0.067},
    {"hindu", "Hindu", 0.018},
    {"sikh", "Sikh", 0.009},
    {"buddhist", "Buddhist", 0.005},
    {"jewish", "Jewish", 0.005},
    {"other", "Other religion", 0.006},
    {"not_stated", "Prefer not to say", 0.060},
}};

// ---- Circumstances (for eligibility) -------------------------------------
struct CircumstanceInfo {
  std::string_view code;
  std::string_view label;
};

inline constexpr std::array<CircumstanceInfo, 8> kCircumstances{{
    {"low_income", "On a low income or benefits"},
    {"disabled", "Disabled"},
    {"carer", "Unpaid carer"},
    {"lone_parent", "Lone parent"},
    {"veteran", "Armed forces veteran"},
    {"care_leaver", "Care leaver"},
    {"refugee", "Refugee or asylum seeker"},
    {"pregnant", "Pregnant or new parent"},
}};
using CircumstanceSet = std::uint16_t;  // bit i = kCircumstances[i]
enum Circumstance : std::uint16_t {
  kLowIncome = 1 << 0,
  kDisabled = 1 << 1,
  kCarer = 1 << 2,
  kLoneParent = 1 << 3,
  kVeteran = 1 << 4,
  kCareLeaver = 1 << 5,
  kRefugee = 1 << 6,
  kPregnant = 1 << 7,
};

// ---- Volunteering ----------------------------------------------------------
struct CodeLabel {
  std::string_view code;
  std::string_view label;
};

inline constexpr std::array<CodeLabel, 12> kSkills{{
    {"befriending", "Befriending"},
    {"driving", "Driving"},
    {"gardening", "Gardening"},
    {"cooking", "Cooking"},
    {"admin", "Office and admin"},
    {"digital_support", "Helping people get online"},
    {"tutoring", "Tutoring and homework help"},
    {"interpreting", "Interpreting"},
    {"diy", "DIY and small repairs"},
    {"fundraising", "Fundraising"},
    {"sports_coaching", "Sports coaching"},
    {"advice", "Advice and form filling"},
}};
using SkillSet = std::uint16_t;

inline constexpr std::array<CodeLabel, 6> kChecks{{
    {"dbs_basic", "Basic DBS check"},
    {"dbs_enhanced", "Enhanced DBS check"},
    {"safeguarding", "Safeguarding training"},
    {"first_aid", "First aid certificate"},
    {"food_hygiene", "Food hygiene certificate"},
    {"driving_licence", "Full driving licence"},
}};
using CheckSet = std::uint8_t;

// Days as in RFC 5545 BYDAY, which HSDS schedules use.
inline constexpr std::array<std::string_view, 7> kDays{"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

// ---- Accessibility of a location ---------------------------------------------
inline constexpr std::array<CodeLabel, 7> kAccessibility{{
    {"wheelchair_access", "Wheelchair accessible"},
    {"step_free", "Step-free access"},
    {"accessible_toilet", "Accessible toilet"},
    {"hearing_loop", "Hearing loop"},
    {"bsl", "British Sign Language available"},
    {"large_print", "Large print information"},
    {"quiet_space", "Quiet space"},
}};
using AccessibilitySet = std::uint8_t;  // bit i = kAccessibility[i]

// ---- Service types -------------------------------------------------------------
// Each need's three kinds of service (the names the generator gives them), with
// the Open Eligibility term that says what kind of service it is: its id (the
// term's code) and title in data/reference/hsds/openeligibility/taxonomy.xml.
struct ServiceTypeInfo {
  std::string_view name;
  std::string_view open_eligibility_code;
  std::string_view open_eligibility_title;
};

inline constexpr std::array<std::array<ServiceTypeInfo, 3>, kNeedCount> kServiceTypes{{
    {{{"Debt advice", "1263", "Credit Counseling"},
      {"Benefits and money check", "1256", "Government Benefits"},
      {"Money advice drop-in", "1262", "Financial Education"}}},
    {{{"Food bank", "1128", "Emergency Food"},
      {"Community pantry", "1130", "Food Pantry"},
      {"Community cafe and hot meals", "1131", "Free Meals"}}},
    {{{"Housing options advice", "1142", "Housing Advice"},
      {"Tenancy support", "1142", "Housing Advice"},
      {"Homelessness prevention", "1136", "Help Find Housing"}}},
    {{{"Job club", "1357", "Help Find Work"},
      {"Skills for work", "1365", "Skills & Training"},
      {"Employment support", "1357", "Help Find Work"}}},
    {{{"Lunch club", "1303", "Support Network"},
      {"Befriending", "1309", "One-on-One Support"},
      {"Coffee morning", "1310", "Peer Support"}}},
    {{{"Talking therapies", "1220", "Counseling"},
      {"Wellbeing group", "1312", "Support Groups"},
      {"Mental health peer support", "1310", "Peer Support"}}},
    {{{"Long-term conditions clinic", "1223", "Disease Management"},
      {"Healthy living programme", "1190", "Health Education"},
      {"Self-management course", "1192", "Disease Management"}}},
    {{{"Community transport", "1175", "Transportation"},
      {"Wheelchair and mobility aid loan", "1170", "Assistive Technology"},
      {"Dial-a-ride", "1175", "Transportation"}}},
    {{{"Home care", "1228", "In-Home Support"},
      {"Personal care at home", "1228", "In-Home Support"},
      {"Reablement", "1225", "Physical Therapy"}}},
    {{{"Carers' support group", "1312", "Support Groups"},
      {"Carers' break", "1286", "Relief for Caregivers"},
      {"Carers' assessment", "1292", "Navigating the System"}}},
    {{{"Nursery places", "1284", "Preschool"},
      {"Stay and play", "1285", "Recreation"},
      {"Childminding", "1280", "Childcare"}}},
    {{{"Autism support group", "1312", "Support Groups"},
      {"Supported living", "1148", "Independent Living"},
      {"Learning disability day service", "1278", "Adult Daycare"}}},
    {{{"Drug and alcohol service", "1178", "Addiction & Recovery"},
      {"Recovery cafe", "1310", "Peer Support"},
      {"Alcohol advice", "1178", "Addiction & Recovery"}}},
    {{{"Domestic abuse helpline", "1305", "Help Hotlines"},
      {"Refuge and outreach", "1125", "Safe Housing"},
      {"Independent domestic violence advice", "1124", "Help Escape Violence"}}},
    {{{"Get online sessions", "1351", "Computer Class"},
      {"Device lending library", "1163", "Home Goods"},
      {"Digital skills course", "1351", "Computer Class"}}},
    {{{"ESOL classes", "1326", "English as a Second Language (ESL)"},
      {"English conversation club", "1326", "English as a Second Language (ESL)"},
      {"English for work", "1365", "Skills & Training"}}},
}};

// ---- Taxonomies ---------------------------------------------------------------
// The vocabularies above as HSDS taxonomies (docs/directory.md): the name is a
// CURIE prefix and the ids' namespace (core::taxonomy_uuid, taxonomy_term_uuid).
inline constexpr std::string_view kProviderKindTaxonomy = "bespokeProviderKind";
inline constexpr std::string_view kOrganisationTaxonomy = "bespokeOrganisation";
inline constexpr std::string_view kNeedTaxonomy = "bespokeNeed";
inline constexpr std::string_view kCircumstanceTaxonomy = "bespokeCircumstance";
inline constexpr std::string_view kAccessibilityTaxonomy = "bespokeAccessibility";
inline constexpr std::string_view kServiceTypeTaxonomy = "openEligibility";

// bespokeOrganisation's codes: present = yes.
inline constexpr std::array<CodeLabel, 2> kOrganisationFeatures{{
    {"community_led", "Community-led (governed by local people)"},
    {"locally_owned", "Locally owned"},
}};

// The attributes' link_type for each addition.
inline constexpr std::string_view kProviderKindLink = "provider_kind";
inline constexpr std::string_view kOrganisationFeatureLink = "organisation_feature";
inline constexpr std::string_view kNeedLink = "need";
inline constexpr std::string_view kServiceTypeLink = "service_type";
inline constexpr std::string_view kEligibilityLink = "eligibility";
inline constexpr std::string_view kAccessibilityLink = "accessibility";

}  // namespace bespoke::demo
