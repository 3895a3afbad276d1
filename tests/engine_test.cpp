// Every formula shape of the rule language, evaluated at and around its bounds, plus missing facts,
// stacking groups, payer splits, validity and region layering.
#include <gtest/gtest.h>

#include "test_support.h"

namespace subsidy {
namespace {

using namespace testing_support;

struct ShapeCase {
  std::string name;
  std::string amount;  // the rule's "amount" object
  std::string when;    // the rule's "when", or empty
  std::string facts;   // the profile's facts
  Status status;
  std::string expected;  // the amount for eligible rules, else ""
};

std::ostream& operator<<(std::ostream& os, const ShapeCase& c) {
  return os << c.name;
}

class Shapes : public testing::TestWithParam<ShapeCase> {};

TEST_P(Shapes, PaysWhatTheTextSays) {
  const ShapeCase& c = GetParam();
  RuleSet rules = load({document("[" + rule("r", c.amount, c.when) + "]")});
  Profile p = profile(rules, c.facts);
  Report report = evaluate(rules, p);
  const RuleResult* r = find(report, "r");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(status_name(r->status), status_name(c.status));
  if (!c.expected.empty()) {
    EXPECT_EQ(r->amount.fixed(2), c.expected);
  }
}

// 技改: 200万(含)–800万(不含) → 6%; 800万(含)以上 → 8%.
const std::string kTechUpgrade =
    R"({"kind": "exact", "formula": {"mul": [{"fact": "invest", "year": 0},
  {"brackets": {"of": {"fact": "invest", "year": 0}, "table": [
    {"at_least": "200万", "less_than": "800万", "then": "6%"},
    {"at_least": "800万", "then": "8%"}]}}]}})";

// 10% of last year's R&D, at most 200万.
const std::string kPercentCap =
    R"({"kind": "exact", "formula": {"mul": ["10%", {"fact": "rd", "year": -1}]}, "cap": "200万"})";

// 椒江 art. 28: 10–30亿 (both included) → 30万; 30–55亿 (55 included) → 45万; above 55亿 → 60万;
// plus growth ≥10% → 10万, ≥20% → 20万 (the higher only).
const std::string kShipping = R"({"kind": "exact", "formula": {"add": [
  {"brackets": {"of": {"fact": "freight", "year": 0}, "table": [
    {"at_least": "10亿", "at_most": "30亿", "then": "30万"},
    {"more_than": "30亿", "at_most": "55亿", "then": "45万"},
    {"more_than": "55亿", "then": "60万"}]}},
  {"case": [{"when": {"value": {"growth": [{"fact": "freight", "year": 0}, {"fact": "freight", "year": -1}]}, "at_least": "20%"}, "then": "20万"},
            {"when": {"value": {"growth": [{"fact": "freight", "year": 0}, {"fact": "freight", "year": -1}]}, "at_least": "10%"}, "then": "10万"}],
   "else": 0}]}})";

// 200元/亩 for 50亩以上.
const std::string kPerUnit =
    R"({"kind": "exact", "formula": {"mul": ["200", {"fact": "area", "year": 0}]}})";
const std::string kPerUnitWhen = R"({"fact": "area", "year": 0, "at_least": 50})";

// 5% of R&D if R&D ÷ revenue ≥ 3%.
const std::string kRatio =
    R"({"kind": "exact", "formula": {"mul": ["5%", {"fact": "rd", "year": -1}]}})";
const std::string kRatioWhen =
    R"({"value": {"ratio": [{"fact": "rd", "year": -1}, {"fact": "revenue", "year": -1}]}, "at_least": "3%"})";

// 5% of the increase over last year; 5% of the whole if last year was zero.
const std::string kIncrement = R"({"kind": "exact", "formula": {"case": [
  {"when": {"fact": "rd", "year": -2, "equals": 0}, "then": {"mul": ["5%", {"fact": "rd", "year": -1}]}}],
  "else": {"mul": ["5%", {"max": [0, {"sub": [{"fact": "rd", "year": -1}, {"fact": "rd", "year": -2}]}]}]}}})";

// 20万 for each full 3000万 of revenue growth, at most 150万.
const std::string kSteps = R"({"kind": "exact", "formula": {"mul": ["20万", {"steps": {"of":
  {"sub": [{"fact": "revenue", "year": 0}, {"fact": "revenue", "year": -1}]}, "size": "3000万"}}]}, "cap": "150万"})";

// 1:2 matching of the upper-level award.
const std::string kMatching = R"({"kind": "exact", "formula": {"mul": [2, {"fact": "award"}]}})";

// 70% of the premium in year one, 10 points less each following year, at most 3 years, premium
// counted at an insured rate of at most 2%, at most 500万 a year.
const std::string kSchedule = R"({"kind": "exact", "formula": {"mul": [
  {"sub": ["70%", {"mul": ["10%", {"sub": [{"policy_year": true}, {"fact": "first_year"}]}]}]},
  {"min": [{"fact": "premium", "year": 0}, {"mul": ["2%", {"fact": "insured", "year": 0}]}]}]}, "cap": "500万"})";
const std::string kScheduleWhen =
    R"({"value": {"sub": [{"policy_year": true}, {"fact": "first_year"}]}, "at_least": 0, "less_than": 3})";

// 30% of each talent's salary of 80万 or more, at most 3 years per talent, at most 100万 in all.
const std::string kTalents = R"({"kind": "exact", "formula": {"sum": {"over": "talents",
  "where": {"all": [{"item": "salary", "year": 0, "at_least": "80万"},
                    {"value": {"sub": [{"policy_year": true}, {"item": "start"}]}, "less_than": 3}]},
  "value": {"mul": ["30%", {"item": "salary", "year": 0}]}}}, "cap": "100万"})";

