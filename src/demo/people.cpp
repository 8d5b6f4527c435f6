// Households, residents and volunteers of one neighbourhood.
#include "demo/chunk.h"
#include "demo/names.h"

#include <algorithm>
#include <cmath>

namespace bespoke::demo {
namespace {

// Share of the population in each five-year age band 0-4 ... 95-99 (England and
// Wales, census 2021, rounded).
constexpr std::array<double, 20> kAgeBands{5.4, 5.9, 6.1, 5.7, 5.9, 6.6, 6.9, 6.8, 6.6, 6.2,
                                           6.7, 6.9, 6.4, 5.4, 5.0, 4.6, 3.0, 2.0, 1.0, 0.3};

int age_between(Rng& r, int lo, int hi) {
  // Rejection keeps the pyramid's shape inside [lo, hi].
  for (int attempt = 0; attempt < 64; ++attempt) {
    const auto band = static_cast<int>(r.weighted(std::span<const double>(kAgeBands)));
    const int age = band * 5 + r.between(0, 4);
    if (age >= lo && age <= hi) return age;
  }
  return r.between(lo, hi);
}

struct Naming {
  const names::GivenNames* given;
  std::span<const std::string_view> family;
};

Naming naming_for(std::size_t language) {
  using namespace names;
  switch (language) {
    case 1: return {&kPolishGiven, kPolishFamily};
    case 2:
    case 4: return {&kSouthAsianMuslimGiven, kSouthAsianMuslimFamily};
    case 3: return {&kPunjabiGiven, kPunjabiFamily};
    case 5: return {&kRomanianGiven, kRomanianFamily};
    case 6:
    case 7: return {&kArabicSomaliGiven, kArabicSomaliFamily};
    case 8: return {&kGujaratiGiven, kGujaratiFamily};
    case 9: return {&kWelshGiven, kWelshFamily};
    case 10: return {&kPortugueseGiven, kPortugueseFamily};
    default: return {&kEnglishGiven, kEnglishFamily};
  }
}

// Faith weights for a household, by its main language (kFaiths order:
// christian, none, muslim, hindu, sikh, buddhist, jewish, other, not_stated).
std::array<double, 9> faith_weights(std::size_t language) {
  switch (language) {
    case 1:
    case 5:
    case 10: return {0.80, 0.12, 0, 0, 0, 0, 0, 0.01, 0.07};
    case 2:
    case 4:
    case 6:
    case 7: return {0.02, 0.03, 0.90, 0, 0, 0, 0, 0, 0.05};
    case 3: return {0.03, 0.04, 0.08, 0.10, 0.70, 0, 0, 0, 0.05};
    case 8: return {0.02, 0.03, 0.15, 0.75, 0, 0, 0, 0, 0.05};
    default: {
      std::array<double, 9> w{};
      for (std::size_t i = 0; i < w.size(); ++i) w[i] = kFaiths[i].share;
      w[2] *= 0.5;  // much of the Muslim, Hindu and Sikh population is in the other groups
      w[3] *= 0.3;
      w[4] *= 0.2;
      return w;
    }
  }
}

bool has(NeedSet set, std::size_t need) { return (set >> need) & 1U; }

constexpr std::size_t kMoney = 0, kFood = 1, kHousing = 2, kEmployment = 3, kPersonalCare = 8, kCarerSupport = 9,
                      kLearning = 11, kDigital = 14, kMobility = 7;

}  // namespace

double need_probability(std::size_t need, int decile, int age) noexcept {
  if (need >= kNeedCount || need == kEnglishLanguageNeed) return 0;
  const NeedInfo& n = kNeeds[need];
  const double base = n.prevalence * (1.0 + n.gradient * (5.5 - decile) / 4.5);
  double mult = age < 16 ? n.child : age < 65 ? n.adult : n.older;
  if (n.code == "early_years") mult = age < 5 ? 5.0 : 0.0;
  return std::clamp(base * mult, 0.0, 0.95);
}

void make_people(const ChunkContext& ctx, Rng& r, Rng& ids, Chunk& out) {
  const Neighbourhood& nb = *ctx.neighbourhood;
  const int decile = nb.deprivation_decile;
  const double t = (decile - 1) / 9.0;  // 0 = most deprived, 1 = least

  // Household type mix: more lone parents and single people where deprivation is high.
  const std::array<double, 5> type_weights{0.30, 0.24 + 0.08 * t, 0.17 + 0.05 * t, 0.15 - 0.09 * t,
                                           0.10 - 0.03 * t};
  // Main-language weights: the place's shares, with this neighbourhood's two
  // prominent minority languages boosted, more so in deprived areas.
  std::array<double, kLanguages.size()> lang_weights{};
  for (std::size_t i = 0; i < kLanguages.size(); ++i) lang_weights[i] = kLanguages[i].share;
  for (const auto l : ctx.minority_languages) lang_weights[l] *= 1.5 + 5.0 * (1 - t);

  const int target = nb.planned_residents;
  int made = 0;
  std::int64_t household_local = 0;
  while (made < target) {
    Household h;
    h.id = household_local;
    h.public_id = {ids.next(), ids.next()};
    h.neighbourhood_id = nb.id;
    h.type = static_cast<HouseholdType>(r.weighted(std::span<const double>(type_weights)));
    h.location = {nb.centroid.lat + r.uniform(-0.0035, 0.0035), nb.centroid.lon + r.uniform(-0.0055, 0.0055)};
    const std::array<double, 3> tenure{0.38 + 0.48 * t, 0.40 - 0.36 * t, 0.22 - 0.12 * t};
    h.tenure = static_cast<Tenure>(r.weighted(std::span<const double>(tenure)));

    // Members: ages first.
    struct Member {
      int age;
      Sex sex;
    };
    std::vector<Member> members;
    auto adult = [&](int lo, int hi, Sex sex) { members.push_back({age_between(r, lo, hi), sex}); };
    auto any_sex = [&] { return r.chance(0.5) ? Sex::female : Sex::male; };
    auto partner = [&](Sex first) {
      const Sex s = r.chance(0.92) ? (first == Sex::female ? Sex::male : Sex::female) : first;
      members.push_back({std::clamp(members.front().age + r.between(-5, 5), 18, 99), s});
    };
    auto children = [&](int count) {
      const int parent_age = members.front().age;
      for (int c = 0; c < count && members.size() < 6; ++c)
        members.push_back({r.between(0, std::clamp(parent_age - 18, 0, 17)), any_sex()});
    };
    switch (h.type) {
      case HouseholdType::one_person:
        if (r.chance(0.45)) adult(65, 99, any_sex());
        else adult(18, 64, any_sex());
        break;
      case HouseholdType::couple: {
        const Sex s = any_sex();
        adult(20, 95, s);
        partner(s);
        break;
      }
      case HouseholdType::couple_with_children: {
        const Sex s = any_sex();
        adult(22, 55, s);
        partner(s);
        static constexpr std::array<double, 4> kids{40, 40, 15, 5};
        children(1 + static_cast<int>(r.weighted(std::span<const double>(kids))));
        break;
      }
      case HouseholdType::lone_parent: {
        adult(18, 55, r.chance(0.9) ? Sex::female : Sex::male);
        static constexpr std::array<double, 3> kids{55, 33, 12};
        children(1 + static_cast<int>(r.weighted(std::span<const double>(kids))));
        break;
      }
      case HouseholdType::multi_adult: {
        const int adults = r.between(2, 3);
        for (int a = 0; a < adults; ++a) adult(18, 60, any_sex());
        if (r.chance(0.4)) adult(60, 92, any_sex());  // a grandparent
        if (r.chance(0.35)) children(r.between(1, 2));
        break;
      }
    }
    h.size = static_cast<int>(members.size());

    const auto language = static_cast<std::uint8_t>(r.weighted(std::span<const double>(lang_weights)));
    const auto fw = faith_weights(language);
    const auto household_faith = static_cast<std::uint8_t>(r.weighted(std::span<const double>(fw)));
    const Naming naming = naming_for(language);
    const std::string_view family = naming.family[r.below(naming.family.size())];
    const bool low_income = r.chance(std::clamp(0.38 - 0.32 * t + (h.type == HouseholdType::lone_parent ? 0.15 : 0), 0.0, 1.0));

    const std::size_t first = out.residents.size();
    for (const Member& m : members) {
      Resident p;
      p.id = static_cast<std::int64_t>(out.residents.size());
      p.public_id = {ids.next(), ids.next()};
      p.household_id = h.id;
      p.neighbourhood_id = nb.id;
      p.sex = m.sex;
      p.age = m.age;
      // Born before the reference date's birthday so that the age is exact: the
      // reference date is 1 January, so any day but 1 January will do.
      p.birth_date.year = ctx.reference_date.year - 1 - m.age;
      p.birth_date.month = r.between(1, 12);
      p.birth_date.day = r.between(p.birth_date.month == 1 ? 2 : 1, 28);
      const auto& given = m.sex == Sex::female ? naming.given->female : naming.given->male;
      p.given_name = given[r.below(given.size())];
      p.family_name = r.chance(0.9) ? family : naming.family[r.below(naming.family.size())];
      p.main_language = language;
      if (language != kEnglish && language != 9) {
        p.speaks_english = r.chance(m.age < 16 ? 0.95 : m.age < 65 ? 0.78 : 0.5);
      }
      p.faith = household_faith;
      if (m.age >= 16 && m.age < 40 && household_faith == 0 && r.chance(0.3)) p.faith = 1;  // drift to none

      CircumstanceSet c = 0;
      if (low_income) c |= kLowIncome;
      if (m.age >= 18 && h.type == HouseholdType::lone_parent && &m == &members.front()) c |= kLoneParent;
      if (m.age >= 18 && r.chance(m.age >= 65 ? (m.sex == Sex::male ? 0.12 : 0.02) : 0.015)) c |= kVeteran;
      if (m.age >= 18 && m.age <= 25 && r.chance(0.015)) c |= kCareLeaver;
      if ((language == 6 || language == 7) && r.chance(0.35)) c |= kRefugee;
      if (m.sex == Sex::female && m.age >= 18 && m.age <= 44 && r.chance(0.03)) c |= kPregnant;
      if (r.chance(m.age >= 16 && m.age < 80 ? 0.05 : 0.0)) c |= kCarer;

      NeedSet needs = 0;
      for (std::size_t n = 0; n + 1 < kNeedCount; ++n) {
        double p_need = need_probability(n, decile, m.age);
        if (low_income && (n == kMoney || n == kFood || n == kHousing || n == kEmployment || n == kDigital))
          p_need *= 1.4;
        if (r.chance(p_need)) needs |= NeedSet{1} << n;
      }
      if (!p.speaks_english && m.age >= 16) needs |= NeedSet{1} << kEnglishLanguageNeed;
      if (has(needs, kMobility) || has(needs, kPersonalCare) || has(needs, kLearning) || r.chance(m.age >= 65 ? 0.12 : 0.05))
        c |= kDisabled;
      p.needs = needs;
      p.circumstances = c;
      out.residents.push_back(p);
    }
    // Someone who needs care at home is usually looked after by another adult in the house.
    for (std::size_t i = first; i < out.residents.size(); ++i) {
      if (!has(out.residents[i].needs, kPersonalCare) && !has(out.residents[i].needs, kLearning)) continue;
      for (std::size_t j = first; j < out.residents.size(); ++j) {
        if (j != i && out.residents[j].age >= 16 && r.chance(0.7)) {
          out.residents[j].circumstances |= kCarer;
          break;
        }
      }
    }
    for (std::size_t i = first; i < out.residents.size(); ++i) {
      if ((out.residents[i].circumstances & kCarer) && r.chance(0.35))
        out.residents[i].needs |= NeedSet{1} << kCarerSupport;
    }
    made += h.size;
    out.households.push_back(h);
    ++household_local;
  }

  // Volunteers: formal volunteering is more common in less deprived areas; a few
  // people give most of the hours (a Pareto tail).
  const double rate = ctx.volunteer_rate * (0.75 + 0.5 * t) / 1.0;
  for (const Resident& p : out.residents) {
    if (p.age < 16 || p.age > 85 || !r.chance(rate)) continue;
    Volunteer v;
    v.id = static_cast<std::int64_t>(out.volunteers.size());
    v.public_id = {ids.next(), ids.next()};
    v.resident_id = p.id;
    v.neighbourhood_id = nb.id;
    const int skills = r.between(1, 3);
    for (int s = 0; s < skills; ++s) v.skills |= static_cast<SkillSet>(1U << r.below(kSkills.size()));
    if (p.main_language != kEnglish && p.speaks_english && r.chance(0.5)) v.skills |= 1U << 7;  // interpreting
    if (r.chance(0.40)) v.checks |= 1U << 0;
    if (r.chance(0.25)) v.checks |= 1U << 1;
    if (r.chance(0.35)) v.checks |= 1U << 2;
    if (r.chance(0.20)) v.checks |= 1U << 3;
    if (r.chance(0.15)) v.checks |= 1U << 4;
    if (p.age >= 17 && r.chance(0.65)) v.checks |= 1U << 5;
    const int slots = r.between(1, 4);
    for (int s = 0; s < slots; ++s) {
      WeeklySlot slot;
      const bool working_age = p.age < 66;
      slot.day = static_cast<std::uint8_t>(working_age && r.chance(0.6) ? r.between(5, 6) : r.between(0, 4));
      const int part = working_age ? r.between(0, 2) : r.between(0, 1);  // morning, afternoon, evening
      slot.opens_at = static_cast<std::uint16_t>(part == 0 ? 9 * 60 : part == 1 ? 13 * 60 : 18 * 60);
      slot.closes_at = static_cast<std::uint16_t>(slot.opens_at + (part == 2 ? 180 : 210));
      if (std::find_if(v.availability.begin(), v.availability.end(),
                       [&](const WeeklySlot& o) { return o.day == slot.day && o.opens_at == slot.opens_at; }) ==
          v.availability.end())
        v.availability.push_back(slot);
    }
    // Pareto(x_min = 1.5 h, alpha = 1.2), capped at 160 hours a month.
    const double u = 1.0 - r.uniform();  // (0, 1]
    v.hours_per_month = std::clamp(static_cast<int>(std::lround(1.5 * std::pow(u, -1.0 / 1.2))), 1, 160);
    v.max_travel_m = (p.age >= 70 ? r.between(1, 3) : r.between(1, 10)) * 1000;
    out.volunteers.push_back(std::move(v));
  }
}

}  // namespace bespoke::demo
