#pragma once
// Reading the HSDS records the service and organisation pages show: small
// helpers over a hsds::RecordSet loaded by store::load_tree, and the facts
// about an organisation both pages show (who runs a service).
#include "hsds/record_set.h"

#include <kainjow/mustache.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace bespoke::web {

// A field's text ("" when absent); a number field is written without a
// trailing ".0".
[[nodiscard]] std::string field_text(const hsds::Record& record, std::string_view field);

// The records of `child_entity` whose `link` is `parent.id()`.
[[nodiscard]] std::vector<const hsds::Record*> children_of(const hsds::RecordSet& set, const hsds::Record& parent,
                                                           std::string_view child_entity, std::string_view link);

// The taxonomy terms attached to `record` by attributes of this link_type
// (docs/directory.md), in the order of their names.
[[nodiscard]] std::vector<const hsds::Record*> attached_terms(const hsds::RecordSet& set, const hsds::Record& record,
                                                              std::string_view link_type);

// The terms' names as a mustache list of {name}.
[[nodiscard]] kainjow::mustache::data term_names(const std::vector<const hsds::Record*>& terms);

// An organisation's id, name, kind ("Charity"), community_led, locally_owned.
[[nodiscard]] kainjow::mustache::data organisation_facts(const hsds::RecordSet& set, const hsds::Record& organization);

}  // namespace bespoke::web
