#include "accounts/passwords.h"

#include "core/embedded.h"
#include "core/utf8.h"

#include "core/ids.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

namespace bespoke::accounts {
namespace passwords_embedded {
const std::vector<core::EmbeddedFile>& embedded_files();
}  // namespace passwords_embedded

namespace {

constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 19 * 1024 * 1024;

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

PasswordRules::PasswordRules() {
  for (const auto& file : passwords_embedded::embedded_files()) {
    std::string_view text = file.text;
    while (!text.empty()) {
      const auto end = text.find('\n');
      const auto line = text.substr(0, end);
      if (!line.empty()) common_.push_back(lower_ascii(line));
      if (end == std::string_view::npos) break;
      text.remove_prefix(end + 1);
    }
  }
  std::sort(common_.begin(), common_.end());
  common_.erase(std::unique(common_.begin(), common_.end()), common_.end());
}

bool PasswordRules::is_common(std::string_view password) const {
  return std::binary_search(common_.begin(), common_.end(), lower_ascii(password));
}

std::optional<core::Error> PasswordRules::check(std::string_view password, std::string_view email,
                                                std::string_view field) const {
  const std::string f(field);
  if (password.empty()) return core::Error::invalid(f, "Enter a password");
  if (!core::is_valid_utf8(password)) return core::Error::invalid(f, "Password contains characters that cannot be read");
  if (password.size() > kMaxPasswordBytes || core::code_points(password) > kMaxPasswordChars)
    return core::Error::invalid(f, "Password must be " + std::to_string(kMaxPasswordChars) + " characters or fewer");
  if (core::code_points(password) < kMinPasswordChars)
    return core::Error::invalid(f, "Password must be " + std::to_string(kMinPasswordChars) + " characters or more");
  if (is_common(password))
    return core::Error::invalid(f, "Password is too common: choose one that others are unlikely to use");
  if (!email.empty() && lower_ascii(password) == lower_ascii(email))
    return core::Error::invalid(f, "Password must not be your email address");
  return std::nullopt;
}

std::string hash_password(std::string_view password) {
  core::ensure_sodium();
  std::string out(crypto_pwhash_STRBYTES, '\0');
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("argon2id hashing failed (out of memory)");
  out.resize(out.find('\0'));
  return out;
}

bool verify_password(std::string_view stored_hash, std::string_view password) {
  core::ensure_sodium();
  // libsodium wants a NUL-terminated hash of at most STRBYTES.
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string hash(stored_hash);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool password_needs_rehash(std::string_view stored_hash) {
  core::ensure_sodium();
  if (stored_hash.size() >= crypto_pwhash_STRBYTES) return true;
  const std::string hash(stored_hash);
  return crypto_pwhash_str_needs_rehash(hash.c_str(), kOpsLimit, kMemLimit) != 0;
}

}  // namespace bespoke::accounts