// Technology-transfer income: the part up to 500万 exempt (25% saved), the part above halved.
const std::string kMarginal =
    R"({"kind": "exact", "formula": {"marginal": {"of": {"fact": "income", "year": 0},
  "bands": [{"up_to": "500万", "rate": "25%"}, {"rate": "12.5%"}]}}})";

// 向上取整 to the yuan: 20% of a cost increase.
const std::string kRoundUp =
    R"({"kind": "exact", "formula": {"mul": ["20%", {"fact": "area", "year": 0}]}, "rounding": {"mode": "up", "unit": 1}})";

// Fixed award by level.
const std::string kLevel = R"({"kind": "exact", "formula": {"lookup": {"key": {"fact": "level"},
  "table": {"national": "300万", "provincial": "100万"}}}})";

INSTANTIATE_TEST_SUITE_P(
    Table, Shapes,
    testing::Values(
        ShapeCase{"bracket_below", kTechUpgrade, "", R"({"invest": {"2023": "1999999.99"}})",
                  Status::NotEligible, ""},
        ShapeCase{"bracket_lower_bound_included", kTechUpgrade, "",
                  R"({"invest": {"2023": 2000000}})", Status::Eligible, "120000.00"},
        ShapeCase{"bracket_upper_bound_excluded", kTechUpgrade, "",
                  R"({"invest": {"2023": "7999999.99"}})", Status::Eligible, "480000.00"},
        ShapeCase{"bracket_next_from_bound", kTechUpgrade, "", R"({"invest": {"2023": 8000000}})",
                  Status::Eligible, "640000.00"},
        ShapeCase{"bracket_missing_fact", kTechUpgrade, "", R"({})", Status::NeedsInfo, ""},
        ShapeCase{"percent_exact", kPercentCap, "", R"({"rd": {"2022": 4293554.6}})",
                  Status::Eligible, "429355.46"},
        ShapeCase{"percent_at_cap", kPercentCap, "", R"({"rd": {"2022": 20000000}})",
                  Status::Eligible, "2000000.00"},
        ShapeCase{"percent_over_cap", kPercentCap, "", R"({"rd": {"2022": 20000000.1}})",
                  Status::Eligible, "2000000.00"},
        ShapeCase{"percent_wrong_year_is_missing", kPercentCap, "", R"({"rd": {"2023": 100}})",
                  Status::NeedsInfo, ""},
        ShapeCase{"shipping_below", kShipping, "",
                  R"({"freight": {"2023": "999999999.99", "2022": 1}})", Status::NotEligible, ""},
        ShapeCase{"shipping_10yi_no_growth", kShipping, "",
                  R"({"freight": {"2023": 1000000000, "2022": 1000000000}})", Status::Eligible,
                  "300000.00"},
        ShapeCase{"shipping_30yi_in_first", kShipping, "",
                  R"({"freight": {"2023": 3000000000, "2022": 2800000000}})", Status::Eligible,
                  "300000.00"},
        ShapeCase{"shipping_growth_10pct", kShipping, "",
                  R"({"freight": {"2023": 3300000000, "2022": 3000000000}})", Status::Eligible,
                  "550000.00"},
        ShapeCase{"shipping_growth_just_below_10pct", kShipping, "",
                  R"({"freight": {"2023": 3299999999, "2022": 3000000000}})", Status::Eligible,
                  "450000.00"},
        ShapeCase{"shipping_55yi_growth_20pct", kShipping, "",
                  R"({"freight": {"2023": 5500000000, "2022": 4500000000}})", Status::Eligible,
                  "650000.00"},
        ShapeCase{"shipping_above_55yi_growth_20pct", kShipping, "",
                  R"({"freight": {"2023": 6000000000, "2022": 5000000000}})", Status::Eligible,
                  "800000.00"},
        ShapeCase{"shipping_last_year_zero", kShipping, "",
                  R"({"freight": {"2023": 1000000000, "2022": 0}})", Status::Eligible, "300000.00"},
        ShapeCase{"per_unit_below_threshold", kPerUnit, kPerUnitWhen,
                  R"({"area": {"2023": 49.99}})", Status::NotEligible, ""},
        ShapeCase{"per_unit_at_threshold", kPerUnit, kPerUnitWhen, R"({"area": {"2023": 50}})",
                  Status::Eligible, "10000.00"},
        ShapeCase{"per_unit_fraction", kPerUnit, kPerUnitWhen, R"({"area": {"2023": 120.5}})",
                  Status::Eligible, "24100.00"},
        ShapeCase{"ratio_2_99", kRatio, kRatioWhen,
                  R"({"rd": {"2022": 2990000}, "revenue": {"2022": 100000000}})",
                  Status::NotEligible, ""},
        ShapeCase{"ratio_just_below_3", kRatio, kRatioWhen,
                  R"({"rd": {"2022": "2999999.99"}, "revenue": {"2022": 100000000}})",
                  Status::NotEligible, ""},
        ShapeCase{"ratio_3", kRatio, kRatioWhen,
                  R"({"rd": {"2022": 3000000}, "revenue": {"2022": 100000000}})", Status::Eligible,
                  "150000.00"},
        ShapeCase{"ratio_zero_revenue", kRatio, kRatioWhen,
                  R"({"rd": {"2022": 3000000}, "revenue": {"2022": 0}})", Status::NotEligible, ""},
        ShapeCase{"ratio_missing_revenue", kRatio, kRatioWhen, R"({"rd": {"2022": 3000000}})",
                  Status::NeedsInfo, ""},
        ShapeCase{"increment", kIncrement, "", R"({"rd": {"2022": 1200000, "2021": 1000000}})",
                  Status::Eligible, "10000.00"},
        ShapeCase{"increment_none", kIncrement, "", R"({"rd": {"2022": 900000, "2021": 1000000}})",
                  Status::NotEligible, ""},
        ShapeCase{"increment_last_year_zero", kIncrement, "",
                  R"({"rd": {"2022": 1200000, "2021": 0}})", Status::Eligible, "60000.00"},
        ShapeCase{"steps_none", kSteps, "",
                  R"({"revenue": {"2023": "129999999.99", "2022": 100000000}})",
                  Status::NotEligible, ""},
        ShapeCase{"steps_one", kSteps, "", R"({"revenue": {"2023": 130000000, "2022": 100000000}})",
                  Status::Eligible, "200000.00"},
        ShapeCase{"steps_two", kSteps, "", R"({"revenue": {"2023": 169999999, "2022": 100000000}})",
                  Status::Eligible, "400000.00"},
        ShapeCase{"steps_capped", kSteps, "",
                  R"({"revenue": {"2023": 400000000, "2022": 100000000}})", Status::Eligible,
                  "1500000.00"},
        ShapeCase{"steps_decline", kSteps, "", R"({"revenue": {"2023": 1, "2022": 100000000}})",
                  Status::NotEligible, ""},
        ShapeCase{"matching", kMatching, "", R"({"award": 150000})", Status::Eligible, "300000.00"},
        ShapeCase{
            "schedule_year1", kSchedule, kScheduleWhen,
            R"({"first_year": 2023, "premium": {"2023": 100000}, "insured": {"2023": 10000000}})",
            Status::Eligible, "70000.00"},
        ShapeCase{
            "schedule_premium_over_2pct", kSchedule, kScheduleWhen,
            R"({"first_year": 2023, "premium": {"2023": 300000}, "insured": {"2023": 10000000}})",
            Status::Eligible, "140000.00"},
        ShapeCase{
            "schedule_year3", kSchedule, kScheduleWhen,
            R"({"first_year": 2021, "premium": {"2023": 100000}, "insured": {"2023": 10000000}})",
            Status::Eligible, "50000.00"},
        ShapeCase{
            "schedule_year4", kSchedule, kScheduleWhen,
            R"({"first_year": 2020, "premium": {"2023": 100000}, "insured": {"2023": 10000000}})",
            Status::NotEligible, ""},
        ShapeCase{"talents_sum", kTalents, "",
                  R"({"talents": [{"salary": {"2023": 800000}, "start": 2023},
                                  {"salary": {"2023": "799999.99"}, "start": 2023},
                                  {"salary": {"2023": 1000000}, "start": 2021}]})",
                  Status::Eligible, "540000.00"},
        ShapeCase{"talents_fourth_year", kTalents, "",
                  R"({"talents": [{"salary": {"2023": 1000000}, "start": 2020}]})",
                  Status::NotEligible, ""},
        ShapeCase{"talents_capped", kTalents, "",
                  R"({"talents": [{"salary": {"2023": 2000000}, "start": 2023},
                                  {"salary": {"2023": 2000000}, "start": 2023}]})",
                  Status::Eligible, "1000000.00"},
        ShapeCase{"talents_missing_salary", kTalents, "", R"({"talents": [{"start": 2023}]})",
                  Status::NeedsInfo, ""},
        ShapeCase{"talents_empty_list", kTalents, "", R"({"talents": []})", Status::NotEligible,
                  ""},
        ShapeCase{"marginal_inside_first_band", kMarginal, "", R"({"income": {"2023": 4000000}})",
                  Status::Eligible, "1000000.00"},
        ShapeCase{"marginal_at_band_limit", kMarginal, "", R"({"income": {"2023": 5000000}})",
                  Status::Eligible, "1250000.00"},
        ShapeCase{"marginal_above", kMarginal, "", R"({"income": {"2023": 6000000}})",
                  Status::Eligible, "1375000.00"},
        ShapeCase{"round_up_to_yuan", kRoundUp, "", R"({"area": {"2023": 100.01}})",
                  Status::Eligible, "21.00"},
        ShapeCase{"round_up_exact", kRoundUp, "", R"({"area": {"2023": 100}})", Status::Eligible,
                  "20.00"},
        ShapeCase{"level_national", kLevel, "", R"({"level": "national"})", Status::Eligible,
                  "3000000.00"},
        ShapeCase{"level_provincial", kLevel, "", R"({"level": "provincial"})", Status::Eligible,
                  "1000000.00"},
        ShapeCase{"level_missing", kLevel, "", R"({})", Status::NeedsInfo, ""},
        ShapeCase{"unspecified", R"({"kind": "unspecified"})",
                  R"({"fact": "little_giant", "is": true})", R"({"little_giant": true})",
                  Status::EligibleUnspecified, ""},
        ShapeCase{"unspecified_condition_false", R"({"kind": "unspecified"})",
                  R"({"fact": "little_giant", "is": true})", R"({"little_giant": false})",
                  Status::NotEligible, ""},
        ShapeCase{"upper_bound", R"({"kind": "upper_bound", "up_to": "500万"})", "", R"({})",
                  Status::EligibleUnspecified, ""},
        ShapeCase{"floor",
                  R"({"kind": "floor", "formula": {"mul": [350, {"fact": "area", "year": 0}]}})",
                  "", R"({"area": {"2023": 10}})", Status::Eligible, "3500.00"}),
    [](const testing::TestParamInfo<ShapeCase>& info) { return info.param.name; });

