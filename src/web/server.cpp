// Composition of the server: binds the Listener, owns the io_context, the worker
// pool and the shared state, and runs the shutdown sequence. The work itself is
// in server/listener.cpp, server/session.cpp and server/worker_pool.cpp.
#include "web/server.h"

#include "web/metrics.h"
#include "web/server/listener.h"
#include "web/server/session.h"
#include "web/server/state.h"
#include "web/server/worker_pool.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
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

// Runs one I/O thread. A handler that throws ends ioc.run(); the exception is
// logged and the loop goes on (Asio's recommended pattern), so one bad
// connection cannot take the server down.
void run_io(net::io_context& ioc, AccessLog& log) noexcept {
  for (;;) {
    try {
      ioc.run();
      return;  // stopped
    } catch (const std::exception& e) {
      log.event("error", "exception on an I/O thread", {{"error", e.what()}});
    } catch (...) {
      log.event("error", "exception on an I/O thread", {{"error", "unknown exception"}});
    }
  }
}

// File descriptors kept back from client connections: per worker a database
// connection (SQLite: the database, its WAL and shared-memory files, a journal;
// PostgreSQL: a socket), plus the lingering refused sockets, the listener,
// epoll and friends, static files and logs.
std::size_t fd_margin(const ServerOptions& o) {
  return 4 * static_cast<std::size_t>(std::max(o.workers, 1)) + detail::kMaxLingeringRefused + 128;
}

// Raises the soft RLIMIT_NOFILE to the hard limit and returns max_connections
// clamped to what the limit leaves after the margin.
std::size_t usable_connections(const ServerOptions& o) {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return o.max_connections;
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < rl.rlim_max) {
    rlimit raised = rl;
    raised.rlim_cur = rl.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;  // may fail for an infinite hard limit: keep the soft one
  }
  if (rl.rlim_cur == RLIM_INFINITY) return o.max_connections;
  const auto limit = static_cast<std::size_t>(rl.rlim_cur);
  const std::size_t margin = fd_margin(o);
  const std::size_t room = limit > margin + 1 ? limit - margin : 1;
  return std::min(o.max_connections, room);
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

  void wait_for_signal();
  void begin_shutdown();
  void check_drained(std::chrono::steady_clock::time_point deadline);
  void after_grace() noexcept;
  void exit_now(std::string_view why) noexcept;

  // Members are destroyed in reverse: the pool (whose jobs hold sessions) goes
  // before the io_context, which goes before the state the sessions refer to.
  detail::ServerState state;
  ConnectionFactory factory;
  net::io_context ioc;
  net::strand<net::io_context::executor_type> control;  // serialises start/stop steps
  net::steady_timer drain_timer;
  net::signal_set signals;
  std::shared_ptr<detail::Listener> listener;
  bool signals_installed = false;
  bool shutting_down = false;  // on control only
};

