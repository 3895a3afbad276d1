// `subsidy facts [--region R] [--search TEXT]`: the facts and the catalogue of titles and events,
// each with its Chinese and English names, unit, years and the rules that read it; searchable in
// either language. Without a match, says so on stderr (exit 0: an empty answer is an answer).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "report/vocabulary_text.h"

namespace subsidy::cli {
namespace {

struct FactsOptions {
  std::string region;  // code or name; "" for every document
  std::string search;
  std::string rules_dir;
  Lang lang = Lang::Zh;
};

int run_facts(const FactsOptions& options) {
  std::shared_ptr<const RuleSet> rule_set = load_rules(options.rules_dir);
  const RuleSet& rules = *rule_set;
  std::string region = options.region.empty() ? "" : region_code(options.region, "--region");
  std::string text = render_fact_catalogue(rules, region, options.search, options.lang);
  if (text.empty()) {
    Message none =
        msg("no fact or value matches \"{}\"", "没有与 \"{}\" 相符的事实或取值", options.search);
    std::cerr << "subsidy: " << none.in(options.lang) << "\n";
  }
  std::cout << text;
  return kOk;
}

}  // namespace

Run setup_facts(CLI::App* cmd, Lang lang) {
  auto options = std::make_shared<FactsOptions>();
  cmd->description(
      tr(lang,
         "List the facts, titles and events a profile can give, with their Chinese and "
         "English names and the rules that read them",
         "列出档案可填写的事实、称号和事件，及其中英文名称和读取它们的规则"));
  cmd->add_option("--region", options->region,
                  tr(lang,
                     "Only what the documents covering this region read (code or name: 330802, "
                     "Kecheng)",
                     "只列出适用于该地区的政策文件读取的内容（代码或名称：330802、柯城）"));
  cmd->add_option("--search", options->search,
                  tr(lang, "Only facts and values whose id, Chinese or English name contains TEXT",
                     "只列出 id、中文或英文名称中含有 TEXT 的事实和取值"));
  add_rules_option(cmd, options->rules_dir, lang);
  add_lang_option(cmd, options->lang, lang);
  return [options] { return run_facts(*options); };
}

}  // namespace subsidy::cli
