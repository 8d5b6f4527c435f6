#pragma once
// Internal to the generator: what one chunk (one neighbourhood) needs to know.
// Records come out with chunk-local ids (0, 1, ...) and chunk-local references;
// generate() renumbers them in chunk order, so ids do not depend on threads.
#include "demo/random.h"
#include "demo/town.h"

#include <array>
#include <span>
#include <vector>

namespace bespoke::demo {

// Bank holidays close to each other (Good Friday to Easter Monday, Christmas
// to Boxing Day's substitute) make one period of closure.
struct HolidayPeriod {
  Date from;
  Date to;  // inclusive
  std::string_view closed;  // the closure's description
  std::span<const BankHoliday> holidays;  // the bank holidays in it
};
[[nodiscard]] std::vector<HolidayPeriod> holiday_periods(std::span<const BankHoliday> holidays);

struct ChunkContext {
  const Neighbourhood* neighbourhood = nullptr;
  const Town* town = nullptr;
  std::string_view scale;
  Date reference_date;
  bool town_centre = false;        // hosts the council and the NHS trust
  int town_neighbourhoods = 1;
  double organisations = 0;        // expected ordinary organisations here
  double services_per_org = 2;     // mean for ordinary organisations
  int council_services = 0;
  double volunteer_rate = 0.05;    // chance that a resident aged 16-85 volunteers (middle decile)
  std::array<std::size_t, 2> minority_languages{1, 2};
  std::span<const Postcode> postcodes;  // the neighbourhood's
  std::span<const HolidayPeriod> holidays;
};

void make_people(const ChunkContext& ctx, Rng& r, Rng& ids, Chunk& out);
void make_providers(const ChunkContext& ctx, Rng& r, Rng& ids, Chunk& out);

}  // namespace bespoke::demo