// The first SIGINT/SIGTERM drains; one during the drain exits at once.
void Server::Impl::wait_for_signal() {
  signals.async_wait([this](boost::system::error_code ec, int signal) {
    if (ec) return;
    if (!shutting_down) {
      state.log.event("info", "signal received", {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
      begin_shutdown();
      wait_for_signal();
    } else {
      exit_now("second signal while shutting down; exiting now");
    }
  });
}

// Ends the process without waiting for the workers. std::exit would run static
// destructors and atexit handlers while handlers still run on worker threads
// (and ~std::thread of a joinable thread calls std::terminate); returning would
// have ~Server join the stuck worker, which is the hang this avoids. _Exit ends
// the process at once: the kernel closes the sockets and files, and the
// database rolls back the unfinished transaction (SQLite's journal on next
// open, PostgreSQL when the connection drops). stdio is flushed first: our own
// log lines use write() and are already out, but other code may use stdio.
void Server::Impl::exit_now(std::string_view why) noexcept {
  const std::int64_t in_flight = state.pool ? state.pool->busy() : 0;
  try {
    state.log.event("error", why, {{"in_flight", std::to_string(in_flight)}});
  } catch (...) {
  }
  if (state.options.exit_now) {
    try {
      state.options.exit_now();
    } catch (...) {
    }
    return;
  }
  std::fflush(nullptr);
  std::_Exit(1);
}

// Shutdown, step 1: no new connections; idle ones close now; busy ones close
// after their response (Session checks state.stopping).
void Server::Impl::begin_shutdown() {
  if (shutting_down) return;
  shutting_down = true;
  state.stopping.store(true);
  state.log.event("info", "shutting down");
  if (listener) listener->stop();
  for (const auto& s : state.registry.sessions()) s->close_if_idle();
  check_drained(std::chrono::steady_clock::now() + state.options.shutdown_grace);
}

// Step 2: wait until every connection is gone or the grace period is over.
void Server::Impl::check_drained(std::chrono::steady_clock::time_point deadline) {
  if (state.registry.live() == 0) return ioc.stop();
  if (std::chrono::steady_clock::now() >= deadline) {
    state.log.event("warn", "shutdown grace period over; closing the remaining connections");
    for (const auto& s : state.registry.sessions()) s->force_close();
    state.pool->close_queue();  // queued requests will not run now
    // One more short round so the closes run (and a handler just finishing
    // returns) before the workers are checked.
    drain_timer.expires_after(std::chrono::milliseconds(100));
    drain_timer.async_wait([this](boost::system::error_code) { after_grace(); });
    return;
  }
  drain_timer.expires_after(std::chrono::milliseconds(10));
  drain_timer.async_wait([this, deadline](boost::system::error_code ec) {
    if (!ec) check_drained(deadline);
  });
}

// Step 3 when the grace period is over: a handler still running cannot be
// stopped, and joining its worker could wait forever.
void Server::Impl::after_grace() noexcept {
  if (state.pool->busy() > 0) exit_now("shutdown grace period over with requests still running; exiting");
  ioc.stop();
}

Server::Server(ServerOptions options, const Router& router, ConnectionFactory connections, ErrorResponder errors,
               Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, std::move(connections), std::move(errors), metrics)) {}

Server::~Server() = default;

std::string Server::start() {
  auto& s = impl_->state;
  if (impl_->listener) return endpoint_text(impl_->listener->local_endpoint());
  if (!impl_->signals_installed) {
    // First of all, so that a SIGTERM from now on is a graceful stop (acted on
    // once run() runs the loop), not death by the default action.
    impl_->signals.add(SIGINT);
    impl_->signals.add(SIGTERM);
    impl_->signals_installed = true;
  }
  const tcp::endpoint wanted = parse_listen(s.options.listen);
  const std::size_t max_connections = usable_connections(s.options);
  s.options.max_connections = max_connections;
  s.registry.set_max_total(max_connections);
  impl_->listener = std::make_shared<detail::Listener>(impl_->ioc, wanted, s);
  s.pool = std::make_unique<detail::WorkerPool>(s.options.workers, s.options.queue_capacity, impl_->factory,
                                                s.options.db_ping_after);
  s.metrics.set_pool_source([pool = s.pool.get()] { return pool->gauges(); });
  const std::string bound = endpoint_text(impl_->listener->local_endpoint());
  s.log.event("info", "listening",
              {{"address", bound},
               {"io_threads", std::to_string(std::max(s.options.io_threads, 1))},
               {"workers", std::to_string(std::max(s.options.workers, 1))},
               {"max_connections", std::to_string(max_connections)}});
  return bound;
}

void Server::run() {
  if (!impl_->listener) start();
  Impl& impl = *impl_;
  net::dispatch(impl.control, [&impl] { impl.wait_for_signal(); });
  impl.listener->start();

  std::vector<std::thread> threads;
  const int extra = std::max(impl.state.options.io_threads, 1) - 1;
  threads.reserve(static_cast<std::size_t>(extra));
  for (int i = 0; i < extra; ++i) threads.emplace_back([&impl] { run_io(impl.ioc, impl.state.log); });
  run_io(impl.ioc, impl.state.log);
  for (auto& t : threads) t.join();

  // Step 4: every response has been written, or the grace is over and no
  // handler is still running (after_grace exits otherwise): the join is short.
  impl.state.pool->stop();
  impl.state.log.event("info", "stopped");
}

void Server::stop() {
  net::post(impl_->control, [impl = impl_.get()] { impl->begin_shutdown(); });
}

}  // namespace bespoke::web
