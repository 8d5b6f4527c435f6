#pragma once
// What the in-memory directory search index is built from: the taxonomies and
// one ServiceEntry per service, read from the HSDS tables following the
// conventions of docs/directory.md ("Our additions, in HSDS terms").
//
// Built for start-up at nation scale (500k services, millions of attribute and
// schedule rows): each table is read once in a whole-table scan, never one
// query per service, and joined in memory. The scans stream rows
// (Connection::for_each_row) in storage order, with no ORDER BY: the result
// does not depend on the order rows are read in, though reading child rows in
// the order of their parents' rows (as the demo generator writes them) is fastest.
// The whole-directory load reads on the calling thread and builds the entries
// on a second one; the connection is used from the calling thread only.
// Run it inside a read Transaction for a consistent snapshot.
#include "directory/entry.h"
#include "directory/taxonomy.h"
#include "store/database.h"
#include "store/hsds_store.h"

#include <span>
#include <string>
#include <vector>

namespace bespoke::store {

// Every taxonomy and term. Terms are added parents first whatever their order
// in the database; a term whose parent is missing, not a UUID, or part of a
// cycle is added as a top-level term (the cycle is cut at the term whose parent
// closes it, walking up from the smallest id). A term's taxonomy is its
// taxonomy_id, else the taxonomy whose name equals its `taxonomy` text, else a
// placeholder taxonomy with the nil id and an empty name. Records whose ids are
// not UUIDs are left out.
[[nodiscard]] directory::Taxonomy load_taxonomy(Connection& c);

// One entry per service (ordered by id; services whose id is not a UUID are
// left out, and of ids that differ only in letter case one counts), mapped as
// follows:
//   active              status == "active"
//   terms               the service's attributes of any link_type but
//                       "eligibility" (need, service_type, ...), plus the
//                       "accessibility" attributes of the locations it is at
//   eligible_circumstances  the service's "eligibility" attributes
//   minimum/maximum_age clamped to 0..130; minimum rounded up, maximum down
//   provider_kind, community_led, locally_owned
//                       the organization's "provider_kind" and
//                       "organisation_feature" attributes, by term code
//                       (of several provider_kind attributes, the one with
//                       the greatest attribute id wins)
//   languages           language rows' codes (primary subtag, lower case, 2-3 letters)
//   cost                free if any cost_option amount is 0, paid if all
//                       amounts are > 0, unknown if no option has an amount
//   lowest_cost_pence   the lowest cost_option amount >= 0 (pounds) in pence,
//                       rounded to the nearest penny (nullopt when none)
//   weekly              schedule rows with freq WEEKLY: byday "MO,TU,..."
//                       (or dtstart's weekday when byday is absent) and
//                       opens_at/closes_at "HH:MM[:SS]"; rows without both
//                       times are skipped; closing at or before opening runs
//                       past midnight into the next day
//   dated               rows with valid_from (valid_to defaults to it) and no
//                       freq: closed without opens_at, else those hours
//   capacity_*          sums over service_capacity rows (nullopt when none)
//   sites               service_at_location -> location with both latitude
//                       and longitude
// Schedules count when they are the service's (service_id) or, without a
// service_id, one of its service_at_locations'. Attributes whose term is not
// in `taxonomy` are ignored; an attribute without link_entity belongs to the
// service, organization or location with its link_id.
[[nodiscard]] std::vector<directory::ServiceEntry> load_service_entries(Connection& c,
                                                                        const directory::Taxonomy& taxonomy);

// The same for these services only (batched queries), for applying changes:
// ids not found (deleted services) have no entry.
[[nodiscard]] std::vector<directory::ServiceEntry> load_service_entries(Connection& c,
                                                                        const directory::Taxonomy& taxonomy,
                                                                        std::span<const std::string> service_ids);

struct AffectedServices {
  // A "*", taxonomy or taxonomy_term change: rebuild the taxonomy and every entry.
  bool full_rebuild = false;
  // Otherwise the services whose entries may differ (sorted, each once); an id
  // no longer in the database means the service was deleted.
  std::vector<std::string> service_ids;
};

// Maps changes to the services whose entries they touch: service -> itself;
// organization -> its services; location -> the services at it;
// service_at_location, schedule, language, cost_option, service_capacity ->
// the owning service (a schedule through its service_at_location when it has
// no service_id); attribute -> the service, organization or location it is on,
// as above. Entities a ServiceEntry does not read (phone, address, ...) map to
// nothing. A deleted child row can no longer be traced to its service: whoever
// deletes one records the service as changed too.
[[nodiscard]] AffectedServices services_affected(Connection& c, std::span<const Change> changes);

}  // namespace bespoke::store
