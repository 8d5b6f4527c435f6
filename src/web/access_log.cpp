#include "web/access_log.h"

#include <boost/json.hpp>

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

template <class Fill>
void emit(std::mutex& mutex, const LogSink& sink, Fill&& fill) {
  boost::json::monotonic_resource mr(tls_line.arena, sizeof tls_line.arena);
  boost::json::object o(&mr);
  fill(o);
  std::string& text = tls_line.text;
  text.clear();
  boost::json::serializer sr;
  sr.reset(&o);
  char chunk[1024];
  while (!sr.done()) text.append(sr.read(chunk));
  std::lock_guard lock(mutex);
  if (sink) {
    sink(text);
  } else {
    text.push_back('\n');
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
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

void AccessLog::request(const AccessRecord& r) {
  emit(mutex_, sink_, [&](boost::json::object& o) {
    char tbuf[32];
    o.reserve(11);
    o.emplace("time", format_log_time(std::chrono::system_clock::now(), tbuf));
    o.emplace("level", r.status >= 500 ? "error" : "info");
    o.emplace("msg", "request");
    o.emplace("method", r.method);
    o.emplace("route", r.route);
    o.emplace("path", r.path);
    o.emplace("status", r.status);
    o.emplace("bytes", r.bytes);
    o.emplace("duration_ms", static_cast<double>(r.duration.count()) / 1e6);
    o.emplace("request_id", r.request_id);
    o.emplace("remote", r.remote);
  });
}

void AccessLog::event(std::string_view level, std::string_view msg, std::initializer_list<LogField> fields) {
  emit(mutex_, sink_, [&](boost::json::object& o) {
    char tbuf[32];
    o.emplace("time", format_log_time(std::chrono::system_clock::now(), tbuf));
    o.emplace("level", level);
    o.emplace("msg", msg);
    for (const auto& [k, v] : fields) o.emplace(k, v);
  });
}

}  // namespace bespoke::web
