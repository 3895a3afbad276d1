#include "core/rows.h"

#include <algorithm>
#include <cstring>

#include "core/message.h"

namespace subsidy {

RowReader::RowReader(std::istream& in, RowFormat format, std::size_t max_row_bytes,
                     LongRows long_rows)
    : in_(in), format_(format), max_row_bytes_(max_row_bytes), long_rows_(long_rows), csv_(in) {
  if (format_ == RowFormat::JsonLines)
    buffer_ = std::make_unique_for_overwrite<char[]>(kBlockBytes);
}

std::optional<csv::Record> RowReader::header() {
  return csv_.next();
}

bool RowReader::next(Row& row) {
  row.too_long = false;
  if (format_ == RowFormat::Csv) {
    csv::Record& record = row.record;  // read into: its storage is reused
    while (true) {
      if (!csv_.next(max_row_bytes_, record)) return false;
      // A blank line is no row: nothing was written there.
      if (record.size() == 1 && record[0].empty() && record.error.empty()) continue;
      row.line = record.line;
      break;
    }
  } else {
    while (true) {
      if (stopped_ || !next_line(row.text, row.too_long)) return false;
      ++line_;
      if (row.too_long || row.text.find_first_not_of(" \t\r") != std::string::npos) break;
    }
    row.line = line_;
  }
  row.number = ++rows_;
  return true;
}

std::uintmax_t RowReader::consumed() const {
  if (format_ == RowFormat::JsonLines) return consumed_;
  return static_cast<std::uintmax_t>(std::max<std::streamoff>(0, in_.tellg()));
}

bool RowReader::fill() {
  in_.read(buffer_.get(), static_cast<std::streamsize>(kBlockBytes));
  pos_ = 0;
  end_ = static_cast<std::size_t>(in_.gcount());
  return end_ > 0;
}

// A line ends at LF, CRLF or a lone CR (old Mac tools): a raw CR cannot be inside a JSON string,
// which must escape it, so it is a line end or whitespace either way. A line is returned as too
// long as soon as it passes the limit, before the rest of it is read (a caller may stop there: an
// endless line must not hang it); the next call skips the rest. False at the end of the input.
bool RowReader::next_line(std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  if (skip_rest_) skip_rest();
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
    const char* start = buffer_.get() + pos_;
    const char* end = line_end(start);
    std::size_t take = static_cast<std::size_t>(end - start);
    if (line.size() + take > max_row_bytes_) {
      too_long = true;
      skip_rest_ = long_rows_ == LongRows::Skip;
      stopped_ = long_rows_ == LongRows::Stop;
      std::string().swap(line);
      return true;
    }
    line.append(start, take);
    bool ended = end != buffer_.get() + end_;
    pos_ += take + (ended ? 1 : 0);
    consumed_ += take + (ended ? 1 : 0);
    if (ended) {
      skip_lf_ = *end == '\r';
      return true;
    }
  }
}

// The first CR or LF from `start` in the block, or the block's end.
const char* RowReader::line_end(const char* start) const {
  std::size_t n = end_ - static_cast<std::size_t>(start - buffer_.get());
  auto* newline = static_cast<const char*>(std::memchr(start, '\n', n));
  std::size_t before = newline ? static_cast<std::size_t>(newline - start) : n;
  auto* cr = static_cast<const char*>(std::memchr(start, '\r', before));
  return cr ? cr : newline ? newline : start + n;
}

// The rest of a line found too long, up to and including its end.
void RowReader::skip_rest() {
  skip_rest_ = false;
  while (pos_ < end_ || fill()) {
    const char* start = buffer_.get() + pos_;
    const char* end = line_end(start);
    bool ended = end != buffer_.get() + end_;
    std::size_t take = static_cast<std::size_t>(end - start) + (ended ? 1 : 0);
    pos_ += take;
    consumed_ += take;
    if (ended) {
      skip_lf_ = *end == '\r';
      return;
    }
  }
}

Result<json::Tree> parse_json_row(Row& row, const std::string& source, std::size_t max_row_bytes) {
  if (row.line > 1 && row.text.starts_with("\xEF\xBB\xBF")) {
    // Only the first line may start with a byte-order mark: one further on is a sign of two
    // files joined, which the user should know rather than have skipped silently.
    Message joined{"a byte-order mark in the middle of the input (were two files joined?)",
                   "输入中间有字节顺序标记（是否拼接了两个文件？）"};
    return std::vector<Diagnostic>{
        Diagnostic{source, row.line, 1, "", std::move(joined), "json-syntax"}};
  }
  if (row.too_long) {
    return std::vector<Diagnostic>{Diagnostic{
        source, row.line, 1, "",
        msg("line longer than the limit of {} MiB", "该行超过 {} MiB 的上限", max_row_bytes >> 20),
        "too-large"}};
  }
  Result<json::Tree> root = json::parse(row.text, source);
  std::string().swap(row.text);  // not needed any more: keeps the rows in flight small
  if (root.ok()) return root;
  std::vector<Diagnostic> errors = root.errors();
  for (Diagnostic& d : errors) d.line = row.line;
  return errors;
}

}  // namespace subsidy
