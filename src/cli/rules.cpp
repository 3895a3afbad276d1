// `subsidy rules`: browse the rules (list with filters, `show ID`) and print the coverage ledger.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "report/rules_text.h"
#include "report/vocabulary_text.h"

namespace subsidy::cli {
namespace {

struct RulesOptions {
  std::string rules_dir;
  RuleFilter filter;
  std::string lang = "zh";
  bool coverage = false;
  bool facts = false;
  std::string show_id;
};

int run_rules(const RulesOptions& options) {
  RuleSet rules = load_rules(options.rules_dir);
  if (options.facts) {
    std::cout << render_fact_reference(rules);
    return kOk;
  }
  if (options.coverage) {
    std::cout << render_coverage(rules);
    return kOk;
  }
  if (!options.show_id.empty()) {
    std::string text = render_rule(rules, options.show_id, options.lang);
    if (text.empty()) throw Fatal(kBadInput, "no rule with id \"" + options.show_id + "\"");
    std::cout << text;
    return kOk;
  }
  std::cout << render_rule_list(rules, options.filter, options.lang);
  return kOk;
}

}  // namespace

void setup_rules(CLI::App& app) {
  auto options = std::make_shared<RulesOptions>();
  CLI::App* cmd =
      app.add_subcommand("rules", "List the rules, show one, or print the coverage ledger");
  cmd->add_option("--rules", options->rules_dir,
                  "Directory of rule files instead of the built-in rules");
  cmd->add_option("--region", options->filter.region, "Only rules that apply to this region code");
  cmd->add_option("--category", options->filter.category, "Only rules of this category");
  cmd->add_option("--search", options->filter.search,
                  "Only rules whose id, title, quote or document contains TEXT");
  cmd->add_option("--lang", options->lang, "Language")
      ->check(CLI::IsMember({"zh", "en"}))
      ->capture_default_str();
  cmd->add_flag("--coverage", options->coverage, "Print the coverage ledger (docs/coverage.md)");
  cmd->add_flag("--facts", options->facts, "Print the fact reference (docs/facts.md)");
  CLI::App* show =
      cmd->add_subcommand("show", "Show one rule: quote, conditions, formula, interpretations");
  show->add_option("id", options->show_id, "Rule id")->required();
  show->add_option("--lang", options->lang, "Language")->check(CLI::IsMember({"zh", "en"}));
  show->add_option("--rules", options->rules_dir,
                   "Directory of rule files instead of the built-in rules");
  cmd->callback([options] { throw Done{run_rules(*options)}; });
}

}  // namespace subsidy::cli