TEST(Engine, MissingFactsAreNamedWithTheirYear) {
  RuleSet rules = load({document("[" + rule("r", kRatio, kRatioWhen) + "]")});
  Report report = evaluate(rules, profile(rules, "{}"));
  const RuleResult* r = find(report, "r");
  ASSERT_EQ(r->status, Status::NeedsInfo);
  ASSERT_EQ(r->missing.size(), 2u);
  EXPECT_EQ(rules.vocabulary().facts[r->missing[0].fact].name, "revenue");
  EXPECT_EQ(r->missing[0].year, 2022);
  EXPECT_EQ(rules.vocabulary().facts[r->missing[1].fact].name, "rd");
}

// A rule whose condition is open names every fact it needs, the amount's as well: a blank
// template (issue 15) lists every question, not only the condition's.
TEST(Engine, AnOpenConditionAlsoNamesTheFactsOfTheAmount) {
  const std::string when = R"({"fact": "revenue", "year": 0, "at_least": 100})";
  RuleSet rules = load({document(
      "[" +
      rule(
          "exact",
          R"({"kind": "exact", "formula": {"mul": ["5%", {"fact": "invest", "year": 0}]}, "cap": {"fact": "award"}})",
          when) +
      "," +
      rule("bound",
           R"({"kind": "upper_bound", "up_to": {"mul": ["50%", {"fact": "premium", "year": 0}]}})",
           when) +
      "]")});
  auto names = [&](const RuleResult* r) {
    std::vector<std::string> out;
    for (const Missing& m : r->missing) out.push_back(rules.vocabulary().facts[m.fact].name);
    return out;
  };
  Report open = evaluate(rules, profile(rules, "{}"));
  ASSERT_EQ(find(open, "exact")->status, Status::NeedsInfo);
  EXPECT_EQ(names(find(open, "exact")), (std::vector<std::string>{"revenue", "invest", "award"}));
  EXPECT_EQ(names(find(open, "bound")), (std::vector<std::string>{"revenue", "premium"}));
  EXPECT_TRUE(find(open, "exact")->trace.empty());
  // A condition that fails asks for nothing; one that holds asks only for the amount's facts.
  Report no = evaluate(rules, profile(rules, R"({"revenue": {"2023": 50}})"));
  EXPECT_EQ(find(no, "exact")->status, Status::NotEligible);
  EXPECT_TRUE(find(no, "exact")->missing.empty());
  Report yes = evaluate(rules, profile(rules, R"({"revenue": {"2023": 500}, "award": 10})"));
  EXPECT_EQ(names(find(yes, "exact")), (std::vector<std::string>{"invest"}));
}

