#pragma once
// Accounts, their roles, sessions, API tokens and sign-in throttling
// (0005_accounts.sql). Secrets arrive here already hashed (src/accounts/).
#include "accounts/roles.h"
#include "core/error.h"
#include "core/time.h"
#include "store/database.h"
#include "store/mail_store.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::store {

struct AccountRecord {
  std::int64_t id = 0;
  std::string public_id;
  std::string email;
  std::string display_name;
  std::string password_hash;
  bool demo = false;
  std::int64_t resident_id = 0;  // 0: not a resident record
  bool disabled = false;
  bool email_verified = false;
};

struct RoleGrant {
  accounts::Role role = accounts::Role::resident;
  std::string organisation_id;  // provider staff only
};

struct NewAccount {
  std::string email;  // normalised
  std::string display_name;
  std::string password_hash;
  bool demo = false;
  bool email_verified = false;  // the demo's accounts are; a registration is not until its link is followed
  std::int64_t resident_id = 0;
  std::vector<RoleGrant> roles;
};

// conflict when the email is taken. Runs in its own write transaction.
[[nodiscard]] core::Result<AccountRecord> create_account(Connection& db, const NewAccount& account, core::Timestamp now);

[[nodiscard]] std::optional<AccountRecord> find_account_by_email(Connection& db, std::string_view email);
[[nodiscard]] std::optional<AccountRecord> find_account(Connection& db, std::int64_t id);
// The account that is this resident record, if any.
[[nodiscard]] std::optional<std::int64_t> account_of_resident(Connection& db, std::int64_t resident_id);
[[nodiscard]] std::vector<RoleGrant> account_roles(Connection& db, std::int64_t account_id);
void set_password_hash(Connection& db, std::int64_t account_id, std::string_view hash);

// System admin: accounts whose email or name contains the text (newest first).
[[nodiscard]] std::vector<AccountRecord> search_accounts(Connection& db, std::string_view text, int limit);
[[nodiscard]] std::optional<AccountRecord> find_account_by_public_id(Connection& db, std::string_view public_id);
// Grants or revokes a role and ends the account's sessions (a change of role
// rotates the session: its holder signs in again). False when nothing changed.
bool grant_role(Connection& db, std::int64_t account_id, const RoleGrant& grant, core::Timestamp now);
bool revoke_role(Connection& db, std::int64_t account_id, const RoleGrant& grant);
// grant_role and revoke_role inside the caller's write transaction.
bool insert_role(Connection& db, std::int64_t account_id, const RoleGrant& grant, core::Timestamp now);
bool delete_role(Connection& db, std::int64_t account_id, const RoleGrant& grant);

// Sessions, by the hash of their token.
struct SessionRecord {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  core::Timestamp created_at;
  core::Timestamp last_seen_at;
};
// client_address and user_agent must be valid UTF-8 (web/auth cuts and cleans them).
void create_session(Connection& db, std::int64_t account_id, std::string_view token_hash, core::Timestamp now,
                    std::string_view client_address, std::string_view user_agent);
[[nodiscard]] std::optional<SessionRecord> find_session(Connection& db, std::string_view token_hash);
void touch_session(Connection& db, std::int64_t session_id, core::Timestamp now);
void delete_session(Connection& db, std::string_view token_hash);
// Sign out everywhere; returns how many sessions ended.
std::int64_t delete_sessions_of(Connection& db, std::int64_t account_id);

// Throttling of failed sign-ins: one row per key ("name:...", "address:...").
struct FailureCount {
  int failures = 0;
  core::Timestamp last_failure_at;
};
[[nodiscard]] std::optional<FailureCount> read_failures(Connection& db, std::string_view key);
void record_failure(Connection& db, std::string_view key, core::Timestamp now);
void clear_failures(Connection& db, std::string_view key);
// Retention: rows whose last failure is older than `before`.
std::int64_t forget_failures_before(Connection& db, core::Timestamp before);

