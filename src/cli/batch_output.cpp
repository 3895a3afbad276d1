#include "cli/batch_output.h"

#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "cli/app.h"
#include "core/csv.h"

namespace subsidy::cli {
namespace {

class JsonlSink : public RecordSink {
 public:
  JsonlSink(OutputFile& out, const RuleSet& rules) : out_(out), jsonl_(rules) {}
  void render(const BatchRecord& record, std::string& out) const override {
    jsonl_.write(record, out);
  }
  void write(const BatchRecord&, const std::string& rendered) override { out_.write(rendered); }
  void finish() override {}

 private:
  OutputFile& out_;
  BatchJsonl jsonl_;  // shared by the workers: const
};

class CsvSink : public RecordSink {
 public:
  CsvSink(OutputFile& out, const RuleSet& rules, bool bom) : out_(out) {
    if (bom) out_.write(csv::kUtf8Bom);
    out_.write(batch_csv_header(rules));
  }
  void render(const BatchRecord& record, std::string& out) const override {
    out = batch_csv_row(record);
  }
  void write(const BatchRecord&, const std::string& rendered) override { out_.write(rendered); }
  void finish() override {}

 private:
  OutputFile& out_;
};

// libxlsxwriter prints its own English errors on standard error; ours say the same in the run's
// language, so the library's are sent to /dev/null while it runs. Only the writing thread prints.
class QuietStderr {
 public:
  QuietStderr() {
    int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null < 0) return;  // out of descriptors: the library's text shows, ours follows
    saved_ = ::dup(STDERR_FILENO);
    if (saved_ >= 0) ::dup2(null, STDERR_FILENO);
    ::close(null);
  }
  ~QuietStderr() {
    if (saved_ < 0) return;
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
  }
  QuietStderr(const QuietStderr&) = delete;
  QuietStderr& operator=(const QuietStderr&) = delete;

 private:
  int saved_ = -1;
};

// A libxlsxwriter error as our own message; `err` is errno as the library left it.
Fatal xlsx_error(lxw_error error, int err, const std::string& path) {
  if (error == LXW_ERROR_MEMORY_MALLOC_FAILED || err == ENOMEM)
    return Fatal(kResources, {"out of memory", "内存不足"});
  if (error == LXW_ERROR_CREATING_TMPFILE || error == LXW_ERROR_READING_TMPFILE) {
    Message reason = errno_reason(err != 0 ? err : EIO);
    return Fatal(errno_exit_code(err),
                 {"the XLSX writer cannot use its temporary files: " + reason.en,
                  "XLSX 写入器无法使用其临时文件：" + reason.zh});
  }
  if (err != 0) {
    Message reason = errno_reason(err);
    return Fatal(errno_exit_code(err),
                 {path + ": write failed: " + reason.en, path + "：写入失败：" + reason.zh});
  }
  return Fatal(kBadInput,
               msg("{}: the XLSX writer failed (libxlsxwriter error {})",
                   "{}：XLSX 写入器出错（libxlsxwriter 错误 {}）", path, static_cast<int>(error)));
}

// Rows per sheet, header included: the format's limit. SUBSIDY_TEST_XLSX_ROWS lowers it, for the
// tests only (a real crossing takes 26,000 profiles).
lxw_row_t sheet_rows() {
  const char* test = std::getenv("SUBSIDY_TEST_XLSX_ROWS");
  long rows = test ? std::strtol(test, nullptr, 10) : 0;
  return rows >= 2 && rows < LXW_ROW_MAX ? static_cast<lxw_row_t>(rows) : LXW_ROW_MAX;
}

// The longest text a cell holds, in UTF-16 code units as Excel counts (a character outside the
// Basic Multilingual Plane, such as an emoji, is two); longer text is cut, ending with "…".
constexpr std::size_t kMaxCellUnits = 32767;

std::string fit_cell(const std::string& text) {
  std::size_t units = 0;
  std::size_t cut = std::string::npos;  // where the text is cut if it is too long
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) == 0x80) continue;
    std::size_t width = byte >= 0xF0 ? 2 : 1;  // a four-byte sequence is a surrogate pair
    if (cut == std::string::npos && units + width > kMaxCellUnits - 1) cut = i;  // room for "…"
    units += width;
    if (units > kMaxCellUnits) return text.substr(0, cut) + "…";
  }
  return text;
}

