// `subsidy diff OLD NEW --profiles FILE [--lang zh|en]`: evaluates every profile under two rule
// directories and reports the rules whose outcome or amount changed, the document totals, and an
// aggregate line.
#include "core/diff.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "core/csv.h"
#include "core/engine.h"
#include "core/json.h"
#include "core/profile.h"
#include "core/profile_csv.h"
#include "report/diff_text.h"

namespace subsidy::cli {
namespace {

struct DiffOptions {
  std::string old_dir;
  std::string new_dir;
  std::string profiles;
  std::string format = "table";
  bool fail_on_change = false;
  std::string lang;
};

// A profile whose evaluation overflowed under either rule set (a rule's amount, or a total) is not
// compared, since its totals would be wrong: it is listed like an unreadable row (exit 3), naming
// the rule directory and what overflowed.
std::optional<Diagnostic> overflow_of(const Report& before, const Report& after,
                                      const DiffOptions& options, const std::string& source,
                                      int line) {
  for (auto [report, dir] :
       {std::pair{&before, &options.old_dir}, std::pair{&after, &options.new_dir}}) {
    if (std::optional<Message> error = evaluation_error(*report)) {
      return Diagnostic{source,
                        line,
                        1,
                        "",
                        msg("under {0}: {1}", "在 {0} 下：{2}", *dir, error->en, error->zh),
                        "overflow"};
    }
  }
  return std::nullopt;
}

// The name of a profile without an id: its line. JSON keeps "line N" in every language.
std::string line_label(int line, const DiffOptions& options) {
  if (options.lang == "en" || options.format == "json") return "line " + std::to_string(line);
  return "第 " + std::to_string(line) + " 行";
}

int run_diff(const DiffOptions& options) {
  RuleSet before = load_rules(options.old_dir);
  RuleSet after = load_rules(options.new_dir);
  std::string text = read_input(options.profiles);
  std::string source = options.profiles == "-" ? "<stdin>" : options.profiles;
  std::vector<ProfileDiff> diffs;
  std::vector<Diagnostic> bad;
  int bad_rows = 0;
  std::string ext = std::filesystem::path(options.profiles).extension().string();
  if (ext == ".csv" || ext == ".CSV") {
    // CSV: the header names fact paths (docs/profile.md); each row under both vocabularies.
    std::istringstream in(text);
    csv::Reader reader(in);
    std::optional<csv::Record> header = reader.next();
    if (!header) {
      throw Fatal(kBadInput,
                  msg("{}: empty CSV: expected a header", "{}：CSV 为空：应有表头", source));
    }
    Result<CsvProfileLayout> la = CsvProfileLayout::from_header(*header, source, before.vocabulary);
    Result<CsvProfileLayout> lb = CsvProfileLayout::from_header(*header, source, after.vocabulary);
    if (!la.ok()) throw diagnostics_error(kBadInput, la.errors(), {source, source});
    if (!lb.ok()) throw diagnostics_error(kBadInput, lb.errors(), {source, source});
    while (std::optional<csv::Record> row = reader.next()) {
      if (row->fields.size() == 1 && row->fields[0].empty() && row->error.empty()) continue;
      Result<Profile> a = la.value().read(*row, source, before.vocabulary);
      Result<Profile> b = lb.value().read(*row, source, after.vocabulary);
      if (!a.ok() || !b.ok()) {
        ++bad_rows;
        const std::vector<Diagnostic>& errors = !a.ok() ? a.errors() : b.errors();
        bad.insert(bad.end(), errors.begin(), errors.end());
        continue;
      }
      Report ra = evaluate(before, a.value());
      Report rb = evaluate(after, b.value());
      if (std::optional<Diagnostic> overflow = overflow_of(ra, rb, options, source, row->line)) {
        ++bad_rows;
        bad.push_back(std::move(*overflow));
        continue;
      }
      diffs.push_back(diff_reports(
          a.value().id.empty() ? line_label(row->line, options) : a.value().id, ra, rb));
    }
    text.clear();
  }
  std::size_t start = 0;
  for (int line = 1; start < text.size(); ++line) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view row(text.data() + start, end - start);
    start = end + 1;
    if (row.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    std::vector<Diagnostic> errors;
    Result<json::Tree> root = json::parse(row, source);
    Profile a, b;
    if (!root.ok()) {
      errors = root.errors();
    } else {
      a = read_profile(root.value().root(), source, before.vocabulary, errors);
      // The same problem under both vocabularies is reported once.
      std::vector<Diagnostic> more;
      b = read_profile(root.value().root(), source, after.vocabulary, more);
      for (Diagnostic& d : more) {
        bool seen = std::any_of(errors.begin(), errors.end(), [&](const Diagnostic& e) {
          return format_diagnostic(e, "en") == format_diagnostic(d, "en");
        });
        if (!seen) errors.push_back(std::move(d));
      }
    }
    if (has_errors(errors)) {
      ++bad_rows;
      for (Diagnostic& d : errors) {
        d.line = line;
        bad.push_back(std::move(d));
      }
      continue;
    }
    Report ra = evaluate(before, a);
    Report rb = evaluate(after, b);
    if (std::optional<Diagnostic> overflow = overflow_of(ra, rb, options, source, line)) {
      ++bad_rows;
      bad.push_back(std::move(*overflow));
      continue;
    }
    diffs.push_back(diff_reports(a.id.empty() ? line_label(line, options) : a.id, ra, rb));
  }
  cap_per_file(bad);
  for (const Diagnostic& d : bad) std::cerr << format_diagnostic(d, options.lang) << "\n";
  DiffSummary summary = summarize(diffs, bad_rows);
  std::cout << (options.format == "json" ? render_diff_json(diffs, summary)
                : options.format == "md" ? render_diff_markdown(diffs, summary, options.lang)
                                         : render_diff_table(diffs, summary, options.lang));
  if (options.fail_on_change && summary.affected > 0) return kFindings;
  return bad_rows > 0 ? kBadInput : kOk;
}

}  // namespace

Run setup_diff(CLI::App* cmd, const std::string& lang) {
  auto options = std::make_shared<DiffOptions>();
  cmd->description(
      tr(lang,
         "Compare two rule directories on a set of profiles: changed outcomes, amounts and totals",
         "在一组申请人上比较两个规则目录：变化的结果、金额和合计"));
  cmd->add_option("old", options->old_dir,
                  tr(lang, "Rule directory before the change", "变更前的规则目录"))
      ->required();
  cmd->add_option("new", options->new_dir,
                  tr(lang, "Rule directory after the change", "变更后的规则目录"))
      ->required();
  cmd->add_option("--profiles", options->profiles,
                  tr(lang,
                     "Profiles: JSON Lines, or CSV (.csv) as for batch; - for standard input (JSON "
                     "Lines)",
                     "申请人档案：JSON Lines，或与 batch 相同的 CSV（.csv）；- 表示标准输入（JSON "
                     "Lines）"))
      ->required();
  cmd->add_option("--format", options->format, tr(lang, "Output format", "输出格式"))
      ->check(CLI::IsMember({"table", "json", "md"}))
      ->capture_default_str();
  cmd->add_flag(
      "--fail-on-change", options->fail_on_change,
      tr(lang, "Exit 1 when any outcome or amount changed", "任何结果或金额有变化时以 1 退出"));
  add_lang_option(cmd, options->lang, lang);
  return [options] { return run_diff(*options); };
}

}  // namespace subsidy::cli
