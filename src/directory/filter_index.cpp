#include "directory/filter_index.h"

#include <algorithm>

namespace bespoke::directory {
namespace {

// A term gets bits of its own once its list is this long or 1/64 of the docs:
// then the bits are no larger than the list, and ANDing them is cheaper than
// walking it.
constexpr std::size_t kDenseTermMin = 256;

void push_once(std::vector<std::uint32_t>& list, std::uint32_t d) {
  if (list.empty() || list.back() != d) list.push_back(d);
}

}  // namespace

void FilterIndex::reserve(std::size_t docs) { capacity_ = std::max(capacity_, docs); }

DocBits& FilterIndex::grown(DocBits& bits, std::uint32_t d) {
  if (d >= capacity_) capacity_ = d + d / 8 + 64;
  if (!bits.test(d)) bits.grow(capacity_);
  return bits;
}

void FilterIndex::set_term_count(std::size_t n_terms) {
  term_docs_.resize(n_terms);
  term_bits_.resize(n_terms);
  term_dense_.resize(n_terms, false);
}

void FilterIndex::clear() {
  const std::size_t n_terms = term_docs_.size();
  const std::size_t capacity = capacity_;
  *this = FilterIndex(n_terms);
  capacity_ = capacity;
}

void FilterIndex::add(std::uint32_t d, const FilterFacts& f) {
  grown(live_, d).set(d);
  grown(kind_[f.kind], d).set(d);
  if (f.community_led) grown(community_led_, d).set(d);
  if (f.locally_owned) grown(locally_owned_, d).set(d);
  if (f.has_capacity) grown(has_capacity_, d).set(d);
  grown(cost_[static_cast<std::size_t>(f.cost)], d).set(d);
  const unsigned lo = f.min_age.value_or(0);
  const unsigned hi = std::min<unsigned>(f.max_age.value_or(255), kMaxAgeWithBits);
  for (unsigned a = lo; a <= hi; ++a) grown(age_[a], d).set(d);
  for (const std::uint32_t l : f.languages) {
    if (l >= language_.size()) language_.resize(l + 1);
    grown(language_[l], d).set(d);
  }
  for (const std::uint32_t t : f.terms) {
    if (t >= term_docs_.size()) continue;
    auto& list = term_docs_[t];
    push_once(list, d);
    if (term_dense_[t]) {
      grown(term_bits_[t], d).set(d);
    } else if (list.size() >= std::max(kDenseTermMin, capacity_ / 64)) {
      term_dense_[t] = true;
      DocBits& bits = grown(term_bits_[t], d);
      for (const std::uint32_t x : list) {
        if (live_.test(x)) bits.set(x);
      }
    }
  }
  for (const WeeklyOpening& w : f.weekly) {
    if (w.day > 6) continue;
    const int opens = w.opens, closes = std::min<int>(w.closes, 24 * 60);
    for (int slot = opens / kSlotMinutes; slot * kSlotMinutes < closes && slot < kSlotsPerDay; ++slot) {
      const int start = slot * kSlotMinutes;
      if (opens <= start && start + kSlotMinutes <= closes) {
        grown(full_slot_[w.day][static_cast<std::size_t>(slot)], d).set(d);
      } else {
        push_once(partial_slot_[w.day][static_cast<std::size_t>(slot)], d);
      }
    }
  }
  for (const DatedOpening& x : f.dated) {
    if (x.last_day < x.first_day) continue;
    if (x.last_day - x.first_day >= kMaxDatedDays) {
      push_once(long_dated_, d);
      continue;
    }
    for (std::int32_t day = x.first_day; day <= x.last_day; ++day) push_once(dated_by_day_[day], d);
  }
}

void FilterIndex::remove(std::uint32_t d, const FilterFacts& f) {
  live_.reset(d);
  kind_[f.kind].reset(d);
  community_led_.reset(d);
  locally_owned_.reset(d);
  has_capacity_.reset(d);
  cost_[static_cast<std::size_t>(f.cost)].reset(d);
  for (auto& bits : age_) bits.reset(d);
  for (const std::uint32_t l : f.languages) {
    if (l < language_.size()) language_[l].reset(d);
  }
  for (const std::uint32_t t : f.terms) {
    if (t < term_bits_.size()) term_bits_[t].reset(d);
  }
  for (const WeeklyOpening& w : f.weekly) {
    if (w.day > 6) continue;
    for (auto& bits : full_slot_[w.day]) bits.reset(d);
  }
}

const DocBits& FilterIndex::language(std::uint32_t id) const {
  static const DocBits kNone;
  return id < language_.size() ? language_[id] : kNone;
}

void FilterIndex::keep_term(DocBits& docs, std::uint32_t t) const {
  if (t >= term_docs_.size()) {
    docs.clear();
  } else if (term_dense_[t]) {
    docs.and_with(term_bits_[t]);
  } else {
    docs.and_with_list(term_docs_[t]);
  }
}

std::uint32_t FilterIndex::count_term(const DocBits& docs, std::uint32_t t) const {
  if (t >= term_docs_.size()) return 0;
  if (term_dense_[t]) return static_cast<std::uint32_t>(docs.count_and(term_bits_[t]));
  std::uint32_t n = 0;
  for (const std::uint32_t d : term_docs_[t]) n += docs.test(d) ? 1 : 0;
  return n;
}

void FilterIndex::keep_open_at(DocBits& docs, LocalTime at, const std::function<bool(std::uint32_t)>& exact) const {
  const std::size_t weekday = at.weekday();
  const auto slot = static_cast<std::size_t>(std::min<int>(at.minute / kSlotMinutes, kSlotsPerDay - 1));
  std::vector<std::uint32_t> recheck;
  auto note = [&](const std::vector<std::uint32_t>& list) {
    for (const std::uint32_t d : list) {
      if (docs.test(d)) recheck.push_back(d);
    }
  };
  note(partial_slot_[weekday][slot]);
  if (auto it = dated_by_day_.find(at.day); it != dated_by_day_.end()) note(it->second);
  note(long_dated_);
  docs.and_with(full_slot_[weekday][slot]);
  for (const std::uint32_t d : recheck) docs.assign(d, exact(d));
}

std::size_t FilterIndex::bytes() const {
  std::size_t b = live_.bytes() + community_led_.bytes() + locally_owned_.bytes() + has_capacity_.bytes();
  for (const auto& x : kind_) b += x.bytes();
  for (const auto& x : cost_) b += x.bytes();
  for (const auto& x : age_) b += x.bytes();
  for (const auto& x : language_) b += x.bytes() + sizeof(DocBits);
  for (std::size_t t = 0; t < term_docs_.size(); ++t) {
    b += term_docs_[t].capacity() * sizeof(std::uint32_t) + term_bits_[t].bytes() + sizeof(DocBits) +
         sizeof(std::vector<std::uint32_t>);
  }
  for (std::size_t day = 0; day < 7; ++day) {
    for (std::size_t s = 0; s < static_cast<std::size_t>(kSlotsPerDay); ++s) {
      b += full_slot_[day][s].bytes() + partial_slot_[day][s].capacity() * sizeof(std::uint32_t);
    }
  }
  constexpr std::size_t kNodeOverhead = 16 + sizeof(void*);
  b += dated_by_day_.bucket_count() * sizeof(void*);
  for (const auto& [day, list] : dated_by_day_) {
    b += kNodeOverhead + sizeof(day) + sizeof(list) + list.capacity() * sizeof(std::uint32_t);
  }
  b += long_dated_.capacity() * sizeof(std::uint32_t);
  return b;
}

}  // namespace bespoke::directory
