// Consent, delegation and a caseload's lawful basis: what a grant must say
// before it is stored, and the problems a form shows when it does not.
#include "accounts/consent.h"
#include "accounts/delegation.h"
#include "accounts/lawful_basis.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bespoke::accounts {
namespace {

using namespace std::chrono;

const core::Timestamp kNow = sys_days{2026y / November / 29} + 10h;

std::vector<std::string> fields_of(const std::vector<core::Error>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.field);
  return out;
}

DelegationRequest daughter() {
  DelegationRequest r;
  r.delegate_email = "  Amira.Khan@Example.ORG ";
  r.parts = {"needs", "plan"};
  return r;
}

TEST(Delegation, AValidRequestIsNormalised) {
  const auto valid = validate_delegation(daughter(), kNow);
  ASSERT_TRUE(valid) << valid.error().message;
  EXPECT_EQ(valid->delegate_email, "amira.khan@example.org");
  EXPECT_EQ(valid->parts, (std::vector{RecordPart::needs, RecordPart::plan}));
  EXPECT_FALSE(valid->until);
  EXPECT_EQ(valid->reason, "");
}

TEST(Delegation, EveryProblemIsReportedInTheFormsOrder) {
  DelegationRequest r;
  r.delegate_email = "not an email";
  r.until = "2026-02-30";
  r.reason_required = true;
  EXPECT_EQ(fields_of(delegation_problems(r, kNow)),
            (std::vector<std::string>{"delegate_email", "parts", "until", "reason"}));
  const auto first = validate_delegation(r, kNow);
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().field, "delegate_email");
}

TEST(Delegation, TheEndDateIsTheEndOfThatDayAndMustBeInTheFuture) {
  auto r = daughter();
  r.until = "2026-11-29";
  const auto today = validate_delegation(r, kNow);
  ASSERT_TRUE(today);
  EXPECT_EQ(*today->until, sys_days{2026y / November / 29} + 23h + 59min + 59s);
  r.until = "2026-11-28";
  EXPECT_EQ(fields_of(delegation_problems(r, kNow)), std::vector<std::string>{"until"});
  r.until = "28/11/2027";
  EXPECT_EQ(fields_of(delegation_problems(r, kNow)), std::vector<std::string>{"until"});
}

TEST(Delegation, PartsAreKnownAndCountedOnce) {
  auto r = daughter();
  r.parts = {"plan", "plan", "budget"};
  EXPECT_EQ(validate_delegation(r, kNow)->parts, (std::vector{RecordPart::plan, RecordPart::budget}));
  r.parts = {"plan", "everything"};
  const auto problems = delegation_problems(r, kNow);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message, "Select only from the parts listed");
}

TEST(Delegation, WhatACoordinatorRecordsEndsWithinAYear) {
  auto r = daughter();
  r.reason_required = true;
  r.reason = "Mental capacity assessment of 2 October 2026";
  EXPECT_EQ(delegation_problems(r, kNow).at(0).message, "Enter the last day, at most a year from today");
  r.until = "2027-11-29";  // 365 days on
  EXPECT_TRUE(validate_delegation(r, kNow));
  r.until = "2027-12-31";
  EXPECT_EQ(fields_of(delegation_problems(r, kNow)), std::vector<std::string>{"until"});
  r.until = "yesterday";  // one problem with the date, not two
  EXPECT_EQ(fields_of(delegation_problems(r, kNow)), std::vector<std::string>{"until"});
  r.reason_required = false;  // the resident themselves may leave it open
  r.until = "";
  EXPECT_TRUE(validate_delegation(r, kNow));
}

TEST(Delegation, ACoordinatorMustGiveAReasonOfSensibleLength) {
  auto r = daughter();
  r.reason_required = true;
  r.until = "2027-06-30";
  r.reason = "   ";
  EXPECT_EQ(delegation_problems(r, kNow).at(0).message, "Say why the person cannot decide this themselves");
  r.reason = std::string(kMaxReasonChars, 'x');
  EXPECT_TRUE(validate_delegation(r, kNow));
  r.reason = std::string(kMaxReasonChars + 1, 'x');
  EXPECT_EQ(fields_of(delegation_problems(r, kNow)), std::vector<std::string>{"reason"});
  r.reason = "capacity\x01";
  EXPECT_EQ(delegation_problems(r, kNow).at(0).message, "The reason must not contain control characters");
  r.reason = "\xff\xfe";
  EXPECT_EQ(delegation_problems(r, kNow).at(0).message, "The reason contains characters that cannot be read");
  // Multi-byte characters count once each.
  std::string welsh;
  for (std::size_t i = 0; i < kMaxReasonChars; ++i) welsh += "\xc5\xb5";  // ŵ
  r.reason = welsh;
  EXPECT_TRUE(validate_delegation(r, kNow));
}

TEST(Delegation, TheScopeIsStoredAsWordsAndReadBack) {
  const std::vector parts{RecordPart::what_matters, RecordPart::budget};
  EXPECT_EQ(scope_text(parts), "what_matters budget");
  EXPECT_EQ(parse_scope("what_matters budget"), parts);
  EXPECT_EQ(parse_scope(""), std::vector<RecordPart>{});
  EXPECT_EQ(parse_scope("budget  nonsense needs"), (std::vector{RecordPart::budget, RecordPart::needs}));
  EXPECT_EQ(scope_text({kRecordParts.begin(), kRecordParts.end()}), "needs what_matters plan budget");
}

TEST(Consent, SharesTheChecksOfDelegation) {
  ConsentRequest r;
  r.grantee_kind = GranteeKind::person;
  r.grantee = "Friend@Example.org";
  r.parts = {"needs"};
  r.purpose = "  to help me choose a lunch club ";
  r.until = "2027-03-31";
  const auto valid = validate_consent(r, kNow);
  ASSERT_TRUE(valid) << valid.error().message;
  EXPECT_EQ(valid->grantee, "friend@example.org");
  EXPECT_EQ(valid->purpose, "to help me choose a lunch club");
  EXPECT_EQ(*valid->until, sys_days{2027y / March / 31} + 24h - 1s);

  ConsentRequest empty;
  empty.grantee_kind = GranteeKind::organisation;
  EXPECT_EQ(fields_of(consent_problems(empty, kNow)), (std::vector<std::string>{"grantee", "parts", "purpose"}));
  r.purpose = std::string(kMaxPurposeChars + 1, 'a');
  EXPECT_EQ(consent_problems(r, kNow).at(0).message, "The purpose must be 300 characters or fewer");
}

TEST(LawfulBasis, RecordsTheLabelAndTheReference) {
  const auto planning = caseload_basis("planning", "  REF-2026-0042 ");
  ASSERT_TRUE(planning);
  EXPECT_EQ(*planning, "Care and support planning under the Care Act 2014, section 25 (REF-2026-0042)");
  EXPECT_EQ(*caseload_basis("safeguarding", ""), "A safeguarding enquiry under the Care Act 2014, section 42");
  for (const auto& basis : kCaseloadBases) EXPECT_TRUE(caseload_basis(basis.name, ""));
}

TEST(LawfulBasis, RefusesAnUnknownBasisAndAnOverlongReference) {
  EXPECT_EQ(caseload_basis("", "").error().field, "basis");
  EXPECT_EQ(caseload_basis("curiosity", "").error().field, "basis");
  EXPECT_EQ(caseload_basis("review", std::string(kMaxBasisNoteChars + 1, '9')).error().field, "note");
  EXPECT_EQ(caseload_basis("review", "a\nb\x02").error().field, "note");
}

}  // namespace
}  // namespace bespoke::accounts
