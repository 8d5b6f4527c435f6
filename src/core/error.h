#pragma once
// Errors that users cause are values, not exceptions (DESIGN.md §2).
// A domain function returns Result<T>; web/ maps Error::code to an HTTP status
// in one table and renders problem+json or a GOV.UK error summary.
#include <boost/system/result.hpp>

#include <stdexcept>
#include <string>
#include <utility>

namespace bespoke::core {

enum class ErrorCode {
  invalid,          // a field is missing, malformed or out of range
  not_found,        // the thing named does not exist (or is not yours to see)
  conflict,         // the request clashes with the current state
  too_large,        // the input exceeds a published limit
  unavailable,      // a dependency is down or busy; try again later
  storage_full,     // the disk is full; nothing was written
};

struct Error {
  ErrorCode code = ErrorCode::invalid;
  std::string field;    // JSON pointer or form field name; empty when not about one field
  std::string message;  // plain English, safe to show to the user

  static Error invalid(std::string field, std::string message) {
    return {ErrorCode::invalid, std::move(field), std::move(message)};
  }
  static Error not_found(std::string message) { return {ErrorCode::not_found, {}, std::move(message)}; }
  static Error conflict(std::string message) { return {ErrorCode::conflict, {}, std::move(message)}; }
};

// Thrown only when a caller reads the value of a failed Result: a bug.
class BadResultAccess : public std::logic_error {
 public:
  explicit BadResultAccess(const Error& e) : std::logic_error("value() of a failed Result: " + e.message) {}
};

[[noreturn]] inline void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw BadResultAccess(e);
}

template <class T>
using Result = boost::system::result<T, Error>;

}  // namespace bespoke::core
