#include "core/ids.h"

#include <sodium.h>

#include <stdexcept>
#include <string>

namespace bespoke::core {

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium could not be initialised");
}

namespace {

std::string format_uuid(std::array<unsigned char, 16> b) {
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(hex[b[i] >> 4]);
    out.push_back(hex[b[i] & 0x0F]);
  }
  return out;
}

}  // namespace

std::string random_uuid() {
  ensure_sodium();
  std::array<unsigned char, 16> b{};
  randombytes_buf(b.data(), b.size());
  return format_uuid(b);
}

std::string uuid_from_bits(std::uint64_t high, std::uint64_t low) {
  std::array<unsigned char, 16> b{};
  for (int i = 0; i < 8; ++i) {
    b[static_cast<std::size_t>(i)] = static_cast<unsigned char>(high >> (56 - 8 * i));
    b[static_cast<std::size_t>(8 + i)] = static_cast<unsigned char>(low >> (56 - 8 * i));
  }
  return format_uuid(b);
}

std::string uuid_for_name(std::string_view name) {
  ensure_sodium();
  std::array<unsigned char, 16> b{};
  crypto_generichash(b.data(), b.size(), reinterpret_cast<const unsigned char*>(name.data()), name.size(), nullptr, 0);
  return format_uuid(b);
}

std::string taxonomy_uuid(std::string_view taxonomy_name) {
  return uuid_for_name("taxonomy:" + std::string(taxonomy_name));
}

std::string taxonomy_term_uuid(std::string_view taxonomy_name, std::string_view code) {
  return uuid_for_name("taxonomy_term:" + std::string(taxonomy_name) + ":" + std::string(code));
}

bool is_uuid(std::string_view s) noexcept {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::string random_hex(std::size_t bytes) {
  ensure_sodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(bytes * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  out.pop_back();
  return out;
}

}  // namespace bespoke::core
