// Near-miss advice and the ranking of missing facts.
#include "core/advice.h"

#include <gtest/gtest.h>

#include "report/render.h"
#include "test_support.h"

namespace subsidy {
namespace {

using namespace testing_support;

const std::string kUpgrade = R"({"kind": "exact", "formula": {"mul": [{"fact": "invest", "year": 0},
  {"brackets": {"of": {"fact": "invest", "year": 0}, "table": [
    {"at_least": "200万", "less_than": "800万", "then": "6%"}, {"at_least": "800万", "then": "8%"}]}}]}})";

TEST(Advice, BracketNearMissGivesTheSmallestChangeAndWhatItUnlocks) {
  RuleSet rules = load({document("[" + rule("up", kUpgrade) + "]")});
  Profile p = profile(rules, R"({"invest": {"2023": 1950000}})");
  Report report = evaluate(rules, p);
  std::vector<Advice> advice = advise(rules, p, report);
  ASSERT_EQ(advice.size(), 1u);
  EXPECT_EQ(advice[0].rule->id, "up");
  EXPECT_EQ(advice[0].from.str(), "1950000");
  EXPECT_EQ(advice[0].to.str(), "2000000");
  EXPECT_EQ(advice[0].unlocked.fixed(2), "120000.00");
}

// A rule that pays already: the smallest change into a better bracket, and what it adds; none in
// the top bracket, and none where the next bracket would pay no more.
TEST(Advice, NextBracketOfARuleThatPaysAlready) {
  struct Case {
    const char* invest;
    const char* to;  // "" for no advice
    const char* pays_now;
    const char* pays;
    const char* unlocked;
  };
  const Case cases[] = {
      {"7900000", "8000000", "474000.00", "640000.00", "166000.00"},
      // 7999999.99 × 6% = 479999.9994, paid as 480000.00 (rounded half up to the fen).
      {"7999999.99", "8000000", "480000.00", "640000.00", "160000.00"},
      {"8000000", "", "", "", ""},
  };
  RuleSet rules = load({document("[" + rule("up", kUpgrade) + "]")});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.invest);
    Profile p = profile(rules, std::string(R"({"invest": {"2023": ")") + c.invest + R"("}})");
    Report report = evaluate(rules, p);
    std::vector<Advice> advice = advise(rules, p, report);
    if (std::string(c.to).empty()) {
      EXPECT_TRUE(advice.empty());
      continue;
    }
    ASSERT_EQ(advice.size(), 1u);
    EXPECT_EQ(advice[0].to.str(), c.to);
    ASSERT_TRUE(advice[0].paid_before.has_value());
    EXPECT_EQ(advice[0].paid_before->fixed(2), c.pays_now);
    EXPECT_EQ(advice[0].pays.fixed(2), c.pays);
    EXPECT_EQ(advice[0].unlocked.fixed(2), c.unlocked);
  }
}

// The same brackets per project, over a list: the change is to one item's field, and only items
// the sum counts (completed in the policy year) are advised.
const std::string kWhereProject =
    R"({"all": [{"item": "completed", "equals": {"policy_year": true}},
  {"item": "invest", "at_least": "200万"}]})";
const std::string kPerProject =
    R"({"kind": "exact", "formula": {"sum": {"over": "projects", "where": )" + kWhereProject +
    R"(, "value": {"mul": [{"item": "invest"}, {"brackets": {"of": {"item": "invest"},
  "table": [{"at_least": "200万", "less_than": "800万", "then": "6%"}, {"at_least": "800万", "then": "8%"}]}}]}}}})";
const std::string kHasProject = R"({"has": {"over": "projects", "where": )" + kWhereProject + "}}";

TEST(Advice, NextBracketOfAListItemField) {
  RuleSet rules = load({document("[" + rule("up", kPerProject, kHasProject) + "]")});
  // Item 0 already at 8%, item 1 at ¥7.9M, item 2 completed in another year.
  Profile p = profile(rules, R"({"projects": [{"invest": 9000000, "completed": 2023},
    {"invest": 7900000, "completed": 2023}, {"invest": 7900000, "completed": 2022}]})");
  Report report = evaluate(rules, p);
  std::vector<Advice> advice = advise(rules, p, report);
  ASSERT_EQ(advice.size(), 1u);
  EXPECT_EQ(advice[0].rule->id, "up");
  EXPECT_EQ(advice[0].fact, rules.vocabulary().index_of("projects"));
  EXPECT_EQ(advice[0].item, 1);
  EXPECT_EQ(advice[0].field, 0);
  EXPECT_EQ(advice[0].from.str(), "7900000");
  EXPECT_EQ(advice[0].to.str(), "8000000");
  ASSERT_TRUE(advice[0].paid_before.has_value());
  EXPECT_EQ(advice[0].paid_before->fixed(2), "1194000.00");  // 720000 + 474000
  EXPECT_EQ(advice[0].pays.fixed(2), "1360000.00");          // 720000 + 640000
  EXPECT_EQ(advice[0].unlocked.fixed(2), "166000.00");
  std::string zh = advice_text(advice[0], report, Lang::Zh);
  EXPECT_NE(zh.find("技改项目第2项的新增设备和技术投资额"), std::string::npos) << zh;
  std::string en = advice_text(advice[0], report, Lang::En);
  EXPECT_NE(en.find("Investment of Projects #2"), std::string::npos) << en;
}

