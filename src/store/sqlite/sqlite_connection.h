#pragma once
// The SQLite driver. Reached through store::open(); internal to src/store.
#include "store/database.h"

#include <memory>
#include <string>

namespace bespoke::store::sqlite {

// Opens (creating if missing) the SQLite file at path. Throws Failure(unavailable).
[[nodiscard]] std::unique_ptr<Connection> open(const std::string& path, const OpenOptions& options);

// store::sqlite_file_in_use (database.h).
[[nodiscard]] bool file_in_use(const std::string& path);

}  // namespace bespoke::store::sqlite
