#include "hsds/model.h"

#include <stdexcept>
#include <string>

namespace bespoke::hsds {

const Field* Entity::field(std::string_view field_name) const noexcept {
  for (const auto& f : fields)
    if (f.name == field_name) return &f;
  return nullptr;
}

std::optional<std::size_t> Entity::field_index(std::string_view field_name) const noexcept {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == field_name) return i;
  return std::nullopt;
}

const Child* Entity::child(std::string_view json_name) const noexcept {
  for (const auto& c : children)
    if (c.json_name == json_name) return &c;
  return nullptr;
}

const Entity* find_entity(std::string_view name) noexcept {
  for (const auto& e : entities())
    if (e.name == name) return &e;
  return nullptr;
}

const Entity& entity(std::string_view name) {
  if (const auto* e = find_entity(name)) return *e;
  throw std::out_of_range("unknown HSDS entity: " + std::string(name));
}

const std::string& Record::id() const {
  static const std::string none;
  const auto* v = get("id");
  const auto* s = v ? std::get_if<std::string>(v) : nullptr;
  return s ? *s : none;
}

const Value* Record::get(std::string_view field) const noexcept {
  const auto i = entity->field_index(field);
  return i ? &values[*i] : nullptr;
}

std::optional<std::string_view> Record::text(std::string_view field) const noexcept {
  const auto* v = get(field);
  if (const auto* s = v ? std::get_if<std::string>(v) : nullptr) return std::string_view(*s);
  return std::nullopt;
}

std::optional<double> Record::number(std::string_view field) const noexcept {
  const auto* v = get(field);
  if (const auto* d = v ? std::get_if<double>(v) : nullptr) return *d;
  return std::nullopt;
}

void Record::set(std::string_view field, Value value) {
  const auto i = entity->field_index(field);
  if (!i) throw std::out_of_range("HSDS " + std::string(entity->name) + " has no field " + std::string(field));
  values[*i] = std::move(value);
}

}  // namespace bespoke::hsds
