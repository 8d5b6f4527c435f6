#pragma once
// Referrals from a plan to directory services (0007_person_and_plans.sql),
// made with the person's consent; the provider's answer and the take-up; and
// the spare places a provider publishes so that referrals do not swamp it.
// Every change is an audit event about the person.
#include "core/time.h"
#include "store/care_team_store.h"
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::store {

struct NewReferral {
  std::int64_t resident_id = 0;
  std::string service_id;
  std::string service_name;
  std::string need_code;
  std::string need_label;
  std::string note;
  bool person_present = true;  // consent given by someone else with the person there (always, for the person)
};

struct ReferralRecord {
  std::string public_id;
  std::int64_t resident_id = 0;
  std::string person_name;  // empty once the person withdrew it
  std::string service_id;
  std::string service_name;
  std::string organization_id;
  std::string need_label;
  std::string note;
  std::string created_at;
  std::string status;  // sent, accepted, declined, withdrawn
  std::string decline_reason;
  std::optional<std::string> taken_up;  // started, did_not_start
};

enum class ReferralOutcome { made, no_such_service, no_spare_places, already_referred };
// Refers the person to the service, with consent given by `actor` now.
ReferralOutcome make_referral(Connection& db, const NewReferral& referral, const Actor& actor, core::Timestamp now);

// The person's referrals, newest first.
[[nodiscard]] std::vector<ReferralRecord> referrals_of(Connection& db, std::int64_t resident_id);
// Referrals to the organisation's services, live ones first, then newest first.
[[nodiscard]] std::vector<ReferralRecord> referrals_to(Connection& db, std::string_view organization_id);

// The person withdraws a referral that is still sent or accepted; false otherwise.
bool withdraw_referral(Connection& db, std::int64_t resident_id, std::string_view referral_id, const Actor& actor,
                       core::Timestamp now);

enum class ProviderAnswer { accept, decline };
// The organisation's answer to a sent referral; false when it has no such sent referral.
bool answer_referral(Connection& db, std::string_view organization_id, std::string_view referral_id,
                     ProviderAnswer answer, std::string_view reason, const Actor& actor, core::Timestamp now);
// Whether the person took up an accepted referral; false when there is no such accepted referral.
bool record_take_up(Connection& db, std::string_view organization_id, std::string_view referral_id, bool started,
                    const Actor& actor, core::Timestamp now);

// A service's spare places as its organisation publishes them (HSDS
// service_capacity, in the change log so the plan engine sees it).
struct ServiceCapacity {
  std::string service_id;
  std::string service_name;
  std::optional<std::int64_t> available;  // nullopt: not published
  std::optional<std::int64_t> maximum;
  std::int64_t live_referrals = 0;  // sent or accepted
};
[[nodiscard]] std::vector<ServiceCapacity> capacity_of(Connection& db, std::string_view organization_id);
// False when the organisation has no such service.
bool publish_capacity(Connection& db, std::string_view organization_id, std::string_view service_id,
                      std::int64_t available, std::int64_t maximum, core::Timestamp now);

}  // namespace bespoke::store
