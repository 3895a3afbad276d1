#include "core/csv.h"

#include <string_view>

namespace subsidy::csv {

std::optional<Record> Reader::next(std::size_t max_bytes) {
  if (first_) {
    first_ = false;
    if (in_.peek() == 0xEF) {
      char bom[3];
      in_.read(bom, 3);
      if (!(static_cast<unsigned char>(bom[1]) == 0xBB &&
            static_cast<unsigned char>(bom[2]) == 0xBF)) {
        for (int i = 2; i >= 0; --i) in_.putback(bom[i]);
      }
    }
  }
  if (in_.peek() == std::char_traits<char>::eof()) return std::nullopt;
  Record r;
  r.line = line_;
  std::string cell;
  std::size_t bytes = 0;
  bool quoted = false;       // inside a quoted field
  bool was_quoted = false;   // the current field started with a quote
  bool after_quote = false;  // just closed a quoted field
  while (true) {
    int c = in_.get();
    if (c == std::char_traits<char>::eof()) {
      if (quoted) r.error = {"unterminated quoted field", "引号内的字段没有结束"};
      r.fields.push_back(std::move(cell));
      return r;
    }
    if (++bytes > max_bytes) {
      // Skip to the end of the physical line so the next record starts cleanly.
      r.error =
          msg("record longer than the limit of {} MiB", "记录超过 {} MiB 的上限", max_bytes >> 20);
      r.fields.clear();
      while (c != std::char_traits<char>::eof() && c != '\n') c = in_.get();
      ++line_;
      r.fields.clear();
      return r;
    }
    if (quoted) {
      if (c == '"') {
        if (in_.peek() == '"') {
          in_.get();
          cell += '"';
        } else {
          quoted = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line_;
        cell += static_cast<char>(c);
      }
      continue;
    }
    if (c == ',') {
      r.fields.push_back(std::move(cell));
      cell.clear();
      was_quoted = after_quote = false;
      continue;
    }
    if (c == '\r' && in_.peek() == '\n') continue;
    if (c == '\n') {
      ++line_;
      r.fields.push_back(std::move(cell));
      return r;
    }
    if (c == '"' && cell.empty() && !was_quoted) {
      quoted = was_quoted = true;
      continue;
    }
    if (after_quote && r.error.empty())
      r.error = {"text after a closing quote", "右引号之后还有文本"};
    cell += static_cast<char>(c);
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
