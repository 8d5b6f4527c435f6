#include "web/hsds/csv_package.h"

#include "core/csv.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>

namespace bespoke::hsds {
namespace json = boost::json;
namespace {

bool included(const Field& f, Profile profile) {
  return profile == Profile::all || (profile == Profile::hsds31 ? f.in_hsds : f.in_oruk);
}

std::vector<const Field*> columns(const Entity& entity, Profile profile) {
  std::vector<const Field*> out;
  for (const auto& f : entity.fields)
    if (included(f, profile)) out.push_back(&f);
  return out;
}

std::string_view table_type(FieldType t) {
  switch (t) {
    case FieldType::number: return "number";
    case FieldType::date: return "date";
    case FieldType::time: return "time";
    case FieldType::date_time: return "datetime";
    default: return "string";
  }
}

std::string_view table_format(FieldType t) {
  switch (t) {
    case FieldType::uuid: return "uuid";
    case FieldType::email: return "email";
    case FieldType::uri: return "uri";
    default: return {};
  }
}

std::string table(const RecordSet& set, const Entity& entity, Profile profile) {
  const auto cols = columns(entity, profile);
  std::string out;
  std::vector<std::string> cells;
  for (const Field* f : cols) cells.emplace_back(f->name);
  core::append_csv_row(out, cells);
  for (const Record* r : set.all(entity)) {
    cells.clear();
    for (const Field* f : cols) {
      const Value& v = r->values[static_cast<std::size_t>(f - entity.fields.data())];
      if (const auto* s = std::get_if<std::string>(&v))
        cells.push_back(*s);
      else if (const auto* d = std::get_if<double>(&v))
        cells.push_back(number_text(*d));
      else
        cells.emplace_back();
    }
    core::append_csv_row(out, cells);
  }
  return out;
}

}  // namespace

const Entity* entity_for_csv_file(std::string_view filename) noexcept {
  const auto slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  if (!filename.ends_with(".csv")) return nullptr;
  filename.remove_suffix(4);
  for (const auto& e : entities())
    if (filename == e.csv_name || filename == e.name) return &e;
  return nullptr;
}

std::string datapackage_json(Profile profile) {
  json::array resources;
  for (const Entity& entity : entities()) {
    json::array fields;
    json::array foreign_keys;
    for (const Field* f : columns(entity, profile)) {
      json::object field{{"name", f->name}, {"type", table_type(f->type)}};
      if (const auto format = table_format(f->type); !format.empty()) field["format"] = format;
      json::object constraints;
      if (f->required) constraints["required"] = true;
      if (f->name == "id") constraints["unique"] = true;
      if (!f->allowed.empty()) {
        json::array values;
        for (const auto v : f->allowed) values.emplace_back(v);
        constraints["enum"] = std::move(values);
      }
      if (!constraints.empty()) field["constraints"] = std::move(constraints);
      fields.push_back(std::move(field));
      if (!f->references.empty())
        foreign_keys.push_back(json::object{
            {"fields", f->name}, {"reference", json::object{{"resource", f->references}, {"fields", "id"}}}});
    }
    json::object schema{{"fields", std::move(fields)}, {"primaryKey", "id"}};
    if (!foreign_keys.empty()) schema["foreignKeys"] = std::move(foreign_keys);
    resources.push_back(json::object{{"name", entity.name},
                                     {"path", std::string(entity.csv_name) + ".csv"},
                                     {"profile", "tabular-data-resource"},
                                     {"format", "csv"},
                                     {"mediatype", "text/csv"},
                                     {"encoding", "utf-8"},
                                     {"schema", std::move(schema)}});
  }
  const json::object package{
      {"name", "human_services_data"},
      {"title", "Human Services Data Specification"},
      {"profile", "tabular-data-package"},
      {"version", profile == Profile::oruk ? "HSDS-UK-3.0" : "3.1"},
      {"license", json::object{{"type", "CC-BY-SA-4.0"}, {"url", "https://creativecommons.org/licenses/by-sa/4.0/"}}},
      {"resources", std::move(resources)}};
  return json::serialize(package);
}

std::vector<PackageFile> write_csv_package(const RecordSet& set, Profile profile) {
  std::vector<PackageFile> files;
  for (const Entity& entity : entities())
    files.push_back({std::string(entity.csv_name) + ".csv", table(set, entity, profile)});
  files.push_back({"datapackage.json", datapackage_json(profile)});
  return files;
}

core::Result<void> write_csv_package(const RecordSet& set, const std::filesystem::path& folder, Profile profile) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return core::Error::invalid(folder.string(), "cannot create the folder: " + ec.message());
  for (const auto& file : write_csv_package(set, profile)) {
    const auto path = folder / file.name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(file.content.data(), static_cast<std::streamsize>(file.content.size()));
    out.close();
    if (!out) return core::Error::invalid(path.string(), "cannot write the file");
  }
  return {};
}

