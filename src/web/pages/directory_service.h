#pragma once
// The service page, GET /services/{id}: everything the directory holds about
// one service (its HSDS records, loaded with store::load_tree), laid out as
// GOV.UK summary lists and a table of opening times.
#include "hsds/record_set.h"

#include <kainjow/mustache.hpp>

#include <cstdint>

namespace bespoke::web {

// `today` is the local date (days since 1970-01-01): opening-time exceptions
// that have ended are left out.
[[nodiscard]] kainjow::mustache::data service_view(const hsds::RecordSet& set, const hsds::Record& service,
                                                   std::int32_t today);

}  // namespace bespoke::web
