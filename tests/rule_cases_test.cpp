// Runs every test case shipped beside the built-in rules (rules/*.tests.json): each expected
// status and amount, to the fen, against the engine.
#include <gtest/gtest.h>

#include "core/builtin_rules.h"
#include "core/ruleset.h"
#include "core/testcases.h"
#include "report/render.h"

namespace subsidy {
namespace {

const RuleSet& builtin() {
  static const RuleSet rules = [] {
    Result<std::shared_ptr<const RuleSet>> r = load_rule_set(builtin_rule_files());
    if (!r.ok()) {
      for (const Diagnostic& d : r.errors()) ADD_FAILURE() << format_diagnostic(d, Lang::En);
      return RuleSet(RuleSet::Parts{});
    }
    return *r.value();
  }();
  return rules;
}

std::vector<TestCase> all_cases() {
  std::vector<TestCase> cases;
  for (const SourceText& file : builtin_rule_files()) {
    if (!file.name.ends_with(".tests.json")) continue;
    Result<std::vector<TestCase>> loaded =
        load_test_cases(file.text, file.name, builtin().vocabulary());
    if (!loaded.ok()) {
      for (const Diagnostic& d : loaded.errors()) ADD_FAILURE() << format_diagnostic(d, Lang::En);
      continue;
    }
    cases.insert(cases.end(), loaded.value().begin(), loaded.value().end());
  }
  return cases;
}

TEST(RuleCases, BuiltinRulesLoadCleanly) {
  EXPECT_FALSE(builtin().documents().empty());
}

// The catalogue of titles and events: every value of every enum of the shipped vocabulary (all
// certification types, levels and statuses, and every other enum) has a Chinese and an English
// name, so adding a value without describing it fails here.
TEST(Catalogue, EveryEnumValueHasAChineseAndAnEnglishName) {
  auto check = [](const FactDecl& decl, const std::string& where) {
    if (decl.type != FactType::Enum) return;
    ASSERT_FALSE(decl.values.empty()) << where;
    for (std::size_t i = 0; i < decl.values.size(); ++i) {
      EXPECT_FALSE(decl.label(i).zh.empty())
          << where << " = " << decl.values[i]
          << " has no Chinese name (\"labels\" in rules/facts*.json)";
      EXPECT_FALSE(decl.label(i).en.empty())
          << where << " = " << decl.values[i]
          << " has no English name (\"labels\" in rules/facts*.json)";
    }
  };
  int enums = 0;
  for (const FactDecl& f : builtin().vocabulary().facts) {
    check(f, f.name);
    enums += f.type == FactType::Enum;
    for (const FactDecl& field : f.fields) {
      check(field, f.name + "." + field.name);
      enums += field.type == FactType::Enum;
    }
  }
  EXPECT_GE(enums, 6);
  const FactDecl& certs = builtin().vocabulary().facts[static_cast<std::size_t>(
      builtin().vocabulary().index_of("certifications"))];
  EXPECT_GE(certs.fields[static_cast<std::size_t>(certs.field_index("type"))].values.size(), 90u);
}

TEST(RuleCases, EveryRuleHasACase) {
  std::vector<TestCase> cases = all_cases();
  for (const Document& doc : builtin().documents()) {
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

// Batch evaluates without traces, failure reasons or the list of missing facts; that must not
// change any status, amount, cap, payer split or stacking outcome, for any case in any document.
TEST(RuleCases, LeanEvaluationAgreesWithFull) {
  EvalOptions lean;
  lean.trace = false;
  lean.reasons = false;
  int compared = 0;
  for (const TestCase& t : all_cases()) {
    Report full = evaluate(builtin(), t.profile);
    Report fast = evaluate(builtin(), t.profile, lean);
    ASSERT_EQ(full.documents.size(), fast.documents.size()) << t.name;
    EXPECT_EQ(full.total, fast.total) << t.name;
    EXPECT_EQ(full.tax_relief, fast.tax_relief) << t.name;
    EXPECT_EQ(full.total_is_floor, fast.total_is_floor) << t.name;
    for (std::size_t d = 0; d < full.documents.size(); ++d) {
      const DocumentResult& a = full.documents[d];
      const DocumentResult& b = fast.documents[d];
      ASSERT_EQ(a.rules.size(), b.rules.size()) << t.name;
      EXPECT_EQ(a.by_payer, b.by_payer) << t.name;
      for (std::size_t i = 0; i < a.rules.size(); ++i) {
        const RuleResult& x = a.rules[i];
        const RuleResult& y = b.rules[i];
        std::string where = t.name + " / " + x.rule->id;
        EXPECT_EQ(x.status, y.status) << where;
        EXPECT_EQ(x.amount, y.amount) << where;
        EXPECT_EQ(x.cap_applied, y.cap_applied) << where;
        EXPECT_EQ(x.excluded_by, y.excluded_by) << where;
        EXPECT_TRUE(y.missing.empty()) << where;
        if (x.status == Status::NeedsInfo) {
          EXPECT_FALSE(x.missing.empty()) << where;
        }
        ASSERT_EQ(x.payers.size(), y.payers.size()) << where;
        for (std::size_t k = 0; k < x.payers.size(); ++k) {
          EXPECT_EQ(x.payers[k].payer, y.payers[k].payer) << where;
          EXPECT_EQ(x.payers[k].amount, y.payers[k].amount) << where;
        }
        EXPECT_TRUE(y.failures.empty() && y.trace.empty()) << where;
        if (x.status == Status::NotEligible) {
          EXPECT_FALSE(x.failures.empty()) << where;
        }
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 10000);
}

// Explain mode records every part tested, so it takes none of the engine's shortcuts: otherwise
// `has` passes over an item that a required `is` already rules out (Has::screen), and a fact
// compared with constants is decided without the general comparison. Both must give every rule
// the same status, amount, missing facts and reasons.
TEST(RuleCases, ShortcutsAgreeWithExplainMode) {
  EvalOptions every_part;
  every_part.explain = true;
  int compared = 0;
  for (const TestCase& t : all_cases()) {
    Report screened = evaluate(builtin(), t.profile);
    Report full = evaluate(builtin(), t.profile, every_part);
    ASSERT_EQ(screened.documents.size(), full.documents.size()) << t.name;
    for (std::size_t d = 0; d < full.documents.size(); ++d) {
      const std::vector<RuleResult>& a = screened.documents[d].rules;
      const std::vector<RuleResult>& b = full.documents[d].rules;
      ASSERT_EQ(a.size(), b.size()) << t.name;
      for (std::size_t i = 0; i < a.size(); ++i) {
        std::string where = t.name + " / " + a[i].rule->id;
        EXPECT_EQ(a[i].status, b[i].status) << where;
        EXPECT_EQ(a[i].amount, b[i].amount) << where;
        EXPECT_EQ(a[i].missing, b[i].missing) << where;
        ASSERT_EQ(a[i].failures.size(), b[i].failures.size()) << where;
        for (std::size_t k = 0; k < a[i].failures.size(); ++k) {
          EXPECT_EQ(a[i].failures[k].relation, b[i].failures[k].relation) << where;
          EXPECT_EQ(a[i].failures[k].actual, b[i].failures[k].actual) << where;
          EXPECT_EQ(a[i].failures[k].threshold, b[i].failures[k].threshold) << where;
        }
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 10000);
}

// Batch evaluates profile after profile into one Report, reusing its storage. Whatever the
// previous profile left (another region's documents, failures, traces, checks, exclusions), the
// result must be what a fresh evaluation gives: compared through the complete JSON report.
TEST(RuleCases, ReusedReportEqualsFreshOne) {
  EvalOptions all;
  all.explain = true;
  EvalOptions lean;
  lean.trace = false;
  lean.reasons = false;
  for (const EvalOptions& options : {all, lean}) {
    Report reused;
    int compared = 0;
    for (const TestCase& t : all_cases()) {
      Report fresh = evaluate(builtin(), t.profile, options);
      evaluate(builtin(), t.profile, options, reused);
      std::string where = t.name + (options.explain ? " (explain)" : " (lean)");
      ASSERT_EQ(render_report(fresh, Format::Json, Lang::En),
                render_report(reused, Format::Json, Lang::En))
          << where;
      // Fields the JSON shows only for some statuses must not linger either.
      ASSERT_EQ(fresh.documents.size(), reused.documents.size()) << where;
      for (std::size_t d = 0; d < fresh.documents.size(); ++d) {
        const std::vector<RuleResult>& a = fresh.documents[d].rules;
        const std::vector<RuleResult>& b = reused.documents[d].rules;
        ASSERT_EQ(a.size(), b.size()) << where;
        for (std::size_t i = 0; i < a.size(); ++i) {
          EXPECT_EQ(a[i].rule, b[i].rule) << where;
          EXPECT_EQ(a[i].before_cap, b[i].before_cap) << where;
          EXPECT_EQ(a[i].cap, b[i].cap) << where;
          EXPECT_EQ(a[i].excluded_by, b[i].excluded_by) << where;
          EXPECT_EQ(a[i].group, b[i].group) << where;
          EXPECT_EQ(a[i].error, b[i].error) << where;
          EXPECT_EQ(a[i].payers.size(), b[i].payers.size()) << where;
          EXPECT_EQ(a[i].failures.size(), b[i].failures.size()) << where;
          EXPECT_EQ(a[i].missing, b[i].missing) << where;
          EXPECT_EQ(a[i].trace.size(), b[i].trace.size()) << where;
          EXPECT_EQ(a[i].checks.size(), b[i].checks.size()) << where;
        }
      }
      ++compared;
    }
    EXPECT_GT(compared, 1000);
  }
}

}  // namespace
}  // namespace subsidy
