#include "accounts/passwords.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <fstream>
#include <set>
#include <string>

namespace bespoke::accounts {
namespace {

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

std::string upper_ascii(std::string text) {
  for (char& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

// One PasswordRules for the whole suite: it sorts the embedded list once.
class PasswordRulesTest : public ::testing::Test {
 protected:
  static const PasswordRules& rules() {
    static const PasswordRules instance;
    return instance;
  }
  // The message of the error for `password`, or "" when it is accepted.
  static std::string refusal(std::string_view password, std::string_view email = "someone@example.org") {
    const auto error = rules().check(password, email);
    if (!error) return {};
    EXPECT_EQ(error->code, core::ErrorCode::invalid);
    EXPECT_EQ(error->field, "password");
    EXPECT_FALSE(error->message.empty());
    return error->message;
  }
  static bool mentions(const std::string& message, std::string_view words) {
    return message.find(words) != std::string::npos;
  }
};

TEST_F(PasswordRulesTest, AcceptsAGoodPassphrase) {
  EXPECT_EQ(refusal("correct horse battery staple"), "");
  EXPECT_EQ(refusal("Tea at 4 on the green bench!"), "");
}

TEST_F(PasswordRulesTest, RefusesAnEmptyPassword) { EXPECT_TRUE(mentions(refusal(""), "Enter a password")); }

TEST_F(PasswordRulesTest, CountsLengthInCodePointsNotBytes) {
  EXPECT_TRUE(mentions(refusal("abcdefghijk"), "12 characters or more"));  // 11
  EXPECT_EQ(refusal("abcdefghijkm"), "");                                    // 12

  // "é" is 2 bytes, "🙂" 4: the byte count is well over 12 either way.
  EXPECT_TRUE(mentions(refusal(repeat("é", 11)), "12 characters or more"));
  EXPECT_EQ(refusal(repeat("é", 12)), "");
  EXPECT_TRUE(mentions(refusal(repeat("🙂", 11)), "12 characters or more"));
  EXPECT_EQ(refusal(repeat("🙂", 12)), "");
}

TEST_F(PasswordRulesTest, RefusesMoreThan128Characters) {
  const std::string at_limit = "Ab1-" + repeat("x", kMaxPasswordChars - 4);
  ASSERT_EQ(at_limit.size(), 128u);
  EXPECT_EQ(refusal(at_limit), "");
  EXPECT_TRUE(mentions(refusal(at_limit + "y"), "128 characters or fewer"));
  // The cap counts characters, not bytes: 128 two-byte ones pass, 129 do not.
  EXPECT_EQ(refusal(repeat("é", 128)), "");
  EXPECT_TRUE(mentions(refusal(repeat("é", 129)), "128 characters or fewer"));
  // Four-byte characters too.
  EXPECT_EQ(refusal(repeat("🙂", 128)), "");
  EXPECT_TRUE(mentions(refusal(repeat("🙂", 129)), "or fewer"));
}

TEST_F(PasswordRulesTest, RefusesInvalidUtf8) {
  EXPECT_TRUE(mentions(refusal("abcdefghijkl\xC3"), "cannot be read"));        // truncated sequence
  EXPECT_TRUE(mentions(refusal("abcdef\xFF" "ghijklmn"), "cannot be read"));   // never valid
  EXPECT_TRUE(mentions(refusal("abcdefghijkl\xC0\xAF"), "cannot be read"));    // overlong '/'
  EXPECT_TRUE(mentions(refusal("abcdefghijkl\xED\xA0\x80"), "cannot be read"));  // a surrogate
}

TEST_F(PasswordRulesTest, RefusesCommonPasswordsInAnyLetterCase) {
  ASSERT_TRUE(rules().is_common("password1234"));  // on the shipped list
  for (const std::string_view password : {"password1234", "Password1234", "PASSWORD1234", "pAsSwOrD1234"})
    EXPECT_TRUE(mentions(refusal(password), "too common")) << password;
  EXPECT_TRUE(mentions(refusal("LeaveMeAlone"), "too common"));
  EXPECT_FALSE(rules().is_common("correct horse battery staple"));
}

TEST_F(PasswordRulesTest, KnowsEveryPasswordOnTheShippedList) {
  std::ifstream in(std::string(BESPOKE_SOURCE_DIR) + "/data/passwords/common-passwords.txt");
  ASSERT_TRUE(in);
  std::set<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.insert(line);
  ASSERT_GT(lines.size(), 10000u);
  EXPECT_EQ(rules().common_count(), lines.size());
  std::size_t missing = 0;
  for (const auto& line : lines) {
    if (!rules().is_common(line) || !rules().is_common(upper_ascii(line))) {
      if (++missing <= 5) ADD_FAILURE() << "not recognised as common: " << line;
    }
  }
  EXPECT_EQ(missing, 0u);
}

TEST_F(PasswordRulesTest, RefusesTheEmailAddressIgnoringCase) {
  EXPECT_TRUE(mentions(refusal("Someone@Example.org", "someone@example.org"), "email address"));
  EXPECT_TRUE(mentions(refusal("someone@example.org", "someone@example.org"), "email address"));
  // A different address, or no address at all, is fine.
  EXPECT_EQ(refusal("someone@example.org", "other@example.org"), "");
  EXPECT_EQ(refusal("someone@example.org", ""), "");
}

TEST_F(PasswordRulesTest, NamesTheFieldItWasGiven) {
  const auto error = rules().check("short", "a@example.org", "new_password");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->field, "new_password");
}

// Hashing costs about 50 ms a time: one hash for the whole suite.
class PasswordHashTest : public ::testing::Test {
 protected:
  static constexpr std::string_view kPassword = "correct horse battery staple";
  static const std::string& stored() {
    static const std::string hash = hash_password(kPassword);
    return hash;
  }
};

TEST_F(PasswordHashTest, IsArgon2idWithTheOwaspParameters) {
  const std::string prefix = "$argon2id$v=19$m=19456,t=2,p=1$";
  ASSERT_EQ(stored().substr(0, prefix.size()), prefix) << stored();
  EXPECT_GT(stored().size(), prefix.size() + 40);  // a salt and a digest follow
  EXPECT_EQ(stored().find('\0'), std::string::npos);
  EXPECT_EQ(stored().find(kPassword), std::string::npos);
}

TEST_F(PasswordHashTest, VerifiesTheRightPasswordOnly) {
  EXPECT_TRUE(verify_password(stored(), kPassword));
  EXPECT_FALSE(verify_password(stored(), "correct horse battery stapl"));
  EXPECT_FALSE(verify_password(stored(), "Correct horse battery staple"));
  EXPECT_FALSE(verify_password(stored(), ""));
}

TEST_F(PasswordHashTest, SaltsEveryHash) {
  const auto again = hash_password(kPassword);
  EXPECT_NE(again, stored());
  EXPECT_TRUE(verify_password(again, kPassword));
}

TEST_F(PasswordHashTest, MalformedHashesVerifyNothing) {
  EXPECT_FALSE(verify_password("", kPassword));
  EXPECT_FALSE(verify_password("not a hash", kPassword));
  EXPECT_FALSE(verify_password(kPassword, kPassword));
  EXPECT_FALSE(verify_password(stored().substr(0, stored().size() - 5), kPassword));
  EXPECT_FALSE(verify_password(stored() + std::string(200, 'A'), kPassword));  // longer than libsodium takes
  std::string with_nul = stored();
  with_nul[10] = '\0';
  EXPECT_FALSE(verify_password(with_nul, kPassword));
}

TEST_F(PasswordHashTest, AFreshHashNeedsNoRehash) { EXPECT_FALSE(password_needs_rehash(stored())); }

TEST_F(PasswordHashTest, AWeakerHashNeedsRehashButStillVerifies) {
  char weak[crypto_pwhash_STRBYTES] = {};
  ASSERT_EQ(crypto_pwhash_str_alg(weak, kPassword.data(), kPassword.size(), 1, 8u * 1024 * 1024,
                                  crypto_pwhash_ALG_ARGON2ID13),
            0);
  ASSERT_EQ(std::string_view(weak).substr(0, 30), "$argon2id$v=19$m=8192,t=1,p=1$");
  EXPECT_TRUE(password_needs_rehash(weak));
  EXPECT_TRUE(verify_password(weak, kPassword));
}

}  // namespace
}  // namespace bespoke::accounts
