#include "web/hsds/json_write.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace bespoke::hsds {
namespace json = boost::json;
namespace {

bool included(Profile profile, bool in_hsds, bool in_oruk) {
  switch (profile) {
    case Profile::all: return true;
    case Profile::hsds31: return in_hsds;
    case Profile::oruk: return in_oruk;
  }
  return true;
}

bool fits_int64(double d) {
  return std::isfinite(d) && std::trunc(d) == d && d >= -9223372036854775808.0 && d < 9223372036854775808.0;
}

class Writer {
 public:
  Writer(const RecordSet& set, WriteOptions options) : set_(set), options_(options) {}

  // Export: record every record written, and nest attributes and metadata
  // only under the entity they name, so that reading back adds nothing.
  std::unordered_set<const Record*>* emitted = nullptr;
  bool strict_links = false;
  std::string_view omit_child_of;  // "organization": its services are written elsewhere
  std::string_view omit_child;

  json::object write(const Record& record) {
    if (emitted) emitted->insert(&record);
    json::object out;
    const Entity& entity = *record.entity;
    for (std::size_t i = 0; i < entity.fields.size(); ++i) {
      const Field& field = entity.fields[i];
      if (!included(options_.profile, field.in_hsds, field.in_oruk)) continue;
      const Value& value = record.values[i];
      if (std::holds_alternative<std::monostate>(value)) continue;
      if (const auto* s = std::get_if<std::string>(&value); s && s->empty()) continue;
      out[field.name] = to_json(value);
    }
    if (options_.depth == Depth::direct || record.id().empty()) return out;
    path_.push_back(entity.name);
    for (const Child& child : entity.children) {
      if (!included(options_.profile, child.in_hsds, child.in_oruk)) continue;
      if (entity.name == omit_child_of && child.json_name == omit_child) continue;
      if (std::find(path_.begin(), path_.end(), child.entity) != path_.end()) continue;
      const Entity& child_entity = hsds::entity(child.entity);
      std::vector<const Record*> records;
      switch (child.kind) {
        case ChildKind::reference:
          if (const auto id = record.text(child.link))
            if (const Record* found = set_.find(child_entity, *id)) records.push_back(found);
          break;
        case ChildKind::owned:
          records = set_.children(child_entity, child.link, record.id());
          break;
        case ChildKind::attribute:
        case ChildKind::metadata: {
          records = set_.children(child_entity, child.link, record.id(), entity.name);
          if (strict_links) {
            const std::string_view named = child.kind == ChildKind::attribute ? "link_entity" : "resource_type";
            std::erase_if(records, [&](const Record* r) { return r->text(named) != entity.name; });
          }
          break;
        }
      }
      if (records.empty()) continue;
      if (child.many) {
        json::array array;
        array.reserve(records.size());
        for (const Record* r : records) array.push_back(write(*r));
        out[child.json_name] = std::move(array);
      } else {
        out[child.json_name] = write(*records.front());
      }
    }
    path_.pop_back();
    return out;
  }

 private:
  const RecordSet& set_;
  WriteOptions options_;
  std::vector<std::string_view> path_;
};

}  // namespace

json::value to_json(const Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return json::string(*s);
  if (const auto* d = std::get_if<double>(&value)) {
    if (fits_int64(*d)) return static_cast<std::int64_t>(*d);
    return *d;
  }
  return nullptr;
}

std::string number_text(double number) {
  if (fits_int64(number)) return std::to_string(static_cast<std::int64_t>(number));
  return fmt::format("{}", number);  // the shortest text that reads back as the same double
}

json::object to_json(const Record& record, const RecordSet& set, const WriteOptions& options) {
  return Writer(set, options).write(record);
}

std::vector<std::pair<std::string, json::array>> export_json(const RecordSet& set) {
  std::vector<std::pair<std::string, json::array>> files;
  std::unordered_set<const Record*> emitted;
  auto write_all = [&](std::string name, const Entity& entity, Depth depth) {
    Writer writer(set, {Profile::all, depth});
    writer.emitted = &emitted;
    writer.strict_links = true;
    writer.omit_child_of = "organization";
    writer.omit_child = "services";
    json::array array;
    for (const Record* r : set.all(entity))
      if (depth == Depth::full || !emitted.contains(r)) array.push_back(writer.write(*r));
    if (!array.empty()) files.emplace_back(std::move(name), std::move(array));
  };
  write_all("taxonomies.json", entity("taxonomy"), Depth::direct);
  write_all("taxonomy_terms.json", entity("taxonomy_term"), Depth::direct);
  write_all("organizations.json", entity("organization"), Depth::full);
  write_all("services.json", entity("service"), Depth::full);
  for (const Entity& e : entities()) {
    if (e.name == "taxonomy" || e.name == "taxonomy_term" || e.name == "organization" || e.name == "service")
      continue;
    write_all(std::string(e.csv_name) + ".json", e, Depth::direct);
  }
  return files;
}

}  // namespace bespoke::hsds
