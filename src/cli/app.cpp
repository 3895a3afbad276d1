#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"

namespace subsidy::cli {
namespace {

bool is_language(std::string_view s) {
  return s == "zh" || s == "en";
}

// CLI11's own words in the help (headings) and in usage errors, in Chinese when the run is; its
// error texts themselves (e.what()) stay as CLI11 writes them.
void localize(CLI::App& app, std::string_view lang) {
  if (lang != "en") app.option_defaults()->group("选项");  // before the help flag is added
  app.set_help_flag("-h,--help", tr(lang, "Print this help message and exit", "显示本帮助并退出"));
  if (lang == "en") return;
  auto formatter = app.get_formatter();
  formatter->label("Usage", "用法");
  formatter->label("OPTIONS", "选项");
  formatter->label("SUBCOMMAND", "子命令");
  formatter->label("Positionals", "位置参数");
  // REQUIRED and the type names (TEXT, INT) stay: CLI11 pads the option column by bytes, so
  // Chinese there would break the alignment of the descriptions.
  app.failure_message([](const CLI::App* a, const CLI::Error& e) {
    std::string out = std::string(e.what()) + "\n";
    if (a->get_help_ptr() != nullptr) {
      out += "运行 " + a->get_help_ptr()->get_name() + " 查看更多信息。\n";
    }
    return out;
  });
}

// Chinese group names for the subcommands, once they exist: CLI11 gives each subcommand its help
// flag before copying the option defaults, so that flag's group is set here too.
void localize_subcommands(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands({})) {
    sub->group("子命令");
    if (CLI::Option* help = sub->get_help_ptr()) help->group("选项");
    localize_subcommands(*sub);
  }
}

}  // namespace

Fatal diagnostics_error(int code, std::vector<Diagnostic> diagnostics, const Message& what) {
  sort_by_position(diagnostics);
  Message message;
  for (const Diagnostic& d : diagnostics) {
    message.en += format_diagnostic(d, "en") + "\n";
    message.zh += format_diagnostic(d, "zh") + "\n";
  }
  message.en += fmt::format("{} problem(s) in {}", diagnostics.size(), what.en);
  message.zh += fmt::format("{}：共 {} 个问题", what.zh, diagnostics.size());
  return Fatal(code, std::move(message), true);
}

std::string run_language(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg == "--lang" && i + 1 < argc && is_language(argv[i + 1])) return argv[i + 1];
    if (arg.starts_with("--lang=") && is_language(arg.substr(7))) {
      return std::string(arg.substr(7));
    }
  }
  const char* env = std::getenv("SUBSIDY_LANG");
  if (env && is_language(env)) return env;
  return "zh";
}

void add_lang_option(CLI::App* cmd, std::string& target, std::string_view lang) {
  target = std::string(lang);
  cmd->add_option("--lang", target,
                  tr(lang, "Language of the output: zh or en (default: SUBSIDY_LANG, else zh)",
                     "输出语言：zh 或 en（默认取环境变量 SUBSIDY_LANG，否则为 zh）"))
      ->check(CLI::IsMember({"zh", "en"}));
}

int run(int argc, char** argv) {
  const std::string lang = run_language(argc, argv);
  CLI::App app{
      tr(lang,
         "subsidy: which Zhejiang district subsidies an applicant can claim, exactly how "
         "much, and which article of which policy document grants each yuan.",
         "subsidy：申请人可以申领浙江哪些区县的补贴、确切金额多少，以及每一元由哪份政策文件"
         "的哪一条款给予。")};
  app.name("subsidy");
  localize(app, lang);
  app.require_subcommand(1);
  app.set_version_flag(
      "--version", "subsidy 0.1.0",
      tr(lang, "Display program version information and exit", "显示版本信息并退出"));
  std::string app_lang = lang;  // read by run_language before parsing; accepted here too
  add_lang_option(&app, app_lang, lang);
  setup_eval(app, lang);
  setup_explain(app, lang);
  setup_questionnaire(app, lang);
  setup_batch(app, lang);
  setup_compare(app, lang);
  setup_check(app, lang);
  setup_test(app, lang);
  setup_rules(app, lang);
  setup_diff(app, lang);
  setup_schema(app, lang);
  if (lang != "en") localize_subcommands(app);
  try {
    app.parse(argc, argv);
  } catch (const Done& done) {
    return done.code;
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kOk : kUsage;
  } catch (const Fatal& e) {
    std::cerr << (e.located() ? "" : "subsidy: ") << e.message(lang) << "\n";
    return e.code();
  } catch (const std::exception& e) {
    std::cerr << "subsidy: " << tr(lang, "internal error: ", "内部错误：") << e.what() << "\n";
    return kInternal;
  }
  return kOk;
}

}  // namespace subsidy::cli