std::vector<Issue> read_csv_table(std::istream& in, const Entity& entity, std::string_view file_name,
                                  RecordSet& into) {
  std::vector<Issue> issues;
  auto issue = [&](std::size_t line, std::size_t column, std::string message) {
    issues.push_back({column ? fmt::format("{}:{}:{}", file_name, line, column) : fmt::format("{}:{}", file_name, line),
                      std::move(message)});
  };
  core::CsvReader reader(in);
  core::CsvRow row;
  auto first = reader.next(row);
  if (!first) {
    issues.push_back({std::string(file_name) + ":" + first.error().field.substr(5), first.error().message});
    return issues;
  }
  if (!*first) return issues;  // an empty file: no header, no records
  // Column -> field index (nullopt for a column we do not read).
  std::vector<std::optional<std::size_t>> fields;
  std::vector<bool> seen(entity.fields.size());
  for (std::size_t c = 0; c < row.fields.size(); ++c) {
    const auto index = entity.field_index(row.fields[c]);
    if (!index) {
      issue(row.line, c + 1, fmt::format("unknown column \"{}\" for {}", row.fields[c], entity.name));
    } else if (seen[*index]) {
      issue(row.line, c + 1, fmt::format("column \"{}\" appears twice", row.fields[c]));
      fields.emplace_back();
      continue;
    } else {
      seen[*index] = true;
    }
    fields.push_back(index);
  }
  for (;;) {
    auto more = reader.next(row);
    if (!more) {
      issues.push_back({std::string(file_name) + ":" + more.error().field.substr(5), more.error().message});
      break;
    }
    if (!*more) break;
    if (row.fields.size() != fields.size())
      issue(row.line, 0, fmt::format("{} fields where the header has {}", row.fields.size(), fields.size()));
    Record record(entity);
    record.source = fmt::format("{}:{}", file_name, row.line);
    for (std::size_t c = 0; c < row.fields.size() && c < fields.size(); ++c) {
      if (!fields[c] || row.fields[c].empty()) continue;
      const Field& field = entity.fields[*fields[c]];
      auto& cell = row.fields[c];
      if (field.type == FieldType::number) {
        double number = 0;
        const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), number);
        if (ec != std::errc() || end != cell.data() + cell.size() || !std::isfinite(number))
          issue(row.line, c + 1, fmt::format("{} \"{}\" is not a number", field.name, cell));
        else
          record.values[*fields[c]] = number;
      } else {
        record.values[*fields[c]] = std::move(cell);
      }
    }
    if (record.id().empty()) {
      issue(row.line, 0, fmt::format("a {} without an id is skipped", entity.name));
      continue;
    }
    into.add(std::move(record));
  }
  return issues;
}

std::vector<Issue> read_csv_package(const std::filesystem::path& folder, RecordSet& into) {
  std::vector<Issue> issues;
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".csv") files.push_back(entry.path());
  if (ec) return {{folder.string(), "cannot read the folder: " + ec.message()}};
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    const auto name = path.filename().string();
    const Entity* entity = entity_for_csv_file(name);
    if (!entity) {
      issues.push_back({name, "not a table of the HSDS package"});
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      issues.push_back({name, "cannot open the file"});
      continue;
    }
    auto found = read_csv_table(in, *entity, name, into);
    issues.insert(issues.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  return issues;
}

}  // namespace bespoke::hsds
