#pragma once
// Passwords: the rules a new one must meet, and argon2id hashing (libsodium,
// OWASP's parameters: 19 MiB of memory, 2 passes, 1 lane).
#include "core/error.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::accounts {

inline constexpr std::size_t kMinPasswordChars = 12;   // code points
inline constexpr std::size_t kMaxPasswordChars = 128;  // argon2 takes any length; a cap keeps requests cheap
inline constexpr std::size_t kMaxPasswordBytes = 4 * kMaxPasswordChars;  // refused before counting

// The rules for a new password, with the common-password list shipped in
// data/passwords/ (loaded once; the app builds one and passes it around).
class PasswordRules {
 public:
  PasswordRules();

  // nullopt when acceptable; otherwise an error on `field` saying what to change.
  // Checks: valid UTF-8, length, not one of the common passwords (ignoring
  // case), not the email address itself.
  [[nodiscard]] std::optional<core::Error> check(std::string_view password, std::string_view email,
                                                 std::string_view field = "password") const;

  [[nodiscard]] bool is_common(std::string_view password) const;
  [[nodiscard]] std::size_t common_count() const noexcept { return common_.size(); }

 private:
  std::vector<std::string> common_;  // lower case, sorted
};

// The PHC string ("$argon2id$v=19$m=19456,t=2,p=1$...") to store.
[[nodiscard]] std::string hash_password(std::string_view password);

// Constant time in the password; false for a malformed hash.
[[nodiscard]] bool verify_password(std::string_view stored_hash, std::string_view password);

// Was the stored hash made with weaker parameters than today's?
[[nodiscard]] bool password_needs_rehash(std::string_view stored_hash);

}  // namespace bespoke::accounts
