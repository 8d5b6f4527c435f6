// The generator's driver: plans the chunks, makes them on worker threads and
// hands them to the sink in order on the calling thread.
#include "core/ids.h"
#include "demo/chunk.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace bespoke::demo {

std::string PublicId::text() const { return core::uuid_from_bits(high, low); }

PublicId PublicId::derive(std::uint64_t tag) const noexcept {
  return {mix_seed(high, low, 2 * tag + 1), mix_seed(low, high, 2 * tag + 2)};
}

core::Result<DemoSpec> DemoSpec::for_scale(std::string_view scale, std::uint64_t seed) {
  DemoSpec s;
  s.scale = std::string(scale);
  s.seed = seed;
  if (scale == "town") return s;
  if (scale == "city") {
    s.residents = 500'000, s.organisations = 10'000, s.services = 30'000, s.volunteers = 20'000;
    return s;
  }
  if (scale == "nation") {
    s.residents = 5'000'000, s.organisations = 200'000, s.services = 500'000, s.volunteers = 200'000;
    s.towns = 24;
    return s;
  }
  return core::Error::invalid("scale", "Scale must be town, city or nation");
}

DemoSpec DemoSpec::tiny(std::uint64_t seed) {
  DemoSpec s;
  s.scale = "test";
  s.seed = seed;
  s.residents = 3'000, s.organisations = 100, s.services = 300, s.volunteers = 150;
  s.residents_per_neighbourhood = 150;
  return s;
}

std::vector<HolidayPeriod> holiday_periods(std::span<const BankHoliday> holidays) {
  std::vector<HolidayPeriod> out;
  std::size_t i = 0;
  while (i < holidays.size()) {
    std::size_t j = i + 1;
    while (j < holidays.size() &&
           days_since_epoch(holidays[j].date) - days_since_epoch(holidays[j - 1].date) <= 3)
      ++j;
    HolidayPeriod p;
    p.from = holidays[i].date;
    p.to = holidays[j - 1].date;
    p.holidays = holidays.subspan(i, j - i);
    const std::string_view first = holidays[i].name;
    if (p.from.month == 12) {
      // Christmas Day is closed even in a year whose holidays are its substitutes.
      p.from = std::min(p.from, Date{p.from.year, 12, 25});
      p.closed = "Closed for Christmas";
    } else if (first.starts_with("New Year")) {
      p.closed = "Closed for New Year's Day";
    } else if (first.starts_with("Good Friday") || first.starts_with("Easter")) {
      p.closed = "Closed for Easter";
    } else if (first.starts_with("Early May")) {
      p.closed = "Closed for the early May bank holiday";
    } else if (first.starts_with("Spring")) {
      p.closed = "Closed for the spring bank holiday";
    } else if (first.starts_with("Summer")) {
      p.closed = "Closed for the summer bank holiday";
    } else {
      p.closed = "Closed for the bank holiday";
    }
    out.push_back(p);
    i = j;
  }
  return out;
}

