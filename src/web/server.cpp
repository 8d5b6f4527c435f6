// Composition of the server: binds the Listener, owns the io_context, the worker
// pool and the shared state, and runs the shutdown sequence. The work itself is
// in server/listener.cpp, server/session.cpp and server/worker_pool.cpp.
#include "web/server.h"

#include "web/metrics.h"
#include "web/server/listener.h"
#include "web/server/session.h"
#include "web/server/state.h"
#include "web/server/worker_pool.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <csignal>
#include <stdexcept>
#include <thread>
#include <vector>

namespace bespoke::web {
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

tcp::endpoint parse_listen(const std::string& listen) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("listen address must be host:port: " + listen);
  std::string host = listen.substr(0, colon);
  const std::string port_text = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty() || host == "localhost") host = "127.0.0.1";
  unsigned long port = 0;
  try {
    std::size_t used = 0;
    port = std::stoul(port_text, &used);
    if (used != port_text.size() || port > 65535) throw std::invalid_argument(port_text);
  } catch (const std::exception&) {
    throw std::runtime_error("bad port in listen address: " + listen);
  }
  boost::system::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("bad host in listen address (an IP address is needed): " + listen);
  return {address, static_cast<unsigned short>(port)};
}

std::string endpoint_text(const tcp::endpoint& e) {
  const std::string host = e.address().to_string();
  return (e.address().is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(e.port());
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, const Router& router, ConnectionFactory connections, ErrorResponder errors,
       Metrics& metrics)
      : state{options,
              router,
              std::move(errors),
              metrics,
              AccessLog(options.log_sink),
              detail::ConnectionRegistry(options.max_connections, options.max_connections_per_address),
              nullptr},
        factory(std::move(connections)),
        ioc(std::max(options.io_threads, 1)),
        control(net::make_strand(ioc)),
        drain_timer(control),
        signals(control) {}

  ~Impl() {
    if (state.pool) {
      state.metrics.set_pool_source({});  // the source points into the pool
      state.pool->stop();
    }
  }

  void begin_shutdown();
  void check_drained(std::chrono::steady_clock::time_point deadline);

  // Members are destroyed in reverse: the pool (whose jobs hold sessions) goes
  // before the io_context, which goes before the state the sessions refer to.
  detail::ServerState state;
  ConnectionFactory factory;
  net::io_context ioc;
  net::strand<net::io_context::executor_type> control;  // serialises start/stop steps
  net::steady_timer drain_timer;
  net::signal_set signals;
  std::shared_ptr<detail::Listener> listener;
  bool shutting_down = false;  // on control only
};

// Shutdown, step 1: no new connections; idle ones close now; busy ones close
// after their response (Session checks state.stopping).
void Server::Impl::begin_shutdown() {
  if (shutting_down) return;
  shutting_down = true;
  state.stopping.store(true);
  state.log.event("info", "shutting down");
  if (listener) listener->stop();
  boost::system::error_code ignored;
  signals.cancel(ignored);
  for (const auto& s : state.registry.sessions()) s->close_if_idle();
  check_drained(std::chrono::steady_clock::now() + state.options.shutdown_grace);
}

// Step 2: wait until every connection is gone or the grace period is over.
void Server::Impl::check_drained(std::chrono::steady_clock::time_point deadline) {
  if (state.registry.live() == 0) return ioc.stop();
  if (std::chrono::steady_clock::now() >= deadline) {
    state.log.event("warn", "shutdown grace period over; closing the remaining connections");
    for (const auto& s : state.registry.sessions()) s->force_close();
    // One more short round so the closes run before the loop stops.
    deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
    drain_timer.expires_at(deadline);
    drain_timer.async_wait([this](boost::system::error_code) { ioc.stop(); });
    return;
  }
  drain_timer.expires_after(std::chrono::milliseconds(10));
  drain_timer.async_wait([this, deadline](boost::system::error_code ec) {
    if (!ec) check_drained(deadline);
  });
}

Server::Server(ServerOptions options, const Router& router, ConnectionFactory connections, ErrorResponder errors,
               Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, std::move(connections), std::move(errors), metrics)) {}

Server::~Server() = default;

std::string Server::start() {
  auto& s = impl_->state;
  if (impl_->listener) return endpoint_text(impl_->listener->local_endpoint());
  const tcp::endpoint wanted = parse_listen(s.options.listen);
  impl_->listener = std::make_shared<detail::Listener>(impl_->ioc, wanted, s);
  s.pool = std::make_unique<detail::WorkerPool>(s.options.workers, s.options.queue_capacity, impl_->factory,
                                                s.options.db_ping_after);
  s.metrics.set_pool_source([pool = s.pool.get()] { return pool->gauges(); });
  const std::string bound = endpoint_text(impl_->listener->local_endpoint());
  s.log.event("info", "listening",
              {{"address", bound},
               {"io_threads", std::to_string(std::max(s.options.io_threads, 1))},
               {"workers", std::to_string(std::max(s.options.workers, 1))}});
  return bound;
}

void Server::run() {
  if (!impl_->listener) start();
  Impl& impl = *impl_;
  impl.signals.add(SIGINT);
  impl.signals.add(SIGTERM);
  impl.signals.async_wait([&impl](boost::system::error_code ec, int) {
    if (!ec) impl.begin_shutdown();
  });
  impl.listener->start();

  std::vector<std::thread> threads;
  const int extra = std::max(impl.state.options.io_threads, 1) - 1;
  threads.reserve(static_cast<std::size_t>(extra));
  for (int i = 0; i < extra; ++i) threads.emplace_back([&impl] { impl.ioc.run(); });
  impl.ioc.run();
  for (auto& t : threads) t.join();

  // Step 3: every response has been written (or the grace is over): stop the workers.
  impl.state.pool->stop();
  impl.state.log.event("info", "stopped");
}

void Server::stop() {
  net::post(impl_->control, [impl = impl_.get()] { impl->begin_shutdown(); });
}

}  // namespace bespoke::web
