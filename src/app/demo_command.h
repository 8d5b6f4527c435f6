#pragma once
// `bespoke demo`: generates the fictional demo place into a database, replacing
// any town already there.
#include <cstdint>
#include <string>

namespace bespoke::app {

struct DemoOptions {
  std::string scale;        // "town", "city" or "nation"
  std::uint64_t seed = 1;
  std::string db;           // SQLite file path or postgresql:// URL
  int threads = 0;          // generator threads; 0 = the machine's cores
};

// SQLite: builds "<path>.tmp-<pid>" with bulk-load settings, then makes it
// durable (WAL) and renames it over <path>, so readers see the old place or the
// new one, never half of one. Refuses (exit status 1, before generating and
// again before renaming) while another process, such as `bespoke serve`, has
// <path> open: see store::sqlite_file_in_use. PostgreSQL: one transaction
// replaces the town, on a connection without a statement timeout.
// Progress goes to stderr (a bar on a terminal), the summary to stdout. Exit status.
int run_demo(const DemoOptions& options);

}  // namespace bespoke::app
