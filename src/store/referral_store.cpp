#include "store/referral_store.h"

#include "core/ids.h"
#include "store/accounts_store.h"
#include "store/audit_store.h"
#include "store/hsds_store.h"

#include <array>

namespace bespoke::store {
namespace {

void audit_referral(Connection& db, std::int64_t resident_id, const Actor& actor, std::string action,
                    const std::string& referral_id, std::string purpose, core::Timestamp now) {
  insert_audit_event(db, event_about(db, resident_id, actor, std::move(action), "plan", "referral " + referral_id,
                                     std::move(purpose)),
                     now);
}

constexpr const char* kReferralColumns =
    "r.public_id, r.resident_id, CASE WHEN r.status = 'withdrawn' THEN '' ELSE p.given_name || ' ' || p.family_name "
    "END, r.service_id, r.service_name, r.organization_id, r.need_label, CASE WHEN r.status = 'withdrawn' THEN '' "
    "ELSE r.note END, r.created_at, r.status, r.decline_reason, r.taken_up FROM referral r "
    "JOIN resident p ON p.id = r.resident_id ";

ReferralRecord referral_of(const Row& r) {
  return {r.text(0), r.integer(1), r.text(2), r.text(3), r.text(4),         r.text(5),
          r.text(6), r.text(7),    r.text(8), r.text(9), r.text(10),        r.optional_text(11)};
}

// The referral's resident and internal id, when the organisation has it in `status`.
struct Found {
  std::int64_t resident_id = 0;
  std::int64_t id = 0;
};
std::optional<Found> referral_resident(Connection& db, std::string_view organization_id, std::string_view referral_id,
                                       std::string_view status) {
  const std::array<Value, 3> p{std::string(organization_id), std::string(referral_id), std::string(status)};
  const auto rows = db.query(
      "SELECT resident_id, id FROM referral WHERE organization_id = $1 AND public_id = $2 AND status = $3", p);
  if (rows.empty()) return std::nullopt;
  return Found{rows.front().integer(0), rows.front().integer(1)};
}

}  // namespace

namespace {

ReferralOutcome insert_referral(Connection& db, const NewReferral& referral, const Actor& actor, core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  const std::array<Value, 1> service{referral.service_id};
  const auto found = db.query("SELECT organization_id FROM service WHERE id = $1 AND status = 'active'", service);
  if (found.empty() || found.front().is_null(0)) return ReferralOutcome::no_such_service;
  const auto organization_id = found.front().text(0);
  // Published spare places: none left means no more referrals, so a small group is not swamped.
  // Referrals already waiting or accepted take places too.
  const auto places = db.query(
      "SELECT SUM(available) - (SELECT COUNT(*) FROM referral WHERE service_id = $1 AND status IN ('sent', 'accepted')) "
      "FROM service_capacity WHERE service_id = $1 HAVING COUNT(*) > 0",
      service);
  if (!places.empty() && !places.front().is_null(0) && places.front().real(0) < 1)
    return ReferralOutcome::no_spare_places;
  const std::array<Value, 2> live{referral.resident_id, referral.service_id};
  if (db.scalar("SELECT 1 FROM referral WHERE resident_id = $1 AND service_id = $2 "
                "AND status IN ('sent', 'accepted')",
                live))
    return ReferralOutcome::already_referred;
  const auto id = core::random_uuid();
  const std::array<Value, 12> p{id,
                                referral.resident_id,
                                referral.service_id,
                                organization_id,
                                referral.service_name,
                                referral.need_code,
                                referral.need_label,
                                referral.note,
                                actor.account_id,
                                actor.role,
                                std::int64_t{referral.person_present ? 1 : 0},
                                core::to_iso8601(now)};
  const auto internal = db.query(
                              "INSERT INTO referral (public_id, resident_id, service_id, organization_id, service_name, "
                              "need_code, need_label, note, consent_by_account_id, consent_role, person_present, "
                              "created_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'sent') "
                              "RETURNING id",
                              p)
                            .front()
                            .integer(0);
  audit_referral(db, referral.resident_id, actor, "refer", std::to_string(internal),
                 "shared with " + referral.service_name + "'s organisation, with consent", now);
  tx.commit();
  return ReferralOutcome::made;
}

}  // namespace

ReferralOutcome make_referral(Connection& db, const NewReferral& referral, const Actor& actor, core::Timestamp now) {
  try {
    return insert_referral(db, referral, actor, now);
  } catch (const Failure& failure) {
    // Two asks at the same moment: the unique index on live referrals lets one in.
    if (failure.kind() == FailureKind::constraint) return ReferralOutcome::already_referred;
    throw;
  }
}

std::vector<ReferralRecord> referrals_of(Connection& db, std::int64_t resident_id) {
  const std::array<Value, 1> p{resident_id};
  std::vector<ReferralRecord> out;
  for (const auto& r :
       db.query(std::string("SELECT ") + kReferralColumns + "WHERE r.resident_id = $1 ORDER BY r.created_at DESC, r.id DESC", p))
    out.push_back(referral_of(r));
  return out;
}

std::vector<ReferralRecord> referrals_to(Connection& db, std::string_view organization_id) {
  const std::array<Value, 1> p{std::string(organization_id)};
  std::vector<ReferralRecord> out;
  for (const auto& r : db.query(std::string("SELECT ") + kReferralColumns +
                                    "WHERE r.organization_id = $1 ORDER BY CASE r.status WHEN 'sent' THEN 0 "
                                    "WHEN 'accepted' THEN 1 ELSE 2 END, r.created_at DESC, r.id DESC",
                                p))
    out.push_back(referral_of(r));
  return out;
}

bool withdraw_referral(Connection& db, std::int64_t resident_id, std::string_view referral_id, const Actor& actor,
                       core::Timestamp now) {
  const std::array<Value, 3> p{core::to_iso8601(now), resident_id, std::string(referral_id)};
  Transaction tx(db, TxMode::write);
  const auto withdrawn = db.query(
      "UPDATE referral SET status = 'withdrawn', decided_at = $1 WHERE resident_id = $2 AND public_id = $3 "
      "AND status IN ('sent', 'accepted') RETURNING id",
      p);
  if (withdrawn.empty()) return false;
  audit_referral(db, resident_id, actor, "withdraw_referral", std::to_string(withdrawn.front().integer(0)),
                 "consent withdrawn", now);
  tx.commit();
  return true;
}

bool answer_referral(Connection& db, std::string_view organization_id, std::string_view referral_id,
                     ProviderAnswer answer, std::string_view reason, const Actor& actor, core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  const auto resident = referral_resident(db, organization_id, referral_id, "sent");
  if (!resident) return false;
  const std::string status = answer == ProviderAnswer::accept ? "accepted" : "declined";
  const std::array<Value, 6> p{status,
                               actor.account_id,
                               core::to_iso8601(now),
                               std::string(reason),
                               std::string(referral_id),
                               std::string(organization_id)};
  // Still sent at the moment of writing: a withdrawal in between wins.
  if (db.execute("UPDATE referral SET status = $1, decided_by_account_id = $2, decided_at = $3, decline_reason = $4 "
                 "WHERE public_id = $5 AND organization_id = $6 AND status = 'sent'",
                 p) == 0)
    return false;
  audit_referral(db, resident->resident_id, actor,
                 answer == ProviderAnswer::accept ? "accept_referral" : "decline_referral", std::to_string(resident->id), "the referral you agreed to", now);
  tx.commit();
  return true;
}

bool record_take_up(Connection& db, std::string_view organization_id, std::string_view referral_id, bool started,
                    const Actor& actor, core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  const auto resident = referral_resident(db, organization_id, referral_id, "accepted");
  if (!resident) return false;
  const std::array<Value, 4> p{std::string(started ? "started" : "did_not_start"), core::to_iso8601(now),
                               std::string(referral_id), std::string(organization_id)};
  if (db.execute("UPDATE referral SET taken_up = $1, taken_up_at = $2 WHERE public_id = $3 AND organization_id = $4 "
                 "AND status = 'accepted' AND taken_up IS NULL",
                 p) == 0)
    return false;
  audit_referral(db, resident->resident_id, actor, "record_take_up", std::to_string(resident->id),
                 "the referral you agreed to", now);
  tx.commit();
  return true;
}

std::vector<ServiceCapacity> capacity_of(Connection& db, std::string_view organization_id) {
  const std::array<Value, 1> p{std::string(organization_id)};
  std::vector<ServiceCapacity> out;
  for (const auto& r : db.query(
           "SELECT s.id, s.name, (SELECT SUM(available) FROM service_capacity c WHERE c.service_id = s.id), "
           "(SELECT SUM(maximum) FROM service_capacity c WHERE c.service_id = s.id), "
           "(SELECT COUNT(*) FROM referral f WHERE f.service_id = s.id AND f.status IN ('sent', 'accepted')) "
           "FROM service s WHERE s.organization_id = $1 AND s.status = 'active' ORDER BY s.name, s.id",
           p)) {
    ServiceCapacity c;
    c.service_id = r.text(0);
    c.service_name = r.text(1);
    if (!r.is_null(2)) c.available = static_cast<std::int64_t>(r.real(2));
    if (!r.is_null(3)) c.maximum = static_cast<std::int64_t>(r.real(3));
    c.live_referrals = r.integer(4);
    out.push_back(std::move(c));
  }
  return out;
}

bool publish_capacity(Connection& db, std::string_view organization_id, std::string_view service_id,
                      std::int64_t available, std::int64_t maximum, core::Timestamp now) {
  const auto at = core::to_iso8601(now);
  Transaction tx(db, TxMode::write);
  const std::array<Value, 2> owner{std::string(service_id), std::string(organization_id)};
  if (!db.scalar("SELECT 1 FROM service WHERE id = $1 AND organization_id = $2", owner)) return false;
  // One published figure per service: it replaces what was there.
  const std::array<Value, 1> service{std::string(service_id)};
  const auto unit = db.query("SELECT unit_id FROM service_capacity WHERE service_id = $1 LIMIT 1", service);
  db.execute("DELETE FROM service_capacity WHERE service_id = $1", service);
  const std::array<Value, 6> p{core::random_uuid(),
                               std::string(service_id),
                               unit.empty() ? Value{} : unit.front().value(0),
                               static_cast<double>(available),
                               static_cast<double>(maximum),
                               at};
  db.execute("INSERT INTO service_capacity (id, service_id, unit_id, available, maximum, description, updated) "
             "VALUES ($1, $2, $3, $4, $5, 'published by the provider', $6)",
             p);
  record_change(db, "service", service_id, at);
  tx.commit();
  return true;
}

}  // namespace bespoke::store
