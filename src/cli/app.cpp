#include "cli/app.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <new>
#include <system_error>

#include "cli/commands.h"
#include "cli/io.h"
#include "core/model.h"
#include "core/region.h"
#include "core/unread.h"

namespace subsidy::cli {
namespace {

// A CLI11 usage error in Chinese: the kind of error from its class, the details (option names,
// values, the allowed set) as CLI11 gives them. The shapes matched are CLI11 2.x's (Error.hpp,
// Validators.hpp); an unknown shape keeps CLI11's text behind a Chinese lead-in.
std::string usage_error_zh(const CLI::Error& e) {
  std::string what = e.what();
  std::string name = e.get_name();
  auto rest_after = [&](std::string_view marker) {
    std::size_t at = what.find(marker);
    return at == std::string::npos ? what : what.substr(at + marker.size());
  };
  if (name == "RequiredError") {
    if (what == "A subcommand is required") return "缺少子命令";
    constexpr std::string_view kRequired = " is required";
    if (what.ends_with(kRequired)) {
      return "缺少必需的参数：" + what.substr(0, what.size() - kRequired.size());
    }
    return "缺少必需的参数：" + what;
  }
  // A subcommand's ExtrasError carries the subcommand's name instead of the class name.
  if (name == "ExtrasError" || what.starts_with("The following argument")) {
    return "无法识别的参数：" + rest_after("not expected: ");
  }
  if (name == "ValidationError") {
    // "--format: xml not in {table,json}" and "--threads: Value abc not in range 1 to 256"
    std::size_t colon = what.find(": ");
    std::string option = colon == std::string::npos ? "" : what.substr(0, colon);
    std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
    std::size_t range = detail.find(" not in range ");
    std::size_t to = detail.rfind(" to ");
    if (detail.starts_with("Value ") && range != std::string::npos && to > range) {
      return fmt::format("{} 的值 {} 不在 {} 到 {} 的范围内", option, detail.substr(6, range - 6),
                         detail.substr(range + 14, to - range - 14), detail.substr(to + 4));
    }
    std::size_t in = detail.find(" not in {");
    if (in != std::string::npos) {
      return fmt::format("{} 的值 {} 不在可选值 {} 之中", option, detail.substr(0, in),
                         detail.substr(in + 8));
    }
    return "参数值无效：" + what;
  }
  if (name == "ConversionError") return "参数值无法转换：" + rest_after("Could not convert: ");
  if (name == "ArgumentMismatch") return "参数个数不对：" + what;
  if (name == "RequiresError" || name == "ExcludesError") return "参数组合无效：" + what;
  return "命令行错误：" + what;
}

// CLI11's own words in the help (headings) and in usage errors, in Chinese when the run is.
void localize(CLI::App& app, Lang lang) {
  if (lang != Lang::En) app.option_defaults()->group("选项");  // before the help flag is added
  app.set_help_flag("-h,--help", tr(lang, "Print this help message and exit", "显示本帮助并退出"));
  if (lang == Lang::En) return;
  auto formatter = app.get_formatter();
  formatter->label("Usage", "用法");
  formatter->label("OPTIONS", "选项");
  formatter->label("SUBCOMMAND", "子命令");
  formatter->label("Positionals", "位置参数");
  // REQUIRED and the type names (TEXT, INT) stay: CLI11 pads the option column by bytes, so
  // Chinese there would break the alignment of the descriptions.
  app.failure_message([](const CLI::App* a, const CLI::Error& e) {
    std::string out = usage_error_zh(e) + "\n";
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

// CLI11 takes an unknown first word for a stray argument and says only that a subcommand is
// required; this names the word, and the subcommand it is closest to (a prefix, or a typo).
void reject_unknown_command(CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--lang") {
      ++i;
      continue;
    }
    if (arg.starts_with("-")) continue;
    std::string best;
    std::size_t best_distance = 3;
    for (const CLI::App* sub : app.get_subcommands({})) {
      const std::string& name = sub->get_name();
      if (name == arg) return;
      std::size_t d = arg.starts_with(name) || name.starts_with(arg) ? 0 : edit_distance(arg, name);
      if (d < best_distance) {
        best = name;
        best_distance = d;
      }
    }
    Message text = msg("unknown command \"{}\"", "未知的子命令 \"{}\"", arg);
    if (!best.empty()) {
      text.en += fmt::format(" (did you mean \"{}\"?)", best);
      text.zh += fmt::format("（是否要用 \"{}\"？）", best);
    }
    throw Fatal(kUsage, text);
  }
}

}  // namespace

Fatal diagnostics_error(int code, std::vector<Diagnostic> diagnostics, const Message& what) {
  cap_per_file(diagnostics);
  Message message;
  for (const Diagnostic& d : diagnostics) {
    message.en += format_diagnostic(d, Lang::En) + "\n";
    message.zh += format_diagnostic(d, Lang::Zh) + "\n";
  }
  std::size_t problems = count_problems(diagnostics);
  message.en += fmt::format("{} problem(s) in {}", problems, what.en);
  message.zh += fmt::format("{}：共 {} 个问题", what.zh, problems);
  return Fatal(code, std::move(message), true);
}

Lang run_language(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;
    const LangInfo* given = arg == "--lang" && i + 1 < argc ? lang_of(argv[i + 1])
                            : arg.starts_with("--lang=")    ? lang_of(arg.substr(7))
                                                            : nullptr;
    if (given) return given->lang;
  }
  const char* env = std::getenv("SUBSIDY_LANG");
  const LangInfo* from_env = env ? lang_of(env) : nullptr;
  return from_env ? from_env->lang : Lang::Zh;
}

void add_lang_option(CLI::App* cmd, Lang& target, Lang lang) {
  target = lang;
  // The check runs first: the callback sees only a known id.
  cmd->add_option_function<std::string>(
         "--lang", [&target](const std::string& id) { target = lang_of(id)->lang; },
         tr(lang, "Language of the output: zh or en (default: SUBSIDY_LANG, else zh)",
            "输出语言：zh 或 en（默认取环境变量 SUBSIDY_LANG，否则为 zh）"))
      ->check(CLI::IsMember(keys_of(kLangs, &LangInfo::id)));
}

void add_rules_option(CLI::App* cmd, std::string& target, Lang lang) {
  cmd->add_option("--rules", target,
                  tr(lang, "Directory of rule files instead of the built-in rules",
                     "使用该目录中的规则文件，而不是内置规则"));
}

void add_strict_option(CLI::App* cmd, bool& target, Lang lang) {
  cmd->add_flag("--strict", target,
                tr(lang,
                   "A fact in the profile that no rule in force for the applicant reads is an "
                   "error (exit 3), not a warning",
                   "档案中的事实若没有对该申请主体有效的规则读取，视为错误（退出码 3）而非警告"));
}

namespace {

CLI::Option* format_option(CLI::App* cmd, const std::string& name, std::function<void(Format)> set,
                           std::initializer_list<Format> offered, const std::string& description) {
  std::vector<std::string> ids;
  for (Format f : offered) ids.emplace_back(format_id(f));
  // The check runs first: the callback sees only an offered id.
  return cmd
      ->add_option_function<std::string>(
          name, [set](const std::string& id) { set(format_of(id)->format); }, description)
      ->check(CLI::IsMember(ids));
}

}  // namespace

CLI::Option* add_format_option(CLI::App* cmd, const std::string& name, Format& target,
                               std::initializer_list<Format> offered,
                               const std::string& description) {
  return format_option(
             cmd, name, [&target](Format f) { target = f; }, offered, description)
      ->default_str(std::string(format_id(target)));
}

CLI::Option* add_format_option(CLI::App* cmd, const std::string& name,
                               std::optional<Format>& target, std::initializer_list<Format> offered,
                               const std::string& description) {
  return format_option(
      cmd, name, [&target](Format f) { target = f; }, offered, description);
}

void add_excel_option(CLI::App* cmd, bool& target, Lang lang) {
  cmd->add_flag("--excel", target,
                tr(lang, "CSV: start with a UTF-8 byte-order mark, for spreadsheet programs",
                   "CSV：以 UTF-8 字节顺序标记开头，供电子表格程序识别"));
}

void add_form_option(CLI::App* cmd, std::string& target, Lang lang, bool required) {
  cmd->add_option("--form", target,
                  tr(lang, "Legal form of the applicant (docs/profile.md)",
                     "申请主体的法律形式（见 docs/profile.md）"))
      ->required(required)
      ->check(CLI::IsMember(keys_of(kLegalForms, &ApplicantTerm::id)));
}

void add_role_option(CLI::App* cmd, std::vector<std::string>& target, Lang lang) {
  // A role given twice is held once: a profile lists each role once, or it is refused.
  auto keep = [&target](const std::vector<std::string>& given) {
    target.clear();
    for (const std::string& r : given) {
      if (std::find(target.begin(), target.end(), r) == target.end()) target.push_back(r);
    }
  };
  cmd->add_option_function<std::vector<std::string>>(
         "--role", keep,
         tr(lang, "A role the applicant holds (repeat for several; docs/profile.md)",
            "申请主体担任的身份（可重复给出；见 docs/profile.md）"))
      ->check(CLI::IsMember(keys_of(kRoles, &ApplicantTerm::id)))
      ->take_all()
      ->allow_extra_args(false);
}

std::string region_code(const std::string& text, std::string_view option) {
  RegionMatch m = match_region(text);
  if (!m.code.empty()) return m.code;
  std::string en, zh;
  std::span<const RegionName> listed = region_names();
  std::vector<const RegionName*> all;
  for (const RegionName& r : listed) all.push_back(&r);
  for (const RegionName* r : m.candidates.empty() ? all : m.candidates) {
    en += fmt::format("{}{} ({})", en.empty() ? "" : ", ", r->en, r->code);
    zh += fmt::format("{}{}（{}，{}）", zh.empty() ? "" : "、", r->zh, r->en, r->code);
  }
  if (m.candidates.empty()) {
    throw Fatal(kUsage, msg("{0}: unknown region \"{1}\": give a six-digit code or one of: {2}",
                            "{0}：未知的地区 \"{1}\"：请给出六位代码或以下之一：{3}", option, text,
                            en, zh));
  }
  throw Fatal(kUsage, msg("{0}: \"{1}\" could be several regions: {2}; give one of them",
                          "{0}：\"{1}\" 可指多个地区：{3}；请指明其中一个", option, text, en, zh));
}

const CategoryName& category_option(const std::string& text) {
  if (const CategoryName* c = category_of(text)) return *c;
  std::string en, zh;
  for (const CategoryName& c : kCategories) {
    en += fmt::format("{}{} ({})", en.empty() ? "" : ", ", c.en, c.id);
    zh += fmt::format("{}{}（{}）", zh.empty() ? "" : "、", c.zh, c.id);
  }
  throw Fatal(kUsage, msg("--category: unknown category \"{0}\": one of {1} (or its Chinese name "
                          "as reports show it)",
                          "--category：未知的类别 \"{0}\"：可选 {2}", text, en, zh));
}

int run(int argc, char** argv) {
  // Past a file size limit (ulimit -f) a write fails with EFBIG, reported (exit 6), instead of
  // SIGXFSZ killing the process with a core dump.
  std::signal(SIGXFSZ, SIG_IGN);
  use_checked_standard_output();
  const Lang lang = run_language(argc, argv);
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
      "--version", "subsidy " + std::string(program_version()),
      tr(lang, "Display program version information and exit", "显示版本信息并退出"));
  Lang app_lang = lang;  // read by run_language before parsing; accepted here too
  add_lang_option(&app, app_lang, lang);
  std::vector<std::pair<CLI::App*, Run>> commands;
  for (const Tool& tool : kTools) {
    CLI::App* cmd = app.add_subcommand(tool.name);
    commands.emplace_back(cmd, tool.setup(cmd, lang));
  }
  if (lang != Lang::En) localize_subcommands(app);
  auto report = [&](const Fatal& e) {
    std::cerr << (e.located() ? "" : "subsidy: ") << e.message(lang) << "\n";
    return e.code();
  };
  int code = kOk;
  try {
    reject_unknown_command(app, argc, argv);
    app.parse(argc, argv);
    // require_subcommand(1): exactly one was parsed.
    for (const auto& [cmd, run_command] : commands) {
      if (cmd->parsed()) code = run_command();
    }
  } catch (const CLI::ParseError& e) {
    code = app.exit(e) == 0 ? kOk : kUsage;
  } catch (const Fatal& e) {
    code = report(e);
  } catch (const std::bad_alloc&) {
    code = report(Fatal(kResources, {"out of memory", "内存不足"}));
  } catch (const std::system_error& e) {
    // std::thread reports too many threads or processes this way.
    // The Chinese reason comes from the errno table: e.what() is English only.
    bool limit = e.code() == std::errc::resource_unavailable_try_again;
    Message exhausted{std::string("resources exhausted: ") + e.what(),
                      "资源耗尽：" + errno_reason(EAGAIN).zh};
    code = report(limit ? Fatal(kResources, exhausted)
                        : Fatal(kInternal, msg("internal error: {}", "内部错误：{}", e.what())));
  } catch (const std::exception& e) {
    std::cerr << "subsidy: " << tr(lang, "internal error: ", "内部错误：") << e.what() << "\n";
    code = kInternal;
  }
  // Output that did not reach its destination is a failure, whatever the command said.
  try {
    check_standard_output();
  } catch (const Fatal& e) {
    int failed = report(e);
    if (code == kOk || code == kFindings || code == kRowErrors) code = failed;
  }
  return code;
}

}  // namespace subsidy::cli
