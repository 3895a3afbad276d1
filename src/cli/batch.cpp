// `subsidy batch INPUT -o OUTPUT`: scores a file of profiles (JSON Lines or CSV) into JSON Lines,
// CSV or XLSX. Streams in chunks with memory bounded by the chunk size, evaluates each chunk on
// --threads threads, writes in input order, turns every bad row into an error record, and renames
// the output into place only when it is complete.
#include "report/batch.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/app.h"
#include "cli/batch_output.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "core/csv.h"
#include "core/engine.h"
#include "core/json.h"
#include "core/profile.h"
#include "core/profile_csv.h"

namespace subsidy::cli {
namespace {

struct BatchOptions {
  std::string input;
  std::string output;
  std::string rules_dir;
  std::string format;        // jsonl, csv, xlsx; default from the output's extension
  std::string input_format;  // jsonl, csv; default from the input's extension
  unsigned threads = 0;      // 0: the number of cores
  bool excel = false;
  bool quiet = false;
  std::string lang;
  bool parse_only = false;  // benchmarks: read and parse every profile, evaluate and write nothing
};

// One input row, as read: the JSON text of a line, or a CSV record.
struct Row {
  std::size_t number = 0;
  int line = 0;
  std::string text;
  bool too_long = false;  // a JSON Lines line over kMaxInputBytes: skipped, reported
  csv::Record record;
};

// One line of JSON Lines. A line longer than kMaxInputBytes is consumed without being kept.
bool read_line(std::istream& in, std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  std::size_t length = 0;
  bool any = false;
  std::streambuf* buf = in.rdbuf();
  while (true) {
    int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      in.setstate(std::ios::eofbit);
      return any;
    }
    any = true;
    if (c == '\n') return true;
    if (++length > kMaxInputBytes) {
      too_long = true;
      line.clear();
      line.shrink_to_fit();
      continue;
    }
    if (!too_long) line.push_back(static_cast<char>(c));
  }
}

// The temporary output file, removed if the run is interrupted (SIGINT, SIGTERM, SIGHUP) so that
// nothing half-written is left; SIGKILL cannot be caught, but the destination is only ever
// written by rename, so it never holds a partial file either way.
char g_temp_path[4096];

extern "C" void remove_temp_and_exit(int sig) {
  if (g_temp_path[0] != '\0') ::unlink(g_temp_path);
  ::_exit(128 + sig);
}

std::string extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

std::string first_error(const std::vector<Diagnostic>& errors, std::string_view lang) {
  std::string out;
  for (const Diagnostic& d : errors) {
    if (d.severity != Severity::Error) continue;
    out += (out.empty() ? "" : "; ") + format_diagnostic(d, lang);
  }
  return out;
}

// The id of a row that failed to load, when it can still be read.
std::string id_of(const json::Value* root) {
  if (!root || !root->is_object()) return "";
  const json::Value* id = root->find("id");
  return id && id->is_string() ? id->text : "";
}

class Progress {
 public:
  Progress(bool enabled, std::uintmax_t input_size, std::string_view lang)
      : en_(lang == "en"),
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

int run_batch(const BatchOptions& options) {
  RuleSet rules = load_rules(options.rules_dir);

  std::string input_format = options.input_format;
  if (input_format.empty()) input_format = extension(options.input) == ".csv" ? "csv" : "jsonl";
  std::string format = options.format;
  if (format.empty()) {
    std::string ext = extension(options.output);
    format = ext == ".csv" ? "csv" : ext == ".xlsx" ? "xlsx" : "jsonl";
  }
  if (format == "xlsx" && options.output == "-")
    throw Fatal(kUsage, {"XLSX cannot be written to standard output", "XLSX 不能写到标准输出"});

  std::ifstream file;
  std::istream* in = &std::cin;
  std::uintmax_t input_size = 0;
  if (options.input != "-") {
    std::error_code ec;
    if (std::filesystem::is_directory(options.input, ec))
      throw Fatal(kBadInput, msg("{}: is a directory", "{}：是目录", options.input));
    file.open(options.input, std::ios::binary);
    if (!file)
      throw Fatal(kBadInput, msg("{}: cannot read file", "{}：无法读取文件", options.input));
    in = &file;
    input_size = std::filesystem::file_size(options.input, ec);
  }
  std::string source = options.input == "-" ? "<stdin>" : options.input;

  // CSV: the header is checked once, before any row.
  csv::Reader csv_reader(*in);
  std::optional<CsvProfileLayout> layout;
  if (input_format == "csv") {
    std::optional<csv::Record> header = csv_reader.next();
    if (!header) {
      throw Fatal(kBadInput, msg("{}: empty CSV: expected a header naming the columns",
                                 "{}：CSV 为空：应有列名组成的表头", source));
    }
    Result<CsvProfileLayout> parsed =
        CsvProfileLayout::from_header(*header, source, rules.vocabulary);
    if (!parsed.ok()) throw diagnostics_error(kBadInput, parsed.errors(), {source, source});
    layout = std::move(parsed.value());
  }

  // Output goes to a temporary file beside the destination, renamed into place at the end.
  std::string temp;
  std::ofstream out_file;
  std::ostream* out = &std::cout;
  // A device or pipe (/dev/full, a FIFO) is written directly: there is nothing to rename over.
  std::error_code status_ec;
  bool special = options.output != "-" && std::filesystem::exists(options.output, status_ec) &&
                 !std::filesystem::is_regular_file(options.output, status_ec);
  if (special && format != "xlsx") {
    out_file.open(options.output, std::ios::binary);
    if (!out_file) throw Fatal(kBadInput, msg("{}: cannot write", "{}：无法写入", options.output));
    out = &out_file;
  } else if (options.output != "-") {
    std::filesystem::path target(options.output);
    temp = (target.parent_path() /
            ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid())))
               .string();
    std::strncpy(g_temp_path, temp.c_str(), sizeof(g_temp_path) - 1);
    std::signal(SIGINT, remove_temp_and_exit);
    std::signal(SIGTERM, remove_temp_and_exit);
    std::signal(SIGHUP, remove_temp_and_exit);
    if (format != "xlsx") {
      out_file.open(temp, std::ios::binary | std::ios::trunc);
      if (!out_file) {
        throw Fatal(kBadInput, msg("{}: cannot write (temporary file {})",
                                   "{}：无法写入（临时文件 {}）", options.output, temp));
      }
      out = &out_file;
    }
  }
  std::unique_ptr<RecordSink> sink = make_sink(format, *out, temp, rules, options.excel);

