#include "places/postcode.h"

#include <array>

namespace bespoke::places {
namespace {

bool is_letter(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// 'A' for a letter, '9' for a digit, '?' otherwise.
char shape(char c) { return is_letter(c) ? 'A' : is_digit(c) ? '9' : '?'; }

}  // namespace

std::optional<std::string> normalise_postcode(std::string_view text) {
  std::string compact;
  compact.reserve(8);
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    compact.push_back(c);
    if (compact.size() > 7) return std::nullopt;
  }
  if (compact.size() < 5) return std::nullopt;
  const std::string_view outward(compact.data(), compact.size() - 3);
  const std::string_view inward(compact.data() + outward.size(), 3);
  if (!is_digit(inward[0]) || !is_letter(inward[1]) || !is_letter(inward[2])) return std::nullopt;
  std::string out_shape;
  for (char c : outward) out_shape.push_back(shape(c));
  static constexpr std::array<std::string_view, 6> kShapes = {"A9", "A99", "AA9", "AA99", "A9A", "AA9A"};
  bool ok = false;
  for (auto s : kShapes) ok = ok || s == out_shape;
  if (!ok) return std::nullopt;
  std::string out(outward);
  out += ' ';
  out += inward;
  return out;
}

}  // namespace bespoke::places