// A fact missed by a part that does not decide (the first of an `any` whose second holds) leaves
// nothing behind, with reasons or without: a batch, which records none, only counts the facts
// missed and must drop the count as the full evaluation drops the facts.
TEST(Engine, AMissedFactThatDecidesNothingLeavesNothing) {
  const std::string amount = R"({"kind": "exact", "formula": {"case": [
    {"when": {"any": [{"fact": "rd", "year": -1, "more_than": 1},
                      {"fact": "area", "year": 0, "at_least": 50}]}, "then": "10万"}],
    "else": 0}})";
  RuleSet rules = load({document("[" + rule("r", amount, "") + "]")});
  Profile p = profile(rules, R"({"area": {"2023": 60}})");
  EvalOptions lean;
  lean.trace = false;
  lean.reasons = false;
  for (const EvalOptions& options : {EvalOptions{}, lean}) {
    Report report = evaluate(rules, p, options);
    const RuleResult* r = find(report, "r");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(status_name(r->status), status_name(Status::Eligible)) << options.reasons;
    EXPECT_EQ(r->amount.fixed(2), "100000.00") << options.reasons;
    EXPECT_TRUE(r->missing.empty());
  }
}

TEST(Engine, AFalseConditionOutweighsAMissingFact) {
  std::string when =
      R"({"all": [{"fact": "little_giant", "is": true}, {"fact": "area", "year": 0, "at_least": 1}]})";
  RuleSet rules = load({document("[" + rule("r", R"({"kind": "unspecified"})", when) + "]")});
  Report report = evaluate(rules, profile(rules, R"({"little_giant": false})"));
  const RuleResult* r = find(report, "r");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->status, Status::NotEligible);
  EXPECT_TRUE(r->missing.empty());
}

TEST(Engine, ThreeValuedLogic) {
  std::string any =
      R"({"any": [{"fact": "little_giant", "is": true}, {"fact": "area", "year": 0, "at_least": 1}]})";
  RuleSet rules = load({document("[" + rule("r", R"({"kind": "unspecified"})", any) + "]")});
  Profile known_true = profile(rules, R"({"little_giant": true})");
  Profile unknown = profile(rules, R"({"little_giant": false})");
  Report a = evaluate(rules, known_true);
  Report b = evaluate(rules, unknown);
  EXPECT_EQ(find(a, "r")->status, Status::EligibleUnspecified);
  EXPECT_EQ(find(b, "r")->status, Status::NeedsInfo);

  std::string all =
      R"({"all": [{"fact": "little_giant", "is": true}, {"fact": "area", "year": 0, "at_least": 1}]})";
  RuleSet rules2 = load({document("[" + rule("r", R"({"kind": "unspecified"})", all) + "]")});
  Profile falsy = profile(rules2, R"({"little_giant": false})");
  Report c = evaluate(rules2, falsy);
  EXPECT_EQ(find(c, "r")->status, Status::NotEligible);
  EXPECT_TRUE(find(c, "r")->missing.empty());
}