  unsigned threads =
      options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t chunk = 2048 * threads;
  BatchSummary summary(rules);
  Progress progress(!options.quiet && ::isatty(STDERR_FILENO), input_size, options.lang);
  std::size_t rows_read = 0;
  int line = 0;  // JSON Lines: the current line number
  std::vector<Row> rows;
  std::vector<BatchRecord> records;
  std::vector<std::string> rendered;
  bool done = false;
  while (!done) {
    rows.clear();
    while (rows.size() < chunk) {
      Row row;
      if (layout) {
        std::optional<csv::Record> record = csv_reader.next(kMaxInputBytes);
        if (!record) break;
        if (record->fields.size() == 1 && record->fields[0].empty() && record->error.empty())
          continue;
        row.line = record->line;
        row.record = std::move(*record);
      } else {
        if (!read_line(*in, row.text, row.too_long)) break;
        ++line;
        if (!row.too_long && row.text.find_first_not_of(" \t\r") == std::string::npos) continue;
        row.line = line;
      }
      row.number = ++rows_read;
      rows.push_back(std::move(row));
    }
    done = rows.size() < chunk;
    records.assign(rows.size(), BatchRecord{});
    rendered.assign(rows.size(), std::string());
    // Each thread takes every n-th row; the records land in input order.
    auto work = [&](unsigned t) {
      for (std::size_t i = t; i < rows.size(); i += threads) {
        const Row& row = rows[i];
        std::vector<Diagnostic> errors;
        std::optional<Profile> profile;
        std::string id;
        if (layout) {
          Result<Profile> p = layout->read(row.record, source, rules.vocabulary);
          if (p.ok()) {
            profile = std::move(p.value());
          } else {
            errors = p.errors();
            int id_col = layout->id_column();
            if (id_col >= 0 && static_cast<std::size_t>(id_col) < row.record.fields.size()) {
              id = row.record.fields[static_cast<std::size_t>(id_col)];
            }
          }
        } else if (row.too_long) {
          errors.push_back(Diagnostic{source, row.line, 1, "",
                                      msg("line longer than the limit of {} MiB",
                                          "该行超过 {} MiB 的上限", kMaxInputBytes >> 20),
                                      "too-large"});
        } else {
          Result<json::Value> root = json::parse(row.text, source);
          if (!root.ok()) {
            errors = root.errors();
            for (Diagnostic& d : errors) d.line = row.line;
          } else {
            Profile p = read_profile(root.value(), source, rules.vocabulary, errors);
            for (Diagnostic& d : errors) d.line = row.line;
            if (!has_errors(errors)) profile = std::move(p);
            id = id_of(&root.value());
          }
        }
        if (profile && options.parse_only) {
          records[i] = error_record(row.number, row.line, profile->id, "", rules.documents.size());
          records[i].ok = true;
        } else if (profile) {
          Report report = evaluate(rules, *profile, EvalOptions{false, false, false});
          records[i] = make_record(row.number, row.line, rules, report, options.lang);
        } else {
          records[i] = error_record(row.number, row.line, id, first_error(errors, options.lang),
                                    rules.documents.size());
        }
        if (!options.parse_only) rendered[i] = sink->render(records[i]);
      }
    };
    if (threads == 1 || rows.size() < 64) {
      for (unsigned t = 0; t < threads; ++t) work(t);
    } else {
      std::vector<std::thread> pool;
      for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work, t);
      for (std::thread& th : pool) th.join();
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!options.parse_only) sink->write(records[i], rendered[i]);
      summary.add(records[i]);
    }
    progress.update(rows_read,
                    static_cast<std::uintmax_t>(std::max<std::streamoff>(0, in->tellg())));
  }
  sink->finish();
  if (out_file.is_open()) {
    out_file.flush();
    if (!out_file) {
      if (!temp.empty()) ::unlink(temp.c_str());
      throw Fatal(kBadInput, msg("{}: write failed (disk full?); no output written",
                                 "{}：写入失败（磁盘已满？）；未写出任何输出", options.output));
    }
    out_file.close();
  } else if (options.output == "-") {
    std::cout.flush();
  }
  if (!temp.empty()) {
    std::error_code ec;
    std::filesystem::rename(temp, options.output, ec);
    if (ec) {
      ::unlink(temp.c_str());
      throw Fatal(kBadInput,
                  msg("{}: cannot move the finished output into place: {}",
                      "{}：无法把完成的输出移到目标位置：{}", options.output, ec.message()));
    }
    g_temp_path[0] = '\0';
  }
  progress.update(rows_read, input_size, true);
  if (!options.quiet) std::cerr << summary.render(options.lang);
  return summary.errors() > 0 ? kRowErrors : kOk;
}

}  // namespace

