#include "app/export_command.h"

#include "core/text.h"
#include "directory/entry.h"
#include "web/hsds/csv_package.h"
#include "web/hsds/json_write.h"
#include "store/database.h"
#include "store/hsds_store.h"
#include "store/migrations.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <system_error>
#include <unordered_set>

namespace bespoke::app {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using core::format_thousands;

class WriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One JSON array file, written a record at a time: "[\n" rec ",\n" rec "\n]\n".
// Opened at the first record, so a file without records is not written.
class JsonArrayFile {
 public:
  explicit JsonArrayFile(fs::path path) : path_(std::move(path)) {}
  void add(const json::value& v) {
    if (!out_.is_open()) {
      out_.open(path_, std::ios::binary | std::ios::trunc);
      if (!out_) throw WriteError("cannot write " + path_.string());
      out_ << "[\n";
    } else {
      out_ << ",\n";
    }
    out_ << json::serialize(v);
    ++records_;
  }
  void finish() {
    if (!out_.is_open()) return;
    out_ << "\n]\n";
    out_.close();
    if (!out_) throw WriteError("cannot write " + path_.string());
  }
  [[nodiscard]] std::int64_t records() const noexcept { return records_; }

 private:
  fs::path path_;
  std::ofstream out_;
  std::int64_t records_ = 0;
};

bool is_top_level(std::string_view entity) {
  return entity == "taxonomy" || entity == "taxonomy_term" || entity == "organization" || entity == "service";
}

// Records already nested in organizations.json or services.json, by entity and
// id (UUIDs in 16 bytes; other ids as text).
class NestedSet {
 public:
  void add(std::size_t entity, std::string_view id) {
    if (const auto u = directory::Uuid::parse(id)) {
      uuids_.insert(Key{entity, *u});
    } else {
      others_.insert(std::to_string(entity) + '/' + std::string(id));
    }
  }
  [[nodiscard]] bool contains(std::size_t entity, std::string_view id) const {
    if (const auto u = directory::Uuid::parse(id)) return uuids_.contains(Key{entity, *u});
    return others_.contains(std::to_string(entity) + '/' + std::string(id));
  }

