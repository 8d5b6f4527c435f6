#include "core/ids.h"
#include "demo/random.h"
#include "demo/town.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <map>
#include <numeric>
#include <set>

namespace bespoke::demo {
namespace {

// Hashes every field of everything emitted (FNV-1a), and keeps what the tests look at.
class HashSink final : public TownSink {
 public:
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  Place place;
  std::vector<Household> households;
  std::vector<Resident> residents;
  std::vector<Organisation> organisations;
  std::vector<Service> services;
  std::vector<Volunteer> volunteers;
  Totals totals;
  std::vector<std::size_t> order;
  bool keep = true;

  void begin(const Place& p) override {
    place = p;
    add(p.name);
    for (const auto& n : p.neighbourhoods) {
      add(n.id), add(n.public_id.high), add(n.public_id.low), add(n.name), add(n.code), add(n.centroid.lat);
      add(n.centroid.lon), add(n.deprivation_decile), add(n.town_id), add(n.first_postcode), add(n.postcode_count);
    }
    for (const auto& t : p.towns) add(t.county);
    for (const auto& pc : p.postcodes) add(pc.code), add(pc.neighbourhood_id), add(pc.location.lat), add(pc.location.lon);
  }
  void write(const Chunk& c) override {
    order.push_back(c.index);
    for (const auto& h : c.households) {
      add(h.id), add(h.public_id.low), add(h.neighbourhood_id), add(h.size), add(static_cast<int>(h.tenure));
      add(h.location.lat), add(h.location.lon);
    }
    for (const auto& r : c.residents) {
      add(r.id), add(r.public_id.high), add(r.household_id), add(r.given_name), add(r.family_name), add(r.age);
      add(r.birth_date.month), add(r.birth_date.day), add(r.main_language), add(r.speaks_english), add(r.faith);
      add(r.needs), add(r.circumstances), add(static_cast<int>(r.sex));
    }
    for (const auto& o : c.organisations) {
      add(o.id), add(o.public_id.low), add(o.name), add(o.registration_id), add(static_cast<int>(o.kind));
      add(o.locally_owned), add(o.community_led), add(o.address), add(o.postcode), add(o.location.lat);
      add(o.phone), add(o.accessibility), add(o.domain), add(o.legal_status);
    }
    for (const auto& s : c.services) {
      add(s.id), add(s.organisation_id), add(s.name), add(s.needs_met), add(s.minimum_age), add(s.maximum_age);
      add(s.eligible_circumstances), add(s.capacity_maximum), add(s.capacity_available), add(s.cost_pence);
      add(s.languages), add(s.type->open_eligibility_code), add(static_cast<int>(s.status)), add(s.url), add(s.email);
      add(s.contact_title), add(s.contact_email), add(s.phone), add(s.assured_date.day), add(s.assured_date.month);
      add(s.last_modified.day), add(s.last_modified_minute), add(s.capacity_unit);
      for (const auto& w : s.schedule) add(w.day), add(w.opens_at), add(w.closes_at);
      for (const auto& e : s.exceptions) add(e.from.day), add(e.to.day), add(e.opens_at), add(e.closes_at), add(e.description);
    }
    for (const auto& v : c.volunteers) {
      add(v.id), add(v.resident_id), add(v.skills), add(v.checks), add(v.hours_per_month), add(v.max_travel_m);
      for (const auto& w : v.availability) add(w.day), add(w.opens_at), add(w.closes_at);
    }
    if (keep) {
      households.insert(households.end(), c.households.begin(), c.households.end());
      residents.insert(residents.end(), c.residents.begin(), c.residents.end());
      organisations.insert(organisations.end(), c.organisations.begin(), c.organisations.end());
      services.insert(services.end(), c.services.begin(), c.services.end());
      volunteers.insert(volunteers.end(), c.volunteers.begin(), c.volunteers.end());
    }
  }
  void finish(const Totals& t) override { totals = t; }

