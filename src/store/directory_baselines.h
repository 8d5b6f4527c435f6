#pragma once
// What a team would build instead of our in-memory directory index, for the
// directory benchmark (bench/directory_bench.cpp): the same search over the
// same services, done by the databases' own search features.
//
//   SQLite:      an FTS5 table (porter tokenizer, bm25 with column weights
//                name 3, description 1, organisation 1.5, term labels 2), an
//                R*Tree over the sites' coordinates (the radius' bounding box,
//                then the exact great-circle test on precomputed unit vectors),
//                filters on indexed columns and side tables; in a file of its
//                own, so the directory's database is not touched.
//   PostgreSQL:  a weighted tsvector (english; setweight A name, B labels,
//                C organisation, D description) with a GIN index, ts_rank with
//                weights in the same ratios; earthdistance (cube) with a GiST
//                index on ll_to_earth(latitude, longitude) (kept in a stored
//                column, so it is not computed again per candidate), earth_box
//                for the radius, then earth_distance; filter columns with
//                B-tree and GIN indexes.
//
// Both are loaded from the ServiceEntry values that store/directory_source.h
// reads from the HSDS tables, so all three searches see exactly the same data
// (active services only, as the index). They answer the part of a Query the
// benchmark asks: text, terms, provider kinds, community-led, locally owned,
// age (and an age range), languages, cost, open at a time, has capacity, a
// place and radius, the order (automatic/relevance/distance/blended) and a
// page. Other fields (taxonomies, circumstances, weekly windows, facets) throw
// std::invalid_argument.
//
// Agreement with the index: filters and places are meant to give exactly the
// index's totals (the place test uses the index's formula: chord length on the
// unit sphere; PostgreSQL's earth_distance is scaled to the same Earth radius).
// Text differs by design: no typo tolerance, each database's own stemmer and
// stop words, and their own ranking (FTS5 bm25, PostgreSQL ts_rank).
//
// Thread safety: one object per thread (each holds one Connection).
#include "directory/entry.h"
#include "directory/query.h"
#include "directory/taxonomy.h"
#include "store/database.h"

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::store {

struct BaselineResults {
  std::size_t total = 0;
  std::vector<directory::Uuid> ids;  // the page, in order
};

class DirectoryBaseline {
 public:
  virtual ~DirectoryBaseline() = default;
  [[nodiscard]] virtual std::string_view name() const noexcept = 0;
  // Throws std::invalid_argument for a Query field it does not answer (above).
  [[nodiscard]] virtual BaselineResults run(const directory::Query& query) = 0;
};

// Writes a new SQLite file at `path` (replacing any file there) holding the
// baseline's tables and indexes for the active services.
void build_sqlite_baseline(const std::string& path, const directory::Taxonomy& taxonomy,
                           std::span<const directory::ServiceEntry> services);

// Opens the file build_sqlite_baseline wrote, with a page cache large enough
// to hold it (warm after the first pass).
[[nodiscard]] std::unique_ptr<DirectoryBaseline> open_sqlite_baseline(const std::string& path);

// Creates (replacing) the baseline's tables in the database of `c`, a
// PostgreSQL connection (CREATE EXTENSION cube, earthdistance needs a
// superuser or a trusted-extension owner), loads the active services with
// multi-row INSERTs, builds the indexes and ANALYZEs.
void build_postgres_baseline(Connection& c, const directory::Taxonomy& taxonomy,
                             std::span<const directory::ServiceEntry> services);

// Searches the tables build_postgres_baseline made, on this connection (which
// the returned object uses from then on; it must outlive it). Sets the
// session's plan_cache_mode to force_custom_plan (each search is planned for
// its own parameters) and turns JIT off, as one would for short queries.
[[nodiscard]] std::unique_ptr<DirectoryBaseline> postgres_baseline(Connection& c);

}  // namespace bespoke::store
