#include "web/router.h"

#include "web/auth/caller.h"
#include "web/auth/guard.h"

#include <stdexcept>

namespace bespoke::web {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const std::size_t j = path.find('/', i);
    const std::size_t end = j == std::string_view::npos ? path.size() : j;
    parts.push_back(path.substr(i, end - i));
    i = end;
  }
  return parts;
}

bool is_param(std::string_view segment) { return segment.size() > 2 && segment.front() == '{' && segment.back() == '}'; }
bool is_rest(std::string_view segment) { return is_param(segment) && segment.ends_with("...}"); }

bool ends_with_slash(std::string_view path) { return path.size() > 1 && path.back() == '/'; }

// Matches the path's segments (have) against a pattern's (want); fills params on success.
bool match_segments(const std::vector<std::string_view>& want, const std::vector<std::string_view>& have,
                    std::string_view path, std::string_view pattern, RouteParams& params) {
  params.clear();
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (is_rest(want[i])) {
      if (i >= have.size()) return false;
      const auto name = want[i].substr(1, want[i].size() - 5);
      const std::size_t start = static_cast<std::size_t>(have[i].data() - path.data());
      params.emplace_back(name, std::string(path.substr(start)));
      return true;
    }
    if (i >= have.size()) return false;
    if (is_param(want[i])) {
      params.emplace_back(want[i].substr(1, want[i].size() - 2), have[i]);
    } else if (want[i] != have[i]) {
      return false;
    }
  }
  // "/about/" is not "/about": one address per page, unless the pattern
  // itself ends in a slash (the HSDS API's root is fetched as "/hsds/").
  return have.size() == want.size() && ends_with_slash(path) == ends_with_slash(pattern);
}

}  // namespace

const Caller& RequestContext::caller() const { return Caller::anonymous(); }

Router& Router::add(std::string method, std::string pattern, policy::Action action, Handler handler,
                    RouteOptions options) {
  for (const auto& r : routes_) {
    if (r->method == method && r->pattern == pattern) throw std::logic_error("duplicate route " + method + " " + pattern);
  }
  if (guard_) handler = guard_->wrap(method, pattern, action, std::move(handler), options);
  routes_.push_back(std::make_unique<Route>(
      Route{std::move(method), std::move(pattern), action, std::move(handler), std::move(options)}));
  segments_.push_back(split_path(routes_.back()->pattern));
  return *this;
}

Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  if (path.empty() || path.front() != '/') return result;
  RouteParams params;
  const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  const auto have = split_path(path);  // once per request, not once per route
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& r = routes_[i];
    if (!match_segments(segments_[i], have, path, r->pattern, params)) continue;
    if (r->method == wanted) {
      result.kind = Match::Kind::found;
      result.route = r.get();
      result.params = std::move(params);
      result.allow.clear();
      return result;
    }
    result.kind = Match::Kind::method_not_allowed;
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += r->method;
    if (r->method == "GET") result.allow += ", HEAD";
  }
  return result;
}

std::size_t Router::body_limit(std::string_view method, std::string_view path) const {
  return body_limit(match(method, path));
}

std::size_t Router::body_limit(const Match& m) noexcept {
  return m.route ? m.route->options.body_limit : RouteOptions{}.body_limit;
}

}  // namespace bespoke::web
