#include "store/personal_data.h"

#include "accounts/tokens.h"
#include "core/ids.h"
#include "store/audit_store.h"

#include <algorithm>
#include <array>

namespace bespoke::store {
namespace {

// What identifies the person in a table's rows.
enum class Key { account_id, resident_id, email, throttle_name };

// What erasure does with the rows.
enum class OnErase {
  remove,        // DELETE them
  pseudonymise,  // run erase_sql: keep the row, without what identifies
  keep,          // keep as they are: they hold only pseudonymous ids (the audit log)
};

struct Holding {
  std::string_view table;
  std::string_view description;
  Key key;
  std::string_view columns;  // exported; never password or token hashes
  std::string_view where;    // with $1 = the key
  OnErase on_erase;
  std::string_view erase_sql = {};  // pseudonymise: $1 = the key, $2 = now
};

// In erasure order: rows that point at others first.
constexpr std::array kHoldings{
    Holding{"resident_need", "Your needs, as recorded", Key::resident_id, "need_code", "resident_id = $1",
            OnErase::remove},
    Holding{"resident_circumstance", "Your circumstances, as recorded", Key::resident_id, "circumstance_code",
            "resident_id = $1", OnErase::remove},
    Holding{"volunteer_skill", "Your skills as a volunteer", Key::resident_id, "skill",
            "volunteer_id IN (SELECT id FROM volunteer WHERE resident_id = $1)", OnErase::remove},
    Holding{"volunteer_check", "Your checks as a volunteer", Key::resident_id, "check_type",
            "volunteer_id IN (SELECT id FROM volunteer WHERE resident_id = $1)", OnErase::remove},
    Holding{"volunteer_availability", "When you can volunteer", Key::resident_id, "byday, starts_at, ends_at",
            "volunteer_id IN (SELECT id FROM volunteer WHERE resident_id = $1)", OnErase::remove},
    Holding{"volunteer", "You as a volunteer", Key::resident_id, "public_id, hours_per_month, max_travel_m",
            "resident_id = $1", OnErase::remove},
    Holding{"caseload", "Care coordinators who have you on their caseload, and why", Key::resident_id,
            "coordinator_account_id, since, basis", "resident_id = $1", OnErase::remove},
    Holding{"referral", "Referrals from your plan to services, and what they said", Key::resident_id,
            "public_id, service_name, need_label, note, created_at, status, decided_at, decline_reason, taken_up",
            "resident_id = $1", OnErase::remove},
    Holding{"plan_review", "Reviews of your plan, asked for and held", Key::resident_id, "kind, on_day, notes, at",
            "resident_id = $1", OnErase::remove},
    Holding{"plan_line", "The support in your plans", Key::resident_id,
            "plan_version_id, position, need_code, eligible, source, ref, title, provider, when_text, "
            "weekly_cost_pence, fallback_title, explanation",
            "plan_version_id IN (SELECT id FROM plan_version WHERE resident_id = $1)", OnErase::remove},
    Holding{"plan_gap", "Needs your plans leave uncovered", Key::resident_id,
            "plan_version_id, position, need_code, eligible, reason",
            "plan_version_id IN (SELECT id FROM plan_version WHERE resident_id = $1)", OnErase::remove},
    Holding{"plan_participant", "Who took part in making your plans", Key::resident_id,
            "plan_version_id, position, name, role",
            "plan_version_id IN (SELECT id FROM plan_version WHERE resident_id = $1)", OnErase::remove},
    Holding{"plan_decision", "Who agreed and signed off your plans", Key::resident_id,
            "plan_version_id, kind, role, person_present, at",
            "plan_version_id IN (SELECT id FROM plan_version WHERE resident_id = $1)", OnErase::remove},
    Holding{"plan_version", "Your care and support plans, every version", Key::resident_id,
            "id, version, kind, created_at, created_by_role, budget_weekly_pence, person_contribution_pence, "
            "budget_management, direct_payment_pence, direct_payment_needs, advice_meeting, advice_preventing, "
            "advocate_present, advocate_name",
            "resident_id = $1", OnErase::remove},
    Holding{"care_assessment_outcome", "The outcomes your assessment found you cannot achieve", Key::resident_id,
            "assessment_id, outcome, tests, why",
            "assessment_id IN (SELECT id FROM care_assessment WHERE resident_id = $1)", OnErase::remove},
    Holding{"care_assessment_need", "The needs your assessment found eligible", Key::resident_id,
            "assessment_id, need_code",
            "assessment_id IN (SELECT id FROM care_assessment WHERE resident_id = $1)", OnErase::remove},
    Holding{"care_assessment", "Your Care Act assessments and their decisions", Key::resident_id,
            "id, assessed_at, from_impairment, impairment_notes, significant_impact, wellbeing_notes, fluctuating, "
            "fluctuating_notes, eligible, reasons",
            "resident_id = $1", OnErase::remove},
    Holding{"personal_budget", "Your personal budget", Key::resident_id,
            "weekly_pence, person_contribution_pence, management, direct_payment_pence, set_at", "resident_id = $1",
            OnErase::remove},
    Holding{"informal_helper", "Family, friends and neighbours who help you", Key::resident_id,
            "public_id, name, relationship, helps_with, times, contact, created_at", "resident_id = $1",
            OnErase::remove},
    Holding{"person_goal", "Your goals", Key::resident_id, "public_id, hope, how_we_know, need_code, achieved, created_at",
            "resident_id = $1", OnErase::remove},
    Holding{"person_profile", "About you and what matters to you", Key::resident_id,
            "please_call_me, communication, important_people, good_day, adjustments, about_me_at, languages, faith, "
            "carer_gender, times, travel, travel_minutes, interests, communication_needs, ruled_out_kinds, food, "
            "pets, anything_else, what_matters_at",
            "resident_id = $1", OnErase::remove},
    Holding{"resident", "Your record", Key::resident_id,
            "public_id, given_name, family_name, birth_date, sex, main_language, speaks_english, faith", "id = $1",
            OnErase::remove},
    Holding{"account_role", "Your roles", Key::account_id, "role, organization_id, granted_at", "account_id = $1",
            OnErase::remove},
    Holding{"user_session", "Where you are signed in", Key::account_id,
            "created_at, last_seen_at, client_address, user_agent", "account_id = $1", OnErase::remove},
    Holding{"api_token", "Your personal API tokens (not the tokens themselves)", Key::account_id,
            "public_id, name, scopes, created_at, expires_at, last_used_at, revoked_at", "account_id = $1",
            OnErase::remove},
    Holding{"one_time_token", "Links we emailed you (not the links themselves)", Key::account_id,
            "purpose, created_at, expires_at, used_at", "account_id = $1", OnErase::remove},
    Holding{"caseload", "People on your caseload", Key::account_id, "resident_id, since, basis",
            "coordinator_account_id = $1", OnErase::remove},
    Holding{"delegation", "Who acts for you", Key::resident_id,
            "delegate_account_id, scope, granted_by_account_id, reason, granted_at, until, withdrawn_at",
            "resident_id = $1", OnErase::remove},
    Holding{"delegation", "People you act for", Key::account_id,
            "resident_id, scope, granted_by_account_id, reason, granted_at, until, withdrawn_at",
            "delegate_account_id = $1", OnErase::remove},
    // A coordinator's record of a delegation belongs to the person it is for:
    // it stays, pointing at the coordinator's pseudonymised account.
    Holding{"delegation", "Delegations you recorded for people you coordinate", Key::account_id,
            "resident_id, delegate_account_id, scope, reason, granted_at, until, withdrawn_at",
            "granted_by_account_id = $1 AND resident_id <> COALESCE((SELECT resident_id FROM account WHERE id = $1), 0)",
            OnErase::keep},
    Holding{"consent", "Consent you gave to share your information", Key::account_id,
            "public_id, part, grantee_kind, grantee, purpose, granted_at, until, withdrawn_at",
            "resident_account_id = $1", OnErase::remove},
    Holding{"consent", "Consent others gave you to see their information", Key::email,
            "public_id, part, purpose, granted_at, until, withdrawn_at", "grantee_kind = 'person' AND grantee = $1",
            OnErase::pseudonymise,
            "UPDATE consent SET grantee = 'erased@erased.invalid', withdrawn_at = COALESCE(withdrawn_at, $2) "
            "WHERE grantee_kind = 'person' AND grantee = $1"},
    Holding{"mail_outbox", "Email we sent you", Key::email, "subject, body, created_at, sent_at", "to_address = $1",
            OnErase::remove},
    Holding{"sign_in_failure", "Failed attempts to sign in as you", Key::throttle_name, "failures, last_failure_at",
            "throttle_key = $1", OnErase::remove},
    Holding{"audit_event", "Who read or changed your information, and why", Key::account_id,
            "seq, at, actor_account_id, actor_role, action, record_type, record_id, purpose",
            "subject_account_id = $1 OR actor_account_id = $1 OR subject_resident_id = "
            "(SELECT resident_id FROM account WHERE id = $1)",
            OnErase::keep},
    Holding{"account", "Your account", Key::account_id,
            "public_id, email, display_name, email_verified_at, created_at, disabled_at", "id = $1",
            OnErase::pseudonymise,
            // A new random id and address: nothing left points back at the person.
            "UPDATE account SET public_id = $3, email = $4, display_name = 'Erased account', password_hash = '!', "
            "email_verified_at = NULL, resident_id = NULL, disabled_at = COALESCE(disabled_at, $2) WHERE id = $1"},
};

// Tables that hold nothing about a person, and why.
constexpr std::array<std::pair<std::string_view, std::string_view>, 36> kNoPersonalData{{
    {"schema_migration", "the schema's version"},
    {"place", "the place"},
    {"need", "a vocabulary"},
    {"provider_kind", "a vocabulary"},
    {"circumstance", "a vocabulary"},
    {"town", "the place"},
    {"neighbourhood", "areas of about 1,500 people"},
    {"household", "type, size and tenure only; who lives there is in resident"},
    {"site_feedback", "anonymous by design"},
    {"postcode", "public geography"},
    {"directory_change", "ids of directory records"},
    {"taxonomy", "the public directory"},
    {"taxonomy_term", "the public directory"},
    {"organization", "the public directory"},
    {"organization_identifier", "the public directory"},
    {"program", "the public directory"},
    {"unit", "the public directory"},
    {"location", "the public directory"},
    {"service", "the public directory"},
    {"service_at_location", "the public directory"},
    {"address", "the public directory: addresses of services"},
    {"accessibility", "the public directory"},
    {"contact", "the public directory: contacts providers publish"},
    {"phone", "the public directory: numbers providers publish"},
    {"language", "the public directory"},
    {"schedule", "the public directory"},
    {"service_area", "the public directory"},
    {"cost_option", "the public directory"},
    {"funding", "the public directory"},
    {"required_document", "the public directory"},
    {"service_capacity", "the public directory"},
    {"url", "the public directory"},
    {"attribute", "the public directory"},
    {"metadata", "the public directory's change history"},
    {"meta_table_description", "the public directory"},
    {"sqlite_sequence", "SQLite's own counters"},
}};

struct PersonKeys {
  std::int64_t account_id = 0;
  std::int64_t resident_id = 0;
  std::string email;
};

std::optional<PersonKeys> keys_of(Connection& db, std::int64_t account_id) {
  const std::array<Value, 1> p{account_id};
  const auto rows = db.query("SELECT id, COALESCE(resident_id, 0), email FROM account WHERE id = $1", p);
  if (rows.empty()) return std::nullopt;
  return PersonKeys{rows.front().integer(0), rows.front().integer(1), rows.front().text(2)};
}

// The key's value, or nullopt when the person has none of that kind (no resident record).
std::optional<Value> key_value(const PersonKeys& keys, Key key) {
  switch (key) {
    case Key::account_id: return Value{keys.account_id};
    case Key::resident_id: return keys.resident_id != 0 ? std::optional<Value>(Value{keys.resident_id}) : std::nullopt;
    case Key::email: return Value{keys.email};
    case Key::throttle_name: return Value{"name:" + accounts::token_hash(keys.email)};
  }
  return std::nullopt;
}

std::vector<std::string> split_columns(std::string_view columns) {
  std::vector<std::string> out;
  while (!columns.empty()) {
    const auto comma = columns.find(',');
    auto name = columns.substr(0, comma);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    out.emplace_back(name);
    if (comma == std::string_view::npos) break;
    columns.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

std::vector<PersonalRows> export_personal_data(Connection& db, std::int64_t account_id) {
  std::vector<PersonalRows> out;
  Transaction tx(db, TxMode::read);
  const auto keys = keys_of(db, account_id);
  if (!keys) return out;
  // The account first, then the rest in the table's order.
  std::vector<const Holding*> order;
  for (const auto& h : kHoldings)
    if (h.table == "account") order.insert(order.begin(), &h);
    else order.push_back(&h);
  for (const Holding* h : order) {
    const auto key = key_value(*keys, h->key);
    if (!key) continue;
    PersonalRows rows;
    rows.table = std::string(h->table);
    rows.description = std::string(h->description);
    rows.columns = split_columns(h->columns);
    const std::array<Value, 1> p{*key};
    for (const auto& row : db.query(std::string("SELECT ") + std::string(h->columns) + " FROM " +
                                        std::string(h->table) + " WHERE " + std::string(h->where),
                                    p)) {
      std::vector<std::optional<std::string>> values;
      for (std::size_t i = 0; i < row.size(); ++i) values.push_back(row.optional_text(i));
      rows.rows.push_back(std::move(values));
    }
    out.push_back(std::move(rows));
  }
  tx.commit();
  return out;
}

ErasureReport erase_person(Connection& db, std::int64_t account_id, std::optional<std::int64_t> actor_account_id,
                           std::string_view actor_role, std::string_view purpose, core::Timestamp now) {
  ErasureReport report;
  Transaction tx(db, TxMode::write);
  const auto keys = keys_of(db, account_id);
  if (!keys) return report;
  report.found = true;
  const auto at = core::to_iso8601(now);
  for (const auto& h : kHoldings) {
    if (h.on_erase == OnErase::keep) continue;
    const auto key = key_value(*keys, h.key);
    if (!key) continue;
    std::int64_t changed = 0;
    if (h.on_erase == OnErase::remove) {
      const std::array<Value, 1> p{*key};
      changed = db.execute(std::string("DELETE FROM ") + std::string(h.table) + " WHERE " + std::string(h.where), p);
    } else if (h.table == "account") {
      const auto fresh = core::random_uuid();
      const std::array<Value, 4> p{*key, at, fresh, "erased-" + fresh + "@erased.invalid"};
      changed = db.execute(h.erase_sql, p);
    } else {
      const std::array<Value, 2> p{*key, at};
      changed = db.execute(h.erase_sql, p);
    }
    report.changed.emplace_back(std::string(h.table), changed);
  }
  NewAuditEvent event;
  event.actor_account_id = actor_account_id;
  event.actor_role = std::string(actor_role);
  event.action = "erase";
  event.subject_account_id = keys->account_id;
  if (keys->resident_id != 0) event.subject_resident_id = keys->resident_id;
  event.record_type = "person";
  event.record_id = "all personal data";
  event.purpose = std::string(purpose);
  insert_audit_event(db, event, now);
  tx.commit();
  return report;
}

std::vector<std::string_view> tables_with_personal_data() {
  std::vector<std::string_view> out;
  for (const auto& h : kHoldings)
    if (std::find(out.begin(), out.end(), h.table) == out.end()) out.push_back(h.table);
  return out;
}

std::vector<std::string_view> tables_without_personal_data() {
  std::vector<std::string_view> out;
  for (const auto& [table, why] : kNoPersonalData) out.push_back(table);
  return out;
}

}  // namespace bespoke::store
