#pragma once
// The organisation page, GET /organisations/{id}: who they are (kind,
// community-led, locally owned, registration ids, website) and their services.
#include "hsds/record_set.h"
#include "store/directory_lists.h"

#include <kainjow/mustache.hpp>

#include <span>

namespace bespoke::web {

[[nodiscard]] kainjow::mustache::data organisation_view(const hsds::RecordSet& set, const hsds::Record& organization,
                                                        std::span<const store::ServiceSummary> services);

}  // namespace bespoke::web
