#include "feedback/feedback.h"

#include <gtest/gtest.h>

namespace bespoke::feedback {
namespace {

FeedbackInput input(std::string satisfaction, std::string comment = {}, std::string page = {}) {
  return {std::move(satisfaction), std::move(comment), std::move(page)};
}

TEST(FeedbackValidate, AcceptsEveryAnswerOnTheScale) {
  for (auto code : kSatisfactionCodes) {
    auto r = validate(input(std::string(code)));
    ASSERT_TRUE(r) << code;
    EXPECT_FALSE(satisfaction_label(code).empty());
  }
}

TEST(FeedbackValidate, NamesTheFieldThatIsWrong) {
  EXPECT_EQ(validate(input("")).error().field, "satisfaction");
  EXPECT_EQ(validate(input("thrilled")).error().field, "satisfaction");
  EXPECT_EQ(validate(input("satisfied", std::string(1201, 'a'))).error().field, "comment");
  EXPECT_EQ(validate(input("satisfied", "bell\x07")).error().field, "comment");
  EXPECT_EQ(validate(input("satisfied", "", "https://example.org/")).error().field, "page");
  EXPECT_EQ(validate(input("satisfied", "", "//example.org/")).error().field, "page");
  EXPECT_EQ(validate(input("satisfied", "\xC3")).error().field, "comment");
}

TEST(FeedbackValidate, CountsCharactersNotBytes) {
  std::string accents;
  for (int i = 0; i < 1200; ++i) accents += "é";  // 2 bytes each
  EXPECT_TRUE(validate(input("neither", accents)));
  EXPECT_FALSE(validate(input("neither", accents + "é")));
}

TEST(FeedbackValidate, TrimsAndKeepsLineBreaks) {
  auto r = validate(input("satisfied", "  line one\nline two \n", " /feedback "));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->comment, "line one\nline two");
  EXPECT_EQ(r->page, "/feedback");
}

}  // namespace
}  // namespace bespoke::feedback
