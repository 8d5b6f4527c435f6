#pragma once
// `bespoke import hsds|taxonomy|postcodes`: loading real directory data.
// Each import is one write transaction: all of it is written, or none.
// Progress goes to stderr (a bar on a terminal), the summary to stdout.
#include <string>
#include <vector>

namespace bespoke::app {

struct ImportHsdsOptions {
  // JSON files, folders of JSON files (the entity of each from its name, as
  // hsds::entity_for_file), or HSDS tabular packages (a folder holding
  // datapackage.json or *.csv files).
  std::vector<std::string> paths;
  bool skip_invalid = false;  // write the valid records, report the others
  std::string db;
};

// Reads everything, checks it (references may point at records already in the
// database), then writes it with one "*" change. Exit status: 0 when written;
// 1 when any record is invalid (each printed with its path and reason, nothing
// written) unless skip_invalid, or when the database refuses the import.
int run_import_hsds(const ImportHsdsOptions& options);

struct ImportTaxonomyOptions {
  std::string file;  // Open Eligibility XML (detected by content) or a term-list CSV
  std::string name;  // CURIE prefix, e.g. "esdNeed"; required for CSV; XML is always "openEligibility"
  std::string uri;
  std::string description;
  std::string version;
  bool skip_invalid = false;  // write the terms the reader could read, report the rest
  std::string db;
};

// Upserts the taxonomy and its terms, with one "*" change. Exit status 0;
// 1 when the file has problems (each printed; nothing written) unless
// skip_invalid; 2 for a missing or wrong --name. (The Open Eligibility file
// itself repeats one id, 1206: its import needs skip_invalid.)
int run_import_taxonomy(const ImportTaxonomyOptions& options);

struct ImportPostcodesOptions {
  std::string file;  // the ONS Postcode Directory CSV (places/onspd.h)
  std::string db;
};

// Streams the file in batches into the postcode table. Exit status 0; 1 when the
// file is not an ONSPD CSV or is malformed (nothing written).
int run_import_postcodes(const ImportPostcodesOptions& options);

}  // namespace bespoke::app
