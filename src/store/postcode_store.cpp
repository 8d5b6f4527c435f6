#include "store/postcode_store.h"

#include "places/postcode.h"
#include "store/bulk_insert.h"

#include <string_view>
#include <unordered_map>

namespace bespoke::store {

void upsert_postcodes(Connection& c, std::span<const places::PostcodeRecord> postcodes) {
  if (postcodes.empty()) return;
  BulkInserter ins(c, "postcode",
                   {"postcode", "latitude", "longitude", "area_code", "neighbourhood_id", "deprivation_decile"}, 0,
                   "ON CONFLICT (postcode) DO UPDATE SET latitude = excluded.latitude, longitude = excluded.longitude,"
                   " area_code = excluded.area_code, neighbourhood_id = excluded.neighbourhood_id,"
                   " deprivation_decile = excluded.deprivation_decile");
  // One statement may not touch a row twice (PostgreSQL): the last of a repeated postcode wins.
  std::unordered_map<std::string_view, std::size_t> last;
  for (std::size_t i = 0; i < postcodes.size(); ++i) last[postcodes[i].postcode] = i;
  for (std::size_t i = 0; i < postcodes.size(); ++i) {
    const auto& p = postcodes[i];
    if (last[p.postcode] != i) continue;
    ins.add({Value{p.postcode}, Value{p.latitude}, Value{p.longitude},
             p.area_code ? Value{*p.area_code} : Value{},
             p.neighbourhood_id ? Value{*p.neighbourhood_id} : Value{},
             p.deprivation_decile ? Value{static_cast<std::int64_t>(*p.deprivation_decile)} : Value{}});
  }
  ins.flush();
}

std::optional<PostcodeLocation> find_postcode(Connection& c, std::string_view postcode) {
  const auto normal = places::normalise_postcode(postcode);
  if (!normal) return std::nullopt;
  const Value params[] = {*normal};
  const auto rows = c.query(
      "SELECT postcode, latitude, longitude, area_code, neighbourhood_id, deprivation_decile FROM postcode"
      " WHERE postcode = $1",
      params);
  if (rows.empty()) return std::nullopt;
  const auto& r = rows.front();
  PostcodeLocation out;
  out.postcode = r.text(0);
  out.latitude = r.real(1);
  out.longitude = r.real(2);
  out.area_code = r.optional_text(3);
  if (!r.is_null(4)) out.neighbourhood_id = r.integer(4);
  if (!r.is_null(5)) out.deprivation_decile = static_cast<int>(r.integer(5));
  return out;
}

std::int64_t count_postcodes(Connection& c) {
  const auto rows = c.query("SELECT COUNT(*) FROM postcode");
  return rows.empty() ? 0 : rows.front().integer(0);
}

}  // namespace bespoke::store
