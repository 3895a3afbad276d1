// `subsidy test [PATH...] [--filter ID] [--junit FILE]`: runs the test cases beside the rule files
// (*.tests.json), prints each mismatch with the rule's failures, missing facts and trace, and ends
// with "N passed, M failed".
#include <CLI/CLI.hpp>
#include <iostream>

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
};

bool names_rule(const TestCase& t, const std::string& id) {
  for (const Expectation& e : t.expect) {
    if (e.rule == id) return true;
  }
  return false;
}

// What the engine said about the rules a case names: the evidence for a failure.
std::string details(const TestCase& t, const Report& report) {
  std::string out;
  for (const Expectation& e : t.expect) {
    for (const DocumentResult& d : report.documents) {
      for (const RuleResult& r : d.rules) {
        if (r.rule->id != e.rule) continue;
        for (const Failure& f : r.failures)
          out += "    " + e.rule + ": " + explain_failure(f, report, "en") + "\n";
        for (const Missing& m : r.missing)
          out += "    " + e.rule + ": " + explain_missing(m, report, "en") + "\n";
        for (const TraceStep& s : r.trace)
          out += "    " + e.rule + ": " + s.step + ": " + s.detail + "\n";
      }
    }
  }
  return out;
}

int run_test(const TestOptions& options) {
  FileSet files = read_rule_files(options.paths);
  Result<RuleSet> rules = load_rule_set(files.sources());
  if (!rules.ok()) throw diagnostics_error(kBadRules, rules.errors(), "the rule files");
  std::vector<Diagnostic> problems;
  std::vector<TestCase> cases =
      load_all_test_cases(files.tests(), rules.value().vocabulary, problems);
  if (!problems.empty()) throw diagnostics_error(kBadInput, problems, "the test files");

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
    Report report = evaluate(rules.value(), t.profile);
    o.problems = check_case(t, report);
    if (o.problems.empty()) {
      ++passed;
    } else {
      ++failed;
      o.details = details(t, report);
      std::cout << "FAIL " << t.file << ":" << t.line << ": " << t.name << "\n";
      for (const std::string& m : o.problems) std::cout << "  " << m << "\n";
      std::cout << o.details;
    }
    outcomes.push_back(std::move(o));
  }
  if (!options.junit.empty()) write_file_atomically(options.junit, render_junit(outcomes));
  std::cout << passed << " passed, " << failed << " failed";
  if (skipped > 0) std::cout << ", " << skipped << " skipped";
  std::cout << "\n";
  return failed > 0 ? kFindings : kOk;
}

}  // namespace

void setup_test(CLI::App& app) {
  auto options = std::make_shared<TestOptions>();
  CLI::App* cmd = app.add_subcommand(
      "test", "Run the test cases beside the rule files (*.tests.json) against the engine");
  cmd->add_option("paths", options->paths,
                  "Rule directories or files (default: the built-in rules)");
  cmd->add_option("--filter", options->filter, "Only the cases that name this rule id");
  cmd->add_option("--junit", options->junit, "Also write the results as JUnit XML to FILE");
  cmd->callback([options] { throw Done{run_test(*options)}; });
}

}  // namespace subsidy::cli
