#include "web/access_log.h"

#include "core/utf8.h"

#include <boost/json.hpp>

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <string>

namespace bespoke::web {
namespace {

// Each line is built in memory owned by the calling thread, so logging a request
// allocates nothing once the buffers have grown to their working size.
struct LineBuffer {
  unsigned char arena[2048];
  std::string text;
};

thread_local LineBuffer tls_line;

// Writes whole lines to stderr: loops on partial writes, EINTR and (when a log
// shipper made stderr non-blocking) EAGAIN. If stderr stays blocked or broken,
// the rest is dropped but a cut line is ended, so the next batch starts clean.
void write_stderr(std::string_view text) noexcept {
  bool mid_line = false;
  while (!text.empty()) {
    const ssize_t n = ::write(STDERR_FILENO, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{STDERR_FILENO, POLLOUT, 0};
      if (::poll(&p, 1, 1000) > 0) continue;
    }
    if (n <= 0) {
      if (mid_line) (void)!::write(STDERR_FILENO, "\n", 1);
      return;  // nowhere to report a failing log
    }
    mid_line = text[static_cast<std::size_t>(n) - 1] != '\n';
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

// The path as it is safe to put in JSON: valid UTF-8 as it is; otherwise every
// byte at or above 0x80 percent-encoded again (the request for /%FF logs "/%FF").
std::string_view loggable_path(std::string_view path, std::string& scratch) {
  if (core::is_valid_utf8(path)) return path;
  static constexpr char kHex[] = "0123456789ABCDEF";
  scratch.clear();
  for (const char c : path) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x80) {
      scratch.push_back(c);
    } else {
      scratch.push_back('%');
      scratch.push_back(kHex[b >> 4]);
      scratch.push_back(kHex[b & 0xF]);
    }
  }
  return scratch;
}

constexpr std::size_t kFlushBytes = 64 * 1024;
constexpr std::chrono::milliseconds kFlushInterval{50};

// Builds one JSON line in this thread's buffer.
template <class Fill>
std::string_view build_line(Fill&& fill) {
  boost::json::monotonic_resource mr(tls_line.arena, sizeof tls_line.arena);
  boost::json::object o(&mr);
  fill(o);
  std::string& text = tls_line.text;
  text.clear();
  boost::json::serializer sr;
  sr.reset(&o);
  char chunk[1024];
  while (!sr.done()) text.append(sr.read(chunk));
  return text;
}

}  // namespace

std::string_view format_log_time(std::chrono::system_clock::time_point t, char (&buf)[32]) noexcept {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                              tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return {buf, n > 0 ? static_cast<std::size_t>(n) : 0};
}

AccessLog::AccessLog(LogSink sink) : sink_(std::move(sink)) {}

AccessLog::~AccessLog() {
  if (flusher_.joinable()) {
    flusher_.request_stop();
    flusher_.join();
  }
  std::unique_lock lock(mutex_);
  flush(lock);
}

// Takes the waiting lines and writes them after releasing mutex_, so loggers
// keep buffering meanwhile; write_mutex_ is taken before mutex_ is released,
// so batches reach stderr in the order they were taken.
void AccessLog::flush(std::unique_lock<std::mutex>& lock) noexcept {
  if (pending_.empty()) {
    lock.unlock();
    return;
  }
  std::string batch;
  batch.swap(pending_);
  std::lock_guard write_lock(write_mutex_);
  lock.unlock();
  write_stderr(batch);
}

void AccessLog::flusher_loop(std::stop_token stop) {
  std::unique_lock lock(mutex_);
  while (!stop.stop_requested()) {
    // Sleeps until there is something to write, then gives it kFlushInterval to grow.
    wake_.wait(lock, stop, [this] { return !pending_.empty(); });
    if (stop.stop_requested()) break;
    wake_.wait_for(lock, stop, kFlushInterval, [] { return false; });
    flush(lock);
    lock.lock();
  }
}

void AccessLog::append(std::string_view line, bool flush_now) noexcept try {
  std::unique_lock lock(mutex_);
  if (sink_) {
    sink_(line);  // tests see every line at once
    return;
  }
  const bool was_empty = pending_.empty();
  pending_.append(line);
  pending_.push_back('\n');
  if (flush_now || pending_.size() >= kFlushBytes) {
    flush(lock);
    return;
  }
  if (!flusher_.joinable()) {
    flusher_ = std::jthread([this](std::stop_token stop) { flusher_loop(stop); });
  } else if (was_empty) {
    wake_.notify_one();
  }
} catch (...) {
  // Out of memory, no thread, or the sink threw: the line is lost, the caller is not.
}

void AccessLog::request(const AccessRecord& r) noexcept try {
  std::string path_scratch;
  const std::string_view path = loggable_path(r.path, path_scratch);
  const std::string_view line = build_line([&](boost::json::object& o) {
    char tbuf[32];
    o.reserve(11);
    o.emplace("time", format_log_time(std::chrono::system_clock::now(), tbuf));
    o.emplace("level", r.status >= 500 ? "error" : "info");
    o.emplace("msg", "request");
    o.emplace("method", r.method);
    o.emplace("route", r.route);
    o.emplace("path", path);
    o.emplace("status", r.status);
    o.emplace("bytes", r.bytes);
    // An integer: Boost.JSON would print a double as 2.82969E0.
    o.emplace("duration_us", std::chrono::duration_cast<std::chrono::microseconds>(r.duration).count());
    o.emplace("request_id", r.request_id);
    o.emplace("remote", r.remote);
  });
  append(line, false);
} catch (...) {
  // Out of memory, or the sink threw: the line is lost, the request is not.
}

void AccessLog::event(std::string_view level, std::string_view msg, std::initializer_list<LogField> fields) noexcept try {
  const std::string_view line = build_line([&](boost::json::object& o) {
    char tbuf[32];
    o.emplace("time", format_log_time(std::chrono::system_clock::now(), tbuf));
    o.emplace("level", level);
    o.emplace("msg", msg);
    for (const auto& [k, v] : fields) o.emplace(k, v);
  });
  append(line, true);
} catch (...) {
  // As above: a log line never takes the caller down.
}

}  // namespace bespoke::web
