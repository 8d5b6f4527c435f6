#include "store/accounts_store.h"

#include "core/utf8.h"
#include "store/mail_store.h"

// GCC 12 at -O3 reports a false -Wrestrict inside test_databases.h's
// with_database (std::string operator+ inlined); the header is shared.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wrestrict"
#include "store/test_databases.h"
#pragma GCC diagnostic pop

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <string>
#include <vector>

namespace bespoke::store {
namespace {

using namespace std::chrono;
using accounts::Role;
using testing::BothDrivers;

const core::Timestamp kT0 = sys_days{2026y / March / 1} + 10h;

NewAccount person(std::string email, std::vector<RoleGrant> roles = {}, std::int64_t resident_id = 0) {
  NewAccount a;
  a.display_name = "Name of " + email;
  a.email = std::move(email);
  a.password_hash = "$argon2id$stand-in-for-" + a.email;
  a.resident_id = resident_id;
  a.roles = std::move(roles);
  return a;
}

Mail mail_to(std::string to, std::string subject) {
  std::string body = "Body: " + subject;
  return {std::move(to), std::move(subject), std::move(body)};
}

class AccountsStoreTest : public BothDrivers {
 protected:
  void SetUp() override {
    BothDrivers::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    migrated_db();
  }

  AccountRecord create(const NewAccount& account) {
    auto created = create_account(db(), account, kT0);
    if (!created) ADD_FAILURE() << "create_account(" << account.email << "): " << created.error().message;
    return created ? *created : AccountRecord{};
  }

  // Counting rows directly, to see what a failed call left behind.
  std::int64_t count(std::string_view table, std::string_view where = "1 = 1") {
    return db().query("SELECT COUNT(*) FROM " + std::string(table) + " WHERE " + std::string(where)).front().integer(0);
  }
};

// ---------------------------------------------------------------- accounts

TEST_P(AccountsStoreTest, CreatesAnAccountAndFindsItByEmailAndId) {
  NewAccount ann = person("ann@example.org",
                          {{Role::resident, ""}, {Role::provider_editor, "org-1"}, {Role::provider_admin, "org-1"},
                           {Role::resident, ""}},  // the duplicate is stored once
                          42);
  const auto created = create(ann);
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.public_id.size(), 36u) << created.public_id;
  EXPECT_EQ(created.email, "ann@example.org");

  const auto by_email = find_account_by_email(db(), "ann@example.org");
  ASSERT_TRUE(by_email.has_value());
  EXPECT_EQ(by_email->id, created.id);
  EXPECT_EQ(by_email->public_id, created.public_id);
  EXPECT_EQ(by_email->email, "ann@example.org");
  EXPECT_EQ(by_email->display_name, "Name of ann@example.org");
  EXPECT_EQ(by_email->password_hash, "$argon2id$stand-in-for-ann@example.org");
  EXPECT_EQ(by_email->resident_id, 42);
  EXPECT_FALSE(by_email->demo);
  EXPECT_FALSE(by_email->disabled);
  EXPECT_FALSE(by_email->email_verified);

  const auto by_id = find_account(db(), created.id);
  ASSERT_TRUE(by_id.has_value());
  EXPECT_EQ(by_id->email, "ann@example.org");
  EXPECT_EQ(by_id->public_id, created.public_id);

  const auto roles = account_roles(db(), created.id);
  ASSERT_EQ(roles.size(), 3u);  // by role name, then organisation
  EXPECT_EQ(roles[0].role, Role::provider_admin);
  EXPECT_EQ(roles[0].organisation_id, "org-1");
  EXPECT_EQ(roles[1].role, Role::provider_editor);
  EXPECT_EQ(roles[1].organisation_id, "org-1");
  EXPECT_EQ(roles[2].role, Role::resident);
  EXPECT_EQ(roles[2].organisation_id, "");

