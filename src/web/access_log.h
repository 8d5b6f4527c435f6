#pragma once
// Structured log lines: one JSON object per line, built with Boost.JSON so that
// any value (a path with quotes or newlines) is escaped (ASVS 16.4.1).
// Thread-safe: lines from many threads never interleave with each other.
//
// Without a sink, lines go to stderr. Request lines are gathered and written
// together by a flusher thread at least every 50 ms (or at once when 64 KiB are
// waiting): one write() per batch instead of one per request, which matters at
// tens of thousands of requests a second. Other events (start-up, errors,
// shutdown) are written at once, after whatever request lines are waiting, so
// the order holds. A crash can lose the last 50 ms of request lines, as with
// nginx's buffered access_log. A reader that stops draining stderr (a full
// pipe) stalls every thread that logs, and with them the server: deployments
// must drain the logs (journald, a container runtime, a log shipper).
// Never throws: a line that cannot be built or written is dropped.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
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

  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void request(const AccessRecord& record) noexcept;
  // Any other event: {"time":..,"level":..,"msg":..,<fields>}.
  void event(std::string_view level, std::string_view msg, std::initializer_list<LogField> fields = {}) noexcept;

 private:
  void append(std::string_view line, bool flush_now) noexcept;
  // REQUIRES: lock holds mutex_; returns with it released.
  void flush(std::unique_lock<std::mutex>& lock) noexcept;
  void flusher_loop(std::stop_token stop);

  std::mutex mutex_;
  std::mutex write_mutex_;        // taken before mutex_ is released: batches keep their order
  LogSink sink_;
  std::string pending_;           // request lines not yet written; guarded by mutex_
  std::condition_variable_any wake_;
  std::jthread flusher_;          // started with the first buffered line; guarded by mutex_
};

// "2026-11-29T00:31:41.123Z"
[[nodiscard]] std::string_view format_log_time(std::chrono::system_clock::time_point t, char (&buf)[32]) noexcept;

}  // namespace bespoke::web
