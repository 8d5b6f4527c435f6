#include "web/mail/smtp.h"

#include "core/ids.h"

#include <boost/asio/ip/tcp.hpp>

#include <ctime>

namespace bespoke::web::mail {
namespace {

std::string without_line_breaks(std::string_view text) {
  std::string out;
  for (const char c : text)
    if (c != '\r' && c != '\n') out += c;
  return out;
}

bool is_ascii(std::string_view text) {
  for (const char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// An SMTP reply: its code and all its lines; code 0 when the connection failed.
struct Reply {
  int code = 0;
  std::string text;
};

Reply read_reply(boost::asio::ip::tcp::iostream& stream) {
  Reply reply;
  std::string line;
  while (std::getline(stream, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    reply.text += (reply.text.empty() ? "" : " ") + line;
    if (line.size() < 3) return {};
    // "250-..." continues, "250 ..." (or a bare "250") ends the reply.
    if (line.size() == 3 || line[3] == ' ') {
      reply.code = std::atoi(line.substr(0, 3).c_str());
      return reply;
    }
  }
  return {};
}

}  // namespace

bool parse_relay(std::string_view relay, SmtpConfig& config) {
  const auto colon = relay.rfind(':');
  const auto host = colon == std::string_view::npos ? relay : relay.substr(0, colon);
  const auto port = colon == std::string_view::npos ? std::string_view("25") : relay.substr(colon + 1);
  if (host.empty() || port.empty() || port.size() > 5) return false;
  for (const char c : port)
    if (c < '0' || c > '9') return false;
  config.host = std::string(host);
  config.port = std::string(port);
  return true;
}

std::string format_message(const SmtpConfig& config, const Message& message, std::string_view date,
                           std::string_view message_id) {
  const auto subject = without_line_breaks(message.subject);
  std::string out;
  out += "From: Bespoke <" + without_line_breaks(config.from) + ">\r\n";
  out += "To: <" + without_line_breaks(message.to) + ">\r\n";
  out += "Subject: " + (is_ascii(subject) ? subject : "=?UTF-8?B?" + base64(subject) + "?=") + "\r\n";
  out += "Date: " + std::string(date) + "\r\n";
  out += "Message-ID: " + without_line_breaks(message_id) + "\r\n";
  out += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
  std::string_view body = message.body;
  while (!body.empty()) {
    const auto end = body.find('\n');
    auto line = body.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.starts_with('.')) out += '.';  // a line of its own "." would end DATA
    out += line;
    out += "\r\n";
    if (end == std::string_view::npos) break;
    body.remove_prefix(end + 1);
  }
  return out;
}

std::optional<std::string> send(const SmtpConfig& config, const Message& message) {
  boost::asio::ip::tcp::iostream stream;
  stream.expires_after(config.timeout);
  stream.connect(config.host, config.port);
  if (!stream) return "cannot connect to " + config.host + ":" + config.port + ": " + stream.error().message();

  const auto expect = [&](int wanted_class, const std::string& what) -> std::optional<std::string> {
    const auto reply = read_reply(stream);
    if (reply.code == 0) return what + ": the relay closed the connection or timed out";
    if (reply.code / 100 != wanted_class) return what + ": " + reply.text;
    return std::nullopt;
  };
  const auto command = [&](const std::string& line, int wanted_class) {
    stream << line << "\r\n" << std::flush;
    return expect(wanted_class, line.substr(0, line.find(':') == std::string::npos ? line.size() : line.find(':')));
  };

  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  const auto at = config.from.find('@');
  const auto domain = at == std::string::npos ? std::string("bespoke.invalid") : config.from.substr(at + 1);
  const auto message_id = "<" + core::random_hex(16) + "@" + domain + ">";

  if (auto e = expect(2, "greeting")) return e;
  if (auto e = command("EHLO " + config.helo_name, 2)) return e;
  if (auto e = command("MAIL FROM:<" + without_line_breaks(config.from) + ">", 2)) return e;
  if (auto e = command("RCPT TO:<" + without_line_breaks(message.to) + ">", 2)) return e;
  if (auto e = command("DATA", 3)) return e;
  stream << format_message(config, message, date, message_id) << ".\r\n" << std::flush;
  if (auto e = expect(2, "message")) return e;
  stream << "QUIT\r\n" << std::flush;
  return std::nullopt;
}

}  // namespace bespoke::web::mail
