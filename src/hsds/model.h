#pragma once
// The HSDS 3.1 data model (with the ORUK 3.0 profile's few extra names), as
// data: every entity, its scalar fields and its nested children. Import,
// export, the tabular CSV package, the database tables and the API all walk
// these descriptors, so a field added to the standard is added in one place
// (scripts/generate_hsds_model.py writes model_generated.cpp from the schemas).
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace bespoke::hsds {

enum class FieldType { string, uuid, number, email, uri, date, time, date_time };

struct Field {
  std::string_view name;
  FieldType type = FieldType::string;
  bool required = false;
  std::string_view references;  // the entity a foreign key points at; empty otherwise
  std::span<const std::string_view> allowed;  // an enum's values; empty = any
  bool in_hsds = true;   // in HSDS 3.1
  bool in_oruk = true;   // in the ORUK 3.0 profile
};

enum class ChildKind {
  owned,      // the child's `link` field holds the parent's id (service.phones -> phone.service_id)
  reference,  // the parent's `link` field holds the child's id (service.organization <- service.organization_id)
  attribute,  // attribute.link_id = parent id, attribute.link_entity = parent entity name
  metadata,   // metadata.resource_id = parent id, metadata.resource_type = parent entity name
};

struct Child {
  std::string_view json_name;  // the property in the parent's JSON
  std::string_view entity;
  std::string_view link;
  ChildKind kind = ChildKind::owned;
  bool many = true;  // an array, or a single object
  bool in_hsds = true;
  bool in_oruk = true;
};

struct Entity {
  std::string_view name;      // also the table name
  std::string_view csv_name;  // the tabular package's file, without ".csv"
  std::span<const Field> fields;
  std::span<const Child> children;

  [[nodiscard]] const Field* field(std::string_view name) const noexcept;
  [[nodiscard]] std::optional<std::size_t> field_index(std::string_view name) const noexcept;
  [[nodiscard]] const Child* child(std::string_view json_name) const noexcept;
};

// Every entity, parents before the records that point at them.
[[nodiscard]] const std::span<const Entity> entities() noexcept;
[[nodiscard]] const Entity* find_entity(std::string_view name) noexcept;
[[nodiscard]] const Entity& entity(std::string_view name);  // throws std::out_of_range

// A field's value: absent, text (strings, ids, dates), or a number.
using Value = std::variant<std::monostate, std::string, double>;

// One row of one entity: values[i] belongs to entity->fields[i].
struct Record {
  const Entity* entity = nullptr;
  std::vector<Value> values;
  // Where the record was read from, for messages: a file and JSON pointer
  // ("service_list.json/contents/3") or a CSV file and line ("services.csv:4").
  // Not part of the record's value: operator== ignores it.
  std::string source;

  explicit Record(const Entity& e) : entity(&e), values(e.fields.size()) {}
  [[nodiscard]] const std::string& id() const;  // "" when absent
  [[nodiscard]] const Value* get(std::string_view field) const noexcept;
  [[nodiscard]] std::optional<std::string_view> text(std::string_view field) const noexcept;
  [[nodiscard]] std::optional<double> number(std::string_view field) const noexcept;
  void set(std::string_view field, Value value);  // throws std::out_of_range on an unknown field
  friend bool operator==(const Record& a, const Record& b) { return a.entity == b.entity && a.values == b.values; }
};

}  // namespace bespoke::hsds
