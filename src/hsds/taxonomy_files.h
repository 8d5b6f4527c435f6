#pragma once
// Published taxonomies loaded as HSDS taxonomy + taxonomy_term records, with
// ids derived from the taxonomy's name and each term's code
// (core::taxonomy_uuid, core::taxonomy_term_uuid), so that every loader of
// ("openEligibility", "1102") arrives at the same id.
#include "hsds/issue.h"
#include "hsds/record_set.h"

#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::hsds {

struct TaxonomyRead {
  RecordSet records;          // one taxonomy and its terms
  std::vector<Issue> issues;  // what was wrong with the input (records may still be partial)
};

// Open Eligibility's taxonomy.xml (auntbertha/openeligibility): the terms of
// both trees, services and situations. code = the XML id, name = the title,
// description = the <descriptions> text where there is one, else the title;
// parent_id from the nesting. The taxonomy is named "openEligibility".
[[nodiscard]] TaxonomyRead read_open_eligibility(std::string_view xml);

inline constexpr std::string_view open_eligibility_name = "openEligibility";

struct TaxonomySpec {
  std::string name;         // the CURIE prefix, e.g. "esdNeed"; also the ids' namespace
  std::string description;  // "" = the name
  std::string uri;          // e.g. "http://id.esd.org.uk/list/needs"
  std::string version;
};

// A term list as CSV with a header of code, name[, description][, parent_code]
// [, term_uri], in any order, matched case-insensitively; the esd download's
// "Identifier", "Label", "Description", "Parent" are accepted for the first
// four. Parent codes must be codes of the same file. A term without a
// description gets its name. Issue paths are "file:line[:column]".
[[nodiscard]] TaxonomyRead read_term_list_csv(std::istream& in, const TaxonomySpec& spec,
                                              std::string_view file_name = "terms.csv");

}  // namespace bespoke::hsds
