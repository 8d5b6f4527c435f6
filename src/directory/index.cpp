// The public face of DirectoryIndex: the locks around the State's writing
// (index_write.cpp) and reading (index_search.cpp) sides.
#include "directory/index.h"

#include "directory/index_state.h"

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <vector>

namespace bespoke::directory {
using namespace detail;  // the State's records and helpers (index_state.h)
namespace {

template <class T>
std::size_t capacity_bytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

}  // namespace

// Exclusive access for a writer: announce, close the gate to new readers, wait
// for the current ones.
class DirectoryIndex::WriteLock {
 public:
  explicit WriteLock(const DirectoryIndex& index) : waiting_(index.writers_waiting_) {
    waiting_.fetch_add(1);
    gate_ = std::unique_lock(index.writer_gate_);
    lock_ = std::unique_lock(index.mutex_);
    waiting_.fetch_sub(1);
  }

 private:
  std::atomic<int>& waiting_;
  std::unique_lock<std::mutex> gate_;
  std::unique_lock<std::shared_mutex> lock_;
};

// Shared access for a reader: readers pass the gate only while a writer waits.
class DirectoryIndex::ReadLock {
 public:
  explicit ReadLock(const DirectoryIndex& index) {
    if (index.writers_waiting_.load() > 0) std::lock_guard pass(index.writer_gate_);
    lock_ = std::shared_lock(index.mutex_);
  }

 private:
  std::shared_lock<std::shared_mutex> lock_;
};

DirectoryIndex::DirectoryIndex(const Taxonomy& taxonomy, std::span<const ServiceEntry> services)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.taxonomy = taxonomy;
  s.compute_labels();
  s.filters.set_term_count(taxonomy.terms().size());
  s.build(services);
  s.vocabulary.merge_recent(true);
}

DirectoryIndex::~DirectoryIndex() = default;

void DirectoryIndex::upsert(const ServiceEntry& entry) {
  const WriteLock lock(*this);
  State& s = *state_;
  if (const std::uint32_t d = s.find_doc(entry.id); d != kNone) s.kill(d);
  if (entry.active) s.add(entry);
  s.maybe_compact();
}

bool DirectoryIndex::remove(const Uuid& id) {
  const WriteLock lock(*this);
  State& s = *state_;
  const std::uint32_t d = s.find_doc(id);
  if (d == kNone) return false;
  s.kill(d);
  s.maybe_compact();
  return true;
}

void DirectoryIndex::update_taxonomy(const Taxonomy& taxonomy) {
  const WriteLock lock(*this);
  State& s = *state_;
  s.taxonomy = taxonomy;
  s.compute_labels();
  s.reexpand_terms();
  s.vocabulary.merge_recent(false);
}

Results DirectoryIndex::search(const Query& query) const {
  const ReadLock lock(*this);
  return state_->search(query);
}

std::size_t DirectoryIndex::size() const {
  const ReadLock lock(*this);
  return state_->live;
}

std::size_t DirectoryIndex::memory_bytes() const {
  const ReadLock lock(*this);
  const State& s = *state_;
  std::size_t bytes = s.vocabulary.bytes() + capacity_bytes(s.postings) + capacity_bytes(s.docs) +
                      capacity_bytes(s.orgs) + s.org_ids.bytes() +
                      capacity_bytes(s.arena) + capacity_bytes(s.fwd) + capacity_bytes(s.sites) +
                      capacity_bytes(s.site_xyz) + capacity_bytes(s.hot) + capacity_bytes(s.site_begin) + s.ids.bytes() +
                      s.filters.bytes() + capacity_bytes(s.by_id) + capacity_bytes(s.label_words) +
                      capacity_bytes(s.languages);
  for (const Postings& p : s.postings) {
    bytes += capacity_bytes(p.docs) + capacity_bytes(p.tf) + p.bits.bytes() + capacity_bytes(p.by_impact);
  }
  for (const auto& list : s.label_words) bytes += capacity_bytes(list);
  constexpr std::size_t kNodeOverhead = 16 + sizeof(void*);  // allocator header + next pointer
  bytes += s.cells.bucket_count() * sizeof(void*);
  for (const auto& [key, list] : s.cells) {
    bytes += sizeof(key) + sizeof(list) + kNodeOverhead + capacity_bytes(list);
  }
  bytes += s.language_ids.bucket_count() * sizeof(void*) + s.language_ids.size() * (8 + kNodeOverhead);
  return bytes;
}

}  // namespace bespoke::directory
