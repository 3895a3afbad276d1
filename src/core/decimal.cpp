#include "core/decimal.h"

#include <cstdint>
#include <cstdlib>
#include <iterator>

namespace subsidy {
namespace {

__extension__ typedef __int128 i128;

constexpr i128 kLimit128 = Decimal::kLimit;

std::optional<Decimal> checked(i128 v) {
  if (v >= kLimit128 || v <= -kLimit128) return std::nullopt;
  return Decimal::from_units(static_cast<std::int64_t>(v));
}

// q = n / d rounded by `mode`; d > 0.
i128 divide(i128 n, i128 d, Rounding mode) {
  i128 q = n / d;
  i128 r = n % d;
  if (r == 0) return q;
  bool negative = n < 0;
  i128 twice = (r < 0 ? -r : r) * 2;
  switch (mode) {
    case Rounding::HalfUp:
      if (twice >= d) q += negative ? -1 : 1;
      break;
    case Rounding::HalfEven:
      if (twice > d || (twice == d && q % 2 != 0)) q += negative ? -1 : 1;
      break;
    case Rounding::Up:  // toward +infinity
      if (!negative) q += 1;
      break;
    case Rounding::Down:  // toward −infinity
      if (negative) q -= 1;
      break;
  }
  return q;
}

i128 pow10(int n) {
  i128 p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

}  // namespace

namespace {

// A JSON number's text as its digits (leading and trailing zeros kept) and a power of ten.
struct Digits {
  bool negative = false;
  std::string digits;
  int exponent = 0;
};

bool is_digit(std::string_view s, std::size_t i) {
  return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

// The exponent part at s[i] ("e-3"), if any, added to d.exponent; why not, when it is malformed.
std::optional<Message> read_exponent(std::string_view s, std::size_t& i, Digits& d) {
  if (i >= s.size() || (s[i] != 'e' && s[i] != 'E')) return std::nullopt;
  ++i;
  bool exp_negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
  std::size_t exp_start = i;
  long e = 0;
  while (is_digit(s, i)) {
    if (e < 100000) e = e * 10 + (s[i] - '0');
    ++i;
  }
  if (i == exp_start) return Message{"not a number (empty exponent)", "不是数字（指数为空）"};
  d.exponent += static_cast<int>(exp_negative ? -e : e);
  return std::nullopt;
}

// Sign, integer part, fraction and exponent, the whole text; why not, when it is not a number.
std::optional<Message> read_digits(std::string_view s, Digits& d) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') {
    d.negative = true;
    ++i;
  }
  std::size_t int_start = i;
  while (is_digit(s, i)) d.digits += s[i++];
  if (i == int_start) return Message{"not a number", "不是数字"};
  if (i - int_start > 1 && s[int_start] == '0')
    return Message{"not a number (leading zero)", "不是数字（有前导零）"};
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::size_t frac_start = i;
    while (is_digit(s, i)) {
      d.digits += s[i++];
      --d.exponent;
    }
    if (i == frac_start)
      return Message{"not a number (no digit after the decimal point)",
                     "不是数字（小数点后没有数字）"};
  }
  if (std::optional<Message> why = read_exponent(s, i, d)) return why;
  if (i != s.size()) return Message{"not a number", "不是数字"};
  return std::nullopt;
}

}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view s, int shift, Message* error) {
  auto fail = [&](Message why) -> std::optional<Decimal> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  Digits d;
  d.exponent = shift;
  if (std::optional<Message> why = read_digits(s, d)) return fail(std::move(*why));
  std::string& digits = d.digits;
  int exponent = d.exponent;
  // Drop leading zeros and trailing zeros (moving them into the exponent).
  std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return Decimal();
  digits.erase(0, first);
  while (!digits.empty() && digits.back() == '0') {
    digits.pop_back();
    ++exponent;
  }
  int scaled_exponent = exponent + kScale;
  if (scaled_exponent < 0) return fail({"more than 6 decimal places", "小数超过 6 位"});
  if (static_cast<int>(digits.size()) + scaled_exponent > 19)
    return fail({"number out of range", "数字超出范围"});
  i128 v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  v *= pow10(scaled_exponent);
  if (v >= kLimit128)
    return fail({"number out of range (magnitude must be below 9e12)",
                 "数字超出范围（绝对值须小于 9e12）"});
  return Decimal(static_cast<std::int64_t>(d.negative ? -v : v));
}

