// `subsidy batch INPUT -o OUTPUT`: scores a file of profiles (JSON Lines or CSV) into JSON Lines,
// CSV or XLSX. Streams in chunks with memory bounded by the chunk size, evaluates each chunk on
// --threads threads, writes in input order, turns every bad row into an error record, and renames
// the output into place only when it is complete.
#include "report/batch.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/app.h"
#include "cli/batch_output.h"
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
#include "core/unread.h"
#include "report/unread_text.h"

namespace subsidy::cli {
namespace {

struct BatchOptions {
  std::string input;
  std::string output;
  std::string rules_dir;
  std::optional<Format> format;        // JsonLines, Csv, Xlsx; default from the output's extension
  std::optional<Format> input_format;  // JsonLines, Csv; default from the input's extension
  Encoding encoding = Encoding::Utf8;  // the input's (kEncodings), converted to UTF-8
  unsigned threads = 0;                // 0: the number of cores
  bool excel = false;
  bool quiet = false;
  Lang lang = Lang::Zh;
  bool strict = false;  // a fact no rule in force for the applicant reads makes the row bad
};

// A row's text kept for the next row read into it (its storage reused); a longer one is freed
// once scored, so that rows in flight stay small.
constexpr std::size_t kKeptRowBytes = std::size_t{64} << 10;

// One row scored: its record and the record's text in the output format.
struct Scored {
  BatchRecord record;
  std::string rendered;
};

class Progress {
 public:
  Progress(bool enabled, std::uintmax_t input_size, Lang lang)
      : en_(lang == Lang::En),
        enabled_(enabled),
        size_(input_size),
        start_(std::chrono::steady_clock::now()),
        last_(start_) {}

  void update(std::size_t rows, std::uintmax_t bytes, bool final = false) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(500)) return;
    last_ = now;
    double seconds = std::chrono::duration<double>(now - start_).count();
    double rate = seconds > 0 ? static_cast<double>(rows) / seconds : 0;
    std::string eta;
    if (size_ > 0 && bytes > 0 && bytes < size_) {
      double remaining = seconds * static_cast<double>(size_ - bytes) / static_cast<double>(bytes);
      eta = (en_ ? ", ETA " : "，预计还需 ") + std::to_string(static_cast<long>(remaining)) +
            (en_ ? "s" : " 秒");
    }
    std::cerr << "\r" << rows << (en_ ? " rows, " : " 行，") << static_cast<long>(rate)
              << (en_ ? " rows/s" : " 行/秒") << eta << "   " << (final ? "\n" : "") << std::flush;
  }

 private:
  bool en_;
  bool enabled_;
  std::uintmax_t size_;
  std::chrono::steady_clock::time_point start_, last_;
};

// What a worker keeps from row to row: its report, the fast JSON Lines reader and the profile it
// reads into (core/profile_fast), so that a valid row allocates next to nothing.
struct Worker {
  explicit Worker(const Vocabulary& vocabulary) : fast(vocabulary) {}
  Report report;
  FastProfileReader fast;
  Profile profile;
  UnreadMemo unread;
};

// Parses, evaluates and renders one row into its record, on a worker thread. Everything it reads
// is shared read-only; the Worker belongs to the thread, which reuses it from row to row.
class RowScorer {
 public:
  RowScorer(const RuleSet& rules, const CsvProfileLayout* layout, const std::string& source,
            const BatchOptions& options, Format format, const RecordSink& sink)
      : rules_(rules),
        layout_(layout),
        source_(source),
        options_(options),
        reasons_(format == Format::Xlsx),  // the XLSX detail sheet has a reason column: only it
                                           // needs them
        sink_(sink) {}

