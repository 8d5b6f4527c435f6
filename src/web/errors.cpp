#include "web/errors.h"

#include "web/auth/page_meta.h"
#include "web/views.h"

namespace bespoke::web {

int status_for(core::ErrorCode code) noexcept {
  switch (code) {
    case core::ErrorCode::invalid: return 422;
    case core::ErrorCode::not_found: return 404;
    case core::ErrorCode::conflict: return 409;
    case core::ErrorCode::too_large: return 413;
    case core::ErrorCode::unavailable: return 503;
    case core::ErrorCode::storage_full: return 507;
  }
  return 500;
}

bool wants_problem_json(const Request& request) noexcept {
  return request.path == "/api" || request.path.starts_with("/api/") || request.path == "/hsds" ||
         request.path.starts_with("/hsds/");
}

Response ErrorPages::respond(const Request& request, int status, std::string_view title,
                             std::string_view detail) const {
  Response r = wants_problem_json(request) ? Response::problem(status, title, detail)
                                           : Response::html(status, views_.error_page(status, title, detail));
  if (status == 503) r.set_header("retry-after", "1");
  return r;
}

Response ErrorPages::respond(const Request& request, const Caller& caller, int status, std::string_view title,
                             std::string_view detail) const {
  if (wants_problem_json(request) || !caller.signed_in()) return respond(request, status, title, detail);
  const auto meta = page_meta(caller, {});
  return Response::html(status, views_.error_page(status, title, detail, meta.account_name, meta.csrf_token));
}

Response ErrorPages::not_found(const Request& request, const Caller& caller) const {
  return respond(request, caller, 404, "Page not found", "If you typed the web address, check it is correct.");
}

Response ErrorPages::respond(const Request& request, const core::Error& error) const {
  const int status = status_for(error.code);
  if (wants_problem_json(request)) return Response::problem(status, reason_phrase(status), error.message, error.field);
  return Response::html(status, views_.error_page(status, reason_phrase(status), error.message));
}

}  // namespace bespoke::web
