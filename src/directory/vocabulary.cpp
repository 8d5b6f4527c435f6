#include "directory/vocabulary.h"

#include "directory/text.h"

#include <array>

namespace bespoke::directory::detail {

// Walks the sorted words as a trie, one dynamic-programming row per prefix
// byte, reusing the rows of the common prefix with the previous word and
// skipping every word under a prefix whose row is already beyond max_d.
void Vocabulary::similar(std::string_view w, int max_d, std::vector<std::pair<std::uint32_t, int>>& out) const {
  constexpr std::size_t kMaxLen = 48;
  if (w.size() > kMaxLen) return;
  const std::size_t m = w.size();
  const std::size_t max_depth = m + static_cast<std::size_t>(max_d);
  std::vector<std::array<std::uint8_t, kMaxLen + 1>> rows(max_depth + 1);
  for (std::size_t j = 0; j <= m; ++j) rows[0][j] = static_cast<std::uint8_t>(j);
  std::string_view prev;
  std::size_t valid = 0;  // rows[0..valid] hold the prefixes of prev
  std::size_t i = 0;
  while (i < sorted_.size()) {
    const std::string_view cand = word(sorted_[i]);
    std::size_t k = 0;
    while (k < valid && k < cand.size() && prev[k] == cand[k]) ++k;
    const std::size_t depth = std::min(cand.size(), max_depth);
    bool pruned = false;
    for (std::size_t d = k + 1; d <= depth; ++d) {
      auto& row = rows[d];
      const auto& up = rows[d - 1];
      const char c = cand[d - 1];
      row[0] = static_cast<std::uint8_t>(d);
      int best = row[0];
      for (std::size_t j = 1; j <= m; ++j) {
        int v = std::min({up[j] + 1, row[j - 1] + 1, up[j - 1] + (w[j - 1] == c ? 0 : 1)});
        if (d > 1 && j > 1 && c == w[j - 2] && cand[d - 2] == w[j - 1]) v = std::min(v, rows[d - 2][j - 2] + 1);
        row[j] = static_cast<std::uint8_t>(std::min(v, 255));
        best = std::min(best, v);
      }
      if (best > max_d) {
        // No word under cand[0, d) can be near enough: skip them all.
        const std::string_view prefix = cand.substr(0, d);
        const auto first = sorted_.begin() + static_cast<std::ptrdiff_t>(i);
        const auto next = std::partition_point(first, sorted_.end(), [&](std::uint32_t id) {
          return word(id).substr(0, prefix.size()) == prefix;
        });
        i = static_cast<std::size_t>(next - sorted_.begin());
        prev = cand;
        valid = d - 1;
        pruned = true;
        break;
      }
    }
    if (pruned) continue;
    prev = cand;
    valid = depth;
    if (cand.size() <= max_depth && rows[cand.size()][m] <= max_d && cand != w) {
      out.emplace_back(sorted_[i], rows[cand.size()][m]);
    }
    ++i;
  }
  for (const std::uint32_t id : recent_) {
    const std::string_view cand = word(id);
    if (cand == w) continue;
    const int d = edit_distance(w, cand, max_d);
    if (d <= max_d) out.emplace_back(id, d);
  }
}

}  // namespace bespoke::directory::detail
