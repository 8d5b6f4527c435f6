#pragma once
// Sending mail (an adapter, like the HTTP server, so it lives with the web
// layer): an RFC 5322 message formatted from our outbox rows, and a plain SMTP client (RFC 5321) that hands it to a relay. No TLS: run a local
// relay (or a smarthost on a private network) that takes mail from us.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace bespoke::web::mail {

struct SmtpConfig {
  std::string host;                    // the relay
  std::string port = "25";
  std::string from;                    // the envelope and From: address
  std::string helo_name = "bespoke";   // our name in EHLO
  std::chrono::seconds timeout{20};    // for the whole conversation
};

// "host:port" (or "host", port 25) into the config's host and port; false when malformed.
[[nodiscard]] bool parse_relay(std::string_view relay, SmtpConfig& config);

struct Message {
  std::string to;
  std::string subject;
  std::string body;  // UTF-8 text, lines ending in \n
};

// The message as sent in DATA: headers (the subject encoded per RFC 2047 when
// it is not ASCII; CR and LF removed from header values), a blank line, the
// body with CRLF line ends and dot-stuffing (RFC 5321 4.5.2), without the
// final ".". date is an RFC 5322 date, message_id "<...@...>".
[[nodiscard]] std::string format_message(const SmtpConfig& config, const Message& message, std::string_view date,
                                         std::string_view message_id);

// Delivers one message. nullopt when the relay accepted it; otherwise what
// went wrong (the relay's reply, or the network error), for the outbox row.
[[nodiscard]] std::optional<std::string> send(const SmtpConfig& config, const Message& message);

}  // namespace bespoke::web::mail