TEST(Advice, ListItemBelowTheLowestBracketIsANearMiss) {
  RuleSet rules = load({document("[" + rule("up", kPerProject, kHasProject) + "]")});
  Profile p = profile(rules, R"({"projects": [{"invest": 1000000, "completed": 2023},
    {"invest": 1950000, "completed": 2023}]})");
  Report report = evaluate(rules, p);
  std::vector<Advice> advice = advise(rules, p, report);
  ASSERT_EQ(advice.size(), 1u);
  EXPECT_EQ(advice[0].item, 1);
  EXPECT_EQ(advice[0].to.str(), "2000000");
  EXPECT_FALSE(advice[0].paid_before.has_value());
  EXPECT_EQ(advice[0].unlocked.fixed(2), "120000.00");
}

TEST(Advice, RatioNearMissRaisesTheNumeratorOfThePolicyYear) {
  std::string amount = R"({"kind": "exact", "formula": "25万"})";
  std::string when =
      R"({"value": {"ratio": [{"fact": "rd", "year": 0}, {"fact": "revenue", "year": 0}]}, "at_least": "3%"})";
  RuleSet rules = load({document("[" + rule("rd", amount, when) + "]")});
  Profile p = profile(rules, R"({"rd": {"2023": 2900000}, "revenue": {"2023": 100000000}})");
  Report report = evaluate(rules, p);
  std::vector<Advice> advice = advise(rules, p, report);
  ASSERT_EQ(advice.size(), 1u);
  EXPECT_EQ(advice[0].to.str(), "3000000");
  EXPECT_EQ(advice[0].unlocked.fixed(2), "250000.00");
}

TEST(Advice, NoAdviceOnPastYearsOrWhenAnotherConditionStillFails) {
  std::string amount = R"({"kind": "exact", "formula": "25万"})";
  std::string past = R"({"fact": "rd", "year": -1, "at_least": 100})";
  std::string both =
      R"({"all": [{"fact": "rd", "year": 0, "at_least": 100}, {"fact": "little_giant", "is": true}]})";
  RuleSet rules =
      load({document("[" + rule("past", amount, past) + "," + rule("both", amount, both) + "]")});
  Profile p = profile(rules, R"({"rd": {"2022": 50, "2023": 50}, "little_giant": false})");
  Report report = evaluate(rules, p);
  EXPECT_TRUE(advise(rules, p, report).empty());
}

// Advice is money the change unlocks: when the change would make a total overflow, there is no
// such amount to give, and no advice rather than a number made of a partial total.
TEST(Advice, NoAdviceWhenTheChangeWouldOverflowATotal) {
  // The district document pays 10000亿, and 75000亿 more from 200万 of investment; the city layer
  // 10000亿: 95000亿 in all is beyond what a total can hold.
  std::string when = R"({"fact": "invest", "year": 0, "at_least": "200万"})";
  RuleSet rules =
      load({document("[" + rule("always", R"({"kind": "exact", "formula": "10000亿"})") + "," +
                     rule("up", R"({"kind": "exact", "formula": "75000亿"})", when) + "]"),
            document("[" + rule("city", R"({"kind": "exact", "formula": "10000亿"})") + "]", "[]",
                     "330800", "")});
  Profile p = profile(rules, R"({"invest": {"2023": 1950000}})");
  Report report = evaluate(rules, p);
  ASSERT_FALSE(report.overflow);
  EXPECT_TRUE(advise(rules, p, report).empty());
}

