#pragma once
// Reference data compiled into the demo (cmake/Embed.cmake), so that a demo
// place carries the published taxonomies its records use.
#include <string_view>

namespace bespoke::demo {

// data/reference/hsds/openeligibility/taxonomy.xml (auntbertha/openeligibility),
// the taxonomy of kServiceTypes' codes; hsds::read_open_eligibility reads it.
[[nodiscard]] std::string_view open_eligibility_xml();

}  // namespace bespoke::demo