// Personal API tokens.
struct ApiTokenRecord {
  std::int64_t id = 0;
  std::string public_id;
  std::int64_t account_id = 0;
  std::string name;
  std::string scopes;  // space-separated
  std::string created_at;
  std::optional<std::string> expires_at;
  std::optional<std::string> last_used_at;
  std::optional<std::string> revoked_at;
};
[[nodiscard]] ApiTokenRecord create_api_token(Connection& db, std::int64_t account_id, std::string_view name,
                                              std::string_view token_hash, std::string_view scopes,
                                              core::Timestamp now, std::optional<core::Timestamp> expires_at);
[[nodiscard]] std::optional<ApiTokenRecord> find_api_token(Connection& db, std::string_view token_hash);
[[nodiscard]] std::vector<ApiTokenRecord> list_api_tokens(Connection& db, std::int64_t account_id);
// false when the account has no live token with that id.
bool revoke_api_token(Connection& db, std::int64_t account_id, std::string_view public_id, core::Timestamp now);
void touch_api_token(Connection& db, std::int64_t token_id, core::Timestamp now);

// Single-use links (password reset, email verification), by the hash of their token.
enum class OneTimePurpose { reset_password, verify_email };
void create_one_time_token(Connection& db, std::int64_t account_id, OneTimePurpose purpose,
                           std::string_view token_hash, core::Timestamp now, core::Timestamp expires_at);
// Marks the token used and returns its account, if it is live (unused, unexpired, of this purpose).
[[nodiscard]] std::optional<std::int64_t> use_one_time_token(Connection& db, OneTimePurpose purpose,
                                                             std::string_view token_hash, core::Timestamp now);
// Uses a verify_email link and marks the account's address verified, in one transaction.
bool confirm_email(Connection& db, std::string_view token_hash, core::Timestamp now);

// Registration, all or nothing: the account, its email-verification token and
// the mail with the link. When the email is taken, only `taken` is queued (to
// the owner), so the page can say the same either way. True when created.
struct PendingLink {
  std::string token_hash;
  core::Timestamp expires_at;
};
bool register_account(Connection& db, const NewAccount& account, const PendingLink& verify, const Mail& verify_mail,
                      const Mail& taken_mail, core::Timestamp now);

// A password reset link and its mail, in one transaction. The account must exist
// (the caller looked it up); otherwise the insert fails with Failure(constraint).
void request_password_reset(Connection& db, std::int64_t account_id, const PendingLink& link, const Mail& mail,
                            core::Timestamp now);

// Uses a reset link: sets the new hash, ends every session of the account and
// marks the email verified (the link proved the mailbox). The account, or
// nullopt when the link is unknown, used or expired.
[[nodiscard]] std::optional<std::int64_t> reset_password(Connection& db, std::string_view token_hash,
                                                         std::string_view new_password_hash, core::Timestamp now);

// The lawful basis the coordinator recorded for this resident on their
// caseload; nullopt when the resident is not on it.
[[nodiscard]] std::optional<std::string> caseload_basis(Connection& db, std::int64_t coordinator_account_id,
                                                        std::int64_t resident_id);

// Does a live delegation from this resident's account to the delegate cover `part`?
[[nodiscard]] bool delegated(Connection& db, std::int64_t delegate_account_id, std::int64_t resident_id,
                             std::string_view part, core::Timestamp now);

// Who the demo's accounts are: two residents with needs in different
// neighbourhoods, a caseload around the first (without the second), and two
// organisations that run services. Empty when the place has none.
struct DemoPeople {
  std::int64_t resident1 = 0;
  std::string resident1_name;
  std::int64_t resident2 = 0;
  std::string resident2_name;
  std::vector<std::int64_t> caseload;
  std::vector<std::string> organisations;
};
[[nodiscard]] DemoPeople pick_demo_people(Connection& db, std::size_t caseload_size);

// The demo's ready accounts: replaces every account marked demo (with their
// roles, sessions, tokens, caseloads and delegations) in one transaction.
struct DemoAccount {
  NewAccount account;
  std::vector<std::int64_t> caseload;          // coordinators: resident ids
  std::string delegate_for_email;              // delegates: the resident account they act for
};
void replace_demo_accounts(Connection& db, std::span<const DemoAccount> accounts, core::Timestamp now);

}  // namespace bespoke::store
