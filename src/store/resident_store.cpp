#include "store/resident_store.h"

#include <array>

namespace bespoke::store {
namespace {

std::vector<CodedLabel> coded(Connection& db, std::string_view sql, std::int64_t resident_id) {
  const std::array<Value, 1> p{resident_id};
  std::vector<CodedLabel> out;
  for (const auto& row : db.query(sql, p)) out.push_back({row.text(0), row.text(1)});
  return out;
}

}  // namespace

std::optional<core::LatLon> resident_home(Connection& db, std::int64_t resident_id) {
  const std::array<Value, 1> p{resident_id};
  const auto rows = db.query(
      "SELECT h.latitude, h.longitude FROM resident r JOIN household h ON h.id = r.household_id WHERE r.id = $1", p);
  if (rows.empty()) return std::nullopt;
  return core::LatLon{rows.front().real(0), rows.front().real(1)};
}

std::optional<ResidentRecord> read_resident(Connection& db, std::int64_t resident_id) {
  const std::array<Value, 1> p{resident_id};
  const auto rows = db.query(
      "SELECT r.id, r.public_id, r.given_name, r.family_name, r.birth_date, r.sex, r.main_language, "
      "r.speaks_english, r.faith, n.name FROM resident r JOIN neighbourhood n ON n.id = r.neighbourhood_id "
      "WHERE r.id = $1",
      p);
  if (rows.empty()) return std::nullopt;
  const auto& r = rows.front();
  ResidentRecord rec;
  rec.id = r.integer(0);
  rec.public_id = r.text(1);
  rec.given_name = r.text(2);
  rec.family_name = r.text(3);
  rec.birth_date = r.text(4);
  rec.sex = r.text(5);
  rec.main_language = r.text(6);
  rec.speaks_english = r.integer(7) != 0;
  rec.faith = r.text(8);
  rec.neighbourhood = r.text(9);
  rec.needs = coded(db,
                    "SELECT n.code, n.label FROM resident_need rn JOIN need n ON n.code = rn.need_code "
                    "WHERE rn.resident_id = $1 ORDER BY n.label",
                    resident_id);
  rec.circumstances = coded(db,
                            "SELECT c.code, c.label FROM resident_circumstance rc JOIN circumstance c "
                            "ON c.code = rc.circumstance_code WHERE rc.resident_id = $1 ORDER BY c.label",
                            resident_id);
  return rec;
}

std::optional<std::int64_t> resident_id_of(Connection& db, std::string_view public_id) {
  const std::array<Value, 1> p{std::string(public_id)};
  const auto v = db.scalar("SELECT id FROM resident WHERE public_id = $1", p);
  if (!v || !std::holds_alternative<std::int64_t>(*v)) return std::nullopt;
  return std::get<std::int64_t>(*v);
}

std::vector<ResidentName> residents_visible_to(Connection& db, std::int64_t account_id, std::string_view email,
                                               const std::vector<std::string>& organisations,
                                               std::string_view now_iso) {
  std::vector<ResidentName> out;
  const auto add = [&](const Row& row) {
    for (const auto& seen : out)
      if (seen.id == row.integer(0)) return;
    out.push_back({row.integer(0), row.text(1), row.text(2), row.text(3)});
  };
  const std::array<Value, 1> me{account_id};
  for (const auto& row : db.query(
           "SELECT r.id, r.public_id, r.given_name || ' ' || r.family_name, c.basis FROM caseload c "
           "JOIN resident r ON r.id = c.resident_id WHERE c.coordinator_account_id = $1 ORDER BY r.family_name, r.id",
           me))
    add(row);
  const std::array<Value, 2> delegate{account_id, std::string(now_iso)};
  for (const auto& row : db.query(
           "SELECT r.id, r.public_id, r.given_name || ' ' || r.family_name, 'You act for them' FROM delegation d "
           "JOIN resident r ON r.id = d.resident_id "
           "WHERE d.delegate_account_id = $1 AND d.withdrawn_at IS NULL AND (d.until IS NULL OR d.until > $2) "
           "AND ' ' || d.scope || ' ' LIKE '% needs %' "
           "ORDER BY r.family_name, r.id",
           delegate))
    add(row);
  std::vector<Value> p{std::string(email), std::string(now_iso)};
  std::string orgs;
  if (!organisations.empty()) {
    std::string list;
    for (const auto& o : organisations) {
      p.emplace_back(o);
      list += (list.empty() ? "$" : ", $") + std::to_string(p.size());
    }
    orgs = " OR (c.grantee_kind = 'organisation' AND c.grantee IN (" + list + "))";
  }
  for (const auto& row : db.query(
           "SELECT r.id, r.public_id, r.given_name || ' ' || r.family_name, c.purpose FROM consent c "
           "JOIN account a ON a.id = c.resident_account_id JOIN resident r ON r.id = a.resident_id "
           "WHERE c.part = 'needs' AND c.withdrawn_at IS NULL AND (c.until IS NULL OR c.until > $2) "
           "AND ((c.grantee_kind = 'person' AND c.grantee = $1)" + orgs + ") ORDER BY r.family_name, r.id",
           p))
    add(row);
  return out;
}

}  // namespace bespoke::store