TEST(Engine, FailureCarriesActualValueAndThreshold) {
  RuleSet rules = load({document("[" + rule("r", kRatio, kRatioWhen) + "]")});
  Profile p = profile(rules, R"({"rd": {"2022": 2990000}, "revenue": {"2022": 100000000}})");
  Report report = evaluate(rules, p);
  const RuleResult* r = find(report, "r");
  ASSERT_EQ(r->failures.size(), 1u);
  EXPECT_EQ(r->failures[0].relation, Relation::AtLeast);
  EXPECT_EQ(relation_id(r->failures[0].relation), "at_least");
  EXPECT_EQ(r->failures[0].actual, "2.99%");
  EXPECT_EQ(r->failures[0].threshold, "3%");
  EXPECT_EQ(r->failures[0].bound, Decimal::from_units(Decimal::kOne * 3 / 100));
  EXPECT_TRUE(r->failures[0].inclusive);
}

// A bound computed from the profile travels exactly beside its text: advice reads the Decimal,
// not the display text parsed back.
TEST(Engine, FailureCarriesAComputedBoundExactly) {
  RuleSet rules = load({document("[" + rule("r", kRatio, R"({"fact": "rd", "year": -1,
      "at_least": {"mul": ["1.5", {"fact": "revenue", "year": -1}]}})") +
                                 "]")});
  Profile p = profile(rules, R"({"rd": {"2022": 100}, "revenue": {"2022": 100.000002}})");
  Report report = evaluate(rules, p);
  const RuleResult* r = find(report, "r");
  ASSERT_EQ(r->failures.size(), 1u);
  EXPECT_EQ(r->failures[0].relation, Relation::AtLeast);
  EXPECT_EQ(r->failures[0].bound, Decimal::from_units(150'000'003));  // 150.000003
  EXPECT_EQ(r->failures[0].threshold, r->failures[0].bound->str());
}

// The values an `in`, a lookup or a rule's roles ask for are given as a list, not only as the
// joined threshold text; the relation is the table's, and its id is what the JSON report writes.
TEST(Engine, FailureCarriesTheValuesAskedFor) {
  RuleSet rules = load({document(
      "[" + rule("r", R"({"kind": "unspecified"})", R"({"fact": "level", "in": ["national"]})") +
      "]")});
  Report report = evaluate(rules, profile(rules, R"({"level": "provincial"})"));
  const RuleResult* r = find(report, "r");
  ASSERT_EQ(r->failures.size(), 1u);
  EXPECT_EQ(relation_id(r->failures[0].relation), "in");
  ASSERT_EQ(r->failures[0].choices.size(), 1u);
  EXPECT_EQ(r->failures[0].choices[0], "national");
  EXPECT_FALSE(r->failures[0].bound);
}

TEST(Engine, ConditionChecksAreThreeValued) {
  RuleSet rules = load({document("[" + rule("r", kRatio, kRatioWhen) + "]")});
  EvalOptions options;
  options.explain = true;
  Report given =
      evaluate(rules, profile(rules, R"({"rd": {"2022": 3}, "revenue": {"2022": 100}})"), options);
  ASSERT_EQ(find(given, "r")->checks.size(), 1u);
  EXPECT_EQ(find(given, "r")->checks[0].result, Tri::True);
  Report open = evaluate(rules, profile(rules, R"({"rd": {"2022": 3}})"), options);
  ASSERT_EQ(find(open, "r")->checks.size(), 1u);
  EXPECT_EQ(find(open, "r")->checks[0].result, Tri::Unknown);
}

TEST(Engine, TakeTheHigherGroupExcludesTheLower) {
  std::string rules_json =
      "[" + rule("general", kPercentCap) + "," +
      rule(
          "giant",
          R"({"kind": "exact", "formula": {"mul": ["20%", {"fact": "rd", "year": -1}]}, "cap": "100万"})",
          R"({"fact": "little_giant", "is": true})") +
      "]";
  std::string groups =
      R"([{"id": "g", "mode": "highest", "rules": ["general", "giant"], "quote": "按就高原则。"}])";
  RuleSet rules = load({document(rules_json, groups)});
  Profile p = profile(rules, R"({"rd": {"2022": 3000000}, "little_giant": true})");
  Report report = evaluate(rules, p);
  EXPECT_EQ(find(report, "giant")->status, Status::Eligible);
  EXPECT_EQ(find(report, "giant")->amount.fixed(2), "600000.00");
  EXPECT_EQ(find(report, "general")->status, Status::Excluded);
  EXPECT_EQ(find(report, "general")->excluded_by, "giant");
  EXPECT_EQ(report.total.fixed(2), "600000.00");

  // With a large base the giant's 100万 cap makes the general rule the higher one.
  Profile big = profile(rules, R"({"rd": {"2022": 15000000}, "little_giant": true})");
  Report report2 = evaluate(rules, big);
  EXPECT_EQ(find(report2, "general")->status, Status::Eligible);
  EXPECT_EQ(find(report2, "giant")->status, Status::Excluded);
  EXPECT_EQ(report2.total.fixed(2), "1500000.00");
}