std::optional<Decimal> Decimal::parse_with_suffix(std::string_view s, Message* error) {
  struct Suffix {
    std::string_view text;
    int shift;
  };
  static constexpr Suffix kSuffixes[] = {{"%", -2}, {"万", 4}, {"亿", 8}};
  for (const Suffix& suffix : kSuffixes) {
    if (s.size() > suffix.text.size() && s.ends_with(suffix.text)) {
      return parse(s.substr(0, s.size() - suffix.text.size()), suffix.shift, error);
    }
  }
  return parse(s, 0, error);
}

std::string Decimal::str() const {
  std::string s = fixed(kScale);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string Decimal::fixed(int decimals) const {
  i128 v = divide(units_, pow10(kScale - decimals), Rounding::HalfUp);
  bool negative = v < 0;
  // |units_| < 2^63, so the rounded magnitude fits in 64 bits.
  std::uint64_t magnitude = static_cast<std::uint64_t>(negative ? -v : v);
  char buffer[48];
  char* end = buffer + sizeof(buffer);
  char* p = end;
  int written = 0;
  do {
    if (decimals > 0 && written == decimals) *--p = '.';
    *--p = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
    ++written;
  } while (magnitude > 0 || written <= decimals);
  if (negative) *--p = '-';
  return std::string(p, static_cast<std::size_t>(end - p));
}

std::optional<Decimal> mul(Decimal a, Decimal b) {
  return checked(divide(static_cast<i128>(a.units()) * b.units(), Decimal::kOne, Rounding::HalfUp));
}

std::optional<Decimal> div(Decimal a, Decimal b) {
  if (b.is_zero()) return std::nullopt;
  i128 n = static_cast<i128>(a.units()) * Decimal::kOne;
  i128 d = b.units();
  if (d < 0) {
    n = -n;
    d = -d;
  }
  return checked(divide(n, d, Rounding::HalfUp));
}

std::optional<Decimal> floor_div(Decimal a, Decimal b) {
  if (b.units() <= 0) return std::nullopt;
  i128 q = divide(a.units(), b.units(), Rounding::Down);
  return checked(q * Decimal::kOne);
}

std::optional<Decimal> round_to(Decimal value, Decimal unit, Rounding mode) {
  if (unit.units() <= 0) return std::nullopt;
  return checked(divide(value.units(), unit.units(), mode) * unit.units());
}

int compare_ratio(Decimal num, Decimal den, Decimal c) {
  i128 lhs = static_cast<i128>(num.units()) * Decimal::kOne;
  i128 rhs = static_cast<i128>(c.units()) * den.units();
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

int compare_growth(Decimal cur, Decimal prev, Decimal c) {
  i128 lhs = (static_cast<i128>(cur.units()) - prev.units()) * Decimal::kOne;
  i128 rhs = static_cast<i128>(c.units()) * prev.units();
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

namespace {

// n ÷ d in percent (n already multiplied by 100), truncated toward zero.
std::string percent_digits(i128 n, i128 d, int places) {
  bool negative = (n < 0) != (d < 0) && n != 0;
  if (n < 0) n = -n;
  if (d < 0) d = -d;
  i128 whole = n / d;
  i128 rest = n % d;
  std::string digits;
  for (int i = 0; i < places && rest != 0; ++i) {
    rest *= 10;
    digits += static_cast<char>('0' + static_cast<int>(rest / d));
    rest %= d;
  }
  std::string out = negative ? "-" : "";
  std::string w;
  do {
    w.insert(w.begin(), static_cast<char>('0' + static_cast<int>(whole % 10)));
    whole /= 10;
  } while (whole != 0);
  out += w;
  if (!digits.empty()) out += "." + digits;
  return out + "%";
}

}  // namespace

std::string exact_percent(Decimal num, Decimal den, int places) {
  return percent_digits(static_cast<i128>(num.units()) * 100, den.units(), places);
}

std::string exact_growth_percent(Decimal cur, Decimal prev, int places) {
  return percent_digits((static_cast<i128>(cur.units()) - prev.units()) * 100, prev.units(),
                        places);
}

std::optional<Rounding> parse_rounding(std::string_view name) {
  for (const RoundingInfo& r : kRoundings) {
    if (r.key == name) return r.mode;
  }
  return std::nullopt;
}

std::string_view rounding_name(Rounding mode) {
  static_assert([] {
    for (std::size_t i = 0; i < std::size(kRoundings); ++i) {
      if (static_cast<std::size_t>(kRoundings[i].mode) != i) return false;
    }
    return true;
  }());
  return kRoundings[static_cast<std::size_t>(mode)].key;
}

}  // namespace subsidy
