#pragma once
// The hash table the index finds its docs, organisations and words by.
// Internal to the directory module.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace bespoke::directory::detail {

// No id: what IdTable::find answers for an absent key, and the index's "none"
// for a doc, site or word number.
inline constexpr std::uint32_t kNone = 0xFFFFFFFF;

// Mixes a 64-bit hash into the 32 bits an IdTable keeps per slot.
inline std::uint32_t hash32(std::uint64_t h) noexcept {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  return static_cast<std::uint32_t>(h);
}

// An open-addressing (linear probing) table of ids; the caller keeps the keys
// and compares them. Deletion shifts entries back, so there are no tombstones.
class IdTable {
 public:
  template <class Eq>
  [[nodiscard]] std::uint32_t find(std::uint32_t hash, Eq&& eq) const {
    if (slots_.empty()) return kNone;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.id == kNone) return kNone;
      if (s.hash == hash && eq(s.id)) return s.id;
    }
  }
  // REQUIRES: no entry with an equal key.
  void insert(std::uint32_t hash, std::uint32_t id) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    place({id, hash});
    ++count_;
  }
  template <class Eq>
  bool erase(std::uint32_t hash, Eq&& eq) {
    if (slots_.empty()) return false;
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash & mask;
    for (;; i = (i + 1) & mask) {
      if (slots_[i].id == kNone) return false;
      if (slots_[i].hash == hash && eq(slots_[i].id)) break;
    }
    for (std::size_t j = i;;) {
      j = (j + 1) & mask;
      if (slots_[j].id == kNone) break;
      const std::size_t home = slots_[j].hash & mask;
      const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (stays) continue;
      slots_[i] = slots_[j];
      i = j;
    }
    slots_[i].id = kNone;
    --count_;
    return true;
  }
  void clear() {
    slots_.clear();
    count_ = 0;
  }
  [[nodiscard]] std::size_t bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    std::uint32_t id = kNone;
    std::uint32_t hash = 0;
  };
  void place(Slot s) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = s.hash & mask;
    while (slots_[i].id != kNone) i = (i + 1) & mask;
    slots_[i] = s;
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(16, old.size() * 2), Slot{});
    for (const Slot& s : old) {
      if (s.id != kNone) place(s);
    }
  }
  std::vector<Slot> slots_;
  std::size_t count_ = 0;
};

}  // namespace bespoke::directory::detail
