// The command-line front end: builds the CLI11 app from the subcommands, runs the chosen one, and
// is the only place that catches subsidy::cli::Fatal and unexpected exceptions.
#pragma once

#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "core/message.h"
#include "report/format.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace subsidy {
struct CategoryName;
}

namespace subsidy::cli {

// Exit codes, documented in the README.
enum ExitCode : int {
  kOk = 0,
  kFindings = 1,   // check/test found problems (later commands)
  kUsage = 2,      // bad command line
  kBadInput = 3,   // a profile (or other input) is unreadable or invalid
  kBadRules = 4,   // the rule files are invalid
  kRowErrors = 5,  // batch finished, but some rows were bad (each has an error record)
  kResources = 6,  // out of memory, or another limit reached (file descriptors, file size)
  kInternal = 70,  // a bug in subsidy
};

// The one exception type of the CLI layer: a message for stderr, in both languages, and an exit
// code. what() is the English text.
class Fatal : public std::runtime_error {
 public:
  Fatal(int code, Message message, bool located = false)
      : std::runtime_error(message.en),
        message_(std::move(message)),
        code_(code),
        located_(located) {}
  int code() const { return code_; }
  const std::string& message(Lang lang) const { return message_.in(lang); }
  // True when the message is a list of located diagnostics that already name their file.
  bool located() const { return located_; }

 private:
  Message message_;
  int code_;
  bool located_;
};

// A Fatal carrying located diagnostics ("file:line:col (path): error: ..."), one per line, with a
// closing count naming `what`; printed without the "subsidy:" prefix so editors can jump to each
// location.
Fatal diagnostics_error(int code, std::vector<Diagnostic> diagnostics, const Message& what);

// What diagnostics_error names most often.
inline const Message kRuleFiles{"the rule files", "规则文件"};
inline const Message kTestFiles{"the test files", "测试用例文件"};

// The language of the whole run: a valid --lang zh|en (or --lang=en) anywhere on the
// command line, else the SUBSIDY_LANG environment variable when it is zh or en, else "zh". Found
// before CLI11 parses, so that --help, option descriptions and error messages are in it too.
Lang run_language(int argc, char** argv);

// The text for `lang`: English or Chinese.
inline const char* tr(Lang lang, const char* en, const char* zh) {
  return lang == Lang::En ? en : zh;
}

// Adds `--lang zh|en` to a subcommand, storing into `target` (which holds the run language as its
// default).
void add_lang_option(CLI::App* cmd, Lang& target, Lang lang);

// Adds a format option (`--format`, `--input-format`) offering `offered` (kFormats, listed in the
// help in this order), read once into `target`: a Format holds the default (shown in the help), an
// optional one stays empty unless given. The help and usage errors are CLI11's for a text option
// checked by IsMember.
CLI::Option* add_format_option(CLI::App* cmd, const std::string& name, Format& target,
                               std::initializer_list<Format> offered,
                               const std::string& description);
CLI::Option* add_format_option(CLI::App* cmd, const std::string& name,
                               std::optional<Format>& target, std::initializer_list<Format> offered,
                               const std::string& description);

// Adds `--rules DIR` (a directory of rule files instead of the built-in rules) to a subcommand.
void add_rules_option(CLI::App* cmd, std::string& target, Lang lang);

// Adds `--strict`: a fact the profile gives that no rule in force for the applicant reads is an
// error (exit kBadInput) instead of a warning.
void add_strict_option(CLI::App* cmd, bool& target, Lang lang);

// Adds `--excel`: a CSV starts with the UTF-8 byte-order mark (csv::kUtf8Bom), for spreadsheets.
void add_excel_option(CLI::App* cmd, bool& target, Lang lang);

// Adds `--form FORM`, one of the legal forms (kLegalForms), required unless told.
void add_form_option(CLI::App* cmd, std::string& target, Lang lang, bool required = true);
// Adds `--role ROLE`, one of the roles (kRoles), repeatable.
void add_role_option(CLI::App* cmd, std::vector<std::string>& target, Lang lang);

// The region code for what a person gave `option`: a six-digit code as it is, or a name from the
// one region table (core/region.h: 柯城区, 柯城, Kecheng, kecheng). An unknown name lists the
// regions known, an ambiguous one its candidates (exit 2).
std::string region_code(const std::string& text, std::string_view option);

// The category a person gave `--category`: an id or a name as reports show it, in either
// language (技术改造, technical_upgrade). Anything else lists the categories (exit 2).
const CategoryName& category_option(const std::string& text);

int run(int argc, char** argv);

}  // namespace subsidy::cli
