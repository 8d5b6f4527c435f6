#include "web/hsds/json_read.h"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <array>
#include <fmt/format.h>

namespace bespoke::hsds {
namespace json = boost::json;
namespace {

constexpr std::array<std::string_view, 7> page_fields = {"total_items", "total_pages", "page_number", "size",
                                                         "first_page",  "last_page",   "empty"};

std::string_view kind_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "a value";
}

// A field the parent imposes on a nested record: its link to the parent
// (phone.service_id, attribute.link_id) or the parent's entity
// (attribute.link_entity, metadata.resource_type).
struct Imposed {
  std::string_view field;
  std::string_view value;
  const Entity* parent = nullptr;
  bool names_entity = false;  // value is the parent's entity name, not its id
};

// a + "/" + b, built without operator+ (GCC 12 warns falsely about it at -O3).
std::string child_pointer_of(std::string_view pointer, std::string_view token) {
  std::string out;
  out.reserve(pointer.size() + token.size() + 1);
  out.append(pointer).append("/").append(token);
  return out;
}

class Reader {
 public:
  Reader(std::string_view source, RecordSet& into, std::vector<Issue>& issues)
      : source_(source), into_(into), issues_(issues) {}

  void document(const json::value& doc, const Entity& entity) {
    if (const auto* array = doc.if_array()) {
      records(*array, entity, "", {});
      return;
    }
    const auto* object = doc.if_object();
    if (!object) {
      issue("", fmt::format("expected an object, an array or a page of {} records, found {}", entity.name,
                            kind_name(doc)));
      return;
    }
    const auto* contents = object->if_contains("contents");
    if (contents && !entity.field("contents")) {
      for (const auto& [key, value] : *object) {
        if (key == "contents") continue;
        if (std::find(page_fields.begin(), page_fields.end(), std::string_view(key)) == page_fields.end())
          issue(child_pointer_of("", json_pointer_token(key)), fmt::format("unknown property \"{}\" of a page", std::string_view(key)));
      }
      if (const auto* array = contents->if_array())
        records(*array, entity, "/contents", {});
      else
        issue("/contents", fmt::format("expected an array, found {}", kind_name(*contents)));
      return;
    }
    record(*object, entity, "", {});
  }

 private:
  void issue(const std::string& pointer, std::string message, Severity severity = Severity::error) {
    std::string path(source_);
    path += pointer;
    issues_.push_back({std::move(path), std::move(message), severity});
  }

  void records(const json::array& array, const Entity& entity, const std::string& pointer,
               std::span<const Imposed> imposed) {
    for (std::size_t i = 0; i < array.size(); ++i) {
      const auto item_pointer = child_pointer_of(pointer, std::to_string(i));
      if (const auto* object = array[i].if_object())
        record(*object, entity, item_pointer, imposed);
      else
        issue(item_pointer, fmt::format("expected a {} object, found {}", entity.name, kind_name(array[i])));
    }
  }

  // Reads a scalar into `out`; leaves it absent (with an issue) when it is of
  // the wrong type. null is absent: hsds::validate reports a required field
  // left absent.
  void scalar(const json::value& value, const Field& field, const std::string& pointer, Value& out) {
    if (value.is_null()) return;
    if (field.type == FieldType::number) {
      if (value.is_number())
        out = value.to_number<double>();
      else
        issue(pointer, fmt::format("{} must be a number, found {}", field.name, kind_name(value)));
      return;
    }
    if (const auto* s = value.if_string()) {
      if (!s->empty() || field.required) out = std::string(*s);
      return;
    }
    issue(pointer, fmt::format("{} must be a string, found {}", field.name, kind_name(value)));
  }

