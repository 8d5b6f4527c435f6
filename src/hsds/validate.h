#pragma once
// Checking HSDS records against the standard's rules: required fields present
// and non-empty, formats (uuid, email, uri, date, time, date-time), enums,
// coordinate ranges, non-negative ages and amounts, minimum_age <= maximum_age,
// and references that resolve in the set or, through the caller's callback,
// elsewhere (the database). Every issue's path is the record's source plus the
// field ("service_list.json/contents/3/email", "services.csv:4:email").
//
// Each issue is an error or a warning (docs/directory.md, "Import: errors and
// warnings"). Errors: what the standard's JSON schemas reject and leaves the
// value unusable as what it claims to be (a required field missing, a value
// outside an enum, a malformed email, URI, date, time or date-time), and what
// the database cannot hold (a number where text belongs). Warnings: what the
// schemas ask for but the record works without (an id that is not a UUID, an
// organization_identifier's identifier_type where its identifier_scheme
// stands in), and our own plausibility checks, which the schemas do not make
// (coordinates on Earth, ages and amounts not negative, references that
// resolve, link_entity naming an entity).
#include "hsds/issue.h"
#include "hsds/record_set.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::hsds {

// Whether a record of `entity` with `id` exists outside the set being checked.
using ExistsFn = std::function<bool(const Entity& entity, std::string_view id)>;

// The format rules, one value at a time (exposed for tests and forms).
[[nodiscard]] bool is_absolute_uri(std::string_view text) noexcept;
[[nodiscard]] bool is_date(std::string_view text) noexcept;       // YYYY-MM-DD, a real calendar day
[[nodiscard]] bool is_time(std::string_view text) noexcept;       // HH:MM[:SS[.fff]][Z|±HH:MM]
[[nodiscard]] bool is_date_time(std::string_view text) noexcept;  // RFC 3339

// The path naming one field of a record in an issue.
[[nodiscard]] std::string field_path(const Record& record, std::string_view field);

// One record's issues, errors and warnings.
[[nodiscard]] std::vector<Issue> validate_record(const Record& record, const RecordSet& set,
                                                 const ExistsFn& exists = {});

// Every record's issues, entity by entity (in model order), then by id.
[[nodiscard]] std::vector<Issue> validate(const RecordSet& set, const ExistsFn& exists = {});

struct Validation {
  // Why each dropped record was dropped (errors), then the warnings about the
  // records that remain.
  std::vector<Issue> issues;
  std::size_t dropped = 0;  // records removed from the set
};

// Skip-invalid mode: removes every record with an error and every record that
// depends on a removed one through an owned link (a service's phones, an
// organization's services, a record's attributes and metadata), then checks
// again until no record has an error. A dependent's issue says which record
// took it down. References to removed records are warnings, like any reference
// that resolves nowhere: the records that make them stay.
[[nodiscard]] Validation drop_invalid(RecordSet& set, const ExistsFn& exists = {});

}  // namespace bespoke::hsds