  EXPECT_FALSE(find_account_by_email(db(), "nobody@example.org").has_value());
  EXPECT_FALSE(find_account_by_email(db(), "ANN@example.org").has_value());  // emails arrive normalised
  EXPECT_FALSE(find_account(db(), created.id + 1000).has_value());
  EXPECT_TRUE(account_roles(db(), created.id + 1000).empty());
}

TEST_P(AccountsStoreTest, KeepsTheFlagsItIsGiven) {
  NewAccount demo = person("demo@example.org", {{Role::system_admin, ""}});
  demo.demo = true;
  demo.email_verified = true;
  const auto created = create(demo);
  const auto found = find_account(db(), created.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->demo);
  EXPECT_TRUE(found->email_verified);
  EXPECT_EQ(found->resident_id, 0);  // stored as NULL, read back as "not a resident"
  const auto other = create(person("plain@example.org"));
  EXPECT_NE(other.id, created.id);
  EXPECT_NE(other.public_id, created.public_id);
  EXPECT_TRUE(account_roles(db(), other.id).empty());
}

TEST_P(AccountsStoreTest, ADuplicateEmailIsAConflictAndChangesNothing) {
  const auto first = create(person("ann@example.org", {{Role::resident, ""}}));

  NewAccount again = person("ann@example.org", {{Role::system_admin, ""}, {Role::moderator, ""}});
  again.display_name = "Impostor";
  again.password_hash = "other";
  const auto second = create_account(db(), again, kT0 + 1h);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, core::ErrorCode::conflict);
  EXPECT_EQ(second.error().field, "email");
  EXPECT_FALSE(second.error().message.empty());

  EXPECT_EQ(count("account"), 1);
  EXPECT_EQ(count("account_role"), 1);
  const auto found = find_account_by_email(db(), "ann@example.org");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, first.id);
  EXPECT_EQ(found->display_name, "Name of ann@example.org");
  EXPECT_EQ(found->password_hash, "$argon2id$stand-in-for-ann@example.org");
  const auto roles = account_roles(db(), first.id);
  ASSERT_EQ(roles.size(), 1u);
  EXPECT_EQ(roles[0].role, Role::resident);

  // The connection is still usable afterwards.
  EXPECT_GT(create(person("bob@example.org")).id, first.id);
}

TEST_P(AccountsStoreTest, SetsThePasswordHashOfOneAccount) {
  const auto ann = create(person("ann@example.org"));
  const auto bob = create(person("bob@example.org"));
  set_password_hash(db(), ann.id, "$argon2id$new");
  EXPECT_EQ(find_account(db(), ann.id)->password_hash, "$argon2id$new");
  EXPECT_EQ(find_account(db(), bob.id)->password_hash, "$argon2id$stand-in-for-bob@example.org");
}

// ---------------------------------------------------------------- sessions

TEST_P(AccountsStoreTest, SessionsAreCreatedFoundTouchedAndDeleted) {
  const auto ann = create(person("ann@example.org"));
  const auto bob = create(person("bob@example.org"));
  create_session(db(), ann.id, "session-1", kT0, "192.0.2.1", "Firefox");
  create_session(db(), ann.id, "session-2", kT0 + 1min, "192.0.2.2", "Safari");
  create_session(db(), bob.id, "session-3", kT0, "198.51.100.7", "curl");

  const auto s1 = find_session(db(), "session-1");
  ASSERT_TRUE(s1.has_value());
  EXPECT_GT(s1->id, 0);
  EXPECT_EQ(s1->account_id, ann.id);
  EXPECT_EQ(s1->created_at, kT0);
  EXPECT_EQ(s1->last_seen_at, kT0);
  EXPECT_FALSE(find_session(db(), "session-4").has_value());

  touch_session(db(), s1->id, kT0 + 25min);
  const auto touched = find_session(db(), "session-1");
  ASSERT_TRUE(touched.has_value());
  EXPECT_EQ(touched->created_at, kT0);
  EXPECT_EQ(touched->last_seen_at, kT0 + 25min);
  EXPECT_EQ(find_session(db(), "session-2")->last_seen_at, kT0 + 1min);  // only that one

  delete_session(db(), "session-1");
  EXPECT_FALSE(find_session(db(), "session-1").has_value());
  EXPECT_TRUE(find_session(db(), "session-2").has_value());
  delete_session(db(), "session-1");  // again: nothing to do, no error

  create_session(db(), ann.id, "session-5", kT0 + 2min, "192.0.2.1", "Firefox");
  EXPECT_EQ(delete_sessions_of(db(), ann.id), 2);
  EXPECT_FALSE(find_session(db(), "session-2").has_value());
  EXPECT_FALSE(find_session(db(), "session-5").has_value());
  EXPECT_EQ(find_session(db(), "session-3")->account_id, bob.id);  // someone else's stays
  EXPECT_EQ(delete_sessions_of(db(), ann.id), 0);
}