 private:
  void bytes(const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) hash = (hash ^ b[i]) * 0x100000001b3ULL;
  }
  void add(std::string_view s) {
    bytes(s.data(), s.size());
    add(s.size());
  }
  template <class T>
    requires std::is_arithmetic_v<T>
  void add(T v) {
    bytes(&v, sizeof v);
  }
};

HashSink run(DemoSpec spec, int threads) {
  spec.threads = threads;
  HashSink sink;
  generate(spec, sink);
  return sink;
}

const HashSink& town() {
  static const HashSink sink = run(DemoSpec::for_scale("town", 7).value(), 2);
  return sink;
}

TEST(Random, XoshiroIsStableAcrossBuilds) {
  // Fixed values: a change here changes every demo town.
  Rng r(42);
  const std::uint64_t first = r.next();
  Rng again(42);
  EXPECT_EQ(first, again.next());
  EXPECT_NE(mix_seed(1, 2), mix_seed(2, 1));
  Rng u(1);
  for (int i = 0; i < 1000; ++i) {
    const double x = u.uniform();
    ASSERT_GE(x, 0.0);
    ASSERT_LT(x, 1.0);
    const auto k = u.below(7);
    ASSERT_LT(k, 7U);
  }
}

TEST(Generate, SameSeedSameTownWhateverTheThreads) {
  const DemoSpec spec = DemoSpec::tiny(11);
  const HashSink one = run(spec, 1);
  const HashSink two = run(spec, 2);
  const HashSink five = run(spec, 5);
  EXPECT_EQ(one.hash, two.hash);
  EXPECT_EQ(one.hash, five.hash);
  EXPECT_EQ(one.totals, five.totals);
  for (std::size_t i = 0; i < five.order.size(); ++i) ASSERT_EQ(five.order[i], i);
}

TEST(Generate, DifferentSeedsDiffer) {
  EXPECT_NE(run(DemoSpec::tiny(1), 2).hash, run(DemoSpec::tiny(2), 2).hash);
}

TEST(Generate, OnlyKnownScales) {
  EXPECT_TRUE(DemoSpec::for_scale("town", 1));
  EXPECT_TRUE(DemoSpec::for_scale("city", 1));
  EXPECT_TRUE(DemoSpec::for_scale("nation", 1));
  EXPECT_FALSE(DemoSpec::for_scale("village", 1));
  EXPECT_FALSE(DemoSpec::for_scale("test", 1));
}

TEST(Generate, TownSizesWithinTolerance) {
  const auto& t = town();
  auto near = [](std::int64_t got, double want, double tol) {
    return got > want * (1 - tol) && got < want * (1 + tol);
  };
  EXPECT_TRUE(near(t.totals.residents, 50'000, 0.02)) << t.totals.residents;
  EXPECT_TRUE(near(t.totals.organisations, 1'000, 0.15)) << t.totals.organisations;
  EXPECT_TRUE(near(t.totals.services, 3'000, 0.20)) << t.totals.services;
  EXPECT_TRUE(near(t.totals.volunteers, 2'000, 0.20)) << t.totals.volunteers;
  EXPECT_TRUE(near(t.totals.neighbourhoods, 33, 0.1)) << t.totals.neighbourhoods;
  EXPECT_EQ(t.totals.residents, static_cast<std::int64_t>(t.residents.size()));
}

TEST(Generate, IdsAreSequentialReferencesResolveAndPublicIdsAreUnique) {
  const auto& t = town();
  std::set<std::string> uuids;
  for (std::size_t i = 0; i < t.residents.size(); ++i) {
    ASSERT_EQ(t.residents[i].id, static_cast<std::int64_t>(i + 1));
    ASSERT_GE(t.residents[i].household_id, 1);
    ASSERT_LE(t.residents[i].household_id, static_cast<std::int64_t>(t.households.size()));
    const std::string u = t.residents[i].public_id.text();
    ASSERT_TRUE(core::is_uuid(u));
    uuids.insert(u);
  }
  EXPECT_EQ(uuids.size(), t.residents.size());
  for (const auto& s : t.services) {
    ASSERT_GE(s.organisation_id, 1);
    ASSERT_LE(s.organisation_id, static_cast<std::int64_t>(t.organisations.size()));
  }
  std::set<std::string> regs;
  for (const auto& o : t.organisations) {
    if (!o.registration_id.empty()) {
      EXPECT_TRUE(regs.insert(o.registration_id).second) << o.registration_id;
    }
  }
  for (const auto& v : t.volunteers) {
    const auto& r = t.residents[static_cast<std::size_t>(v.resident_id - 1)];
    EXPECT_GE(r.age, 16);
  }
}

TEST(Generate, EveryProviderKindIsPresent) {
  std::map<ProviderKind, int> kinds;
  int local = 0, community_led = 0;
  for (const auto& o : town().organisations) {
    ++kinds[o.kind];
    local += o.locally_owned;
    community_led += o.community_led;
  }
  EXPECT_EQ(kinds.size(), kProviderKindCount);
  EXPECT_EQ(kinds[ProviderKind::council], 1);
  EXPECT_GT(local, 0);
  EXPECT_LT(local, static_cast<int>(town().organisations.size()));
  EXPECT_GT(community_led, 0);
  for (const auto& k : kProviderKinds) EXPECT_EQ(provider_kind_from_code(k.code), k.kind);
  EXPECT_EQ(code(ProviderKind::community_led), "community_led");
}

TEST(Generate, NeedsAreMoreCommonInDeprivedNeighbourhoods) {
  const auto& t = town();
  std::map<std::int64_t, int> decile;
  for (const auto& n : t.place.neighbourhoods) decile[n.id] = n.deprivation_decile;
  double deprived_needs = 0, deprived_people = 0, affluent_needs = 0, affluent_people = 0;
  for (const auto& r : t.residents) {
    const int d = decile[r.neighbourhood_id];
    if (d <= 3) deprived_needs += std::popcount(r.needs), ++deprived_people;
    if (d >= 8) affluent_needs += std::popcount(r.needs), ++affluent_people;
  }
  ASSERT_GT(deprived_people, 0);
  ASSERT_GT(affluent_people, 0);
  EXPECT_GT(deprived_needs / deprived_people, 1.2 * affluent_needs / affluent_people);
  EXPECT_GT(need_probability(0, 1, 40), need_probability(0, 10, 40));
}

TEST(Generate, DecilesAreEvenAndClustered) {
  const auto& t = town();
  std::map<int, int> count;
  for (const auto& n : t.place.neighbourhoods) {
    ASSERT_GE(n.deprivation_decile, 1);
    ASSERT_LE(n.deprivation_decile, 10);
    ++count[n.deprivation_decile];
    EXPECT_NEAR(n.centroid.lat, 52.5, 0.3);
    EXPECT_NEAR(n.centroid.lon, -1.9, 0.3);
  }
  EXPECT_EQ(count.size(), 10U);
  for (const auto& [d, c] : count) EXPECT_LE(c, 4) << d;
}

TEST(Generate, AMinorityOfVolunteersGiveMostOfTheHours) {
  std::vector<int> hours;
  for (const auto& v : town().volunteers) {
    hours.push_back(v.hours_per_month);
    EXPECT_NE(v.skills, 0);
    EXPECT_FALSE(v.availability.empty());
  }
  std::sort(hours.rbegin(), hours.rend());
  const double total = std::accumulate(hours.begin(), hours.end(), 0.0);
  const double top = std::accumulate(hours.begin(), hours.begin() + static_cast<std::ptrdiff_t>(hours.size() / 5), 0.0);
  EXPECT_GT(top / total, 0.5);
  EXPECT_EQ(static_cast<std::int64_t>(total), town().totals.volunteer_hours_per_month);
}

TEST(Generate, AgesAndHouseholdsArePlausible) {
  const auto& t = town();
  std::map<std::int64_t, std::vector<const Resident*>> by_household;
  int older = 0, children = 0, english = 0;
  std::set<std::uint8_t> languages, faiths;
  for (const auto& r : t.residents) {
    ASSERT_GE(r.age, 0);
    ASSERT_LE(r.age, 99);
    EXPECT_EQ(r.birth_date.year, 2025 - r.age);
    by_household[r.household_id].push_back(&r);
    older += r.age >= 65;
    children += r.age < 16;
    english += r.main_language == kEnglish;
    languages.insert(r.main_language);
    faiths.insert(r.faith);
  }
  const double n = static_cast<double>(t.residents.size());
  EXPECT_NEAR(older / n, 0.19, 0.06);
  EXPECT_NEAR(children / n, 0.19, 0.06);
  EXPECT_NEAR(english / n, 0.88, 0.06);
  EXPECT_GE(languages.size(), 8U);
  EXPECT_EQ(faiths.size(), kFaiths.size());
  for (const auto& h : t.households) {
    ASSERT_GE(h.size, 1);
    ASSERT_LE(h.size, 6);
    const auto& members = by_household[h.id];
    ASSERT_EQ(static_cast<int>(members.size()), h.size);
    EXPECT_TRUE(std::any_of(members.begin(), members.end(), [](const Resident* r) { return r->age >= 18; }));
  }
  EXPECT_NEAR(n / static_cast<double>(t.households.size()), 2.35, 0.3);
}

TEST(Generate, ServicesHaveSchedulesEligibilityAndCosts) {
  int free = 0, full = 0;
  for (const auto& s : town().services) {
    EXPECT_NE(s.needs_met, 0U);
    EXPECT_LE(s.minimum_age, s.maximum_age);
    EXPECT_FALSE(s.schedule.empty());
    for (const auto& w : s.schedule) {
      EXPECT_LT(w.day, 7);
      EXPECT_LT(w.opens_at, w.closes_at);
    }
    EXPECT_GE(s.capacity_available, 0);
    EXPECT_LE(s.capacity_available, s.capacity_maximum);
    EXPECT_TRUE(s.languages & 1U);
    free += s.cost_pence == 0;
    full += s.capacity_available == 0;
  }
  EXPECT_GT(free, static_cast<int>(town().services.size()) / 2);
  EXPECT_GT(full, 0);
}

TEST(Generate, NationHasSeveralTowns) {
  DemoSpec spec = DemoSpec::for_scale("nation", 3).value();
  const Place p = make_place(spec);
  EXPECT_EQ(p.towns.size(), 24U);
  EXPECT_NEAR(static_cast<double>(p.neighbourhoods.size()), 5e6 / 1500, 5);
  std::int64_t planned = 0;
  for (const auto& n : p.neighbourhoods) planned += n.planned_residents;
  EXPECT_NEAR(static_cast<double>(planned), 5e6, 5e6 * 0.001);
}

TEST(Generate, ExceptionsFromTheSinkStopTheWorkers) {
  struct Failing final : TownSink {
    void begin(const Place&) override {}
    void write(const Chunk& c) override {
      if (c.index == 3) throw std::runtime_error("disk full");
    }
    void finish(const Totals&) override {}
  } sink;
  DemoSpec spec = DemoSpec::tiny(1);
  spec.threads = 3;
  EXPECT_THROW(generate(spec, sink), std::runtime_error);
}

TEST(Calendar, DaysRoundTripAndWeekdays) {
  EXPECT_EQ(days_since_epoch({1970, 1, 1}), 0);
  EXPECT_EQ(days_since_epoch({2000, 3, 1}), 11017);
  EXPECT_EQ(weekday({1970, 1, 1}), 3);  // Thursday
  EXPECT_EQ(weekday({2026, 1, 1}), 3);
  EXPECT_EQ(weekday({2024, 2, 29}), 3);
  EXPECT_EQ(weekday({1969, 12, 29}), 0);  // a Monday before the epoch
  for (std::int32_t d = -800; d < 40'000; d += 7) EXPECT_EQ(days_since_epoch(date_from_days(d)), d);
  EXPECT_EQ(add_days({2026, 1, 1}, -1), (Date{2025, 12, 31}));
  EXPECT_EQ(add_days({2024, 2, 28}, 1), (Date{2024, 2, 29}));
  EXPECT_EQ(iso_date({2026, 4, 3}), "2026-04-03");
}

TEST(Calendar, EasterByTheComputus) {
  EXPECT_EQ(easter_sunday(2024), (Date{2024, 3, 31}));
  EXPECT_EQ(easter_sunday(2025), (Date{2025, 4, 20}));
  EXPECT_EQ(easter_sunday(2026), (Date{2026, 4, 5}));
  EXPECT_EQ(easter_sunday(2027), (Date{2027, 3, 28}));
  EXPECT_EQ(easter_sunday(2038), (Date{2038, 4, 25}));  // the latest possible
  EXPECT_EQ(easter_sunday(2285), (Date{2285, 3, 22}));  // the earliest possible
  for (int y = 1900; y < 2200; ++y) EXPECT_EQ(weekday(easter_sunday(y)), 6) << y;
}

std::vector<Date> dates(const std::vector<BankHoliday>& holidays) {
  std::vector<Date> out;
  for (const auto& h : holidays) out.push_back(h.date);
  return out;
}

TEST(Calendar, BankHolidaysOfEnglandAndWalesWithSubstituteDays) {
  // As published on gov.uk/bank-holidays.
  EXPECT_EQ(dates(england_and_wales_bank_holidays(2026)),
            (std::vector<Date>{{2026, 1, 1}, {2026, 4, 3}, {2026, 4, 6}, {2026, 5, 4}, {2026, 5, 25}, {2026, 8, 31},
                               {2026, 12, 25}, {2026, 12, 28}}));
  EXPECT_EQ(dates(england_and_wales_bank_holidays(2027)),
            (std::vector<Date>{{2027, 1, 1}, {2027, 3, 26}, {2027, 3, 29}, {2027, 5, 3}, {2027, 5, 31}, {2027, 8, 30},
                               {2027, 12, 27}, {2027, 12, 28}}));
  // Christmas on a Sunday (2022): Boxing Day on the Monday, Christmas's substitute on the Tuesday.
  const auto y2022 = england_and_wales_bank_holidays(2022);
  EXPECT_EQ(y2022.back().date, (Date{2022, 12, 27}));
  EXPECT_EQ(y2022[y2022.size() - 2].date, (Date{2022, 12, 26}));
  // New Year's Day on a Saturday (2022) is substituted on Monday 3 January.
  EXPECT_EQ(y2022.front().date, (Date{2022, 1, 3}));
  for (int y = 2000; y < 2100; ++y) {
    const auto h = england_and_wales_bank_holidays(y);
    ASSERT_EQ(h.size(), 8U) << y;
    for (std::size_t i = 0; i < h.size(); ++i) {
      EXPECT_LT(weekday(h[i].date), 5) << y << " " << h[i].name;  // always a weekday
      if (i > 0) {
        EXPECT_LT(h[i - 1].date, h[i].date) << y;
      }
    }
  }
}

// The UK postcode shapes: A9 9AA, A99 9AA, AA9 9AA, AA99 9AA (and A9A/AA9A outward codes).
bool uk_postcode_shape(std::string_view p) {
  const auto space = p.find(' ');
  if (space == std::string_view::npos || p.size() - space != 4) return false;
  const std::string_view out = p.substr(0, space), in = p.substr(space + 1);
  auto shape = [](std::string_view s) {
    std::string k;
    for (const char c : s) k += std::isdigit(static_cast<unsigned char>(c)) ? '9' : std::isupper(static_cast<unsigned char>(c)) ? 'A' : '?';
    return k;
  };
  const std::string o = shape(out);
  return shape(in) == "9AA" && (o == "A9" || o == "A99" || o == "AA9" || o == "AA99" || o == "A9A" || o == "AA9A");
}

TEST(Generate, PostcodesAreFictionalValidAndNearTheirNeighbourhood) {
  const auto& t = town();
  std::set<std::string> seen;
  for (const auto& nb : t.place.neighbourhoods) {
    EXPECT_GE(nb.postcode_count, 6U);
    EXPECT_LE(nb.postcode_count, 10U);
    for (std::size_t i = nb.first_postcode; i < nb.first_postcode + nb.postcode_count; ++i) {
      const Postcode& p = t.place.postcodes.at(i);
      EXPECT_TRUE(uk_postcode_shape(p.code)) << p.code;
      EXPECT_EQ(p.code[0], 'Z') << p.code;
      EXPECT_NE(p.code.substr(0, 2), "ZE") << p.code;  // Shetland's, the one real Z area
      EXPECT_EQ(p.neighbourhood_id, nb.id);
      EXPECT_EQ(p.deprivation_decile, nb.deprivation_decile);
      EXPECT_LT(core::distance_m(p.location, nb.centroid), 600) << p.code;
      EXPECT_TRUE(seen.insert(p.code).second) << "duplicate " << p.code;
    }
  }
  EXPECT_EQ(seen.size(), t.place.postcodes.size());
  for (const auto& o : t.organisations) {
    const auto& nb = t.place.neighbourhoods.at(static_cast<std::size_t>(o.neighbourhood_id - 1));
    const auto first = t.place.postcodes.begin() + static_cast<std::ptrdiff_t>(nb.first_postcode);
    EXPECT_TRUE(std::any_of(first, first + static_cast<std::ptrdiff_t>(nb.postcode_count),
                            [&](const Postcode& p) { return p.code == o.postcode; }))
        << o.postcode;
    EXPECT_FALSE(o.address.empty());
    EXPECT_FALSE(t.place.towns.at(static_cast<std::size_t>(nb.town_id - 1)).county.empty());
  }
}

TEST(Generate, NationPostcodesStayUniqueAcrossTwentyFourTowns) {
  const Place p = make_place(DemoSpec::for_scale("nation", 3).value());
  std::set<std::string> seen, counties;
  for (const auto& pc : p.postcodes) {
    ASSERT_TRUE(uk_postcode_shape(pc.code)) << pc.code;
    ASSERT_TRUE(seen.insert(pc.code).second) << pc.code;
  }
  for (const auto& t : p.towns) counties.insert(t.county);
  EXPECT_GT(counties.size(), 1U);
  EXPECT_LE(counties.size(), 6U);
}

TEST(Generate, OrganisationsHavePhonesAndAccessibleBuildings) {
  int public_features = 0, public_sites = 0, other_features = 0, other_sites = 0;
  for (const auto& o : town().organisations) {
    const bool drama = o.phone.starts_with("01632 960") || o.phone.starts_with("0808 157 0");
    EXPECT_TRUE(drama && o.phone.size() == 12) << o.phone;
    EXPECT_TRUE(o.email.ends_with("@" + o.domain)) << o.email;
    EXPECT_TRUE(o.domain.ends_with(".example")) << o.domain;
    EXPECT_FALSE(o.legal_status.empty());
    const int n = std::popcount(o.accessibility);
    if (o.kind == ProviderKind::council || o.kind == ProviderKind::nhs) {
      public_features += n, ++public_sites;
    } else {
      other_features += n, ++other_sites;
    }
  }
  ASSERT_GT(public_sites, 0);
  EXPECT_GT(static_cast<double>(public_features) / public_sites, 2.0 * other_features / other_sites);
  EXPECT_GT(other_features, 0);
}

TEST(Generate, ServicesAreTypedVerifiedAndMostlyActive) {
  const auto& t = town();
  const Date today = t.place.reference_date;
  int recent = 0, active = 0, closed = 0;
  std::set<std::string_view> types;
  for (const auto& s : t.services) {
    ASSERT_NE(s.type, nullptr);
    EXPECT_EQ(s.name, s.type->name);
    EXPECT_TRUE((s.needs_met >> (static_cast<std::size_t>(s.type - &kServiceTypes[0][0]) / 3)) & 1U)
        << s.name << ": its type's need is one it meets";
    types.insert(s.type->open_eligibility_code);
    EXPECT_GE(std::popcount(s.needs_met), 1);
    EXPECT_LE(std::popcount(s.needs_met), 3);
    EXPECT_LE(std::popcount(s.eligible_circumstances), 2);
    EXPECT_LE(s.assured_date, today);
    EXPECT_GE(s.assured_date, add_days(today, -540));
    EXPECT_GE(s.last_modified, s.assured_date);
    EXPECT_LE(s.last_modified, today);
    recent += days_since_epoch(today) - days_since_epoch(s.assured_date) <= 92;
    active += s.status == ServiceStatus::active;
    closed += s.status == ServiceStatus::temporarily_closed;
    EXPECT_FALSE(s.contact_title.empty());
    EXPECT_NE(s.contact_email.find('@'), std::string::npos);
    EXPECT_TRUE(s.url.starts_with("https://")) << s.url;
  }
  const double n = static_cast<double>(t.services.size());
  EXPECT_GT(recent / n, 0.7);
  EXPECT_LT(recent / n, 0.9);  // "last verified" varies
  EXPECT_GT(active / n, 0.9);
  EXPECT_GT(closed, 0);
  EXPECT_GT(types.size(), 25U);
}

TEST(Generate, ServicesCloseOnBankHolidaysOrKeepSpecialHours) {
  const auto& t = town();
  ASSERT_EQ(t.place.bank_holidays.size(), 16U);  // the reference year and the next
  int closed = 0, special = 0, with_special = 0;
  for (const auto& s : t.services) {
    with_special += std::any_of(s.exceptions.begin(), s.exceptions.end(), [](const DatedHours& e) { return !e.closed(); });
    std::array<bool, 7> open{};
    for (const auto& w : s.schedule) open[w.day] = true;
    for (const auto& h : t.place.bank_holidays) {
      if (!open[static_cast<std::size_t>(weekday(h.date))]) continue;
      const auto it = std::find_if(s.exceptions.begin(), s.exceptions.end(),
                                   [&](const DatedHours& e) { return e.from <= h.date && h.date <= e.to; });
      ASSERT_NE(it, s.exceptions.end()) << s.name << " has no exception on " << iso_date(h.date);
      if (it->closed()) {
        ++closed;
      } else {
        ++special;
        EXPECT_LT(it->opens_at, it->closes_at);
      }
      EXPECT_FALSE(it->description.empty());
    }
    for (const auto& e : s.exceptions) EXPECT_LE(e.from, e.to);
  }
  EXPECT_GT(special, 0);
  EXPECT_GT(closed, special);
  EXPECT_LT(with_special, static_cast<int>(t.services.size()) / 5) << "a few services open at special hours";
}

}  // namespace
}  // namespace bespoke::demo
