#include "web/server/session.h"

#include "core/ids.h"
#include "store/database.h"
#include "web/security_headers.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <exception>

namespace bespoke::web::detail {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace std::chrono_literals;

namespace {

// After answering an error whose request we did not read, keep reading (and
// discarding) for a moment before closing: closing with unread input makes the
// kernel send a reset, which can destroy the response before the client reads it.
constexpr auto kLingerTime = 2s;

constexpr std::string_view kServerName = "bespoke";

// The Date header changes once a second; each I/O thread formats it once per second.
std::string_view http_date() noexcept {
  struct Cache {
    std::time_t second = 0;
    char text[40] = {};
    std::size_t size = 0;
  };
  thread_local Cache cache;
  const std::time_t now = std::time(nullptr);
  if (now != cache.second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    cache.size = std::strftime(cache.text, sizeof cache.text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cache.second = now;
  }
  return {cache.text, cache.size};
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool has_header(const Headers& headers, std::string_view name) noexcept {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return iequals(h.first, name); });
}

// Headers the server owns: a handler's copy is ignored rather than duplicated.
bool server_owned(std::string_view name) noexcept {
  return iequals(name, "content-length") || iequals(name, "transfer-encoding") || iequals(name, "connection") ||
         iequals(name, "date") || iequals(name, "server") || iequals(name, "x-request-id");
}

// Refuses header text that would split the response (CR, LF, NUL).
bool safe_header_text(std::string_view s) noexcept { return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos; }

// core::random_hex(8) costs a getrandom() system call; drawing 64 ids' worth at
// once keeps the ids CSPRNG output while making the call rare.
std::string new_request_id() {
  constexpr std::size_t kIdHex = 16;
  constexpr std::size_t kBatch = 64;
  thread_local std::string pool;
  thread_local std::size_t used = 0;
  if (used + kIdHex > pool.size()) {
    pool = core::random_hex(kIdHex / 2 * kBatch);
    used = 0;
  }
  std::string id = pool.substr(used, kIdHex);
  used += kIdHex;
  return id;
}

bool valid_request_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

void append_status_line(std::string& out, unsigned version, int status) {
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  char code[8];
  const int n = std::snprintf(code, sizeof code, "%d ", status);
  out.append(code, static_cast<std::size_t>(n));
  out += reason_phrase(status);
  out += "\r\n";
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

// A Route for handlers that must not touch the database: db() is a bug there.
class InlineContext final : public RequestContext {
 public:
  store::Connection& db() override {
    throw std::logic_error("a route marked inline_handler asked for a database connection");
  }
};

}  // namespace

Session::Session(net::ip::tcp::socket socket, ServerState& state, net::ip::address peer)
    : state_(state),
      stream_(std::move(socket)),
      peer_(peer),
      peer_text_(peer.to_string()),
      accepted_at_(std::chrono::steady_clock::now()),
      request_started_(accepted_at_) {  // a response before any request byte is timed from accept
  state_.metrics.connection_opened();
}

Session::~Session() {
  state_.registry.release(peer_);
  state_.registry.remove(this);
  state_.metrics.connection_closed();
}

void Session::start() {
  state_.registry.add(this, weak_from_this());
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_for_request(true); });
}

void Session::close_if_idle() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ == Phase::idle) self->close();
  });
}

void Session::force_close() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
}

void Session::close() noexcept {
  phase_ = Phase::closing;
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  try {
    stream_.close();
  } catch (...) {
    stream_.socket().close(ignored);  // the timer's cancel failed; the socket still goes
  }
}

void Session::reset_request() {
  request_.method.clear();
  request_.target.clear();
  request_.path.clear();
  request_.query.clear();
  request_.headers.clear();
  request_.body.clear();
  request_.request_id.clear();
  request_.params.clear();
  route_ = nullptr;
  head_ = false;
  version_ = 11;
  client_keep_alive_ = true;
  body_bytes_ = 0;
}

// Waits for the first byte of the next request. A new connection has
// header_timeout from accept for its whole header; a kept-alive one may idle
// for idle_timeout, and its header_timeout starts with the first byte.
void Session::wait_for_request(bool first) {
  if (state_.stopping.load(std::memory_order_relaxed)) return close();
  reset_request();
  phase_ = Phase::idle;
  first_request_ = first;
  if (buffer_.size() > 0) {  // a pipelined request is already here
    request_started_ = std::chrono::steady_clock::now();
    return read_header();
  }
  if (first) {
    stream_.expires_at(accepted_at_ + state_.options.header_timeout);
  } else {
    stream_.expires_after(state_.options.idle_timeout);
  }
  stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    self->on_first_bytes(ec, n);
  });
}