TEST_P(AccountsStoreTest, ASessionTokenHashIsUnique) {
  const auto ann = create(person("ann@example.org"));
  create_session(db(), ann.id, "session-1", kT0, "192.0.2.1", "Firefox");
  try {
    create_session(db(), ann.id, "session-1", kT0, "192.0.2.1", "Firefox");
    ADD_FAILURE() << "a second session with the same token hash was stored";
  } catch (const Failure& f) {
    EXPECT_EQ(f.kind(), FailureKind::constraint) << f.what();
  }
  EXPECT_EQ(count("user_session"), 1);
}

// ---------------------------------------------------------------- throttling

TEST_P(AccountsStoreTest, CountsFailedSignInsPerKey) {
  EXPECT_FALSE(read_failures(db(), "name:ann").has_value());
  record_failure(db(), "name:ann", kT0);
  auto ann = read_failures(db(), "name:ann");
  ASSERT_TRUE(ann.has_value());
  EXPECT_EQ(ann->failures, 1);
  EXPECT_EQ(ann->last_failure_at, kT0);

  record_failure(db(), "name:ann", kT0 + 1min);
  record_failure(db(), "name:ann", kT0 + 2min);
  record_failure(db(), "address:192.0.2.1", kT0 + 3min);
  ann = read_failures(db(), "name:ann");
  ASSERT_TRUE(ann.has_value());
  EXPECT_EQ(ann->failures, 3);
  EXPECT_EQ(ann->last_failure_at, kT0 + 2min);
  const auto address = read_failures(db(), "address:192.0.2.1");
  ASSERT_TRUE(address.has_value());
  EXPECT_EQ(address->failures, 1);
  EXPECT_EQ(address->last_failure_at, kT0 + 3min);

  clear_failures(db(), "name:ann");
  EXPECT_FALSE(read_failures(db(), "name:ann").has_value());
  EXPECT_EQ(read_failures(db(), "address:192.0.2.1")->failures, 1);
  record_failure(db(), "name:ann", kT0 + 4min);  // counting starts again
  EXPECT_EQ(read_failures(db(), "name:ann")->failures, 1);
}

TEST_P(AccountsStoreTest, ForgetsFailuresOlderThanTheCutOff) {
  record_failure(db(), "name:old", kT0);
  record_failure(db(), "name:edge", kT0 + 1h);
  record_failure(db(), "name:new", kT0 + 2h);
  EXPECT_EQ(forget_failures_before(db(), kT0 + 1h), 1);  // strictly older only
  EXPECT_FALSE(read_failures(db(), "name:old").has_value());
  EXPECT_TRUE(read_failures(db(), "name:edge").has_value());
  EXPECT_TRUE(read_failures(db(), "name:new").has_value());
  EXPECT_EQ(forget_failures_before(db(), kT0 + 1h), 0);
  EXPECT_EQ(forget_failures_before(db(), kT0 + 3h), 2);
  EXPECT_EQ(count("sign_in_failure"), 0);
}

// ---------------------------------------------------------------- API tokens

TEST_P(AccountsStoreTest, ApiTokensAreCreatedFoundAndListedNewestFirst) {
  const auto ann = create(person("ann@example.org"));
  const auto bob = create(person("bob@example.org"));
  const auto first = create_api_token(db(), ann.id, "laptop", "token-hash-1", "read", kT0, std::nullopt);
  const auto second =
      create_api_token(db(), ann.id, "phone", "token-hash-2", "read write", kT0 + 1h, kT0 + days(30));
  const auto third = create_api_token(db(), ann.id, "script", "token-hash-3", "read", kT0 + 1h, std::nullopt);
  const auto bobs = create_api_token(db(), bob.id, "bob's", "token-hash-4", "read", kT0 + 2h, std::nullopt);

  EXPECT_GT(first.id, 0);
  EXPECT_EQ(first.public_id.size(), 36u);
  EXPECT_NE(first.public_id, second.public_id);
  EXPECT_EQ(first.account_id, ann.id);
  EXPECT_EQ(first.created_at, "2026-03-01T10:00:00Z");
  EXPECT_FALSE(first.expires_at.has_value());
  EXPECT_EQ(second.expires_at, "2026-03-31T10:00:00Z");

  const auto found = find_api_token(db(), "token-hash-2");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, second.id);
  EXPECT_EQ(found->public_id, second.public_id);
  EXPECT_EQ(found->account_id, ann.id);
  EXPECT_EQ(found->name, "phone");
  EXPECT_EQ(found->scopes, "read write");
  EXPECT_EQ(found->created_at, "2026-03-01T11:00:00Z");
  EXPECT_EQ(found->expires_at, "2026-03-31T10:00:00Z");
  EXPECT_FALSE(found->last_used_at.has_value());
  EXPECT_FALSE(found->revoked_at.has_value());
  EXPECT_FALSE(find_api_token(db(), "token-hash-9").has_value());

  const auto list = list_api_tokens(db(), ann.id);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].id, third.id);  // same time as the second: the later one first
  EXPECT_EQ(list[1].id, second.id);
  EXPECT_EQ(list[2].id, first.id);
  const auto bob_list = list_api_tokens(db(), bob.id);
  ASSERT_EQ(bob_list.size(), 1u);
  EXPECT_EQ(bob_list[0].id, bobs.id);
  EXPECT_TRUE(list_api_tokens(db(), bob.id + 1000).empty());
}

