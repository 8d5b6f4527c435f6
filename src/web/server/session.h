#pragma once
// Internal to the server: one client connection. Reads one request at a time
// with limits and absolute deadlines, routes it, runs the handler inline or on
// the worker pool, and writes the response on the connection's strand.
//
// Lifetime: owned by shared_ptrs held by its pending operations (and, while a
// handler runs, by the worker's queue), as in Beast's examples.
#include "web/http.h"
#include "web/server/state.h"
#include "web/server/worker_pool.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace bespoke::web::detail {

class Session final : public Job, public std::enable_shared_from_this<Session> {
 public:
  // socket's executor must be a strand of its own. The connection has been
  // admitted for peer (ConnectionRegistry::admit); the session releases it.
  // Refused connections never get a Session (listener.cpp answers them).
  Session(boost::asio::ip::tcp::socket socket, ServerState& state, boost::asio::ip::address peer);
  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start();
  // Shutdown: closes the connection now if it is waiting for a request; a
  // request in progress finishes and the connection closes after its response.
  void close_if_idle();
  // Shutdown after the grace period: closes whatever the state.
  void force_close();

  void run(WorkerContext& context) noexcept override;  // on a worker thread

 private:
  enum class Phase { idle, reading, handling, writing, closing };
  enum class After { keep_alive, close, linger_close };

  void wait_for_request(bool first);
  void on_first_bytes(boost::beast::error_code ec, std::size_t n);
  void read_header();
  void on_header(boost::beast::error_code ec);
  void read_body();
  void on_body(boost::beast::error_code ec);
  void dispatch();
  Response call_handler(const Handler& handler, RequestContext& context) noexcept;
  std::optional<Response> answer_from_memory() noexcept;
  Response error_response(int status, std::string_view title, std::string_view detail) noexcept;
  void reject(int status, std::string_view title, std::string_view detail);
  void send(After after);
  void on_write(boost::beast::error_code ec);
  void linger();
  void on_linger(boost::beast::error_code ec, std::size_t n);
  void close() noexcept;
  void reset_request();

  ServerState& state_;
  boost::beast::tcp_stream stream_;
  boost::asio::ip::address peer_;
  std::string peer_text_;
  Phase phase_ = Phase::idle;
  After after_ = After::keep_alive;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::chrono::steady_clock::time_point accepted_at_;
  std::chrono::steady_clock::time_point request_started_;
  std::chrono::steady_clock::time_point linger_until_;
  bool first_request_ = true;  // its header deadline counts from accept
  bool head_ = false;  // the request is HEAD: headers only
  unsigned version_ = 11;
  bool client_keep_alive_ = true;
  Match match_;  // the route for the request being read, from its header
  const Route* route_ = nullptr;
  Request request_;
  Response response_;
  std::string out_;  // the serialised response; its capacity is reused
  std::uint64_t body_bytes_ = 0;
};

}  // namespace bespoke::web::detail
