#pragma once
// Strict parsing of JSON request bodies (I-JSON, RFC 7493): valid UTF-8, no
// duplicate keys, bounded nesting, nothing after the value. Errors are values
// whose field is a JSON pointer (RFC 6901) to the offending place when known.
#include "core/error.h"

#include <boost/json/value.hpp>

#include <cstddef>
#include <string_view>

namespace bespoke::web {

// Never recurses on the input's nesting, so 100,000 '[' fail fast with an error.
// An object with more than max_members members is refused ("An object has more
// than N members."); the duplicate check is linear, so even a body of tens of
// thousands of keys costs milliseconds, but no form needs that many.
[[nodiscard]] core::Result<boost::json::value> parse_json_body(std::string_view body, std::size_t max_depth = 64,
                                                               std::size_t max_members = 10'000);

}  // namespace bespoke::web