TEST_P(AccountsStoreTest, ATokenIsRevokedOnlyByItsOwnerAndOnlyOnce) {
  const auto ann = create(person("ann@example.org"));
  const auto bob = create(person("bob@example.org"));
  const auto token = create_api_token(db(), ann.id, "laptop", "token-hash-1", "read", kT0, std::nullopt);

  EXPECT_FALSE(revoke_api_token(db(), bob.id, token.public_id, kT0 + 1h));
  EXPECT_FALSE(find_api_token(db(), "token-hash-1")->revoked_at.has_value());
  EXPECT_FALSE(revoke_api_token(db(), ann.id, "00000000-0000-4000-8000-000000000000", kT0 + 1h));

  EXPECT_TRUE(revoke_api_token(db(), ann.id, token.public_id, kT0 + 2h));
  EXPECT_EQ(find_api_token(db(), "token-hash-1")->revoked_at, "2026-03-01T12:00:00Z");
  EXPECT_FALSE(revoke_api_token(db(), ann.id, token.public_id, kT0 + 3h));
  EXPECT_EQ(find_api_token(db(), "token-hash-1")->revoked_at, "2026-03-01T12:00:00Z");  // not moved
  EXPECT_EQ(list_api_tokens(db(), ann.id).size(), 1u);  // still listed, as revoked
}

TEST_P(AccountsStoreTest, TouchingATokenRecordsItsLastUse) {
  const auto ann = create(person("ann@example.org"));
  const auto a = create_api_token(db(), ann.id, "a", "token-hash-1", "read", kT0, std::nullopt);
  const auto b = create_api_token(db(), ann.id, "b", "token-hash-2", "read", kT0, std::nullopt);
  touch_api_token(db(), a.id, kT0 + 90s);
  EXPECT_EQ(find_api_token(db(), "token-hash-1")->last_used_at, "2026-03-01T10:01:30Z");
  EXPECT_FALSE(find_api_token(db(), "token-hash-2")->last_used_at.has_value());
  touch_api_token(db(), a.id, kT0 + 1h);
  EXPECT_EQ(find_api_token(db(), "token-hash-1")->last_used_at, "2026-03-01T11:00:00Z");
  EXPECT_NE(a.id, b.id);
}

// ---------------------------------------------------------------- one-time links and mail

TEST_P(AccountsStoreTest, RegistrationCreatesTheAccountItsLinkAndItsMail) {
  NewAccount ann = person("ann@example.org", {{Role::resident, ""}});
  const bool created = register_account(db(), ann, {"verify-1", kT0 + 24h}, mail_to("ann@example.org", "Confirm"),
                                        mail_to("ann@example.org", "Already registered"), kT0);
  EXPECT_TRUE(created);

  const auto account = find_account_by_email(db(), "ann@example.org");
  ASSERT_TRUE(account.has_value());
  EXPECT_FALSE(account->email_verified);
  ASSERT_EQ(account_roles(db(), account->id).size(), 1u);
  const auto mail = recent_mail(db(), 10);
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].to, "ann@example.org");
  EXPECT_EQ(mail[0].subject, "Confirm");
  EXPECT_EQ(mail[0].body, "Body: Confirm");

  EXPECT_TRUE(confirm_email(db(), "verify-1", kT0 + 1h));
  EXPECT_TRUE(find_account(db(), account->id)->email_verified);
}

