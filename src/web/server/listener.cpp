#include "web/server/listener.h"

#include "web/server/session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <stdexcept>
#include <string>

namespace bespoke::web::detail {
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

namespace {

// A refused connection costs as little as possible: no Session, no parser, no
// ErrorResponder page, no request read; a fixed answer written without waiting
// (it fits any fresh socket's send buffer) and the socket closed soon after.
std::string refusal(std::string_view title, std::string_view detail) {
  const std::string body = "{\"type\":\"about:blank\",\"title\":\"" + std::string(title) +
                           "\",\"status\":503,\"detail\":\"" + std::string(detail) + "\"}";
  return "HTTP/1.1 503 Service Unavailable\r\n"
         "content-type: application/problem+json\r\n"
         "cache-control: no-store\r\n"
         "x-content-type-options: nosniff\r\n"
         "retry-after: 1\r\n"
         "server: bespoke\r\n"
         "connection: close\r\n"
         "content-length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

const std::string& refusal_for(Admission admission) {
  static const std::string address_full =
      refusal("too many connections from your address",
              "Too many connections from your address are open. Please try again in a moment.");
  static const std::string server_full =
      refusal("too many connections", "The server has too many open connections. Please try again soon.");
  return admission == Admission::address_full ? address_full : server_full;
}

// After the answer: the send side is shut; reading (and discarding) what the
// client sent until it closes, for a moment, lets the answer arrive before the
// close (closing with unread input makes the kernel send a reset, which can
// destroy the response before the client reads it). Only kMaxLingeringRefused
// sockets linger at once; beyond that, refused sockets close at once.
constexpr auto kRefusedLinger = 500ms;

class Lingerer : public std::enable_shared_from_this<Lingerer> {
 public:
  Lingerer(tcp::socket socket, std::atomic<int>& count)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), count_(count) {}
  ~Lingerer() { count_.fetch_sub(1, std::memory_order_relaxed); }
  Lingerer(const Lingerer&) = delete;
  Lingerer& operator=(const Lingerer&) = delete;

  void start() {
    timer_.expires_after(kRefusedLinger);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return;
      boost::system::error_code ignored;
      self->socket_.close(ignored);  // the pending read ends and releases the last reference
    });
    read();
  }

 private:
  void read() {
    socket_.async_read_some(net::buffer(sink_), [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
      if (ec) {
        self->timer_.cancel();
        boost::system::error_code ignored;
        self->socket_.close(ignored);
        return;
      }
      self->read();
    });
  }

  tcp::socket socket_;
  net::steady_timer timer_;
  std::atomic<int>& count_;
  std::array<char, 4096> sink_{};
};

void refuse(tcp::socket socket, Admission admission, ServerState& state) noexcept {
  try {
    const std::string& answer = refusal_for(admission);
    boost::system::error_code ec;
    socket.non_blocking(true, ec);
    if (!ec) socket.write_some(net::buffer(answer), ec);  // a short write: the client gets less; nothing waits
    socket.shutdown(tcp::socket::shutdown_send, ec);
    if (state.lingering_refused.fetch_add(1, std::memory_order_relaxed) < kMaxLingeringRefused) {
      std::make_shared<Lingerer>(std::move(socket), state.lingering_refused)->start();
      return;
    }
    state.lingering_refused.fetch_sub(1, std::memory_order_relaxed);
  } catch (...) {
    // Out of memory: fall through and close.
  }
  boost::system::error_code ignored;
  socket.close(ignored);
}

}  // namespace

Listener::Listener(net::io_context& ioc, const tcp::endpoint& endpoint, ServerState& state)
    : ioc_(ioc), state_(state), strand_(net::make_strand(ioc)), acceptor_(strand_), backoff_(strand_) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + endpoint.address().to_string() + ":" +
                             std::to_string(endpoint.port()) + ": " + ec.message());
  }
}

tcp::endpoint Listener::local_endpoint() const { return acceptor_.local_endpoint(); }

void Listener::start() {
  net::dispatch(strand_, [self = shared_from_this()] { self->accept(); });
}

void Listener::stop() {
  net::dispatch(strand_, [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
    self->backoff_.cancel();
  });
}

void Listener::accept() {
  if (!acceptor_.is_open()) return;
  // Each connection gets its own strand: its handlers never run concurrently,
  // yet connections run in parallel on all I/O threads.
  acceptor_.async_accept(net::make_strand(ioc_),
                         [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
                           self->on_accept(ec, std::move(socket));
                         });
}

void Listener::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    // Out of file descriptors, typically: accepting again at once would spin.
    state_.log.event("warn", "accept failed", {{"error", ec.message()}});
    backoff_.expires_after(std::chrono::milliseconds(50));
    backoff_.async_wait([self = shared_from_this()](boost::system::error_code wec) {
      if (!wec) self->accept();
    });
    return;
  }
  bool admitted = false;  // the registry holds a slot for address...
  bool handed_over = false;  // ...which a Session now releases
  boost::asio::ip::address address;
  try {
    boost::system::error_code peer_ec;
    const auto peer = socket.remote_endpoint(peer_ec);
    if (!peer_ec) {
      address = unmapped(peer.address());
      const Admission admission = state_.registry.admit(address);
      if (admission != Admission::admitted) {
        state_.metrics.connection_refused();
        refuse(std::move(socket), admission, state_);
      } else {
        admitted = true;
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        auto session = std::make_shared<Session>(std::move(socket), state_, address);
        handed_over = true;
        session->start();
      }
    }
  } catch (const std::exception& e) {
    // Out of memory, most likely: this connection is lost (its socket closes as
    // it goes out of scope), the listener goes on.
    if (admitted && !handed_over) state_.registry.release(address);
    state_.log.event("error", "cannot start a connection", {{"error", e.what()}});
  }
  accept();
}

}  // namespace bespoke::web::detail
