#pragma once
// What a directory search returns: the total, one page of hits and the facet
// counts over everything matched.
#include "directory/entry.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace bespoke::directory {

struct Hit {
  Uuid id;
  double score = 0;                   // BM25 relevance; 0 without text
  std::optional<double> distance_m;   // to the nearest site, when the query has a place
  std::optional<Site> site;           // the nearest site (the first one without a place)
  // The service's own values, as in its ServiceEntry (for badges on a result).
  ProviderKind provider_kind = ProviderKind::unknown;
  bool community_led = false;
  bool locally_owned = false;
  Cost cost = Cost::unknown;
  bool has_capacity = false;         // capacity_available > 0
  std::optional<bool> open_now;      // only when the query's facets.open_now is set: open at that time
};

struct YesNo {
  std::uint32_t yes = 0;
  std::uint32_t no = 0;
  friend bool operator==(const YesNo&, const YesNo&) = default;
};

// Counts over the whole matched set; only the requested ones are filled.
struct FacetCounts {
  std::array<std::uint32_t, kProviderKindCount> provider_kind{};  // by ProviderKind
  YesNo community_led;
  YesNo locally_owned;
  std::array<std::uint32_t, 3> cost{};  // by Cost: unknown, free, paid
  // Non-zero counts, by ascending code / term index. A service counts once
  // under each of its terms and each of their broader terms.
  std::vector<std::pair<std::array<char, 3>, std::uint32_t>> languages;
  std::vector<std::pair<TermIndex, std::uint32_t>> terms;
  YesNo has_capacity;
  std::optional<std::uint32_t> open_now;
};

struct Results {
  std::size_t total = 0;
  std::vector<Hit> hits;
  FacetCounts facets;
};

}  // namespace bespoke::directory
