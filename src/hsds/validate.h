#pragma once
// Checking HSDS records against the standard's rules: required fields present
// and non-empty, formats (uuid, email, uri, date, time, date-time), enums,
// coordinate ranges, non-negative ages and amounts, minimum_age <= maximum_age,
// and references that resolve in the set or, through the caller's callback,
// elsewhere (the database). Every issue's path is the record's source plus the
// field ("service_list.json/contents/3/email", "services.csv:4:email").
#include "hsds/issue.h"
#include "hsds/record_set.h"

#include <functional>
#include <string_view>
#include <vector>

namespace bespoke::hsds {

// Whether a record of `entity` with `id` exists outside the set being checked.
using ExistsFn = std::function<bool(const Entity& entity, std::string_view id)>;

// The format rules, one value at a time (exposed for tests and forms).
[[nodiscard]] bool is_email(std::string_view text) noexcept;
[[nodiscard]] bool is_absolute_uri(std::string_view text) noexcept;
[[nodiscard]] bool is_date(std::string_view text) noexcept;       // YYYY-MM-DD, a real calendar day
[[nodiscard]] bool is_time(std::string_view text) noexcept;       // HH:MM[:SS[.fff]][Z|±HH:MM]
[[nodiscard]] bool is_date_time(std::string_view text) noexcept;  // RFC 3339

// The path naming one field of a record in an issue.
[[nodiscard]] std::string field_path(const Record& record, std::string_view field);

// One record's issues.
[[nodiscard]] std::vector<Issue> validate_record(const Record& record, const RecordSet& set,
                                                 const ExistsFn& exists = {});

// Every record's issues, entity by entity (in model order), then by id.
[[nodiscard]] std::vector<Issue> validate(const RecordSet& set, const ExistsFn& exists = {});

struct Validation {
  std::vector<Issue> issues;  // why each dropped record was dropped
  std::size_t dropped = 0;    // records removed from the set
};

// Skip-invalid mode: removes every invalid record and every record that
// depends on a removed one through an owned link (a service's phones, an
// organization's services, a record's attributes and metadata), then checks
// again (references to removed records now fail) until what remains is valid.
// A dependent's issue says which record took it down.
[[nodiscard]] Validation drop_invalid(RecordSet& set, const ExistsFn& exists = {});

}  // namespace bespoke::hsds
