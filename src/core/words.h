// Eight bytes at a time: the word tests the readers' scans share (the JSON Lines fast path's text
// check, the CSV reader's plain-line check, UTF-8 validation). Pure functions, exact as yes/no.
#pragma once

#include <cstdint>
#include <cstring>

namespace subsidy::words {

inline constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

// The eight bytes at `p` as one word (any alignment).
inline std::uint64_t load8(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// Whether a byte of `w` is below n (n ≤ 128): bit-twiddling hacks, haszero generalized.
constexpr bool has_less(std::uint64_t w, std::uint64_t n) {
  return ((w - kOnes * n) & ~w & kHighs) != 0;
}

// Whether a byte of `w` is `c`.
constexpr bool has_byte(std::uint64_t w, unsigned char c) {
  return has_less(w ^ (kOnes * c), 1);
}

// Whether every byte of `w` is ASCII.
constexpr bool ascii(std::uint64_t w) {
  return (w & kHighs) == 0;
}

}  // namespace subsidy::words
