// `subsidy questionnaire --region REGION --form FORM [--role ROLE]...`: a profile template with
// only the facts that the region's applicable documents read for that applicant, each described and
// each left unknown (null). Without --year, the region's default year (core/region.h), said on
// stderr.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "core/region.h"
#include "report/vocabulary_text.h"

namespace subsidy::cli {
namespace {

struct QuestionnaireOptions {
  std::string region;
  std::string form;
  std::vector<std::string> roles;  // empty: not given
  int year = 0;                    // 0: the region's default (default_policy_year)
  Format format = Format::Json;
  std::string rules_dir;
  Lang lang = Lang::Zh;  // for messages: the output carries both languages
};

int run_questionnaire(const QuestionnaireOptions& options) {
  std::shared_ptr<const RuleSet> rule_set = load_rules(options.rules_dir);
  const RuleSet& rules = *rule_set;
  std::string region = region_code(options.region, "--region");
  YearChoice choice{options.year, {}};
  if (choice.year == 0) choice = default_policy_year(rules, region);
  if (choice.year == 0) {
    throw Fatal(kBadInput,
                msg("no document covers region {}", "没有适用于地区 {} 的政策文件", region));
  }
  if (!choice.note.empty()) std::cerr << "subsidy: " << choice.note.in(options.lang) << "\n";
  std::cout << render_questionnaire(rules, region, Applicant{options.form, options.roles},
                                    choice.year, options.format, choice.note, options.lang);
  return kOk;
}

}  // namespace

Run setup_questionnaire(CLI::App* cmd, Lang lang) {
  auto options = std::make_shared<QuestionnaireOptions>();
  cmd->description(tr(lang,
                      "Write a profile template with only the facts a region's documents use "
                      "for an applicant's legal form and roles",
                      "生成申请人档案模板，只含某地区政策文件对该法律形式和身份用到的事实"));
  cmd->add_option("--region", options->region,
                  tr(lang, "Region: code or name (Chinese or English), e.g. 330802, Kecheng",
                     "地区：代码或名称，例如 330802、柯城区、柯城、Kecheng"))
      ->required();
  add_form_option(cmd, options->form, lang);
  add_role_option(cmd, options->roles, lang);
  cmd->add_option("--year", options->year,
                  tr(lang,
                     "Policy year (default: the latest in which a document of the region itself, "
                     "else of its city, is in force)",
                     "政策年度（默认：本地区政策文件有效的最近一年；本地区没有文件时取所在市的）"));
  add_format_option(
      cmd, "--format", options->format, {Format::Json, Format::Csv},
      tr(lang, "json (template and descriptions) or csv (header and a row to fill in)",
         "json（模板和说明）或 csv（表头和一行待填写的数据）"));
  add_rules_option(cmd, options->rules_dir, lang);
  add_lang_option(cmd, options->lang, lang);
  return [options] { return run_questionnaire(*options); };
}

}  // namespace subsidy::cli