TEST_P(AccountsStoreTest, RegisteringATakenEmailOnlyMailsTheOwner) {
  const auto owner = create(person("ann@example.org"));
  NewAccount again = person("ann@example.org", {{Role::system_admin, ""}});
  again.display_name = "Impostor";
  const bool created = register_account(db(), again, {"verify-2", kT0 + 24h}, mail_to("ann@example.org", "Confirm"),
                                        mail_to("ann@example.org", "Already registered"), kT0);
  EXPECT_FALSE(created);

  const auto mail = recent_mail(db(), 10);
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].subject, "Already registered");
  EXPECT_EQ(count("account"), 1);
  EXPECT_EQ(count("one_time_token"), 0);
  EXPECT_EQ(find_account_by_email(db(), "ann@example.org")->display_name, "Name of ann@example.org");
  EXPECT_TRUE(account_roles(db(), owner.id).empty());
  EXPECT_FALSE(confirm_email(db(), "verify-2", kT0 + 1h));
}

TEST_P(AccountsStoreTest, RegistrationIsAllOrNothing) {
  const auto ann = create(person("ann@example.org"));
  create_one_time_token(db(), ann.id, OneTimePurpose::verify_email, "verify-1", kT0, kT0 + 24h);
  // The link's hash is taken: the insert of the token fails after the account's.
  EXPECT_THROW(register_account(db(), person("bob@example.org"), {"verify-1", kT0 + 24h},
                                mail_to("bob@example.org", "Confirm"), mail_to("bob@example.org", "Taken"), kT0),
               Failure);
  EXPECT_FALSE(find_account_by_email(db(), "bob@example.org").has_value());
  EXPECT_EQ(count("account"), 1);
  EXPECT_TRUE(recent_mail(db(), 10).empty());
}

TEST_P(AccountsStoreTest, AnEmailLinkWorksOnceAndNotAfterItExpires) {
  const auto ann = create(person("ann@example.org"));
  const auto bob = create(person("bob@example.org"));
  create_one_time_token(db(), ann.id, OneTimePurpose::verify_email, "verify-ann", kT0, kT0 + 1h);
  create_one_time_token(db(), bob.id, OneTimePurpose::verify_email, "verify-bob", kT0, kT0 + 1h);

  EXPECT_FALSE(confirm_email(db(), "verify-bob", kT0 + 1h));  // expired at exactly its expiry
  EXPECT_FALSE(find_account(db(), bob.id)->email_verified);

  EXPECT_TRUE(confirm_email(db(), "verify-ann", kT0 + 1h - 1s));
  EXPECT_TRUE(find_account(db(), ann.id)->email_verified);
  EXPECT_FALSE(find_account(db(), bob.id)->email_verified);
  EXPECT_FALSE(confirm_email(db(), "verify-ann", kT0 + 1h - 1s));  // used
  EXPECT_FALSE(confirm_email(db(), "no-such-link", kT0));
}

TEST_P(AccountsStoreTest, ALinkServesOnlyItsOwnPurpose) {
  const auto ann = create(person("ann@example.org"));
  create_one_time_token(db(), ann.id, OneTimePurpose::reset_password, "reset-1", kT0, kT0 + 1h);
  create_one_time_token(db(), ann.id, OneTimePurpose::verify_email, "verify-1", kT0, kT0 + 1h);

  EXPECT_FALSE(confirm_email(db(), "reset-1", kT0 + 1min));
  EXPECT_FALSE(find_account(db(), ann.id)->email_verified);
  EXPECT_FALSE(use_one_time_token(db(), OneTimePurpose::verify_email, "reset-1", kT0 + 1min).has_value());
  EXPECT_FALSE(reset_password(db(), "verify-1", "$argon2id$new", kT0 + 1min).has_value());
  EXPECT_EQ(find_account(db(), ann.id)->password_hash, "$argon2id$stand-in-for-ann@example.org");

  // The wrong-purpose attempts did not use them up.
  EXPECT_EQ(use_one_time_token(db(), OneTimePurpose::reset_password, "reset-1", kT0 + 2min), ann.id);
  EXPECT_FALSE(use_one_time_token(db(), OneTimePurpose::reset_password, "reset-1", kT0 + 3min).has_value());
  EXPECT_TRUE(confirm_email(db(), "verify-1", kT0 + 2min));
}

