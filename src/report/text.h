// Terminal text helpers: display width of UTF-8 text (CJK characters take two columns), padding to
// a width, and money with thousands separators.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.h"

namespace subsidy::text {

// Appends to `out` what `emit(sink)` writes, where sink(std::string_view) takes each piece: emit
// runs twice, once to measure and once to copy into place, so a long text made of many small
// pieces (a batch record's lists) costs one allocation and plain copies. `emit` must write the
// same pieces both times.
template <class Emit>
void append_measured(std::string& out, Emit&& emit) {
  std::size_t size = 0;
  emit([&size](std::string_view s) { size += s.size(); });
  std::size_t at = out.size();
  out.resize(at + size);
  char* p = out.data() + at;
  emit([&p](std::string_view s) {
    std::char_traits<char>::copy(p, s.data(), s.size());
    p += s.size();
  });
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