TEST(Engine, PayerSplit) {
  std::string payers = R"(, "payers": [
    {"payer": "province", "formula": {"mul": [120, {"fact": "area", "year": 0}]}},
    {"payer": "city_county", "rest": true}])";
  RuleSet rules = load({document(
      "[" +
      rule("rice", R"({"kind": "floor", "formula": {"mul": [350, {"fact": "area", "year": 0}]}})",
           "", payers) +
      "]")});
  Report report = evaluate(rules, profile(rules, R"({"area": {"2023": 100.5}})", "family_farm"));
  const RuleResult* r = find(report, "rice");
  ASSERT_EQ(r->payers.size(), 2u);
  EXPECT_EQ(r->amount.fixed(2), "35175.00");
  EXPECT_EQ(r->payers[0].amount.fixed(2), "12060.00");
  EXPECT_EQ(r->payers[1].amount.fixed(2), "23115.00");
  EXPECT_TRUE(report.total_is_floor);
  EXPECT_EQ(report.documents[0].by_payer.at("province").fixed(2), "12060.00");
}

TEST(Engine, FeeReductionsAreBesideTheTotalNeverInIt) {
  // 按高可靠性供电费用收入标准的70%执行: a fee of 1,000,000 saves 300,000, which the grid forgoes;
  // no money is paid, so the total (grants) stays 100 and the saving is its own sum.
  std::string fee =
      R"({"kind": "exact", "formula": {"mul": ["30%", {"fact": "premium", "year": 0}]}})";
  std::string extra =
      R"(, "benefit": "fee_reduction", "payers": [{"payer": "power_grid", "rest": true}])";
  RuleSet rules = load({document("[" + rule("grant", R"({"kind": "exact", "formula": 100})") + "," +
                                 rule("fee", fee, "", extra) + "]")});
  Report report = evaluate(rules, profile(rules, R"({"premium": {"2023": 1000000}})"));
  ASSERT_EQ(find(report, "fee")->status, Status::Eligible);
  EXPECT_EQ(find(report, "fee")->amount.fixed(2), "300000.00");
  EXPECT_EQ(report.total.fixed(2), "100.00");
  EXPECT_EQ(report.fee_reduction.fixed(2), "300000.00");
  EXPECT_EQ(report.documents[0].total.fixed(2), "100.00");
  EXPECT_EQ(report.documents[0].fee_reduction.fixed(2), "300000.00");
  EXPECT_FALSE(report.documents[0].by_payer.contains("power_grid"));
  EXPECT_TRUE(report.tax_relief.is_zero());
}

TEST(Engine, AnUpperBoundMayBeAFormulaOfTheFacts) {
  // 按实际投资额给予不超过50%的补助: no amount, but "up to" 50% of this profile's investment.
  RuleSet rules = load({document(
      "[" +
      rule("centre",
           R"({"kind": "upper_bound", "up_to": {"mul": ["50%", {"fact": "invest", "year": 0}]}})") +
      "," + rule("fixed", R"({"kind": "upper_bound", "up_to": "40万"})") + "]")});
  Report report = evaluate(rules, profile(rules, R"({"invest": {"2023": "333333.33"}})"));
  ASSERT_EQ(find(report, "centre")->status, Status::EligibleUnspecified);
  EXPECT_EQ(find(report, "centre")->up_to->fixed(2), "166666.67");
  EXPECT_EQ(find(report, "fixed")->up_to->fixed(2), "400000.00");
  EXPECT_TRUE(report.total.is_zero());
  Report unknown = evaluate(rules, profile(rules, R"({})"));
  EXPECT_EQ(find(unknown, "centre")->status, Status::NeedsInfo);
  EXPECT_EQ(find(unknown, "fixed")->status, Status::EligibleUnspecified);
}

TEST(Engine, AFloorWhoseCapBindsIsExact) {
  // 不低于60%、最高不超过80万: 60% of a 200万 premium is 120万, so exactly the 80万 cap is paid.
  std::string amount =
      R"({"kind": "floor", "formula": {"mul": ["60%", {"fact": "premium", "year": 0}]}, "cap": "80万"})";
  RuleSet rules = load({document("[" + rule("r", amount) + "]")});
  Report capped = evaluate(rules, profile(rules, R"({"premium": {"2023": 2000000}})"));
  EXPECT_EQ(find(capped, "r")->amount.fixed(2), "800000.00");
  EXPECT_FALSE(find(capped, "r")->at_least());
  EXPECT_FALSE(capped.total_is_floor);
  Report open = evaluate(rules, profile(rules, R"({"premium": {"2023": 100000}})"));
  EXPECT_EQ(find(open, "r")->amount.fixed(2), "60000.00");
  EXPECT_TRUE(find(open, "r")->at_least());
  EXPECT_TRUE(open.total_is_floor);
}

TEST(Engine, ApplicantKindMustMatch) {
  RuleSet rules = load({document("[" + rule("r", kMatching) + "]")});
  Report report = evaluate(rules, profile(rules, R"({"award": 1})", "individual"));
  EXPECT_EQ(find(report, "r")->status, Status::NotApplicable);
  EXPECT_EQ(report.total.fixed(2), "0.00");
}

TEST(Engine, DocumentOutsideItsValidityPaysNothing) {
  RuleSet rules = load({document("[" + rule("r", kMatching) + "]")});
  Report report = evaluate(rules, profile(rules, R"({"award": 1})", "enterprise", 2024));
  ASSERT_EQ(report.documents.size(), 1u);
  EXPECT_FALSE(report.documents[0].in_force);
  EXPECT_TRUE(report.documents[0].rules.empty());
  EXPECT_EQ(report.total.fixed(2), "0.00");
}

