// The batch's fast path for a JSON Lines row: one pass over the line straight into a Profile
// reused from row to row (fact slots, strings, year and item storage kept), with no json::Tree
// and, in the steady state, no allocation per profile. It reads only the profile's own shape (a
// top-level object of known keys, facts as the vocabulary declares them) from a line with no
// escape, no control byte and well-formed UTF-8, so it needs no general JSON parser: simdjson
// On-Demand did this before and cost 19k instructions a profile against 16k for this.
//
// Contract: it accepts only rows that read_profile (core/profile) accepts with no diagnostic at
// all, and then fills the Profile exactly as read_profile would (same facts, same `given` with
// the keys' line and column, same identity). Anything else (a syntax error, a duplicate key, an
// unknown fact, a value read_profile would refuse, an escape in a string, a control byte, a
// byte-order mark, a number written unusually, a shape it does not know) makes read() return
// false, and the caller reads the row with the located reader (json::parse + read_profile), which
// gives every message its line, column and JSON path. tests/profile_fast_test.cpp and the fuzz
// target fuzz_profile_fast hold the two paths to each other.
//
// Lifetimes and threads: a FastProfileReader refers to the Vocabulary it was built from, which
// must outlive it; it belongs to one thread (a batch worker keeps one). The Profile passed to
// read() is overwritten; after a false return its content is unspecified until the next read().
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"
#include "core/profile.h"

namespace subsidy {

// Decimal::parse(text, 0, nullptr), the usual short form (-123456.78) converted without it: the
// fast paths' numbers, never different from the located reader's.
std::optional<Decimal> read_decimal(std::string_view text);

class FastProfileReader {
 public:
  explicit FastProfileReader(const Vocabulary& vocabulary);
  ~FastProfileReader();
  FastProfileReader(FastProfileReader&&) noexcept;
  FastProfileReader& operator=(FastProfileReader&&) = delete;
  FastProfileReader(const FastProfileReader&) = delete;
  FastProfileReader& operator=(const FastProfileReader&) = delete;

  // One JSON text (a JSON Lines line, without its line end) into `profile`; `source` as
  // read_profile's. False: not read here (read it with the located reader).
  bool read(std::string_view text, const std::string& source, Profile& profile);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace subsidy
