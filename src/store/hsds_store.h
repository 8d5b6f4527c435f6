#pragma once
// The directory's HSDS tables, read and written generically from the model's
// descriptors (hsds/model.h): every Field of an Entity is a column of the table
// named Entity::name, so the SQL here is built from the descriptors and a field
// added to the model needs no change in this file.
//
// Every write to the directory also appends to the change log
// (directory_change) in the same transaction: record_change() below, or one
// "*" row for a bulk import. docs/directory.md, "Keeping every search index
// current".
#include "hsds/model.h"
#include "hsds/record_set.h"
#include "store/database.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::store {

// Inserts every record of the set, or replaces the row with the same id: every
// column takes the record's value (absent = NULL). Entities are written in
// hsds::entities() order, parents first; foreign keys are checked at commit.
// REQUIRES: inside the caller's write Transaction. Does not touch child rows the
// set does not hold (an upsert, not a replacement of a whole tree), and does
// not record a change: the caller does (record_change).
void upsert_records(Connection& c, const hsds::RecordSet& records);
// The same, calling progress(records written so far, records in the set) after
// each statement's worth of rows (for a progress bar on big imports).
void upsert_records(Connection& c, const hsds::RecordSet& records,
                    const std::function<void(std::size_t done, std::size_t total)>& progress);

[[nodiscard]] bool exists(Connection& c, const hsds::Entity& entity, std::string_view id);

[[nodiscard]] std::int64_t count(Connection& c, const hsds::Entity& entity);

// The records `ids` of `root` and everything nested under them per the
// descriptors, as the HSDS 3.1 JSON nests them: owned children recursively,
// reference objects (service.organization, service_at_location.location,
// attribute.taxonomy_term, taxonomy_term.taxonomy_detail, ...) with their own
// nested records, and the attributes and metadata of every loaded record.
// Children that HSDS 3.1 does not nest (in_hsds == false, i.e. ORUK's
// taxonomy.taxonomy_terms) are not followed. Ids not found are left out.
// Level by level with batched `WHERE link IN (...)` queries: the number of
// queries depends on the depth of the model, not on the number of ids.
[[nodiscard]] hsds::RecordSet load_tree(Connection& c, const hsds::Entity& root, std::span<const std::string> ids);

// Streams one table ordered by id (the database's text order), `batch` rows at
// a time (keyset pagination: each batch is one query), for exports that must
// not hold a whole nation in memory. Only that entity's rows, no nesting.
void for_each_batch(Connection& c, const hsds::Entity& entity, std::size_t batch,
                    const std::function<void(const hsds::RecordSet&)>& callback);

// ---- The change log ----

struct Change {
  std::int64_t seq = 0;
  std::string entity;     // an HSDS entity name, or "*": everything may have changed
  std::string record_id;  // "*" for a "*" change
  std::string changed_at; // ISO 8601 UTC
  friend bool operator==(const Change&, const Change&) = default;
};

// Appends (entity, id) to the change log. entity "*" means everything (a bulk
// import); its id is then ignored and stored as "*". changed_at defaults to the
// system clock's now.
// REQUIRES: inside the write transaction that made the change. On PostgreSQL it
// takes the change log's transaction lock first, so sequence numbers become
// visible in commit order and a reader never skips a change committed late.
void record_change(Connection& c, std::string_view entity, std::string_view id, std::string_view changed_at = {});

// The latest sequence number; 0 when the log is empty.
[[nodiscard]] std::int64_t latest_change(Connection& c);

// Changes with seq > `seq`, oldest first, at most `limit` of them.
[[nodiscard]] std::vector<Change> changes_since(Connection& c, std::int64_t seq, std::size_t limit);

// The advisory-lock key record_change takes (PostgreSQL).
inline constexpr std::int64_t kDirectoryChangeLock = 0x6265737044697243;  // "bespDirC"

}  // namespace bespoke::store
