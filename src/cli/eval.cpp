// `subsidy eval PROFILE`: evaluates one applicant against the rules and prints the report.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "core/advice.h"
#include "core/engine.h"
#include "core/profile.h"
#include "report/html.h"
#include "report/render.h"

namespace subsidy::cli {
namespace {

struct EvalOptions {
  std::string profile;
  std::string rules_dir;
  std::string format = "table";
  std::string lang = "zh";
  bool all_advice = false;
};

int run_eval(const EvalOptions& options) {
  RuleSet rules = load_rules(options.rules_dir);
  std::string text = read_input(options.profile);
  std::string source = options.profile == "-" ? "<stdin>" : options.profile;
  Result<Profile> profile = load_profile(text, source, rules.vocabulary);
  if (!profile.ok()) throw diagnostics_error(kBadInput, profile.errors(), source);
  Report report = evaluate(rules, profile.value());
  ReportExtras extras;
  extras.advice = advise(rules, profile.value(), report);
  extras.missing = rank_missing(report);
  extras.projections = project(rules, profile.value(), report);
  if (options.all_advice) extras.advice_shown = extras.advice.size();
  if (options.format == "html") {
    std::cout << render_html(report, options.lang, extras);
    return report.overflow ? kBadInput : kOk;
  }
  Format format = options.format == "json"  ? Format::Json
                  : options.format == "csv" ? Format::Csv
                  : options.format == "md"  ? Format::Markdown
                                            : Format::Table;
  std::cout << render_report(report, format, options.lang, extras);
  return report.overflow ? kBadInput : kOk;
}

}  // namespace

void setup_eval(CLI::App& app) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand(
      "eval", "Evaluate one profile: which subsidies it can claim, how much, and why");
  cmd->add_option("profile", options->profile, "Profile JSON file (- for standard input)")
      ->required();
  cmd->add_option("--rules", options->rules_dir,
                  "Directory of rule files to use instead of the built-in rules");
  cmd->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"table", "json", "csv", "md", "html"}))
      ->capture_default_str();
  cmd->add_option("--lang", options->lang, "Language of the report")
      ->check(CLI::IsMember({"zh", "en"}))
      ->capture_default_str();
  cmd->add_flag(
      "--advice", options->all_advice,
      "Show every near-miss suggestion (the table shows the five that unlock the most per unit)");
  cmd->callback([options] { throw Done{run_eval(*options)}; });
}

}  // namespace subsidy::cli
