// The server over real sockets: an in-process Server on port 0, a test Router,
// and a small blocking POSIX client with deadlines (Asio's sync reads cannot time out).
#include "web/server.h"

#include "store/database.h"
#include "web/access_log.h"
#include "web/metrics.h"
#include "web/server/state.h"

#include <arpa/inet.h>
#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <functional>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace bespoke::web {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  [[nodiscard]] std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  [[nodiscard]] bool has(const std::string& name) const { return headers.count(name) != 0; }
};

class Client {
 public:
  explicit Client(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  [[nodiscard]] bool connected() const { return connected_; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads one response; nullopt on timeout or close before a whole response.
  std::optional<Reply> read(bool head = false, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = Clock::now() + timeout;
    std::size_t end = 0;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill(deadline)) return std::nullopt;
    }
    Reply r;
    const std::string head_text = buf_.substr(0, end);
    std::size_t pos = head_text.find("\r\n");
    const std::string status_line = head_text.substr(0, pos);
    if (status_line.size() < 12) return std::nullopt;
    r.status = std::stoi(status_line.substr(9, 3));
    while (pos != std::string::npos && pos < head_text.size()) {
      const std::size_t next = head_text.find("\r\n", pos + 2);
      const std::string line = head_text.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        r.headers[name] = value;
      }
      pos = next;
    }
    buf_.erase(0, end + 4);
    std::size_t length = 0;
    if (!head && r.has("content-length")) length = std::stoul(r.header("content-length"));
    while (buf_.size() < length) {
      if (!fill(deadline)) return std::nullopt;
    }
    r.body = buf_.substr(0, length);
    buf_.erase(0, length);
    return r;
  }

  // True when the server closes the connection (EOF or reset) within timeout.
  bool closed_within(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (::poll(&p, 1, static_cast<int>(std::max<long long>(left, 0))) <= 0) return false;
      char tmp[4096];
      const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n <= 0) return true;
    }
    return false;
  }

  // True once the server's socket is gone altogether (not just shut for
  // sending, which closed_within already reports): a byte sent to a closed
  // socket draws a reset, and the send after that fails.
  bool fully_closed_within(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      if (::send(fd_, "x", 1, MSG_NOSIGNAL) < 0) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  std::string request(std::string_view raw, bool head = false) {
    send(raw);
    auto r = read(head);
    return r ? std::to_string(r->status) : "none";
  }

 private:
  bool fill(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
    char tmp[16384];
    const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

// Polls until done() or the deadline (generous: ASan on two loaded cores).
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds deadline = 5s) {
  const auto end = Clock::now() + deadline;
  while (!done()) {
    if (Clock::now() > end) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

std::string get(std::string_view target, std::string_view extra = {}) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra) + "\r\n";
}

// A database connection that does nothing; counts pings.
class FakeConnection final : public store::Connection {
 public:
  explicit FakeConnection(int id, std::atomic<bool>& healthy) : id_(id), healthy_(healthy) {}
  store::Driver driver() const noexcept override { return store::Driver::sqlite; }
  std::vector<store::Row> query(std::string_view, std::span<const store::Value>) override { return {}; }
  std::int64_t execute(std::string_view, std::span<const store::Value>) override { return 0; }
  void execute_script(std::string_view) override {}
  void begin(store::TxMode) override {}
  void commit() override {}
  void rollback() noexcept override {}
  bool ping() noexcept override { return healthy_.load(); }
  int id() const { return id_; }

 private:
  int id_;
  std::atomic<bool>& healthy_;
};

// A one-shot gate a test opens to let blocked handlers go on.
class Gate {
 public:
  void wait() {
    std::unique_lock lock(m_);
    ++waiting_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
  }
  void open() {
    std::lock_guard lock(m_);
    open_ = true;
    cv_.notify_all();
  }
  bool wait_for_waiters(int n) {
    std::unique_lock lock(m_);
    return cv_.wait_for(lock, 5s, [&] { return waiting_ >= n; });
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  bool open_ = false;
  int waiting_ = 0;
};

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    options_.listen = "127.0.0.1:0";
    options_.io_threads = 2;
    options_.workers = 2;
    options_.log_sink = [this](std::string_view line) {
      std::lock_guard lock(log_mutex_);
      log_.emplace_back(line);
    };
    RouteOptions small;
    small.body_limit = 100;
    RouteOptions cheap;
    cheap.inline_handler = true;
    router_.add("GET", "/hello", policy::Action::read_public, [](const Request&, RequestContext&) { return Response::text(200, "hello"); });
    router_.add("GET", "/echo/{rest...}", policy::Action::read_public, [](const Request& r, RequestContext&) {
      return Response::text(200, r.path + "|" + r.query + "|" + std::string(r.param("rest").value_or("")));
    });
    router_.add("POST", "/submit", policy::Action::read_public,
                [](const Request& r, RequestContext&) { return Response::text(200, "got " + r.body); }, small);
    RouteOptions big;
    big.body_limit = 4 * 1024 * 1024;
    router_.add("POST", "/upload", policy::Action::read_public, [](const Request& r, RequestContext&) {
      return Response::text(200, std::to_string(r.body.size()));
    }, big);
    router_.add("GET", "/inline", policy::Action::read_public, [](const Request&, RequestContext&) { return Response::text(200, "fast"); }, cheap);
    router_.add("GET", "/inline-db", policy::Action::read_public, [](const Request&, RequestContext& c) {
      (void)c.db();
      return Response::text(200, "no");
    }, cheap);
    router_.add("GET", "/custom", policy::Action::read_public, [](const Request&, RequestContext&) {
      Response r = Response::text(200, "{}", "application/vnd.test+json");
      r.set_header("cache-control", "public, max-age=60");
      r.set_header("x-frame-options", "SAMEORIGIN");
      return r;
    });
    router_.add("GET", "/db", policy::Action::read_public, [](const Request&, RequestContext& c) {
      auto& conn = dynamic_cast<FakeConnection&>(c.db());
      return Response::text(200, std::to_string(conn.id()));
    });
    router_.add("GET", "/busy", policy::Action::read_public, [](const Request&, RequestContext& c) -> Response {
      (void)c.db();
      throw store::Failure(store::FailureKind::busy, "database is locked");
    });
    router_.add("GET", "/full", policy::Action::read_public, [](const Request&, RequestContext&) -> Response {
      throw store::Failure(store::FailureKind::full, "disk I/O error: secret path /var/x");
    });
    router_.add("GET", "/boom", policy::Action::read_public, [](const Request&, RequestContext&) -> Response {
      throw std::runtime_error("secret internals");
    });
    router_.add("GET", "/bad-header", policy::Action::read_public, [](const Request&, RequestContext&) {
      Response r = Response::text(200, "x");
      r.set_header("x-evil", "a\r\nSet-Cookie: b");
      return r;
    });
    router_.add("GET", "/caught", policy::Action::read_public, [](const Request&, RequestContext& c) {
      auto& conn = c.db();
      try {
        throw store::Failure(store::FailureKind::other, "connection lost");
      } catch (const store::Failure&) {
        c.connection_failed();
      }
      conn.rollback();  // still usable until the request is over (a guard's destructor does this)
      return Response::text(200, "caught");
    });
    router_.add("GET", "/slow", policy::Action::read_public, [this](const Request&, RequestContext&) {
      gate_.wait();
      return Response::text(200, "slow done");
    });
    factory_ = [this]() -> std::unique_ptr<store::Connection> {
      if (factory_fails_) throw store::Failure(store::FailureKind::unavailable, "connection refused");
      return std::make_unique<FakeConnection>(++opened_, healthy_);
    };
  }

  ~ServerTest() override { stop(); }

  void start() {
    ErrorResponder errors = [](const Request& r, int status, std::string_view title, std::string_view detail) {
      Response res = Response::problem(status, title, detail);
      res.set_header("x-error-for", r.method + " " + r.path);
      return res;
    };
    server_ = std::make_unique<Server>(options_, router_, factory_, errors, metrics_);
    const std::string bound = server_->start();
    port_ = static_cast<unsigned short>(std::stoi(bound.substr(bound.rfind(':') + 1)));
    thread_ = std::thread([this] { server_->run(); });
  }

  void stop() {
    if (!server_) return;
    gate_.open();
    server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  std::vector<std::string> log_lines() {
    std::lock_guard lock(log_mutex_);
    return log_;
  }

  bool log_has(std::string_view part) {
    for (const auto& line : log_lines()) {
      if (line.find(part) != std::string::npos) return true;
    }
    return false;
  }

  // Requests in the metrics text: "bespoke_queue_depth 1" and so on.
  bool metrics_show(std::string_view part) const { return metrics_.render().find(part) != std::string::npos; }

  ServerOptions options_;
  Router router_;
  ConnectionFactory factory_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  unsigned short port_ = 0;
  Gate gate_;
  std::atomic<int> opened_{0};
  std::atomic<bool> healthy_{true};
  std::atomic<bool> factory_fails_{false};
  std::mutex log_mutex_;
  std::vector<std::string> log_;
};

TEST_F(ServerTest, AnswersWithHandlerBodyAndStandardHeaders) {
  start();
  Client c(port_);
  c.send(get("/hello"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
  EXPECT_EQ(r->header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(r->header("content-length"), "5");
  EXPECT_EQ(r->header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r->header("x-frame-options"), "DENY");
  EXPECT_EQ(r->header("referrer-policy"), "no-referrer");
  EXPECT_EQ(r->header("cross-origin-opener-policy"), "same-origin");
  EXPECT_NE(r->header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_NE(r->header("content-security-policy").find("object-src 'none'"), std::string::npos);
  EXPECT_EQ(r->header("cache-control"), "no-store");
  EXPECT_EQ(r->header("server"), "bespoke");
  EXPECT_TRUE(r->has("date"));
  EXPECT_EQ(r->header("x-request-id").size(), 16u);
}

TEST_F(ServerTest, HandlerHeadersWinOverDefaults) {
  start();
  Client c(port_);
  c.send(get("/custom"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("content-type"), "application/vnd.test+json");
  EXPECT_EQ(r->header("cache-control"), "public, max-age=60");
  EXPECT_EQ(r->header("x-frame-options"), "SAMEORIGIN");
}

TEST_F(ServerTest, EchoesAValidClientRequestIdAndReplacesAnInvalidOne) {
  start();
  Client c(port_);
  c.send(get("/hello", "X-Request-Id: abc-123_x.Y\r\n"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("x-request-id"), "abc-123_x.Y");
  c.send(get("/hello", "X-Request-Id: bad id<script>\r\n"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("x-request-id").size(), 16u);
  c.send(get("/hello", "X-Request-Id: " + std::string(65, 'a') + "\r\n"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("x-request-id").size(), 16u);
}

TEST_F(ServerTest, UnknownPathGets404FromErrorResponder) {
  start();
  Client c(port_);
  c.send(get("/nowhere"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->header("x-error-for"), "GET /nowhere");
  EXPECT_EQ(r->header("content-type"), "application/problem+json");
  EXPECT_EQ(r->header("x-content-type-options"), "nosniff");
}

TEST_F(ServerTest, WrongMethodGets405WithAllow) {
  start();
  Client c(port_);
  c.send("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->header("allow"), "GET, HEAD");
}

TEST_F(ServerTest, HeadSendsGetHeadersWithoutBody) {
  start();
  Client c(port_);
  c.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  auto r = c.read(/*head=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("content-length"), "5");
  // The next response must follow at once: no body bytes came in between.
  c.send(get("/hello"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "hello");
}

TEST_F(ServerTest, DecodesPathAndSplitsQuery) {
  start();
  Client c(port_);
  c.send(get("/echo/a%20b/c?x=1&y=%41"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "/echo/a b/c|x=1&y=%41|a b/c");
}

TEST_F(ServerTest, BadEscapeOrEncodedNulGets400AndClose) {
  start();
  {
    Client c(port_);
    c.send(get("/echo/%zz"));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(c.closed_within(3s));
  }
  Client c(port_);
  c.send(get("/echo/a%00b"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST_F(ServerTest, KeepAliveAndPipelinedRequestsShareOneConnection) {
  start();
  Client c(port_);
  for (int i = 0; i < 3; ++i) {
    c.send(get("/hello"));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  c.send(get("/hello") + get("/echo/x"));
  auto a = c.read();
  auto b = c.read();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body, "hello");
  EXPECT_EQ(b->body, "/echo/x||x");
}

TEST_F(ServerTest, ClientConnectionCloseIsHonoured) {
  start();
  Client c(port_);
  c.send(get("/hello", "Connection: close\r\n"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.closed_within(2s));
}

TEST_F(ServerTest, OversizedHeadersGet431) {
  options_.header_limit = 4096;
  start();
  Client c(port_);
  c.send(get("/hello", "X-Big: " + std::string(8000, 'a') + "\r\n"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.closed_within(3s));
}

TEST_F(ServerTest, LongUrlGets414WhetherOrNotItFillsTheHeaderLimit) {
  options_.header_limit = 4096;
  options_.url_limit = 1000;
  start();
  {
    Client c(port_);  // longer than the header limit: Beast stops it mid request line
    c.send(get("/echo/" + std::string(70'000, 'a')));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 414);
  }
  {
    Client c(port_);  // fits the header limit but not the URL limit
    c.send(get("/echo/" + std::string(2000, 'a')));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 414);
  }
}

TEST_F(ServerTest, ContentLengthOverRouteLimitGets413BeforeTheBodyIsSent) {
  start();
  Client c(port_);
  c.send("POST /submit HTTP/1.1\r\nHost: t\r\nContent-Length: 20000000\r\n\r\n");
  const auto t0 = Clock::now();
  auto r = c.read(false, 5s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_LT(Clock::now() - t0, 3s);  // not after 20 MB: none of it was sent
  EXPECT_EQ(r->header("connection"), "close");
}

TEST_F(ServerTest, BodyWithinLimitReachesHandler) {
  start();
  Client c(port_);
  c.send("POST /submit HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nabcde");
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "got abcde");
  c.send("POST /submit HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "got abcde");
}

TEST_F(ServerTest, RouteMayAcceptBodiesAboveBeastsDefaultLimit) {
  start();
  Client c(port_);
  const std::size_t size = 2 * 1024 * 1024;
  c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(size) + "\r\n\r\n" +
         std::string(size, 'x'));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, std::to_string(size));
}

TEST_F(ServerTest, ExpectContinueGets100BeforeTheBody) {
  start();
  Client c(port_);
  c.send("POST /submit HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  auto r = c.read(true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 100);
  c.send("xyz");
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "got xyz");
}

TEST_F(ServerTest, ChunkedBodyOverLimitGets413) {
  start();
  Client c(port_);
  std::string req = "POST /submit HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) req += "32\r\n" + std::string(50, 'x') + "\r\n";
  req += "0\r\n\r\n";
  c.send(req);
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

TEST_F(ServerTest, PostWithoutLengthGets411) {
  start();
  Client c(port_);
  c.send("POST /submit HTTP/1.1\r\nHost: t\r\n\r\n");
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 411);
  EXPECT_TRUE(c.closed_within(3s));
}

TEST_F(ServerTest, MalformedRequestGets400AndClose) {
  start();
  Client c(port_);
  c.send("GET /hello HTTP/1.1\r\nBad Header Line\r\n\r\n");
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(c.closed_within(3s));
  Client d(port_);
  d.send("GET /hello HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
  r = d.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST_F(ServerTest, TricklingHeaderIsCutOffAtTheAbsoluteDeadline) {
  options_.header_timeout = 1s;
  start();
  Client c(port_);
  const std::string req = get("/hello", "X-Slow: " + std::string(100, 'a') + "\r\n");
  const auto t0 = Clock::now();
  bool closed = false;
  for (char ch : req) {
    if (!c.send(std::string_view(&ch, 1))) break;
    if (c.closed_within(200ms)) {
      closed = true;
      break;
    }
    if (Clock::now() - t0 > 5s) break;
  }
  const auto took = Clock::now() - t0;
  // The whole trickle takes about 26 s (130 bytes, 200 ms apart): closing
  // within 4 s proves the 1 s deadline is absolute, not per read.
  ASSERT_GT(req.size(), 100u);
  EXPECT_TRUE(closed);
  EXPECT_GE(took, 800ms);
  EXPECT_LT(took, 4s);
}

TEST_F(ServerTest, SlowBodyIsCutOffAtTheBodyDeadline) {
  options_.body_timeout = 500ms;
  start();
  Client c(port_);
  c.send("POST /submit HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nab");
  const auto t0 = Clock::now();
  EXPECT_TRUE(c.closed_within(8s));
  EXPECT_LT(Clock::now() - t0, 4s);
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosed) {
  options_.idle_timeout = 300ms;
  start();
  Client c(port_);
  c.send(get("/hello"));
  ASSERT_TRUE(c.read());
  const auto t0 = Clock::now();
  EXPECT_TRUE(c.closed_within(3s));
  EXPECT_GE(Clock::now() - t0, 200ms);
}

TEST_F(ServerTest, SilentNewConnectionIsClosedAtTheHeaderDeadline) {
  options_.header_timeout = 300ms;
  start();
  Client c(port_);
  EXPECT_TRUE(c.closed_within(3s));
}

TEST_F(ServerTest, ConnectionsPerAddressAreCapped) {
  options_.max_connections_per_address = 4;
  start();
  std::vector<std::unique_ptr<Client>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<Client>(port_));
    held.back()->send(get("/hello"));
    ASSERT_TRUE(held.back()->read());
  }
  for (int i = 0; i < 3; ++i) {
    Client extra(port_);  // no request sent: the answer comes without reading one
    auto r = extra.read(false, 5s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(r->header("content-type"), "application/problem+json");
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_EQ(r->header("retry-after"), "1");
    EXPECT_NE(r->body.find("too many connections from your address"), std::string::npos);
    EXPECT_NO_THROW((void)boost::json::parse(r->body));
    EXPECT_TRUE(extra.closed_within(5s));
  }
  held.pop_back();
  // The slot is given back once the server has seen the close.
  bool served = false;
  for (int i = 0; i < 50 && !served; ++i) {
    Client again(port_);
    again.send(get("/hello"));
    auto r = again.read();
    served = r && r->status == 200;
    if (!served) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(served);
}

TEST_F(ServerTest, TotalConnectionsAreCapped) {
  options_.max_connections = 2;
  start();
  Client a(port_), b(port_);
  a.send(get("/hello"));
  b.send(get("/hello"));
  ASSERT_TRUE(a.read() && b.read());
  Client c(port_);
  auto r = c.read(false, 5s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_NE(r->body.find("too many connections"), std::string::npos);
}

// B2, B4: a refused connection gets a small fixed answer, is not a Session
// (no open-connection count, no access-log line with a bogus duration, no
// histogram entry) and is closed by the server even if the client never closes.
TEST_F(ServerTest, RefusedConnectionsAreCheapAndClosedSoon) {
  options_.max_connections_per_address = 1;
  start();
  Client held(port_);
  held.send(get("/hello"));
  ASSERT_TRUE(held.read());
  std::vector<std::unique_ptr<Client>> refused;
  for (int i = 0; i < 20; ++i) {
    refused.push_back(std::make_unique<Client>(port_));
    auto r = refused.back()->read(false, 5s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
  }
  // The clients keep their sockets open and keep sending: the server's short
  // linger (0.5 s) ends each of them anyway.
  const auto t0 = Clock::now();
  for (auto& c : refused) EXPECT_TRUE(c->fully_closed_within(8s));
  EXPECT_LT(Clock::now() - t0, 5s);
  EXPECT_TRUE(metrics_show("http_refused_connections_total 20\n"));
  EXPECT_TRUE(metrics_show("http_open_connections 1\n"));
  EXPECT_FALSE(metrics_show("status=\"503\""));
  ASSERT_TRUE(eventually([&] { return log_has("\"msg\":\"request\""); }));
  for (const auto& line : log_lines()) {
    const auto o = boost::json::parse(line).as_object();
    if (o.at("msg") != "request") continue;
    EXPECT_EQ(o.at("status"), 200);
    EXPECT_LT(o.at("duration_us").as_int64(), 5'000'000);
  }
}

TEST_F(ServerTest, FullQueueGets503AtOnce) {
  options_.workers = 1;
  options_.queue_capacity = 1;
  start();
  Client busy(port_), queued(port_), refused(port_);
  busy.send(get("/slow"));
  ASSERT_TRUE(gate_.wait_for_waiters(1));
  queued.send(get("/slow"));
  ASSERT_TRUE(eventually([&] { return metrics_show("bespoke_queue_depth 1\n"); }));  // it holds the one slot
  const auto t0 = Clock::now();
  refused.send(get("/hello"));
  auto r = refused.read(false, 5s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->header("retry-after"), "1");
  EXPECT_LT(Clock::now() - t0, 3s);  // at once, not after the gate (which never opens by itself)
  gate_.open();
  auto a = busy.read();
  auto b = queued.read();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(b->status, 200);
}

TEST_F(ServerTest, WorkerKeepsItsConnectionAcrossRequests) {
  options_.workers = 1;
  start();
  Client c(port_);
  c.send(get("/db"));
  auto a = c.read();
  c.send(get("/db"));
  auto b = c.read();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body, "1");
  EXPECT_EQ(b->body, "1");
  EXPECT_NE(metrics_.render().find("bespoke_db_connections 1"), std::string::npos);
}

TEST_F(ServerTest, StoreFailureGets503AndDropsTheConnection) {
  options_.workers = 1;
  start();
  Client c(port_);
  c.send(get("/busy"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->header("retry-after"), "1");
  EXPECT_EQ(r->body.find("locked"), std::string::npos);
  c.send(get("/db"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "2");  // a fresh connection
}

TEST_F(ServerTest, FailureReportedByTheHandlerReopensTheConnectionForTheNextRequest) {
  options_.workers = 1;
  start();
  Client c(port_);
  c.send(get("/db"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "1");
  c.send(get("/caught"));  // uses its connection after connection_failed(): must still be alive
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "caught");
  c.send(get("/db"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "2");
  c.send(get("/db"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "2");  // and keeps the new one
}

TEST_F(ServerTest, DiskFullGets507WithoutDetails) {
  start();
  Client c(port_);
  c.send(get("/full"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 507);
  EXPECT_EQ(r->body.find("/var/x"), std::string::npos);
}

TEST_F(ServerTest, UnreachableDatabaseGets503) {
  factory_fails_ = true;
  start();
  Client c(port_);
  c.send(get("/db"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  factory_fails_ = false;
  c.send(get("/db"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, FailedPingReopensTheConnection) {
  options_.workers = 1;
  options_.db_ping_after = 0ms;
  start();
  Client c(port_);
  c.send(get("/db"));
  ASSERT_EQ(c.read()->body, "1");
  healthy_ = false;
  c.send(get("/db"));
  ASSERT_EQ(c.read()->body, "2");
}

TEST_F(ServerTest, OtherExceptionGets500WithoutLeakingAndIsLogged) {
  start();
  Client c(port_);
  c.send(get("/boom", "X-Request-Id: trace-me\r\n"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body.find("secret"), std::string::npos);
  bool logged = false;
  for (const auto& line : log_lines()) {
    if (line.find("secret internals") != std::string::npos && line.find("trace-me") != std::string::npos) logged = true;
  }
  EXPECT_TRUE(logged);
  c.send(get("/hello"));  // still serving
  EXPECT_EQ(c.read()->status, 200);
}

TEST_F(ServerTest, HeaderWithNewlineFromHandlerBecomes500) {
  start();
  Client c(port_);
  c.send(get("/bad-header"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_FALSE(r->has("set-cookie"));
}

TEST_F(ServerTest, InlineHandlerRunsAndMayNotUseTheDatabase) {
  options_.workers = 1;
  options_.queue_capacity = 1;
  start();
  Client blocker(port_), queued(port_);
  blocker.send(get("/slow"));
  ASSERT_TRUE(gate_.wait_for_waiters(1));
  queued.send(get("/slow"));
  ASSERT_TRUE(eventually([&] { return metrics_show("bespoke_queue_depth 1\n"); }));
  Client c(port_);  // the pool is full, yet inline routes answer
  c.send(get("/inline"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "fast");
  c.send(get("/inline-db"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  gate_.open();
}

TEST_F(ServerTest, LogsListeningAndOneJsonLinePerRequest) {
  start();
  Client c(port_);
  c.send(get("/echo/a?q=1", "X-Request-Id: log-test\r\n"));
  ASSERT_TRUE(c.read());
  c.send(get("/nowhere"));
  ASSERT_TRUE(c.read());
  // A request is logged when its write completes, which may be just after the client has read it.
  ASSERT_TRUE(eventually([&] {
    int n = 0;
    for (const auto& line : log_lines()) n += line.find("\"msg\":\"request\"") != std::string::npos;
    return n == 2;
  }));
  const auto lines = log_lines();
  ASSERT_FALSE(lines.empty());
  const auto first = boost::json::parse(lines.front()).as_object();
  EXPECT_EQ(first.at("msg"), "listening");
  EXPECT_EQ(first.at("address").as_string(), "127.0.0.1:" + std::to_string(port_));
  EXPECT_TRUE(first.contains("max_connections"));
  int requests = 0;
  for (const auto& line : lines) {
    const auto o = boost::json::parse(line).as_object();
    if (o.at("msg") != "request") continue;
    ++requests;
    EXPECT_TRUE(o.at("time").as_string().ends_with("Z"));
    EXPECT_TRUE(o.at("duration_us").is_int64());  // an integer, never 2.82969E0
    EXPECT_FALSE(o.contains("duration_ms"));
    EXPECT_TRUE(o.contains("bytes"));
    EXPECT_EQ(o.at("remote"), "127.0.0.1");
    if (o.at("request_id") == "log-test") {
      EXPECT_EQ(o.at("route"), "/echo/{rest...}");
      EXPECT_EQ(o.at("path"), "/echo/a");
      EXPECT_EQ(o.at("method"), "GET");
      EXPECT_EQ(o.at("status"), 200);
    } else {
      EXPECT_EQ(o.at("route"), "unmatched");
      EXPECT_EQ(o.at("status"), 404);
    }
  }
  EXPECT_EQ(requests, 2);
}

TEST_F(ServerTest, InvalidUtf8InThePathIsLoggedPercentEncoded) {
  start();
  Client c(port_);
  c.send(get("/%FF%C3%A9x"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  std::string path;
  ASSERT_TRUE(eventually([&] {
    for (const auto& line : log_lines()) {
      boost::json::error_code ec;
      const auto v = boost::json::parse(line, ec);  // every line stays valid JSON
      EXPECT_FALSE(ec) << line;
      if (!ec && v.as_object().at("msg") == "request") path = v.as_object().at("path").as_string().c_str();
    }
    return !path.empty();
  }));
  EXPECT_EQ(path, "/%FF%C3%A9x");
}

TEST(AccessLog, PathsAreValidUtf8AndDurationsWholeMicroseconds) {
  std::vector<std::string> lines;
  AccessLog log([&](std::string_view line) { lines.emplace_back(line); });
  AccessRecord r;
  r.method = "GET";
  r.route = "unmatched";
  r.status = 404;
  r.duration = std::chrono::nanoseconds(2'829'690);
  r.path = "/caf\xC3\xA9";  // valid UTF-8: as it is
  log.request(r);
  r.path = "/a\xFF\x80z%";  // invalid: bytes >= 0x80 encoded
  log.request(r);
  ASSERT_EQ(lines.size(), 2u);
  const auto a = boost::json::parse(lines[0]).as_object();
  const auto b = boost::json::parse(lines[1]).as_object();
  EXPECT_EQ(a.at("path"), "/caf\xC3\xA9");
  EXPECT_EQ(b.at("path"), "/a%FF%80z%");
  EXPECT_EQ(a.at("duration_us"), 2829);
  EXPECT_EQ(lines[0].find("E0"), std::string::npos);
}

TEST(ConnectionRegistry, CountsIpv6PerSlash64AndMappedIpv4AsIpv4) {
  namespace ip = boost::asio::ip;
  detail::ConnectionRegistry registry(100, 1);
  using detail::Admission;
  EXPECT_EQ(registry.admit(ip::make_address("2001:db8:1:2::1")), Admission::admitted);
  EXPECT_EQ(registry.admit(ip::make_address("2001:db8:1:2:ffff::9")), Admission::address_full);  // same /64
  EXPECT_EQ(registry.admit(ip::make_address("2001:db8:1:3::1")), Admission::admitted);         // another /64
  EXPECT_EQ(registry.admit(ip::make_address("10.0.0.1")), Admission::admitted);
  EXPECT_EQ(registry.admit(ip::make_address("::ffff:10.0.0.1")), Admission::address_full);  // the same host
  EXPECT_EQ(registry.admit(ip::make_address("10.0.0.2")), Admission::admitted);
  registry.release(ip::make_address("2001:db8:1:2::77"));  // releases the /64's slot
  EXPECT_EQ(registry.admit(ip::make_address("2001:db8:1:2::2")), Admission::admitted);
  registry.release(ip::make_address("::ffff:10.0.0.1"));
  EXPECT_EQ(registry.admit(ip::make_address("10.0.0.1")), Admission::admitted);
  EXPECT_EQ(detail::unmapped(ip::make_address("::ffff:10.0.0.1")).to_string(), "10.0.0.1");
}

TEST_F(ServerTest, ConnectionCapIsClampedToTheDescriptorLimit) {
  options_.max_connections = 1'000'000'000;
  start();
  rlimit rl{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &rl), 0);
  EXPECT_TRUE(rl.rlim_cur == rl.rlim_max || rl.rlim_max == RLIM_INFINITY);  // the soft limit was raised
  const auto first = boost::json::parse(log_lines().front()).as_object();
  ASSERT_EQ(first.at("msg"), "listening");
  const std::string logged = first.at("max_connections").as_string().c_str();
  if (rl.rlim_cur != RLIM_INFINITY) {
    EXPECT_LT(std::stoull(logged), static_cast<unsigned long long>(rl.rlim_cur));
  }
  Client c(port_);
  c.send(get("/hello"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, MetricsCountRequestsAndConnections) {
  start();
  {
    Client c(port_);
    c.send(get("/hello"));
    ASSERT_TRUE(c.read());
    c.send(get("/hello"));
    ASSERT_TRUE(c.read());
    // Requests are counted when their write completes, which may be just after
    // the client has read the response.
    std::string text;
    for (int i = 0; i < 100; ++i) {
      text = metrics_.render();
      if (text.find("route=\"/hello\",status=\"200\"} 2") != std::string::npos) break;
      std::this_thread::sleep_for(10ms);
    }
    EXPECT_NE(text.find("http_requests_total{method=\"GET\",route=\"/hello\",status=\"200\"} 2"), std::string::npos);
    EXPECT_NE(text.find("http_open_connections 1"), std::string::npos);
    EXPECT_NE(text.find("bespoke_workers 2"), std::string::npos);
    EXPECT_NE(text.find("http_response_bytes_total{route=\"/hello\"} 10"), std::string::npos);
  }
}

TEST_F(ServerTest, StopLetsTheRequestInFlightFinishThenRefusesConnections) {
  start();
  Client idle(port_);
  idle.send(get("/hello"));
  ASSERT_TRUE(idle.read());
  Client c(port_);
  c.send(get("/slow"));
  ASSERT_TRUE(gate_.wait_for_waiters(1));
  server_->stop();
  EXPECT_TRUE(idle.closed_within(5s));  // idle keep-alive connections close at once
  // The listener closes on the server's own thread: poll until connecting fails.
  EXPECT_TRUE(eventually([&] { return !Client(port_).connected(); }));
  gate_.open();
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "slow done");
  EXPECT_EQ(r->header("connection"), "close");
  thread_.join();  // run() returns once the response is written
  server_.reset();
}

TEST_F(ServerTest, StuckHandlerAfterGraceClosesItsConnectionAndExitsNow) {
  options_.shutdown_grace = 300ms;
  std::atomic<int> exits{0};
  options_.exit_now = [&] { ++exits; };  // instead of std::_Exit(1)
  start();
  Client c(port_);
  c.send(get("/slow"));
  ASSERT_TRUE(gate_.wait_for_waiters(1));
  const auto t0 = Clock::now();
  server_->stop();
  EXPECT_TRUE(c.closed_within(8s));
  EXPECT_LT(Clock::now() - t0, 4s);
  ASSERT_TRUE(eventually([&] { return exits.load() == 1; }));
  EXPECT_TRUE(log_has("\"in_flight\":\"1\""));
  gate_.open();  // the hook returned: run() goes on to join the worker
  thread_.join();
  server_.reset();
}

TEST_F(ServerTest, QuickHandlerDoesNotTriggerTheExitAfterGrace) {
  options_.shutdown_grace = 200ms;
  std::atomic<int> exits{0};
  options_.exit_now = [&] { ++exits; };
  start();
  Client idle(port_);
  idle.send(get("/hello"));
  ASSERT_TRUE(idle.read());
  server_->stop();
  thread_.join();
  server_.reset();
  EXPECT_EQ(exits.load(), 0);
}

TEST_F(ServerTest, SigtermRightAfterStartIsAGracefulStop) {
  std::atomic<int> exits{0};
  options_.exit_now = [&] { ++exits; };
  ErrorResponder errors;
  server_ = std::make_unique<Server>(options_, router_, factory_, errors, metrics_);
  (void)server_->start();
  ASSERT_EQ(::raise(SIGTERM), 0);  // before run(): held until the loop runs
  thread_ = std::thread([this] { server_->run(); });
  thread_.join();  // run() returns: the signal stopped the server
  server_.reset();
  EXPECT_EQ(exits.load(), 0);
  EXPECT_TRUE(log_has("\"signal\":\"SIGTERM\""));
  EXPECT_TRUE(log_has("\"msg\":\"stopped\""));
}

TEST_F(ServerTest, SecondSignalWhileDrainingExitsNow) {
  std::atomic<int> exits{0};
  options_.exit_now = [&] { ++exits; };
  start();
  Client c(port_);
  c.send(get("/slow"));
  ASSERT_TRUE(gate_.wait_for_waiters(1));
  ASSERT_EQ(::raise(SIGTERM), 0);
  ASSERT_TRUE(eventually([&] { return log_has("shutting down"); }));
  EXPECT_EQ(exits.load(), 0);  // the first signal drains (grace: 20 s)
  ASSERT_EQ(::raise(SIGINT), 0);
  ASSERT_TRUE(eventually([&] { return exits.load() == 1; }));
  EXPECT_TRUE(log_has("second signal"));
  gate_.open();
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  thread_.join();
  server_.reset();
}

TEST_F(ServerTest, StartThrowsWhenTheAddressIsTaken) {
  start();
  ServerOptions o = options_;
  o.listen = "127.0.0.1:" + std::to_string(port_);
  Server other(o, router_, factory_, {}, metrics_);
  EXPECT_THROW((void)other.start(), std::runtime_error);
}

}  // namespace
}  // namespace bespoke::web
