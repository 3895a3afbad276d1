// `subsidy diff OLD NEW --profiles FILE [--lang zh|en]`: evaluates every profile under two rule
// directories and reports the rules whose outcome or amount changed, the document totals, and an
// aggregate line.
#include "core/diff.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "cli/pipeline.h"
#include "core/csv.h"
#include "core/engine.h"
#include "core/json.h"
#include "core/profile.h"
#include "core/profile_csv.h"
#include "core/profile_fast.h"
#include "core/rows.h"
#include "report/diff_text.h"

namespace subsidy::cli {
namespace {

struct DiffOptions {
  std::string old_dir;
  std::string new_dir;
  std::string profiles;
  std::optional<Format> input_format;  // JsonLines, Csv; default from the profiles' extension
  Format format = Format::Table;
  bool fail_on_change = false;
  Lang lang = Lang::Zh;
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
  if (options.lang == Lang::En || options.format == Format::Json)
    return "line " + std::to_string(line);
  return "第 " + std::to_string(line) + " 行";
}

// One row compared: the diff of its two reports, or why it could not be compared.
struct Compared {
  std::optional<ProfileDiff> diff;
  std::vector<Diagnostic> errors;
};

// What a worker keeps from row to row: a fast JSON Lines reader per vocabulary and the profiles
// they read into (core/profile_fast), as batch's workers do.
struct DiffWorker {
  DiffWorker(const Vocabulary& before, const Vocabulary& after) : fast_a(before), fast_b(after) {}
  FastProfileReader fast_a, fast_b;
  Profile a, b;
};

// Reads each row under both rule sets, evaluates it under each and compares; on worker threads,
// reading only shared state and the worker's own DiffWorker.
class RowComparer {
 public:
  RowComparer(const RuleSet& before, const RuleSet& after, const DiffOptions& options,
              const std::string& source)
      : before_(before), after_(after), options_(options), source_(source) {}

  // CSV: the header under both vocabularies, checked once before any row.
  void read_header(RowReader& reader) {
    std::optional<csv::Record> header = reader.header();
    if (!header) {
      throw Fatal(kBadInput,
                  msg("{}: empty CSV: expected a header", "{}：CSV 为空：应有表头", source_));
    }
    Result<CsvProfileLayout> la =
        CsvProfileLayout::from_header(*header, source_, before_.vocabulary());
    Result<CsvProfileLayout> lb =
        CsvProfileLayout::from_header(*header, source_, after_.vocabulary());
    if (!la.ok()) throw diagnostics_error(kBadInput, la.errors(), {source_, source_});
    if (!lb.ok()) throw diagnostics_error(kBadInput, lb.errors(), {source_, source_});
    layouts_.emplace(std::move(la.value()), std::move(lb.value()));
  }

  void compare(Row& row, Compared& out, DiffWorker& worker) const {
    out = Compared{};  // what an earlier row left here
    // A row both fast paths read exactly as the located readers would; any other row through
    // those, which explain what is wrong.
    if (layouts_
            ? layouts_->first.read_fast(row.record, source_, before_.vocabulary(), worker.a) &&
                  layouts_->second.read_fast(row.record, source_, after_.vocabulary(), worker.b)
            : !row.too_long && worker.fast_a.read(row.text, source_, worker.a) &&
                  worker.fast_b.read(row.text, source_, worker.b)) {
      compare_profiles(worker.a, worker.b, row, out);
      return;
    }
    Profile a, b;
    if (!(layouts_ ? read_csv(row, a, b, out.errors) : read_json(row, a, b, out.errors))) return;
    compare_profiles(a, b, row, out);
  }

 private:
  void compare_profiles(const Profile& a, const Profile& b, const Row& row, Compared& out) const {
    Report ra = evaluate(before_, a);
    Report rb = evaluate(after_, b);
    if (std::optional<Diagnostic> overflow = overflow_of(ra, rb, options_, source_, row.line)) {
      out.errors.push_back(std::move(*overflow));
      return;
    }
    out.diff = diff_reports(a.id.empty() ? line_label(row.line, options_) : a.id, ra, rb);
  }

  bool read_csv(const Row& row, Profile& a, Profile& b, std::vector<Diagnostic>& errors) const {
    Result<Profile> pa = layouts_->first.read(row.record, source_, before_.vocabulary());
    Result<Profile> pb = layouts_->second.read(row.record, source_, after_.vocabulary());
    if (!pa.ok() || !pb.ok()) {
      errors = !pa.ok() ? pa.errors() : pb.errors();
      return false;
    }
    a = std::move(pa.value());
    b = std::move(pb.value());
    return true;
  }

