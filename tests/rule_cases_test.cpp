// Runs every test case shipped beside the built-in rules (rules/*.tests.json): each expected
// status and amount, to the fen, against the engine.
#include <gtest/gtest.h>

#include "core/builtin_rules.h"
#include "core/ruleset.h"
#include "core/testcases.h"

namespace subsidy {
namespace {

const RuleSet& builtin() {
  static const RuleSet rules = [] {
    Result<RuleSet> r = load_rule_set(builtin_rule_files());
    if (!r.ok()) {
      for (const Diagnostic& d : r.errors()) ADD_FAILURE() << format_diagnostic(d, "en");
      return RuleSet{};
    }
    return std::move(r.value());
  }();
  return rules;
}

std::vector<TestCase> all_cases() {
  std::vector<TestCase> cases;
  for (const SourceText& file : builtin_rule_files()) {
    if (!file.name.ends_with(".tests.json")) continue;
    Result<std::vector<TestCase>> loaded =
        load_test_cases(file.text, file.name, builtin().vocabulary);
    if (!loaded.ok()) {
      for (const Diagnostic& d : loaded.errors()) ADD_FAILURE() << format_diagnostic(d, "en");
      continue;
    }
    cases.insert(cases.end(), loaded.value().begin(), loaded.value().end());
  }
  return cases;
}

TEST(RuleCases, BuiltinRulesLoadCleanly) {
  EXPECT_FALSE(builtin().documents.empty());
}

TEST(RuleCases, EveryRuleHasACase) {
  std::vector<TestCase> cases = all_cases();
  for (const Document& doc : builtin().documents) {
    for (const Rule& rule : doc.rules) {
      bool tested = false;
      for (const TestCase& t : cases) {
        for (const Expectation& e : t.expect) tested = tested || e.rule == rule.id;
      }
      EXPECT_TRUE(tested) << rule.id << " (" << rule.source << ") has no test case";
    }
  }
}

TEST(RuleCases, AllPass) {
  std::vector<TestCase> cases = all_cases();
  ASSERT_GT(cases.size(), 0u);
  int checked = 0;
  for (const TestCase& t : cases) {
    Report report = evaluate(builtin(), t.profile);
    for (const Message& problem : check_case(t, report)) {
      ADD_FAILURE_AT(t.file.c_str(), t.line) << t.name << ": " << problem.en;
    }
    checked += static_cast<int>(t.expect.size());
  }
  EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace subsidy
