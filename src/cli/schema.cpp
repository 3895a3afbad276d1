// `subsidy schema rules|facts|profile`: prints the shipped JSON Schema of a file format, for
// editors and for validating users' own rule repositories.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "core/builtin_rules.h"
#include "report/vocabulary_text.h"

namespace subsidy::cli {
namespace {

struct SchemaOptions {
  std::string which;
  std::string rules_dir;
  Lang lang = Lang::Zh;  // for messages: the output is JSON
};

int run_schema(const SchemaOptions& options) {
  const SchemaInfo& schema = *schema_info(options.which);  // the option admits only kSchemas
  if (schema.schema == Schema::Profile) {
    std::cout << render_profile_schema(load_rules(options.rules_dir)->vocabulary());
    return kOk;
  }
  if (const std::string_view* text = builtin_file(builtin_schema_files(), schema.file)) {
    std::cout << *text;
    return kOk;
  }
  throw Fatal(kInternal, msg("schema {} is not built in", "内置数据中没有 schema {}", schema.file));
}

}  // namespace

Run setup_schema(CLI::App* cmd, Lang lang) {
  auto options = std::make_shared<SchemaOptions>();
  cmd->description(tr(lang, "Print the JSON Schema of rule files, fact vocabularies or profiles",
                      "输出规则文件、事实词汇表或申请人档案的 JSON Schema"));
  cmd->add_option("which", options->which,
                  tr(lang, "rules, facts or profile", "rules、facts 或 profile"))
      ->required()
      ->check(CLI::IsMember(keys_of(kSchemas, &SchemaInfo::key)));
  cmd->add_option("--rules", options->rules_dir,
                  tr(lang, "profile: generate from this directory's vocabulary",
                     "profile：根据该目录的事实词汇表生成"));
  add_lang_option(cmd, options->lang, lang);
  return [options] { return run_schema(*options); };
}

}  // namespace subsidy::cli
