#!/usr/bin/env python3
"""Writes Bespoke's HSDS table model from the standard's JSON schemas.

Reads shared/reference/hsds/hsds-3.1/schema/*.json (HSDS 3.1) and
oruk-3.0/schema/*.json (the UK profile) and writes:
  src/hsds/model_generated.cpp          the entity descriptors (fields, children)
  src/store/migrations/0003_hsds_directory.sql  the tables (without our extras,
                                        which are appended by hand below the marker)
Run it again only when moving to a new HSDS release; the output is checked in.
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
REF = ROOT.parent / "shared" / "reference" / "hsds"
HSDS = REF / "hsds-3.1" / "schema"
ORUK = REF / "oruk-3.0" / "schema"

# Entities in dependency order (parents first), with their tabular file names.
ENTITIES = [
    ("taxonomy", "taxonomies"), ("taxonomy_term", "taxonomy_terms"), ("organization", "organizations"),
    ("organization_identifier", "organization_identifiers"), ("program", "programs"), ("unit", "units"),
    ("location", "locations"), ("service", "services"), ("service_at_location", "service_at_location"),
    ("address", "addresses"), ("accessibility", "accessibility"), ("contact", "contacts"), ("phone", "phones"),
    ("language", "languages"), ("schedule", "schedules"), ("service_area", "service_areas"),
    ("cost_option", "cost_options"), ("funding", "funding"), ("required_document", "required_documents"),
    ("service_capacity", "service_capacity"), ("url", "url"), ("attribute", "attributes"),
    ("metadata", "metadata"), ("meta_table_description", "meta_table_descriptions"),
]
NAMES = {e for e, _ in ENTITIES}
# Reference (not ownership) objects: parent field -> (child entity, the parent's FK field).
REFERENCES = {
    ("service", "organization"): "organization_id",
    ("service", "program"): "program_id",
    ("service_at_location", "location"): "location_id",
    ("attribute", "taxonomy_term"): "taxonomy_term_id",
    ("taxonomy_term", "taxonomy_detail"): "taxonomy_id",
    ("service_capacity", "unit"): "unit_id",
}
# Nested objects of the API's responses that no table schema names: an
# organization's services (ORUK organization_full, the `full_service` parameter)
# and a service_at_location's service (HSDS 3.1 compiled service_at_location_list).
# (parent, property) -> (child entity, link field, kind, many).
API_CHILDREN = {
    ("organization", "services"): ("service", "organization_id", "owned", True),
    ("service_at_location", "service"): ("service", "service_id", "reference", False),
}
# Foreign keys that are not "<entity>_id".
FK_TARGET = {"parent_organization_id": "organization", "parent_id": "taxonomy_term", "unit_id": "unit",
             "phone_id": "phone", "contact_id": "contact", "program_id": "program"}


# Column names that are keywords in SQLite or PostgreSQL: always written quoted.
QUOTED = {"interval", "count", "option", "type", "value", "language", "until", "name"}


def load(folder, name):
    path = folder / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {"properties": {}, "required": []}


def ref_name(ref):
    return ref.rsplit("/", 1)[-1].removesuffix(".json")


def field_type(spec):
    t = spec.get("type")
    fmt = spec.get("format", "")
    if t == "number" or t == "integer":
        return "number"
    if not fmt:
        # Dates and times carry no JSON Schema format, only the tabular package's type.
        fmt = {"date": "date", "time": "time"}.get(spec.get("datapackage_type", ""), "")
    return {"uuid": "uuid", "email": "email", "uri": "uri", "date-time": "date_time", "date": "date",
            "time": "time"}.get(fmt, "string")


def describe(name):
    h, o = load(HSDS, name), load(ORUK, name)
    fields, children = [], []
    props = dict(h["properties"])
    for k, v in o["properties"].items():
        props.setdefault(k, v)
    for key, spec in props.items():
        in_h, in_o = key in h["properties"], key in o["properties"]
        if spec.get("type") == "array" or "$ref" in spec:
            target = ref_name(spec["items"]["$ref"] if spec.get("type") == "array" else spec["$ref"])
            if target not in NAMES:
                sys.exit(f"{name}.{key}: unknown entity {target}")
            many = spec.get("type") == "array"
            if (name, key) in REFERENCES:
                kind, link = "reference", REFERENCES[(name, key)]
            elif target == "attribute":
                kind, link = "attribute", "link_id"
            elif target == "metadata":
                kind, link = "metadata", "resource_id"
            else:
                kind, link = "owned", f"{name}_id"
            children.append((key, target, link, kind, many, in_h, in_o))
            continue
        enum = spec.get("enum") or []
        if not enum and spec.get("items", {}).get("enum"):
            enum = spec["items"]["enum"]
        target = FK_TARGET.get(key) or (key[:-3] if key.endswith("_id") and key[:-3] in NAMES else "")
        if key in ("link_id", "resource_id"):
            target = ""
        required = key in set(h.get("required", [])) | set(o.get("required", []))
        fields.append((key, field_type(spec), required, target, enum, in_h, in_o))
    for (parent, key), (target, link, kind, many) in API_CHILDREN.items():
        if parent == name and all(c[0] != key for c in children):
            # In neither schema: read, and written only with every field (Profile::all);
            # the store's loaders, which follow in_hsds children, leave them alone.
            children.append((key, target, link, kind, many, False, False))
    return fields, children


def cpp_string_list(items):
    return "{" + ", ".join(f'"{i}"' for i in items) + "}"


def main():
    described = {name: describe(name) for name, _ in ENTITIES}
    out = ["// Generated by scripts/generate_hsds_model.py from the HSDS 3.1 and ORUK 3.0 JSON schemas.",
           "// Do not edit by hand: change the script and run it again.",
           '#include "hsds/model.h"', "", "namespace bespoke::hsds {", "namespace {", ""]
    for name, _ in ENTITIES:
        fields, children = described[name]
        for key, _, _, _, enum, _, _ in fields:
            if enum:
                out.append(f"constexpr std::string_view {name}_{key}_values[] = {cpp_string_list(enum)};")
        out.append(f"constexpr Field {name}_fields[] = {{")
        for key, ftype, required, target, enum, in_h, in_o in fields:
            values = f"{name}_{key}_values" if enum else "{}"
            out.append(f'    {{"{key}", FieldType::{ftype}, {str(required).lower()}, "{target}", {values}, '
                       f'{str(in_h).lower()}, {str(in_o).lower()}}},')
        out.append("};")
        if children:
            out.append(f"constexpr Child {name}_children[] = {{")
            for key, target, link, kind, many, in_h, in_o in children:
                out.append(f'    {{"{key}", "{target}", "{link}", ChildKind::{kind}, {str(many).lower()}, '
                           f'{str(in_h).lower()}, {str(in_o).lower()}}},')
            out.append("};")
        out.append("")
    out.append("}  // namespace")
    out.append("")
    out.append("const std::span<const Entity> entities() noexcept {")
    out.append("  static constexpr Entity all[] = {")
    for name, csv in ENTITIES:
        children = f"{name}_children" if described[name][1] else "std::span<const Child>{}"
        out.append(f'      {{"{name}", "{csv}", {name}_fields, {children}}},')
    out.append("  };")
    out.append("  return all;")
    out.append("}")
    out.append("")
    out.append("}  // namespace bespoke::hsds")
    (ROOT / "src" / "hsds" / "model_generated.cpp").write_text("\n".join(out) + "\n")

    sql = ["-- The directory as HSDS 3.1 tables, one per entity of the tabular package,",
           "-- column for column (generated by scripts/generate_hsds_model.py; our own",
           "-- tables follow the marker at the end). Ids are the records' UUID text.",
           "-- Foreign keys are DEFERRABLE INITIALLY DEFERRED so that an import may",
           "-- insert records in any order and is checked as a whole at commit.",
           "-- Attributes and metadata point at any record (link_id / resource_id).",
           "-- The demo's first directory tables (0001) are replaced: their rows are the",
           "-- generator's, which writes these tables now.",
           "DROP TABLE eligibility_circumstance;", "DROP TABLE eligibility;", "DROP TABLE service_need;",
           "DROP TABLE schedule;", "DROP TABLE cost_option;", "DROP TABLE service_capacity;",
           "DROP TABLE language;", "DROP TABLE service_at_location;", "DROP TABLE service;",
           "DROP TABLE location;", "DROP TABLE organization;", ""]
    for name, _ in ENTITIES:
        fields, _ = described[name]
        cols, indexes = [], []
        for key, ftype, required, target, enum, in_h, _ in fields:
            if key == "id":
                cols.append("  id TEXT PRIMARY KEY")
                continue
            sqltype = "DOUBLE PRECISION" if ftype == "number" else "TEXT"
            column = f'"{key}"' if key in QUOTED else key
            col = f"  {column} {sqltype}"
            if required:
                col += " NOT NULL"
            if enum:
                col += f" CHECK ({column} IN ({', '.join(repr(v) for v in enum)}))"
            if target:
                cascade = " ON DELETE CASCADE" if key not in ("parent_organization_id", "parent_id", "program_id",
                                                               "unit_id", "taxonomy_id", "taxonomy_term_id",
                                                               "organization_id") or name in (
                    "organization_identifier", "program", "funding", "contact", "phone", "url") else ""
                col += f" REFERENCES {target} (id){cascade} DEFERRABLE INITIALLY DEFERRED"
                indexes.append(key)
            if key in ("link_id", "resource_id"):
                indexes.append(key)
            cols.append(col)
        sql.append(f"CREATE TABLE {name} (")
        sql.append(",\n".join(cols))
        sql.append(");")
        for col in indexes:
            sql.append(f"CREATE INDEX {name}_{col} ON {name} ({col});")
        sql.append("")
    sql.append("-- ---- Bespoke's own tables (hand-written below this line) ----")
    path = ROOT / "src" / "store" / "migrations" / "0003_hsds_directory.sql"
    extra = ""
    if path.exists():
        text = path.read_text()
        marker = sql[-1]
        if marker in text:
            extra = text.split(marker, 1)[1]
    path.write_text("\n".join(sql) + extra)


if __name__ == "__main__":
    main()
