#include "web/metrics.h"

#include <array>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace bespoke::web {
namespace {

constexpr std::array<double, 14> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                          0.1,    0.25,  0.5,    1.0,   2.5,   5.0,  10.0};

struct RouteSeries {
  std::array<std::uint64_t, kBuckets.size()> buckets{};  // per bucket; made cumulative when rendered
  std::uint64_t count = 0;
  double sum = 0;
  std::uint64_t bytes = 0;
};

// A client may send any method; only the standard ones become label values, so
// that nobody can grow the series without bound.
std::string_view method_label(std::string_view m) noexcept {
  static constexpr std::array<std::string_view, 7> known{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  for (auto k : known) {
    if (k == m) return k;
  }
  return "OTHER";
}

// Label values escape backslash, double quote and newline (exposition format 0.0.4).
void append_label_value(std::string& out, std::string_view v) {
  for (char c : v) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out.push_back(c);
    }
  }
}

void append_number(std::string& out, double v) {
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, "%.17g", v);
  out.append(buf, static_cast<std::size_t>(n));
}

void append_bucket_bound(std::string& out, double v) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%g", v);
  out.append(buf, static_cast<std::size_t>(n));
}

}  // namespace

struct Metrics::Impl {
  mutable std::mutex mutex;
  // (method, route, status) -> count. std::less<> lets a lookup use string_views,
  // so recording a request allocates only for a series seen for the first time.
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t, std::less<>> requests;
  std::map<std::string, RouteSeries, std::less<>> routes;
  std::function<PoolGauges()> pool_source;
  std::atomic<std::int64_t> open_connections{0};
  std::atomic<std::uint64_t> refused_connections{0};
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

void Metrics::record_request(std::string_view method, std::string_view route, int status,
                             std::chrono::nanoseconds duration, std::uint64_t bytes_sent) {
  const double seconds = std::chrono::duration<double>(duration).count();
  const std::string_view m = method_label(method);
  std::lock_guard lock(impl_->mutex);
  const auto key = std::make_tuple(m, route, status);
  auto it = impl_->requests.find(key);
  if (it == impl_->requests.end()) {
    it = impl_->requests.emplace(std::make_tuple(std::string(m), std::string(route), status), 0).first;
  }
  ++it->second;
  auto rit = impl_->routes.find(route);
  if (rit == impl_->routes.end()) rit = impl_->routes.emplace(std::string(route), RouteSeries{}).first;
  RouteSeries& s = rit->second;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++s.buckets[i];
      break;
    }
  }
  ++s.count;
  s.sum += seconds;
  s.bytes += bytes_sent;
}

void Metrics::connection_opened() { impl_->open_connections.fetch_add(1, std::memory_order_relaxed); }
void Metrics::connection_closed() { impl_->open_connections.fetch_sub(1, std::memory_order_relaxed); }
void Metrics::connection_refused() { impl_->refused_connections.fetch_add(1, std::memory_order_relaxed); }

void Metrics::set_pool_source(std::function<PoolGauges()> source) {
  std::lock_guard lock(impl_->mutex);
  impl_->pool_source = std::move(source);
}

std::string Metrics::render() const {
  std::string out;
  out.reserve(4096);
  std::function<PoolGauges()> source;
  {
    std::lock_guard lock(impl_->mutex);
    source = impl_->pool_source;

    out += "# HELP http_requests_total HTTP requests answered, by method, route and status.\n";
    out += "# TYPE http_requests_total counter\n";
    for (const auto& [key, count] : impl_->requests) {
      out += "http_requests_total{method=\"";
      append_label_value(out, std::get<0>(key));
      out += "\",route=\"";
      append_label_value(out, std::get<1>(key));
      out += "\",status=\"";
      out += std::to_string(std::get<2>(key));
      out += "\"} ";
      out += std::to_string(count);
      out += '\n';
    }

    out += "# HELP http_request_duration_seconds Time from the request's header to its response, by route.\n";
    out += "# TYPE http_request_duration_seconds histogram\n";
    for (const auto& [route, s] : impl_->routes) {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += s.buckets[i];
        out += "http_request_duration_seconds_bucket{route=\"";
        append_label_value(out, route);
        out += "\",le=\"";
        append_bucket_bound(out, kBuckets[i]);
        out += "\"} ";
        out += std::to_string(cumulative);
        out += '\n';
      }
      out += "http_request_duration_seconds_bucket{route=\"";
      append_label_value(out, route);
      out += "\",le=\"+Inf\"} " + std::to_string(s.count) + '\n';
      out += "http_request_duration_seconds_sum{route=\"";
      append_label_value(out, route);
      out += "\"} ";
      append_number(out, s.sum);
      out += '\n';
      out += "http_request_duration_seconds_count{route=\"";
      append_label_value(out, route);
      out += "\"} " + std::to_string(s.count) + '\n';
    }

    out += "# HELP http_response_bytes_total Response body bytes sent, by route.\n";
    out += "# TYPE http_response_bytes_total counter\n";
    for (const auto& [route, s] : impl_->routes) {
      out += "http_response_bytes_total{route=\"";
      append_label_value(out, route);
      out += "\"} " + std::to_string(s.bytes) + '\n';
    }
  }

  out += "# HELP http_open_connections Client connections open now.\n";
  out += "# TYPE http_open_connections gauge\n";
  out += "http_open_connections " + std::to_string(impl_->open_connections.load(std::memory_order_relaxed)) + '\n';
  out += "# HELP http_refused_connections_total Connections over a connection cap, answered 503 and closed.\n";
  out += "# TYPE http_refused_connections_total counter\n";
  out += "http_refused_connections_total " +
         std::to_string(impl_->refused_connections.load(std::memory_order_relaxed)) + '\n';

  // Called outside our lock: the source takes the pool's own lock.
  const PoolGauges g = source ? source() : PoolGauges{};
  const auto gauge = [&out](std::string_view name, std::string_view help, std::int64_t v) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += " gauge\n";
    out += name;
    out += ' ';
    out += std::to_string(v);
    out += '\n';
  };
  gauge("bespoke_workers", "Size of the handler worker pool.", g.workers);
  gauge("bespoke_workers_busy", "Workers running a handler now.", g.busy);
  gauge("bespoke_queue_depth", "Requests waiting for a worker.", g.queued);
  gauge("bespoke_db_connections", "Database connections held by workers.", g.connections);
  return out;
}

}  // namespace bespoke::web