 private:
  struct Key {
    std::size_t entity;
    directory::Uuid id;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept { return directory::UuidHash{}(k.id) ^ (k.entity * 0x9E3779B9); }
  };
  std::unordered_set<Key, KeyHash> uuids_;
  std::unordered_set<std::string> others_;
};

std::size_t entity_index(const hsds::Entity& e) { return static_cast<std::size_t>(&e - hsds::entities().data()); }

std::vector<std::string> ids_of(const hsds::RecordSet& set, const hsds::Entity& e) {
  std::vector<std::string> out;
  for (const auto* r : set.all(e)) out.push_back(r->id());
  return out;
}

void remove_previous(const fs::path& folder, const std::vector<std::string>& names) {
  std::error_code ec;
  for (const auto& n : names) fs::remove(folder / n, ec);
}

std::vector<std::string> json_file_names() {
  std::vector<std::string> out{"taxonomies.json", "taxonomy_terms.json", "organizations.json", "services.json"};
  for (const auto& e : hsds::entities()) out.push_back(std::string(e.csv_name) + ".json");
  return out;
}

void export_json(store::Connection& db, const fs::path& folder, std::size_t batch) {
  std::map<std::string, std::unique_ptr<JsonArrayFile>> files;
  const auto file = [&](const std::string& name) -> JsonArrayFile& {
    auto& f = files[name];
    if (!f) f = std::make_unique<JsonArrayFile>(folder / name);
    return *f;
  };
  const auto append = [&](const std::vector<std::pair<std::string, json::array>>& exported, const std::string& name) {
    for (const auto& [n, array] : exported)
      if (n == name)
        for (const auto& v : array) file(name).add(v);
  };

  // Taxonomies and their terms: direct fields.
  for (const auto& [entity, name] : {std::pair{"taxonomy", "taxonomies.json"}, std::pair{"taxonomy_term", "taxonomy_terms.json"}}) {
    store::for_each_batch(db, hsds::entity(entity), batch,
                          [&](const hsds::RecordSet& set) { append(hsds::export_json(set), name); });
  }

  // Organizations, then services, fully nested, a batch of trees at a time.
  // What each batch nests is remembered; the rest goes in the leftover files.
  NestedSet nested;
  for (const auto& [entity, name] : {std::pair{"organization", "organizations.json"}, std::pair{"service", "services.json"}}) {
    const auto& root = hsds::entity(entity);
    store::for_each_batch(db, root, batch, [&](const hsds::RecordSet& roots) {
      const auto tree = store::load_tree(db, root, ids_of(roots, root));
      const auto exported = hsds::export_json(tree);
      append(exported, name);
      std::unordered_set<std::string> leftover;  // "entity/id" of what the batch did not nest
      for (const auto& [n, array] : exported) {
        if (n == "taxonomies.json" || n == "taxonomy_terms.json" || n == "organizations.json" || n == "services.json")
          continue;
        for (const auto& v : array)
          if (const auto* id = v.as_object().if_contains("id"); id && id->is_string())
            leftover.insert(n + '/' + std::string(id->as_string()));
      }
      for (const auto& e : hsds::entities()) {
        if (is_top_level(e.name)) continue;
        for (const auto* r : tree.all(e))
          if (!leftover.contains(std::string(e.csv_name) + ".json/" + r->id())) nested.add(entity_index(e), r->id());
      }
    });
  }

  // Everything else that no organization or service nests: direct fields.
  for (const auto& e : hsds::entities()) {
    if (is_top_level(e.name)) continue;
    const std::string name = std::string(e.csv_name) + ".json";
    store::for_each_batch(db, e, batch, [&](const hsds::RecordSet& set) {
      hsds::RecordSet rest;
      for (const auto* r : set.all(e))
        if (!nested.contains(entity_index(e), r->id())) rest.add(*r);
      if (!rest.empty()) append(hsds::export_json(rest), name);
    });
  }
  for (auto& [name, f] : files) {
    f->finish();
    fmt::print(stderr, "export: json/{}: {} records\n", name, format_thousands(f->records()));
  }
}

void export_csv(store::Connection& db, const fs::path& folder, std::size_t batch) {
  // Headers (and the tables of entities without records) and datapackage.json.
  for (const auto& f : hsds::write_csv_package(hsds::RecordSet{})) {
    std::ofstream out(folder / f.name, std::ios::binary | std::ios::trunc);
    out << f.content;
    if (!out) throw WriteError("cannot write " + (folder / f.name).string());
  }
  for (const auto& e : hsds::entities()) {
    const std::string name = std::string(e.csv_name) + ".csv";
    std::ofstream out(folder / name, std::ios::binary | std::ios::app);
    std::int64_t rows = 0;
    store::for_each_batch(db, e, batch, [&](const hsds::RecordSet& set) {
      for (const auto& f : hsds::write_csv_package(set)) {
        if (f.name != name) continue;
        const auto header_end = f.content.find("\r\n");
        if (header_end != std::string::npos) out << std::string_view(f.content).substr(header_end + 2);
      }
      rows += static_cast<std::int64_t>(set.size());
    });
    out.close();
    if (!out) throw WriteError("cannot write " + (folder / name).string());
    if (rows > 0) fmt::print(stderr, "export: csv/{}: {} rows\n", name, format_thousands(rows));
  }
}

}  // namespace

int run_export_hsds(const ExportHsdsOptions& options) {
  const bool json_wanted = options.format == "json" || options.format == "both";
  const bool csv_wanted = options.format == "csv" || options.format == "both";
  if (!json_wanted && !csv_wanted) {
    fmt::print(stderr, "bespoke export hsds: --format is json, csv or both\n");
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  auto db = store::open(options.db);
  store::require_current_schema(*db);
  const fs::path dir(options.dir);
  try {
    std::error_code ec;
    for (const char* sub : {"json", "csv"}) {
      if ((sub == std::string_view("json") && !json_wanted) || (sub == std::string_view("csv") && !csv_wanted)) continue;
      fs::create_directories(dir / sub, ec);
      if (ec) throw WriteError("cannot create " + (dir / sub).string() + ": " + ec.message());
    }
    store::Transaction tx(*db, store::TxMode::read);  // one snapshot for every file
    const std::size_t batch = std::max<std::size_t>(1, options.batch);
    if (json_wanted) {
      remove_previous(dir / "json", json_file_names());
      export_json(*db, dir / "json", batch);
    }
    if (csv_wanted) {
      std::vector<std::string> names{"datapackage.json"};
      for (const auto& e : hsds::entities()) names.push_back(std::string(e.csv_name) + ".csv");
      remove_previous(dir / "csv", names);
      export_csv(*db, dir / "csv", batch);
    }
    std::string summary;
    std::int64_t total = 0;
    for (const auto& e : hsds::entities()) {
      const auto n = store::count(*db, e);
      total += n;
      if (n == 0) continue;
      if (!summary.empty()) summary += ", ";
      summary += fmt::format("{} {}", format_thousands(n), e.name);
    }
    tx.commit();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print("exported {} records from {} to {} ({}) in {:.1f} s{}{}\n", format_thousands(total),
               store::redact(options.db), dir.string(), options.format, secs, summary.empty() ? "" : ": ", summary);
  } catch (const WriteError& e) {
    fmt::print(stderr, "bespoke export hsds: {}\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace bespoke::app
