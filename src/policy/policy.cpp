#include "policy/policy.h"

#include <algorithm>
#include <array>

namespace bespoke::policy {
namespace {

using accounts::Role;

// Who may attempt each action: anyone (signed in or not), anyone signed in, or
// holders of the listed roles. The one readable table of route-level rules.
enum class Audience { anyone, signed_in, roles };

struct Rule {
  Action action;
  std::string_view name;
  Audience audience;
  accounts::RoleSet roles;
};

constexpr accounts::RoleSet roles_of(std::initializer_list<Role> list) {
  accounts::RoleSet set;
  for (const Role r : list) set.add(r);
  return set;
}

constexpr std::array kRules{
    Rule{Action::read_public, "read_public", Audience::anyone, {}},
    Rule{Action::submit_public, "submit_public", Audience::anyone, {}},
    Rule{Action::register_account, "register_account", Audience::anyone, {}},
    Rule{Action::sign_in, "sign_in", Audience::anyone, {}},
    Rule{Action::sign_out, "sign_out", Audience::signed_in, {}},
    Rule{Action::use_own_account, "use_own_account", Audience::signed_in, {}},
    Rule{Action::manage_own_tokens, "manage_own_tokens", Audience::signed_in, {}},
    Rule{Action::read_demo_mail, "read_demo_mail", Audience::anyone, {}},
    Rule{Action::read_own_record, "read_own_record", Audience::roles, roles_of({Role::resident})},
    Rule{Action::manage_own_consent, "manage_own_consent", Audience::roles, roles_of({Role::resident})},
    Rule{Action::manage_own_delegations, "manage_own_delegations", Audience::roles, roles_of({Role::resident})},
    Rule{Action::read_own_audit, "read_own_audit", Audience::signed_in, {}},
    Rule{Action::export_own_data, "export_own_data", Audience::signed_in, {}},
    // Anyone signed in may ask; decide_resident_read() decides on the record's
    // facts (a person a resident names in a consent may hold any role).
    Rule{Action::read_resident_record, "read_resident_record", Audience::signed_in, {}},
    Rule{Action::manage_caseload, "manage_caseload", Audience::roles, roles_of({Role::coordinator})},
    Rule{Action::edit_directory, "edit_directory", Audience::roles,
         roles_of({Role::provider_admin, Role::provider_editor})},
    Rule{Action::manage_accounts, "manage_accounts", Audience::roles, roles_of({Role::system_admin})},
    Rule{Action::erase_person, "erase_person", Audience::roles, roles_of({Role::system_admin})},
    Rule{Action::plan_with_person, "plan_with_person", Audience::roles,
         roles_of({Role::resident, Role::delegate, Role::coordinator})},
    Rule{Action::assess_needs, "assess_needs", Audience::roles, roles_of({Role::coordinator})},
    Rule{Action::read_reach_report, "read_reach_report", Audience::roles, roles_of({Role::commissioner})},
    Rule{Action::handle_referrals, "handle_referrals", Audience::roles,
         roles_of({Role::provider_admin, Role::provider_editor})},
};

const Rule& rule_for(Action action) noexcept {
  // The table is in enum order; a static_assert keeps it so.
  return kRules[static_cast<std::size_t>(action)];
}

constexpr bool table_in_enum_order() {
  for (std::size_t i = 0; i < kRules.size(); ++i)
    if (static_cast<std::size_t>(kRules[i].action) != i) return false;
  return true;
}
static_assert(table_in_enum_order(), "kRules must list every Action once, in declaration order");
static_assert(kRules.size() == static_cast<std::size_t>(Action::handle_referrals) + 1, "an Action has no rule");

}  // namespace

std::string_view action_name(Action action) noexcept { return rule_for(action).name; }

Decision may_attempt(const Subject& subject, Action action) noexcept {
  const Rule& rule = rule_for(action);
  switch (rule.audience) {
    case Audience::anyone: return Decision::allow;
    case Audience::signed_in: return subject.signed_in() ? Decision::allow : Decision::sign_in_required;
    case Audience::roles:
      if (!subject.signed_in()) return Decision::sign_in_required;
      return (subject.roles.bits() & rule.roles.bits()) != 0 ? Decision::allow : Decision::forbidden;
  }
  return Decision::forbidden;
}

Decision decide_resident_read(const Subject& subject, const ResidentFacts& facts) noexcept {
  if (!subject.signed_in()) return Decision::sign_in_required;
  if (facts.resident_id != 0 && subject.resident_id == facts.resident_id && subject.roles.has(Role::resident))
    return Decision::allow;
  if (subject.roles.has(Role::coordinator) && facts.on_my_caseload) return Decision::allow;
  if (subject.roles.has(Role::delegate) && facts.delegated_to_me) return Decision::allow;
  if (facts.consented_to_me) return Decision::allow;
  // Not whether the record exists: someone else's id looks like no id at all.
  return Decision::not_found;
}

Decision decide_plan_work(const Subject& subject, const ResidentFacts& facts) noexcept {
  if (!subject.signed_in()) return Decision::sign_in_required;
  if (facts.resident_id != 0 && subject.resident_id == facts.resident_id && subject.roles.has(Role::resident))
    return Decision::allow;
  if (subject.roles.has(Role::coordinator) && facts.on_my_caseload) return Decision::allow;
  if (subject.roles.has(Role::delegate) && facts.delegated_to_me) return Decision::allow;
  return Decision::not_found;
}

Decision decide_assessment(const Subject& subject, const ResidentFacts& facts) noexcept {
  if (!subject.signed_in()) return Decision::sign_in_required;
  if (subject.roles.has(Role::coordinator) && facts.on_my_caseload) return Decision::allow;
  return Decision::not_found;
}

Decision decide_directory_edit(const Subject& subject, std::string_view organisation_id) noexcept {
  if (!subject.signed_in()) return Decision::sign_in_required;
  const bool staff = subject.roles.has(Role::provider_admin) || subject.roles.has(Role::provider_editor);
  if (!staff) return Decision::forbidden;
  const bool theirs = std::find(subject.organisations.begin(), subject.organisations.end(), organisation_id) !=
                      subject.organisations.end();
  return theirs ? Decision::allow : Decision::not_found;
}

}  // namespace bespoke::policy
