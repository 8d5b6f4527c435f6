#pragma once
// Our own request and response values, so that handlers and views do not include
// Beast (which is slow to compile and belongs to the connection layer only).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bespoke::web {

using Headers = std::vector<std::pair<std::string, std::string>>;  // names in lower case
using RouteParams = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;          // "GET", "POST", ...
  std::string target;          // as sent: path and query
  std::string path;            // percent-decoded path, without the query
  std::string query;           // raw query string, without '?'
  Headers headers;
  std::string body;
  std::string remote_address;  // peer IP address
  std::string request_id;
  RouteParams params;          // filled in by the router from the pattern

  [[nodiscard]] std::optional<std::string_view> header(std::string_view lower_case_name) const;
  [[nodiscard]] std::optional<std::string_view> param(std::string_view name) const;
  // The first value of a query-string parameter, percent- and '+'-decoded.
  [[nodiscard]] std::optional<std::string> query_param(std::string_view name) const;
  // Every value of a repeatable parameter, in order (kind=a&kind=b).
  [[nodiscard]] std::vector<std::string> query_params(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  void set_header(std::string name, std::string value);
  // Another header of the same name (Set-Cookie may repeat).
  void add_header(std::string name, std::string value);
  [[nodiscard]] std::optional<std::string_view> header(std::string_view lower_case_name) const;

  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static Response html(int status, std::string body);
  static Response json(int status, std::string body);
  // 303 See Other: after a form's POST, the page to load next.
  static Response see_other(std::string location);
  // RFC 9457 problem details; field names the input that is wrong, if any.
  static Response problem(int status, std::string_view title, std::string_view detail, std::string_view field = {});
};

// Decodes %XX escapes (and '+' as space when form_encoding); nullopt on a bad escape.
[[nodiscard]] std::optional<std::string> percent_decode(std::string_view in, bool form_encoding);

// Percent-encodes everything but RFC 3986's unreserved characters (for a query value).
[[nodiscard]] std::string percent_encode(std::string_view in);

// Parses application/x-www-form-urlencoded text into decoded pairs; nullopt on a bad escape.
[[nodiscard]] std::optional<std::vector<std::pair<std::string, std::string>>> parse_form(std::string_view body);

[[nodiscard]] std::string_view reason_phrase(int status) noexcept;

}  // namespace bespoke::web
