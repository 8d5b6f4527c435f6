#pragma once
// How errors look to the client: RFC 9457 problem+json under /api/ (and for
// clients that ask for JSON), a GOV.UK error page everywhere else. The one table
// from domain error codes to HTTP statuses lives here.
#include "core/error.h"
#include "web/http.h"

#include <string_view>

namespace bespoke::web {

class Views;
struct Caller;

[[nodiscard]] int status_for(core::ErrorCode code) noexcept;

[[nodiscard]] bool wants_problem_json(const Request& request) noexcept;

class ErrorPages {
 public:
  explicit ErrorPages(const Views& views) : views_(views) {}

  [[nodiscard]] Response respond(const Request& request, int status, std::string_view title,
                                 std::string_view detail) const;
  [[nodiscard]] Response respond(const Request& request, const core::Error& error) const;
  // The same, with the header's account links for a signed-in caller.
  [[nodiscard]] Response respond(const Request& request, const Caller& caller, int status, std::string_view title,
                                 std::string_view detail) const;
  // 404 "Page not found": also the answer for a record the caller may not see.
  [[nodiscard]] Response not_found(const Request& request, const Caller& caller) const;

 private:
  const Views& views_;
};

}  // namespace bespoke::web
