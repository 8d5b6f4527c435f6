#include "store/hsds_store.h"

#include "core/time.h"
#include "store/bulk_insert.h"
#include "store/driver_support.h"
#include "store/in_list.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace bespoke::store {
namespace {

using detail::quoted_identifier;

// Ids per `IN (...)` list. Lists are padded to a power of two (repeating the
// last id) so that only a handful of statement texts are ever prepared.

std::string select_list(const hsds::Entity& e) {
  std::string out;
  for (const auto& f : e.fields) {
    if (!out.empty()) out += ", ";
    out += quoted_identifier(f.name);
  }
  return out;
}

std::string select_sql(const hsds::Entity& e) {
  return "SELECT " + select_list(e) + " FROM " + quoted_identifier(e.name);
}

Value to_store_value(const hsds::Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* d = std::get_if<double>(&v)) return *d;
  return std::monostate{};
}

std::string number_text(double d) {
  if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 1e15) return std::to_string(static_cast<std::int64_t>(d));
  return std::to_string(d);
}

// A column's value as the model holds it: numbers for number fields, text
// otherwise, whatever the driver's storage class.
hsds::Value from_store_value(const hsds::Field& f, const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return std::monostate{};
  if (f.type == hsds::FieldType::number) {
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
    return std::get<std::string>(v);  // not a number: kept as written
  }
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  return number_text(std::get<double>(v));
}

hsds::Record record_from_row(const hsds::Entity& e, const Row& row) {
  hsds::Record r(e);
  for (std::size_t i = 0; i < e.fields.size(); ++i) r.values[i] = from_store_value(e.fields[i], row.value(i));
  return r;
}

// Rows of `e` whose `column` is one of `keys` (in_list.h).
std::vector<hsds::Record> select_in(Connection& c, const hsds::Entity& e, std::string_view column,
                                    const std::vector<std::string>& keys) {
  std::vector<hsds::Record> out;
  detail::for_each_in_list(c, select_sql(e) + " WHERE " + quoted_identifier(column) + " IN (", keys,
                           [&](const Row& row) { out.push_back(record_from_row(e, row)); });
  return out;
}

// "ON CONFLICT (id) DO UPDATE SET a = excluded.a, ..." over every non-id column.
std::string upsert_suffix(const hsds::Entity& e) {
  std::string s = "ON CONFLICT (" + quoted_identifier("id") + ") DO UPDATE SET ";
  bool first = true;
  for (const auto& f : e.fields) {
    if (f.name == "id") continue;
    if (!first) s += ", ";
    first = false;
    const auto q = quoted_identifier(f.name);
    s += q + " = excluded." + q;
  }
  if (first) s = "ON CONFLICT (" + quoted_identifier("id") + ") DO NOTHING";
  return s;
}

}  // namespace

void upsert_records(Connection& c, const hsds::RecordSet& records) { upsert_records(c, records, {}); }

void upsert_records(Connection& c, const hsds::RecordSet& records,
                    const std::function<void(std::size_t done, std::size_t total)>& progress) {
  std::size_t done = 0;
  for (const auto& e : hsds::entities()) {
    const auto rows = records.all(e);
    if (rows.empty()) continue;
    std::vector<std::string> columns;
    columns.reserve(e.fields.size());
    for (const auto& f : e.fields) columns.emplace_back(f.name);
    // BulkInserter splices plain identifiers (every HSDS name is one and none is
    // a reserved word on either database); the suffix quotes them.
    BulkInserter ins(c, std::string(e.name), std::move(columns), 0, upsert_suffix(e));
    std::vector<Value> row(e.fields.size());
    for (const auto* r : rows) {
      for (std::size_t i = 0; i < e.fields.size(); ++i) row[i] = to_store_value(r->values[i]);
      const auto before = ins.buffered_rows();
      ins.add(row);
      ++done;
      if (progress && ins.buffered_rows() < before + 1) progress(done, records.size());  // a statement ran
    }
    ins.flush();
    if (progress) progress(done, records.size());
  }
}

bool exists(Connection& c, const hsds::Entity& e, std::string_view id) {
  const Value params[] = {std::string(id)};
  return c.scalar("SELECT 1 FROM " + quoted_identifier(e.name) + " WHERE " + quoted_identifier("id") + " = $1", params)
      .has_value();
}

std::int64_t count(Connection& c, const hsds::Entity& e) {
  const auto rows = c.query("SELECT COUNT(*) FROM " + quoted_identifier(e.name));
  return rows.empty() ? 0 : rows.front().integer(0);
}

