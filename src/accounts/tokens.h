#pragma once
// Secret tokens (sessions, API tokens, password reset and email verification
// links): 256 random bits, shown to their holder once, stored only as a hash,
// so a copy of the database lets nobody sign in.
#include <string>
#include <string_view>

namespace bespoke::accounts {

struct NewToken {
  std::string token;  // what the holder keeps: prefix + 43 base64url characters
  std::string hash;   // what the database keeps: token_hash(token)
};

// prefix tells tokens apart when one turns up in a log or a paste ("bsp_" for
// API tokens); it is part of the token.
[[nodiscard]] NewToken new_token(std::string_view prefix = {});

// BLAKE2b-256 of the token, as 64 lower-case hex digits. The tokens are random
// and long, so a fast hash is enough (there is nothing to guess).
[[nodiscard]] std::string token_hash(std::string_view token);

// The CSRF token bound to a session (or an anonymous visitor's cookie): a keyed
// hash of the secret the browser holds in an HttpOnly cookie, so a page of
// another site can neither read nor compute it. Changes when the session does.
[[nodiscard]] std::string csrf_token_for(std::string_view cookie_secret);

// Compares in time independent of where the texts differ.
[[nodiscard]] bool equal_in_constant_time(std::string_view a, std::string_view b) noexcept;

// Could this be one of our tokens? (Length and alphabet; cheap, before any lookup.)
[[nodiscard]] bool looks_like_token(std::string_view token, std::string_view prefix = {}) noexcept;

}  // namespace bespoke::accounts
