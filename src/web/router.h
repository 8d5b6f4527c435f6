#pragma once
// One table of routes: method + path pattern ("/services/{id}") + handler.
// Tests enumerate it (routes()) to check every route against every rule.
#include "policy/policy.h"
#include "web/http.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::store {
class Connection;
}

namespace bespoke::web {

struct Caller;
class Guard;

// What a handler may reach besides the request: the worker's own database
// connection, opened on first use (throws store::Failure when unreachable),
// and who is asking (filled in by the Guard before the handler runs).
class RequestContext {
 public:
  virtual ~RequestContext() = default;
  virtual store::Connection& db() = 0;
  // The connection from db() failed (a store::Failure was caught): the next
  // db() opens a new one. Handlers that catch a Failure themselves call this.
  virtual void connection_failed() noexcept {}
  // Anonymous unless the Guard resolved a session or an API token.
  [[nodiscard]] virtual const Caller& caller() const;
};

using Handler = std::function<Response(const Request&, RequestContext&)>;

// Answers from memory on the I/O thread when it can (a cache hit); nullopt sends
// the request on to the handler on a worker. Must be cheap and must not block.
using MemoryHandler = std::function<std::optional<Response>(const Request&)>;

struct RouteOptions {
  std::size_t body_limit = 1024 * 1024;  // bytes; larger bodies get 413 before they are read
  // Cheap and never blocks (no database, no disk waits): run on the I/O thread,
  // skipping the hop to the worker pool. For /healthz, /metrics, static files.
  bool inline_handler = false;
  // Tried first, on the I/O thread; see MemoryHandler.
  MemoryHandler from_memory;
};

struct Route {
  std::string method;
  std::string pattern;  // also the route's label in logs and metrics
  policy::Action action;  // what it does, for the policy module (src/policy)
  Handler handler;
  RouteOptions options;
};

struct Match {
  enum class Kind { found, not_found, method_not_allowed } kind = Kind::not_found;
  const Route* route = nullptr;
  RouteParams params;
  std::string allow;  // for 405: the methods the path accepts, "GET, HEAD"
};

class Router {
 public:
  Router() = default;
  // Every handler added is wrapped by the guard: it resolves the caller,
  // applies the policy's route-level rule for the action, and checks CSRF
  // tokens on forms. Without a guard (router tests) handlers run as they are.
  explicit Router(const Guard& guard) : guard_(&guard) {}

  // Patterns are literal segments and {name} segments; a final {name...}
  // segment takes the rest of the path. Every route names the action it
  // performs: there is no overload without one. Adding a duplicate throws (a bug).
  Router& add(std::string method, std::string pattern, policy::Action action, Handler handler,
              RouteOptions options = {});

  // HEAD matches a GET route.
  [[nodiscard]] Match match(std::string_view method, std::string_view path) const;

  // The body limit of the route for this method and path (checked against
  // Content-Length right after the header, before the body is read), or the
  // default when no route matches (the request then gets its 404 or 405).
  [[nodiscard]] std::size_t body_limit(std::string_view method, std::string_view path) const;
  // The same, for a match already made (the server matches once per request).
  [[nodiscard]] static std::size_t body_limit(const Match& match) noexcept;

  [[nodiscard]] const std::vector<std::unique_ptr<Route>>& routes() const noexcept { return routes_; }

 private:
  const Guard* guard_ = nullptr;
  std::vector<std::unique_ptr<Route>> routes_;
  // Each route's pattern split into segments once, at add(); views into Route::pattern.
  std::vector<std::vector<std::string_view>> segments_;
};

}  // namespace bespoke::web