// The money that depends on a missing fact, when it is beyond what a sum can hold, has no upper
// limit to give: unbounded, not the part that fitted.
TEST(Advice, MissingFactWhoseAmountsOverflowIsUnbounded) {
  std::string big = R"({"kind": "exact", "formula": "50000亿"})";
  std::string when = R"({"fact": "rd", "year": 0, "at_least": 1})";
  RuleSet rules = load({document("[" + rule("a", big, when) + "," + rule("b", big, when) + "]")});
  Profile p = profile(rules, R"({})");
  std::vector<MissingFact> missing = rank_missing(evaluate(rules, p));
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].rules.size(), 2u);
  EXPECT_TRUE(missing[0].unbounded);
}

TEST(Advice, ExclusiveBoundNeedsOneFenMore) {
  std::string amount = R"({"kind": "exact", "formula": "1万"})";
  std::string when = R"({"fact": "area", "year": 0, "more_than": 50})";
  RuleSet rules = load({document("[" + rule("a", amount, when) + "]")});
  Profile p = profile(rules, R"({"area": {"2023": 50}})", "family_farm");
  Report report = evaluate(rules, p);
  std::vector<Advice> advice = advise(rules, p, report);
  ASSERT_EQ(advice.size(), 1u);
  EXPECT_EQ(advice[0].to.str(), "50.01");
}

TEST(MissingFacts, RankedByTheMoneyThatDependsOnThem) {
  std::string small =
      R"({"kind": "exact", "formula": {"mul": ["10%", {"fact": "award"}]}, "cap": "5万"})";
  std::string big =
      R"({"kind": "exact", "formula": {"mul": ["10%", {"fact": "rd", "year": 0}]}, "cap": "200万"})";
  std::string open =
      R"({"kind": "exact", "formula": {"mul": ["10%", {"fact": "area", "year": 0}]}})";
  RuleSet rules = load({document("[" + rule("small", small) + "," + rule("big", big) + "," +
                                 rule("open", open) + "]")});
  Profile p = profile(rules, "{}");
  Report report = evaluate(rules, p);
  std::vector<MissingFact> missing = rank_missing(report);
  ASSERT_EQ(missing.size(), 3u);
  EXPECT_EQ(rules.vocabulary().facts[missing[0].fact].name, "area");  // no upper limit: first
  EXPECT_TRUE(missing[0].unbounded);
  EXPECT_EQ(rules.vocabulary().facts[missing[1].fact].name, "rd");
  EXPECT_EQ(missing[1].at_most.fixed(2), "2000000.00");
  EXPECT_EQ(missing[2].at_most.fixed(2), "50000.00");
}

// compare's "how complete": the grants that need information, the sum of the limits that can be
// read off them, and how many have none (a formula without a cap, or no stated amount).
TEST(OpenAmount, SumsTheReadableLimitsAndCountsTheRest) {
  std::string small =
      R"({"kind": "exact", "formula": {"mul": ["10%", {"fact": "award"}]}, "cap": "5万"})";
  std::string big =
      R"({"kind": "exact", "formula": {"mul": ["10%", {"fact": "rd", "year": 0}]}, "cap": "200万"})";
  std::string open =
      R"({"kind": "exact", "formula": {"mul": ["10%", {"fact": "area", "year": 0}]}})";
  std::string unstated = R"({"kind": "unspecified"})";
  std::string when = R"({"fact": "area", "year": 0, "at_least": 1})";
  RuleSet rules =
      load({document("[" + rule("small", small) + "," + rule("big", big) + "," +
                     rule("open", open) + "," + rule("unstated", unstated, when) + "]")});
  Report report = evaluate(rules, profile(rules, "{}"));
  OpenAmount o = open_amount(report);
  EXPECT_EQ(o.rules, 4);
  EXPECT_EQ(o.at_most.fixed(2), "2050000.00");
  EXPECT_EQ(o.unbounded, 2);
  Report known =
      evaluate(rules, profile(rules, R"({"award": 1, "rd": {"2023": 1}, "area": {"2023": 0}})"));
  EXPECT_EQ(open_amount(known).rules, 0);
}

// What depends on a missing fact counts a stacking group (就高) once, at its best member.
TEST(MissingFacts, AStackingGroupCountsOnce) {
  std::string general =
      R"({"kind": "exact", "formula": {"mul": ["10%", {"fact": "rd", "year": 0}]}, "cap": "200万"})";
  std::string giant =
      R"({"kind": "exact", "formula": {"mul": ["20%", {"fact": "rd", "year": 0}]}, "cap": "100万"})";
  std::string other =
      R"({"kind": "exact", "formula": {"mul": ["1%", {"fact": "rd", "year": 0}]}, "cap": "5万"})";
  std::string groups =
      R"([{"id": "g", "mode": "highest", "rules": ["general", "giant"], "quote": "按就高原则。"}])";
  RuleSet rules = load({document("[" + rule("general", general) + "," + rule("giant", giant) + "," +
                                     rule("other", other) + "]",
                                 groups)});
  std::vector<MissingFact> missing = rank_missing(evaluate(rules, profile(rules, "{}")));
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].rules.size(), 3u);
  EXPECT_EQ(missing[0].at_most.fixed(2), "2050000.00");
  EXPECT_FALSE(missing[0].unbounded);
}

