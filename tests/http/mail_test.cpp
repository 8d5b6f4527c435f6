// Mail leaves the outbox through a real SMTP conversation: a small SMTP
// server in the test takes what `bespoke serve --smtp` delivers.
#include "http/browser_client.h"
#include "http/server_process.h"
#include "http/test_env.h"
#include "store/database.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

namespace bespoke::testing {
namespace {

// Accepts connections on a free port and answers SMTP: 250 to everything, 354
// to DATA; keeps every message's DATA. Rejects RCPT to refuse@... with 550.
class FakeSmtp {
 public:
  FakeSmtp() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    listen(fd_, 8);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeSmtp() {
    stop_ = true;
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::vector<std::string> messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }

 private:
  void serve() {
    while (!stop_) {
      const int client = accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      talk(client);
      close(client);
    }
  }
  void say(int client, const std::string& line) { (void)::send(client, line.data(), line.size(), MSG_NOSIGNAL); }
  void talk(int client) {
    say(client, "220 fake ESMTP\r\n");
    std::string buffer, data;
    bool in_data = false;
    char chunk[4096];
    while (true) {
      const auto n = recv(client, chunk, sizeof chunk, 0);
      if (n <= 0) return;
      buffer.append(chunk, static_cast<std::size_t>(n));
      for (auto end = buffer.find("\r\n"); end != std::string::npos; end = buffer.find("\r\n")) {
        const auto line = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        if (in_data) {
          if (line == ".") {
            in_data = false;
            std::lock_guard lock(mutex_);
            messages_.push_back(data);
            say(client, "250 queued\r\n");
          } else {
            data += line + "\n";
          }
        } else if (line == "DATA") {
          in_data = true;
          data.clear();
          say(client, "354 go on\r\n");
        } else if (line.rfind("RCPT TO:<refuse@", 0) == 0) {
          say(client, "550 no such user\r\n");
        } else if (line == "QUIT") {
          say(client, "221 bye\r\n");
          return;
        } else if (line.rfind("EHLO", 0) == 0) {
          say(client, "250-fake\r\n250 8BITMIME\r\n");
        } else {
          say(client, "250 ok\r\n");
        }
      }
    }
  }

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> messages_;
};

class Mail : public ::testing::TestWithParam<Backend> {};

TEST_P(Mail, RegistrationMailIsDeliveredThroughTheRelay) {
  BESPOKE_NEED(fresh_database(GetParam(), db_skip), db);
  FakeSmtp relay;
  ServerProcess server(db, {"--smtp", "127.0.0.1:" + std::to_string(relay.port()), "--mail-from",
                            "bespoke@council.example", "--public-url", "https://bespoke.council.example/"});
  BrowserClient b(server.port());
  b.get("/register");
  ASSERT_EQ(b.post_form("/register", {{"name", "Cy"}, {"email", "cy@example.org"}, {"password", "long enough passphrase"}})
                .status,
            200);
  b.post_form("/register", {{"name", "Di"}, {"email", "refuse@example.org"}, {"password", "long enough passphrase"}});
  ASSERT_TRUE(eventually([&] { return !relay.messages().empty(); }, std::chrono::seconds(20)));
  const auto message = relay.messages().front();
  EXPECT_NE(message.find("To: <cy@example.org>"), std::string::npos) << message;
  EXPECT_NE(message.find("From: Bespoke <bespoke@council.example>"), std::string::npos);
  // Links use the configured public address, never the request's Host header.
  EXPECT_NE(message.find("https://bespoke.council.example/verify-email?token="), std::string::npos) << message;
  // The refused one stays in the outbox with the relay's answer, for a retry.
  auto conn = store::open(db);
  EXPECT_TRUE(eventually([&] {
    return !conn->query("SELECT 1 FROM mail_outbox WHERE to_address = 'refuse@example.org' AND last_error LIKE '%550%'")
                .empty();
  }));
  EXPECT_FALSE(conn->query("SELECT 1 FROM mail_outbox WHERE to_address = 'cy@example.org' AND sent_at IS NOT NULL").empty());
  EXPECT_EQ(relay.messages().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, Mail, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return std::string(backend_name(info.param)); });

}  // namespace
}  // namespace bespoke::testing
