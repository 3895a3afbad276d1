// `subsidy explain PROFILE RULE_ID`: the full trace of one rule for one applicant.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "core/engine.h"
#include "core/profile.h"
#include "report/render.h"
#include "report/unread_text.h"

namespace subsidy::cli {
namespace {

struct ExplainOptions {
  std::string profile;
  std::string rule;
  std::string rules_dir;
  Lang lang = Lang::Zh;
  bool strict = false;
};

int run_explain(const ExplainOptions& options) {
  std::shared_ptr<const RuleSet> rule_set = load_rules(options.rules_dir);
  const RuleSet& rules = *rule_set;
  std::string source = options.profile == "-" ? "<stdin>" : options.profile;
  Result<Profile> profile = load_profile(read_input(options.profile), source, rules.vocabulary());
  if (!profile.ok()) throw diagnostics_error(kBadInput, profile.errors(), {source, source});
  std::vector<UnreadFact> unread = unread_facts(rules, profile.value());
  Explained explained = explain_rule(rules, profile.value(), options.rule, options.lang, unread);
  if (!explained.found)
    throw Fatal(kBadInput,
                msg("no rule with id \"{}\" (subsidy rules --search lists them)",
                    "没有 id 为 \"{}\" 的规则（用 subsidy rules --search 查找）", options.rule));
  if (options.strict && !unread.empty()) {
    throw diagnostics_error(kBadInput,
                            unread_facts_diagnostics(unread, rules, profile.value(), true),
                            {source, source});
  }
  std::cout << explained.text;
  // As in eval: the rule's own error (an overflow) is told on standard error, exit 3.
  if (explained.error) {
    std::cout.flush();
    throw Fatal(kBadInput, *explained.error);
  }
  return kOk;
}

}  // namespace

Run setup_explain(CLI::App* cmd, Lang lang) {
  auto options = std::make_shared<ExplainOptions>();
  cmd->description(tr(lang, "Explain one rule for one profile: every condition, step and reading",
                      "针对一个申请人解释一条规则：每个条件、每个计算步骤和每种解读"));
  cmd->add_option("profile", options->profile,
                  tr(lang, "Profile JSON file (- for standard input)",
                     "申请人档案 JSON 文件（- 表示标准输入）"))
      ->required();
  cmd->add_option("rule", options->rule,
                  tr(lang, "Rule id (see subsidy rules)", "规则 id（见 subsidy rules）"))
      ->required();
  add_rules_option(cmd, options->rules_dir, lang);
  add_lang_option(cmd, options->lang, lang);
  add_strict_option(cmd, options->strict, lang);
  return [options] { return run_explain(*options); };
}

}  // namespace subsidy::cli
