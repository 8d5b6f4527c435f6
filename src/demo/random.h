#pragma once
// The demo generator's own random numbers. std:: distributions are not used:
// their output differs between standard library versions, and a seed must make
// the same town everywhere. xoshiro256** (Blackman & Vigna), seeded by splitmix64.
#include <cstdint>
#include <span>

namespace bespoke::demo {

__extension__ using uint128 = unsigned __int128;  // g++ extension; -Wpedantic wants it marked

[[nodiscard]] constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// A well-mixed 64-bit value from several inputs: seeds one stream per (seed, chunk, purpose).
[[nodiscard]] constexpr std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b, std::uint64_t c = 0) noexcept {
  std::uint64_t s = a;
  std::uint64_t h = splitmix64(s);
  s = h ^ (b * 0xD6E8FEB86659FD93ULL);
  h = splitmix64(s);
  s = h ^ (c * 0xA0761D6478BD642FULL);
  return splitmix64(s);
}

class Rng {
 public:
  explicit constexpr Rng(std::uint64_t seed) noexcept {
    std::uint64_t s = seed;
    for (auto& word : s_) word = splitmix64(s);
  }

  constexpr std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 bits.
  constexpr double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  constexpr double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }

  // Uniform integer in [0, n); n > 0. Lemire's multiply-shift; the tiny bias is irrelevant here.
  constexpr std::uint64_t below(std::uint64_t n) noexcept {
    return static_cast<std::uint64_t>((static_cast<uint128>(next()) * n) >> 64);
  }

  // Uniform integer in [lo, hi].
  constexpr int between(int lo, int hi) noexcept {
    return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }

  constexpr bool chance(double p) noexcept { return uniform() < p; }

  // Index drawn in proportion to the weights (which need not sum to 1).
  template <class W>
  constexpr std::size_t weighted(std::span<const W> weights) noexcept {
    double total = 0;
    for (const auto w : weights) total += static_cast<double>(w);
    double x = uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      x -= static_cast<double>(weights[i]);
      if (x < 0) return i;
    }
    return weights.size() - 1;
  }

  // Approximately normal (Irwin–Hall of 4): no transcendental functions, so identical everywhere.
  constexpr double normalish(double mean, double sd) noexcept {
    const double sum = uniform() + uniform() + uniform() + uniform();
    return mean + sd * (sum - 2.0) * 1.7320508075688772;  // variance of the sum is 1/3
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4]{};
};

}  // namespace bespoke::demo
