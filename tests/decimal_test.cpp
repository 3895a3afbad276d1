// Exact decimal arithmetic: parsing from JSON text, checked operations and explicit rounding.
#include "core/decimal.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>

namespace subsidy {
namespace {

Decimal D(const char* text) {
  Message error;
  std::optional<Decimal> d = Decimal::parse_with_suffix(text, &error);
  EXPECT_TRUE(d) << text << ": " << error.en;
  return d.value_or(Decimal());
}

TEST(Decimal, IssueExamplesAreExact) {
  EXPECT_EQ(mul(D("4293554.6"), D("10%"))->fixed(2), "429355.46");
  EXPECT_EQ(mul(D("4293554.6"), D("0.1"))->str(), "429355.46");
  EXPECT_EQ(add(D("0.1"), D("0.2")), D("0.3"));
  EXPECT_EQ(add(D("0.1"), D("0.2"))->str(), "0.3");
}

struct ParseCase {
  const char* text;
  const char* canonical;  // nullptr: must be rejected
};

class DecimalParse : public testing::TestWithParam<ParseCase> {};

TEST_P(DecimalParse, ReadsJsonNumberTextExactly) {
  Message error;
  std::optional<Decimal> d = Decimal::parse_with_suffix(GetParam().text, &error);
  if (GetParam().canonical == nullptr) {
    EXPECT_FALSE(d) << GetParam().text << " parsed as " << d->str();
    EXPECT_FALSE(error.en.empty());
    EXPECT_FALSE(error.zh.empty());
  } else {
    ASSERT_TRUE(d) << GetParam().text << ": " << error.en;
    EXPECT_EQ(d->str(), GetParam().canonical);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, DecimalParse,
    testing::Values(ParseCase{"0", "0"}, ParseCase{"-0", "0"}, ParseCase{"12", "12"},
                    ParseCase{"4293554.60", "4293554.6"}, ParseCase{"1e3", "1000"},
                    ParseCase{"1.5E-2", "0.015"}, ParseCase{"0.000001", "0.000001"},
                    ParseCase{"5%", "0.05"}, ParseCase{"0.5%", "0.005"},
                    ParseCase{"200万", "2000000"}, ParseCase{"1.5亿", "150000000"},
                    ParseCase{"8999999999999.999999", "8999999999999.999999"},
                    ParseCase{"0.0000001", nullptr}, ParseCase{"1e-400", nullptr},
                    ParseCase{"1e400", nullptr}, ParseCase{"9000000000000", nullptr},
                    ParseCase{"12345678901234567890123", nullptr}, ParseCase{"01", nullptr},
                    ParseCase{"1.", nullptr}, ParseCase{".5", nullptr}, ParseCase{"abc", nullptr},
                    ParseCase{"", nullptr}, ParseCase{"1e", nullptr}, ParseCase{"%", nullptr},
                    ParseCase{"+1", nullptr}, ParseCase{"1,000", nullptr}));

struct RoundCase {
  const char* value;
  const char* unit;
  Rounding mode;
  const char* expected;
};

class DecimalRound : public testing::TestWithParam<RoundCase> {};

TEST_P(DecimalRound, RoundsAsAsked) {
  const RoundCase& c = GetParam();
  EXPECT_EQ(round_to(D(c.value), D(c.unit), c.mode)->str(), c.expected)
      << c.value << " to " << c.unit << " " << rounding_name(c.mode);
}

INSTANTIATE_TEST_SUITE_P(Table, DecimalRound,
                         testing::Values(RoundCase{"1.005", "0.01", Rounding::HalfUp, "1.01"},
                                         RoundCase{"1.004999", "0.01", Rounding::HalfUp, "1"},
                                         RoundCase{"-1.005", "0.01", Rounding::HalfUp, "-1.01"},
                                         RoundCase{"1.005", "0.01", Rounding::HalfEven, "1"},
                                         RoundCase{"1.015", "0.01", Rounding::HalfEven, "1.02"},
                                         RoundCase{"12.01", "1", Rounding::Up, "13"},
                                         RoundCase{"12", "1", Rounding::Up, "12"},
                                         RoundCase{"12.99", "1", Rounding::Down, "12"},
                                         RoundCase{"-12.01", "1", Rounding::Up, "-12"},
                                         RoundCase{"-12.01", "1", Rounding::Down, "-13"},
                                         RoundCase{"123456", "10000", Rounding::HalfUp, "120000"}));

TEST(Decimal, OverflowIsDetectedNotWrapped) {
  Decimal big = D("8999999999999");
  EXPECT_FALSE(add(big, big));
  EXPECT_FALSE(mul(big, D("2")));
  EXPECT_FALSE(sub(D("-8999999999999"), big));
  EXPECT_TRUE(mul(big, D("1")));
  EXPECT_FALSE(div(D("1"), D("0")));
}

// add and sub at the limit, in units: the representable range is the open interval
// (−kLimit, kLimit), and operands from anywhere in int64 give the exact sum's verdict.
struct SumCase {
  std::int64_t a, b;
  bool subtract;
  std::optional<std::int64_t> want;  // nullopt: out of range
};
class Sums : public ::testing::TestWithParam<SumCase> {};
TEST_P(Sums, ExactAtTheLimit) {
  const SumCase& c = GetParam();
  Decimal a = Decimal::from_units(c.a), b = Decimal::from_units(c.b);
  std::optional<Decimal> got = c.subtract ? sub(a, b) : add(a, b);
  ASSERT_EQ(got.has_value(), c.want.has_value()) << c.a << (c.subtract ? " - " : " + ") << c.b;
  if (c.want) {
    EXPECT_EQ(got->units(), *c.want);
  }
}
constexpr std::int64_t kL = Decimal::kLimit;
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
INSTANTIATE_TEST_SUITE_P(
    Decimal, Sums,
    ::testing::Values(SumCase{kL - 1, 0, false, kL - 1}, SumCase{kL - 1, 1, false, std::nullopt},
                      SumCase{-(kL - 1), -1, false, std::nullopt},
                      SumCase{-(kL - 1), 0, true, -(kL - 1)}, SumCase{0, kL - 1, true, -(kL - 1)},
                      SumCase{-(kL - 1), 1, true, std::nullopt},
                      SumCase{kMax, kMax, false, std::nullopt}, SumCase{kMax, kMin, false, -1},
                      SumCase{kMin, kMin, true, 0}, SumCase{0, kMin, true, std::nullopt},
                      SumCase{kMin, 1, true, std::nullopt}));

TEST(Decimal, ProductsRoundHalfUpAtSixPlaces) {
  EXPECT_EQ(mul(D("0.000001"), D("0.5"))->str(), "0.000001");
  EXPECT_EQ(mul(D("0.000001"), D("0.4"))->str(), "0");
  EXPECT_EQ(div(D("1"), D("3"))->str(), "0.333333");
  EXPECT_EQ(div(D("2"), D("3"))->str(), "0.666667");
}

TEST(Decimal, RatioComparisonIsExact) {
  // 2.9999999% is below 3% even though it rounds to 3.000000% at six places.
  EXPECT_LT(compare_ratio(D("2999999.9"), D("100000000"), D("3%")), 0);
  EXPECT_EQ(compare_ratio(D("3000000"), D("100000000"), D("3%")), 0);
  EXPECT_GT(compare_ratio(D("3000000.01"), D("100000000"), D("3%")), 0);
  EXPECT_EQ(compare_growth(D("110"), D("100"), D("10%")), 0);
  EXPECT_LT(compare_growth(D("109.99"), D("100"), D("10%")), 0);
}

// A percentage written with as many places as it takes, truncated toward zero, so that a value
// just below a bound never reads as the bound.
TEST(Decimal, ExactPercentNeverRoundsOntoABound) {
  struct Case {
    const char* num;
    const char* den;
    int places;
    const char* percent;
  } cases[] = {
      {"2999999.9", "100000000", 16, "2.9999999%"},
      {"3000000", "100000000", 16, "3%"},
      {"1", "3", 6, "33.333333%"},
      {"2", "3", 6, "66.666666%"},  // truncated, not rounded up to 66.666667
      {"-1", "8", 16, "-12.5%"},
      {"1", "-8", 16, "-12.5%"},
      {"0", "7", 16, "0%"},
      {"8999999999999", "0.000001", 2, "899999999999900000000%"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(exact_percent(D(c.num), D(c.den), c.places), c.percent) << c.num << " / " << c.den;
  }
  // 30亿 × 1.099999999997 over 30亿: growth just below 10%.
  EXPECT_EQ(exact_growth_percent(D("3299999999.991"), D("3000000000"), 16), "9.9999999997%");
  EXPECT_EQ(exact_growth_percent(D("3300000000"), D("3000000000"), 16), "10%");
  EXPECT_EQ(exact_growth_percent(D("-8999999999999"), D("8999999999999"), 4), "-200%");
}

TEST(Decimal, FormatsFixedAndShortest) {
  EXPECT_EQ(D("1234.5").fixed(2), "1234.50");
  EXPECT_EQ(D("0.005").fixed(2), "0.01");
  EXPECT_EQ(D("-0.5").fixed(0), "-1");
  EXPECT_EQ(D("100").str(), "100");
  EXPECT_EQ(D("-2.50").str(), "-2.5");
}

TEST(Decimal, FixedPadsRoundsAndSignsAtEveryWidth) {
  struct Case {
    const char* value;
    int decimals;
    const char* text;
  };
  const Case cases[] = {
      {"0", 0, "0"},
      {"0", 2, "0.00"},
      {"0.05", 2, "0.05"},
      {"0.004", 2, "0.00"},
      {"-0.004", 2, "0.00"},
      {"-0.005", 2, "-0.01"},
      {"7", 6, "7.000000"},
      {"0.000001", 6, "0.000001"},
      {"12.5", 0, "13"},
      {"-12.5", 0, "-13"},
      {"999999.995", 2, "1000000.00"},
      {"8999999999999.999999", 6, "8999999999999.999999"},
      {"-8999999999999.999999", 2, "-9000000000000.00"},
  };
  for (const Case& c : cases) EXPECT_EQ(D(c.value).fixed(c.decimals), c.text) << c.value;
}

}  // namespace
}  // namespace subsidy
