#pragma once
// Internal to the generator: what one chunk (one neighbourhood) needs to know.
// Records come out with chunk-local ids (0, 1, ...) and chunk-local references;
// generate() renumbers them in chunk order, so ids do not depend on threads.
#include "demo/random.h"
#include "demo/town.h"

#include <array>

namespace bespoke::demo {

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
};

void make_people(const ChunkContext& ctx, Rng& r, Rng& ids, Chunk& out);
void make_providers(const ChunkContext& ctx, Rng& r, Rng& ids, Chunk& out);

}  // namespace bespoke::demo
