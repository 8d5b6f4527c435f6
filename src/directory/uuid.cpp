#include "directory/entry.h"

namespace bespoke::directory {
namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<Uuid> Uuid::parse(std::string_view text) noexcept {
  if (text.size() != 36) return std::nullopt;
  Uuid id;
  int nibbles = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    const int v = hex_value(text[i]);
    if (v < 0) return std::nullopt;
    std::uint64_t& half = nibbles < 16 ? id.high : id.low;
    half = (half << 4) | static_cast<std::uint64_t>(v);
    ++nibbles;
  }
  return id;
}

std::string Uuid::text() const {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int n = 0; n < 32; ++n) {
    if (n == 8 || n == 12 || n == 16 || n == 20) out.push_back('-');
    const std::uint64_t half = n < 16 ? high : low;
    const int shift = 60 - 4 * (n % 16);
    out.push_back(digits[(half >> shift) & 0xF]);
  }
  return out;
}

}  // namespace bespoke::directory
