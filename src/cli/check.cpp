// `subsidy check [PATH...] [--strict] [--year Y] [--lang zh|en]`: every problem in every rule,
// vocabulary and test file, as "file:line:col (json/pointer): error|warning: message [code]" (错误|
// 警告 in Chinese), then a count.
#include <fmt/format.h>

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
  Lang lang = Lang::Zh;
};

int current_year() {
  auto today = std::chrono::year_month_day(
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
  return static_cast<int>(today.year());
}

int run_check(const CheckOptions& options) {
  FileSet files = read_rule_files(options.paths);
  std::vector<Diagnostic> found;
  Result<std::shared_ptr<const RuleSet>> rules = load_rule_set(files.sources());
  if (!rules.ok()) {
    found = rules.errors();
  } else {
    std::vector<TestCase> cases =
        load_all_test_cases(files.tests(), rules.value()->vocabulary(), found);
    std::vector<Diagnostic> lints =
        lint(*rules.value(), cases, options.year ? options.year : current_year());
    found.insert(found.end(), lints.begin(), lints.end());
  }
  cap_per_file(found);
  std::size_t errors = 0, warnings = 0;
  for (const Diagnostic& d : found) {
    std::cout << format_diagnostic(d, options.lang) << "\n";
    (d.severity == Severity::Error ? errors : warnings) += d.code == kTooMany ? d.omitted : 1;
  }
  std::cout << (options.lang == Lang::En ? fmt::format("{} error(s), {} warning(s) in {} file(s)\n",
                                                       errors, warnings, files.names.size())
                                         : fmt::format("{} 个文件中有 {} 个错误、{} 个警告\n",
                                                       files.names.size(), errors, warnings));
  if (errors > 0 || (options.strict && warnings > 0)) return kFindings;
  return kOk;
}

}  // namespace

Run setup_check(CLI::App* cmd, Lang lang) {
  auto options = std::make_shared<CheckOptions>();
  cmd->description(tr(lang, "Check rule, vocabulary and test files: every problem, located",
                      "检查规则文件、事实词汇表和测试用例文件：列出每个问题及其位置"));
  cmd->add_option("paths", options->paths,
                  tr(lang, "Rule directories or files (default: the built-in rules)",
                     "规则目录或文件（默认：内置规则）"));
  cmd->add_flag("--strict", options->strict,
                tr(lang, "Count warnings as errors", "把警告也算作错误"));
  cmd->add_option("--year", options->year,
                  tr(lang, "Policy year for the validity warnings (default: this year)",
                     "有效期警告所依据的政策年度（默认：今年）"))
      ->check(CLI::Range(1990, 2100));
  add_lang_option(cmd, options->lang, lang);
  return [options] { return run_check(*options); };
}

}  // namespace subsidy::cli
