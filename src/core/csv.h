// CSV (RFC 4180) for batch input and output: an incremental record reader that handles quoted
// fields with commas, doubled quotes, embedded newlines and CRLF, and a field quoter.
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "core/message.h"

namespace subsidy::csv {

struct Record {
  std::vector<std::string> fields;
  int line = 0;   // the line the record starts on, 1-based
  Message error;  // non-empty: the record is malformed (e.g. an unterminated quote)
};

class Reader {
 public:
  explicit Reader(std::istream& in) : in_(in) {}
  // The next record, or nullopt at the end of the input. A UTF-8 byte-order mark before the first
  // record is skipped. Records longer than `max_bytes` are reported as errors, not buffered.
  std::optional<Record> next(std::size_t max_bytes = 64u << 20);

 private:
  std::istream& in_;
  int line_ = 1;
  bool first_ = true;
};

// Text a spreadsheet would take for a formula (OWASP "CSV injection"): one starting with =, +, -,
// @, tab or CR gets a leading single quote, so that it is shown as typed and never run. Every
// CSV and XLSX text cell passes through here; numbers do not (they are written by the tool).
std::string formula_safe(const std::string& text);

// A CSV field: formula_safe() unless `number`, then quoted when it needs to be (it contains a
// comma, a quote, CR or LF, or leading or trailing spaces).
std::string field(const std::string& value, bool number = false);

}  // namespace subsidy::csv