namespace {

struct Plan {
  std::vector<ChunkContext> chunks;
  std::vector<HolidayPeriod> holidays;
};

Plan make_plan(const DemoSpec& spec, const Place& place) {
  Plan plan;
  const auto n = static_cast<double>(place.neighbourhoods.size());
  std::vector<int> town_size(place.towns.size() + 1, 0);
  for (const auto& nb : place.neighbourhoods) ++town_size[static_cast<std::size_t>(nb.town_id)];
  // The council runs about 3% of a town's services; the rest belong to ordinary organisations.
  std::int64_t special = 0;
  std::vector<int> council_services(town_size.size(), 0);
  for (std::size_t t = 1; t < town_size.size(); ++t) {
    const double share = town_size[t] / n;
    council_services[t] = std::max(8, static_cast<int>(spec.services * share * 0.03));
    special += council_services[t] + std::max(3, council_services[t] / 4);
  }
  const double per_org =
      std::max(1.0, static_cast<double>(spec.services - special) / static_cast<double>(std::max<std::int64_t>(1, spec.organisations)));
  // About 80% of residents are 16-85, the ages that can volunteer here.
  const double rate = static_cast<double>(spec.volunteers) / static_cast<double>(std::max<std::int64_t>(1, spec.residents)) / 0.80;

  plan.holidays = holiday_periods(place.bank_holidays);
  std::int64_t previous_town = 0;
  for (const auto& nb : place.neighbourhoods) {
    ChunkContext c;
    c.neighbourhood = &nb;
    c.town = &place.towns[static_cast<std::size_t>(nb.town_id - 1)];
    c.scale = place.scale;
    c.reference_date = place.reference_date;
    c.town_centre = nb.town_id != previous_town;
    previous_town = nb.town_id;
    c.town_neighbourhoods = town_size[static_cast<std::size_t>(nb.town_id)];
    c.organisations = static_cast<double>(spec.organisations) / n;
    c.services_per_org = per_org;
    c.council_services = council_services[static_cast<std::size_t>(nb.town_id)];
    c.volunteer_rate = rate;
    c.postcodes = std::span<const Postcode>(place.postcodes).subspan(nb.first_postcode, nb.postcode_count);
    plan.chunks.push_back(c);
  }
  // Moving the plan out keeps the vector's buffer, so these spans stay valid.
  for (auto& c : plan.chunks) c.holidays = plan.holidays;
  return plan;
}

Chunk make_chunk(const DemoSpec& spec, ChunkContext ctx, std::size_t index) {
  Rng r(mix_seed(spec.seed, index + 1, 1));
  Rng ids(mix_seed(spec.seed, index + 1, 2));
  // Two minority languages are prominent in each neighbourhood (not Welsh, which is
  // spread thinly in an English town).
  std::array<double, kLanguages.size()> w{};
  for (std::size_t i = 1; i < kLanguages.size(); ++i) w[i] = i == 9 ? 0 : kLanguages[i].share;
  ctx.minority_languages[0] = r.weighted(std::span<const double>(w));
  w[ctx.minority_languages[0]] = 0;
  ctx.minority_languages[1] = r.weighted(std::span<const double>(w));

  Chunk c;
  c.index = index;
  make_people(ctx, r, ids, c);
  make_providers(ctx, r, ids, c);
  return c;
}

std::string code_letters(std::string_view name) {
  std::string s;
  for (const char ch : name)
    if (std::isalpha(static_cast<unsigned char>(ch)) && s.size() < 3)
      s.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  return s;
}

std::string base36(std::int64_t v) {
  static constexpr std::string_view digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string s;
  do {
    s.push_back(digits[static_cast<std::size_t>(v % 36)]);
    v /= 36;
  } while (v > 0);
  std::reverse(s.begin(), s.end());
  return s;
}

// Registration numbers are a bijection of the final id (multiplying by a prime
// coprime to the modulus), so they look scattered yet never repeat.
void finish_registration(Organisation& o, const Place& place) {
  std::string& reg = o.registration_id;
  if (reg.empty()) return;
  const auto id = static_cast<std::uint64_t>(o.id);
  if (reg == "GB-CHC-") {
    reg += fmt::format("{}", 1'000'000 + (id * 7919) % 999'999);
  } else if (reg == "GB-COH-") {
    reg += fmt::format("{:08d}", (id * 7919 + 1'000'000) % 100'000'000);
  } else if (reg == "GB-MPR-") {
    reg += fmt::format("{:06d}R", (id * 7919) % 1'000'000);
  } else if (reg == "GB-LAE-") {
    const auto& nb = place.neighbourhoods[static_cast<std::size_t>(o.neighbourhood_id - 1)];
    const auto& town = place.towns[static_cast<std::size_t>(nb.town_id - 1)];
    reg += code_letters(town.name);
    if (town.id > 1) reg += std::to_string(town.id);
  } else if (reg == "GB-NHS-") {
    if (o.name.ends_with("Trust")) {
      reg += fmt::format("R{}", base36(o.id));  // trusts' ODS codes begin with R
    } else {
      reg += fmt::format("{}{:05d}", static_cast<char>('M' + id / 100'000 % 10), (id % 100'000 * 7919) % 100'000);
    }
  }
}

struct Offsets {
  std::int64_t households = 0, residents = 0, organisations = 0, services = 0, volunteers = 0;
};

// Local ids become final ids: chunk order decides them, never thread timing.
void renumber(Chunk& c, Offsets& off, const Place& place, Totals& totals) {
  for (auto& h : c.households) h.id += off.households + 1;
  for (auto& p : c.residents) {
    p.id += off.residents + 1;
    p.household_id += off.households + 1;
    totals.resident_needs += std::popcount(p.needs);
  }
  for (auto& o : c.organisations) {
    o.id += off.organisations + 1;
    finish_registration(o, place);
  }
  for (auto& s : c.services) {
    s.id += off.services + 1;
    s.organisation_id += off.organisations + 1;
  }
  for (auto& v : c.volunteers) {
    v.id += off.volunteers + 1;
    v.resident_id += off.residents + 1;
    totals.volunteer_hours_per_month += v.hours_per_month;
  }
  auto add = [](std::int64_t& a, std::size_t n) { a += static_cast<std::int64_t>(n); };
  add(off.households, c.households.size());
  add(off.residents, c.residents.size());
  add(off.organisations, c.organisations.size());
  add(off.services, c.services.size());
  add(off.volunteers, c.volunteers.size());
  totals.households = off.households;
  totals.residents = off.residents;
  totals.organisations = off.organisations;
  totals.services = off.services;
  totals.volunteers = off.volunteers;
}

}  // namespace

Totals generate(const DemoSpec& spec, TownSink& sink, const ProgressFn& progress) {
  const Place place = make_place(spec);
  const Plan plan = make_plan(spec, place);
  const std::size_t n = plan.chunks.size();
  Totals totals;
  totals.towns = static_cast<std::int64_t>(place.towns.size());
  totals.neighbourhoods = static_cast<std::int64_t>(n);
  Offsets off;
  sink.begin(place);

  auto emit = [&](Chunk& c) {
    renumber(c, off, place, totals);
    sink.write(c);
    if (progress) progress(Progress{c.index + 1, n, totals});
  };

  const int threads = spec.threads > 0 ? spec.threads : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) {
      Chunk c = make_chunk(spec, plan.chunks[i], i);
      emit(c);
    }
  } else {
    // Workers claim chunks in order and park them in slots; the calling thread
    // takes slot i only when it is ready. The window bounds memory.
    const std::size_t window = 2 * static_cast<std::size_t>(threads) + 2;
    std::mutex m;
    std::condition_variable ready, space;
    std::vector<std::optional<Chunk>> slots(n);
    std::size_t next_claim = 0, next_emit = 0;
    bool stop = false;
    std::exception_ptr failure;

    auto work = [&] {
      for (;;) {
        std::size_t i = 0;
        {
          std::unique_lock lock(m);
          space.wait(lock, [&] { return stop || next_claim >= n || next_claim < next_emit + window; });
          if (stop || next_claim >= n) return;
          i = next_claim++;
        }
        try {
          Chunk c = make_chunk(spec, plan.chunks[i], i);
          std::lock_guard lock(m);
          slots[i] = std::move(c);
        } catch (...) {
          std::lock_guard lock(m);
          if (!failure) failure = std::current_exception();
          stop = true;
        }
        ready.notify_all();
        space.notify_all();
      }
    };

    std::vector<std::jthread> workers;
    // Declared after the workers, so it runs first on every exit path: stop, wake, then join.
    struct Stopper {
      std::mutex& m;
      bool& stop;
      std::condition_variable& space;
      std::vector<std::jthread>& workers;
      ~Stopper() {
        {
          std::lock_guard lock(m);
          stop = true;
        }
        space.notify_all();
        for (auto& w : workers) w.join();
      }
    } stopper{m, stop, space, workers};
    for (int t = 0; t < threads; ++t) workers.emplace_back(work);

    for (std::size_t i = 0; i < n; ++i) {
      Chunk c;
      {
        std::unique_lock lock(m);
        ready.wait(lock, [&] { return slots[i].has_value() || failure; });
        if (!slots[i]) std::rethrow_exception(failure);
        c = std::move(*slots[i]);
        slots[i].reset();
        next_emit = i + 1;
      }
      space.notify_all();
      emit(c);
    }
  }
  sink.finish(totals);
  return totals;
}

}  // namespace bespoke::demo
