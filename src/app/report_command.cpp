#include "app/report_command.h"

#include "core/time.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/reach_store.h"
#include "web/pages/reach_report.h"

#include <fmt/format.h>

#include <cstdio>

namespace bespoke::app {

int run_report_reach(const ReportReachOptions& options) {
  if (options.format != "csv") {
    fmt::print(stderr, "bespoke report reach: --format must be csv (the only format offered), not \"{}\"\n",
               options.format);
    return 2;
  }
  auto db = store::open(options.db);
  store::require_current_schema(*db);
  store::Transaction tx(*db, store::TxMode::read);  // one snapshot for every figure
  const auto csv = web::reach_csv(store::reach_by_decile(*db, core::SystemTime{}.now()));
  tx.commit();
  std::fwrite(csv.data(), 1, csv.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace bespoke::app
