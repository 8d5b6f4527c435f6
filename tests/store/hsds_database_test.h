#pragma once
// A test on both drivers with a migrated database, and a way to write HSDS
// records in one transaction: what the store's HSDS tests share.
#include "hsds/record_set.h"
#include "store/hsds_store.h"
// GCC 12 at -O3 reports a false -Wrestrict inside test_databases.h's
// with_database (std::string operator+ inlined); the header is shared.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wrestrict"
#include "store/test_databases.h"
#pragma GCC diagnostic pop

namespace bespoke::store::testing {

class HsdsDatabaseTest : public BothDrivers {
 protected:
  void SetUp() override {
    BothDrivers::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    migrated_db();
  }
  void write(const hsds::RecordSet& set) {
    Transaction tx(db(), TxMode::write);
    upsert_records(db(), set);
    tx.commit();
  }
};

}  // namespace bespoke::store::testing
