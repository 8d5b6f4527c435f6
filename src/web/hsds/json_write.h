#pragma once
// Writing HSDS records as JSON: one record (with its nested records, as the
// API's "full" responses have them) and a whole RecordSet as a set of files
// that json_read reads back into the same set.
#include "hsds/record_set.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <utility>
#include <vector>

namespace bespoke::hsds {

enum class Profile {
  all,     // every field and child the model knows (HSDS 3.1 and ORUK names)
  hsds31,  // only HSDS 3.1's (in_hsds)
  oruk,    // only the ORUK 3.0 profile's (in_oruk)
};

enum class Depth {
  direct,  // the record's own fields
  full,    // plus owned children, attributes (with their taxonomy terms),
           // metadata and reference objects, never expanding an entity that is
           // already on the path from the top record
};

struct WriteOptions {
  Profile profile = Profile::all;
  Depth depth = Depth::full;
};

// Absent fields and empty strings are omitted (never null, never "").
[[nodiscard]] boost::json::object to_json(const Record& record, const RecordSet& set, const WriteOptions& options = {});

// A value as JSON: text as a string; a number that is integral and fits in an
// int64 as an integer, any other as a double; absent as null.
[[nodiscard]] boost::json::value to_json(const Value& value);

// The same number as text, as it is written in JSON ("12", "51.5").
[[nodiscard]] std::string number_text(double number);

// The whole set as JSON files: taxonomies.json and taxonomy_terms.json (direct
// fields), organizations.json (nested, without their services),
// services.json (fully nested, the shape of the API's /services/{id}), then,
// for every entity, <csv_name>.json with the records none of those contain
// (direct fields). Files with no records are left out. Reading every file
// back with read_json and entity_for_file gives an equal RecordSet.
[[nodiscard]] std::vector<std::pair<std::string, boost::json::array>> export_json(const RecordSet& set);

}  // namespace bespoke::hsds
