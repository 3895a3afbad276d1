// Exact decimal numbers for money, rates and quantities: an int64 count of millionths, with
// checked arithmetic and explicit rounding. Binary floating point never touches these values.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/message.h"

namespace subsidy {

enum class Rounding { HalfUp, HalfEven, Up, Down };

// The rounding modes, one table: the key a rule file writes ("half_up"), read by the compiler
// (parse_rounding) and printed in traces and messages (rounding_name). Indexed by Rounding.
struct RoundingInfo {
  Rounding mode;
  std::string_view key;
};

inline constexpr RoundingInfo kRoundings[] = {
    {Rounding::HalfUp, "half_up"},
    {Rounding::HalfEven, "half_even"},
    {Rounding::Up, "up"},
    {Rounding::Down, "down"},
};

// A signed decimal with exactly 6 fractional digits. Magnitudes are limited to kLimit (9e12, i.e.
// nine trillion yuan) so that products of two values fit comfortably in 128 bits.
class Decimal {
 public:
  static constexpr int kScale = 6;
  static constexpr std::int64_t kOne = 1'000'000;
  static constexpr std::int64_t kLimit = 9'000'000'000'000LL * kOne;

  constexpr Decimal() = default;
  static constexpr Decimal from_units(std::int64_t micros) { return Decimal(micros); }
  static constexpr Decimal from_int(std::int64_t n) { return Decimal(n * kOne); }

  // Parses a JSON number's text ("-12.50", "1e3", "4293554.6") exactly. `shift` adds to the
  // decimal exponent (−2 for a "%" suffix, 4 for 万). Fails, with a reason in both languages in
  // *error (when not null), on bad syntax, more than 6 decimal places, or a magnitude at or above
  // 9e12.
  static std::optional<Decimal> parse(std::string_view text, int shift, Message* error);
  // A rule-file number: the JSON number grammar, optionally followed by "%", "万" or "亿".
  static std::optional<Decimal> parse_with_suffix(std::string_view text, Message* error);

  constexpr std::int64_t units() const { return units_; }
  constexpr bool is_zero() const { return units_ == 0; }
  constexpr bool is_negative() const { return units_ < 0; }
  // Whole part, rounded toward zero.
  std::int64_t whole() const { return units_ / kOne; }

  // Shortest exact form: "429355.46", "0.3", "-2".
  std::string str() const;
  // Exactly `decimals` fractional digits, rounded half-up when the value has more.
  std::string fixed(int decimals) const;

  friend constexpr auto operator<=>(Decimal a, Decimal b) = default;

 private:
  constexpr explicit Decimal(std::int64_t units) : units_(units) {}
  std::int64_t units_ = 0;
};

// Checked arithmetic: nullopt means the result would leave the representable range.
// add and sub are inline: out of line, GCC 12 returned the optional through the stack (a byte
// store read back as a word), a store-forwarding stall that perf put at about 2% of a batch.
inline std::optional<Decimal> add(Decimal a, Decimal b) {
  std::int64_t sum;  // beyond int64, the exact sum is beyond kLimit too
  if (__builtin_add_overflow(a.units(), b.units(), &sum) || sum >= Decimal::kLimit ||
      sum <= -Decimal::kLimit)
    return std::nullopt;
  return Decimal::from_units(sum);
}
inline std::optional<Decimal> sub(Decimal a, Decimal b) {
  std::int64_t difference;
  if (__builtin_sub_overflow(a.units(), b.units(), &difference) || difference >= Decimal::kLimit ||
      difference <= -Decimal::kLimit)
    return std::nullopt;
  return Decimal::from_units(difference);
}

// The exact product, rounded half-up to 6 decimal places.
std::optional<Decimal> mul(Decimal a, Decimal b);
// a ÷ b rounded half-up to 6 decimal places; b must not be zero.
std::optional<Decimal> div(Decimal a, Decimal b);
// ⌊a ÷ b⌋ as a whole number; b must be positive.
std::optional<Decimal> floor_div(Decimal a, Decimal b);
// Rounds to a multiple of `unit` (which must be positive).
std::optional<Decimal> round_to(Decimal value, Decimal unit, Rounding mode);

// Exact comparison of num ÷ den with c, for den > 0: the sign of (num ÷ den − c).
int compare_ratio(Decimal num, Decimal den, Decimal c);
// Exact comparison of (cur − prev) ÷ prev with c, for prev > 0.
int compare_growth(Decimal cur, Decimal prev, Decimal c);

// num ÷ den (den ≠ 0) as a percentage with `places` decimals, truncated toward zero, never
// rounded onto a bound it is not equal to: "9.9999999997%" for a growth just below 10%.
std::string exact_percent(Decimal num, Decimal den, int places);
// (cur − prev) ÷ prev (prev ≠ 0) likewise.
std::string exact_growth_percent(Decimal cur, Decimal prev, int places);

std::optional<Rounding> parse_rounding(std::string_view name);
std::string_view rounding_name(Rounding mode);

}  // namespace subsidy
