// `subsidy test [DIR] [--filter ID]`: runs the test cases beside the rule files (*.tests.json) and
// reports each mismatch with the rule's explanation; ends with "N passed, M failed".
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "core/builtin_rules.h"
#include "core/engine.h"
#include "core/testcases.h"
#include "report/render.h"

namespace subsidy::cli {
namespace {

struct TestOptions {
  std::string rules_dir;
  std::string filter;
};

bool names_rule(const TestCase& t, const std::string& id) {
  for (const Expectation& e : t.expect) {
    if (e.rule == id) return true;
  }
  return false;
}

int run_test(const TestOptions& options) {
  RuleSet rules = load_rules(options.rules_dir);
  std::vector<std::pair<std::string, std::string>> files;  // name, text
  if (options.rules_dir.empty()) {
    for (const SourceText& f : builtin_rule_files()) {
      if (f.name.ends_with(".tests.json")) files.emplace_back(f.name, std::string(f.text));
    }
  } else {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(options.rules_dir)) {
      std::string name = entry.path().string();
      if (entry.is_regular_file() && name.ends_with(".tests.json")) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) files.emplace_back(name, read_input(name));
  }
  std::vector<TestCase> cases;
  std::vector<Diagnostic> problems;
  for (const auto& [name, text] : files) {
    Result<std::vector<TestCase>> loaded = load_test_cases(text, name, rules.vocabulary);
    if (!loaded.ok()) {
      problems.insert(problems.end(), loaded.errors().begin(), loaded.errors().end());
      continue;
    }
    cases.insert(cases.end(), loaded.value().begin(), loaded.value().end());
  }
  if (!problems.empty()) throw diagnostics_error(kBadInput, problems, "the test files");
  int passed = 0, failed = 0, skipped = 0;
  for (const TestCase& t : cases) {
    if (!options.filter.empty() && !names_rule(t, options.filter)) {
      ++skipped;
      continue;
    }
    Report report = evaluate(rules, t.profile);
    std::vector<std::string> mismatches = check_case(t, report);
    if (mismatches.empty()) {
      ++passed;
      continue;
    }
    ++failed;
    std::cout << "FAIL " << t.file << ":" << t.line << ": " << t.name << "\n";
    for (const std::string& m : mismatches) std::cout << "  " << m << "\n";
    for (const Expectation& e : t.expect) {
      for (const DocumentResult& d : report.documents) {
        for (const RuleResult& r : d.rules) {
          if (r.rule->id != e.rule) continue;
          for (const Failure& f : r.failures) {
            std::cout << "    " << e.rule << ": " << explain_failure(f, report, "en") << "\n";
          }
          for (const Missing& m : r.missing) {
            std::cout << "    " << e.rule << ": " << explain_missing(m, report, "en") << "\n";
          }
          for (const TraceStep& s : r.trace) {
            std::cout << "    " << e.rule << ": " << s.step << ": " << s.detail << "\n";
          }
        }
      }
    }
  }
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
  cmd->add_option("rules", options->rules_dir,
                  "Directory of rule and test files (default: the built-in rules)");
  cmd->add_option("--filter", options->filter, "Only the cases that name this rule id");
  cmd->callback([options] { throw Done(run_test(*options)); });
}

}  // namespace subsidy::cli
