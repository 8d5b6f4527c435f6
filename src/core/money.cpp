#include "core/money.h"

#include <fmt/format.h>

namespace bespoke::core {

std::string format_pounds(Pence amount) {
  const bool negative = amount.value < 0;
  // Work in unsigned so that INT64_MIN does not overflow on negation.
  const std::uint64_t magnitude =
      negative ? ~static_cast<std::uint64_t>(amount.value) + 1 : static_cast<std::uint64_t>(amount.value);
  const std::string digits = fmt::format("{}", magnitude / 100);
  std::string pounds;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) pounds.push_back(',');
    pounds.push_back(digits[i]);
  }
  return fmt::format("{}£{}.{:02}", negative ? "-" : "", pounds, magnitude % 100);
}

}  // namespace bespoke::core
