#include "store/reach_store.h"

#include "careplan/plan.h"
#include "plans/plans.h"
#include "store/plan_store.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <initializer_list>
#include <map>
#include <utility>

namespace bespoke::store {
namespace {

// Each resident's latest assessment (as latest_assessment picks it).
constexpr std::string_view kLatestAssessment =
    "la AS (SELECT c.id, c.resident_id, c.assessed_at FROM care_assessment c "
    "WHERE NOT EXISTS (SELECT 1 FROM care_assessment d WHERE d.resident_id = c.resident_id "
    "AND (d.assessed_at > c.assessed_at OR (d.assessed_at = c.assessed_at AND d.id > c.id))))";

// Each resident's latest plan version, whether it was agreed and whether it has
// gaps. Written as an anti-join (no later version), which PostgreSQL estimates
// well; "= (SELECT MAX ...)" it estimated at 2 rows and joined 50,000 residents
// to it by nested loop (seconds instead of a quarter of one).
constexpr std::string_view kLatestPlan =
    "lp AS (SELECT v.id, v.resident_id, v.version, v.kind, v.created_at, "
    "CASE WHEN EXISTS (SELECT 1 FROM plan_decision d WHERE d.plan_version_id = v.id AND d.kind = 'agreed') "
    "THEN 1 ELSE 0 END AS agreed, "
    "CASE WHEN EXISTS (SELECT 1 FROM plan_gap g WHERE g.plan_version_id = v.id) THEN 1 ELSE 0 END AS gaps "
    "FROM plan_version v "
    "WHERE NOT EXISTS (SELECT 1 FROM plan_version w WHERE w.resident_id = v.resident_id AND w.version > v.version))";

std::string with(std::initializer_list<std::string_view> parts, std::string_view select) {
  std::string sql = "WITH ";
  bool first = true;
  for (const auto part : parts) {
    if (!first) sql += ", ";
    sql += part;
    first = false;
  }
  sql += ' ';
  sql += select;
  return sql;
}

constexpr std::size_t kDeciles = 10;

// The residents with a started plan whose review is overdue, by neighbourhood id.
std::map<std::int64_t, std::int64_t> overdue_by_neighbourhood(Connection& db, core::Timestamp now) {
  const auto today = core::to_uk_local(now).day;
  std::vector<std::pair<std::int64_t, std::int64_t>> started;  // resident, neighbourhood
  for (const auto& r : db.query(
           "SELECT r.id, r.neighbourhood_id FROM resident r WHERE EXISTS (SELECT 1 FROM plan_decision d "
           "JOIN plan_version v ON v.id = d.plan_version_id WHERE v.resident_id = r.id) ORDER BY r.id"))
    started.emplace_back(r.integer(0), r.integer(1));
  std::map<std::int64_t, std::int64_t> out;
  for (const auto& [resident, neighbourhood] : started) {
    const auto state = review_state(db, resident);
    if (!state.started) continue;
    if (careplan::overdue(careplan::next_review(*state.started, state.last_held, state.requested_on), today))
      ++out[neighbourhood];
  }
  return out;
}

void add_shares(std::vector<ReachRow>& rows) {
  std::int64_t total = 0;
  for (const auto& r : rows) total += r.residents;
  for (auto& r : rows)
    r.population_share = total > 0 ? static_cast<double>(r.residents) / static_cast<double>(total) : 0.0;
}

}  // namespace

std::vector<DefaultCandidate> residents_needing_default_plans(Connection& db, std::string_view assessed_before_iso) {
  const std::array<Value, 1> p{std::string(assessed_before_iso)};
  std::vector<DefaultCandidate> out;
  for (const auto& r : db.query(
           with({kLatestAssessment, kLatestPlan},
                "SELECT la.resident_id, COALESCE(lp.version, 0), la.assessed_at FROM la "
                "LEFT JOIN lp ON lp.resident_id = la.resident_id "
                "WHERE la.assessed_at < $1 "
                "AND EXISTS (SELECT 1 FROM resident_need rn WHERE rn.resident_id = la.resident_id) "
                "AND NOT EXISTS (SELECT 1 FROM plan_decision ad JOIN plan_version av ON av.id = ad.plan_version_id "
                "WHERE av.resident_id = la.resident_id AND ad.kind = 'agreed') "
                "AND NOT EXISTS (SELECT 1 FROM plan_version dp WHERE dp.resident_id = la.resident_id "
                "AND dp.kind = 'default_plan' AND dp.created_at >= la.assessed_at) "
                "ORDER BY la.resident_id"),
           p))
    out.push_back({r.integer(0), r.integer(1), r.text(2)});
  return out;
}

std::vector<OutreachEntry> outreach_list(Connection& db, std::int64_t coordinator_account_id, core::Timestamp now) {
  const std::array<Value, 1> p{coordinator_account_id};
  const auto today = std::chrono::floor<std::chrono::days>(now);
  std::vector<OutreachEntry> out;
  for (const auto& r : db.query(
           with({kLatestAssessment, kLatestPlan},
                "SELECT r.id, r.public_id, r.given_name || ' ' || r.family_name, n.name, n.deprivation_decile, "
                "(SELECT COUNT(*) FROM care_assessment_outcome o WHERE o.assessment_id = la.id) + "
                "(SELECT COUNT(*) FROM care_assessment_need an WHERE an.assessment_id = la.id), "
                "la.assessed_at, CASE WHEN lp.kind = 'default_plan' THEN 1 ELSE 0 END, c.basis "
                "FROM caseload c JOIN resident r ON r.id = c.resident_id "
                "JOIN neighbourhood n ON n.id = r.neighbourhood_id "
                "JOIN la ON la.resident_id = r.id LEFT JOIN lp ON lp.resident_id = r.id "
                "WHERE c.coordinator_account_id = $1 AND NOT EXISTS (SELECT 1 FROM plan_decision ad JOIN plan_version av "
                "ON av.id = ad.plan_version_id WHERE av.resident_id = r.id AND ad.kind = 'agreed') "
                "ORDER BY n.deprivation_decile, 6 DESC, r.family_name, r.given_name, r.id"),
           p)) {
    OutreachEntry e;
    e.resident_id = r.integer(0);
    e.public_id = r.text(1);
    e.name = r.text(2);
    e.neighbourhood = r.text(3);
    e.decile = static_cast<int>(r.integer(4));
    e.dependency = r.integer(5);
    if (const auto at = core::parse_iso8601(r.text(6)))
      e.days_since_assessed = std::max<std::int64_t>(0, (today - std::chrono::floor<std::chrono::days>(*at)).count());
    e.default_proposed = r.integer(7) == 1;
    e.basis = r.text(8);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<ReachRow> reach_by_neighbourhood(Connection& db, core::Timestamp now) {
  std::vector<ReachRow> rows;
  std::vector<std::int64_t> ids;
  for (const auto& r : db.query(with(
           {kLatestPlan,
            "per AS (SELECT r.neighbourhood_id AS nid, "
            "CASE WHEN EXISTS (SELECT 1 FROM resident_need rn WHERE rn.resident_id = r.id) THEN 1 ELSE 0 END AS needs, "
            "COALESCE(lp.agreed, 0) AS agreed, "
            "CASE WHEN lp.kind = 'default_plan' AND lp.agreed = 0 THEN 1 ELSE 0 END AS default_plan, "
            "COALESCE(lp.gaps, 0) AS gaps "
            "FROM resident r LEFT JOIN lp ON lp.resident_id = r.id)"},
           "SELECT n.id, n.name, n.code, n.deprivation_decile, COUNT(per.nid), SUM(per.needs), SUM(per.agreed), "
           "SUM(per.default_plan), SUM(per.gaps) "
           "FROM neighbourhood n LEFT JOIN per ON per.nid = n.id "
           "GROUP BY n.id, n.name, n.code, n.deprivation_decile ORDER BY n.deprivation_decile, n.name, n.id"))) {
    ReachRow row;
    ids.push_back(r.integer(0));
    row.neighbourhood = r.text(1);
    row.neighbourhood_code = r.text(2);
    row.decile = static_cast<int>(r.integer(3));
    row.residents = r.integer(4);
    row.with_needs = r.integer(5);
    row.agreed_plans = r.integer(6);
    row.default_plans = r.integer(7);
    row.unmet_needs = r.integer(8);
    rows.push_back(std::move(row));
  }
  const auto overdue = overdue_by_neighbourhood(db, now);
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (const auto it = overdue.find(ids[i]); it != overdue.end()) rows[i].overdue_reviews = it->second;
  add_shares(rows);
  return rows;
}

std::vector<ReachRow> deciles_of(const std::vector<ReachRow>& neighbourhoods) {
  std::vector<ReachRow> out(kDeciles);
  for (std::size_t i = 0; i < kDeciles; ++i) out[i].decile = static_cast<int>(i + 1);
  for (const auto& n : neighbourhoods) {
    if (n.decile < 1 || n.decile > static_cast<int>(kDeciles)) continue;  // the schema's CHECK forbids it
    auto& d = out[static_cast<std::size_t>(n.decile - 1)];
    d.residents += n.residents;
    d.with_needs += n.with_needs;
    d.agreed_plans += n.agreed_plans;
    d.default_plans += n.default_plans;
    d.unmet_needs += n.unmet_needs;
    d.overdue_reviews += n.overdue_reviews;
  }
  add_shares(out);
  return out;
}

std::vector<ReachRow> reach_by_decile(Connection& db, core::Timestamp now) {
  return deciles_of(reach_by_neighbourhood(db, now));
}

std::vector<GapCount> gaps_in_provision(Connection& db) {
  const std::array<Value, 1> p{std::string(plans::gap_text(plans::GapReason::no_provider))};
  std::vector<GapCount> out;
  for (const auto& r : db.query(
           "SELECT g.need_code, MIN(g.need_label), COUNT(DISTINCT v.resident_id) FROM plan_gap g "
           "JOIN plan_version v ON v.id = g.plan_version_id "
           "WHERE g.reason = $1 "
           "AND NOT EXISTS (SELECT 1 FROM plan_version w WHERE w.resident_id = v.resident_id AND w.version > v.version) "
           "GROUP BY g.need_code ORDER BY 3 DESC, 1",
           p))
    out.push_back({r.text(0), r.text(1), r.integer(2)});
  return out;
}

}  // namespace bespoke::store
