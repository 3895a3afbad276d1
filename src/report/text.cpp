#include "report/text.h"

#include <algorithm>

namespace subsidy::text {
namespace {

// Decodes the code point at s[i], advancing i; invalid bytes count as one column each.
unsigned next_code_point(std::string_view s, std::size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (extra > 0 && i + static_cast<std::size_t>(extra) >= s.size()) {
    ++i;
    return c;
  }
  unsigned cp = extra == 0 ? c : c & (0x3F >> extra);
  ++i;
  for (int k = 0; k < extra && i < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  return cp;
}

// Code points a terminal shows two columns wide (East Asian wide and fullwidth, CJK, emoji), and
// those it shows in none (combining marks, zero-width space, variation selectors).
struct Range {
  unsigned first, last;
};
constexpr Range kWide[] = {
    {0x1100, 0x115F}, {0x2E80, 0x303E},   {0x3041, 0x33FF},  {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
    {0xA000, 0xA4CF}, {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},  {0xFE30, 0xFE4F}, {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6}, {0x1F300, 0x1FAFF}, {0x20000, 0x3FFFD}};
constexpr Range kZero[] = {{0x0000, 0x0000}, {0x0300, 0x036F}, {0x200B, 0x200B}, {0xFE00, 0xFE0F}};

template <std::size_t N>
bool in_any(unsigned cp, const Range (&ranges)[N]) {
  for (const Range& r : ranges) {
    if (cp >= r.first && cp <= r.last) return true;
  }
  return false;
}

int width_of(unsigned cp) {
  if (in_any(cp, kZero)) return 0;
  return in_any(cp, kWide) ? 2 : 1;
}

}  // namespace

int display_width(std::string_view s) {
  int w = 0;
  for (std::size_t i = 0; i < s.size();) w += width_of(next_code_point(s, i));
  return w;
}

std::string pad(std::string_view s, int width, bool right_align, bool truncate) {
  int w = display_width(s);
  std::string out(s);
  if (w > width && truncate) {
    out.clear();
    int used = 0;
    for (std::size_t i = 0; i < s.size();) {
      std::size_t start = i;
      int cw = width_of(next_code_point(s, i));
      if (used + cw > width - 1) break;
      out.append(s.substr(start, i - start));
      used += cw;
    }
    out += "…";
    w = used + 1;
  }
  std::string fill(static_cast<std::size_t>(std::max(0, width - w)), ' ');
  return right_align ? fill + out : out + fill;
}

std::string grouped(Decimal amount) {
  std::string s = amount.fixed(2);
  bool negative = s[0] == '-';
  if (negative) s.erase(0, 1);
  std::size_t dot = s.find('.');
  std::string whole = s.substr(0, dot);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  return (negative ? "-" : "") + out + s.substr(dot);
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

namespace {

// "四十九" → 49, for the numerals 一 to 九十九 the documents number their items with; 0 otherwise.
int chinese_number(std::string_view s) {
  static constexpr std::string_view kDigits[] = {"一", "二", "三", "四", "五",
                                                 "六", "七", "八", "九"};
  auto digit = [&](std::string_view& rest) {
    for (int d = 0; d < 9; ++d) {
      if (rest.substr(0, kDigits[d].size()) == kDigits[d]) {
        rest.remove_prefix(kDigits[d].size());
        return d + 1;
      }
    }
    return 0;
  };
  std::string_view rest = s;
  int tens = digit(rest);
  if (rest.substr(0, 3) == "十") {
    rest.remove_prefix(3);
    int ones = rest.empty() ? 0 : digit(rest);
    return rest.empty() ? (tens ? tens : 1) * 10 + ones : 0;
  }
  return rest.empty() ? tens : 0;
}

}  // namespace

std::string article(const std::string& number, Lang lang) {
  bool arabic = !number.empty() && number[0] >= '0' && number[0] <= '9';
  if (lang != Lang::En) return "第" + number + "条";
  int n = arabic ? 0 : chinese_number(number);
  return "art. " + (n > 0 ? std::to_string(n) : number);
}

std::string money(Decimal amount) {
  return "¥" + grouped(amount);
}

std::string table(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right,
                  const std::vector<int>& max_width) {
  std::vector<int> widths(right.size(), 0);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], std::min(display_width(row[c]), max_width[c]));
    }
  }
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line = "  ";
    for (std::size_t c = 0; c < rows[r].size() && c < widths.size(); ++c) {
      bool last = c + 1 == rows[r].size();
      std::string cell = pad(rows[r][c], widths[c], right[c]);
      if (last && !right[c]) {
        while (!cell.empty() && cell.back() == ' ') cell.pop_back();
      }
      line += cell + (last ? "" : "  ");
    }
    out += line + "\n";
    if (r == 0) {
      int total = 0;
      for (int w : widths) total += w + 2;
      out += "  " + std::string(static_cast<std::size_t>(std::max(0, total - 2)), '-') + "\n";
    }
  }
  return out;
}

}  // namespace subsidy::text
