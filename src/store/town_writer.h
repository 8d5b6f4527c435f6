#pragma once
// Writes a generated demo place into the database (schema 0001_town.sql).
//
// Everything happens in one write transaction, begun in begin() and committed
// in finish(): a failure anywhere leaves the database as it was. begin() first
// deletes any town already there, so PostgreSQL can be regenerated in place;
// for SQLite the caller writes a fresh file (OpenOptions::bulk_load) and renames it.
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
