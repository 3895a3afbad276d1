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
};

int run_questionnaire(const QuestionnaireOptions& options) {
  RuleSet rules = load_rules(options.rules_dir);
  int year = options.year ? options.year : latest_year(rules, options.region);
  if (year == 0) throw Fatal(kBadInput, "no document covers region " + options.region);
  std::cout << render_questionnaire(rules, options.region, options.kind, year, options.format);
  return kOk;
}

}  // namespace

void setup_questionnaire(CLI::App& app) {
  auto options = std::make_shared<QuestionnaireOptions>();
  CLI::App* cmd = app.add_subcommand("questionnaire",
                                     "Write a profile template with only the facts a region's "
                                     "documents use for a kind of applicant");
  cmd->add_option("--region", options->region, "Region code, e.g. 330803")->required();
  cmd->add_option("--kind", options->kind, "Kind of applicant")
      ->required()
      ->check(
          CLI::IsMember({"enterprise", "farm", "individual", "institution", "incubator_operator"}));
  cmd->add_option("--year", options->year,
                  "Policy year (default: the latest with a document in force)");
  cmd->add_option("--format", options->format,
                  "json (template and descriptions) or csv (header and an example row)")
      ->check(CLI::IsMember({"json", "csv"}))
      ->capture_default_str();
  cmd->add_option("--rules", options->rules_dir,
                  "Directory of rule files instead of the built-in rules");
  cmd->callback([options] { throw Done{run_questionnaire(*options)}; });
}

}  // namespace subsidy::cli
