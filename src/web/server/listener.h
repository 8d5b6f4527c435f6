#pragma once
// Internal to the server: accepts connections, admits them against the
// connection caps and starts a Session for each (a refused one only gets 503).
#include "web/server/state.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <memory>

namespace bespoke::web::detail {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens at once; throws std::runtime_error when it cannot.
  Listener(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint, ServerState& state);

  [[nodiscard]] boost::asio::ip::tcp::endpoint local_endpoint() const;
  void start();
  // Thread-safe: stops accepting; connections already open are not touched.
  void stop();

 private:
  void accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  ServerState& state_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_;
};

}  // namespace bespoke::web::detail
