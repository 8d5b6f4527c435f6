#pragma once
// Writes a generated demo place into the database: the place and its people
// (0001_town.sql), its postcodes, and its organisations and services as HSDS 3.1
// records (0003_hsds_directory.sql) following docs/directory.md: our additions
// (provider kind, needs, service types, eligibility, accessibility, ...) are
// attributes on taxonomy terms, and the taxonomies themselves (the demo's
// bespoke* vocabularies and Open Eligibility) are upserted with them.
//
// Everything happens in one write transaction, begun in begin() and committed
// in finish(), bracketed by Connection::begin_bulk_load/end_bulk_load. begin()
// first deletes any town already there (and the whole directory with it), so a
// database can be regenerated in place; finish() appends one "*" row to
// directory_change, so every server's search index rebuilds.
//
// What a failure leaves behind depends on the connection:
//   - PostgreSQL, and SQLite opened normally (WAL): the transaction rolls back,
//     and the database is as it was, the deferred indexes included.
//   - SQLite opened with OpenOptions::bulk_load (journal_mode=OFF): there is no
//     journal, so ROLLBACK is undefined and the file may hold any part of the
//     writes, with indexes missing. Only the caller can make this atomic: write
//     a new temporary file, and rename it over the real one after finish() (as
//     `bespoke demo` does); on failure, delete the temporary file.
#include "demo/town.h"
#include "store/database.h"

#include <memory>
#include <string>

namespace bespoke::store {

class TownWriter final : public demo::TownSink {
 public:
  // generated_at: ISO 8601 UTC, recorded in the place row (the clock is the caller's).
  TownWriter(Connection& db, std::string generated_at);
  ~TownWriter() override;  // rolls back unless finish() committed
  TownWriter(const TownWriter&) = delete;
  TownWriter& operator=(const TownWriter&) = delete;

  void begin(const demo::Place& place) override;
  void write(const demo::Chunk& chunk) override;
  void finish(const demo::Totals& totals) override;

  // Rows inserted so far, over all tables.
  [[nodiscard]] std::int64_t rows_written() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bespoke::store
