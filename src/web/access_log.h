#pragma once
// Structured log lines: one JSON object per line, built with Boost.JSON so that
// any value (a path with quotes or newlines) is escaped (ASVS 16.4.1).
// Thread-safe: lines from many threads never interleave.
//
// Without a sink, each line goes to stderr with one write() call, under the
// log's mutex, from the thread that logs it: often an I/O thread. Simple and
// ordered, but a reader that stops draining stderr (a full pipe) stalls every
// thread that logs, and with them the server. Deployments must drain the logs
// (journald, a container runtime, a log shipper that keeps up).
// Never throws: a line that cannot be built or written is dropped.
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <string_view>
#include <utility>

namespace bespoke::web {

// Receives one complete JSON line, without the trailing newline. Called under
// the log's mutex, so a sink need not be thread-safe itself.
using LogSink = std::function<void(std::string_view line)>;

struct AccessRecord {
  std::string_view method;
  std::string_view route;  // the pattern, or "unmatched"
  std::string_view path;  // decoded; if not valid UTF-8, logged with bytes >= 0x80 as %XX
  int status = 0;
  std::uint64_t bytes = 0;  // body bytes sent
  std::chrono::nanoseconds duration{0};  // logged as the integer "duration_us"
  std::string_view request_id;
  std::string_view remote;
};

using LogField = std::pair<std::string_view, std::string_view>;

class AccessLog {
 public:
  // An empty sink writes to stderr.
  explicit AccessLog(LogSink sink = {});

  void request(const AccessRecord& record) noexcept;
  // Any other event: {"time":..,"level":..,"msg":..,<fields>}.
  void event(std::string_view level, std::string_view msg, std::initializer_list<LogField> fields = {}) noexcept;

 private:
  std::mutex mutex_;
  LogSink sink_;
};

// "2026-11-29T00:31:41.123Z"
[[nodiscard]] std::string_view format_log_time(std::chrono::system_clock::time_point t, char (&buf)[32]) noexcept;

}  // namespace bespoke::web
