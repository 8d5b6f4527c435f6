#include "store/town_stats.h"

#include "core/ids.h"
#include "demo/vocabulary.h"

#include <array>
#include <unordered_map>
#include <vector>

namespace bespoke::store {

TownStats read_town_stats(Connection& db) {
  TownStats s;
  Transaction tx(db, TxMode::read);
  const auto place = db.query("SELECT name, scale, seed FROM place ORDER BY id LIMIT 1");
  if (place.empty()) {
    tx.commit();
    return s;
  }
  s.has_town = true;
  s.place_name = place[0].text(0);
  s.scale = place[0].text(1);
  s.seed = static_cast<std::uint64_t>(place[0].integer(2));

  auto count = [&](std::string_view sql) -> std::int64_t {
    const auto v = db.scalar(sql);
    return v ? Row(std::vector<Value>{*v}).integer(0) : 0;
  };

  // Residents per neighbourhood come from the index on resident(neighbourhood_id)
  // (a covering scan), then meet the deciles here: cheaper than a join over residents.
  std::unordered_map<std::int64_t, int> decile;
  for (const auto& r : db.query("SELECT id, deprivation_decile FROM neighbourhood")) {
    const int d = static_cast<int>(r.integer(1));
    decile.emplace(r.integer(0), d);
    if (d >= 1 && d <= 10) ++s.by_decile[static_cast<std::size_t>(d - 1)].neighbourhoods;
  }
  s.neighbourhoods = static_cast<std::int64_t>(decile.size());
  for (const auto& r : db.query("SELECT neighbourhood_id, COUNT(*) FROM resident GROUP BY neighbourhood_id")) {
    const std::int64_t n = r.integer(1);
    s.residents += n;
    const auto it = decile.find(r.integer(0));
    if (it != decile.end() && it->second >= 1 && it->second <= 10)
      s.by_decile[static_cast<std::size_t>(it->second - 1)].residents += n;
  }
  for (int d = 0; d < 10; ++d) s.by_decile[static_cast<std::size_t>(d)].decile = d + 1;

  s.households = count("SELECT COUNT(*) FROM household");
  s.services = count("SELECT COUNT(*) FROM service");
  s.volunteers = count("SELECT COUNT(*) FROM volunteer");

  // Organisations, and by provider kind and ownership from their attributes
  // (docs/directory.md): an organisation of no known kind counts only in the
  // total. These terms are attached only to organisations (as provider_kind and
  // organisation_feature), so counting their attributes needs only the index on
  // attribute(taxonomy_term_id): at nation scale, checking link_type too would
  // visit a row per organisation scattered over millions of attributes.
  s.organisations = count("SELECT COUNT(*) FROM organization");
  std::vector<Value> kind_terms;
  for (const auto& k : demo::kProviderKinds)
    kind_terms.emplace_back(core::taxonomy_term_uuid(demo::kProviderKindTaxonomy, k.code));
  static_assert(demo::kProviderKindCount == 7, "one parameter per provider kind");
  std::unordered_map<std::string, std::int64_t> kinds;
  for (const auto& r : db.query("SELECT taxonomy_term_id, COUNT(*) FROM attribute"
                                " WHERE taxonomy_term_id IN ($1, $2, $3, $4, $5, $6, $7) GROUP BY taxonomy_term_id",
                                kind_terms))
    kinds[r.text(0)] = r.integer(1);
  for (std::size_t i = 0; i < demo::kProviderKinds.size(); ++i) {
    const auto it = kinds.find(std::get<std::string>(kind_terms[i]));
    s.organisations_by_kind.emplace_back(std::string(demo::kProviderKinds[i].code), it == kinds.end() ? 0 : it->second);
  }
  const std::array<Value, 1> locally_owned{
      Value{core::taxonomy_term_uuid(demo::kOrganisationTaxonomy, "locally_owned")}};
  const auto owned = db.query("SELECT COUNT(*) FROM attribute WHERE taxonomy_term_id = $1", locally_owned);
  s.locally_owned_organisations = owned.empty() ? 0 : owned[0].integer(0);
  tx.commit();
  return s;
}

}  // namespace bespoke::store
