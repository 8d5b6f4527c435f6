#pragma once
// A set of HSDS records of any entities, keyed by (entity, id): what an import
// reads, what the store loads for a response or an export, and what the JSON
// and CSV writers nest and write. Adding a record whose id is already present
// merges them (fields the new one has replace the old ones'), so the same
// location met under two services is one record.
//
// Not safe for concurrent use, not even of const members: children() builds
// its index lazily.
#include "hsds/model.h"

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bespoke::hsds {

class RecordSet {
 public:
  RecordSet() = default;
  RecordSet(const RecordSet& other);
  RecordSet(RecordSet&& other) noexcept;
  RecordSet& operator=(const RecordSet& other);
  RecordSet& operator=(RecordSet&& other) noexcept;
  ~RecordSet() = default;

  // Returns the stored record (after merging). The reference stays valid until
  // the record is removed; a change made through it is seen by children() only
  // if it is made before the next children() call (add the record again after).
  Record& add(Record record);
  void merge(const RecordSet& other);
  // Removes one record; false when there is none.
  bool remove(const Entity& entity, std::string_view id);

  [[nodiscard]] const Record* find(const Entity& entity, std::string_view id) const;
  [[nodiscard]] bool contains(const Entity& entity, std::string_view id) const { return find(entity, id) != nullptr; }

  // The records of `child` whose `link` field equals `parent_id`, ordered by id.
  // For attributes and metadata pass the parent entity's name too: they match
  // on link_id/link_entity (resource_id/resource_type) when the latter is set.
  // Amortised O(log n + k): an index of every "*_id" field is kept up to date
  // lazily (records added since the last call are indexed on the next).
  [[nodiscard]] std::vector<const Record*> children(const Entity& child, std::string_view link,
                                                    std::string_view parent_id,
                                                    std::string_view parent_entity = {}) const;

  // Every record of an entity, ordered by id.
  [[nodiscard]] std::vector<const Record*> all(const Entity& entity) const;
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t size(const Entity& entity) const;
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  void clear();

  // Same records with the same values (sources are not compared).
  friend bool operator==(const RecordSet& a, const RecordSet& b) { return a.records_ == b.records_; }

 private:
  void index_pending() const;
  void unindex(const Record* record) const;

  // entity name -> id -> record; ordered maps keep every output deterministic.
  std::map<std::string_view, std::map<std::string, Record, std::less<>>, std::less<>> records_;
  std::size_t size_ = 0;

  // The children() index: "entity\0field\0value" -> id -> record, the keys each
  // record is filed under, and the records added since the index was brought
  // up to date. Records live in map nodes, so the pointers are stable.
  mutable std::unordered_map<std::string, std::map<std::string, const Record*, std::less<>>> index_;
  mutable std::unordered_map<const Record*, std::vector<std::string>> indexed_keys_;
  mutable std::set<const Record*> pending_;
};

}  // namespace bespoke::hsds
