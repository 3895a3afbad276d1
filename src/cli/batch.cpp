// `subsidy batch INPUT -o OUTPUT`: scores a file of profiles (JSON Lines or CSV) into JSON Lines,
// CSV or XLSX. Streams in chunks with memory bounded by the chunk size, evaluates each chunk on
// --threads threads, writes in input order, turns every bad row into an error record, and renames
// the output into place only when it is complete.
#include "report/batch.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "cli/app.h"
#include "cli/batch_output.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "cli/transcode.h"
#include "core/csv.h"
#include "core/engine.h"
#include "core/json.h"
#include "core/profile.h"
#include "core/profile_csv.h"
#include "core/unread.h"
#include "report/unread_text.h"

namespace subsidy::cli {
namespace {

struct BatchOptions {
  std::string input;
  std::string output;
  std::string rules_dir;
  std::string format;              // jsonl, csv, xlsx; default from the output's extension
  std::string input_format;        // jsonl, csv; default from the input's extension
  std::string encoding = "utf-8";  // utf-8, gbk, gb18030: the input's, converted to UTF-8
  unsigned threads = 0;            // 0: the number of cores
  bool excel = false;
  bool quiet = false;
  std::string lang;
  bool parse_only = false;  // benchmarks: read and parse every profile, evaluate and write nothing
  bool strict = false;      // a fact no rule in force for the applicant reads makes the row bad
};

// One input row, as read: the JSON text of a line, or a CSV record.
struct Row {
  std::size_t number = 0;
  int line = 0;
  std::string text;
  bool too_long = false;  // a JSON Lines line over kMaxInputBytes: skipped, reported
  csv::Record record;
};

// Rows in flight: read together, scored together on the workers, then written in input order.
struct Chunk {
  std::vector<Row> rows;
  std::vector<BatchRecord> records;
  std::vector<std::string> rendered;
};

// JSON Lines, line by line, read in large blocks. A line ends at LF, CRLF or a lone CR (old Mac
// tools): a raw CR cannot be inside a JSON string, which must escape it, so it is a line end or
// whitespace either way. A line longer than kMaxInputBytes is consumed without being kept.
class LineReader {
 public:
  explicit LineReader(std::istream& in) : in_(in), buffer_(1 << 20) {}

  // False at the end of the input. `line` excludes the line end.
  bool next(std::string& line, bool& too_long) {
    line.clear();
    too_long = false;
    bool any = false;
    while (true) {
      if (pos_ == end_ && !fill()) return any;
      if (skip_lf_) {  // the LF of a CRLF whose CR ended the last line, perhaps in another block
        skip_lf_ = false;
        if (buffer_[pos_] == '\n') {
          ++pos_;
          ++consumed_;
          continue;
        }
      }
      any = true;
      const char* start = buffer_.data() + pos_;
      const char* stop = start + (end_ - pos_);
      auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
      auto* cr = static_cast<const char*>(
          std::memchr(start, '\r', static_cast<std::size_t>((newline ? newline : stop) - start)));
      if (cr) newline = cr;
      std::size_t take = static_cast<std::size_t>((newline ? newline : stop) - start);
      if (!too_long) {
        if (line.size() + take > kMaxInputBytes) {
          too_long = true;
          line.clear();
          line.shrink_to_fit();
        } else {
          line.append(start, take);
        }
      }
      pos_ += take + (newline ? 1 : 0);
      consumed_ += take + (newline ? 1 : 0);
      if (newline) {
        skip_lf_ = cr != nullptr;
        return true;
      }
    }
  }
  std::uintmax_t consumed() const { return consumed_; }

 private:
  bool fill() {
    in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    pos_ = 0;
    end_ = static_cast<std::size_t>(in_.gcount());
    return end_ > 0;
  }