TEST(Engine, ValidityFromMidYearCoversThatPolicyYear) {
  RuleSet rules = load({document("[" + rule("r", kMatching) + "]", "[]", "330702", "330700",
                                 "2023-02-15", "2023-12-31")});
  Report report = evaluate(rules, profile(rules, R"({"award": 1})", "enterprise", 2023, "330702"));
  EXPECT_TRUE(report.documents.at(0).in_force);
  EXPECT_EQ(find(report, "r")->status, Status::Eligible);
}

TEST(Engine, CityDocumentAppliesToItsDistricts) {
  std::string district = document("[" + rule("district-r", kMatching) + "]", "[]", "330802",
                                  "330800", "2023-01-01", "2023-12-31");
  std::string city = document("[" + rule("city-r", kMatching) + "]", "[]", "330800", "",
                              "2024-01-01", "2024-12-31");
  std::string other = document("[" + rule("other-r", kMatching) + "]", "[]", "331002", "331000",
                               "2023-01-01", "2024-12-31");
  RuleSet rules = load({district, city, other});
  Report r2023 = evaluate(rules, profile(rules, R"({"award": 1})", "enterprise", 2023));
  Report r2024 = evaluate(rules, profile(rules, R"({"award": 1})", "enterprise", 2024));
  EXPECT_EQ(find(r2023, "district-r")->status, Status::Eligible);
  EXPECT_EQ(find(r2023, "city-r"), nullptr);
  EXPECT_EQ(find(r2023, "other-r"), nullptr);
  EXPECT_EQ(find(r2024, "city-r")->status, Status::Eligible);
  EXPECT_EQ(find(r2024, "district-r"), nullptr);
  EXPECT_EQ(r2024.documents.size(), 2u);  // the district's, out of force, and the city's
}

TEST(Engine, CityLayerFollowsGbt2260WhenNoDistrictDeclaresAParent) {
  std::string city = document("[" + rule("city-r", kMatching) + "]", "[]", "330800", "",
                              "2024-01-01", "2024-12-31");
  RuleSet rules = load({city});
  Report longyou = evaluate(rules, profile(rules, R"({"award": 1})", "enterprise", 2024, "330825"));
  Report hangzhou =
      evaluate(rules, profile(rules, R"({"award": 1})", "enterprise", 2024, "330106"));
  EXPECT_EQ(find(longyou, "city-r")->status, Status::Eligible);
  EXPECT_EQ(find(hangzhou, "city-r"), nullptr);
}

TEST(Engine, OverflowIsReportedNotWrapped) {
  std::string amount =
      R"({"kind": "exact", "formula": {"mul": [{"fact": "award"}, {"fact": "award"}]}})";
  RuleSet rules = load({document("[" + rule("r", amount) + "]")});
  Report report = evaluate(rules, profile(rules, R"({"award": 8000000000000})"));
  EXPECT_EQ(find(report, "r")->status, Status::Error);
}

TEST(Engine, TracesBracketCapAndRounding) {
  RuleSet rules = load({document("[" + rule("r", kTechUpgrade) + "]")});
  Report report = evaluate(rules, profile(rules, R"({"invest": {"2023": "7999999.99"}})"));
  const RuleResult* r = find(report, "r");
  bool bracket = false, rounding = false;
  for (const TraceStep& t : r->trace) {
    bracket = bracket || (t.step == StepKind::Bracket &&
                          t.detail.en.find("[200万, 800万)") != std::string::npos &&
                          t.detail.zh.find("[200万, 800万)") != std::string::npos);
    rounding = rounding || (t.step == StepKind::Rounding &&
                            t.detail.en.find("479999.9994") != std::string::npos);
  }
  EXPECT_TRUE(bracket);
  EXPECT_TRUE(rounding);
}

}  // namespace
}  // namespace subsidy

