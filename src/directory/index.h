#pragma once
// The in-memory directory search index: free text, filters, place, ranking
// and facets over the active services, kept current on every write.
//
// Text. Names, descriptions, organisation names and the labels of a service's
// terms are cut into words (text.h), stop words dropped, and Snowball-stemmed.
// Every query word must match some field (AND). A query word matches a service
// word when their stems are equal or, for query words of 5 letters or more,
// when the service word's stem is within edit distance 1 of the query word or
// its stem (2 for query words of 9 letters or more; the
// distance is optimal string alignment on bytes, so a swap of two neighbours is
// one edit); such a typo match counts for less (x0.4 at distance 1, x0.2 at 2)
// than an exact one. At most 64 nearest typo variants are tried per word
// (equally near ones in byte order).
// There is no prefix (search-as-you-type) matching yet.
//
// Ranking is BM25F (k1 = 1.2, b = 0.75) with field weights name 3, term labels
// 2, organisation name 1.5, description 1; IDF over the active services; the
// average field lengths are those of the last build or compaction (so that a
// service's weight for a word stays fixed between them). A query word's score
// on a service is that of its best-matching variant.
//
// Layout. Services are numbered along a Z-order curve over the place of
// their first site when the index is built (services added later come
// after), so that the candidates of a place query lie in a few runs of
// neighbouring records. Every filter with a small set of values (provider
// kind, community-led, locally owned, cost, capacity, age up to 127,
// language, taxonomy term, open at a time) is also a bit set over the
// services (filter_index.h), and so is every word in many services: a search
// ANDs them 64 services at a time, and a search without text or place counts
// its matches with popcount and reads the page in id order. Words in many
// services also keep their services by weight, best first: text without a
// place reads those and stops as soon as no unread service can reach the
// page (the threshold algorithm), instead of scoring every match. A place
// query visits the grid cells around the point. The build tokenises and
// ranks on every core.
//
// The index holds its own copy of the taxonomy. update_taxonomy() replaces it
// and recomputes the broader terms of every service (for filters and facets)
// at once; a changed label is searched for a service from its next upsert.
//
// Thread safety: search(), size() and memory_bytes() may run concurrently on
// any number of threads; upsert(), remove() and update_taxonomy() are
// serialised against them (a shared mutex) and are visible to the next search.
// A waiting writer holds back new searches, so a stream of searches cannot
// starve it (glibc's rwlock prefers readers).
#include "directory/entry.h"
#include "directory/query.h"
#include "directory/results.h"
#include "directory/taxonomy.h"

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>

namespace bespoke::directory {

class DirectoryIndex {
 public:
  // Builds the index from the services (inactive ones are left out; a repeated
  // id keeps the last entry), tokenising on up to 4 threads. Keeps no
  // reference to the arguments.
  DirectoryIndex(const Taxonomy& taxonomy, std::span<const ServiceEntry> services);
  ~DirectoryIndex();
  DirectoryIndex(const DirectoryIndex&) = delete;
  DirectoryIndex& operator=(const DirectoryIndex&) = delete;

  // Adds or replaces the service with entry.id (an inactive entry removes it).
  // Term indexes outside the taxonomy are ignored.
  void upsert(const ServiceEntry& entry);
  // Removes the service; false if it was not there.
  bool remove(const Uuid& id);
  // Replaces the taxonomy (see above). Terms must keep their indexes.
  void update_taxonomy(const Taxonomy& taxonomy);

  [[nodiscard]] Results search(const Query& query) const;

  // The number of active services.
  [[nodiscard]] std::size_t size() const;
  // An estimate of the heap bytes the index holds (capacities of its arrays
  // and tables), excluding the taxonomy copy.
  [[nodiscard]] std::size_t memory_bytes() const;

 private:
  struct State;
  class WriteLock;
  class ReadLock;
  mutable std::shared_mutex mutex_;
  mutable std::mutex writer_gate_;              // held by a writer from before it waits until it is done
  mutable std::atomic<int> writers_waiting_{0};
  std::unique_ptr<State> state_;  // guarded by mutex_
};

}  // namespace bespoke::directory
