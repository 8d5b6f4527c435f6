// Organisations and their services in one neighbourhood.
#include "demo/chunk.h"
#include "demo/names.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace bespoke::demo {
namespace {

template <class Array>
std::string_view pick(Rng& r, const Array& words) {
  return words[r.below(words.size())];
}

// Which needs each kind of provider tends to meet (kNeeds order).
constexpr std::array<std::array<double, kNeedCount>, kProviderKindCount> kAffinity{{
    // money food hous empl lone ment ltc mob care carer early learn subst dom digit esol
    {{2, 1, 4, 1, 1, 1, 0, 2, 3, 2, 3, 2, 0, 1, 1, 1}},    // council
    {{0, 0, 0, 0, 0, 4, 5, 2, 1, 1, 1, 1, 2, 0, 0, 0}},    // nhs
    {{3, 3, 2, 1, 2, 2, 1, 1, 0, 1, 1, 1, 1, 2, 1, 2}},    // charity
    {{1, 3, 0, 2, 3, 1, 0, 0, 0, 1, 1, 0, 0, 0, 2, 2}},    // community_led
    {{0, 2, 0, 4, 1, 1, 0, 2, 0, 0, 1, 0, 0, 0, 2, 0}},    // social_enterprise
    {{0, 2, 0, 0, 4, 1, 0, 1, 0, 1, 0, 0, 0, 0, 2, 1}},    // volunteer_group
    {{0, 0, 0, 1, 0, 1, 1, 2, 5, 0, 4, 1, 0, 0, 0, 0}},    // private_company
}};

// Ordinary organisations (the council and NHS trust are placed separately).
constexpr std::array<double, kProviderKindCount> kKindWeights{0.0, 0.05, 0.34, 0.14, 0.10, 0.19, 0.18};

std::string slug(std::string_view name) {
  std::string s;
  for (const char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    else if (!s.empty() && s.back() != '-') s.push_back('-');
    if (s.size() >= 40) break;
  }
  while (!s.empty() && s.back() == '-') s.pop_back();
  return s;
}

std::string organisation_name(const ChunkContext& ctx, Rng& r, ProviderKind kind, std::size_t main_need) {
  const std::string& town = ctx.town->name;
  const std::string& nb = ctx.neighbourhood->name;
  switch (kind) {
    case ProviderKind::council: {
      const std::string_view style = ctx.scale == "city" ? "City" : ctx.scale == "nation" ? "District" : "Borough";
      return fmt::format("{} {} Council", town, style);
    }
    case ProviderKind::nhs:
      switch (r.below(3)) {
        case 0: return fmt::format("{} Medical Practice", nb);
        case 1: return fmt::format("{} Health Centre", nb);
        default: return fmt::format("{} Surgery", pick(r, names::kStreetNames));
      }
    case ProviderKind::charity:
      switch (r.below(4)) {
        case 0: return fmt::format("{} {}", pick(r, names::kCharityThemes), pick(r, names::kCharityNouns));
        case 1: return fmt::format("{} {} {}", town, pick(r, names::kCharityThemes), pick(r, names::kCharityNouns));
        case 2: return main_need == 1 ? fmt::format("{} Food Bank", nb)
                                      : fmt::format("{} {}", nb, pick(r, names::kCharityNouns));
        default: return fmt::format("{} Citizens Advice", town);
      }
    case ProviderKind::community_led: {
      static constexpr std::array<std::string_view, 5> k{"Development Trust", "Community Association",
                                                         "Residents' Association", "Community Hub",
                                                         "Community Partnership"};
      return fmt::format("{} {}", nb, pick(r, k));
    }
    case ProviderKind::social_enterprise:
      switch (r.below(3)) {
        case 0: return fmt::format("{} CIC", pick(r, names::kCharityThemes));
        case 1: return fmt::format("{} Community Transport", nb);
        default: return fmt::format("{} Works CIC", pick(r, names::kCharityThemes));
      }
    case ProviderKind::volunteer_group: return fmt::format("{} {}", nb, pick(r, names::kGroupWords));
    case ProviderKind::private_company:
      if (r.chance(0.5))
        return fmt::format("{} {} Ltd", pick(r, names::kEnglishFamily), pick(r, names::kCompanyWords));
      return fmt::format("{}{} {} Ltd", pick(r, names::kPlaceStarts), pick(r, names::kPlaceEnds),
                         pick(r, names::kCompanyWords));
  }
  return "Organisation";
}

// The prefix of an org-id registration; generate() appends the number once the
// organisation's final id is known, so that numbers are unique.
std::string registration_prefix(Rng& r, ProviderKind kind) {
  switch (kind) {
    case ProviderKind::council: return "GB-LAE-";
    case ProviderKind::nhs: return "GB-NHS-";
    case ProviderKind::charity: return r.chance(0.9) ? "GB-CHC-" : "";
    case ProviderKind::community_led: {
      const double x = r.uniform();
      return x < 0.5 ? "GB-CHC-" : x < 0.8 ? "GB-MPR-" : "GB-COH-";
    }
    case ProviderKind::social_enterprise: return "GB-COH-";
    case ProviderKind::volunteer_group: return r.chance(0.15) ? "GB-CHC-" : "";
    case ProviderKind::private_company: return "GB-COH-";
  }
  return "";
}

bool locally_owned(Rng& r, ProviderKind kind) {
  switch (kind) {
    case ProviderKind::council: return true;
    case ProviderKind::nhs: return false;
    case ProviderKind::charity: return r.chance(0.7);
    case ProviderKind::community_led: return true;
    case ProviderKind::social_enterprise: return r.chance(0.75);
    case ProviderKind::volunteer_group: return true;
    case ProviderKind::private_company: return r.chance(0.35);
  }
  return false;
}

// Ofcom keeps these ranges for drama: 01632 960000-960999 (a fictional
// geographic code) and 0808 157 0000-0999 (freephone, for helplines).
std::string phone_number(Rng& r, bool freephone) {
  const auto n = r.below(1000);
  return freephone ? fmt::format("0808 157 0{:03d}", n) : fmt::format("01632 960{:03d}", n);
}

std::string_view legal_status(ProviderKind kind, std::string_view registration, bool trust) {
  switch (kind) {
    case ProviderKind::council: return "Local authority";
    case ProviderKind::nhs: return trust ? "NHS foundation trust" : "GP partnership";
    case ProviderKind::social_enterprise: return "Community interest company";
    case ProviderKind::private_company: return "Private limited company";
    case ProviderKind::charity:
    case ProviderKind::community_led:
    case ProviderKind::volunteer_group:
      if (registration == "GB-CHC-") return "Registered charity";
      if (registration == "GB-MPR-") return "Community benefit society";
      if (registration == "GB-COH-") return "Company limited by guarantee";
      return "Unincorporated association";
  }
  return "";
}

// Chance of each accessibility feature (kAccessibility order): council and NHS
// buildings are mostly adapted; community venues less often.
constexpr std::array<double, kAccessibility.size()> kPublicAccess{0.95, 0.9, 0.85, 0.7, 0.25, 0.6, 0.4};
constexpr std::array<double, kAccessibility.size()> kOtherAccess{0.4, 0.35, 0.3, 0.1, 0.03, 0.15, 0.15};

constexpr std::array<std::string_view, 4> kPublicRoles{"Service manager", "Duty officer", "Team leader",
                                                       "Enquiries officer"};
constexpr std::array<std::string_view, 5> kVoluntaryRoles{"Volunteer coordinator", "Project coordinator",
                                                          "Service coordinator", "Project lead", "Outreach worker"};
constexpr std::array<std::string_view, 3> kCompanyRoles{"Office manager", "Registered manager", "Bookings"};

// Bank-holiday exceptions to the weekly hours: services open every day keep
// shorter hours on each bank holiday; a few others open on bank-holiday
// Mondays; the rest close for each holiday period that falls on a day they open.
void add_bank_holidays(const ChunkContext& ctx, Rng& r, Service& s) {
  std::array<const WeeklySlot*, 7> open{};
  for (const auto& w : s.schedule) open[w.day] = &w;
  const bool every_day = std::all_of(open.begin(), open.end(), [](const WeeklySlot* w) { return w != nullptr; });
  const bool mondays = !every_day && open[0] != nullptr && r.chance(0.04);
  static constexpr std::string_view kSpecial = "Bank holiday opening hours";
  for (const auto& period : ctx.holidays) {
    if (every_day) {
      for (const auto& h : period.holidays) s.exceptions.push_back({h.date, h.date, 10 * 60, 16 * 60, kSpecial});
      continue;
    }
    if (mondays && period.holidays.size() == 1 && weekday(period.from) == 0) {
      const WeeklySlot& w = *open[0];
      const auto closes = static_cast<std::uint16_t>(std::min(w.closes_at + 0, w.opens_at + 4 * 60));
      s.exceptions.push_back({period.from, period.to, w.opens_at, closes, kSpecial});
      continue;
    }
    bool affected = false;
    for (Date d = period.from; !affected && d <= period.to; d = add_days(d, 1))
      affected = open[static_cast<std::size_t>(weekday(d))] != nullptr;
    if (affected) s.exceptions.push_back({period.from, period.to, 0, 0, period.closed});
  }
}

void add_services(const ChunkContext& ctx, Rng& r, Rng& ids, const Organisation& org, int count,
                  std::size_t main_need, Chunk& out) {
  const double t = (ctx.neighbourhood->deprivation_decile - 1) / 9.0;
  const auto& affinity = kAffinity[static_cast<std::size_t>(org.kind)];
  for (int i = 0; i < count; ++i) {
    Service s;
    s.id = static_cast<std::int64_t>(out.services.size());
    s.public_id = {ids.next(), ids.next()};
    s.organisation_id = org.id;
    s.neighbourhood_id = org.neighbourhood_id;
    const std::size_t need = i == 0 ? main_need : r.weighted(std::span<const double>(affinity));
    s.needs_met = NeedSet{1} << need;
    if (r.chance(0.3)) s.needs_met |= NeedSet{1} << r.weighted(std::span<const double>(affinity));
    if (r.chance(0.1)) s.needs_met |= NeedSet{1} << r.weighted(std::span<const double>(affinity));
    s.type = &kServiceTypes[need][r.below(3)];
    s.name = std::string(s.type->name);
    s.description = fmt::format("{} from {}, for people in {} and nearby.", s.name, org.name,
                                ctx.neighbourhood->name);
    {
      const double x = r.uniform();
      s.status = x < 0.03   ? ServiceStatus::temporarily_closed
                 : x < 0.04 ? ServiceStatus::inactive
                            : ServiceStatus::active;
    }

    // Eligibility.
    const std::string_view code = kNeeds[need].code;
    if (code == "early_years") {
      s.minimum_age = 0, s.maximum_age = 4;
    } else if (code == "employment") {
      s.minimum_age = 16, s.maximum_age = 66;
    } else if (code == "substance_misuse" || code == "personal_care" || code == "domestic_abuse") {
      s.minimum_age = 18;
    } else if (code == "loneliness" && r.chance(0.3)) {
      s.minimum_age = 65;
    } else {
      const double x = r.uniform();
      if (x < 0.25) s.minimum_age = 18;
      else if (x < 0.30) s.minimum_age = 16, s.maximum_age = 25;
    }
    if (code == "carer_support") s.eligible_circumstances = kCarer;
    else if (org.kind == ProviderKind::council && r.chance(0.3)) s.eligible_circumstances = kLowIncome;
    else if (r.chance(0.08)) s.eligible_circumstances = static_cast<CircumstanceSet>(1U << r.below(kCircumstances.size()));
    if (s.eligible_circumstances != 0 && r.chance(0.1))
      s.eligible_circumstances |= static_cast<CircumstanceSet>(1U << r.below(kCircumstances.size()));

    // Weekly schedule.
    const bool office = org.kind == ProviderKind::council || org.kind == ProviderKind::nhs ||
                        (org.kind == ProviderKind::private_company && code != "personal_care");
    if (code == "personal_care" || code == "domestic_abuse") {
      for (std::uint8_t d = 0; d < 7; ++d) s.schedule.push_back({d, 8 * 60, 20 * 60});
    } else if (office && r.chance(0.7)) {
      for (std::uint8_t d = 0; d < 5; ++d)
        s.schedule.push_back({d, static_cast<std::uint16_t>(r.chance(0.5) ? 9 * 60 : 8 * 60 + 30),
                              static_cast<std::uint16_t>(r.chance(0.5) ? 17 * 60 : 16 * 60 + 30)});
    } else {
      const int sessions = r.between(1, 3);
      for (int k = 0; k < sessions; ++k) {
        static constexpr std::array<std::array<std::uint16_t, 2>, 4> times{
            {{10 * 60, 12 * 60}, {13 * 60 + 30, 15 * 60 + 30}, {18 * 60, 20 * 60}, {9 * 60 + 30, 12 * 60 + 30}}};
        const auto& tm = times[r.below(times.size())];
        const auto day = static_cast<std::uint8_t>(r.chance(0.85) ? r.between(0, 4) : r.between(5, 6));
        if (std::none_of(s.schedule.begin(), s.schedule.end(), [&](const WeeklySlot& o) { return o.day == day; }))
          s.schedule.push_back({day, tm[0], tm[1]});
      }
      std::sort(s.schedule.begin(), s.schedule.end(), [](const WeeklySlot& a, const WeeklySlot& b) { return a.day < b.day; });
    }
    add_bank_holidays(ctx, r, s);

    // Capacity: scarcer where deprivation is higher.
    s.capacity_unit = code == "early_years"     ? kCapacityUnits[0]
                      : code == "personal_care" ? kCapacityUnits[1]
                      : office                  ? kCapacityUnits[2]
                                                : kCapacityUnits[0];
    const bool big = org.kind == ProviderKind::council || org.kind == ProviderKind::nhs;
    s.capacity_maximum = big ? r.between(20, 200) : r.between(5, 60);
    s.capacity_available = r.chance(0.12 + 0.2 * (1 - t)) ? 0 : r.between(1, s.capacity_maximum);

    // Cost per session in pence; most of the voluntary sector and all of the NHS is free.
    switch (org.kind) {
      case ProviderKind::private_company:
        s.cost_pence = code == "personal_care" ? r.between(22, 32) * 100
                       : code == "early_years" ? r.between(6, 10) * 100
                                               : r.between(5, 50) * 100;
        break;
      case ProviderKind::social_enterprise:
        if (r.chance(0.4)) s.cost_pence = r.between(2, 8) * 100;
        break;
      case ProviderKind::charity:
      case ProviderKind::community_led:
      case ProviderKind::volunteer_group:
        if (r.chance(0.12)) s.cost_pence = r.between(2, 8) * 50;  // lunch club, class fee
        break;
      case ProviderKind::council:
        if (r.chance(0.05)) s.cost_pence = r.between(10, 25) * 100;
        break;
      case ProviderKind::nhs: break;
    }

    s.languages = 1;  // English
    for (const auto l : ctx.minority_languages)
      if (r.chance(code == "english_language" ? 0.6 : 0.15 + 0.15 * (1 - t))) s.languages |= static_cast<std::uint16_t>(1U << l);
    if (r.chance(0.02)) s.languages |= 1U << 9;  // Welsh

    // Contact, web page, helpline.
    switch (org.kind) {
      case ProviderKind::council:
      case ProviderKind::nhs: s.contact_title = pick(r, kPublicRoles); break;
      case ProviderKind::private_company: s.contact_title = pick(r, kCompanyRoles); break;
      default: s.contact_title = pick(r, kVoluntaryRoles); break;
    }
    s.contact_email = fmt::format("{}@{}", slug(s.contact_title), org.domain);
    s.email = s.contact_email;
    s.url = fmt::format("https://{}/{}", org.domain, slug(s.name));
    if (code == "domestic_abuse" || code == "substance_misuse" || (code == "mental_health" && r.chance(0.3)))
      s.phone = phone_number(r, true);

    // Last verified: mostly within the three months before the reference date, some long before.
    const Date today = ctx.reference_date;
    s.assured_date = add_days(today, -(r.chance(0.8) ? r.between(0, 91) : r.between(92, 540)));
    s.last_modified = add_days(s.assured_date,
                               r.between(0, days_since_epoch(today) - days_since_epoch(s.assured_date)));
    s.last_modified_minute = r.between(8 * 60, 18 * 60);
    out.services.push_back(std::move(s));
  }
}

void add_organisation(const ChunkContext& ctx, Rng& r, Rng& ids, ProviderKind kind, int services, Chunk& out,
                      std::string name = {}) {
  Organisation o;
  o.id = static_cast<std::int64_t>(out.organisations.size());
  o.public_id = {ids.next(), ids.next()};
  o.location_public_id = {ids.next(), ids.next()};
  o.neighbourhood_id = ctx.neighbourhood->id;
  o.kind = kind;
  const std::size_t main_need =
      r.weighted(std::span<const double>(kAffinity[static_cast<std::size_t>(kind)]));
  o.name = name.empty() ? organisation_name(ctx, r, kind, main_need) : std::move(name);
  o.registration_id = registration_prefix(r, kind);
  o.legal_status = legal_status(kind, o.registration_id, o.name.ends_with("Trust"));
  o.locally_owned = locally_owned(r, kind);
  o.community_led = kind == ProviderKind::community_led ||
                    (kind == ProviderKind::volunteer_group && r.chance(0.6)) ||
                    (kind == ProviderKind::charity && r.chance(0.2)) ||
                    (kind == ProviderKind::social_enterprise && r.chance(0.3));
  switch (kind) {
    case ProviderKind::council: o.year_founded = 1974; break;
    case ProviderKind::nhs: o.year_founded = r.between(1948, 2013); break;
    default: o.year_founded = 2025 - static_cast<int>(r.below(60) * r.uniform()); break;  // mostly young
  }
  static constexpr std::array<std::string_view, kProviderKindCount> what{
      "The local authority", "An NHS provider", "A registered charity", "A community-led organisation",
      "A social enterprise", "A volunteer group", "A private company"};
  o.description = fmt::format("{} based in {}, {}.", what[static_cast<std::size_t>(kind)],
                              ctx.neighbourhood->name, ctx.town->name);
  o.domain = fmt::format("{}.example", slug(o.name));
  o.website = fmt::format("https://{}", o.domain);
  o.email = fmt::format("hello@{}", o.domain);
  o.address = fmt::format("{} {} {}", r.between(1, 240), pick(r, names::kStreetNames), pick(r, names::kStreetKinds));
  // A postcode of the neighbourhood; the building a few tens of metres from its centre.
  const Postcode& pc = ctx.postcodes[r.below(ctx.postcodes.size())];
  o.postcode = pc.code;
  o.location = {pc.location.lat + r.uniform(-0.0004, 0.0004), pc.location.lon + r.uniform(-0.0006, 0.0006)};
  const bool public_body = kind == ProviderKind::council || kind == ProviderKind::nhs;
  o.phone = phone_number(r, false);
  const auto& access = public_body ? kPublicAccess : kOtherAccess;
  for (std::size_t k = 0; k < access.size(); ++k)
    if (r.chance(access[k])) o.accessibility |= static_cast<AccessibilitySet>(1U << k);
  out.organisations.push_back(o);
  add_services(ctx, r, ids, out.organisations.back(), services, main_need, out);
}

}  // namespace