hsds::RecordSet load_tree(Connection& c, const hsds::Entity& root, std::span<const std::string> ids) {
  hsds::RecordSet out;
  // Records to fetch by id: the roots, then the targets of references.
  std::map<const hsds::Entity*, std::set<std::string>> wanted;
  wanted[&root].insert(ids.begin(), ids.end());
  // Records added in the last round, whose children are not loaded yet.
  std::map<const hsds::Entity*, std::vector<std::string>> fresh;

  const auto add_fresh = [&](hsds::Record r) {
    const auto* e = r.entity;
    if (r.id().empty() || out.contains(*e, r.id())) return;
    std::string id = r.id();
    out.add(std::move(r));
    fresh[e].push_back(std::move(id));
  };

  const auto& attribute = hsds::entity("attribute");
  const auto& metadata = hsds::entity("metadata");
  while (!wanted.empty() || !fresh.empty()) {
    for (const auto& [e, id_set] : wanted) {
      std::vector<std::string> missing;
      for (const auto& id : id_set)
        if (!id.empty() && !out.contains(*e, id)) missing.push_back(id);
      for (auto& r : select_in(c, *e, "id", missing)) add_fresh(std::move(r));
    }
    wanted.clear();
    if (fresh.empty()) break;

    auto parents = std::move(fresh);
    fresh.clear();
    // Attributes and metadata of every record of this round: one query each.
    std::set<std::pair<std::string_view, std::string>> attribute_parents;  // (entity, id)
    std::set<std::pair<std::string_view, std::string>> metadata_parents;
    for (const auto& [e, parent_ids] : parents) {
      for (const auto& child : e->children) {
        if (!child.in_hsds) continue;  // ORUK's taxonomy.taxonomy_terms would load whole taxonomies
        const auto& ce = hsds::entity(child.entity);
        switch (child.kind) {
          case hsds::ChildKind::owned:
            for (auto& r : select_in(c, ce, child.link, parent_ids)) add_fresh(std::move(r));
            break;
          case hsds::ChildKind::reference:
            for (const auto& id : parent_ids) {
              const auto* r = out.find(*e, id);
              const auto target = r ? r->text(child.link) : std::nullopt;
              if (target && !target->empty() && !out.contains(ce, *target)) wanted[&ce].emplace(*target);
            }
            break;
          case hsds::ChildKind::attribute:
            for (const auto& id : parent_ids) attribute_parents.emplace(e->name, id);
            break;
          case hsds::ChildKind::metadata:
            for (const auto& id : parent_ids) metadata_parents.emplace(e->name, id);
            break;
        }
      }
    }
    // An attribute belongs to (link_entity, link_id); one without link_entity
    // belongs to whichever loaded record has that id.
    const auto load_linked = [&](const hsds::Entity& le, std::string_view id_field, std::string_view entity_field,
                                 const std::set<std::pair<std::string_view, std::string>>& owners) {
      if (owners.empty()) return;
      std::set<std::string> keys;
      for (const auto& [entity_name, id] : owners) keys.insert(id);
      for (auto& r : select_in(c, le, id_field, {keys.begin(), keys.end()})) {
        const auto owner_entity = r.text(entity_field);
        if (owner_entity && !owner_entity->empty() &&
            !owners.contains({*owner_entity, std::string(r.text(id_field).value_or(""))}))
          continue;
        add_fresh(std::move(r));
      }
    };
    load_linked(attribute, "link_id", "link_entity", attribute_parents);
    load_linked(metadata, "resource_id", "resource_type", metadata_parents);
  }
  return out;
}

void for_each_batch(Connection& c, const hsds::Entity& e, std::size_t batch,
                    const std::function<void(const hsds::RecordSet&)>& callback) {
  if (batch == 0) batch = 1000;
  const auto id = quoted_identifier("id");
  const std::string first_sql = select_sql(e) + " ORDER BY " + id + " LIMIT $1";
  const std::string next_sql = select_sql(e) + " WHERE " + id + " > $1 ORDER BY " + id + " LIMIT $2";
  const auto id_index = e.field_index("id").value_or(0);
  std::optional<std::string> last;
  hsds::RecordSet set;
  for (;;) {
    std::vector<Row> rows;
    if (last) {
      const Value params[] = {*last, static_cast<std::int64_t>(batch)};
      rows = c.query(next_sql, params);
    } else {
      const Value params[] = {static_cast<std::int64_t>(batch)};
      rows = c.query(first_sql, params);
    }
    if (rows.empty()) return;
    set.clear();
    for (const auto& row : rows) set.add(record_from_row(e, row));
    last = rows.back().text(id_index);
    callback(set);
    if (rows.size() < batch) return;
  }
}

void record_change(Connection& c, std::string_view entity, std::string_view id, std::string_view changed_at) {
  c.lock_until_transaction_end(kDirectoryChangeLock);
  const std::string at = changed_at.empty() ? core::to_iso8601(core::SystemTime{}.now()) : std::string(changed_at);
  const Value params[] = {std::string(entity), entity == "*" ? std::string("*") : std::string(id), at};
  c.execute("INSERT INTO directory_change (entity, record_id, changed_at) VALUES ($1, $2, $3)", params);
}

std::int64_t latest_change(Connection& c) {
  const auto v = c.scalar("SELECT MAX(seq) FROM directory_change");
  if (!v || std::holds_alternative<std::monostate>(*v)) return 0;
  return Row({*v}).integer(0);
}

std::vector<Change> changes_since(Connection& c, std::int64_t seq, std::size_t limit) {
  const Value params[] = {seq, static_cast<std::int64_t>(limit)};
  std::vector<Change> out;
  for (const auto& r : c.query("SELECT seq, entity, record_id, changed_at FROM directory_change WHERE seq > $1"
                               " ORDER BY seq LIMIT $2",
                               params))
    out.push_back(Change{r.integer(0), r.text(1), r.text(2), r.text(3)});
  return out;
}

}  // namespace bespoke::store