TEST_P(AccountsStoreTest, AResetLinkSetsThePasswordAndEndsEverySession) {
  const auto ann = create(person("ann@example.org"));
  const auto bob = create(person("bob@example.org"));
  create_session(db(), ann.id, "ann-1", kT0, "192.0.2.1", "Firefox");
  create_session(db(), ann.id, "ann-2", kT0, "192.0.2.2", "Safari");
  create_session(db(), bob.id, "bob-1", kT0, "192.0.2.3", "curl");

  request_password_reset(db(), ann.id, {"reset-1", kT0 + 1h}, mail_to("ann@example.org", "Reset"), kT0);
  const auto mail = recent_mail(db(), 10);
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].subject, "Reset");
  EXPECT_EQ(mail[0].to, "ann@example.org");

  EXPECT_EQ(reset_password(db(), "reset-1", "$argon2id$new", kT0 + 10min), ann.id);
  const auto after = find_account(db(), ann.id);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->password_hash, "$argon2id$new");
  EXPECT_TRUE(after->email_verified);  // the link proved the mailbox
  EXPECT_FALSE(find_session(db(), "ann-1").has_value());
  EXPECT_FALSE(find_session(db(), "ann-2").has_value());
  EXPECT_TRUE(find_session(db(), "bob-1").has_value());
  EXPECT_EQ(find_account(db(), bob.id)->password_hash, "$argon2id$stand-in-for-bob@example.org");
  EXPECT_FALSE(find_account(db(), bob.id)->email_verified);

  // Single use.
  create_session(db(), ann.id, "ann-3", kT0 + 11min, "192.0.2.1", "Firefox");
  EXPECT_FALSE(reset_password(db(), "reset-1", "$argon2id$newer", kT0 + 12min).has_value());
  EXPECT_EQ(find_account(db(), ann.id)->password_hash, "$argon2id$new");
  EXPECT_TRUE(find_session(db(), "ann-3").has_value());
}

TEST_P(AccountsStoreTest, AnExpiredOrUnknownResetLinkChangesNothing) {
  const auto ann = create(person("ann@example.org"));
  create_session(db(), ann.id, "ann-1", kT0, "192.0.2.1", "Firefox");
  request_password_reset(db(), ann.id, {"reset-1", kT0 + 1h}, mail_to("ann@example.org", "Reset"), kT0);
  EXPECT_FALSE(reset_password(db(), "reset-1", "$argon2id$new", kT0 + 1h).has_value());
  EXPECT_FALSE(reset_password(db(), "reset-2", "$argon2id$new", kT0).has_value());
  const auto after = find_account(db(), ann.id);
  EXPECT_EQ(after->password_hash, "$argon2id$stand-in-for-ann@example.org");
  EXPECT_FALSE(after->email_verified);
  EXPECT_TRUE(find_session(db(), "ann-1").has_value());
}

// accounts_store.h: the account must exist; a reset for none is refused whole.
TEST_P(AccountsStoreTest, AResetRequestForNoAccountIsRefusedWhole) {
  const auto ann = create(person("ann@example.org"));
  EXPECT_THROW(request_password_reset(db(), ann.id + 1000, {"reset-1", kT0 + 1h},
                                      mail_to("ghost@example.org", "Reset"), kT0),
               Failure);
  EXPECT_TRUE(recent_mail(db(), 10).empty());
  EXPECT_EQ(count("one_time_token"), 0);
}

TEST_P(AccountsStoreTest, RecentMailIsNewestFirst) {
  EXPECT_TRUE(recent_mail(db(), 10).empty());
  queue_mail(db(), mail_to("a@example.org", "First"), kT0);
  queue_mail(db(), mail_to("b@example.org", "Second"), kT0 + 1min);
  queue_mail(db(), mail_to("c@example.org", "Third"), kT0 + 1min);  // same second: queued later, newer
  const auto all = recent_mail(db(), 10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].subject, "Third");
  EXPECT_EQ(all[1].subject, "Second");
  EXPECT_EQ(all[2].subject, "First");
  EXPECT_EQ(all[2].to, "a@example.org");
  EXPECT_EQ(all[2].body, "Body: First");
  EXPECT_EQ(all[2].created_at, "2026-03-01T10:00:00Z");
  EXPECT_FALSE(all[2].sent_at.has_value());
  EXPECT_GT(all[0].id, all[1].id);

  const auto two = recent_mail(db(), 2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].subject, "Third");
  EXPECT_EQ(two[1].subject, "Second");
}

// ---------------------------------------------------------------- the demo's accounts

std::vector<DemoAccount> demo_set() {
  std::vector<DemoAccount> set(3);
  set[0].account = person("resident1@demo.invalid", {{Role::resident, ""}}, 101);
  set[1].account = person("coordinator1@demo.invalid", {{Role::coordinator, ""}});
  set[1].caseload = {101, 102};
  set[2].account = person("delegate1@demo.invalid", {{Role::delegate, ""}});
  set[2].delegate_for_email = "resident1@demo.invalid";
  for (auto& d : set) {
    d.account.demo = true;
    d.account.email_verified = true;
  }
  return set;
}

