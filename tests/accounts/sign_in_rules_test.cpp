#include "accounts/sign_in_rules.h"

#include <gtest/gtest.h>

#include <climits>
#include <string>

namespace bespoke::accounts {
namespace {

using namespace std::chrono;

const core::Timestamp kSignIn = sys_days{2026y / March / 1} + 9h;

TEST(SessionState, LiveUntilExactlyThirtyIdleMinutes) {
  const SessionLimits limits;
  EXPECT_EQ(session_state(kSignIn, kSignIn, kSignIn, limits), SessionState::live);
  EXPECT_EQ(session_state(kSignIn, kSignIn, kSignIn + 30min - 1s, limits), SessionState::live);
  EXPECT_EQ(session_state(kSignIn, kSignIn, kSignIn + 30min, limits), SessionState::idle_expired);
  EXPECT_EQ(session_state(kSignIn, kSignIn, kSignIn + 2h, limits), SessionState::idle_expired);
  // Idleness counts from the last request, not from sign-in.
  const auto seen = kSignIn + 5h;
  EXPECT_EQ(session_state(kSignIn, seen, seen + 30min - 1s, limits), SessionState::live);
  EXPECT_EQ(session_state(kSignIn, seen, seen + 30min, limits), SessionState::idle_expired);
}

TEST(SessionState, EndsExactlyTwelveHoursAfterSignInHoweverBusy) {
  const SessionLimits limits;
  const auto before = kSignIn + 12h - 1s;
  const auto at = kSignIn + 12h;
  EXPECT_EQ(session_state(kSignIn, before - 1min, before, limits), SessionState::live);
  EXPECT_EQ(session_state(kSignIn, at - 1min, at, limits), SessionState::absolute_expired);
  EXPECT_EQ(session_state(kSignIn, at, at, limits), SessionState::absolute_expired);
  // Both limits passed: the absolute one is reported.
  EXPECT_EQ(session_state(kSignIn, kSignIn, at, limits), SessionState::absolute_expired);
}

TEST(SessionState, FollowsTheLimitsGiven) {
  SessionLimits limits;
  limits.idle = 5min;
  limits.absolute = 1h;
  EXPECT_EQ(session_state(kSignIn, kSignIn, kSignIn + 5min - 1s, limits), SessionState::live);
  EXPECT_EQ(session_state(kSignIn, kSignIn, kSignIn + 5min, limits), SessionState::idle_expired);
  EXPECT_EQ(session_state(kSignIn, kSignIn + 58min, kSignIn + 1h, limits), SessionState::absolute_expired);
}

TEST(SessionState, TouchesAtMostOnceAMinute) {
  const SessionLimits limits;
  EXPECT_FALSE(session_needs_touch(kSignIn, kSignIn, limits));
  EXPECT_FALSE(session_needs_touch(kSignIn, kSignIn + 59s, limits));
  EXPECT_TRUE(session_needs_touch(kSignIn, kSignIn + 60s, limits));
  EXPECT_TRUE(session_needs_touch(kSignIn, kSignIn + 29min, limits));
  SessionLimits often;
  often.touch_every = 10s;
  EXPECT_FALSE(session_needs_touch(kSignIn, kSignIn + 9s, often));
  EXPECT_TRUE(session_needs_touch(kSignIn, kSignIn + 10s, often));
}

TEST(Throttle, FreeFailuresCostNothing) {
  const ThrottleRules rules;
  for (int failures = 0; failures < rules.free_per_name; ++failures)
    EXPECT_EQ(throttle_delay(failures, rules.free_per_name, rules), 0s) << failures;
  for (int failures = 0; failures < rules.free_per_address; ++failures)
    EXPECT_EQ(throttle_delay(failures, rules.free_per_address, rules), 0s) << failures;
}

TEST(Throttle, DoublesFromTwoSecondsUpToFifteenMinutes) {
  const ThrottleRules rules;
  const int free = rules.free_per_name;  // 5
  EXPECT_EQ(throttle_delay(free, free, rules), 2s);
  EXPECT_EQ(throttle_delay(free + 1, free, rules), 4s);
  EXPECT_EQ(throttle_delay(free + 2, free, rules), 8s);
  EXPECT_EQ(throttle_delay(free + 3, free, rules), 16s);
  EXPECT_EQ(throttle_delay(free + 8, free, rules), 512s);
  EXPECT_EQ(throttle_delay(free + 9, free, rules), 15min);  // 1024 s, capped
  EXPECT_EQ(throttle_delay(free + 10, free, rules), 15min);
  // The address counter works the same way after its own free allowance.
  EXPECT_EQ(throttle_delay(19, rules.free_per_address, rules), 0s);
  EXPECT_EQ(throttle_delay(20, rules.free_per_address, rules), 2s);
  EXPECT_EQ(throttle_delay(21, rules.free_per_address, rules), 4s);
}

TEST(Throttle, NeverOverflowsAtHugeCounts) {
  const ThrottleRules rules;
  for (const int failures : {40, 63, 64, 65, 1000, 1 << 20, INT_MAX - 1, INT_MAX})
    EXPECT_EQ(throttle_delay(failures, rules.free_per_name, rules), 15min) << failures;

  // Without a practical ceiling the delay still grows and stays positive.
  ThrottleRules endless;
  endless.max_delay = hours(24 * 365 * 1000);
  auto previous = 0s;
  for (int failures = 0; failures < 200; ++failures) {
    const auto delay = throttle_delay(failures, 0, endless);
    ASSERT_GE(delay, previous) << failures;
    ASSERT_GT(delay, 0s) << failures;
    previous = delay;
  }
  EXPECT_GT(throttle_delay(INT_MAX, 0, endless), 0s);
  EXPECT_LE(throttle_delay(INT_MAX, 0, endless), endless.max_delay);
}

TEST(Throttle, FollowsTheRulesGiven) {
  ThrottleRules rules;
  rules.first_delay = 10s;
  rules.max_delay = 60s;
  EXPECT_EQ(throttle_delay(2, 3, rules), 0s);
  EXPECT_EQ(throttle_delay(3, 3, rules), 10s);
  EXPECT_EQ(throttle_delay(4, 3, rules), 20s);
  EXPECT_EQ(throttle_delay(5, 3, rules), 40s);
  EXPECT_EQ(throttle_delay(6, 3, rules), 60s);
}

TEST(NormaliseEmail, TrimsAndLowerCases) {
  const auto r = normalise_email("  Someone.Else@Example.ORG \t\r\n");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "someone.else@example.org");
  EXPECT_EQ(normalise_email("a+tag@sub.example.co.uk").value(), "a+tag@sub.example.co.uk");
}

TEST(NormaliseEmail, LowerCasesAsciiOnly) {
  const auto r = normalise_email("ÉLODIE@Exämple.org");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "Élodie@exämple.org");
}

