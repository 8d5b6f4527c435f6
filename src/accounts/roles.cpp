#include "accounts/roles.h"

namespace bespoke::accounts {
namespace {

struct RoleNames {
  Role role;
  std::string_view name;
  std::string_view label;
};

constexpr std::array<RoleNames, kAllRoles.size()> kNames{{
    {Role::resident, "resident", "Resident"},
    {Role::delegate, "delegate", "Acting for someone"},
    {Role::coordinator, "coordinator", "Care coordinator"},
    {Role::provider_admin, "provider_admin", "Provider staff (admin)"},
    {Role::provider_editor, "provider_editor", "Provider staff (editor)"},
    {Role::volunteer, "volunteer", "Volunteer"},
    {Role::commissioner, "commissioner", "Commissioner"},
    {Role::moderator, "moderator", "Moderator"},
    {Role::system_admin, "system_admin", "System administrator"},
}};

const RoleNames& names_of(Role role) noexcept { return kNames[static_cast<std::size_t>(role)]; }

}  // namespace

std::string_view role_name(Role role) noexcept { return names_of(role).name; }
std::string_view role_label(Role role) noexcept { return names_of(role).label; }

std::optional<Role> parse_role(std::string_view name) noexcept {
  for (const auto& n : kNames)
    if (n.name == name) return n.role;
  return std::nullopt;
}

}  // namespace bespoke::accounts