  // Reads one record and its nested records; returns its id ("" when it has none).
  std::string record(const json::object& object, const Entity& entity, const std::string& pointer,
                     std::span<const Imposed> imposed) {
    Record r(entity);
    r.source = source_;
    r.source += pointer;
    std::vector<std::pair<const Child*, const json::value*>> nested;
    for (const auto& [key, value] : object) {
      const auto field_pointer = child_pointer_of(pointer, json_pointer_token(key));
      if (const auto index = entity.field_index(key)) {
        scalar(value, entity.fields[*index], field_pointer, r.values[*index]);
      } else if (const auto* child = entity.child(key)) {
        nested.emplace_back(child, &value);
      } else {
        issue(field_pointer, fmt::format("unknown property \"{}\" of a {}", std::string_view(key), entity.name));
      }
    }
    const std::string id = r.id();
    if (id.empty()) {
      issue(pointer, fmt::format("a {} without an id is skipped", entity.name));
      return {};
    }
    for (const auto& [field, value, parent, names_entity] : imposed) {
      if (value.empty()) continue;
      const auto current = r.text(field);
      if (current && *current != value) {
        // Stored as given: the record says where it belongs.
        issue(child_pointer_of(pointer, field),
              names_entity ? fmt::format("{} is \"{}\" but the record is nested in a {}; stored as given, so it is "
                                         "not listed with that {}",
                                         field, *current, value, value)
                           : fmt::format("{} is \"{}\" but the record is nested in {} \"{}\"; stored as given, so "
                                         "it is not listed with that {}",
                                         field, *current, parent->name, value, parent->name),
              Severity::warning);
      } else {
        r.set(field, std::string(value));
      }
    }
    // References first: they set this record's link fields.
    for (const auto& [child, value] : nested) {
      if (child->kind != ChildKind::reference) continue;
      const auto child_pointer = child_pointer_of(pointer, json_pointer_token(child->json_name));
      if (value->is_null()) continue;
      const auto* child_object = value->if_object();
      if (!child_object) {
        issue(child_pointer, fmt::format("{} must be an object, found {}", child->json_name, kind_name(*value)));
        continue;
      }
      const auto child_id = record(*child_object, entity_of(*child), child_pointer, {});
      if (child_id.empty()) continue;
      const auto current = r.text(child->link);
      if (current && *current != child_id)
        issue(child_pointer_of(child_pointer, "id"),
              fmt::format("the nested {} is \"{}\" but {} is \"{}\"; {} is stored as given", child->json_name,
                          child_id, child->link, *current, child->link),
              Severity::warning);
      else
        r.set(child->link, child_id);
    }
    replaced(r, pointer);
    into_.add(std::move(r));
    for (const auto& [child, value] : nested) {
      if (child->kind == ChildKind::reference) continue;
      const auto child_pointer = child_pointer_of(pointer, json_pointer_token(child->json_name));
      std::array<Imposed, 2> links{};
      std::size_t count = 1;
      links[0] = {child->link, id, &entity, false};
      if (child->kind == ChildKind::attribute) links[count++] = {"link_entity", entity.name, &entity, true};
      if (child->kind == ChildKind::metadata) links[count++] = {"resource_type", entity.name, &entity, true};
      const std::span<const Imposed> imposed_links(links.data(), count);
      if (value->is_null()) continue;
      if (child->many) {
        if (const auto* array = value->if_array())
          records(*array, entity_of(*child), child_pointer, imposed_links);
        else
          issue(child_pointer, fmt::format("{} must be an array, found {}", child->json_name, kind_name(*value)));
      } else if (const auto* child_object = value->if_object()) {
        record(*child_object, entity_of(*child), child_pointer, imposed_links);
      } else {
        issue(child_pointer, fmt::format("{} must be an object, found {}", child->json_name, kind_name(*value)));
      }
    }
    return id;
  }

  static const Entity& entity_of(const Child& child) { return hsds::entity(child.entity); }

  static std::string value_text(const Value& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return fmt::format("\"{}\"", *s);
    return fmt::format("{}", std::get<double>(v));
  }

  // The same record read twice (the same location under two services, or in
  // two files) is merged, the later values replacing the earlier: a value
  // that changes is a warning.
  void replaced(const Record& r, const std::string& pointer) {
    const Record* before = into_.find(*r.entity, r.id());
    if (!before) return;
    for (std::size_t i = 0; i < r.values.size(); ++i) {
      const Value& now = r.values[i];
      const Value& then = before->values[i];
      if (std::holds_alternative<std::monostate>(now) || std::holds_alternative<std::monostate>(then) || now == then)
        continue;
      const auto name = r.entity->fields[i].name;
      issue(child_pointer_of(pointer, json_pointer_token(name)),
            fmt::format("{} {} replaces the {} read before for the same {} at {}", name, value_text(now),
                        value_text(then), r.entity->name, before->source.empty() ? "(unknown)" : before->source),
            Severity::warning);
    }
  }

  std::string_view source_;
  RecordSet& into_;
  std::vector<Issue>& issues_;
};

}  // namespace

std::string json_pointer_token(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (const char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

bool is_api_details_file(std::string_view filename) {
  const auto slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  return filename == "api_details.json" || filename == "base.json";
}

std::optional<std::reference_wrapper<const Entity>> entity_for_file(std::string_view filename) {
  const auto slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  if (!filename.ends_with(".json")) return std::nullopt;
  filename.remove_suffix(5);
  if (filename == "api_details" || filename == "base" || filename == "tabular" || filename == "datapackage")
    return std::nullopt;
  for (const std::string_view suffix : {"_full", "_list"})
    if (filename.ends_with(suffix)) filename.remove_suffix(suffix.size());
  for (const auto& e : entities()) {
    if (filename == e.name || filename == e.csv_name) return std::cref(e);
    if (filename.size() == e.name.size() + 1 && filename.starts_with(e.name) && filename.back() == 's')
      return std::cref(e);
  }
  return std::nullopt;
}

std::vector<Issue> read_json_value(const json::value& document, const Entity& entity, std::string_view source,
                                   RecordSet& into) {
  std::vector<Issue> issues;
  Reader(source, into, issues).document(document, entity);
  return issues;
}

std::vector<Issue> read_json(std::string_view text, const Entity& entity, std::string_view source,
                             RecordSet& into) {
  boost::system::error_code ec;
  const auto document = json::parse(text, ec);
  if (ec) return {{std::string(source), "not valid JSON: " + ec.message()}};
  return read_json_value(document, entity, source, into);
}

}  // namespace bespoke::hsds