  std::istream& in_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::uintmax_t consumed_ = 0;
  bool skip_lf_ = false;  // the last line ended at a CR: an LF right after it belongs to it
};

std::string extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

// The first few errors of a row, then how many more: a record stays small however bad the row.
std::string first_error(const std::vector<Diagnostic>& errors, std::string_view lang) {
  constexpr std::size_t kListed = 3;
  std::string out;
  std::size_t listed = 0, more = 0;
  for (const Diagnostic& d : errors) {
    if (d.severity != Severity::Error) continue;
    if (d.code == kTooMany) {
      more += d.omitted;
    } else if (listed < kListed) {
      ++listed;
      out += (out.empty() ? "" : "; ") + format_diagnostic(d, lang);
    } else {
      ++more;
    }
  }
  if (more > 0) {
    out += "; " + more_problems("", more).text(lang);
  }
  return out;
}

// The id of a row that failed to load, when it can still be read.
std::string id_of(const json::Value* root) {
  if (!root || !root->is_object()) return "";
  const json::Value* id = root->find("id");
  return id && id->is_string() ? std::string(id->text()) : "";
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
    ::close(open_input(options.input));  // a directory or an unreadable file, with the reason
    file.open(options.input, std::ios::binary);
    if (!file) throw unreadable(options.input, errno);
    in = &file;
    input_size = std::filesystem::file_size(options.input, ec);
  }
  std::string source = options.input == "-" ? "<stdin>" : options.input;
  // GBK or GB18030 input is converted as it is read, so both readers below see UTF-8 only; a
  // conversion error thrown by the buffer reaches here only with badbit in exceptions().
  std::unique_ptr<TranscodingBuf> transcoder;
  std::istream converted(nullptr);
  if (options.encoding != "utf-8") {
    transcoder = std::make_unique<TranscodingBuf>(*in, iconv_name(options.encoding), source);
    converted.rdbuf(transcoder.get());
    converted.exceptions(std::ios::badbit);
    in = &converted;
  }
  // Checked before any row is read: the destination is neither the input nor a rule file, its
  // directory exists and can be written (io.h, OutputFile).
  std::vector<std::string> inputs{options.input};
  if (!options.rules_dir.empty()) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(options.rules_dir, ec))
      inputs.push_back(entry.path().string());
  }
  OutputFile out(options.output, inputs, format == "xlsx");
  std::unique_ptr<RecordSink> sink = make_sink(format, out, rules, options.excel, options.lang);

  // CSV: the header is checked once, before any row.
  csv::Reader csv_reader(*in);
  LineReader line_reader(*in);
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

  unsigned threads =
      options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  // Small chunks keep the rows in flight (input, records, output text: a few KB each) in the
  // processor's caches between scoring and writing: 256 rows per thread ran a 1-thread batch
  // about 10% faster than 2048 did, at half the memory.
  const std::size_t chunk_rows = 256 * threads;
  BatchSummary summary(rules);
  Progress progress(!options.quiet && ::isatty(STDERR_FILENO), input_size, options.lang);
  std::size_t rows_read = 0;
  int line = 0;  // JSON Lines: the current line number

  // Rows of up to 16 MiB each would let a chunk of chunk_rows hold gigabytes: a chunk also stops
  // once its rows hold more than this much text, so memory stays bounded by bytes too.
  constexpr std::size_t kChunkBytes = std::size_t{64} << 20;
  // Fills `chunk` with up to chunk_rows rows; false when the input had none left.
  auto read_chunk = [&](Chunk& chunk) {
    chunk.rows.clear();
    std::size_t bytes = 0;
    while (chunk.rows.size() < chunk_rows && bytes <= kChunkBytes) {
      Row row;
      if (layout) {
        std::optional<csv::Record> record = csv_reader.next(kMaxInputBytes);
        if (!record) break;
        if (record->fields.size() == 1 && record->fields[0].empty() && record->error.empty())
          continue;
        row.line = record->line;
        row.record = std::move(*record);
      } else {
        if (!line_reader.next(row.text, row.too_long)) break;
        ++line;
        if (!row.too_long && row.text.find_first_not_of(" \t\r") == std::string::npos) continue;
        row.line = line;
      }
      row.number = ++rows_read;
      // Capacity, not size: what the rows hold in memory, growth included.
      bytes += row.text.capacity();
      for (const std::string& field : row.record.fields) bytes += field.capacity();
      chunk.rows.push_back(std::move(row));
    }
    return !chunk.rows.empty();
  };

  // Evaluates and renders one row into its record; runs on worker threads. `report` belongs to
  // the worker, which reuses it from row to row.
  auto score = [&](Row& row, BatchRecord& record, std::string& rendered, Report& report) {
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
    } else if (row.line > 1 && row.text.starts_with("\xEF\xBB\xBF")) {
      // Only the first line may start with a byte-order mark: one further on is a sign of two
      // files joined, which the user should know rather than have skipped silently.
      Message joined{"a byte-order mark in the middle of the input (were two files joined?)",
                     "输入中间有字节顺序标记（是否拼接了两个文件？）"};
      errors.push_back(Diagnostic{source, row.line, 1, "", std::move(joined), "json-syntax"});
    } else if (row.too_long) {
      errors.push_back(Diagnostic{source, row.line, 1, "",
                                  msg("line longer than the limit of {} MiB",
                                      "该行超过 {} MiB 的上限", kMaxInputBytes >> 20),
                                  "too-large"});
    } else {
      Result<json::Tree> root = json::parse(row.text, source);
      std::string().swap(row.text);  // not needed any more: keeps the rows in flight small
      if (!root.ok()) {
        errors = root.errors();
        for (Diagnostic& d : errors) d.line = row.line;
      } else {
        Profile p = read_profile(root.value().root(), source, rules.vocabulary, errors);
        for (Diagnostic& d : errors) d.line = row.line;
        if (!has_errors(errors)) profile = std::move(p);
        id = id_of(&root.value().root());
      }
    }
    std::vector<UnreadFact> unread;
    if (profile && !options.parse_only) unread = unread_facts(rules, *profile);
    if (options.strict && !unread.empty()) {
      errors = unread_facts_diagnostics(unread, rules, *profile, true);
      if (!layout) {
        for (Diagnostic& d : errors) d.line = row.line;
      }
      id = profile->id;
      profile.reset();
    }
    if (profile && options.parse_only) {
      record = error_record(row.number, row.line, profile->id, "", rules.documents.size());
      record.ok = true;
    } else if (profile) {
      // The XLSX detail sheet has a reason column: only it needs the reasons.
      bool reasons = format == "xlsx";
      EvalOptions lean;
      lean.trace = false;
      lean.reasons = reasons;
      evaluate(rules, *profile, lean, report);
      record = make_record(row.number, row.line, rules, report, options.lang, reasons);
      record.warnings = std::move(unread);
    } else {
      record = error_record(row.number, row.line, id, first_error(errors, options.lang),
                            rules.documents.size());
    }
    if (!options.parse_only) rendered = sink->render(record);
  };

  // Workers take blocks of 16 rows from a shared counter: a worker slowed down (by the main
  // thread's writing, on a busy machine) simply takes fewer blocks, and neighbouring results,
  // which share cache lines, are written by one thread.
  std::atomic<std::size_t> next_row{0};
  // A worker's exception (out of memory) is handed to this thread, which stops the run cleanly.
  std::exception_ptr worker_failure;
  std::mutex failure_mutex;
  auto score_chunk = [&](Chunk& chunk) {
    constexpr std::size_t kBlock = 16;
    try {
      Report report;
      std::size_t start;
      while ((start = next_row.fetch_add(kBlock, std::memory_order_relaxed)) < chunk.rows.size()) {
        for (std::size_t i = start; i < std::min(start + kBlock, chunk.rows.size()); ++i) {
          score(chunk.rows[i], chunk.records[i], chunk.rendered[i], report);
        }
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!worker_failure) worker_failure = std::current_exception();
    }
  };

  auto write_chunk = [&](const Chunk& chunk) {
    for (std::size_t i = 0; i < chunk.rows.size(); ++i) {
      if (!options.parse_only) sink->write(chunk.records[i], chunk.rendered[i]);
      summary.add(chunk.records[i]);
    }
  };

  // A pipeline of two chunks: while the workers score one, this thread writes the previous one
  // and reads the next, so reading and writing do not hold the workers up. With one thread,
  // everything runs in turn on this thread.
  Chunk chunks[2];
  std::size_t current = 0;
  bool more = read_chunk(chunks[current]);
  bool pending = false;  // chunks[1 - current] holds scored rows not yet written
  while (more || pending) {
    Chunk& chunk = chunks[current];
    Chunk& other = chunks[1 - current];
    bool scoring = more;
    if (scoring) {
      chunk.records.assign(chunk.rows.size(), BatchRecord{});
      chunk.rendered.assign(chunk.rows.size(), std::string());
    }
    next_row = 0;
    if (threads == 1 || !scoring) {
      if (pending) write_chunk(other);
      if (scoring) score_chunk(chunk);
      more = scoring && read_chunk(other);
    } else {
      std::vector<std::thread> pool;
      // Joined on every way out: if writing or reading throws (a Fatal from a sink), the
      // workers still finish before the exception leaves, instead of std::terminate.
      struct JoinAll {
        std::vector<std::thread>& threads;
        ~JoinAll() {
          for (std::thread& th : threads) th.join();
        }
      } join_all{pool};
      for (unsigned t = 0; t < threads; ++t) pool.emplace_back(score_chunk, std::ref(chunk));
      if (pending) write_chunk(other);
      more = read_chunk(other);
    }
    if (worker_failure) std::rethrow_exception(worker_failure);
    progress.update(rows_read,
                    layout ? static_cast<std::uintmax_t>(std::max<std::streamoff>(0, in->tellg()))
                           : line_reader.consumed());
    pending = scoring;
    current = 1 - current;
  }
  sink->finish();
  out.commit();
  progress.update(rows_read, input_size, true);
  if (!options.quiet) std::cerr << summary.render(options.lang);
  return summary.errors() > 0 ? kRowErrors : kOk;
}

}  // namespace

Run setup_batch(CLI::App* cmd, const std::string& lang) {
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
  cmd->add_option("--format", options->format,
                  tr(lang, "Output format (default: from the output's extension)",
                     "输出格式（默认：按输出文件的扩展名）"))
      ->check(CLI::IsMember({"jsonl", "csv", "xlsx"}));
  cmd->add_option("--input-format", options->input_format,
                  tr(lang, "Input format (default: from the input's extension)",
                     "输入格式（默认：按输入文件的扩展名）"))
      ->check(CLI::IsMember({"jsonl", "csv"}));
  cmd->add_option("--encoding", options->encoding,
                  tr(lang, "Input encoding: utf-8 (default), gbk or gb18030; converted to UTF-8",
                     "输入编码：utf-8（默认）、gbk 或 gb18030；读取时转换为 UTF-8"))
      ->check(CLI::IsMember({"utf-8", "gbk", "gb18030"}));
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
  // For benchmarks (bench/): the cost of reading and parsing alone, to compare evaluation with.
  cmd->add_flag("--parse-only", options->parse_only,
                "Read and parse the profiles; evaluate and write nothing")
      ->group("");
  return [options] { return run_batch(*options); };
}

}  // namespace subsidy::cli
