// The rows of a profile file, the first stage of the batch pipeline (reader → scorer → writer):
// JSON Lines lines or CSV records, numbered, with the line each starts on, read from a stream in
// large blocks with the per-row limit enforced while reading. `batch`, `diff` and the bench's
// parse-only program read profiles through here, so a file means the same to each of them.
// Contracts: a RowReader reads from a stream it does not own, which must outlive it; it is used by
// one thread. A Row owns its text. Nothing here opens files or prints (src/cli does).
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/diagnostic.h"
#include "core/json.h"

namespace subsidy {

enum class RowFormat { JsonLines, Csv };

// What follows a JSON Lines line over the limit: the rest of it is skipped and reading goes on
// (batch: the row becomes an error record), or the input ends there (diff: the line stops it, and
// an endless line such as /dev/zero is never read to its end).
enum class LongRows { Skip, Stop };

// One input row, as read: the JSON text of a line, or a CSV record.
struct Row {
  std::size_t number = 0;  // 1-based, counting rows that are not blank
  int line = 0;            // the line it starts on
  std::string text;        // JSON Lines
  bool too_long = false;   // a JSON Lines line over the limit: consumed without being kept
  csv::Record record;      // CSV
};

class RowReader {
 public:
  // `max_row_bytes`: the longest line or record kept; a longer one becomes a row that says so.
  RowReader(std::istream& in, RowFormat format, std::size_t max_row_bytes,
            LongRows long_rows = LongRows::Skip);

  RowFormat format() const { return format_; }
  // CSV: the header record, read before any row; nullopt when the input is empty.
  std::optional<csv::Record> header();
  // The next row that is not blank into `row` (its storage reused); false at the end of the input.
  // A JSON Lines row too long is returned as soon as it passes the limit (too_long set).
  bool next(Row& row);
  // Bytes consumed so far (for progress): exact for JSON Lines, the stream's position for CSV.
  std::uintmax_t consumed() const;

 private:
  bool next_line(std::string& line, bool& too_long);
  const char* line_end(const char* start) const;
  void skip_rest();
  bool fill();

  std::istream& in_;
  RowFormat format_;
  std::size_t max_row_bytes_;
  LongRows long_rows_;
  bool stopped_ = false;  // LongRows::Stop after a line over the limit: no more rows
  csv::Reader csv_;
  // JSON Lines: the current block, left uninitialized: zeroing it touched 256 pages that a short
  // input never reads into (a page fault costs about 14 us on the 2-core VM we measure on).
  static constexpr std::size_t kBlockBytes = std::size_t{1} << 20;
  std::unique_ptr<char[]> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::uintmax_t consumed_ = 0;
  bool skip_lf_ = false;    // the last line ended at a CR: an LF right after it belongs to it
  bool skip_rest_ = false;  // the last line was too long: the rest of it is still to be skipped
  int line_ = 0;
  std::size_t rows_ = 0;
};

// The JSON of a JSON Lines row, or why it cannot be read, located at the row's line: a byte-order
// mark after the first line (two files joined), a line over `max_row_bytes`, a syntax error.
// Leaves row.text empty (its memory released): the tree holds its own copy.
Result<json::Tree> parse_json_row(Row& row, const std::string& source, std::size_t max_row_bytes);

}  // namespace subsidy
