#include "store/accounts_store.h"

#include "accounts/delegation.h"

#include "core/ids.h"

#include <array>

namespace bespoke::store {
namespace {

constexpr std::string_view kAccountColumns =
    "id, public_id, email, display_name, password_hash, demo, resident_id, disabled_at, email_verified_at";

AccountRecord account_from(const Row& row) {
  AccountRecord a;
  a.id = row.integer(0);
  a.public_id = row.text(1);
  a.email = row.text(2);
  a.display_name = row.text(3);
  a.password_hash = row.text(4);
  a.demo = row.integer(5) != 0;
  a.resident_id = row.integer(6);
  a.disabled = !row.is_null(7);
  a.email_verified = !row.is_null(8);
  return a;
}

Value optional_id(std::int64_t id) { return id != 0 ? Value{id} : Value{}; }

Value optional_time(const std::optional<core::Timestamp>& t) {
  return t ? Value{core::to_iso8601(*t)} : Value{};
}

core::Timestamp time_of(const Row& row, std::size_t i) {
  return core::parse_iso8601(row.text(i)).value_or(core::Timestamp{});
}

std::optional<std::string> optional_text(const Row& row, std::size_t i) { return row.optional_text(i); }

void insert_roles(Connection& db, std::int64_t account_id, std::span<const RoleGrant> roles, const std::string& now) {
  for (const auto& grant : roles) {
    const std::array<Value, 4> p{account_id, std::string(accounts::role_name(grant.role)), grant.organisation_id, now};
    db.execute(
        "INSERT INTO account_role (account_id, role, organization_id, granted_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT DO NOTHING",
        p);
  }
}

// Inserts the account and its roles inside the caller's transaction; nullopt when the email is taken.
std::optional<AccountRecord> insert_account(Connection& db, const NewAccount& account, const std::string& now) {
  AccountRecord a;
  a.public_id = core::random_uuid();
  const std::array<Value, 8> p{a.public_id,
                               account.email,
                               account.display_name,
                               account.password_hash,
                               std::int64_t{account.demo},
                               optional_id(account.resident_id),
                               now,
                               account.email_verified ? Value{now} : Value{}};
  const auto rows = db.query(
      "INSERT INTO account (public_id, email, display_name, password_hash, demo, resident_id, created_at, "
      "email_verified_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (email) DO NOTHING RETURNING id",
      p);
  if (rows.empty()) return std::nullopt;
  a.id = rows.front().integer(0);
  a.email = account.email;
  a.display_name = account.display_name;
  a.password_hash = account.password_hash;
  a.demo = account.demo;
  a.resident_id = account.resident_id;
  a.email_verified = account.email_verified;
  insert_roles(db, a.id, account.roles, now);
  return a;
}

}  // namespace

core::Result<AccountRecord> create_account(Connection& db, const NewAccount& account, core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  auto created = insert_account(db, account, core::to_iso8601(now));
  if (!created) return core::Error{core::ErrorCode::conflict, "email", "An account with this email address already exists"};
  tx.commit();
  return *created;
}

std::optional<AccountRecord> find_account_by_email(Connection& db, std::string_view email) {
  const std::array<Value, 1> p{std::string(email)};
  const auto rows = db.query(std::string("SELECT ") + std::string(kAccountColumns) + " FROM account WHERE email = $1", p);
  if (rows.empty()) return std::nullopt;
  return account_from(rows.front());
}

std::optional<AccountRecord> find_account(Connection& db, std::int64_t id) {
  const std::array<Value, 1> p{id};
  const auto rows = db.query(std::string("SELECT ") + std::string(kAccountColumns) + " FROM account WHERE id = $1", p);
  if (rows.empty()) return std::nullopt;
  return account_from(rows.front());
}

std::optional<std::int64_t> account_of_resident(Connection& db, std::int64_t resident_id) {
  const std::array<Value, 1> p{resident_id};
  const auto v = db.scalar("SELECT id FROM account WHERE resident_id = $1 ORDER BY id LIMIT 1", p);
  if (!v || !std::holds_alternative<std::int64_t>(*v)) return std::nullopt;
  return std::get<std::int64_t>(*v);
}

std::vector<RoleGrant> account_roles(Connection& db, std::int64_t account_id) {
  const std::array<Value, 1> p{account_id};
  std::vector<RoleGrant> out;
  for (const auto& row :
       db.query("SELECT role, organization_id FROM account_role WHERE account_id = $1 ORDER BY role, organization_id", p)) {
    const auto role = accounts::parse_role(row.text(0));
    if (role) out.push_back({*role, row.text(1)});
  }
  return out;
}

std::vector<AccountRecord> search_accounts(Connection& db, std::string_view text, int limit) {
  // LIKE's own wildcards in the text are taken literally.
  std::string pattern = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  const std::array<Value, 2> p{pattern, std::int64_t{limit}};
  std::vector<AccountRecord> out;
  for (const auto& row : db.query(std::string("SELECT ") + std::string(kAccountColumns) +
                                      " FROM account WHERE email LIKE $1 ESCAPE '\\' OR display_name LIKE $1 ESCAPE "
                                      "'\\' ORDER BY id DESC LIMIT $2",
                                  p))
    out.push_back(account_from(row));
  return out;
}

std::optional<AccountRecord> find_account_by_public_id(Connection& db, std::string_view public_id) {
  const std::array<Value, 1> p{std::string(public_id)};
  const auto rows =
      db.query(std::string("SELECT ") + std::string(kAccountColumns) + " FROM account WHERE public_id = $1", p);
  if (rows.empty()) return std::nullopt;
  return account_from(rows.front());
}

bool insert_role(Connection& db, std::int64_t account_id, const RoleGrant& grant, core::Timestamp now) {
  const std::array<Value, 4> p{account_id, std::string(accounts::role_name(grant.role)), grant.organisation_id,
                               core::to_iso8601(now)};
  const std::array<Value, 1> id{account_id};
  const auto n = db.execute(
      "INSERT INTO account_role (account_id, role, organization_id, granted_at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT DO NOTHING",
      p);
  if (n > 0) db.execute("DELETE FROM user_session WHERE account_id = $1", id);
  return n > 0;
}

bool grant_role(Connection& db, std::int64_t account_id, const RoleGrant& grant, core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  const bool added = insert_role(db, account_id, grant, now);
  tx.commit();
  return added;
}

bool delete_role(Connection& db, std::int64_t account_id, const RoleGrant& grant) {
  const std::array<Value, 3> p{account_id, std::string(accounts::role_name(grant.role)), grant.organisation_id};
  const std::array<Value, 1> id{account_id};
  const auto n =
      db.execute("DELETE FROM account_role WHERE account_id = $1 AND role = $2 AND organization_id = $3", p);
  if (n > 0) db.execute("DELETE FROM user_session WHERE account_id = $1", id);
  return n > 0;
}

bool revoke_role(Connection& db, std::int64_t account_id, const RoleGrant& grant) {
  Transaction tx(db, TxMode::write);
  const bool removed = delete_role(db, account_id, grant);
  tx.commit();
  return removed;
}

void set_password_hash(Connection& db, std::int64_t account_id, std::string_view hash) {
  const std::array<Value, 2> p{std::string(hash), account_id};
  execute_in_transaction(db, "UPDATE account SET password_hash = $1 WHERE id = $2", p);
}

void create_session(Connection& db, std::int64_t account_id, std::string_view token_hash, core::Timestamp now,
                    std::string_view client_address, std::string_view user_agent) {
  const auto at = core::to_iso8601(now);
  const std::array<Value, 6> p{std::string(token_hash), account_id, at, at, std::string(client_address),
                               std::string(user_agent)};
  execute_in_transaction(
      db,
      "INSERT INTO user_session (token_hash, account_id, created_at, last_seen_at, client_address, user_agent) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      p);
}

std::optional<SessionRecord> find_session(Connection& db, std::string_view token_hash) {
  const std::array<Value, 1> p{std::string(token_hash)};
  const auto rows =
      db.query("SELECT id, account_id, created_at, last_seen_at FROM user_session WHERE token_hash = $1", p);
  if (rows.empty()) return std::nullopt;
  const auto& r = rows.front();
  return SessionRecord{r.integer(0), r.integer(1), time_of(r, 2), time_of(r, 3)};
}

void touch_session(Connection& db, std::int64_t session_id, core::Timestamp now) {
  const std::array<Value, 2> p{core::to_iso8601(now), session_id};
  execute_in_transaction(db, "UPDATE user_session SET last_seen_at = $1 WHERE id = $2", p);
}

void delete_session(Connection& db, std::string_view token_hash) {
  const std::array<Value, 1> p{std::string(token_hash)};
  execute_in_transaction(db, "DELETE FROM user_session WHERE token_hash = $1", p);
}

std::int64_t delete_sessions_of(Connection& db, std::int64_t account_id) {
  const std::array<Value, 1> p{account_id};
  return execute_in_transaction(db, "DELETE FROM user_session WHERE account_id = $1", p);
}

std::optional<FailureCount> read_failures(Connection& db, std::string_view key) {
  const std::array<Value, 1> p{std::string(key)};
  const auto rows = db.query("SELECT failures, last_failure_at FROM sign_in_failure WHERE throttle_key = $1", p);
  if (rows.empty()) return std::nullopt;
  return FailureCount{static_cast<int>(rows.front().integer(0)), time_of(rows.front(), 1)};
}

void record_failure(Connection& db, std::string_view key, core::Timestamp now) {
  const std::array<Value, 2> p{std::string(key), core::to_iso8601(now)};
  execute_in_transaction(
      db,
      "INSERT INTO sign_in_failure (throttle_key, failures, last_failure_at) VALUES ($1, 1, $2) "
      "ON CONFLICT (throttle_key) DO UPDATE SET failures = sign_in_failure.failures + 1, last_failure_at = $2",
      p);
}

void clear_failures(Connection& db, std::string_view key) {
  const std::array<Value, 1> p{std::string(key)};
  execute_in_transaction(db, "DELETE FROM sign_in_failure WHERE throttle_key = $1", p);
}

std::int64_t forget_failures_before(Connection& db, core::Timestamp before) {
  const std::array<Value, 1> p{core::to_iso8601(before)};
  return execute_in_transaction(db, "DELETE FROM sign_in_failure WHERE last_failure_at < $1", p);
}

namespace {
constexpr std::string_view kTokenColumns =
    "id, public_id, account_id, name, scopes, created_at, expires_at, last_used_at, revoked_at";

ApiTokenRecord token_from(const Row& r) {
  return ApiTokenRecord{r.integer(0),        r.text(1),           r.integer(2),        r.text(3),
                        r.text(4),           r.text(5),           optional_text(r, 6), optional_text(r, 7),
                        optional_text(r, 8)};
}
}  // namespace

ApiTokenRecord create_api_token(Connection& db, std::int64_t account_id, std::string_view name,
                                std::string_view token_hash, std::string_view scopes, core::Timestamp now,
                                std::optional<core::Timestamp> expires_at) {
  ApiTokenRecord t;
  t.public_id = core::random_uuid();
  t.account_id = account_id;
  t.name = name;
  t.scopes = scopes;
  t.created_at = core::to_iso8601(now);
  if (expires_at) t.expires_at = core::to_iso8601(*expires_at);
  const std::array<Value, 7> p{t.public_id, account_id, t.name, std::string(token_hash), t.scopes, t.created_at,
                               optional_time(expires_at)};
  Transaction tx(db, TxMode::write);
  t.id = db.query(
               "INSERT INTO api_token (public_id, account_id, name, token_hash, scopes, created_at, expires_at) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
               p)
             .front()
             .integer(0);
  tx.commit();
  return t;
}

std::optional<ApiTokenRecord> find_api_token(Connection& db, std::string_view token_hash) {
  const std::array<Value, 1> p{std::string(token_hash)};
  const auto rows =
      db.query(std::string("SELECT ") + std::string(kTokenColumns) + " FROM api_token WHERE token_hash = $1", p);
  if (rows.empty()) return std::nullopt;
  return token_from(rows.front());
}

std::vector<ApiTokenRecord> list_api_tokens(Connection& db, std::int64_t account_id) {
  const std::array<Value, 1> p{account_id};
  std::vector<ApiTokenRecord> out;
  for (const auto& row : db.query(std::string("SELECT ") + std::string(kTokenColumns) +
                                      " FROM api_token WHERE account_id = $1 ORDER BY created_at DESC, id DESC",
                                  p))
    out.push_back(token_from(row));
  return out;
}

bool revoke_api_token(Connection& db, std::int64_t account_id, std::string_view public_id, core::Timestamp now) {
  const std::array<Value, 3> p{core::to_iso8601(now), account_id, std::string(public_id)};
  Transaction tx(db, TxMode::write);
  const auto n = db.execute(
      "UPDATE api_token SET revoked_at = $1 WHERE account_id = $2 AND public_id = $3 AND revoked_at IS NULL", p);
  tx.commit();
  return n > 0;
}

void touch_api_token(Connection& db, std::int64_t token_id, core::Timestamp now) {
  const std::array<Value, 2> p{core::to_iso8601(now), token_id};
  execute_in_transaction(db, "UPDATE api_token SET last_used_at = $1 WHERE id = $2", p);
}

namespace {
std::string purpose_name(OneTimePurpose purpose) {
  return purpose == OneTimePurpose::reset_password ? "reset_password" : "verify_email";
}
}  // namespace

namespace {
void insert_one_time_token(Connection& db, std::int64_t account_id, OneTimePurpose purpose,
                           std::string_view token_hash, core::Timestamp now, core::Timestamp expires_at) {
  const std::array<Value, 5> p{std::string(token_hash), account_id, purpose_name(purpose), core::to_iso8601(now),
                               core::to_iso8601(expires_at)};
  db.execute(
      "INSERT INTO one_time_token (token_hash, account_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
      p);
}

// Inside the caller's transaction. One statement: two requests racing with the
// same link cannot both use it.
std::optional<std::int64_t> take_one_time_token(Connection& db, OneTimePurpose purpose, std::string_view token_hash,
                                                core::Timestamp now) {
  const std::array<Value, 3> p{core::to_iso8601(now), std::string(token_hash), purpose_name(purpose)};
  const auto rows = db.query(
      "UPDATE one_time_token SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL "
      "AND expires_at > $1 RETURNING account_id",
      p);
  if (rows.empty()) return std::nullopt;
  return rows.front().integer(0);
}
}  // namespace

void create_one_time_token(Connection& db, std::int64_t account_id, OneTimePurpose purpose,
                           std::string_view token_hash, core::Timestamp now, core::Timestamp expires_at) {
  Transaction tx(db, TxMode::write);
  insert_one_time_token(db, account_id, purpose, token_hash, now, expires_at);
  tx.commit();
}

std::optional<std::int64_t> use_one_time_token(Connection& db, OneTimePurpose purpose, std::string_view token_hash,
                                               core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  const auto account = take_one_time_token(db, purpose, token_hash, now);
  tx.commit();
  return account;
}

bool register_account(Connection& db, const NewAccount& account, const PendingLink& verify, const Mail& verify_mail,
                      const Mail& taken_mail, core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  const auto created = insert_account(db, account, core::to_iso8601(now));
  if (created) {
    insert_one_time_token(db, created->id, OneTimePurpose::verify_email, verify.token_hash, now, verify.expires_at);
    insert_mail(db, verify_mail, now);
  } else {
    insert_mail(db, taken_mail, now);
  }
  tx.commit();
  return created.has_value();
}

void request_password_reset(Connection& db, std::int64_t account_id, const PendingLink& link, const Mail& mail,
                            core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  insert_one_time_token(db, account_id, OneTimePurpose::reset_password, link.token_hash, now, link.expires_at);
  insert_mail(db, mail, now);
  tx.commit();
}

std::optional<std::int64_t> reset_password(Connection& db, std::string_view token_hash,
                                           std::string_view new_password_hash, core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  const auto account = take_one_time_token(db, OneTimePurpose::reset_password, token_hash, now);
  if (!account) return std::nullopt;
  const std::array<Value, 3> p{std::string(new_password_hash), core::to_iso8601(now), *account};
  db.execute("UPDATE account SET password_hash = $1, email_verified_at = COALESCE(email_verified_at, $2) WHERE id = $3",
             p);
  const std::array<Value, 1> id{*account};
  db.execute("DELETE FROM user_session WHERE account_id = $1", id);
  tx.commit();
  return account;
}

bool confirm_email(Connection& db, std::string_view token_hash, core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  const auto account = take_one_time_token(db, OneTimePurpose::verify_email, token_hash, now);
  if (!account) return false;
  const std::array<Value, 2> p{core::to_iso8601(now), *account};
  db.execute("UPDATE account SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL", p);
  tx.commit();
  return true;
}

std::optional<std::string> caseload_basis(Connection& db, std::int64_t coordinator_account_id,
                                          std::int64_t resident_id) {
  const std::array<Value, 2> p{coordinator_account_id, resident_id};
  const auto rows =
      db.query("SELECT basis FROM caseload WHERE coordinator_account_id = $1 AND resident_id = $2", p);
  if (rows.empty()) return std::nullopt;
  return rows.front().text(0);
}

bool delegated(Connection& db, std::int64_t delegate_account_id, std::int64_t resident_id, std::string_view part,
               core::Timestamp now) {
  const std::array<Value, 3> p{delegate_account_id, resident_id, core::to_iso8601(now)};
  const auto rows = db.query(
      "SELECT d.scope FROM delegation d WHERE d.delegate_account_id = $1 AND d.resident_id = $2 "
      "AND d.withdrawn_at IS NULL AND (d.until IS NULL OR d.until > $3)",
      p);
  for (const auto& row : rows)
    for (const auto granted : accounts::parse_scope(row.text(0)))
      if (accounts::part_name(granted) == part) return true;
  return false;
}

DemoPeople pick_demo_people(Connection& db, std::size_t caseload_size) {
  DemoPeople people;
  const auto first = db.query(
      "SELECT r.id, r.given_name || ' ' || r.family_name, r.neighbourhood_id FROM resident r "
      "WHERE EXISTS (SELECT 1 FROM resident_need n WHERE n.resident_id = r.id) ORDER BY r.id LIMIT 1");
  if (first.empty()) return people;
  people.resident1 = first.front().integer(0);
  people.resident1_name = first.front().text(1);
  const auto neighbourhood = first.front().integer(2);
  const std::array<Value, 1> n{neighbourhood};
  const auto second = db.query(
      "SELECT r.id, r.given_name || ' ' || r.family_name FROM resident r WHERE r.neighbourhood_id <> $1 "
      "AND EXISTS (SELECT 1 FROM resident_need n WHERE n.resident_id = r.id) ORDER BY r.id LIMIT 1",
      n);
  if (!second.empty()) {
    people.resident2 = second.front().integer(0);
    people.resident2_name = second.front().text(1);
  }
  const std::array<Value, 2> c{neighbourhood, static_cast<std::int64_t>(caseload_size)};
  for (const auto& row : db.query(
           "SELECT r.id FROM resident r WHERE r.neighbourhood_id = $1 "
           "AND EXISTS (SELECT 1 FROM resident_need n WHERE n.resident_id = r.id) ORDER BY r.id LIMIT $2",
           c))
    people.caseload.push_back(row.integer(0));
  for (const auto& row : db.query("SELECT o.id FROM organization o WHERE EXISTS "
                                  "(SELECT 1 FROM service s WHERE s.organization_id = o.id) ORDER BY o.id LIMIT 2"))
    people.organisations.push_back(row.text(0));
  return people;
}

void replace_demo_accounts(Connection& db, std::span<const DemoAccount> accounts, core::Timestamp now) {
  const auto at = core::to_iso8601(now);
  Transaction tx(db, TxMode::write);
  // Children first: the demo accounts' rows in every table that points at an account.
  constexpr std::array<std::string_view, 19> kDependents{
      "DELETE FROM referral WHERE consent_by_account_id IN (SELECT id FROM account WHERE demo = 1) "
      "OR decided_by_account_id IN (SELECT id FROM account WHERE demo = 1)",
      "DELETE FROM plan_review WHERE account_id IN (SELECT id FROM account WHERE demo = 1)",
      // Plans, assessments and budgets the demo accounts recorded.
      "DELETE FROM plan_decision WHERE account_id IN (SELECT id FROM account WHERE demo = 1) OR plan_version_id IN "
      "(SELECT id FROM plan_version WHERE created_by_account_id IN (SELECT id FROM account WHERE demo = 1))",
      "DELETE FROM plan_line WHERE plan_version_id IN "
      "(SELECT id FROM plan_version WHERE created_by_account_id IN (SELECT id FROM account WHERE demo = 1))",
      "DELETE FROM plan_gap WHERE plan_version_id IN "
      "(SELECT id FROM plan_version WHERE created_by_account_id IN (SELECT id FROM account WHERE demo = 1))",
      "DELETE FROM plan_participant WHERE plan_version_id IN "
      "(SELECT id FROM plan_version WHERE created_by_account_id IN (SELECT id FROM account WHERE demo = 1))",
      "DELETE FROM plan_version WHERE created_by_account_id IN (SELECT id FROM account WHERE demo = 1)",
      "DELETE FROM care_assessment_outcome WHERE assessment_id IN "
      "(SELECT id FROM care_assessment WHERE assessed_by_account_id IN (SELECT id FROM account WHERE demo = 1))",
      "DELETE FROM care_assessment_need WHERE assessment_id IN "
      "(SELECT id FROM care_assessment WHERE assessed_by_account_id IN (SELECT id FROM account WHERE demo = 1))",
      "DELETE FROM care_assessment WHERE assessed_by_account_id IN (SELECT id FROM account WHERE demo = 1)",
      "DELETE FROM personal_budget WHERE set_by_account_id IN (SELECT id FROM account WHERE demo = 1)",
      "DELETE FROM account_role WHERE account_id IN (SELECT id FROM account WHERE demo = 1)",
      "DELETE FROM user_session WHERE account_id IN (SELECT id FROM account WHERE demo = 1)",
      "DELETE FROM api_token WHERE account_id IN (SELECT id FROM account WHERE demo = 1)",
      "DELETE FROM one_time_token WHERE account_id IN (SELECT id FROM account WHERE demo = 1)",
      "DELETE FROM caseload WHERE coordinator_account_id IN (SELECT id FROM account WHERE demo = 1)",
      "DELETE FROM consent WHERE resident_account_id IN (SELECT id FROM account WHERE demo = 1)",
      "DELETE FROM delegation WHERE delegate_account_id IN (SELECT id FROM account WHERE demo = 1) "
      "OR resident_id IN (SELECT resident_id FROM account WHERE demo = 1 AND resident_id IS NOT NULL) "
      "OR granted_by_account_id IN (SELECT id FROM account WHERE demo = 1)",
      "DELETE FROM account WHERE demo = 1",
  };
  for (const auto sql : kDependents) db.execute(sql);

  std::vector<AccountRecord> made;
  for (const auto& demo : accounts) {
    auto created = insert_account(db, demo.account, at);
    if (!created) throw Failure(FailureKind::constraint, "a non-demo account already has " + demo.account.email);
    for (const auto resident : demo.caseload) {
      const std::array<Value, 3> p{created->id, resident, at};
      db.execute(
          "INSERT INTO caseload (coordinator_account_id, resident_id, since, basis) "
          "VALUES ($1, $2, $3, 'Care and support planning under the Care Act 2014 (demo)')",
          p);
    }
    made.push_back(*created);
  }
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    if (accounts[i].delegate_for_email.empty()) continue;
    for (const auto& resident : made) {
      if (resident.email != accounts[i].delegate_for_email || resident.resident_id == 0) continue;
      const std::array<Value, 5> p{resident.resident_id, made[i].id,
                                   accounts::scope_text({accounts::kRecordParts.begin(), accounts::kRecordParts.end()}),
                                   resident.id, at};
      db.execute(
          "INSERT INTO delegation (resident_id, delegate_account_id, scope, granted_by_account_id, reason, "
          "granted_at) VALUES ($1, $2, $3, $4, '', $5)",
          p);
    }
  }
  tx.commit();
}

}  // namespace bespoke::store
