// Terminal text helpers: display width of UTF-8 text (CJK characters take two columns), padding to
// a width, and money with thousands separators.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.h"

namespace subsidy::text {

// A text written piece by piece: `emit(sink)` calls sink(std::string_view) with each piece, and
// must write the same pieces every time it runs. measured_size is the text's length, and
// write_measured copies it to `at` (which has room for it) and returns its end: a caller that
// sizes storage first (a batch record) uses them apart.
template <class Emit>
std::size_t measured_size(Emit&& emit) {
  std::size_t size = 0;
  emit([&size](std::string_view s) { size += s.size(); });
  return size;
}

template <class Emit>
char* write_measured(char* at, Emit&& emit) {
  emit([&at](std::string_view s) {
    std::char_traits<char>::copy(at, s.data(), s.size());
    at += s.size();
  });
  return at;
}

// Appends to `out` what `emit(sink)` writes, measured first: a long text made of many small pieces
// (a batch record's lists) costs one allocation and plain copies.
template <class Emit>
void append_measured(std::string& out, Emit&& emit) {
  std::size_t at = out.size();
  out.resize(at + measured_size(emit));
  write_measured(out.data() + at, emit);
}

int display_width(std::string_view utf8);
// Pads (or, when `truncate`, cuts with "…") to exactly `width` columns.
std::string pad(std::string_view utf8, int width, bool right_align = false, bool truncate = true);
// "¥1,234,567.89"
std::string money(Decimal amount);
// "1,234,567.89"
std::string grouped(Decimal amount);

// An article of a document as a reader cites it: "第12条" / "art. 12"; the documents that number
// their items in Chinese numerals ("（四十九）") read "第四十九条" / "art. 49".
std::string article(const std::string& number, Lang lang);

// Text safe inside XML or HTML content and attribute values (& < > " ' escaped; control characters
// that XML 1.0 forbids become spaces).
std::string xml_escape(std::string_view s);

// A simple aligned table: the first row is the header; `right` marks right-aligned columns.
std::string table(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right,
                  const std::vector<int>& max_width);

}  // namespace subsidy::text
