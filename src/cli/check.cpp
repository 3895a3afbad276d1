// `subsidy check [PATH...] [--strict] [--year Y]`: every problem in every rule, vocabulary and test
// file, as "file:line:col (json/pointer): error|warning: message [code]", then a count.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "core/lint.h"
#include "core/ruleset.h"
#include "core/testcases.h"

namespace subsidy::cli {
namespace {

struct CheckOptions {
  std::vector<std::string> paths;
  bool strict = false;
  int year = 0;  // 0: the current year
};

int current_year() {
  auto today = std::chrono::year_month_day(
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
  return static_cast<int>(today.year());
}

int run_check(const CheckOptions& options) {
  FileSet files = read_rule_files(options.paths);
  std::vector<Diagnostic> found;
  Result<RuleSet> rules = load_rule_set(files.sources());
  if (!rules.ok()) {
    found = rules.errors();
  } else {
    std::vector<TestCase> cases =
        load_all_test_cases(files.tests(), rules.value().vocabulary, found);
    std::vector<Diagnostic> lints =
        lint(rules.value(), cases, options.year ? options.year : current_year());
    found.insert(found.end(), lints.begin(), lints.end());
  }
  sort_by_position(found);
  int errors = 0, warnings = 0;
  for (const Diagnostic& d : found) {
    std::cout << format_diagnostic(d) << "\n";
    (d.severity == Severity::Error ? errors : warnings) += 1;
  }
  std::cout << errors << " error(s), " << warnings << " warning(s) in " << files.names.size()
            << " file(s)\n";
  if (errors > 0 || (options.strict && warnings > 0)) return kFindings;
  return kOk;
}

}  // namespace

void setup_check(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* cmd =
      app.add_subcommand("check", "Check rule, vocabulary and test files: every problem, located");
  cmd->add_option("paths", options->paths,
                  "Rule directories or files (default: the built-in rules)");
  cmd->add_flag("--strict", options->strict, "Count warnings as errors");
  cmd->add_option("--year", options->year,
                  "Policy year for the validity warnings (default: this year)")
      ->check(CLI::Range(1990, 2100));
  cmd->callback([options] { throw Done{run_check(*options)}; });
}

}  // namespace subsidy::cli
