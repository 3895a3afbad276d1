// `subsidy questionnaire --region CODE --kind KIND`: a profile template with only the facts that
// the region's applicable documents read for that kind of applicant, each described.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "report/vocabulary_text.h"

namespace subsidy::cli {
namespace {

struct QuestionnaireOptions {
  std::string region;
  std::string kind;
  int year = 0;  // 0: the latest year with a document in force for the region
  std::string format = "json";
  std::string rules_dir;
  std::string lang;  // for messages: the output carries both languages
};

int run_questionnaire(const QuestionnaireOptions& options) {
  RuleSet rules = load_rules(options.rules_dir);
  int year = options.year ? options.year : latest_year(rules, options.region);
  if (year == 0) {
    throw Fatal(kBadInput, msg("no document covers region {}", "没有适用于地区 {} 的政策文件",
                               options.region));
  }
  std::cout << render_questionnaire(rules, options.region, options.kind, year, options.format);
  return kOk;
}

}  // namespace

void setup_questionnaire(CLI::App& app, const std::string& lang) {
  auto options = std::make_shared<QuestionnaireOptions>();
  CLI::App* cmd = app.add_subcommand(
      "questionnaire", tr(lang,
                          "Write a profile template with only the facts a region's documents use "
                          "for a kind of applicant",
                          "生成申请人档案模板，只含某地区政策文件对某类申请人用到的事实"));
  cmd->add_option("--region", options->region,
                  tr(lang, "Region code, e.g. 330803", "地区代码，例如 330803"))
      ->required();
  add_kind_option(cmd, options->kind, lang);
  cmd->add_option("--year", options->year,
                  tr(lang, "Policy year (default: the latest with a document in force)",
                     "政策年度（默认：有政策文件生效的最近一年）"));
  cmd->add_option("--format", options->format,
                  tr(lang, "json (template and descriptions) or csv (header and an example row)",
                     "json（模板和说明）或 csv（表头和一行示例）"))
      ->check(CLI::IsMember({"json", "csv"}))
      ->capture_default_str();
  add_rules_option(cmd, options->rules_dir, lang);
  add_lang_option(cmd, options->lang, lang);
  cmd->callback([options] { throw Done{run_questionnaire(*options)}; });
}

}  // namespace subsidy::cli
