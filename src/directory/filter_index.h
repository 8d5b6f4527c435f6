#pragma once
// The search filters of every live doc as bit sets (doc_bits.h), so that a
// query's filters are combined a word of 64 docs at a time and a match set is
// counted with popcount: provider kind, community-led, locally owned, cost,
// spare capacity, eligibility by age, language, taxonomy terms (a term's docs
// as a list, and also as bits once it has many) and opening times.
//
// Opening times: a week is cut into 15-minute slots; a doc is in a slot's bit
// set when its weekly hours cover the whole slot. Docs whose hours cover only
// part of a slot, and docs with a dated exception on a day, are listed apart
// and checked exactly by the caller (open_at's `exact`), so the answer is the
// same as checking every doc's hours.
//
// Removal clears a doc's bits; the lists (terms, partial slots, dated days)
// keep removed docs until clear(), and every query ANDs with the live set.
// Internal to the directory module.
#include "directory/doc_bits.h"
#include "directory/entry.h"
#include "directory/query.h"

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

namespace bespoke::directory {

// What the filters need to know of one doc.
struct FilterFacts {
  std::uint8_t kind = 0;  // ProviderKind, clamped below kProviderKindCount
  bool community_led = false;
  bool locally_owned = false;
  bool has_capacity = false;
  Cost cost = Cost::unknown;
  std::optional<std::uint8_t> min_age;
  std::optional<std::uint8_t> max_age;
  std::vector<std::uint32_t> terms;      // term indexes: its terms and their broader ones
  std::vector<std::uint32_t> languages;  // dense language numbers
  std::vector<WeeklyOpening> weekly;
  std::vector<DatedOpening> dated;
};

class FilterIndex {
 public:
  // Ages up to this have a bit set each; older ones are left to the caller.
  static constexpr std::uint8_t kMaxAgeWithBits = 127;

  explicit FilterIndex(std::size_t n_terms = 0) { set_term_count(n_terms); }

  // Expect docs up to `docs` (sizes the bit sets once rather than growing them).
  void reserve(std::size_t docs);
  void add(std::uint32_t d, const FilterFacts& facts);
  // REQUIRES: the facts the doc was added with.
  void remove(std::uint32_t d, const FilterFacts& facts);
  // Forgets every doc; keeps the number of terms (set_term_count changes it).
  void clear();
  void set_term_count(std::size_t n_terms);

  [[nodiscard]] const DocBits& live() const { return live_; }
  [[nodiscard]] const DocBits& kind(std::size_t k) const { return kind_[k]; }
  [[nodiscard]] const DocBits& community_led() const { return community_led_; }
  [[nodiscard]] const DocBits& locally_owned() const { return locally_owned_; }
  [[nodiscard]] const DocBits& has_capacity() const { return has_capacity_; }
  [[nodiscard]] const DocBits& cost(Cost c) const { return cost_[static_cast<std::size_t>(c)]; }
  // Docs whose age limits admit a person of `age` (<= kMaxAgeWithBits).
  [[nodiscard]] const DocBits& eligible_at_age(std::uint8_t age) const { return age_[age]; }
  [[nodiscard]] const DocBits& language(std::uint32_t id) const;

  // Keeps in `docs` those with term t (or a narrower one).
  void keep_term(DocBits& docs, std::uint32_t t) const;
  // How many of `docs` have term t.
  [[nodiscard]] std::uint32_t count_term(const DocBits& docs, std::uint32_t t) const;

  // Keeps in `docs` those open at `at`; exact(d) decides the docs the slots
  // cannot (partly covered slot, dated exception that day).
  void keep_open_at(DocBits& docs, LocalTime at, const std::function<bool(std::uint32_t)>& exact) const;

  [[nodiscard]] std::size_t bytes() const;

 private:
  static constexpr int kSlotMinutes = 15;
  static constexpr int kSlotsPerDay = 24 * 60 / kSlotMinutes;
  // A dated exception longer than this is listed once, not under each day.
  static constexpr std::int32_t kMaxDatedDays = 366;

  DocBits& grown(DocBits& bits, std::uint32_t d);

  std::size_t capacity_ = 0;  // docs the bit sets are sized for when they grow
  DocBits live_;
  std::array<DocBits, kProviderKindCount> kind_;
  DocBits community_led_, locally_owned_, has_capacity_;
  std::array<DocBits, 3> cost_;
  std::array<DocBits, kMaxAgeWithBits + 1> age_;
  std::vector<DocBits> language_;
  std::vector<std::vector<std::uint32_t>> term_docs_;
  std::vector<DocBits> term_bits_;  // by term, once it has many docs (term_dense_)
  std::vector<bool> term_dense_;
  std::array<std::array<DocBits, kSlotsPerDay>, 7> full_slot_;
  std::array<std::array<std::vector<std::uint32_t>, kSlotsPerDay>, 7> partial_slot_;
  std::unordered_map<std::int32_t, std::vector<std::uint32_t>> dated_by_day_;
  std::vector<std::uint32_t> long_dated_;
};

}  // namespace bespoke::directory
