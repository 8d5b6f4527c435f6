// The batched stderr path of AccessLog (no sink): lines arrive whole, in order,
// events flush the request lines before them, and nothing is lost at the end.
#include "web/access_log.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace bespoke::web {
namespace {

// Points stderr at a pipe for the life of the object; read() drains it.
class CapturedStderr {
 public:
  CapturedStderr() {
    EXPECT_EQ(pipe2(fds_, O_CLOEXEC), 0);
    fcntl(fds_[0], F_SETFL, O_NONBLOCK);
    fcntl(fds_[1], F_SETPIPE_SZ, 1 << 20);  // room for every line of the test
    saved_ = dup(STDERR_FILENO);
    dup2(fds_[1], STDERR_FILENO);
  }
  ~CapturedStderr() {
    dup2(saved_, STDERR_FILENO);
    close(saved_);
    close(fds_[0]);
    close(fds_[1]);
  }
  std::string read() {
    std::string out;
    char buf[65536];
    ssize_t n;
    while ((n = ::read(fds_[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    return out;
  }

 private:
  int fds_[2]{-1, -1};
  int saved_ = -1;
};

AccessRecord record(std::string_view id) {
  AccessRecord r;
  r.method = "GET";
  r.route = "/";
  r.path = "/";
  r.status = 200;
  r.request_id = id;
  return r;
}

TEST(AccessLogBatches, EverythingIsWrittenInOrderByTheEnd) {
  CapturedStderr err;
  std::string ids[500];
  {
    AccessLog log;
    for (int i = 0; i < 500; ++i) {
      ids[i] = "req-" + std::to_string(i);
      log.request(record(ids[i]));
    }
    log.event("info", "after the requests");
  }
  const std::string out = err.read();
  std::size_t at = 0;
  for (const auto& id : ids) {
    const auto next = out.find("\"request_id\":\"" + id + "\"", at);
    ASSERT_NE(next, std::string::npos) << id;
    at = next;
  }
  EXPECT_NE(out.find("after the requests", at), std::string::npos) << "the event comes after the lines before it";
  std::size_t lines = 0;
  for (char c : out) lines += c == '\n';
  EXPECT_EQ(lines, 501u);
}

TEST(AccessLogBatches, RequestLinesAppearWithinAShortTime) {
  CapturedStderr err;
  AccessLog log;
  log.request(record("soon"));
  std::string out;
  for (int i = 0; i < 250 && out.find("soon") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    out += err.read();
  }
  EXPECT_NE(out.find("\"request_id\":\"soon\""), std::string::npos);
}

}  // namespace
}  // namespace bespoke::web
