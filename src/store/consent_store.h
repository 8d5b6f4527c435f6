#pragma once
// Consent rows (0005_accounts.sql). Granting and withdrawing write their audit
// events in the same transaction.
#include "accounts/consent.h"
#include "core/time.h"
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::store {

struct ConsentRecord {
  std::string public_id;
  std::string part;
  std::string grantee_kind;
  std::string grantee;
  std::string grantee_label;  // the organisation's name, or the email
  std::string purpose;
  std::string granted_at;
  std::optional<std::string> until;
  std::optional<std::string> withdrawn_at;
};

struct ConsentSubject {
  std::int64_t account_id = 0;   // the resident's account
  std::int64_t resident_id = 0;  // their record, 0 if none
};

// One row per part; the actor is the account that made the change (the
// resident, or someone acting for them).
void grant_consent(Connection& db, const ConsentSubject& subject, const accounts::ValidConsent& consent,
                   std::int64_t actor_account_id, std::string_view actor_role, core::Timestamp now);
// False when the resident has no live consent with that id.
bool withdraw_consent(Connection& db, const ConsentSubject& subject, std::string_view public_id,
                      std::int64_t actor_account_id, std::string_view actor_role, core::Timestamp now);

// Newest first, withdrawn ones too.
[[nodiscard]] std::vector<ConsentRecord> consents_of(Connection& db, std::int64_t resident_account_id);

// The purpose of a live consent to `part` of this resident's record naming the
// reader (their email or one of their organisations), if there is one.
[[nodiscard]] std::optional<std::string> consent_purpose(Connection& db, std::int64_t resident_id,
                                                         accounts::RecordPart part, std::string_view reader_email,
                                                         const std::vector<std::string>& reader_organisations,
                                                         core::Timestamp now);

[[nodiscard]] std::optional<std::string> organisation_name(Connection& db, std::string_view organisation_id);

}  // namespace bespoke::store
