#pragma once
// The one place that decides who may do what (deny by default). Every route
// names the Action it performs (web::Router::add requires one), and a test walks
// the route table as every role against tests/http/access_matrix.txt.
//
// Two steps: may_attempt() is the route-level check (does any role this subject
// holds allow the action at all?); the handler then loads the facts about the
// record concerned (whose it is, consent, caseload) and asks decide_*().
#include "accounts/roles.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::policy {

enum class Action {
  read_public,            // the directory, the home page, open data, assets, health
  submit_public,          // anonymous feedback on the site
  register_account,
  sign_in,
  sign_out,
  use_own_account,        // my account page, who am I (/api/v1/me)
  manage_own_tokens,      // personal API tokens
  read_demo_mail,         // the demo's outbox page (exists only with --demo)
  read_own_record,        // a resident reading their own information
  manage_own_consent,     // a resident granting and withdrawing consent
  manage_own_delegations, // a resident letting someone act for them, and stopping it
  read_own_audit,         // who has looked at my information
  export_own_data,        // subject access: everything held about me
  read_resident_record,   // someone else's record: caseload, delegation or consent decides
  manage_caseload,        // a coordinator: who is on their caseload and why; delegations for those who lack capacity
  edit_directory,         // provider staff: their organisation's services
  manage_accounts,        // system admin: accounts and roles, never care records
  erase_person,           // system admin: the right to erasure
  plan_with_person,       // the person's own record and plan: the person, their delegate, their coordinator
  assess_needs,           // a coordinator: the Care Act assessment, the personal budget, the council's sign-off
  read_reach_report,      // a commissioner: who is reached and who is missed, by neighbourhood and decile (no one's record)
  handle_referrals,       // provider staff: referrals to their organisation's services, and its spare capacity
};

// Everything the policy module knows, for the matrix test and `bespoke routes`.
[[nodiscard]] std::string_view action_name(Action action) noexcept;

// Who is asking: the signed-in account (0 when anonymous) and its roles.
struct Subject {
  std::int64_t account_id = 0;
  accounts::RoleSet roles;
  std::int64_t resident_id = 0;                // the resident record this account is, if any
  std::vector<std::string> organisations;      // organisation ids where this account is provider staff

  [[nodiscard]] bool signed_in() const noexcept { return account_id != 0; }
};

enum class Decision {
  allow,
  sign_in_required,  // 401 on the API, a redirect to /sign-in on pages
  forbidden,         // 403
  not_found,         // 404: the subject may not even learn the record exists
};

[[nodiscard]] Decision may_attempt(const Subject& subject, Action action) noexcept;

// Reading a resident's record. The facts are loaded by the caller from the store.
struct ResidentFacts {
  std::int64_t resident_id = 0;
  bool on_my_caseload = false;       // the subject coordinates this resident's care
  bool delegated_to_me = false;      // a live delegation covers this part
  bool consented_to_me = false;      // a live consent names the subject or their organisation
};
[[nodiscard]] Decision decide_resident_read(const Subject& subject, const ResidentFacts& facts) noexcept;

// Working on a resident's own record and plan (About me, what matters, goals,
// helpers, the plan's versions): the person, a delegate for this part, or
// their coordinator. Consent to read is not consent to write: not_found.
[[nodiscard]] Decision decide_plan_work(const Subject& subject, const ResidentFacts& facts) noexcept;

// The council's part: assessment, budget and sign-off, by the person's coordinator only.
[[nodiscard]] Decision decide_assessment(const Subject& subject, const ResidentFacts& facts) noexcept;

// Editing an organisation's directory entries.
[[nodiscard]] Decision decide_directory_edit(const Subject& subject, std::string_view organisation_id) noexcept;

}  // namespace bespoke::policy
