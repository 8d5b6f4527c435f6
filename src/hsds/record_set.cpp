#include "hsds/record_set.h"

#include <utility>

namespace bespoke::hsds {
namespace {

bool indexed(const Field& f) { return f.name.size() > 3 && f.name.ends_with("_id"); }

std::string index_key(std::string_view entity, std::string_view field, std::string_view value) {
  std::string key;
  key.reserve(entity.size() + field.size() + value.size() + 2);
  key += entity;
  key += '\0';
  key += field;
  key += '\0';
  key += value;
  return key;
}

// The field naming the parent's entity next to a polymorphic link.
std::string_view entity_field_for(std::string_view link) {
  if (link == "link_id") return "link_entity";
  if (link == "resource_id") return "resource_type";
  return {};
}

}  // namespace

RecordSet::RecordSet(const RecordSet& other) : records_(other.records_), size_(other.size_) {
  for (const auto& [name, by_id] : records_)
    for (const auto& [id, record] : by_id) pending_.insert(&record);
}

RecordSet::RecordSet(RecordSet&& other) noexcept
    : records_(std::move(other.records_)),
      size_(std::exchange(other.size_, 0)),
      index_(std::move(other.index_)),
      indexed_keys_(std::move(other.indexed_keys_)),
      pending_(std::move(other.pending_)) {
  other.clear();
}

RecordSet& RecordSet::operator=(const RecordSet& other) {
  if (this != &other) *this = RecordSet(other);
  return *this;
}

RecordSet& RecordSet::operator=(RecordSet&& other) noexcept {
  if (this != &other) {
    records_ = std::move(other.records_);
    size_ = std::exchange(other.size_, 0);
    index_ = std::move(other.index_);
    indexed_keys_ = std::move(other.indexed_keys_);
    pending_ = std::move(other.pending_);
    other.clear();
  }
  return *this;
}

Record& RecordSet::add(Record record) {
  auto& by_id = records_[record.entity->name];
  auto it = by_id.find(record.id());
  if (it == by_id.end()) {
    std::string id = record.id();
    it = by_id.emplace(std::move(id), std::move(record)).first;
    ++size_;
  } else {
    Record& old = it->second;
    for (std::size_t i = 0; i < record.values.size(); ++i)
      if (!std::holds_alternative<std::monostate>(record.values[i])) old.values[i] = std::move(record.values[i]);
    if (old.source.empty()) old.source = std::move(record.source);
  }
  pending_.insert(&it->second);
  return it->second;
}

void RecordSet::merge(const RecordSet& other) {
  for (const auto& [name, by_id] : other.records_)
    for (const auto& [id, record] : by_id) add(record);
}

bool RecordSet::remove(const Entity& entity, std::string_view id) {
  const auto e = records_.find(entity.name);
  if (e == records_.end()) return false;
  const auto it = e->second.find(id);
  if (it == e->second.end()) return false;
  unindex(&it->second);
  pending_.erase(&it->second);
  e->second.erase(it);
  --size_;
  return true;
}

const Record* RecordSet::find(const Entity& entity, std::string_view id) const {
  const auto e = records_.find(entity.name);
  if (e == records_.end()) return nullptr;
  const auto it = e->second.find(id);
  return it == e->second.end() ? nullptr : &it->second;
}

void RecordSet::unindex(const Record* record) const {
  const auto keys = indexed_keys_.find(record);
  if (keys == indexed_keys_.end()) return;
  for (const auto& key : keys->second) {
    const auto slot = index_.find(key);
    if (slot == index_.end()) continue;
    slot->second.erase(record->id());
    if (slot->second.empty()) index_.erase(slot);
  }
  indexed_keys_.erase(keys);
}

void RecordSet::index_pending() const {
  for (const Record* record : pending_) {
    unindex(record);
    std::vector<std::string> keys;
    const auto& fields = record->entity->fields;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (!indexed(fields[i])) continue;
      const auto* value = std::get_if<std::string>(&record->values[i]);
      if (!value) continue;
      auto key = index_key(record->entity->name, fields[i].name, *value);
      index_[key].emplace(record->id(), record);
      keys.push_back(std::move(key));
    }
    if (!keys.empty()) indexed_keys_.emplace(record, std::move(keys));
  }
  pending_.clear();
}

std::vector<const Record*> RecordSet::children(const Entity& child, std::string_view link, std::string_view parent_id,
                                               std::string_view parent_entity) const {
  index_pending();
  std::vector<const Record*> out;
  const auto slot = index_.find(index_key(child.name, link, parent_id));
  if (slot == index_.end()) return out;
  const std::string_view entity_field = parent_entity.empty() ? std::string_view{} : entity_field_for(link);
  for (const auto& [id, record] : slot->second) {
    if (!entity_field.empty()) {
      const auto named = record->text(entity_field);
      if (named && *named != parent_entity) continue;
    }
    out.push_back(record);
  }
  return out;
}

std::vector<const Record*> RecordSet::all(const Entity& entity) const {
  std::vector<const Record*> out;
  const auto e = records_.find(entity.name);
  if (e == records_.end()) return out;
  out.reserve(e->second.size());
  for (const auto& [id, record] : e->second) out.push_back(&record);
  return out;
}

std::size_t RecordSet::size(const Entity& entity) const {
  const auto e = records_.find(entity.name);
  return e == records_.end() ? 0 : e->second.size();
}

void RecordSet::clear() {
  records_.clear();
  size_ = 0;
  index_.clear();
  indexed_keys_.clear();
  pending_.clear();
}

}  // namespace bespoke::hsds