void setup_batch(CLI::App& app, const std::string& lang) {
  auto options = std::make_shared<BatchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "batch", tr(lang, "Score a file of profiles (JSON Lines or CSV) into JSON Lines, CSV or XLSX",
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
  cmd->add_option("--rules", options->rules_dir,
                  tr(lang, "Directory of rule files instead of the built-in rules",
                     "使用该目录中的规则文件，而不是内置规则"));
  cmd->add_option("--format", options->format,
                  tr(lang, "Output format (default: from the output's extension)",
                     "输出格式（默认：按输出文件的扩展名）"))
      ->check(CLI::IsMember({"jsonl", "csv", "xlsx"}));
  cmd->add_option("--input-format", options->input_format,
                  tr(lang, "Input format (default: from the input's extension)",
                     "输入格式（默认：按输入文件的扩展名）"))
      ->check(CLI::IsMember({"jsonl", "csv"}));
  cmd->add_option(
         "--threads", options->threads,
         tr(lang, "Worker threads (default: the number of cores)", "工作线程数（默认：CPU 核数）"))
      ->check(CLI::Range(1, 256));
  cmd->add_flag("--excel", options->excel,
                tr(lang, "CSV: start with a UTF-8 byte-order mark, for spreadsheet programs",
                   "CSV：以 UTF-8 字节顺序标记开头，供电子表格程序识别"));
  cmd->add_flag("--quiet", options->quiet,
                tr(lang, "No progress and no closing summary on standard error",
                   "标准错误上不显示进度和结束汇总"));
  add_lang_option(cmd, options->lang, lang);
  // For benchmarks (bench/): the cost of reading and parsing alone, to compare evaluation with.
  cmd->add_flag("--parse-only", options->parse_only,
                "Read and parse the profiles; evaluate and write nothing")
      ->group("");
  cmd->callback([options] { throw Done{run_batch(*options)}; });
}

}  // namespace subsidy::cli
