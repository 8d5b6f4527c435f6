#pragma once
// A set of doc numbers as one bit per doc: the index's filters are kept as
// these so that a query combines them 64 docs per instruction, and counts a
// match set with popcount instead of visiting it.
// Internal to the directory module.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace bespoke::directory {

class DocBits {
 public:
  DocBits() = default;
  explicit DocBits(std::size_t docs) : words_((docs + 63) / 64) {}

  // Room for docs [0, docs); new docs are absent. Never shrinks.
  void grow(std::size_t docs) {
    const std::size_t words = (docs + 63) / 64;
    if (words > words_.size()) words_.resize(words);
  }
  void clear() { std::fill(words_.begin(), words_.end(), 0); }
  // Becomes empty with room for `docs`, or a copy of other, keeping the
  // memory it has (a search reuses its sets rather than allocating them).
  void reset(std::size_t docs) { words_.assign((docs + 63) / 64, 0); }
  void copy_from(const DocBits& other) { words_.assign(other.words_.begin(), other.words_.end()); }

  void set(std::uint32_t d) { words_[d >> 6] |= bit(d); }
  void reset(std::uint32_t d) {
    if ((d >> 6) < words_.size()) words_[d >> 6] &= ~bit(d);
  }
  void assign(std::uint32_t d, bool on) { on ? set(d) : reset(d); }
  [[nodiscard]] bool test(std::uint32_t d) const {
    return (d >> 6) < words_.size() && (words_[d >> 6] & bit(d)) != 0;
  }

  // Docs in both (a shorter other counts as absent beyond its end).
  void and_with(const DocBits& other) {
    const std::size_t n = std::min(words_.size(), other.words_.size());
    for (std::size_t i = 0; i < n; ++i) words_[i] &= other.words_[i];
    std::fill(words_.begin() + static_cast<std::ptrdiff_t>(n), words_.end(), 0);
  }
  void and_not(const DocBits& other) {
    const std::size_t n = std::min(words_.size(), other.words_.size());
    for (std::size_t i = 0; i < n; ++i) words_[i] &= ~other.words_[i];
  }
  // Keeps the docs that are also in any of `sets` (none: keeps nothing),
  // without building their union.
  void and_with_any(std::span<const DocBits* const> sets) {
    for (std::size_t i = 0; i < words_.size(); ++i) {
      std::uint64_t any = 0;
      for (const DocBits* s : sets) any |= i < s->words_.size() ? s->words_[i] : 0;
      words_[i] &= any;
    }
  }
  // Keeps the docs that are also in `list`, which must be ascending: costs
  // the list's length plus one pass over the words.
  void and_with_list(std::span<const std::uint32_t> list) {
    std::size_t next = 0;  // words before it are done
    std::uint64_t mask = 0;
    for (const std::uint32_t d : list) {
      const std::size_t w = d >> 6;
      if (w >= words_.size()) break;
      if (w != next || mask == 0) {
        if (mask != 0) words_[next] &= mask, ++next;
        std::fill(words_.begin() + static_cast<std::ptrdiff_t>(next), words_.begin() + static_cast<std::ptrdiff_t>(w), 0);
        next = w;
        mask = 0;
      }
      mask |= bit(d);
    }
    if (mask != 0) words_[next] &= mask, ++next;
    std::fill(words_.begin() + static_cast<std::ptrdiff_t>(next), words_.end(), 0);
  }
  void or_with_list(std::span<const std::uint32_t> list) {
    for (const std::uint32_t d : list) {
      if ((d >> 6) >= words_.size()) grow(d + std::size_t{1});
      set(d);
    }
  }

  [[nodiscard]] std::size_t count() const {
    std::size_t n = 0;
    for (const std::uint64_t w : words_) n += static_cast<std::size_t>(std::popcount(w));
    return n;
  }
  [[nodiscard]] std::size_t count_and(const DocBits& other) const {
    const std::size_t n = std::min(words_.size(), other.words_.size());
    std::size_t c = 0;
    for (std::size_t i = 0; i < n; ++i) c += static_cast<std::size_t>(std::popcount(words_[i] & other.words_[i]));
    return c;
  }

  // Calls each(d) for every doc in the set, ascending.
  template <class F>
  void for_each(F&& each) const {
    for (std::size_t w = 0; w < words_.size(); ++w) {
      for (std::uint64_t b = words_[w]; b != 0; b &= b - 1) {
        each(static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(b))));
      }
    }
  }

  [[nodiscard]] std::size_t bytes() const { return words_.capacity() * sizeof(std::uint64_t); }

 private:
  static std::uint64_t bit(std::uint32_t d) { return std::uint64_t{1} << (d & 63); }
  std::vector<std::uint64_t> words_;
};

}  // namespace bespoke::directory