// Only the highest member of a stacking group (就高) is paid: its open members add the best of
// them, less what a member pays already, never their sum (柯政发〔2023〕16号第12条: 200万 and 100万
// caps, at most 200万 more).
TEST(OpenAmount, AStackingGroupAddsItsBestMemberOnce) {
  std::string general =
      R"({"kind": "exact", "formula": {"mul": ["10%", {"fact": "rd", "year": 0}]}, "cap": "200万"})";
  std::string giant =
      R"({"kind": "exact", "formula": {"mul": ["20%", {"fact": "rd", "year": 0}]}, "cap": "100万"})";
  std::string other =
      R"({"kind": "exact", "formula": {"mul": ["10%", {"fact": "award"}]}, "cap": "5万"})";
  std::string groups =
      R"([{"id": "g", "mode": "highest", "rules": ["general", "giant"], "quote": "按就高原则。"}])";
  RuleSet rules = load({document("[" + rule("general", general) + "," + rule("giant", giant) + "," +
                                     rule("other", other) + "]",
                                 groups)});
  OpenAmount o = open_amount(evaluate(rules, profile(rules, "{}")));
  EXPECT_EQ(o.rules, 3);
  EXPECT_EQ(o.at_most.fixed(2), "2050000.00");
  EXPECT_EQ(o.unbounded, 0);
}

}  // namespace
}  // namespace subsidy

namespace subsidy {
namespace {

using namespace testing_support;

TEST(Projection, ASchedulePaysLessEachYearAndStopsAfterItsYears) {
  // 70% of the premium in year one, 10 points less each following year, at most 3 years.
  std::string amount = R"({"kind": "exact", "formula": {"mul": [
    {"sub": ["70%", {"mul": ["10%", {"sub": [{"fact": "freight", "year": 0}, 1]}]}]},
    {"fact": "premium", "year": 0}]}})";
  std::string when = R"({"fact": "freight", "year": 0, "at_least": 1, "at_most": 3})";
  std::string multi = R"(, "multi_year": {"years": 3, "advance": ["freight"]})";
  RuleSet rules = load({document("[" + rule("sched", amount, when, multi) + "]", "[]", "330802",
                                 "330800", "2023-01-01", "2023-12-31")});
  Profile p = profile(rules, R"({"freight": {"2023": 1}, "premium": {"2023": 100000}})");
  Report report = evaluate(rules, p);
  std::vector<Projection> projections = project(rules, p, report);
  ASSERT_EQ(projections.size(), 1u);
  ASSERT_EQ(projections[0].years.size(), 3u);
  EXPECT_EQ(projections[0].years[0].first, 2023);
  EXPECT_EQ(projections[0].years[0].second->fixed(2), "70000.00");
  EXPECT_EQ(projections[0].years[1].second->fixed(2), "60000.00");
  EXPECT_EQ(projections[0].years[2].first, 2025);
  EXPECT_EQ(projections[0].years[2].second->fixed(2), "50000.00");
}

TEST(Projection, PerItemYearsRunOut) {
  std::string amount = R"({"kind": "exact", "formula": {"sum": {"over": "talents",
    "where": {"value": {"sub": [{"policy_year": true}, {"item": "start"}]}, "less_than": 3},
    "value": {"mul": ["30%", {"item": "salary", "year": 0}]}}}})";
  RuleSet rules =
      load({document("[" + rule("t", amount, "", R"(, "multi_year": {"years": 3})") + "]")});
  Profile p = profile(rules, R"({"talents": [{"salary": {"2023": 1000000}, "start": 2022}]})");
  Report report = evaluate(rules, p);
  std::vector<Projection> projections = project(rules, p, report);
  ASSERT_EQ(projections.size(), 1u);
  EXPECT_EQ(projections[0].years[0].second->fixed(2), "300000.00");  // 2023: second year
  EXPECT_EQ(projections[0].years[1].second->fixed(2), "300000.00");  // 2024: third year
  EXPECT_FALSE(projections[0].years[2].second.has_value());          // 2025: past 3 years
}

}  // namespace
}  // namespace subsidy
