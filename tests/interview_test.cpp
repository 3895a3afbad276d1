// The guided interview's core: which question comes next, and what a typed answer means.
#include "core/interview.h"

#include <gtest/gtest.h>

#include "report/interview_text.h"
#include "test_support.h"

namespace subsidy {
namespace {

using namespace testing_support;

const FactDecl& decl(const RuleSet& rules, const char* name) {
  return rules.vocabulary().facts[static_cast<std::size_t>(rules.vocabulary().index_of(name))];
}

RuleSet one_rule() {
  return load({document("[" + rule("r", R"({"kind": "exact", "formula": "1万"})") + "]")});
}

std::string answer(const FactDecl& d, const char* text) {
  Message error;
  std::optional<Scalar> s = parse_answer(d, text, &error);
  if (!s) return "error: " + error.en;
  if (const Decimal* n = std::get_if<Decimal>(&*s)) return n->str();
  if (const bool* b = std::get_if<bool>(&*s)) return *b ? "true" : "false";
  return std::get<std::string>(*s);
}

TEST(Interview, AnswersAreReadAsTheFactsTypeSays) {
  RuleSet rules = one_rule();
  struct Case {
    const char* fact;
    const char* text;
    const char* expected;  // the value, or the start of "error: ..."
  } cases[] = {
      {"revenue", "350万", "3500000"},
      {"revenue", " 1.2亿 ", "120000000"},
      {"revenue", "1234.5", "1234.5"},
      {"revenue", "-5", "error: cannot be negative"},
      {"revenue", "5%", "error: a percentage is only for a ratio"},
      {"revenue", "abc", "error: \"abc\": "},
      {"little_giant", "是", "true"},
      {"little_giant", "否", "false"},
      {"little_giant", "Y", "true"},
      {"little_giant", "n", "false"},
      {"little_giant", "true", "true"},
      {"little_giant", "FALSE", "false"},
      {"little_giant", "maybe", "error: \"maybe\" is not yes or no"},
      {"level", "provincial", "provincial"},
      {"level", "1", "national"},
      {"level", "省级", "provincial"},          // the Chinese name (labels)
      {"level", "national level", "national"},  // the English name, in any case
      {"level", "省", "error: \"省\" is not one of the choices"},
      {"level", "3", "error: \"3\" is not one of the choices: 1 national, 2 provincial"},
  };
  for (const Case& c : cases) {
    std::string got = answer(decl(rules, c.fact), c.text);
    EXPECT_TRUE(got.starts_with(c.expected)) << c.fact << " " << c.text << " -> " << got;
  }
}

TEST(Interview, AskesFirstTheFactTheMostMoneyDependsOnAndNeverTheSkippedOnes) {
  std::string small = R"({"kind": "exact", "formula": "1万"})";
  std::string big = R"({"kind": "exact", "formula": "50万"})";
  std::string open = R"({"kind": "unspecified"})";
  RuleSet rules =
      load({document("[" + rule("small", small, R"({"fact": "little_giant", "is": true})") + "," +
                     rule("big", big, R"({"fact": "rd", "year": -1, "at_least": "100万"})") + "," +
                     rule("open", open, R"({"fact": "level", "is": "national"})") + "]")});
  Profile p = profile(rules, "{}");
  Report report = evaluate(rules, p);
  std::vector<Question> qs = open_questions(report, {});
  // `level` decides only a rule without an amount: it cannot change the total, it is not asked.
  ASSERT_EQ(qs.size(), 2u);
  EXPECT_EQ(qs[0].missing.fact, rules.vocabulary().index_of("rd"));
  EXPECT_EQ(qs[0].year, 2022);
  EXPECT_EQ(qs[1].missing.fact, rules.vocabulary().index_of("little_giant"));
  qs = open_questions(report, {{rules.vocabulary().index_of("rd"), -1, -1, 2022}});
  ASSERT_EQ(qs.size(), 1u);
  EXPECT_EQ(qs[0].missing.fact, rules.vocabulary().index_of("little_giant"));
}

// A list is asked as a count, then the fields of each item that the rules still need.
TEST(Interview, AListIsAskedAsACountThenItemByItem) {
  std::string when = R"({"has": {"over": "certifications", "where": {"all": [
    {"item": "type", "is": "little_giant"}, {"item": "level", "is": "national"}]}}})";
  RuleSet rules =
      load({document("[" + rule("cert", R"({"kind": "exact", "formula": "10万"})", when) + "]")});
  Profile p = profile(rules, "{}");
  std::vector<Question> qs = open_questions(evaluate(rules, p), {});
  ASSERT_EQ(qs.size(), 1u);
  EXPECT_TRUE(qs[0].count());
  Message error;
  EXPECT_EQ(parse_count("51", &error), std::nullopt);
  EXPECT_EQ(parse_count("x", &error), std::nullopt);
  apply_count(p, qs[0], *parse_count(" 2 ", &error));
  qs = open_questions(evaluate(rules, p), {});
  // Item by item, each field the rules read while it is unknown.
  ASSERT_EQ(qs.size(), 4u);
  const FactDecl& list = rules.vocabulary().facts[static_cast<std::size_t>(qs[0].missing.fact)];
  int type = list.field_index("type");
  int level = list.field_index("level");
  EXPECT_EQ(std::tie(qs[0].item, qs[0].field), std::make_tuple(0, type));
  EXPECT_EQ(qs[0].choices, std::vector<int>{1});  // the one type the rule asks about
  EXPECT_EQ(qs[1].choices, std::vector<int>{0});
  EXPECT_EQ(std::tie(qs[1].item, qs[1].field), std::make_tuple(0, level));
  EXPECT_EQ(std::tie(qs[2].item, qs[2].field), std::make_tuple(1, type));
  qs = {qs[0], qs[2]};
  apply_answer(p, rules.vocabulary(), qs[0], Scalar(std::string("little_giant")));
  apply_answer(p, rules.vocabulary(), qs[1], Scalar(std::string("incubator")));
  qs = open_questions(evaluate(rules, p), {});
  ASSERT_EQ(qs.size(), 1u);  // the second item can no longer pay: only the first's level
  EXPECT_EQ(std::tie(qs[0].item, qs[0].field), std::make_tuple(0, level));
  apply_answer(p, rules.vocabulary(), qs[0], Scalar(std::string("national")));
  Report done = evaluate(rules, p);
  EXPECT_EQ(done.total.str(), "100000");
  EXPECT_TRUE(open_questions(done, {}).empty());
}