  void score(Row& row, Scored& out, Worker& worker) const {
    RowScoring how;
    how.lang = options_.lang;
    how.strict = options_.strict;
    how.with_reasons = reasons_;
    how.relocate_line = layout_ ? 0 : row.line;
    how.unread = &worker.unread;
    // A row the fast path reads exactly as the located reader would (core/profile_fast,
    // CsvProfileLayout::read_fast); any other row (an error, anything unusual) through the
    // located reader, which explains what is wrong.
    bool fast = layout_
                    ? layout_->read_fast(row.record, source_, rules_.vocabulary(), worker.profile)
                    : !row.too_long && worker.fast.read(row.text, source_, worker.profile);
    if (fast) {
      if (row.text.capacity() > kKeptRowBytes) std::string().swap(row.text);
      score_profile(worker.profile, row.number, row.line, rules_, how, worker.report, out.record);
    } else {
      score_row(read(row), row.number, row.line, rules_, how, worker.report, out.record);
    }
    sink_.render(out.record, out.rendered);
  }

 private:
  // The row's profile, or its problems and its id when that can still be read.
  RowInput read(Row& row) const {
    RowInput in;
    if (layout_) {
      Result<Profile> p = layout_->read(row.record, source_, rules_.vocabulary());
      if (p.ok()) {
        in.profile = std::move(p.value());
        return in;
      }
      in.errors = p.errors();
      int id_col = layout_->id_column();
      if (id_col >= 0 && static_cast<std::size_t>(id_col) < row.record.size())
        in.id = row.record[static_cast<std::size_t>(id_col)];
      return in;
    }
    Result<json::Tree> root = parse_json_row(row, source_, kMaxInputBytes);
    if (!root.ok()) {
      in.errors = root.errors();
      return in;
    }
    return read_json_row(root.value().root(), row.line, source_, rules_.vocabulary());
  }

  const RuleSet& rules_;
  const CsvProfileLayout* layout_;
  const std::string& source_;
  const BatchOptions& options_;
  bool reasons_;
  const RecordSink& sink_;
};

// The output format: --format, else from the output's extension.
Format output_format(const BatchOptions& options) {
  constexpr Format kOffered[] = {Format::JsonLines, Format::Csv, Format::Xlsx};
  return options.format
             ? *options.format
             : format_of_extension(extension(options.output), kOffered, Format::JsonLines);
}

// What the output must not replace: the input and, with --rules, every rule file.
std::vector<std::string> inputs_of(const BatchOptions& options) {
  std::vector<std::string> inputs{options.input};
  if (!options.rules_dir.empty()) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(options.rules_dir, ec))
      inputs.push_back(entry.path().string());
  }
  return inputs;
}

// CSV: the header, checked once against the vocabulary before any row; nothing for JSON Lines.
std::optional<CsvProfileLayout> read_layout(RowReader& reader, const std::string& source,
                                            const RuleSet& rules) {
  if (reader.format() != RowFormat::Csv) return std::nullopt;
  std::optional<csv::Record> header = reader.header();
  if (!header) {
    throw Fatal(kBadInput, msg("{}: empty CSV: expected a header naming the columns",
                               "{}：CSV 为空：应有列名组成的表头", source));
  }
  Result<CsvProfileLayout> parsed =
      CsvProfileLayout::from_header(*header, source, rules.vocabulary());
  if (!parsed.ok()) throw diagnostics_error(kBadInput, parsed.errors(), {source, source});
  return std::move(parsed.value());
}

