#pragma once
// Internal to the drivers in src/store: the per-connection cache of prepared
// statements, keyed by SQL text and looked up by string_view without a copy,
// and identifier quoting (the same rule in SQLite and PostgreSQL).
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace bespoke::store::detail {

// Transparent hash: lets find(std::string_view) work on a map keyed by std::string.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// SQL text -> the driver's prepared statement.
template <class Prepared>
using StatementCache = std::unordered_map<std::string, Prepared, StringHash, std::equal_to<>>;

// "name" with any '"' doubled: an identifier both databases read back as written.
inline std::string quoted_identifier(std::string_view name) {
  std::string out = "\"";
  for (char ch : name) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
  return out;
}

}  // namespace bespoke::store::detail
