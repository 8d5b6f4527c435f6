#include "policy/policy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace bespoke::policy {
namespace {

using accounts::Role;
using accounts::RoleSet;

std::string_view decision_name(Decision d) {
  switch (d) {
    case Decision::allow: return "allow";
    case Decision::sign_in_required: return "sign_in_required";
    case Decision::forbidden: return "forbidden";
    case Decision::not_found: return "not_found";
  }
  return "?";
}

RoleSet roles(std::initializer_list<Role> list) {
  RoleSet set;
  for (const Role r : list) set.add(r);
  return set;
}

Subject anonymous() { return {}; }

Subject signed_in(std::initializer_list<Role> list, std::int64_t resident_id = 0,
                  std::vector<std::string> organisations = {}) {
  Subject s;
  s.account_id = 7;
  s.roles = roles(list);
  s.resident_id = resident_id;
  s.organisations = std::move(organisations);
  return s;
}

// The intended route-level rules, written out independently of policy.cpp:
// who may attempt each action.
enum class Audience { anyone, signed_in, roles };
struct Expected {
  Action action;
  std::string_view name;
  Audience audience;
  std::vector<Role> roles;  // for Audience::roles
};

const std::vector<Expected>& expected_rules() {
  static const std::vector<Expected> rules{
      {Action::read_public, "read_public", Audience::anyone, {}},
      {Action::submit_public, "submit_public", Audience::anyone, {}},
      {Action::register_account, "register_account", Audience::anyone, {}},
      {Action::sign_in, "sign_in", Audience::anyone, {}},
      {Action::sign_out, "sign_out", Audience::signed_in, {}},
      {Action::use_own_account, "use_own_account", Audience::signed_in, {}},
      {Action::manage_own_tokens, "manage_own_tokens", Audience::signed_in, {}},
      {Action::read_demo_mail, "read_demo_mail", Audience::anyone, {}},
      {Action::read_own_record, "read_own_record", Audience::roles, {Role::resident}},
      {Action::manage_own_consent, "manage_own_consent", Audience::roles, {Role::resident}},
      {Action::manage_own_delegations, "manage_own_delegations", Audience::roles, {Role::resident}},
      {Action::read_own_audit, "read_own_audit", Audience::signed_in, {}},
      {Action::export_own_data, "export_own_data", Audience::signed_in, {}},
      // Anyone signed in may ask: the record's facts decide (a person named in a consent may hold any role).
      {Action::read_resident_record, "read_resident_record", Audience::signed_in, {}},
      {Action::manage_caseload, "manage_caseload", Audience::roles, {Role::coordinator}},
      {Action::edit_directory, "edit_directory", Audience::roles, {Role::provider_admin, Role::provider_editor}},
      {Action::manage_accounts, "manage_accounts", Audience::roles, {Role::system_admin}},
      {Action::erase_person, "erase_person", Audience::roles, {Role::system_admin}},
  };
  return rules;
}

TEST(Policy, TheTableCoversEveryAction) {
  const auto& rules = expected_rules();
  ASSERT_EQ(rules.size(), static_cast<std::size_t>(Action::erase_person) + 1);
  for (std::size_t i = 0; i < rules.size(); ++i) EXPECT_EQ(static_cast<std::size_t>(rules[i].action), i);
}

TEST(Policy, ActionNamesAreUnique) {
  std::set<std::string_view> names;
  for (const auto& rule : expected_rules()) {
    EXPECT_EQ(action_name(rule.action), rule.name);
    names.insert(action_name(rule.action));
  }
  EXPECT_EQ(names.size(), expected_rules().size());
}

// Every action, as an anonymous visitor and as an account holding each single role.
TEST(Policy, MayAttemptEveryActionAsEveryRole) {
  for (const auto& rule : expected_rules()) {
    SCOPED_TRACE(std::string(rule.name));
    const auto anon = may_attempt(anonymous(), rule.action);
    EXPECT_EQ(anon, rule.audience == Audience::anyone ? Decision::allow : Decision::sign_in_required)
        << "anonymous: " << decision_name(anon);

    for (const Role role : accounts::kAllRoles) {
      Decision expected = Decision::allow;
      if (rule.audience == Audience::roles) {
        const bool listed = std::find(rule.roles.begin(), rule.roles.end(), role) != rule.roles.end();
        expected = listed ? Decision::allow : Decision::forbidden;
      }
      const auto got = may_attempt(signed_in({role}), rule.action);
      EXPECT_EQ(got, expected) << accounts::role_name(role) << ": " << decision_name(got);
    }
  }
}

TEST(Policy, SignedInWithoutRolesGetsOnlyTheOpenActions) {
  for (const auto& rule : expected_rules()) {
    const auto got = may_attempt(signed_in({}), rule.action);
    EXPECT_EQ(got, rule.audience == Audience::roles ? Decision::forbidden : Decision::allow) << rule.name;
  }
}

TEST(Policy, AnyOneOfSeveralRolesIsEnough) {
  const auto subject = signed_in({Role::volunteer, Role::provider_editor});
  EXPECT_EQ(may_attempt(subject, Action::edit_directory), Decision::allow);
  EXPECT_EQ(may_attempt(signed_in({Role::volunteer}), Action::edit_directory), Decision::forbidden);
  EXPECT_EQ(may_attempt(subject, Action::manage_accounts), Decision::forbidden);
}

TEST(Policy, RolesWithoutAnAccountCountForNothing) {
  Subject s;  // account_id 0: not signed in, whatever the roles say
  s.roles = roles({Role::system_admin, Role::resident, Role::provider_admin});
  EXPECT_EQ(may_attempt(s, Action::manage_accounts), Decision::sign_in_required);
  EXPECT_EQ(may_attempt(s, Action::read_own_record), Decision::sign_in_required);
  EXPECT_EQ(may_attempt(s, Action::edit_directory), Decision::sign_in_required);
  EXPECT_EQ(may_attempt(s, Action::use_own_account), Decision::sign_in_required);
  EXPECT_EQ(may_attempt(s, Action::read_public), Decision::allow);
}

ResidentFacts facts_for(std::int64_t resident_id) {
  ResidentFacts f;
  f.resident_id = resident_id;
  return f;
}

TEST(ResidentRead, AResidentReadsTheirOwnRecord) {
  EXPECT_EQ(decide_resident_read(signed_in({Role::resident}, 42), facts_for(42)), Decision::allow);
}

TEST(ResidentRead, AResidentCannotSeeAnotherResidentsRecord) {
  EXPECT_EQ(decide_resident_read(signed_in({Role::resident}, 42), facts_for(43)), Decision::not_found);
}

TEST(ResidentRead, NoResidentRecordMatchesNothing) {
  // An account that is no resident (id 0) must not match a record with id 0.
  EXPECT_EQ(decide_resident_read(signed_in({Role::resident}, 0), facts_for(0)), Decision::not_found);
  // The same id without the resident role is no claim to the record.
  EXPECT_EQ(decide_resident_read(signed_in({Role::volunteer}, 42), facts_for(42)), Decision::not_found);
}

TEST(ResidentRead, ACoordinatorReadsTheirCaseloadOnly) {
  auto facts = facts_for(43);
  EXPECT_EQ(decide_resident_read(signed_in({Role::coordinator}), facts), Decision::not_found);
  facts.on_my_caseload = true;
  EXPECT_EQ(decide_resident_read(signed_in({Role::coordinator}), facts), Decision::allow);
  // A caseload fact means nothing to someone who is not a coordinator.
  EXPECT_EQ(decide_resident_read(signed_in({Role::delegate}), facts), Decision::not_found);
  EXPECT_EQ(decide_resident_read(signed_in({Role::resident}, 42), facts), Decision::not_found);
}

TEST(ResidentRead, ADelegateReadsOnlyWithADelegation) {
  auto facts = facts_for(43);
  EXPECT_EQ(decide_resident_read(signed_in({Role::delegate}), facts), Decision::not_found);
  facts.delegated_to_me = true;
  EXPECT_EQ(decide_resident_read(signed_in({Role::delegate}), facts), Decision::allow);
  EXPECT_EQ(decide_resident_read(signed_in({Role::coordinator}), facts), Decision::not_found);
}

TEST(ResidentRead, ConsentAllowsAnyoneSignedIn) {
  auto facts = facts_for(43);
  facts.consented_to_me = true;
  EXPECT_EQ(decide_resident_read(signed_in({}), facts), Decision::allow);
  for (const Role role : accounts::kAllRoles)
    EXPECT_EQ(decide_resident_read(signed_in({role}), facts), Decision::allow) << accounts::role_name(role);
}

TEST(ResidentRead, AnonymousMustSignInWhateverTheFacts) {
  auto facts = facts_for(42);
  facts.on_my_caseload = true;
  facts.delegated_to_me = true;
  facts.consented_to_me = true;
  Subject s;
  s.roles = roles({Role::resident, Role::coordinator, Role::delegate});
  s.resident_id = 42;
  EXPECT_EQ(decide_resident_read(s, facts), Decision::sign_in_required);
  EXPECT_EQ(decide_resident_read(anonymous(), facts_for(0)), Decision::sign_in_required);
}

TEST(DirectoryEdit, StaffEditTheirOwnOrganisations) {
  for (const Role role : {Role::provider_admin, Role::provider_editor}) {
    const auto staff = signed_in({role}, 0, {"org-a", "org-b"});
    EXPECT_EQ(decide_directory_edit(staff, "org-a"), Decision::allow) << accounts::role_name(role);
    EXPECT_EQ(decide_directory_edit(staff, "org-b"), Decision::allow) << accounts::role_name(role);
  }
}

TEST(DirectoryEdit, StaffOfAnotherOrganisationSeeNothing) {
  const auto staff = signed_in({Role::provider_admin}, 0, {"org-a"});
  EXPECT_EQ(decide_directory_edit(staff, "org-c"), Decision::not_found);
  EXPECT_EQ(decide_directory_edit(staff, "org-a2"), Decision::not_found);
  EXPECT_EQ(decide_directory_edit(staff, "org"), Decision::not_found);
  EXPECT_EQ(decide_directory_edit(staff, "ORG-A"), Decision::not_found);
  EXPECT_EQ(decide_directory_edit(staff, ""), Decision::not_found);
  EXPECT_EQ(decide_directory_edit(signed_in({Role::provider_editor}), "org-a"), Decision::not_found);
}

TEST(DirectoryEdit, NonStaffAreForbidden) {
  for (const Role role : accounts::kAllRoles) {
    if (role == Role::provider_admin || role == Role::provider_editor) continue;
    // Even with the organisation listed: it is the role that makes staff.
    EXPECT_EQ(decide_directory_edit(signed_in({role}, 0, {"org-a"}), "org-a"), Decision::forbidden)
        << accounts::role_name(role);
  }
  EXPECT_EQ(decide_directory_edit(signed_in({}, 0, {"org-a"}), "org-a"), Decision::forbidden);
}

TEST(DirectoryEdit, AnonymousMustSignIn) {
  Subject s;
  s.roles = roles({Role::provider_admin});
  s.organisations = {"org-a"};
  EXPECT_EQ(decide_directory_edit(s, "org-a"), Decision::sign_in_required);
  EXPECT_EQ(decide_directory_edit(anonymous(), "org-a"), Decision::sign_in_required);
}

}  // namespace
}  // namespace bespoke::policy
