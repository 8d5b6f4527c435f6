#include "web/metrics.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace bespoke::web {
namespace {

using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Metrics, CountsRequestsByMethodRouteAndStatus) {
  Metrics m;
  m.record_request("GET", "/a", 200, 1ms, 10);
  m.record_request("GET", "/a", 200, 1ms, 10);
  m.record_request("POST", "/a", 303, 1ms, 0);
  const std::string text = m.render();
  EXPECT_TRUE(contains(text, "# TYPE http_requests_total counter\n"));
  EXPECT_TRUE(contains(text, "http_requests_total{method=\"GET\",route=\"/a\",status=\"200\"} 2\n"));
  EXPECT_TRUE(contains(text, "http_requests_total{method=\"POST\",route=\"/a\",status=\"303\"} 1\n"));
  EXPECT_TRUE(contains(text, "http_response_bytes_total{route=\"/a\"} 20\n"));
}

TEST(Metrics, CountsRefusedConnectionsApartFromRequests) {
  Metrics m;
  m.connection_refused();
  m.connection_refused();
  const std::string text = m.render();
  EXPECT_TRUE(contains(text, "# TYPE http_refused_connections_total counter\n"));
  EXPECT_TRUE(contains(text, "http_refused_connections_total 2\n"));
  EXPECT_FALSE(contains(text, "http_requests_total{"));  // not requests: no latency, no status series
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Metrics m;
  m.record_request("GET", "/h", 200, 300us, 0);
  m.record_request("GET", "/h", 200, 3ms, 0);
  m.record_request("GET", "/h", 200, 20s, 0);
  const std::string text = m.render();
  EXPECT_TRUE(contains(text, "# TYPE http_request_duration_seconds histogram\n"));
  EXPECT_TRUE(contains(text, "http_request_duration_seconds_bucket{route=\"/h\",le=\"0.0005\"} 1\n"));
  EXPECT_TRUE(contains(text, "http_request_duration_seconds_bucket{route=\"/h\",le=\"0.005\"} 2\n"));
  EXPECT_TRUE(contains(text, "http_request_duration_seconds_bucket{route=\"/h\",le=\"10\"} 2\n"));
  EXPECT_TRUE(contains(text, "http_request_duration_seconds_bucket{route=\"/h\",le=\"+Inf\"} 3\n"));
  EXPECT_TRUE(contains(text, "http_request_duration_seconds_count{route=\"/h\"} 3\n"));
}

TEST(Metrics, EscapesLabelValues) {
  Metrics m;
  m.record_request("GET", "/a\"b\\c\nd", 200, 1ms, 0);
  EXPECT_TRUE(contains(m.render(), "route=\"/a\\\"b\\\\c\\nd\""));
}

TEST(Metrics, UnknownMethodsShareOneLabel) {
  Metrics m;
  m.record_request("FOO", "unmatched", 405, 1ms, 0);
  m.record_request("BAR", "unmatched", 405, 1ms, 0);
  EXPECT_TRUE(contains(m.render(), "http_requests_total{method=\"OTHER\",route=\"unmatched\",status=\"405\"} 2\n"));
}

TEST(Metrics, GaugesForConnectionsAndPool) {
  Metrics m;
  m.connection_opened();
  m.connection_opened();
  m.connection_closed();
  m.set_pool_source([] { return PoolGauges{4, 1, 2, 3}; });
  const std::string text = m.render();
  EXPECT_TRUE(contains(text, "http_open_connections 1\n"));
  EXPECT_TRUE(contains(text, "bespoke_workers 4\n"));
  EXPECT_TRUE(contains(text, "bespoke_workers_busy 1\n"));
  EXPECT_TRUE(contains(text, "bespoke_queue_depth 2\n"));
  EXPECT_TRUE(contains(text, "bespoke_db_connections 3\n"));
}

TEST(Metrics, IsSafeAcrossThreads) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < 10'000; ++i) m.record_request("GET", "/x", 200, 1ms, 1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_TRUE(contains(m.render(), "http_requests_total{method=\"GET\",route=\"/x\",status=\"200\"} 40000\n"));
}

}  // namespace
}  // namespace bespoke::web
