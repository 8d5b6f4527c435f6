#pragma once
// A resident's record as the town holds it (0001_town.sql): who they are and
// their needs and circumstances, which are special-category data. Reading it
// is audited by the caller (web/records.h), never here.
#include "core/geo.h"
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::store {

struct CodedLabel {
  std::string code;
  std::string label;
};

struct ResidentRecord {
  std::int64_t id = 0;
  std::string public_id;
  std::string given_name;
  std::string family_name;
  std::string birth_date;
  std::string sex;
  std::string main_language;
  bool speaks_english = false;
  std::string faith;
  std::string neighbourhood;
  std::vector<CodedLabel> needs;
  std::vector<CodedLabel> circumstances;
};

[[nodiscard]] std::optional<ResidentRecord> read_resident(Connection& db, std::int64_t resident_id);
// Where the resident lives (their household's point), for planning.
[[nodiscard]] std::optional<core::LatLon> resident_home(Connection& db, std::int64_t resident_id);
[[nodiscard]] std::optional<std::int64_t> resident_id_of(Connection& db, std::string_view public_id);

// For lists: id, public id and name, without the special-category parts.
struct ResidentName {
  std::int64_t id = 0;
  std::string public_id;
  std::string name;
  std::string why;  // why the reader may see it: the caseload basis, the delegation or the consent's purpose
};
// The residents whose needs a reader may open (the part /people/{id} shows):
// those on the coordinator's caseload, and those whose live delegation to the
// account or live consent naming its email or one of its organisations covers
// part "needs".
[[nodiscard]] std::vector<ResidentName> residents_visible_to(Connection& db, std::int64_t account_id,
                                                             std::string_view email,
                                                             const std::vector<std::string>& organisations,
                                                             std::string_view now_iso);

}  // namespace bespoke::store
