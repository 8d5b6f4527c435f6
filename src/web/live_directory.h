#pragma once
// The search index of the running server, kept current with the database.
//
// Built from the database at start-up. Before each search a handler calls
// catch_up() with its worker's connection: one query reads the change log's
// latest sequence number and, if anything was written since (by this process
// or any other, e.g. `bespoke import`), the changed services are read again
// and upserted, or the whole index is rebuilt after a bulk change. A write is
// therefore visible to the very next search.
//
// Searches on many threads share the current Snapshot; a rebuild makes a new
// one and swaps it in, so searches never wait for a rebuild.
#include "directory/index.h"
#include "directory/taxonomy.h"
#include "store/database.h"

#include <cstdint>
#include <memory>
#include <mutex>

namespace bespoke::web {

struct DirectorySnapshot {
  directory::Taxonomy taxonomy;
  std::unique_ptr<directory::DirectoryIndex> index;
};

class LiveDirectory {
 public:
  LiveDirectory() = default;
  LiveDirectory(const LiveDirectory&) = delete;
  LiveDirectory& operator=(const LiveDirectory&) = delete;

  // Reads everything and builds the index now: `bespoke serve` calls it
  // before it listens, and logs the report.
  struct LoadReport {
    std::size_t services = 0;
    double seconds = 0;
  };
  LoadReport load(store::Connection& db);

  // Applies what changed since the last call (building the index first if
  // load() was not called) and returns the snapshot to search; cheap when
  // nothing changed.
  [[nodiscard]] std::shared_ptr<const DirectorySnapshot> current(store::Connection& db);

  [[nodiscard]] std::int64_t applied_change() const;

 private:
  [[nodiscard]] std::shared_ptr<DirectorySnapshot> snapshot() const;
  void catch_up(store::Connection& db);  // REQUIRES: catch_up_mutex_ held
  void rebuild(store::Connection& db, std::int64_t seq);

  mutable std::mutex snapshot_mutex_;  // guards snapshot_ (the pointer, not the index)
  std::shared_ptr<DirectorySnapshot> snapshot_;
  std::mutex catch_up_mutex_;          // one load or catch-up at a time
  std::int64_t applied_ = 0;           // guarded by catch_up_mutex_ (read under snapshot_mutex_ too)
};

}  // namespace bespoke::web
