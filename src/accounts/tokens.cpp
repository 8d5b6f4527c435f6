#include "accounts/tokens.h"

#include "core/ids.h"

#include <sodium.h>

#include <array>

namespace bespoke::accounts {
namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kEncodedChars = 43;  // base64url of 32 bytes, unpadded

std::string base64url(const unsigned char* bytes, std::size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

template <std::size_t N>
std::string hex(const std::array<unsigned char, N>& bytes) {
  std::string out(N * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes.data(), N);
  out.pop_back();
  return out;
}

}  // namespace

NewToken new_token(std::string_view prefix) {
  core::ensure_sodium();
  std::array<unsigned char, kTokenBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  NewToken t;
  t.token = std::string(prefix) + base64url(bytes.data(), bytes.size());
  sodium_memzero(bytes.data(), bytes.size());
  t.hash = token_hash(t.token);
  return t;
}

std::string token_hash(std::string_view token) {
  core::ensure_sodium();
  std::array<unsigned char, 32> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     nullptr, 0);
  return hex(digest);
}

std::string csrf_token_for(std::string_view cookie_secret) {
  core::ensure_sodium();
  // A fixed key separates this use of the secret from every other hash of it.
  static constexpr std::string_view kKey = "bespoke csrf token v1, 32 bytes";
  static_assert(kKey.size() >= crypto_generichash_KEYBYTES_MIN);
  std::array<unsigned char, 32> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(cookie_secret.data()),
                     cookie_secret.size(), reinterpret_cast<const unsigned char*>(kKey.data()), kKey.size());
  return base64url(digest.data(), digest.size());
}

bool equal_in_constant_time(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool looks_like_token(std::string_view token, std::string_view prefix) noexcept {
  if (!token.starts_with(prefix)) return false;
  token.remove_prefix(prefix.size());
  if (token.size() != kEncodedChars) return false;
  for (const char c : token) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace bespoke::accounts
