#pragma once
// Reading HSDS JSON (API responses, the standard's examples, our export) into
// a RecordSet. Nested objects are flattened into records of their own:
// - an owned child (service.phones[]) gets its link field (phone.service_id)
//   set to the parent's id; a child that carries a different value keeps it,
//   with a warning;
// - a reference object (service.organization, service_at_location.location,
//   attribute.taxonomy_term, taxonomy_term.taxonomy_detail, service_capacity.unit,
//   service.program, service_at_location.service) becomes its own record and
//   sets the parent's link field (service.organization_id) from its id;
// - attributes get link_id + link_entity, metadata resource_id + resource_type
//   (again, values of their own that differ are kept, with a warning).
// Values: JSON numbers are doubles, strings are text; null, and "" for an
// optional field, mean absent (a required field left absent is for
// hsds::validate to report).
// Every problem is an Issue whose path is the source plus a JSON pointer
// ("service_list.json/contents/3/phones/0/number"); each record keeps the
// pointer it was read from in Record::source. Errors are what cannot be read
// or stored as given (not JSON, a value of the wrong JSON type, a record
// without an id, a property HSDS does not have); warnings are what is stored
// as given but contradicts where it is nested, and a value that replaces
// another read before for the same record (RecordSet::add merges them, the
// later values winning).
#include "hsds/issue.h"
#include "hsds/record_set.h"

#include <boost/json/value.hpp>

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace bespoke::hsds {

// The entity of the records a file holds, from its name (any folder is
// ignored): service_full.json, service_list.json, services.json, organization.json,
// organization_full.json, taxonomy_term_list.json, location.json, and our
// export's names (<Entity::csv_name>.json, e.g. phones.json). nullopt for files
// that hold no records (api_details.json, base.json, tabular.json,
// datapackage.json) and for names that match no entity.
[[nodiscard]] std::optional<std::reference_wrapper<const Entity>> entity_for_file(std::string_view filename);

// True for the API's root document (api_details.json, base.json), which a
// reader skips rather than reports.
[[nodiscard]] bool is_api_details_file(std::string_view filename);

// Reads one document, which may be a record, an array of records, or an HSDS
// Page ({total_items, ..., contents: [...]}), of `entity` into `into` (merging
// with what is there). `source` starts every issue path and record source.
// Records without an id are reported and skipped.
[[nodiscard]] std::vector<Issue> read_json(std::string_view text, const Entity& entity, std::string_view source,
                                           RecordSet& into);
[[nodiscard]] std::vector<Issue> read_json_value(const boost::json::value& document, const Entity& entity,
                                                 std::string_view source, RecordSet& into);

// "~" and "/" escaped as a JSON pointer token needs them.
[[nodiscard]] std::string json_pointer_token(std::string_view key);

}  // namespace bespoke::hsds
