#include "accounts/roles.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace bespoke::accounts {
namespace {

TEST(Roles, ListsEveryRoleOnceInDeclarationOrder) {
  ASSERT_EQ(kAllRoles.size(), static_cast<std::size_t>(Role::system_admin) + 1);
  for (std::size_t i = 0; i < kAllRoles.size(); ++i) EXPECT_EQ(static_cast<std::size_t>(kAllRoles[i]), i);
}

TEST(Roles, NamesRoundTripForEveryRole) {
  for (const Role role : kAllRoles) {
    const auto name = role_name(role);
    const auto parsed = parse_role(name);
    ASSERT_TRUE(parsed.has_value()) << name;
    EXPECT_EQ(*parsed, role) << name;
  }
}

TEST(Roles, NamesAreTheStoredWords) {
  EXPECT_EQ(role_name(Role::resident), "resident");
  EXPECT_EQ(role_name(Role::delegate), "delegate");
  EXPECT_EQ(role_name(Role::coordinator), "coordinator");
  EXPECT_EQ(role_name(Role::provider_admin), "provider_admin");
  EXPECT_EQ(role_name(Role::provider_editor), "provider_editor");
  EXPECT_EQ(role_name(Role::volunteer), "volunteer");
  EXPECT_EQ(role_name(Role::commissioner), "commissioner");
  EXPECT_EQ(role_name(Role::moderator), "moderator");
  EXPECT_EQ(role_name(Role::system_admin), "system_admin");
}

TEST(Roles, NamesAndLabelsAreUniqueAndNotEmpty) {
  std::set<std::string_view> names;
  std::set<std::string_view> labels;
  for (const Role role : kAllRoles) {
    EXPECT_FALSE(role_label(role).empty()) << role_name(role);
    names.insert(role_name(role));
    labels.insert(role_label(role));
  }
  EXPECT_EQ(names.size(), kAllRoles.size());
  EXPECT_EQ(labels.size(), kAllRoles.size());
  EXPECT_EQ(role_label(Role::provider_admin), "Provider staff (admin)");
}

// The account_role table's CHECK constraint must accept every name we store.
TEST(Roles, EveryNameIsAllowedByTheMigration) {
  std::ifstream in(std::string(BESPOKE_SOURCE_DIR) + "/src/store/migrations/0005_accounts.sql");
  ASSERT_TRUE(in) << "cannot read the accounts migration";
  std::stringstream sql;
  sql << in.rdbuf();
  for (const Role role : kAllRoles) {
    const std::string quoted = "'" + std::string(role_name(role)) + "'";
    EXPECT_NE(sql.str().find(quoted), std::string::npos) << quoted;
  }
}

TEST(Roles, ParseRejectsUnknownNames) {
  for (const std::string_view name :
       {"", "Resident", "RESIDENT", " resident", "resident ", "admin", "provider-admin", "provider", "system admin",
        "residents", "Provider staff (admin)"}) {
    EXPECT_FALSE(parse_role(name).has_value()) << "'" << name << "'";
  }
  EXPECT_FALSE(parse_role(std::string_view("resident\0", 9)).has_value());
}

TEST(Roles, OnlyProviderStaffRolesBelongToAnOrganisation) {
  for (const Role role : kAllRoles) {
    const bool expected = role == Role::provider_admin || role == Role::provider_editor;
    EXPECT_EQ(is_organisation_role(role), expected) << role_name(role);
  }
}

TEST(RoleSet, StartsEmpty) {
  constexpr RoleSet none;
  static_assert(none.empty());
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.bits(), 0u);
  for (const Role role : kAllRoles) EXPECT_FALSE(none.has(role)) << role_name(role);
}

TEST(RoleSet, HoldsExactlyTheRolesAdded) {
  for (const Role added : kAllRoles) {
    RoleSet set;
    set.add(added);
    EXPECT_FALSE(set.empty());
    for (const Role role : kAllRoles)
      EXPECT_EQ(set.has(role), role == added) << role_name(added) << " / " << role_name(role);
  }

  RoleSet two;
  two.add(Role::coordinator);
  two.add(Role::moderator);
  EXPECT_TRUE(two.has(Role::coordinator));
  EXPECT_TRUE(two.has(Role::moderator));
  EXPECT_FALSE(two.has(Role::resident));
  EXPECT_FALSE(two.has(Role::system_admin));
}

TEST(RoleSet, AddingTwiceChangesNothingAndOrderDoesNotMatter) {
  RoleSet a;
  a.add(Role::delegate);
  a.add(Role::volunteer);
  const auto bits = a.bits();
  a.add(Role::delegate);
  EXPECT_EQ(a.bits(), bits);

  RoleSet b;
  b.add(Role::volunteer);
  b.add(Role::delegate);
  EXPECT_EQ(a, b);

  RoleSet c;
  c.add(Role::volunteer);
  EXPECT_NE(a, c);
}

TEST(RoleSet, EveryRoleHasItsOwnBit) {
  RoleSet all;
  for (const Role role : kAllRoles) all.add(role);
  EXPECT_EQ(all.bits(), (1u << kAllRoles.size()) - 1);
  for (const Role role : kAllRoles) EXPECT_TRUE(all.has(role)) << role_name(role);
}

}  // namespace
}  // namespace bespoke::accounts
