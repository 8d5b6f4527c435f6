#include "accounts/tokens.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <set>
#include <string>

namespace bespoke::accounts {
namespace {

bool is_base64url(std::string_view text) {
  for (const char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool is_lower_hex(std::string_view text) {
  for (const char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

TEST(Tokens, NewTokenIs43Base64urlCharactersAndItsHash) {
  const auto t = new_token();
  EXPECT_EQ(t.token.size(), 43u) << t.token;
  EXPECT_TRUE(is_base64url(t.token)) << t.token;
  EXPECT_EQ(t.hash, token_hash(t.token));
  EXPECT_NE(t.hash, t.token);
}

TEST(Tokens, PrefixIsPartOfTheToken) {
  const auto t = new_token("bsp_");
  ASSERT_EQ(t.token.size(), 4u + 43u) << t.token;
  EXPECT_EQ(t.token.substr(0, 4), "bsp_");
  EXPECT_TRUE(is_base64url(t.token.substr(4))) << t.token;
  EXPECT_EQ(t.hash, token_hash(t.token));                // the hash covers the prefix too
  EXPECT_NE(t.hash, token_hash(t.token.substr(4)));
}

TEST(Tokens, NewTokensAreUnique) {
  std::set<std::string> tokens;
  std::set<std::string> hashes;
  for (int i = 0; i < 2000; ++i) {
    auto t = new_token();
    tokens.insert(t.token);
    hashes.insert(t.hash);
  }
  EXPECT_EQ(tokens.size(), 2000u);
  EXPECT_EQ(hashes.size(), 2000u);
}

TEST(Tokens, LooksLikeTokenAcceptsOurTokens) {
  for (int i = 0; i < 200; ++i) {  // every character position sees many values
    const auto plain = new_token();
    const auto api = new_token("bsp_");
    ASSERT_TRUE(looks_like_token(plain.token)) << plain.token;
    ASSERT_TRUE(looks_like_token(api.token, "bsp_")) << api.token;
  }
  EXPECT_TRUE(looks_like_token(std::string(43, 'A')));
  EXPECT_TRUE(looks_like_token(std::string(21, '-') + std::string(22, '_')));
}

TEST(Tokens, LooksLikeTokenRejectsWrongLengthAlphabetOrPrefix) {
  const auto t = new_token();
  EXPECT_FALSE(looks_like_token(""));
  EXPECT_FALSE(looks_like_token(t.token.substr(0, 42)));
  EXPECT_FALSE(looks_like_token(t.token + "A"));
  for (const char bad : {'+', '/', '=', '.', ' ', '%', '\0', '~'}) {
    std::string token = t.token;
    token[20] = bad;
    EXPECT_FALSE(looks_like_token(token)) << "with '" << bad << "'";
  }
  std::string accented = t.token.substr(0, 41) + "é";  // 43 bytes, but not our alphabet
  ASSERT_EQ(accented.size(), 43u);
  EXPECT_FALSE(looks_like_token(accented));

  const auto api = new_token("bsp_");
  EXPECT_FALSE(looks_like_token(api.token));                  // prefix not expected: too long
  EXPECT_FALSE(looks_like_token(t.token, "bsp_"));            // prefix missing
  EXPECT_FALSE(looks_like_token("xsp_" + api.token.substr(4), "bsp_"));
  EXPECT_FALSE(looks_like_token("BSP_" + api.token.substr(4), "bsp_"));
  EXPECT_FALSE(looks_like_token("bsp_", "bsp_"));
}

TEST(Tokens, TokenHashIsBlake2b256InLowerHex) {
  // Known answers (BLAKE2b with a 32-byte digest, RFC 7693).
  EXPECT_EQ(token_hash(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(token_hash("abc"), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");

  const auto t = new_token();
  const auto h = token_hash(t.token);
  EXPECT_EQ(h.size(), 64u);
  EXPECT_TRUE(is_lower_hex(h)) << h;
  EXPECT_EQ(token_hash(t.token), h);  // deterministic
  EXPECT_NE(token_hash(t.token + "x"), h);
}

TEST(Tokens, CsrfTokenIsDeterministicPerSecret) {
  const auto a = new_token().token;
  const auto b = new_token().token;
  const auto csrf_a = csrf_token_for(a);
  EXPECT_EQ(csrf_a.size(), 43u);
  EXPECT_TRUE(is_base64url(csrf_a)) << csrf_a;
  EXPECT_EQ(csrf_token_for(a), csrf_a);
  EXPECT_NE(csrf_token_for(b), csrf_a);
  EXPECT_NE(csrf_token_for(""), csrf_token_for("x"));
}

TEST(Tokens, CsrfTokenIsNotAPlainHashOfTheSecret) {
  const auto secret = new_token().token;
  const auto csrf = csrf_token_for(secret);
  EXPECT_NE(csrf, token_hash(secret));
  EXPECT_EQ(token_hash(secret).find(csrf), std::string::npos);
  EXPECT_NE(csrf, secret);

  // Nor the unkeyed BLAKE2b of it in the same encoding: a page that knows the
  // algorithm still needs the key.
  std::array<unsigned char, 32> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                     nullptr, 0);
  std::array<char, sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)> unkeyed{};
  sodium_bin2base64(unkeyed.data(), unkeyed.size(), digest.data(), digest.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  EXPECT_NE(csrf, std::string(unkeyed.data()));
}

TEST(Tokens, EqualInConstantTimeComparesWholeTexts) {
  const auto t = new_token().token;
  std::string first = t;
  first[0] = first[0] == 'A' ? 'B' : 'A';
  std::string last = t;
  last.back() = last.back() == 'A' ? 'B' : 'A';

  EXPECT_TRUE(equal_in_constant_time(t, std::string(t)));
  EXPECT_TRUE(equal_in_constant_time("", ""));
  EXPECT_FALSE(equal_in_constant_time(t, first));
  EXPECT_FALSE(equal_in_constant_time(t, last));
  EXPECT_FALSE(equal_in_constant_time(t, t.substr(0, 42)));
  EXPECT_FALSE(equal_in_constant_time(t.substr(0, 42), t));
  EXPECT_FALSE(equal_in_constant_time("", "a"));
  EXPECT_FALSE(equal_in_constant_time("abc", "abC"));
}

}  // namespace
}  // namespace bespoke::accounts