TEST(Interview, TheWrittenProfileReadsBackToTheSameFacts) {
  RuleSet rules = one_rule();
  Profile p = profile(rules,
                      R"({"rd": {"2022": "1234567.123456", "2023": 5}, "little_giant": false,
                          "level": "national", "talents": [{"salary": {"2023": 900000}}, {}]})");
  p.facts[static_cast<std::size_t>(rules.vocabulary().index_of("revenue"))] = FactValue{};
  set_number(p, rules.vocabulary(), rules.vocabulary().index_of("revenue"), 2021,
             Decimal::from_units(1));
  std::string json = render_profile_json(p, rules.vocabulary());
  Result<Profile> back = load_profile(json, "back.json", rules.vocabulary());
  ASSERT_TRUE(back.ok()) << json;
  EXPECT_EQ(render_profile_json(back.value(), rules.vocabulary()), json);
  EXPECT_NE(json.find("\"2022\": 1234567.123456"), std::string::npos) << json;
  EXPECT_NE(json.find("\"2021\": 0.000001"), std::string::npos) << json;
}

TEST(Interview, RegionsAreCodesThatSomeDocumentCovers) {
  RuleSet rules = one_rule();
  EXPECT_EQ(resolve_region(rules, "330802"), "330802");
  EXPECT_EQ(resolve_region(rules, " 330802 "), "330802");
  EXPECT_EQ(resolve_region(rules, "330803"), std::nullopt);  // the test document is 330802's only
  EXPECT_EQ(resolve_region(rules, "3308"), std::nullopt);
}

}  // namespace
}  // namespace subsidy