void make_providers(const ChunkContext& ctx, Rng& r, Rng& ids, Chunk& out) {
  if (ctx.town_centre) {
    add_organisation(ctx, r, ids, ProviderKind::council, ctx.council_services, out);
    add_organisation(ctx, r, ids, ProviderKind::nhs, std::max(3, ctx.council_services / 4), out,
                     fmt::format("{} and District NHS Foundation Trust", ctx.town->name));
  }
  const int count = static_cast<int>(ctx.organisations * r.uniform(0.6, 1.4) + r.uniform());
  // Services per organisation: one, plus a geometric number more, so that the mean
  // is services_per_org; volunteer groups run fewer.
  const double q = std::clamp((ctx.services_per_org - 1.0) / ctx.services_per_org, 0.0, 0.95);
  for (int i = 0; i < count; ++i) {
    const auto kind = static_cast<ProviderKind>(r.weighted(std::span<const double>(kKindWeights)));
    const double qk = kind == ProviderKind::volunteer_group ? q * 0.6 : kind == ProviderKind::charity ? std::min(0.95, q * 1.1) : q;
    int services = 1;
    while (services < 25 && r.chance(qk)) ++services;
    add_organisation(ctx, r, ids, kind, services, out);
  }
}

}  // namespace bespoke::demo