TEST_P(AccountsStoreTest, ReplacesOnlyTheDemoAccounts) {
  const auto real = create(person("real@example.org", {{Role::moderator, ""}}));
  create_session(db(), real.id, "real-session", kT0, "192.0.2.1", "Firefox");
  const auto real_token = create_api_token(db(), real.id, "laptop", "real-token", "read", kT0, std::nullopt);

  const auto set = demo_set();
  replace_demo_accounts(db(), set, kT0);
  const auto old_coordinator = find_account_by_email(db(), "coordinator1@demo.invalid");
  ASSERT_TRUE(old_coordinator.has_value());
  create_session(db(), old_coordinator->id, "demo-session", kT0, "192.0.2.9", "Firefox");
  (void)create_api_token(db(), old_coordinator->id, "demo", "demo-token", "read", kT0, std::nullopt);

  replace_demo_accounts(db(), set, kT0 + 1h);  // again: one set, not two
  EXPECT_EQ(count("account", "demo = 1"), 3);
  EXPECT_EQ(count("account"), 4);
  EXPECT_EQ(count("caseload"), 2);
  EXPECT_EQ(count("delegation"), 1);
  EXPECT_FALSE(find_session(db(), "demo-session").has_value());
  EXPECT_FALSE(find_api_token(db(), "demo-token").has_value());

  // The real account survives with its session, token and role.
  const auto still = find_account_by_email(db(), "real@example.org");
  ASSERT_TRUE(still.has_value());
  EXPECT_EQ(still->id, real.id);
  EXPECT_FALSE(still->demo);
  ASSERT_TRUE(find_session(db(), "real-session").has_value());
  EXPECT_EQ(find_session(db(), "real-session")->account_id, real.id);
  ASSERT_TRUE(find_api_token(db(), "real-token").has_value());
  EXPECT_EQ(find_api_token(db(), "real-token")->id, real_token.id);
  ASSERT_EQ(account_roles(db(), real.id).size(), 1u);
  EXPECT_EQ(account_roles(db(), real.id)[0].role, Role::moderator);

  // The new demo accounts, as described.
  const auto resident = find_account_by_email(db(), "resident1@demo.invalid");
  const auto coordinator = find_account_by_email(db(), "coordinator1@demo.invalid");
  const auto delegate = find_account_by_email(db(), "delegate1@demo.invalid");
  ASSERT_TRUE(resident && coordinator && delegate);
  EXPECT_TRUE(resident->demo);
  EXPECT_TRUE(resident->email_verified);
  EXPECT_EQ(resident->resident_id, 101);
  EXPECT_NE(coordinator->public_id, old_coordinator->public_id);  // a new account (SQLite may reuse the id)
  ASSERT_EQ(account_roles(db(), coordinator->id).size(), 1u);
  EXPECT_EQ(account_roles(db(), coordinator->id)[0].role, Role::coordinator);
  EXPECT_TRUE(caseload_basis(db(), coordinator->id, 101));
  EXPECT_TRUE(caseload_basis(db(), coordinator->id, 102));
  EXPECT_FALSE(caseload_basis(db(), coordinator->id, 103));
  EXPECT_FALSE(caseload_basis(db(), delegate->id, 101));
  EXPECT_TRUE(delegated(db(), delegate->id, 101, "needs", kT0 + 2h));
  EXPECT_FALSE(delegated(db(), coordinator->id, 101, "needs", kT0 + 2h));
}

TEST_P(AccountsStoreTest, ReplacingWithNothingRemovesTheDemoAccounts) {
  const auto real = create(person("real@example.org"));
  replace_demo_accounts(db(), demo_set(), kT0);
  replace_demo_accounts(db(), {}, kT0 + 1h);
  EXPECT_EQ(count("account"), 1);
  EXPECT_EQ(count("account_role"), 0);
  EXPECT_EQ(count("caseload"), 0);
  EXPECT_EQ(count("delegation"), 0);
  EXPECT_TRUE(find_account(db(), real.id).has_value());
}

