// `subsidy test [PATH...] [--filter ID] [--junit FILE] [--lang zh|en]`: runs the test cases beside
// the rule files (*.tests.json), prints each mismatch with the rule's failures, missing facts and
// trace, and ends with "N passed, M failed" (通过 N 个，失败 M 个).
#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "core/engine.h"
#include "core/ruleset.h"
#include "core/testcases.h"
#include "report/junit.h"
#include "report/render.h"

namespace subsidy::cli {
namespace {

struct TestOptions {
  std::vector<std::string> paths;
  std::string filter;
  std::string junit;
  Lang lang = Lang::Zh;
};

bool names_rule(const TestCase& t, const std::string& id) {
  for (const Expectation& e : t.expect) {
    if (e.rule == id) return true;
  }
  return false;
}

// What the engine said about the rules a case names: the evidence for a failure.
std::string details(const TestCase& t, const Report& report, Lang lang) {
  std::string out;
  for (const Expectation& e : t.expect) {
    for (const DocumentResult& d : report.documents) {
      for (const RuleResult& r : d.rules) {
        if (r.rule->id != e.rule) continue;
        for (const Failure& f : r.failures)
          out += "    " + e.rule + ": " + explain_failure(f, report, lang) + "\n";
        for (const Missing& m : r.missing)
          out += "    " + e.rule + ": " + explain_missing(m, report, lang) + "\n";
        for (const TraceStep& s : r.trace) {
          // English keeps the step's identifier, as this output always has.
          std::string step =
              lang == Lang::En ? std::string(step_kind_info(s.step).key) : step_label(s.step, lang);
          out += "    " + e.rule + ": " + step + ": " + s.detail.in(lang) + "\n";
        }
      }
    }
  }
  return out;
}

int run_test(const TestOptions& options) {
  FileSet files = read_rule_files(options.paths);
  // Checked before any case runs: a bad path, or a rule file named by mistake, stops at once.
  std::optional<OutputFile> junit;
  if (!options.junit.empty())
    junit.emplace(options.junit, options.paths.empty() ? std::vector<std::string>{} : files.names);
  Result<std::shared_ptr<const RuleSet>> rules = load_rule_set(files.sources());
  if (!rules.ok()) throw diagnostics_error(kBadRules, rules.errors(), kRuleFiles);
  std::vector<Diagnostic> problems;
  std::vector<TestCase> cases =
      load_all_test_cases(files.tests(), rules.value()->vocabulary(), problems);
  if (!problems.empty()) throw diagnostics_error(kBadInput, problems, kTestFiles);

  std::vector<CaseOutcome> outcomes;
  int passed = 0, failed = 0, skipped = 0;
  for (const TestCase& t : cases) {
    CaseOutcome o;
    o.file = t.file;
    o.name = t.name;
    if (!options.filter.empty() && !names_rule(t, options.filter)) {
      o.skipped = true;
      ++skipped;
      outcomes.push_back(std::move(o));
      continue;
    }
    Report report = evaluate(*rules.value(), t.profile);
    for (const Message& m : check_case(t, report)) o.problems.push_back(m.in(options.lang));
    if (o.problems.empty()) {
      ++passed;
    } else {
      ++failed;
      o.details = details(t, report, options.lang);
      std::cout << tr(options.lang, "FAIL ", "失败 ") << t.file << ":" << t.line << ": " << t.name
                << "\n";
      for (const std::string& m : o.problems) std::cout << "  " << m << "\n";
      std::cout << o.details;
    }
    outcomes.push_back(std::move(o));
  }
  if (junit) {
    junit->write(render_junit(outcomes));
    junit->commit();
  }
  if (options.lang == Lang::En) {
    std::cout << passed << " passed, " << failed << " failed";
    if (skipped > 0) std::cout << ", " << skipped << " skipped";
  } else {
    std::cout << "通过 " << passed << " 个，失败 " << failed << " 个";
    if (skipped > 0) std::cout << "，跳过 " << skipped << " 个";
  }
  std::cout << "\n";
  return failed > 0 ? kFindings : kOk;
}

}  // namespace

Run setup_test(CLI::App* cmd, Lang lang) {
  auto options = std::make_shared<TestOptions>();
  cmd->description(tr(lang,
                      "Run the test cases beside the rule files (*.tests.json) against the engine",
                      "用引擎运行规则文件旁的测试用例（*.tests.json）"));
  cmd->add_option("paths", options->paths,
                  tr(lang, "Rule directories or files (default: the built-in rules)",
                     "规则目录或文件（默认：内置规则）"));
  cmd->add_option(
      "--filter", options->filter,
      tr(lang, "Only the cases that name this rule id", "只运行涉及该规则 id 的测试用例"));
  cmd->add_option("--junit", options->junit,
                  tr(lang, "Also write the results as JUnit XML to FILE",
                     "同时把结果以 JUnit XML 格式写入 FILE"));
  add_lang_option(cmd, options->lang, lang);
  return [options] { return run_test(*options); };
}

}  // namespace subsidy::cli
