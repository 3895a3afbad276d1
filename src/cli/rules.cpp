// `subsidy rules`: browse the rules (list with filters, `show ID`) and print the coverage ledger.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "report/language_text.h"
#include "report/rules_text.h"
#include "report/vocabulary_text.h"

namespace subsidy::cli {
namespace {

struct RulesOptions {
  std::string rules_dir;
  RuleFilter filter;
  Lang lang = Lang::Zh;
  bool coverage = false;
  bool facts = false;
  bool language = false;
  std::string show_id;
  std::string category;  // as typed: resolved to filter.category
};

int run_rules(RulesOptions options) {
  std::shared_ptr<const RuleSet> rule_set = load_rules(options.rules_dir);
  const RuleSet& rules = *rule_set;
  if (!options.filter.region.empty())
    options.filter.region = region_code(options.filter.region, "--region");
  if (!options.category.empty()) options.filter.category = &category_option(options.category);
  if (options.facts) {
    std::cout << render_fact_reference(rules);
    return kOk;
  }
  if (options.language) {
    std::cout << render_language_reference();
    return kOk;
  }
  if (options.coverage) {
    std::cout << render_coverage(rules);
    return kOk;
  }
  if (!options.show_id.empty()) {
    std::string text = render_rule(rules, options.show_id, options.lang);
    if (text.empty()) {
      throw Fatal(kBadInput,
                  msg("no rule with id \"{}\"", "没有 id 为 \"{}\" 的规则", options.show_id));
    }
    std::cout << text;
    return kOk;
  }
  std::cout << render_rule_list(rules, options.filter, options.lang);
  return kOk;
}

}  // namespace

Run setup_rules(CLI::App* cmd, Lang lang) {
  auto options = std::make_shared<RulesOptions>();
  cmd->description(tr(lang, "List the rules, show one, or print the coverage ledger",
                      "列出规则、显示一条规则，或输出覆盖台账"));
  add_rules_option(cmd, options->rules_dir, lang);
  cmd->add_option("--region", options->filter.region,
                  tr(lang,
                     "Only rules that apply to this region (code or name in Chinese or English: "
                     "330802, Kecheng)",
                     "只列出适用于该地区的规则（代码或名称：330802、柯城、Kecheng）"));
  cmd->add_option("--category", options->category,
                  tr(lang,
                     "Only rules of this category, by id or by name as reports show it in either "
                     "language (technical_upgrade)",
                     "只列出该类别的规则（按报告中的写法：技术改造、technical_upgrade）"));
  cmd->add_option("--search", options->filter.search,
                  tr(lang, "Only rules whose id, title, quote or document contains TEXT",
                     "只列出 id、标题、引文或文件中含有 TEXT 的规则"));
  add_lang_option(cmd, options->lang, lang);
  cmd->add_flag(
      "--coverage", options->coverage,
      tr(lang, "Print the coverage ledger (docs/coverage.md)", "输出覆盖台账（docs/coverage.md）"));
  cmd->add_flag(
      "--facts", options->facts,
      tr(lang, "Print the fact reference (docs/facts.md)", "输出事实参考（docs/facts.md）"));
  cmd->add_flag("--language", options->language,
                tr(lang, "Print the rule language reference (docs/language.md)",
                   "输出规则语言参考（docs/language.md）"));
  CLI::App* show = cmd->add_subcommand(
      "show", tr(lang, "Show one rule: quote, conditions, formula, interpretations",
                 "显示一条规则：引文、条件、公式和解读"));
  show->add_option("id", options->show_id, tr(lang, "Rule id", "规则 id"))->required();
  add_lang_option(show, options->lang, lang);
  add_rules_option(show, options->rules_dir, lang);
  return [options] { return run_rules(*options); };
}

}  // namespace subsidy::cli
