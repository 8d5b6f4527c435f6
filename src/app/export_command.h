#pragma once
// `bespoke export hsds DIR`: the whole directory as HSDS files that
// `bespoke import hsds` reads back into the same records.
#include <cstddef>
#include <string>

namespace bespoke::app {

struct ExportHsdsOptions {
  std::string dir;
  std::string format = "both";  // "json", "csv" or "both"
  std::size_t batch = 1000;     // records per query (services per nested batch)
  std::string db;
};

// Writes DIR/json/ in hsds::export_json's layout (taxonomies.json,
// taxonomy_terms.json, organizations.json and services.json nested, then
// <csv_name>.json for records nested in none of those) and DIR/csv/ as the
// tabular package (hsds/csv_package.h), replacing the files a previous export
// left there. One read transaction, so the files are one consistent snapshot.
// Streams by batches: CSV in constant memory; JSON holds one batch of nested
// services or organizations at a time plus the set of records already nested
// (about 50 bytes per record), which decides what goes in the leftover files.
// A JSON file is one array with one record per line. Exit status 0; 1 when DIR
// cannot be written.
int run_export_hsds(const ExportHsdsOptions& options);

}  // namespace bespoke::app
