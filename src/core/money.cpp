#include "core/money.h"

#include <fmt/format.h>

namespace bespoke::core {

std::string format_pounds(Pence amount) {
  const bool negative = amount.value < 0;
  // Work in unsigned so that INT64_MIN does not overflow on negation.
  const std::uint64_t magnitude =
      negative ? ~static_cast<std::uint64_t>(amount.value) + 1 : static_cast<std::uint64_t>(amount.value);
  std::string pounds = fmt::format("{}", magnitude / 100);
  for (int i = static_cast<int>(pounds.size()) - 3; i > 0; i -= 3) pounds.insert(static_cast<std::size_t>(i), ",");
  return fmt::format("{}£{}.{:02}", negative ? "-" : "", pounds, magnitude % 100);
}

}  // namespace bespoke::core