void Session::on_first_bytes(beast::error_code ec, std::size_t n) {
  // Timeouts, resets and the client's own close all end the connection quietly:
  // nothing of a request was read, so there is nobody to answer.
  if (ec) return close();
  buffer_.commit(n);
  request_started_ = std::chrono::steady_clock::now();
  read_header();
}

void Session::read_header() {
  phase_ = Phase::reading;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(state_.options.header_limit, UINT32_MAX)));
  // No body limit yet: Beast would check Content-Length against its 1 MB default
  // while reading the header; the route's own limit is applied in on_header.
  parser_->body_limit(boost::none);
  // The absolute deadline: trickling bytes cannot extend it.
  stream_.expires_at((first_request_ ? accepted_at_ : request_started_) + state_.options.header_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void Session::on_header(beast::error_code ec) {
  if (ec == http::error::header_limit) {
    // Beast reports one error for both limits. Once the parser has taken the
    // request line, the target's length decides; before that, the buffered bytes
    // do: a request line not ended within the limit, or longer than url_limit, is 414.
    bool url_too_long = false;
    const auto target = parser_->get().target();
    if (!target.empty()) {
      url_too_long = target.size() > state_.options.url_limit;
    } else {
      const std::string_view seen(static_cast<const char*>(buffer_.data().data()), buffer_.size());
      const std::size_t eol = seen.find("\r\n");
      url_too_long = eol == std::string_view::npos || eol > state_.options.url_limit;
    }
    if (url_too_long) {
      return reject(414, "The web address is too long", "The address requested is longer than this server accepts.");
    }
    return reject(431, "Request headers too large", "The request's headers are larger than this server accepts.");
  }
  if (ec == http::error::end_of_stream || ec == http::error::partial_message || ec == beast::error::timeout ||
      ec == net::error::operation_aborted || ec == net::error::connection_reset || ec == net::error::eof) {
    return close();
  }
  if (ec) return reject(400, "Bad request", "The request could not be understood.");

  const auto& msg = parser_->get();
  version_ = msg.version();
  client_keep_alive_ = msg.keep_alive();
  request_.method.assign(msg.method_string().data(), msg.method_string().size());
  request_.target.assign(msg.target().data(), msg.target().size());
  head_ = msg.method() == http::verb::head;
  request_.headers.reserve(16);
  for (const auto& field : msg) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    request_.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  const auto client_id = request_.header("x-request-id");
  request_.request_id = client_id && valid_request_id(*client_id) ? std::string(*client_id) : new_request_id();
  request_.remote_address = peer_text_;

  const std::string_view target = request_.target;
  const std::size_t q = target.find('?');
  const std::string_view raw_path = target.substr(0, q);
  if (q != std::string_view::npos) request_.query.assign(target.substr(q + 1));
  auto path = percent_decode(raw_path, false);
  // The request line is fine by Beast, but our own limits and rules still apply.
  if (target.size() > state_.options.url_limit) {
    request_.path.assign(raw_path.substr(0, std::min<std::size_t>(raw_path.size(), 256)));
    return reject(414, "The web address is too long", "The address requested is longer than this server accepts.");
  }
  if (!path || path->find('\0') != std::string::npos || raw_path.empty() || raw_path.front() != '/') {
    request_.path.assign(raw_path);
    return reject(400, "Bad request", "The address requested is not valid.");
  }
  request_.path = std::move(*path);

  match_ = state_.router.match(request_.method, request_.path);  // once: dispatch() uses it too
  const std::size_t limit = Router::body_limit(match_);
  const auto length = parser_->content_length();
  if (length && *length > limit) {
    return reject(413, "The request is too large", "The request body is larger than this page accepts.");
  }
  const auto verb = msg.method();
  if (!length && !parser_->chunked() &&
      (verb == http::verb::post || verb == http::verb::put || verb == http::verb::patch)) {
    return reject(411, "Length required", "A request with a body must say how long it is.");
  }
  parser_->body_limit(limit);  // caps a chunked body as it arrives
  if (parser_->is_done()) return dispatch();

  if (iequals(msg[http::field::expect], "100-continue")) {
    // Clients such as curl wait for this before sending a large body.
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    stream_.expires_after(state_.options.write_timeout);
    return net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                            [self = shared_from_this()](beast::error_code wec, std::size_t) {
                              if (wec) return self->close();
                              self->read_body();
                            });
  }
  read_body();
}