  bool read_json(Row& row, Profile& a, Profile& b, std::vector<Diagnostic>& errors) const {
    // A line over the limit stops diff (the reader reads no further: LongRows::Stop), as a file
    // over it always did; an endless line (/dev/zero) must not keep it reading.
    if (row.too_long) throw too_large(source_);
    Result<json::Tree> root = parse_json_row(row, source_, kMaxInputBytes);
    if (!root.ok()) {
      errors = root.errors();
      return false;
    }
    a = read_profile(root.value().root(), source_, before_.vocabulary(), errors);
    // The same problem under both vocabularies is reported once.
    std::vector<Diagnostic> more;
    b = read_profile(root.value().root(), source_, after_.vocabulary(), more);
    for (Diagnostic& d : more) {
      bool seen = std::any_of(errors.begin(), errors.end(), [&](const Diagnostic& e) {
        return format_diagnostic(e, Lang::En) == format_diagnostic(d, Lang::En);
      });
      if (!seen) errors.push_back(std::move(d));
    }
    for (Diagnostic& d : errors) d.line = row.line;
    return !has_errors(errors);
  }

  const RuleSet& before_;
  const RuleSet& after_;
  const DiffOptions& options_;
  const std::string& source_;
  std::optional<std::pair<CsvProfileLayout, CsvProfileLayout>> layouts_;
};

int run_diff(const DiffOptions& options) {
  std::shared_ptr<const RuleSet> before_loaded = load_rules(options.old_dir);
  const RuleSet& before = *before_loaded;
  std::shared_ptr<const RuleSet> after_loaded = load_rules(options.new_dir);
  const RuleSet& after = *after_loaded;
  ProfileInput input(options.profiles, Encoding::Utf8);
  RowReader reader(input.stream(), row_format(options.profiles, options.input_format),
                   kMaxInputBytes, LongRows::Stop);
  RowComparer comparer(before, after, options, input.source());
  if (reader.format() == RowFormat::Csv) comparer.read_header(reader);
  std::vector<ProfileDiff> diffs;
  std::vector<Diagnostic> bad;
  int bad_rows = 0;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<DiffWorker>> workers;  // one per thread, reused from row to row
  for (unsigned i = 0; i < threads; ++i)
    workers.push_back(std::make_unique<DiffWorker>(before.vocabulary(), after.vocabulary()));
  run_pipeline<Compared>(
      reader, threads,
      [&](Row& row, Compared& out, unsigned worker) {
        comparer.compare(row, out, *workers[worker]);
      },
      [&](const Row&, Compared& out) {
        if (out.diff) {
          diffs.push_back(std::move(*out.diff));
          return;
        }
        ++bad_rows;
        bad.insert(bad.end(), std::make_move_iterator(out.errors.begin()),
                   std::make_move_iterator(out.errors.end()));
      },
      [](std::uintmax_t) {});
  cap_per_file(bad);
  for (const Diagnostic& d : bad) std::cerr << format_diagnostic(d, options.lang) << "\n";
  DiffSummary summary = summarize(diffs, bad_rows);
  std::cout << (options.format == Format::Json ? render_diff_json(diffs, summary)
                : options.format == Format::Markdown
                    ? render_diff_markdown(diffs, summary, options.lang)
                    : render_diff_table(diffs, summary, options.lang));
  if (options.fail_on_change && summary.affected > 0) return kFindings;
  return bad_rows > 0 ? kBadInput : kOk;
}

}  // namespace

Run setup_diff(CLI::App* cmd, Lang lang) {
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
                     "Lines unless --input-format csv)",
                     "申请人档案：JSON Lines，或与 batch 相同的 CSV（.csv）；- 表示标准输入（JSON "
                     "Lines，除非 --input-format csv）"))
      ->required();
  add_format_option(cmd, "--input-format", options->input_format, {Format::JsonLines, Format::Csv},
                    tr(lang, "Profiles' format (default: from the extension, any case)",
                       "档案格式（默认：按扩展名，不区分大小写）"));
  add_format_option(cmd, "--format", options->format,
                    {Format::Table, Format::Json, Format::Markdown},
                    tr(lang, "Output format", "输出格式"));
  cmd->add_flag(
      "--fail-on-change", options->fail_on_change,
      tr(lang, "Exit 1 when any outcome or amount changed", "任何结果或金额有变化时以 1 退出"));
  add_lang_option(cmd, options->lang, lang);
  return [options] { return run_diff(*options); };
}

}  // namespace subsidy::cli