namespace subsidy {
namespace {

using namespace testing_support;

// What concerns the applicant: a rule failed only on what the applicant is or holds (a title it
// lacks, a yes/no or category fact) does not; one failed by an amount, a year, or with any other
// status does.
TEST(Relevance, OnlyFailuresOnWhatTheApplicantIsOrHoldsMakeARuleUnrelated) {
  struct Case {
    const char* name;
    const char* when;
    const char* facts;
    bool concerns;
  };
  const Case cases[] = {
      {"title it lacks",
       R"({"has": {"over": "certifications", "where": {"item": "type", "is": "incubator"}}})",
       R"({"certifications": []})", false},
      {"yes/no fact", R"({"fact": "little_giant", "is": true})", R"({"little_giant": false})",
       false},
      {"category fact", R"({"fact": "level", "in": ["national"]})", R"({"level": "provincial"})",
       false},
      {"amount below a bound", R"({"fact": "invest", "year": 0, "at_least": "200万"})",
       R"({"invest": {"2023": 1990000}})", true},
      // Both required: the yes/no fact fails first and settles it, whatever the amount.
      {"not a little giant, and too little",
       R"({"all": [{"fact": "little_giant", "is": true}, )"
       R"({"fact": "invest", "year": 0, "at_least": "200万"}]})",
       R"({"little_giant": false, "invest": {"2023": 1}})", false},
      // Either suffices: the amount is a way in still open.
      {"a little giant, or enough",
       R"({"any": [{"fact": "little_giant", "is": true}, )"
       R"({"fact": "invest", "year": 0, "at_least": "200万"}]})",
       R"({"little_giant": false, "invest": {"2023": 1}})", true},
      // Inside a list: no item at all is something it lacks; an item short of an amount is a near
      // miss (a talent paid 79万 where the text pays from 80万).
      {"no talent",
       R"({"has": {"over": "talents", "where": {"item": "salary", "year": 0, "at_least": "80万"}}})",
       R"({"talents": []})", false},
      {"talent paid too little",
       R"({"has": {"over": "talents", "where": {"item": "salary", "year": 0, "at_least": "80万"}}})",
       R"({"talents": [{"salary": {"2023": 790000}, "start": 2023}]})", true},
      {"a title of another year",
       R"({"has": {"over": "certifications", "where": {"item": "year", "at_least": {"policy_year": true}}}})",
       R"({"certifications": [{"type": "incubator", "level": "national", "year": 2020}]})", false},
      // A has within a has: the inner condition reads the inner list's items (a project short
      // of an amount is a near miss), not the outer list's fields at the same position.
      {"a title, but no project big enough",
       R"({"has": {"over": "certifications", "where": {"has": {"over": "projects", )"
       R"("where": {"item": "invest", "at_least": "200万"}}}}})",
       R"({"certifications": [{"type": "incubator", "level": "national", "year": 2023}], )"
       R"("projects": [{"invest": 1990000, "completed": 2023}]})",
       true},
      {"needs information", R"({"fact": "little_giant", "is": true})", "{}", true},
      {"eligible", R"({"fact": "little_giant", "is": true})", R"({"little_giant": true})", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    RuleSet rules =
        load({document("[" + rule("r", R"({"kind": "exact", "formula": 1})", c.when) + "]")});
    Profile p = profile(rules, c.facts);
    Report report = evaluate(rules, p);
    EXPECT_EQ(concerns_applicant(report.documents[0].rules[0], rules.vocabulary()), c.concerns);
  }
}

// `has` passes over an item whose field contradicts an `is` its `where` requires, without testing
// the rest of the item. That must decide nothing `where` would not: an item whose field is
// absent is still open, and a later item still counts. Explain mode tests every part of every item,
// so each case is also evaluated with it and must give the same status, missing facts and
// failures.
TEST(HasScreen, AnItemIsPassedOverOnlyWhereItsWhereFails) {
  const std::string when =
      R"({"has": {"over": "certifications", "where": {"all": [{"item": "type", "is": "incubator"}, )"
      R"({"item": "level", "is": "national"}, {"item": "year", "at_least": 2020}]}}})";
  struct Case {
    const char* name;
    const char* items;
    Status status;
    std::vector<Missing> missing;  // {fact, field, item, year}: field 0 type, 1 level, 2 year
  };
  const int list = 14;  // certifications, in test_support's vocabulary
  const Case cases[] = {
      {"another type",
       R"([{"type": "little_giant", "level": "national", "year": 2021}])",
       Status::NotEligible,
       {}},
      {"another type, the rest absent", R"([{"type": "little_giant"}])", Status::NotEligible, {}},
      {"the type absent",
       R"([{"level": "national"}])",
       Status::NeedsInfo,
       {{list, 0, 0, {}}, {list, 2, 0, {}}}},
      {"ruled out, then open",
       R"([{"type": "little_giant"}, {"level": "national", "year": 2021}])",
       Status::NeedsInfo,
       {{list, 0, 1, {}}}},
      {"another level",
       R"([{"type": "incubator", "level": "provincial"}])",
       Status::NotEligible,
       {}},
      {"ruled out, then held",
       R"([{"type": "little_giant"}, {"type": "incubator", "level": "national", "year": 2020}])",
       Status::Eligible,
       {}},
      {"too early, then open",
       R"([{"type": "incubator", "level": "national", "year": 2019}, )"
       R"({"type": "incubator"}])",
       Status::NeedsInfo,
       {{list, 1, 1, {}}, {list, 2, 1, {}}}},
      {"an item without fields",
       R"([{}])",
       Status::NeedsInfo,
       {{list, 0, 0, {}}, {list, 1, 0, {}}, {list, 2, 0, {}}}},
  };
  RuleSet rules =
      load({document("[" + rule("r", R"({"kind": "exact", "formula": 1})", when) + "]")});
  ASSERT_EQ(rules.vocabulary().facts[list].name, "certifications");
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Profile p = profile(rules, std::string(R"({"certifications": )") + c.items + "}");
    EvalOptions screened;
    EvalOptions every_part;
    every_part.explain = true;
    Report a = evaluate(rules, p, screened);
    Report b = evaluate(rules, p, every_part);
    const RuleResult& ra = a.documents[0].rules[0];
    const RuleResult& rb = b.documents[0].rules[0];
    EXPECT_EQ(status_name(ra.status), status_name(c.status));
    EXPECT_EQ(status_name(rb.status), status_name(c.status));
    EXPECT_EQ(ra.missing, c.missing);
    EXPECT_EQ(rb.missing, c.missing);
    ASSERT_EQ(ra.failures.size(), rb.failures.size());
    for (std::size_t i = 0; i < ra.failures.size(); ++i) {
      EXPECT_EQ(ra.failures[i].relation, rb.failures[i].relation);
      EXPECT_EQ(ra.failures[i].actual, rb.failures[i].actual);
    }
  }
  // An `any` is held by one part alone: no `is` of it screens an item out.
  const std::string any =
      R"({"has": {"over": "certifications", "where": {"any": [{"item": "type", "is": "incubator"}, )"
      R"({"item": "level", "is": "national"}]}}})";
  RuleSet either =
      load({document("[" + rule("r", R"({"kind": "exact", "formula": 1})", any) + "]")});
  Profile p =
      profile(either, R"({"certifications": [{"type": "little_giant", "level": "national"}]})");
  EXPECT_EQ(status_name(evaluate(either, p).documents[0].rules[0].status), "eligible");
}

}  // namespace
}  // namespace subsidy
