#include "cli/batch_output.h"

#include <xlsxwriter.h>

#include <cstdlib>

#include "cli/app.h"

namespace subsidy::cli {
namespace {

class JsonlSink : public RecordSink {
 public:
  JsonlSink(std::ostream& out, const RuleSet& rules) : out_(out), rules_(rules) {}
  std::string render(const BatchRecord& record) const override {
    return batch_jsonl(record, rules_);
  }
  void write(const BatchRecord&, const std::string& rendered) override { out_ << rendered; }
  void finish() override { out_.flush(); }

 private:
  std::ostream& out_;
  const RuleSet& rules_;
};

class CsvSink : public RecordSink {
 public:
  CsvSink(std::ostream& out, const RuleSet& rules, bool bom) : out_(out) {
    if (bom) out_ << "\xEF\xBB\xBF";
    out_ << batch_csv_header(rules);
  }
  std::string render(const BatchRecord& record) const override { return batch_csv_row(record); }
  void write(const BatchRecord&, const std::string& rendered) override { out_ << rendered; }
  void finish() override { out_.flush(); }

 private:
  std::ostream& out_;
};

// Spreadsheet numbers are binary floating point by the file format's definition; the conversion
// happens here, at the output edge, from the exact decimal text (two decimals for money).
class XlsxSink : public RecordSink {
 public:
  XlsxSink(const std::string& path, const RuleSet& rules) : rules_(rules) {
    workbook_ = workbook_new(path.c_str());
    if (!workbook_)
      throw Fatal(kBadInput,
                  msg("{}: cannot create the XLSX file", "{}：无法创建 XLSX 文件", path));
    summary_ = workbook_add_worksheet(workbook_, "summary");
    detail_ = workbook_add_worksheet(workbook_, "detail");
    money_ = workbook_add_format(workbook_);
    format_set_num_format(money_, "#,##0.00");
    bold_ = workbook_add_format(workbook_);
    format_set_bold(bold_);
    put_row(summary_, 0, summary_header(rules_), bold_);
    put_row(detail_, 0, detail_header(), bold_);
  }
  ~XlsxSink() override {
    if (workbook_) workbook_close(workbook_);
  }
  std::string render(const BatchRecord&) const override { return ""; }
  void write(const BatchRecord& record, const std::string&) override {
    put_row(summary_, ++summary_row_, summary_row(record), nullptr);
    for (const std::vector<Cell>& row : detail_rows(record, rules_))
      put_row(detail_, ++detail_row_, row, nullptr);
  }
  void finish() override {
    lxw_error error = workbook_close(workbook_);
    workbook_ = nullptr;
    if (error != LXW_NO_ERROR)
      throw Fatal(kBadInput, msg("cannot write the XLSX file: {}", "无法写入 XLSX 文件：{}",
                                 std::string(lxw_strerror(error))));
  }

 private:
  void put_row(lxw_worksheet* sheet, lxw_row_t row, const std::vector<Cell>& cells,
               lxw_format* format) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      lxw_col_t col = static_cast<lxw_col_t>(c);
      if (cells[c].number && !cells[c].text.empty()) {
        bool money = cells[c].text.find('.') != std::string::npos;
        worksheet_write_number(sheet, row, col, std::strtod(cells[c].text.c_str(), nullptr),
                               money ? money_ : format);
      } else if (!cells[c].text.empty()) {
        worksheet_write_string(sheet, row, col, cells[c].text.c_str(), format);
      }
    }
  }

  const RuleSet& rules_;
  lxw_workbook* workbook_ = nullptr;
  lxw_worksheet* summary_ = nullptr;
  lxw_worksheet* detail_ = nullptr;
  lxw_format* money_ = nullptr;
  lxw_format* bold_ = nullptr;
  lxw_row_t summary_row_ = 0;
  lxw_row_t detail_row_ = 0;
};

}  // namespace

std::unique_ptr<RecordSink> make_sink(const std::string& format, std::ostream& out,
                                      const std::string& path, const RuleSet& rules,
                                      bool excel_bom) {
  if (format == "csv") return std::make_unique<CsvSink>(out, rules, excel_bom);
  if (format == "xlsx") return std::make_unique<XlsxSink>(path, rules);
  return std::make_unique<JsonlSink>(out, rules);
}

}  // namespace subsidy::cli
