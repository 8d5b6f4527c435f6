#pragma once
// The roles an account can hold (one account may hold several). Provider staff
// roles are held for one organisation; the others are held for the whole place.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace bespoke::accounts {

enum class Role : std::uint8_t {
  resident,         // the person the services are for
  delegate,         // acts for a resident, within the scope and time granted
  coordinator,      // care coordinator or link worker: sees their caseload only
  provider_admin,   // manages one organisation's directory entries and its staff
  provider_editor,  // edits one organisation's directory entries
  volunteer,
  commissioner,     // council-wide reports and agreements
  moderator,        // public feedback
  system_admin,     // accounts and roles only, never care records
};

inline constexpr std::array kAllRoles{Role::resident,     Role::delegate,        Role::coordinator,
                                      Role::provider_admin, Role::provider_editor, Role::volunteer,
                                      Role::commissioner, Role::moderator,       Role::system_admin};

// The name stored and shown in the API ("provider_admin").
[[nodiscard]] std::string_view role_name(Role role) noexcept;
// For pages ("Provider staff (admin)").
[[nodiscard]] std::string_view role_label(Role role) noexcept;
[[nodiscard]] std::optional<Role> parse_role(std::string_view name) noexcept;

// Is the role held for one organisation rather than the whole place?
[[nodiscard]] constexpr bool is_organisation_role(Role role) noexcept {
  return role == Role::provider_admin || role == Role::provider_editor;
}

// A set of roles as bits, for cheap checks on every request.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr void add(Role role) noexcept { bits_ |= bit(role); }
  [[nodiscard]] constexpr bool has(Role role) const noexcept { return (bits_ & bit(role)) != 0; }
  [[nodiscard]] constexpr bool empty() const noexcept { return bits_ == 0; }
  [[nodiscard]] constexpr std::uint32_t bits() const noexcept { return bits_; }
  friend constexpr bool operator==(RoleSet, RoleSet) = default;

 private:
  static constexpr std::uint32_t bit(Role role) noexcept { return 1u << static_cast<unsigned>(role); }
  std::uint32_t bits_ = 0;
};

}  // namespace bespoke::accounts
