// `subsidy eval PROFILE`: evaluates one applicant against the rules and prints the report.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "core/advice.h"
#include "core/csv.h"
#include "core/engine.h"
#include "core/profile.h"
#include "report/render.h"
#include "report/unread_text.h"

namespace subsidy::cli {
namespace {

struct EvalOptions {
  std::string profile;
  std::string rules_dir;
  Format format = Format::Table;
  Lang lang = Lang::Zh;
  bool all_advice = false;
  bool all_rules = false;
  bool strict = false;
  bool excel = false;
};

int run_eval(const EvalOptions& options) {
  if (options.excel && options.format != Format::Csv) {
    throw Fatal(kUsage, {"--excel applies only to --format csv", "--excel 只用于 --format csv"});
  }
  std::shared_ptr<const RuleSet> rule_set = load_rules(options.rules_dir);
  const RuleSet& rules = *rule_set;
  std::string text = read_input(options.profile);
  std::string source = options.profile == "-" ? "<stdin>" : options.profile;
  Result<Profile> profile = load_profile(text, source, rules.vocabulary());
  if (!profile.ok()) throw diagnostics_error(kBadInput, profile.errors(), {source, source});
  // Facts no rule in force for this applicant reads: warnings, or with --strict bad input.
  std::vector<UnreadFact> unread = unread_facts(rules, profile.value());
  if (options.strict && !unread.empty()) {
    throw diagnostics_error(kBadInput,
                            unread_facts_diagnostics(unread, rules, profile.value(), true),
                            {source, source});
  }
  Report report = evaluate(rules, profile.value());
  // A total that overflowed is partial: no report rather than a wrong total. A rule that
  // overflowed is marked in the report (its error in place of an amount), and the totals are
  // right without it: the report is printed, then the error, and the exit code is 3 either way.
  std::optional<Message> error = evaluation_error(report);
  if (report.overflow) {
    throw Fatal(kBadInput, msg("{0}; no report printed", "{1}；未输出报告", error->en, error->zh));
  }
  ReportExtras extras;
  extras.advice = advise(rules, profile.value(), report);
  extras.missing = rank_missing(report);
  extras.projections = project(rules, profile.value(), report);
  if (options.all_advice) extras.advice_shown = extras.advice.size();
  extras.all_rules = options.all_rules;
  if (options.format == Format::Csv) {  // no place for them in the CSV: on standard error
    for (const Diagnostic& d : unread_facts_diagnostics(unread, rules, profile.value(), false))
      std::cerr << format_diagnostic(d, options.lang) << "\n";
  }
  extras.unread = std::move(unread);
  extras.stamp = report_stamp(rules);
  if (options.excel) std::cout << csv::kUtf8Bom;
  std::cout << render_report(report, options.format, options.lang, extras);
  if (error) {
    std::cout.flush();
    throw Fatal(kBadInput, *error);
  }
  return kOk;
}

}  // namespace

Run setup_eval(CLI::App* cmd, Lang lang) {
  auto options = std::make_shared<EvalOptions>();
  cmd->description(tr(lang, "Evaluate one profile: which subsidies it can claim, how much, and why",
                      "评估一个申请人：可申领哪些补贴、金额多少、依据何在"));
  cmd->add_option("profile", options->profile,
                  tr(lang, "Profile JSON file (- for standard input)",
                     "申请人档案 JSON 文件（- 表示标准输入）"))
      ->required();
  add_rules_option(cmd, options->rules_dir, lang);
  add_format_option(cmd, "--format", options->format,
                    {Format::Table, Format::Json, Format::Csv, Format::Markdown, Format::Html},
                    tr(lang, "Output format", "输出格式"));
  add_lang_option(cmd, options->lang, lang);
  cmd->add_flag("--advice", options->all_advice,
                tr(lang,
                   "Show every near-miss suggestion (the table shows the five that unlock the most "
                   "per unit)",
                   "列出所有差一点达标的建议（表格默认只列出单位变化解锁金额最多的五条）"));
  cmd->add_flag("--all", options->all_rules,
                tr(lang,
                   "List every rule, also those that do not concern the applicant (a title, role "
                   "or category it does not have)",
                   "列出所有政策，包括与本申请主体无关的（缺少所需的称号、身份或类别）"));
  add_strict_option(cmd, options->strict, lang);
  add_excel_option(cmd, options->excel, lang);
  return [options] { return run_eval(*options); };
}

}  // namespace subsidy::cli
