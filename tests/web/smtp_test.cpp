#include "web/mail/smtp.h"

#include <gtest/gtest.h>

namespace bespoke::web::mail {
namespace {

SmtpConfig config() {
  SmtpConfig c;
  c.from = "bespoke@council.example";
  return c;
}

TEST(ParseRelay, HostAndOptionalPort) {
  SmtpConfig c;
  ASSERT_TRUE(parse_relay("mail.example:2525", c));
  EXPECT_EQ(c.host, "mail.example");
  EXPECT_EQ(c.port, "2525");
  ASSERT_TRUE(parse_relay("localhost", c));
  EXPECT_EQ(c.port, "25");
  EXPECT_FALSE(parse_relay(":25", c));
  EXPECT_FALSE(parse_relay("host:", c));
  EXPECT_FALSE(parse_relay("host:25x", c));
  EXPECT_FALSE(parse_relay("host:123456", c));
}

TEST(FormatMessage, HeadersBlankLineAndCrlfBody) {
  const auto text = format_message(config(), {"ann@example.org", "Confirm your email", "Hello\nLine two\n"},
                                   "Sun, 29 Nov 2026 10:00:00 +0000", "<1@council.example>");
  EXPECT_NE(text.find("From: Bespoke <bespoke@council.example>\r\n"), std::string::npos);
  EXPECT_NE(text.find("To: <ann@example.org>\r\n"), std::string::npos);
  EXPECT_NE(text.find("Subject: Confirm your email\r\n"), std::string::npos);
  EXPECT_NE(text.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(text.find("\r\n\r\nHello\r\nLine two\r\n"), std::string::npos);
  EXPECT_EQ(text.find("\n\n"), std::string::npos) << "no bare LF";
}

TEST(FormatMessage, DotStuffsLinesThatStartWithADot) {
  const auto text = format_message(config(), {"a@example.org", "s", ".\n..two\nnot.first\n"}, "d", "<m@x>");
  EXPECT_NE(text.find("\r\n..\r\n...two\r\nnot.first\r\n"), std::string::npos) << text;
}

TEST(FormatMessage, NoHeaderInjectionAndEncodedUnicodeSubject) {
  const auto text = format_message(config(), {"a@example.org\r\nBcc: evil@example.org", "Hi\r\nBcc: x@y", "b"}, "d",
                                   "<m@x>");
  EXPECT_EQ(text.find("\r\nBcc:"), std::string::npos) << text;
  const auto unicode = format_message(config(), {"a@example.org", "Café", "b"}, "d", "<m@x>");
  EXPECT_NE(unicode.find("Subject: =?UTF-8?B?Q2Fmw6k=?=\r\n"), std::string::npos) << unicode;
}

TEST(Send, AnUnreachableRelayIsAnErrorNotAnException) {
  auto c = config();
  c.host = "127.0.0.1";
  c.port = "1";  // nothing listens on port 1
  c.timeout = std::chrono::seconds(2);
  const auto error = send(c, {"a@example.org", "s", "b"});
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("cannot connect"), std::string::npos) << *error;
}

}  // namespace
}  // namespace bespoke::web::mail
