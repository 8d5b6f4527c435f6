#include "core/money.h"

#include "core/text.h"

#include <fmt/format.h>

namespace bespoke::core {

std::string format_pounds(Pence amount) {
  const bool negative = amount.value < 0;
  // Work in unsigned so that INT64_MIN does not overflow on negation.
  const std::uint64_t magnitude =
      negative ? ~static_cast<std::uint64_t>(amount.value) + 1 : static_cast<std::uint64_t>(amount.value);
  const std::string pounds = format_thousands(static_cast<std::int64_t>(magnitude / 100));
  return fmt::format("{}£{}.{:02}", negative ? "-" : "", pounds, magnitude % 100);
}

}  // namespace bespoke::core
