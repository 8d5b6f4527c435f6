#pragma once
// The HSDS tabular package: one CSV file per entity (Entity::csv_name + ".csv";
// header = the entity's fields in model order; numbers written as in JSON; an
// absent value is an empty cell) and a datapackage.json describing them.
// Reading accepts any column order (the standard's own example package has
// its own), reports unknown columns, and reads an empty cell as absent.
#include "core/error.h"
#include "hsds/issue.h"
#include "web/hsds/json_write.h"
#include "hsds/record_set.h"

#include <filesystem>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::hsds {

struct PackageFile {
  std::string name;  // "services.csv", "datapackage.json"
  std::string content;
};

// Every entity's table (a header alone when it has no records) and datapackage.json.
// With Profile::hsds31 or Profile::oruk only that profile's fields are written.
[[nodiscard]] std::vector<PackageFile> write_csv_package(const RecordSet& set, Profile profile = Profile::all);
// The same files written into `folder` (created if needed); an I/O failure is an Error.
[[nodiscard]] core::Result<void> write_csv_package(const RecordSet& set, const std::filesystem::path& folder,
                                                   Profile profile = Profile::all);

// The datapackage.json of the package (Frictionless tabular-data-package).
[[nodiscard]] std::string datapackage_json(Profile profile = Profile::all);

// Reads one table of `entity`; issues are "file:line:column: message" paths
// (column 1-based), and records' sources are "file:line".
[[nodiscard]] std::vector<Issue> read_csv_table(std::istream& in, const Entity& entity, std::string_view file_name,
                                                RecordSet& into);

// Reads every <csv_name>.csv (or <entity name>.csv) in `folder`; other CSV
// files are reported; datapackage.json and other files are ignored.
[[nodiscard]] std::vector<Issue> read_csv_package(const std::filesystem::path& folder, RecordSet& into);

// The entity of a package file name ("services.csv"), or nullptr.
[[nodiscard]] const Entity* entity_for_csv_file(std::string_view filename) noexcept;

}  // namespace bespoke::hsds
