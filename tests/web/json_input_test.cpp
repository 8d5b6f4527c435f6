#include "web/json_input.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace bespoke::web {
namespace {

TEST(JsonInput, ParsesAnObject) {
  auto r = parse_json_body(R"({"name":"Ada","tags":["a","b"],"n":3})");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->at("name"), "Ada");
  EXPECT_EQ(r->at("tags").as_array().size(), 2u);
}

TEST(JsonInput, AllowsSurroundingWhitespace) { EXPECT_TRUE(parse_json_body(" \n{\"a\":1}\r\n ").has_value()); }

TEST(JsonInput, RejectsAnEmptyBody) {
  auto r = parse_json_body("  ");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::invalid);
}

TEST(JsonInput, RejectsInvalidUtf8) {
  auto r = parse_json_body("{\"a\":\"\xff\"}");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("UTF-8"), std::string::npos);
  EXPECT_FALSE(parse_json_body("{\"a\":\"\xed\xa0\x80\"}").has_value());  // an encoded surrogate
}

TEST(JsonInput, RejectsDuplicateKeysWithTheirPointer) {
  auto r = parse_json_body(R"({"a":1,"a":2})");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "/a");
  EXPECT_NE(r.error().message.find("Duplicate"), std::string::npos);

  r = parse_json_body(R"({"list":[{"x":1},{"x":1,"y/z":2,"y/z":3}]})");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "/list/1/y~1z");
}

TEST(JsonInput, SameKeyInDifferentObjectsIsFine) {
  EXPECT_TRUE(parse_json_body(R"({"a":{"a":1},"b":{"a":2}})").has_value());
}

TEST(JsonInput, RejectsNestingBeyondTheLimit) {
  std::string ok(64, '[');
  ok += std::string(64, ']');
  EXPECT_TRUE(parse_json_body(ok).has_value());
  std::string deep(65, '[');
  deep += std::string(65, ']');
  auto r = parse_json_body(deep);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("nested"), std::string::npos);
  EXPECT_TRUE(parse_json_body(deep, 100).has_value());
}

TEST(JsonInput, HundredThousandBracketsFailFast) {
  const std::string bomb(100'000, '[');
  const auto t0 = std::chrono::steady_clock::now();
  auto r = parse_json_body(bomb);
  EXPECT_FALSE(r.has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));  // generous: ASan, loaded CI
}

std::string object_with_keys(std::size_t n) {
  std::string body = "{";
  for (std::size_t i = 0; i < n; ++i) {
    if (i != 0) body += ',';
    body += "\"k" + std::to_string(i) + "\":1";
  }
  body += '}';
  return body;
}

TEST(JsonInput, ManyKeysAreCheckedInLinearTime) {
  const std::string body = object_with_keys(60'000);  // about 600 KiB
  const auto t0 = std::chrono::steady_clock::now();
  auto r = parse_json_body(body, 64, 100'000);
  const auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->as_object().size(), 60'000u);
  // Quadratic checking took seconds here; linear takes milliseconds even under ASan.
  EXPECT_LT(took, std::chrono::seconds(1));
}

TEST(JsonInput, ObjectWithMoreMembersThanTheCapIsRejectedQuickly) {
  const std::string body = object_with_keys(80'000);  // about 850 KiB
  const auto t0 = std::chrono::steady_clock::now();
  auto r = parse_json_body(body);  // the default cap: 10,000
  const auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::invalid);
  EXPECT_NE(r.error().message.find("more than 10000 members"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().field, "");
  EXPECT_LT(took, std::chrono::seconds(1));

  EXPECT_TRUE(parse_json_body(R"({"a":1,"b":2})", 64, 2).has_value());
  r = parse_json_body(R"({"o":{"a":1,"b":2,"c":3}})", 64, 2);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "/o");
}

TEST(JsonInput, RejectsTrailingGarbage) {
  auto r = parse_json_body(R"({"a":1} x)");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("after"), std::string::npos);
  EXPECT_FALSE(parse_json_body(R"({"a":1}{"b":2})").has_value());
}

TEST(JsonInput, RejectsTruncatedJsonWithAPlace) {
  auto r = parse_json_body(R"({"a":[1,2,)");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field.substr(0, 2), "/a");
}

TEST(JsonInput, RejectsSyntaxErrors) {
  EXPECT_FALSE(parse_json_body("{a:1}").has_value());
  EXPECT_FALSE(parse_json_body("[1,]").has_value());
  EXPECT_FALSE(parse_json_body("// comment\n{}").has_value());
}

}  // namespace
}  // namespace bespoke::web
