#include "app/privacy_commands.h"

#include "accounts/sign_in_rules.h"
#include "store/accounts_store.h"
#include "store/audit_store.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/personal_data.h"
#include "store/retention_store.h"

#include <fmt/format.h>

namespace bespoke::app {
namespace {

// The commands work on a database at the program's schema, or refuse.
std::unique_ptr<store::Connection> open_current(const std::string& db_url) {
  auto db = store::open(db_url);
  const auto status = store::schema_status(*db);
  if (status.current != status.latest)
    throw std::runtime_error(fmt::format("the database schema is version {}, this program needs {}: run bespoke migrate",
                                         status.current, status.latest));
  return db;
}

}  // namespace

int run_audit_verify(const std::string& db_url) {
  auto db = open_current(db_url);
  audit::ChainVerifier verifier;
  store::Transaction tx(*db, store::TxMode::read);
  store::for_each_audit_event(*db, [&](const audit::Event& e) { verifier.add(e); });
  tx.commit();
  if (!verifier.ok()) {
    fmt::print(stderr, "audit log: BROKEN at {} ({} events read)\n", verifier.problem(), verifier.events());
    return 1;
  }
  fmt::print("audit log: {} events, hash chain intact\n", verifier.events());
  return 0;
}

int run_erase(const std::string& db_url, const std::string& email, const std::string& reason) {
  auto db = open_current(db_url);
  const auto normalised = accounts::normalise_email(email);
  if (!normalised) {
    fmt::print(stderr, "bespoke erase: {}\n", normalised.error().message);
    return 2;
  }
  const auto account = store::find_account_by_email(*db, *normalised);
  if (!account) {
    fmt::print(stderr, "bespoke erase: no account has the email address {}\n", *normalised);
    return 1;
  }
  const auto report = store::erase_person(*db, account->id, std::nullopt, "system", reason, core::SystemTime{}.now());
  std::int64_t rows = 0;
  for (const auto& [table, n] : report.changed) {
    if (n > 0) fmt::print("  {:<24} {:>6} rows\n", table, n);
    rows += n;
  }
  fmt::print("erased {}: {} rows deleted or pseudonymised; the erasure is in the audit log\n", *normalised, rows);
  return 0;
}

int run_retention(const std::string& db_url, const accounts::RetentionPeriods& periods) {
  auto db = open_current(db_url);
  const auto now = core::SystemTime{}.now();
  const accounts::SessionLimits limits;
  const auto r = store::apply_retention(*db, accounts::retention_cutoffs(periods, now, limits.idle, limits.absolute), now);
  fmt::print(
      "retention: {} closed accounts pseudonymised, {} sessions, {} spent links, {} old mails and {} old sign-in "
      "failure counts deleted\n",
      r.accounts_pseudonymised, r.sessions_deleted, r.links_deleted, r.mail_deleted, r.failures_deleted);
  return 0;
}

}  // namespace bespoke::app
