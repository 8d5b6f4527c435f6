#pragma once
// Public ids are random, never sequential, so that one person cannot guess
// another's (DESIGN.md §2). They are UUID version 4 text, as HSDS 3 requires.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace bespoke::core {

// A UUID v4 from the operating system's CSPRNG (libsodium).
[[nodiscard]] std::string random_uuid();

// A UUID v4 laid out from 128 caller-supplied bits: the demo generator uses it to
// make ids that are random-looking yet the same for the same seed.
[[nodiscard]] std::string uuid_from_bits(std::uint64_t high, std::uint64_t low);

// A UUID laid out from a BLAKE2b hash of `name`: the same name gives the same
// id on every machine. For records whose identity is their name, such as the
// terms of a published taxonomy ("taxonomy_term:openEligibility:1102").
[[nodiscard]] std::string uuid_for_name(std::string_view name);
// The ids our taxonomies and their terms get, whoever loads them.
[[nodiscard]] std::string taxonomy_uuid(std::string_view taxonomy_name);
[[nodiscard]] std::string taxonomy_term_uuid(std::string_view taxonomy_name, std::string_view code);

[[nodiscard]] bool is_uuid(std::string_view text) noexcept;

// Initialises libsodium once (thread-safe); throws if it cannot. Every user of
// libsodium calls it before its first use.
void ensure_sodium();

// n random bytes as lower-case hex (request ids, tokens).
[[nodiscard]] std::string random_hex(std::size_t bytes);

}  // namespace bespoke::core
