// `subsidy documents [--format table|json]`: every encoded policy document with its 文号, title,
// region and parent region, validity, rules by benefit and the articles its rules cover.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "report/documents_text.h"

namespace subsidy::cli {
namespace {

struct DocumentsOptions {
  std::string rules_dir;
  Format format = Format::Table;
  Lang lang = Lang::Zh;
};

int run_documents(const DocumentsOptions& options) {
  std::shared_ptr<const RuleSet> rule_set = load_rules(options.rules_dir);
  const RuleSet& rules = *rule_set;
  std::cout << render_documents(rules, options.format, options.lang);
  return kOk;
}

}  // namespace

Run setup_documents(CLI::App* cmd, Lang lang) {
  auto options = std::make_shared<DocumentsOptions>();
  cmd->description(
      tr(lang,
         "List the encoded policy documents: number, title, region, validity, rules and the "
         "articles covered",
         "列出已编码的政策文件：文号、标题、地区、有效期、规则数和条款覆盖情况"));
  add_rules_option(cmd, options->rules_dir, lang);
  add_format_option(cmd, "--format", options->format, {Format::Table, Format::Json},
                    tr(lang, "Output format", "输出格式"));
  add_lang_option(cmd, options->lang, lang);
  return [options] { return run_documents(*options); };
}

}  // namespace subsidy::cli