// Text a worksheet can hold: libxlsxwriter takes a C string (a NUL would cut the cell short) and
// escapes control characters but writes the noncharacters U+FFFE and U+FFFF as they are, which
// XML forbids (Excel then "repairs" the workbook, dropping content). Each becomes U+FFFD, so the
// cell shows that something was there; the JSON Lines output keeps the text exactly.
std::string xml_text(const std::string& text) {
  static const std::string kReplacement = "\xEF\xBF\xBD";
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool nonchar =
        text.compare(i, 3, "\xEF\xBF\xBE") == 0 || text.compare(i, 3, "\xEF\xBF\xBF") == 0;
    if (text[i] == '\0' || nonchar) {
      out += kReplacement;
      i += nonchar ? 2 : 0;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Spreadsheet numbers are binary floating point by the file format's definition; the conversion
// happens here, at the output edge, from the exact decimal text (two decimals for money). With
// constant_memory each sheet is written row by row to a temporary file (memory stays flat); a
// sheet that is full continues on a new one ("detail 2", ...), named in a note under the summary.
class XlsxSink : public RecordSink {
 public:
  XlsxSink(const OutputFile& out, const RuleSet& rules, Lang lang)
      : path_(out.name()), rules_(rules), lang_(lang), max_rows_(sheet_rows()), totals_(rules) {
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    if (const char* dir = std::getenv("TMPDIR"); dir && *dir) {
      tmpdir_ = dir;
      options.tmpdir = tmpdir_.data();
    }
    QuietStderr quiet;
    workbook_ = workbook_new_opt(out.file_path().c_str(), &options);
    if (!workbook_) throw Fatal(kResources, {"out of memory", "内存不足"});
    summary_.name = sheet_name(false, lang_);
    summary_.columns = sheet_summary_columns(rules_, lang_);
    detail_.name = sheet_name(true, lang_);
    detail_.columns = sheet_detail_columns(lang_);
    money_ = workbook_add_format(workbook_);
    bold_ = workbook_add_format(workbook_);
    if (!money_ || !bold_) throw Fatal(kResources, {"out of memory", "内存不足"});
    format_set_num_format(money_, "#,##0.00");
    format_set_bold(bold_);
    add_sheet(summary_);
    add_sheet(detail_);
  }
  ~XlsxSink() override {
    if (workbook_) lxw_workbook_free(workbook_);  // a failed run: nothing more is written
  }
  void render(const BatchRecord&, std::string& out) const override { out.clear(); }
  void write(const BatchRecord& record, const std::string&) override {
    put_row(summary_, sheet_summary_row(record, lang_), nullptr);
    totals_.add(record);
    for (const std::vector<Cell>& row : sheet_detail_rows(record, rules_, lang_))
      put_row(detail_, row, nullptr);
  }
  void finish() override {
    // The filters cover the header and the profiles' rows; the total row comes after them.
    close_sheet(summary_);
    close_sheet(detail_);
    put_row(summary_, totals_.row(lang_), bold_);
    if (summary_.sheets > 1 || detail_.sheets > 1) write_note();
    check_stream(summary_);
    check_stream(detail_);
    QuietStderr quiet;
    errno = 0;
    lxw_error error = workbook_close(workbook_);
    int err = errno;
    workbook_ = nullptr;
    if (error != LXW_NO_ERROR) throw xlsx_error(error, err, path_);
  }

 private:
  struct Sheets {
    std::string name;
    std::vector<SheetColumn> columns;
    lxw_worksheet* sheet = nullptr;
    int sheets = 0;
    lxw_row_t row = 0;  // the next row to write
  };

  // libxlsxwriter does not check its writes into a sheet's temporary file (a full disk, the
  // file size limit): the stream's error flag, checked when a sheet is done, tells.
  void check_stream(const Sheets& s) {
    FILE* file = s.sheet ? s.sheet->optimize_tmpfile : nullptr;
    if (!file) return;
    errno = 0;
    if (std::fflush(file) != 0 || std::ferror(file))
      throw xlsx_error(LXW_ERROR_CREATING_TMPFILE, errno ? errno : EIO, path_);
  }

  // A filter over the sheet's header and rows written so far (a sheet that is full, or done).
  void close_sheet(Sheets& s) {
    if (!s.sheet || s.row < 1) return;
    lxw_error error = worksheet_autofilter(s.sheet, 0, 0, s.row - 1,
                                           static_cast<lxw_col_t>(s.columns.size() - 1));
    if (error != LXW_NO_ERROR) throw xlsx_error(error, 0, path_);
  }

  // A new sheet (the first, or the continuation of a full one): column widths, the header in bold
  // and frozen, so that it stays in view while scrolling.
  void add_sheet(Sheets& s) {
    check_stream(s);
    close_sheet(s);
    ++s.sheets;
    std::string name = s.sheets == 1 ? s.name : s.name + " " + std::to_string(s.sheets);
    QuietStderr quiet;
    errno = 0;
    s.sheet = workbook_add_worksheet(workbook_, name.c_str());
    if (!s.sheet) throw xlsx_error(LXW_ERROR_CREATING_TMPFILE, errno, path_);
    std::vector<Cell> header;
    for (std::size_t c = 0; c < s.columns.size(); ++c) {
      auto col = static_cast<lxw_col_t>(c);
      lxw_error error = worksheet_set_column(s.sheet, col, col, s.columns[c].width, nullptr);
      if (error != LXW_NO_ERROR) throw xlsx_error(error, 0, path_);
      header.push_back({s.columns[c].header});
    }
    worksheet_freeze_panes(s.sheet, 1, 0);
    s.row = 0;
    put_row(s, header, bold_);
  }

  void put_row(Sheets& s, const std::vector<Cell>& cells, lxw_format* format) {
    if (s.row == max_rows_) add_sheet(s);
    lxw_row_t row = s.row++;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      lxw_col_t col = static_cast<lxw_col_t>(c);
      lxw_error error = LXW_NO_ERROR;
      if (cells[c].number && !cells[c].text.empty()) {
        bool money = cells[c].text.find('.') != std::string::npos;
        error =
            worksheet_write_number(s.sheet, row, col, std::strtod(cells[c].text.c_str(), nullptr),
                                   money ? money_ : format);
      } else if (!cells[c].text.empty()) {
        std::string text = fit_cell(xml_text(csv::formula_safe(cells[c].text)));
        error = worksheet_write_string(s.sheet, row, col, text.c_str(), format);
      }
      if (error != LXW_NO_ERROR) throw xlsx_error(error, 0, path_);
    }
  }

  // Under the last summary row: which sheets continue which, so that nobody stops at the first.
  void write_note() {
    std::string names;
    for (const Sheets* s : {&summary_, &detail_}) {
      for (int i = 2; i <= s->sheets; ++i)
        names += (names.empty() ? "" : ", ") + s->name + " " + std::to_string(i);
    }
    Message note = msg("A sheet holds at most {} rows: the rows continue on the sheets {}.",
                       "每个工作表最多 {} 行：其余各行续见工作表 {}。", max_rows_, names);
    ++summary_.row;  // a blank row first
    if (summary_.row + 1 >= max_rows_) add_sheet(summary_);
    put_row(summary_, {Cell{note.in(lang_)}}, bold_);
  }

  std::string path_;
  std::string tmpdir_;  // libxlsxwriter's temporary files: TMPDIR when set
  const RuleSet& rules_;
  Lang lang_;
  lxw_row_t max_rows_;
  lxw_workbook* workbook_ = nullptr;
  SheetTotals totals_;
  Sheets summary_;
  Sheets detail_;
  lxw_format* money_ = nullptr;
  lxw_format* bold_ = nullptr;
};

}  // namespace

std::unique_ptr<RecordSink> make_sink(Format format, OutputFile& out, const RuleSet& rules,
                                      bool excel_bom, Lang lang) {
  if (format == Format::Csv) return std::make_unique<CsvSink>(out, rules, excel_bom);
  if (format == Format::Xlsx) return std::make_unique<XlsxSink>(out, rules, lang);
  return std::make_unique<JsonlSink>(out, rules);
}

}  // namespace subsidy::cli