TEST(NormaliseEmail, RefusesEmptyOrMalformedAddresses) {
  for (const std::string_view bad :
       {"", "   ", "\t\n", "no-at-sign", "@example.org", "someone@", "someone@localhost", "two@@example.org",
        "a@b@example.org", "some one@example.org", "someone@exa mple.org", ".someone@example.org",
        "someone.@example.org", "some..one@example.org", "someone@-example.org", "someone@example..org",
        "<someone@example.org>", "\xC3@example.org"}) {
    const auto r = normalise_email(bad);
    ASSERT_FALSE(r) << "'" << bad << "' gave " << *r;
    EXPECT_EQ(r.error().code, core::ErrorCode::invalid) << bad;
    EXPECT_EQ(r.error().field, "email") << bad;
    EXPECT_FALSE(r.error().message.empty()) << bad;
  }
  EXPECT_EQ(normalise_email("").error().message, "Enter your email address");
}

TEST(NormaliseEmail, AllowsAtMost254Bytes) {
  const std::string local(64, 'x');
  const auto address = [&](std::size_t total) {
    std::string domain = std::string(total - local.size() - 1 - 4, 'd') + ".org";
    return local + "@" + domain;
  };
  ASSERT_EQ(address(254).size(), 254u);
  const auto ok = normalise_email(address(254));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->size(), 254u);
  const auto long_one = normalise_email(address(255));
  ASSERT_FALSE(long_one);
  EXPECT_EQ(long_one.error().field, "email");
  // Surrounding spaces do not count against the limit.
  EXPECT_TRUE(normalise_email("  " + address(254) + "  "));
}

TEST(NormaliseEmail, NamesTheFieldItWasGiven) {
  const auto r = normalise_email("nope", "new_email");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "new_email");
}

}  // namespace
}  // namespace bespoke::accounts
