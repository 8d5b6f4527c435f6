#include "app/demo_accounts.h"

#include "accounts/passwords.h"
#include "core/time.h"
#include "store/accounts_store.h"

#include <vector>

namespace bespoke::app {
namespace {

using accounts::Role;

store::DemoAccount demo_account(std::string email, std::string name, std::vector<store::RoleGrant> roles,
                                std::int64_t resident_id = 0) {
  store::DemoAccount a;
  a.account.email = std::move(email);
  a.account.display_name = std::move(name);
  a.account.password_hash = accounts::hash_password(kDemoPassword);
  a.account.demo = true;
  a.account.email_verified = true;
  a.account.resident_id = resident_id;
  a.account.roles = std::move(roles);
  return a;
}

}  // namespace

int add_demo_accounts(store::Connection& db) {
  const auto people = store::pick_demo_people(db, 25);
  std::vector<store::DemoAccount> accounts;
  if (people.resident1 != 0)
    accounts.push_back(demo_account("resident1@demo.invalid", people.resident1_name, {{Role::resident, {}}},
                                    people.resident1));
  if (people.resident2 != 0)
    accounts.push_back(demo_account("resident2@demo.invalid", people.resident2_name, {{Role::resident, {}}},
                                    people.resident2));
  auto delegate = demo_account("delegate1@demo.invalid", "Dana Delegate", {{Role::delegate, {}}});
  if (people.resident1 != 0) delegate.delegate_for_email = "resident1@demo.invalid";
  accounts.push_back(std::move(delegate));
  auto coordinator = demo_account("coordinator1@demo.invalid", "Cara Coordinator", {{Role::coordinator, {}}});
  coordinator.caseload = people.caseload;
  accounts.push_back(std::move(coordinator));
  if (!people.organisations.empty())
    accounts.push_back(demo_account("provider1@demo.invalid", "Priya Provider",
                                    {{Role::provider_admin, people.organisations[0]}}));
  if (people.organisations.size() > 1)
    accounts.push_back(demo_account("provider2@demo.invalid", "Pat Provider",
                                    {{Role::provider_editor, people.organisations[1]}}));
  accounts.push_back(demo_account("volunteer1@demo.invalid", "Vic Volunteer", {{Role::volunteer, {}}}));
  accounts.push_back(demo_account("commissioner1@demo.invalid", "Cam Commissioner", {{Role::commissioner, {}}}));
  accounts.push_back(demo_account("moderator1@demo.invalid", "Mo Moderator", {{Role::moderator, {}}}));
  accounts.push_back(demo_account("admin1@demo.invalid", "Ada Admin", {{Role::system_admin, {}}}));
  store::replace_demo_accounts(db, accounts, core::SystemTime{}.now());
  return static_cast<int>(accounts.size());
}

}  // namespace bespoke::app
