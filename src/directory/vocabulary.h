#pragma once
// The index's words (stems), each with a dense id, and typo search over them.
// Internal to the directory module.
#include "directory/id_table.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bespoke::directory::detail {

// The stems seen, each with a dense id, and a sorted list of them for typo search.
class Vocabulary {
 public:
  [[nodiscard]] std::size_t size() const { return offsets_.size() - 1; }
  [[nodiscard]] std::string_view word(std::uint32_t id) const {
    return std::string_view(chars_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
  }
  [[nodiscard]] std::uint32_t find(std::string_view w) const {
    return table_.find(hash_of(w), [&](std::uint32_t id) { return word(id) == w; });
  }
  // Returns the id of w, adding it if new (and setting `added`).
  std::uint32_t intern(std::string_view w, bool& added) {
    const std::uint32_t h = hash_of(w);
    std::uint32_t id = table_.find(h, [&](std::uint32_t i) { return word(i) == w; });
    added = id == kNone;
    if (!added) return id;
    id = static_cast<std::uint32_t>(size());
    chars_.append(w);
    offsets_.push_back(static_cast<std::uint32_t>(chars_.size()));
    table_.insert(h, id);
    recent_.push_back(id);
    return id;
  }
  // Moves recently added words into the sorted list (when there are many, or always).
  void merge_recent(bool always) {
    if (recent_.empty() || (!always && recent_.size() < 2048)) return;
    auto less = [&](std::uint32_t a, std::uint32_t b) { return word(a) < word(b); };
    std::sort(recent_.begin(), recent_.end(), less);
    const auto middle = static_cast<std::ptrdiff_t>(sorted_.size());
    sorted_.insert(sorted_.end(), recent_.begin(), recent_.end());
    std::inplace_merge(sorted_.begin(), sorted_.begin() + middle, sorted_.end(), less);
    recent_.clear();
  }
  // Appends (id, distance) for the words within max_d of w, other than w itself.
  void similar(std::string_view w, int max_d, std::vector<std::pair<std::uint32_t, int>>& out) const;

  [[nodiscard]] std::size_t bytes() const {
    return chars_.capacity() + offsets_.capacity() * 4 + table_.bytes() + sorted_.capacity() * 4 +
           recent_.capacity() * 4;
  }

 private:
  static std::uint32_t hash_of(std::string_view w) { return hash32(std::hash<std::string_view>{}(w)); }
  std::string chars_;
  std::vector<std::uint32_t> offsets_{0};
  IdTable table_;
  std::vector<std::uint32_t> sorted_;  // ids in byte order of their words
  std::vector<std::uint32_t> recent_;  // added since the last merge, unsorted
};

}  // namespace bespoke::directory::detail