int run_batch(const BatchOptions& options) {
  std::shared_ptr<const RuleSet> rule_set = load_rules(options.rules_dir);
  const RuleSet& rules = *rule_set;
  Format format = output_format(options);
  if (format == Format::Xlsx && options.output == "-")
    throw Fatal(kUsage, {"XLSX cannot be written to standard output", "XLSX 不能写到标准输出"});
  ProfileInput input(options.input, options.encoding);
  // Checked before any row is read: the destination is neither the input nor a rule file, its
  // directory exists and can be written (io.h, OutputFile).
  OutputFile out(options.output, inputs_of(options), format == Format::Xlsx);
  std::unique_ptr<RecordSink> sink = make_sink(format, out, rules, options.excel, options.lang);
  RowReader reader(input.stream(), row_format(options.input, options.input_format), kMaxInputBytes);
  std::optional<CsvProfileLayout> layout = read_layout(reader, input.source(), rules);

  unsigned threads =
      options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  RowScorer scorer(rules, layout ? &*layout : nullptr, input.source(), options, format, *sink);
  // One per thread, reused from row to row, and built by its thread on its first row: its memory
  // then comes from that thread's malloc arena, so no cache line holds two threads' state (built
  // side by side by this thread, one worker's fact marks shared a line with the next one's report).
  std::vector<std::unique_ptr<Worker>> workers(threads);
  BatchSummary summary(rules);
  Progress progress(!options.quiet && ::isatty(STDERR_FILENO), input.size(), options.lang);
  std::size_t rows = 0;
  run_pipeline<Scored>(
      reader, threads,
      [&](Row& row, Scored& scored, unsigned worker) {
        std::unique_ptr<Worker>& own = workers[worker];
        if (!own) own = std::make_unique<Worker>(rules.vocabulary());
        scorer.score(row, scored, *own);
      },
      [&](const Row&, Scored& scored) {
        sink->write(scored.record, scored.rendered);
        summary.add(scored.record);
        ++rows;
      },
      [&](std::uintmax_t consumed) { progress.update(rows, consumed); });
  sink->finish();
  out.commit();
  progress.update(rows, input.size(), true);
  if (!options.quiet) std::cerr << summary.render(options.lang);
  return summary.errors() > 0 ? kRowErrors : kOk;
}

}  // namespace

Run setup_batch(CLI::App* cmd, Lang lang) {
  auto options = std::make_shared<BatchOptions>();
  cmd->description(tr(lang,
                      "Score a file of profiles (JSON Lines or CSV) into JSON Lines, CSV or XLSX",
                      "批量评估申请人档案文件（JSON Lines 或 CSV），输出 JSON Lines、CSV 或 XLSX"));
  cmd->add_option(
         "input", options->input,
         tr(lang, "Profiles: .jsonl (one JSON profile per line) or .csv; - for standard input",
            "申请人档案：.jsonl（每行一个 JSON 档案）或 .csv；- 表示标准输入"))
      ->required();
  cmd->add_option("-o,--output", options->output,
                  tr(lang, "Output file (.jsonl, .csv or .xlsx); - for standard output",
                     "输出文件（.jsonl、.csv 或 .xlsx）；- 表示标准输出"))
      ->required();
  add_rules_option(cmd, options->rules_dir, lang);
  add_format_option(cmd, "--format", options->format,
                    {Format::JsonLines, Format::Csv, Format::Xlsx},
                    tr(lang, "Output format (default: from the output's extension)",
                       "输出格式（默认：按输出文件的扩展名）"));
  add_format_option(cmd, "--input-format", options->input_format, {Format::JsonLines, Format::Csv},
                    tr(lang, "Input format (default: from the input's extension)",
                       "输入格式（默认：按输入文件的扩展名）"));
  // The check runs first: the callback sees only a key of kEncodings.
  cmd->add_option_function<std::string>(
         "--encoding",
         [options](const std::string& key) {
           options->encoding = find_by_key(kEncodings, &EncodingInfo::key, key)->encoding;
         },
         tr(lang, "Input encoding: utf-8 (default), gbk or gb18030; converted to UTF-8",
            "输入编码：utf-8（默认）、gbk 或 gb18030；读取时转换为 UTF-8"))
      ->check(CLI::IsMember(keys_of(kEncodings, &EncodingInfo::key)));
  cmd->add_option(
         "--threads", options->threads,
         tr(lang, "Worker threads (default: the number of cores)", "工作线程数（默认：CPU 核数）"))
      ->check(CLI::Range(1, 256));
  add_excel_option(cmd, options->excel, lang);
  cmd->add_flag("--quiet", options->quiet,
                tr(lang, "No progress and no closing summary on standard error",
                   "标准错误上不显示进度和结束汇总"));
  add_lang_option(cmd, options->lang, lang);
  cmd->add_flag("--strict", options->strict,
                tr(lang,
                   "A profile giving a fact that no rule in force for it reads is a bad row (an "
                   "error record, exit 5), not a warning",
                   "档案若含有对其有效的规则均不读取的事实，该行视为出错（错误记录，退出码 "
                   "5）而非警告"));
  return [options] { return run_batch(*options); };
}

}  // namespace subsidy::cli
