#include "core/csv.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/utf8.h"
#include "core/words.h"

namespace subsidy::csv {

bool Reader::fill() {
  pos_ = 0;
  end_ = static_cast<std::size_t>(
      in_.rdbuf()->sgetn(block_.data(), static_cast<std::streamsize>(block_.size())));
  return end_ > 0;
}

int Reader::get() {
  int c;
  if (replay_pos_ < replay_.size()) {
    c = static_cast<unsigned char>(replay_[replay_pos_++]);
  } else if (pos_ < end_ || fill()) {
    c = static_cast<unsigned char>(block_[pos_++]);
  } else {
    c = std::char_traits<char>::eof();
  }
  if (capturing_ && c != std::char_traits<char>::eof()) raw_ += static_cast<char>(c);
  return c;
}

int Reader::peek() {
  if (replay_pos_ < replay_.size()) return static_cast<unsigned char>(replay_[replay_pos_]);
  if (pos_ < end_ || fill()) return static_cast<unsigned char>(block_[pos_]);
  return std::char_traits<char>::eof();
}

// After a plain character of an unquoted cell: the rest of its run in the current block (up to a
// comma, a quote or a line end, within the record limit) copied at once, as get() would have
// taken it one by one. Only when nothing is being captured or replayed.
void Reader::take_run(std::string& cell, std::size_t& bytes, int& col, std::size_t max_bytes) {
  if (capturing_ || replay_pos_ < replay_.size()) return;
  std::size_t start = pos_, limit = std::min(end_, pos_ + (max_bytes - bytes));
  std::size_t i = start;
  for (; i < limit; ++i) {
    char c = block_[i];
    if (c == ',' || c == '"' || c == '\n' || c == '\r') break;
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++col;
  }
  cell.append(block_.data() + start, i - start);
  bytes += i - start;
  pos_ = i;
}

namespace {

// Whether [p, end) holds no quote and no CR, eight bytes at a time.
bool plain(const char* p, const char* end) {
  for (; end - p >= 8; p += 8) {
    std::uint64_t w = words::load8(p);
    if (words::has_byte(w, '"') || words::has_byte(w, '\r')) return false;
  }
  for (; p < end; ++p) {
    if (*p == '"' || *p == '\r') return false;
  }
  return true;
}

// What is wrong with the encoding of a record's text, given as its text (its cells with the
// commas or line end after them: commas are ASCII, so the text is valid UTF-8 exactly when its
// cells are); null when nothing is.
const Message* encoding_problem(bool utf16, std::string_view text) {
  static const Message kUtf16{"this file is UTF-16; save it as UTF-8",
                              "该文件是 UTF-16 编码；请另存为 UTF-8"};
  static const Message kBom{"a byte-order mark in the middle of the input (were two files joined?)",
                            "输入中间有字节顺序标记（是否拼接了两个文件？）"};
  static const Message kGbk{
      "not UTF-8: this looks like GBK/GB18030 — pass --encoding gbk or save as UTF-8",
      "不是 UTF-8：看起来是 GBK/GB18030 编码——请加 --encoding gbk 或另存为 UTF-8"};
  if (utf16 || text.find('\0') != std::string_view::npos) return &kUtf16;
  if (text.starts_with("\xEF\xBB\xBF")) return &kBom;
  if (!utf8::valid(text)) return &kGbk;
  return nullptr;
}

}  // namespace

void Reader::check_encoding(Record& r) const {
  if (!r.error.empty()) return;
  if (const Message* problem = encoding_problem(utf16_, r.text)) r.error = *problem;
}

std::vector<std::string> Record::fields() const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < size(); ++i) out.emplace_back((*this)[i]);
  return out;
}

Record Record::of(const std::vector<std::string>& cells, int line) {
  Record r;
  r.line = line;
  r.clear_cells();
  for (const std::string& cell : cells) r.add(cell);
  return r;
}

std::optional<Record> Reader::next(std::size_t max_bytes) {
  Record r;
  if (!next(max_bytes, r)) return std::nullopt;
  return r;
}

bool Reader::next(std::size_t max_bytes, Record& r) {
  if (first_) {
    first_ = false;
    int b0 = peek();
    if (b0 == 0xEF || b0 == 0xFF || b0 == 0xFE) {
      char bom[3] = {0, 0, 0};
      std::size_t got = 0;
      for (int c; got < (b0 == 0xEF ? 3u : 2u) && (c = get()) != std::char_traits<char>::eof();)
        bom[got++] = static_cast<char>(c);
      auto u = [&](int k) { return static_cast<unsigned char>(bom[k]); };
      bool utf8 = b0 == 0xEF && u(1) == 0xBB && u(2) == 0xBF;
      utf16_ = (u(0) == 0xFF && u(1) == 0xFE) || (u(0) == 0xFE && u(1) == 0xFF);
      if (!utf8 && !utf16_) replay_.assign(bom, got);
    }
  }
  if (peek() == std::char_traits<char>::eof()) return false;
  if (!read_plain_line(r, max_bytes)) {
    r = read_record(max_bytes);
    check_encoding(r);
  }
  return true;
}

