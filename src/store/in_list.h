#pragma once
// Internal to src/store: reading the rows whose key is one of many, through
// "... IN ($1, $2, ...)" statements of bounded size.
#include "store/database.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <string>
#include <vector>

namespace bespoke::store::detail {

// Keys per statement: long enough to amortise a round trip, short enough for
// every driver's parameter limit.
inline constexpr std::size_t kMaxInList = 512;

// Runs head + "$1, $2, ...)" over the keys, at most kMaxInList at a time, and
// calls each(row) for every row. head ends with "IN (". Each list is padded to
// a power of two by repeating its last key, so that a handful of statement
// texts cover every length and stay in the prepared-statement cache.
template <class F>
void for_each_in_list(Connection& c, const std::string& head, const std::vector<std::string>& keys, F&& each) {
  std::vector<Value> params;
  for (std::size_t first = 0; first < keys.size(); first += kMaxInList) {
    const std::size_t n = std::min(kMaxInList, keys.size() - first);
    const std::size_t padded = std::bit_ceil(n);
    params.clear();
    for (std::size_t i = 0; i < padded; ++i) params.emplace_back(keys[first + std::min(i, n - 1)]);
    std::string sql = head;
    for (std::size_t i = 1; i <= padded; ++i) {
      if (i > 1) sql += ", ";
      sql += '$';
      sql += std::to_string(i);
    }
    sql += ')';
    for (const auto& row : c.query(sql, params)) each(row);
  }
}

}  // namespace bespoke::store::detail