void Session::read_body() {
  stream_.expires_after(state_.options.body_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
}

void Session::on_body(beast::error_code ec) {
  if (ec == http::error::body_limit) {
    return reject(413, "The request is too large", "The request body is larger than this page accepts.");
  }
  if (ec == http::error::end_of_stream || ec == http::error::partial_message || ec == beast::error::timeout ||
      ec == net::error::operation_aborted || ec == net::error::connection_reset || ec == net::error::eof) {
    return close();
  }
  if (ec) return reject(400, "Bad request", "The request body could not be understood.");
  request_.body = std::move(parser_->get().body());
  dispatch();
}

void Session::dispatch() {
  parser_.reset();
  Match match = std::move(match_);
  match_ = {};
  if (match.kind == Match::Kind::not_found) {
    response_ = error_response(404, "Page not found", "There is no page at this address.");
    return send(After::keep_alive);
  }
  if (match.kind == Match::Kind::method_not_allowed) {
    response_ = error_response(405, "Method not allowed", "This address does not accept that method.");
    response_.set_header("allow", std::move(match.allow));
    return send(After::keep_alive);
  }
  route_ = match.route;
  request_.params = std::move(match.params);
  if (route_->options.from_memory) {
    if (auto cached = answer_from_memory()) {
      response_ = std::move(*cached);
      return send(After::keep_alive);
    }
  }
  if (route_->options.inline_handler) {
    InlineContext context;
    response_ = call_handler(route_->handler, context);
    return send(After::keep_alive);
  }
  phase_ = Phase::handling;
  if (!state_.pool->try_submit(shared_from_this())) {
    response_ = error_response(503, "Service busy", "The service is busy. Please try again in a moment.");
    response_.set_header("retry-after", "1");
    return send(After::keep_alive);
  }
}

void Session::run(WorkerContext& context) noexcept {
  // The strand has no operation pending while a handler runs, so request_ and
  // response_ are this thread's alone until the post below.
  response_ = call_handler(route_->handler, context);
  try {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->send(After::keep_alive); });
  } catch (const std::exception& e) {
    // Out of memory: the response cannot be queued. Dropping the job's reference
    // ends the session; its socket closes with it.
    state_.log.event("error", "cannot send a response", {{"request_id", request_.request_id}, {"error", e.what()}});
  }
}

// A route's cache, tried on the I/O thread; a failure there just means "no hit".
std::optional<Response> Session::answer_from_memory() noexcept {
  try {
    return route_->options.from_memory(request_);
  } catch (const std::exception& e) {
    state_.log.event("error", "from_memory failed",
                     {{"request_id", request_.request_id}, {"route", route_->pattern}, {"error", e.what()}});
  } catch (...) {
  }
  return std::nullopt;
}

// The one place where a request's exceptions become responses. The outer try
// catches what building the error response itself throws (out of memory inside
// a catch block): in a noexcept function that would be std::terminate.
Response Session::call_handler(const Handler& handler, RequestContext& context) noexcept try {
  try {
    return handler(request_, context);
  } catch (const store::Failure& f) {
    context.connection_failed();
    state_.log.event("error", "database failure",
                     {{"request_id", request_.request_id}, {"route", route_->pattern}, {"error", f.what()}});
    switch (f.kind()) {
      case store::FailureKind::full:
        return error_response(507, "The service cannot save your changes",
                              "The service has run out of storage space. Nothing was saved. Please try again later.");
      case store::FailureKind::busy:
      case store::FailureKind::unavailable:
      case store::FailureKind::schema: {
        Response r = error_response(503, "The service is unavailable",
                                    "The service cannot reach its database just now. Please try again in a moment.");
        r.set_header("retry-after", "1");
        return r;
      }
      case store::FailureKind::constraint:
      case store::FailureKind::other:
        break;
    }
    return error_response(500, "Sorry, there is a problem with the service", "Please try again later.");
  } catch (const std::exception& e) {
    state_.log.event("error", "handler failed",
                     {{"request_id", request_.request_id}, {"route", route_->pattern}, {"error", e.what()}});
  } catch (...) {
    state_.log.event("error", "handler failed",
                     {{"request_id", request_.request_id}, {"route", route_->pattern}, {"error", "unknown exception"}});
  }
  return error_response(500, "Sorry, there is a problem with the service", "Please try again later.");
} catch (...) {
  Response r;  // no allocation: a bare 500
  r.status = 500;
  return r;
}

