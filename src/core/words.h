// Eight bytes at a time: the word tests the readers' scans share (the JSON Lines fast path's text
// check, the CSV reader's plain-line check and comma split, UTF-8 validation). Pure functions:
// the has_ tests are exact as yes/no; bytes_equal marks each matching byte exactly.
#pragma once

#include <bit>
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

// The bytes of `w` that are `c`, each marked by its high bit (0x80), the others 0. Exact for every
// byte, unlike has_less's mask, where a borrow can mark a byte above a match: this one is for
// finding each match, not only whether there is one.
constexpr std::uint64_t bytes_equal(std::uint64_t w, unsigned char c) {
  constexpr std::uint64_t kLows = ~kHighs;  // 0x7F in every byte
  std::uint64_t x = w ^ (kOnes * c);
  return ~(((x & kLows) + kLows) | x | kLows);
}

// The offset in bytes of the match that `mask` (from bytes_equal on a word read by load8) marks
// lowest, i.e. first in memory; the mask must not be 0. load8 reads in the machine's order, so
// the first byte in memory is the lowest only on a little-endian machine.
inline unsigned first_marked(std::uint64_t mask) {
  static_assert(std::endian::native == std::endian::little, "first_marked: little-endian only");
  return static_cast<unsigned>(std::countr_zero(mask)) / 8;
}

// Whether every byte of `w` is ASCII.
constexpr bool ascii(std::uint64_t w) {
  return (w & kHighs) == 0;
}

}  // namespace subsidy::words
