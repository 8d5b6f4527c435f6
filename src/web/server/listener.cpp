#include "web/server/listener.h"

#include "web/server/session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/socket_base.hpp>

#include <stdexcept>

namespace bespoke::web::detail {
namespace net = boost::asio;
using tcp = net::ip::tcp;

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
  boost::system::error_code peer_ec;
  const auto peer = socket.remote_endpoint(peer_ec);
  if (!peer_ec) {
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    const Admission admission = state_.registry.admit(peer.address());
    std::make_shared<Session>(std::move(socket), state_, peer.address(), admission)->start();
  }
  accept();
}

}  // namespace bespoke::web::detail
