// `subsidy compare PROFILE [--regions A,B]`: the same applicant evaluated as if located in each
// region that has documents (with the city layer where it applies), ranked by total, with the
// rules that pay in each.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <set>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "core/engine.h"
#include "core/profile.h"
#include "report/compare_text.h"

namespace subsidy::cli {
namespace {

struct CompareOptions {
  std::string profile;
  std::vector<std::string> regions;
  std::string rules_dir;
  Format format = Format::Table;
  Lang lang = Lang::Zh;
};

int run_compare(const CompareOptions& options) {
  std::shared_ptr<const RuleSet> rule_set = load_rules(options.rules_dir);
  const RuleSet& rules = *rule_set;
  std::string source = options.profile == "-" ? "<stdin>" : options.profile;
  Result<Profile> loaded = load_profile(read_input(options.profile), source, rules.vocabulary());
  if (!loaded.ok()) throw diagnostics_error(kBadInput, loaded.errors(), {source, source});
  std::vector<std::string> regions = options.regions;
  if (regions.empty()) {
    std::set<std::string> seen;
    for (const Document& d : rules.documents()) {
      if (!d.region.code.ends_with("00") && seen.insert(d.region.code).second)
        regions.push_back(d.region.code);
    }
  }
  std::vector<Profile> moved;
  moved.reserve(regions.size());
  for (const std::string& region : regions) {
    moved.push_back(loaded.value());
    moved.back().region = region_code(region, "--regions");
  }
  std::vector<RegionResult> results;
  for (const Profile& p : moved) results.push_back(RegionResult{p.region, evaluate(rules, p)});
  // A total that overflowed is above every total that did not: ranked first, shown as overflow.
  std::stable_sort(results.begin(), results.end(),
                   [](const RegionResult& a, const RegionResult& b) {
                     if (a.report.overflow != b.report.overflow) return a.report.overflow;
                     return a.report.total > b.report.total;
                   });
  std::cout << render_comparison(results, rules, options.format, options.lang);
  // As in eval: the comparison is printed, then the first error (a rule or a total that
  // overflowed), and the exit code is 3.
  for (const RegionResult& r : results) {
    if (std::optional<Message> error = evaluation_error(r.report)) {
      std::cout.flush();
      throw Fatal(kBadInput,
                  msg("region {0}: {1}", "地区 {0}：{2}", r.region, error->en, error->zh));
    }
  }
  return kOk;
}

}  // namespace

Run setup_compare(CLI::App* cmd, Lang lang) {
  auto options = std::make_shared<CompareOptions>();
  cmd->description(tr(
      lang, "Evaluate one applicant as if located in each region with documents, ranked by total",
      "假设申请人分别位于每个有政策文件的地区进行评估，按合计排序"));
  cmd->add_option("profile", options->profile,
                  tr(lang, "Profile JSON file (- for standard input)",
                     "申请人档案 JSON 文件（- 表示标准输入）"))
      ->required();
  cmd->add_option("--regions", options->regions,
                  tr(lang,
                     "Regions to compare, codes or names in Chinese or English (Kecheng); default: "
                     "every region "
                     "with documents",
                     "要比较的地区，代码或名称（柯城、Kecheng）；默认：所有有政策文件的地区"))
      ->delimiter(',');
  add_rules_option(cmd, options->rules_dir, lang);
  add_format_option(cmd, "--format", options->format,
                    {Format::Table, Format::Json, Format::Markdown},
                    tr(lang, "Output format", "输出格式"));
  add_lang_option(cmd, options->lang, lang);
  return [options] { return run_compare(*options); };
}

}  // namespace subsidy::cli
