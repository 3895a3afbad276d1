// CSV (RFC 4180) for batch input and output: an incremental record reader that handles quoted
// fields with commas, doubled quotes, embedded newlines and CRLF, and a field quoter.
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"

namespace subsidy::csv {

// The UTF-8 byte-order mark: a CSV written for a spreadsheet program starts with it (a Chinese
// Excel reads a CSV without it in the local code page, GBK).
inline constexpr const char* kUtf8Bom = "\xEF\xBB\xBF";

// One record: its cells held in one string, each followed by one byte that is not part of it (the
// commas and the line end of a plain line, kept as read; a comma after each cell of a record read
// character by character, or made by add()). A plain line, the usual record, so costs one copy
// and no string per cell. Invariants: starts[0] == 0 when there is a cell, starts.back() ==
// text.size(), one byte after each cell; `text` is not a normalised form (a plain line's ends in
// its line end). Cells are views into `text`: valid until the record is read into, changed,
// moved or copied (a short text lives inside the object).
struct Record {
  int line = 0;   // the line the record starts on, 1-based
  Message error;  // non-empty: the record is malformed (e.g. an unterminated quote)

  std::size_t size() const { return starts.empty() ? 0 : starts.size() - 1; }
  std::string_view operator[](std::size_t i) const {  // i < size()
    return std::string_view(text.data() + starts[i], starts[i + 1] - starts[i] - 1);
  }
  // The cells as strings, copied (tests, and callers that keep them).
  std::vector<std::string> fields() const;
  // A record of these cells (tests and callers that make records).
  static Record of(const std::vector<std::string>& cells, int line);
  void clear_cells() {
    text.clear();
    starts.assign(1, 0);
  }
  // Appends a cell: its text, then a comma to end it.
  void add(std::string_view cell) {
    if (starts.empty()) starts.push_back(0);
    text.append(cell);
    text += ',';
    starts.push_back(text.size());
  }
  // Memory held (the batch's chunks are bounded by it).
  std::size_t capacity() const { return text.capacity() + starts.capacity() * sizeof(std::size_t); }

  std::string text;                 // the cells, each followed by one byte
  std::vector<std::size_t> starts;  // where each cell starts; last: one past the end of the last
};

// Lines end in LF, CRLF or CR alone. A quoted field may hold line breaks; a quote still open at
// the end of the input is taken as broken (a stray quote, not a multi-line field): that record
// becomes an error naming where the quote opened, and reading resumes on the line after the
// opening one, so that the rows behind it are read as rows (N rows in, N records out).
// Records that are not UTF-8 are errors naming the likely encoding (UTF-16, GBK/GB18030), as is
// a byte-order mark at the start of a later line (two files joined together).
class Reader {
 public:
  explicit Reader(std::istream& in) : in_(in) {}
  // The next record, or nullopt at the end of the input. A UTF-8 byte-order mark before the first
  // record is skipped. Records longer than `max_bytes` are reported as errors, not buffered.
  std::optional<Record> next(std::size_t max_bytes = 64u << 20);
  // The same into `r`, replacing what it held (its storage reused from record to record);
  // false at the end of the input.
  bool next(std::size_t max_bytes, Record& r);

 private:
  int get();
  int peek();
  bool fill();
  void take_run(std::string& cell, std::size_t& bytes, int& col, std::size_t max_bytes);
  void check_encoding(Record& r) const;
  Record read_record(std::size_t max_bytes);
  bool read_plain_line(Record& r, std::size_t max_bytes);
  void unterminated(Record& r, int quote_line, int quote_col, std::size_t resume);
  void skip_long_record(Record& r, int c, std::size_t max_bytes);

  std::istream& in_;
  int line_ = 1;
  bool first_ = true;
  bool utf16_ = false;
  std::string replay_;  // text to read again before the stream (after a broken quote)
  std::size_t replay_pos_ = 0;
  std::string raw_;  // what the current record consumed since a quote opened
  bool capturing_ = false;
  // The stream read in blocks (sgetn: no sentry per character; an exception from the buffer, a
  // conversion error, still reaches the caller), so that plain runs of a cell are copied whole.
  std::vector<char> block_ = std::vector<char>(std::size_t{1} << 16);
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::size_t fields_hint_ = 0;  // the last record's cells, reserved for the next (bounded)
};

// Text a spreadsheet would take for a formula (OWASP "CSV injection"): one starting with =, +, -,
// @, tab or CR gets a leading single quote, so that it is shown as typed and never run. Every
// CSV and XLSX text cell passes through here; numbers do not (they are written by the tool).
std::string formula_safe(const std::string& text);

// A CSV field: formula_safe() unless `number`, then quoted when it needs to be (it contains a
// comma, a quote, CR or LF, or leading or trailing spaces).
std::string field(const std::string& value, bool number = false);

}  // namespace subsidy::csv