// The usual record: a line ending in LF within the current block, with no quote and no CR, split
// at its commas in one pass. Exactly what read_record makes of such a line; false (nothing
// consumed) for any other, which read_record reads.
bool Reader::read_plain_line(Record& r, std::size_t max_bytes) {
  if (capturing_ || replay_pos_ < replay_.size()) return false;
  const char* begin = block_.data() + pos_;
  const char* nl = static_cast<const char*>(std::memchr(begin, '\n', end_ - pos_));
  if (!nl || static_cast<std::size_t>(nl - begin) + 1 > max_bytes) return false;
  if (!plain(begin, nl)) return false;
  r.line = line_;
  const Message* problem =
      encoding_problem(utf16_, std::string_view(begin, static_cast<std::size_t>(nl - begin)));
  r.error = problem ? *problem : Message{};
  // The line kept whole, its line end included (the byte after the last cell); the cells are
  // where its commas are, found eight bytes at a time: a wide sheet's line is mostly commas.
  r.text.assign(begin, nl + 1);
  r.starts.clear();
  r.starts.reserve(fields_hint_ + 1);
  r.starts.push_back(0);
  const char* p = begin;
  for (; nl - p >= 8; p += 8) {
    for (std::uint64_t m = words::bytes_equal(words::load8(p), ','); m != 0; m &= m - 1)
      r.starts.push_back(static_cast<std::size_t>(p - begin) + words::first_marked(m) + 1);
  }
  for (; p < nl; ++p) {
    if (*p == ',') r.starts.push_back(static_cast<std::size_t>(p - begin) + 1);
  }
  r.starts.push_back(static_cast<std::size_t>(nl - begin) + 1);
  fields_hint_ = std::min<std::size_t>(r.size(), 4096);
  pos_ += static_cast<std::size_t>(nl - begin) + 1;
  ++line_;
  return true;
}

void Reader::unterminated(Record& r, int quote_line, int quote_col, std::size_t resume) {
  r.error = msg("quote at line {}, column {}: unterminated quoted field",
                "第 {} 行第 {} 列的引号：引号内的字段没有结束", quote_line, quote_col);
  if (resume == std::string::npos) return;  // on the last line: nothing after it to read again
  // A stray quote: this record is broken; what followed its line is read again as rows.
  replay_ = raw_.substr(resume) + replay_.substr(replay_pos_);
  replay_pos_ = 0;
  line_ = quote_line + 1;
  r.clear_cells();
}

void Reader::skip_long_record(Record& r, int c, std::size_t max_bytes) {
  // Skip to the end of the physical line so the next record starts cleanly.
  r.error =
      msg("record longer than the limit of {} MiB", "记录超过 {} MiB 的上限", max_bytes >> 20);
  capturing_ = false;
  raw_.clear();
  while (c != std::char_traits<char>::eof() && c != '\n') c = get();
  ++line_;
  r.clear_cells();
}

Record Reader::read_record(std::size_t max_bytes) {
  Record r;
  r.line = line_;
  r.clear_cells();
  r.starts.reserve(fields_hint_ + 1);
  std::string cell;
  std::size_t bytes = 0;
  int col = 1;  // characters from the start of the physical line
  int quote_line = 0, quote_col = 0;
  std::size_t resume = std::string::npos;  // in raw_: just after the quote's opening line
  bool quoted = false;                     // inside a quoted field
  bool was_quoted = false;                 // the current field started with a quote
  bool after_quote = false;                // just closed a quoted field
  while (true) {
    int c = get();
    if (c == std::char_traits<char>::eof()) {
      if (quoted) unterminated(r, quote_line, quote_col, resume);
      if (!quoted || resume == std::string::npos) r.add(cell);
      capturing_ = false;
      raw_.clear();
      return r;
    }
    if ((c & 0xC0) != 0x80) ++col;
    if (++bytes > max_bytes) {
      skip_long_record(r, c, max_bytes);
      return r;
    }
    if (quoted) {
      if (c == '"') {
        if (peek() == '"') {
          get();
          cell += '"';
        } else {
          quoted = false;
          after_quote = true;
        }
      } else {
        if (c == '\n' || (c == '\r' && peek() != '\n')) {
          ++line_;
          col = 1;
          if (resume == std::string::npos) resume = raw_.size();
        }
        cell += static_cast<char>(c);
      }
      continue;
    }
    if (c == ',') {
      r.add(cell);
      cell.clear();
      was_quoted = after_quote = false;
      continue;
    }
    if (c == '\r' && peek() == '\n') continue;
    if (c == '\n' || c == '\r') {  // LF, CRLF, or CR alone (old Mac spreadsheets)
      ++line_;
      capturing_ = false;
      raw_.clear();
      r.add(cell);
      cell.clear();
      fields_hint_ = std::min<std::size_t>(r.size(), 4096);
      return r;
    }
    if (c == '"' && cell.empty() && !was_quoted) {
      quoted = was_quoted = true;
      quote_line = line_;
      quote_col = col - 1;
      capturing_ = true;
      raw_.clear();
      resume = std::string::npos;
      continue;
    }
    if (after_quote && r.error.empty())
      r.error = {"text after a closing quote", "右引号之后还有文本"};
    cell += static_cast<char>(c);
    take_run(cell, bytes, col, max_bytes);
  }
}

std::string formula_safe(const std::string& text) {
  // Excel for Chinese locales may turn a leading full-width ＝＋－＠ (U+FF1D, U+FF0B, U+FF0D,
  // U+FF20) into its ASCII form and so start a formula: they are neutralised too, at no cost.
  static constexpr std::string_view kFullWidth[] = {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D",
                                                    "\xEF\xBC\xA0"};
  bool formula =
      !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
  for (std::string_view c : kFullWidth) formula = formula || text.starts_with(c);
  return formula ? "'" + text : text;
}

std::string field(const std::string& text, bool number) {
  const std::string value = number ? text : formula_safe(text);
  bool needs = value.find_first_of(",\"\r\n") != std::string::npos ||
               (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!needs) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace subsidy::csv