Response Session::error_response(int status, std::string_view title, std::string_view detail) noexcept {
  try {
    if (state_.errors) return state_.errors(request_, status, title, detail);
  } catch (const std::exception& e) {
    state_.log.event("error", "error responder failed", {{"request_id", request_.request_id}, {"error", e.what()}});
  } catch (...) {
  }
  try {
    return Response::problem(status, title, detail);
  } catch (...) {
    Response r;
    r.status = status;
    return r;
  }
}

// Answers an error the server found in the request itself, then closes: after a
// bad or oversized request the position in the byte stream cannot be trusted.
void Session::reject(int status, std::string_view title, std::string_view detail) {
  if (request_.request_id.empty()) request_.request_id = new_request_id();
  request_.remote_address = peer_text_;
  parser_.reset();
  response_ = error_response(status, title, detail);
  send(After::linger_close);
}

void Session::send(After after) {
  phase_ = Phase::writing;
  after_ = after;
  if (after_ == After::keep_alive && (!client_keep_alive_ || state_.stopping.load(std::memory_order_relaxed))) {
    after_ = After::close;
  }
  Response& r = response_;
  bool valid = true;
  for (const auto& [name, value] : r.headers) {
    if (name.empty() || !safe_header_text(name) || !safe_header_text(value)) valid = false;
  }
  if (!valid) {
    state_.log.event("error", "handler set an invalid header", {{"request_id", request_.request_id}});
    r = Response::problem(500, "Sorry, there is a problem with the service", "Please try again later.");
  }

  out_.clear();
  append_status_line(out_, version_, r.status);
  for (const auto& [name, value] : r.headers) {
    if (!server_owned(name)) append_header(out_, name, value);
  }
  for (const auto& [name, value] : security_headers()) {
    if (!has_header(r.headers, name)) append_header(out_, name, value);
  }
  if (is_open_data_path(request_.path) && !has_header(r.headers, open_data_cors.first)) {
    append_header(out_, open_data_cors.first, open_data_cors.second);
  }
  if (!has_header(r.headers, default_cache_control.first)) {
    append_header(out_, default_cache_control.first, default_cache_control.second);
  }
  append_header(out_, "x-request-id", request_.request_id);
  append_header(out_, "date", http_date());
  append_header(out_, "server", kServerName);
  const bool bodiless = r.status < 200 || r.status == 204 || r.status == 304;
  if (!bodiless) {
    char len[24];
    const int n = std::snprintf(len, sizeof len, "%zu", r.body.size());
    append_header(out_, "content-length", std::string_view(len, static_cast<std::size_t>(n)));
  }
  if (after_ != After::keep_alive) {
    append_header(out_, "connection", "close");
  } else if (version_ == 10) {
    append_header(out_, "connection", "keep-alive");
  }
  out_ += "\r\n";
  body_bytes_ = 0;
  // HEAD gets the GET's headers, Content-Length included, and no body.
  if (!head_ && !bodiless) {
    out_ += r.body;
    body_bytes_ = r.body.size();
  }

  stream_.expires_after(state_.options.write_timeout);
  net::async_write(stream_, net::buffer(out_),
                   [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void Session::on_write(beast::error_code ec) {
  const auto elapsed = std::chrono::steady_clock::now() - request_started_;
  const std::string_view route = route_ ? std::string_view(route_->pattern) : std::string_view("unmatched");
  state_.metrics.record_request(request_.method, route, response_.status, elapsed, body_bytes_);
  state_.log.request(AccessRecord{request_.method, route, request_.path, response_.status, body_bytes_,
                                  std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed), request_.request_id,
                                  peer_text_});
  response_.body.clear();
  response_.headers.clear();
  if (ec) return close();
  switch (after_) {
    case After::keep_alive: return wait_for_request(false);
    case After::close: return close();
    case After::linger_close: return linger();
  }
}

void Session::linger() {
  phase_ = Phase::closing;
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  linger_until_ = std::chrono::steady_clock::now() + kLingerTime;
  stream_.expires_at(linger_until_);
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(16 * 1024), [self = shared_from_this()](beast::error_code e, std::size_t n) {
    self->on_linger(e, n);
  });
}

void Session::on_linger(beast::error_code ec, std::size_t) {
  if (ec) return close();  // the client closed, or the linger time is up
  stream_.expires_at(linger_until_);
  stream_.async_read_some(buffer_.prepare(16 * 1024), [self = shared_from_this()](beast::error_code e, std::size_t n) {
    self->on_linger(e, n);
  });
}

}  // namespace bespoke::web::detail
