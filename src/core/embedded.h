#pragma once
// A file compiled into the binary by cmake/Embed.cmake (migrations, templates).
#include <string_view>
#include <vector>

namespace bespoke::core {

struct EmbeddedFile {
  std::string_view name;  // path relative to the embedded folder, e.g. "0001_town.sql"
  std::string_view text;
};

}  // namespace bespoke::core