TEST_P(AccountsStoreTest, ADemoEmailTakenByARealAccountChangesNothing) {
  replace_demo_accounts(db(), demo_set(), kT0);
  const auto before = find_account_by_email(db(), "resident1@demo.invalid");
  ASSERT_TRUE(before.has_value());
  auto set = demo_set();
  set.push_back({person("real@example.org"), {}, {}});
  set.back().account.demo = true;
  (void)create(person("real@example.org"));

  try {
    replace_demo_accounts(db(), set, kT0 + 1h);
    ADD_FAILURE() << "replaced demo accounts over a real account's email";
  } catch (const Failure& f) {
    EXPECT_EQ(f.kind(), FailureKind::constraint) << f.what();
  }
  const auto after = find_account_by_email(db(), "resident1@demo.invalid");
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->id, before->id);  // the old set is still there
  EXPECT_EQ(count("account", "demo = 1"), 3);
  EXPECT_FALSE(find_account_by_email(db(), "real@example.org")->demo);
}

TEST_P(AccountsStoreTest, ADelegationCoversItsScopeWordsOnly) {
  replace_demo_accounts(db(), demo_set(), kT0);
  const auto delegate = find_account_by_email(db(), "delegate1@demo.invalid")->id;
  for (const std::string_view part : {"needs", "what_matters", "plan", "budget"})
    EXPECT_TRUE(delegated(db(), delegate, 101, part, kT0 + 1h)) << part;
  for (const std::string_view part : {"need", "what", "matters", "plans", "Needs", "", "care"})
    EXPECT_FALSE(delegated(db(), delegate, 101, part, kT0 + 1h)) << "'" << part << "'";
  EXPECT_FALSE(delegated(db(), delegate, 102, "needs", kT0 + 1h));  // not that resident's delegate
}

TEST_P(AccountsStoreTest, ADelegationEndsAtItsDateOrWhenWithdrawn) {
  replace_demo_accounts(db(), demo_set(), kT0);
  const auto delegate = find_account_by_email(db(), "delegate1@demo.invalid")->id;
  const auto now = kT0 + days(10);
  ASSERT_TRUE(delegated(db(), delegate, 101, "plan", now));

  // No repository call sets these yet: written directly.
  const std::array<Value, 1> until_later{core::to_iso8601(now + 1s)};
  db().execute("UPDATE delegation SET until = $1", until_later);
  EXPECT_TRUE(delegated(db(), delegate, 101, "plan", now));
  const std::array<Value, 1> until_now{core::to_iso8601(now)};
  db().execute("UPDATE delegation SET until = $1", until_now);
  EXPECT_FALSE(delegated(db(), delegate, 101, "plan", now));
  const std::array<Value, 1> until_past{core::to_iso8601(now - days(1))};
  db().execute("UPDATE delegation SET until = $1", until_past);
  EXPECT_FALSE(delegated(db(), delegate, 101, "plan", now));

  db().execute("UPDATE delegation SET until = NULL");
  ASSERT_TRUE(delegated(db(), delegate, 101, "plan", now));
  const std::array<Value, 1> withdrawn{core::to_iso8601(now - 1h)};
  db().execute("UPDATE delegation SET withdrawn_at = $1", withdrawn);
  EXPECT_FALSE(delegated(db(), delegate, 101, "plan", now));
}

TEST_P(AccountsStoreTest, CaseloadBelongsToItsCoordinator) {
  auto set = demo_set();
  set.push_back({person("coordinator2@demo.invalid", {{Role::coordinator, ""}}), {102, 103}, {}});
  set.back().account.demo = true;
  replace_demo_accounts(db(), set, kT0);
  const auto one = find_account_by_email(db(), "coordinator1@demo.invalid")->id;
  const auto two = find_account_by_email(db(), "coordinator2@demo.invalid")->id;
  EXPECT_TRUE(caseload_basis(db(), one, 101));
  EXPECT_FALSE(caseload_basis(db(), two, 101));
  EXPECT_TRUE(caseload_basis(db(), one, 102));
  EXPECT_TRUE(caseload_basis(db(), two, 102));
  EXPECT_FALSE(caseload_basis(db(), one, 103));
  EXPECT_TRUE(caseload_basis(db(), two, 103));
  EXPECT_FALSE(caseload_basis(db(), two, 0));
}

TEST_P(AccountsStoreTest, NoDemoPeopleInAnEmptyPlace) {
  const auto people = pick_demo_people(db(), 25);
  EXPECT_EQ(people.resident1, 0);
  EXPECT_EQ(people.resident2, 0);
  EXPECT_TRUE(people.resident1_name.empty());
  EXPECT_TRUE(people.caseload.empty());
  EXPECT_TRUE(people.organisations.empty());
}

BESPOKE_INSTANTIATE_BOTH_DRIVERS(AccountsStoreTest);

}  // namespace
}  // namespace bespoke::store
