#pragma once
#include <string>

namespace bespoke::app {

// Applies pending migrations; prints what it did. Exit status.
int run_migrate(const std::string& db_url);

// Prints the program's version and the schema version it carries.
int run_version();

}  // namespace bespoke::app
