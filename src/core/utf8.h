// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF. One table
// of lead bytes, read by the CSV reader (a record that is not UTF-8 names its likely encoding) and
// by the batch writer (text that needs no JSON escaping is copied as it is). Pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/words.h"

namespace subsidy::utf8 {

// The lead bytes of each sequence length, and the range its second byte must be in (later bytes
// are 0x80-0xBF): the ranges that exclude overlong forms, surrogates and code points past
// U+10FFFF.
struct Lead {
  unsigned char first, last;
  std::uint8_t length;
  unsigned char second_lo, second_hi;
};
inline constexpr Lead kLeads[] = {
    {0xC2, 0xDF, 2, 0x80, 0xBF}, {0xE0, 0xE0, 3, 0xA0, 0xBF}, {0xE1, 0xEC, 3, 0x80, 0xBF},
    {0xED, 0xED, 3, 0x80, 0x9F}, {0xEE, 0xEF, 3, 0x80, 0xBF}, {0xF0, 0xF0, 4, 0x90, 0xBF},
    {0xF1, 0xF3, 4, 0x80, 0xBF}, {0xF4, 0xF4, 4, 0x80, 0x8F},
};

// The length of the well-formed sequence at s[i] (1 for ASCII), or 0 when there is none there.
inline std::size_t sequence_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  if (byte(0) < 0x80) return 1;
  for (const Lead& lead : kLeads) {
    if (byte(0) < lead.first || byte(0) > lead.last) continue;
    if (s.size() - i < lead.length) return 0;
    if (byte(1) < lead.second_lo || byte(1) > lead.second_hi) return 0;
    for (std::size_t k = 2; k < lead.length; ++k) {
      if (byte(k) < 0x80 || byte(k) > 0xBF) return 0;
    }
    return lead.length;
  }
  return 0;
}

inline bool valid(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    // A run of ASCII, eight bytes at a time: most of a record's text.
    if (s.size() - i >= 8 && words::ascii(words::load8(s.data() + i))) {
      i += 8;
      continue;
    }
    std::size_t n = sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace subsidy::utf8
