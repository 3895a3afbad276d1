#include "core/json.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <unordered_set>

namespace subsidy::json {
namespace {

// Children per container, in the order the containers open, from a quick scan that only tracks
// strings, brackets and commas: the parser then places each container's children in one
// contiguous block of the flat arrays, which never reallocate. For malformed text the counts may
// be wrong, but the parser meets the syntax error before it relies on them (and checks anyway).
struct Shape {
  std::vector<std::uint32_t> children;
  std::size_t items = 0;
  std::size_t members = 0;
};

// The position of the quote that closes the string opened at `open`, or the text's size. A quote
// preceded by an odd run of backslashes is escaped. memchr, because most of a rule file's bytes
// are inside strings (the quoted articles).
std::size_t string_end(std::string_view s, std::size_t open) {
  const char* begin = s.data();
  const char* end = begin + s.size();
  const char* from = begin + open + 1;
  while (from < end) {
    const char* quote = static_cast<const char*>(std::memchr(from, '"', end - from));
    if (!quote) break;
    const char* b = quote;
    while (b > begin + open + 1 && b[-1] == '\\') --b;
    if ((quote - b) % 2 == 0) return static_cast<std::size_t>(quote - begin);
    from = quote + 1;
  }
  return s.size();
}

// How many spaces start at `p` (before `end`), eight bytes at a time: indentation is most of a
// pretty-printed rule file's bytes outside strings, about ten spaces a line.
std::size_t spaces(const char* p, const char* end) {
  constexpr std::uint64_t kSpaces = 0x2020202020202020ull;
  const char* q = p;
  while (end - q >= 8) {
    std::uint64_t w;
    std::memcpy(&w, q, 8);
    // Little-endian, as in ascii_run: the lowest differing byte is the first non-space.
    if (w != kSpaces) return static_cast<std::size_t>(q - p) + std::countr_zero(w ^ kSpaces) / 8;
    q += 8;
  }
  while (q < end && *q == ' ') ++q;
  return static_cast<std::size_t>(q - p);
}

Shape scan_shape(std::string_view s) {
  struct Open {
    std::size_t index;
    std::uint32_t commas;
    bool object;
    bool nonempty;
  };
  Shape shape;
  std::vector<Open> stack;
  auto close = [&] {
    Open o = stack.back();
    stack.pop_back();
    std::uint32_t n = o.nonempty ? o.commas + 1 : 0;
    shape.children[o.index] = n;
    (o.object ? shape.members : shape.items) += n;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ' ' || c == '\n') {
      i += spaces(s.data() + i + 1, s.data() + s.size());
      continue;
    }
    if (c == '\r' || c == '\t' || c == ':') continue;
    if (c == ',') {
      if (!stack.empty()) ++stack.back().commas;
      continue;
    }
    if (c == ']' || c == '}') {
      if (!stack.empty()) close();
      continue;
    }
    if (!stack.empty()) stack.back().nonempty = true;
    if (c == '[' || c == '{') {
      stack.push_back({shape.children.size(), 0, c == '{', false});
      shape.children.push_back(0);
    } else if (c == '"') {
      i = string_end(s, i);
    }
  }
  // Truncated text: room for what the parser will read before it reports where the text ends.
  for (Open& o : stack) o.nonempty = true;
  while (!stack.empty()) close();
  return shape;
}

}  // namespace

class Parser {
 public:
  Parser(std::string_view text, Limits limits, Tree& tree, bool borrow)
      : limits_(limits), tree_(tree) {
    if (borrow) {
      s_ = text;
      return;
    }
    tree_.text_.assign(text.begin(), text.end());
    s_ = std::string_view(tree_.text_.data(), tree_.text_.size());
  }

  // Parses the whole text into the tree; false when it is not JSON, with error() telling why.
  [[nodiscard]] bool parse_document() {
    // UTF-16 (a byte-order mark FF FE or FE FF, or ASCII with a NUL every other byte) is named,
    // instead of an "unexpected byte" that tells a consultant nothing.
    if (s_.starts_with("\xFF\xFE") || s_.starts_with("\xFE\xFF") ||
        (s_.size() >= 2 && (s_[0] == '\0') != (s_[1] == '\0'))) {
      return fail({"this file is UTF-16; save it as UTF-8", "该文件是 UTF-16 编码；请另存为 UTF-8"},
                  "json-utf16");
    }
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") {
      pos_ = 3;  // a byte-order mark occupies no column
    }
    skip_space();
    if (pos_ >= s_.size())
      return fail({"empty input: expected a JSON value", "输入为空：应为一个 JSON 值"},
                  "json-empty");
    shape_ = scan_shape(s_.substr(pos_));
    // Exactly what the text needs (untouched capacity costs no memory), so nothing reallocates
    // and every view into these arrays stays valid.
    tree_.values_.reserve(shape_.items);
    tree_.members_.reserve(shape_.members);
    tree_.decoded_.reserve(s_.size());
    if (!parse_value(0, tree_.root_)) return false;
    skip_space();
    if (pos_ < s_.size())
      return fail({"unexpected text after the JSON value", "JSON 值之后有多余的文本"});
    std::vector<std::uint32_t>().swap(shape_.children);
    return true;
  }

  // The first problem met, at the position where parsing stopped.
  Diagnostic error(const std::string& source) && {
    return Diagnostic{source, line_, col_, "", std::move(message_), std::move(code_)};
  }

 private:
  // Every parse function returns false on the first problem, which fail() records (at the
  // current position) and every caller passes up unchanged: nothing is parsed after it.
  bool fail(Message message, std::string code = "json-syntax") {
    message_ = std::move(message);
    code_ = std::move(code);
    return false;
  }

  void advance(std::size_t n = 1) {
    for (std::size_t k = 0; k < n && pos_ < s_.size(); ++k) {
      unsigned char c = static_cast<unsigned char>(s_[pos_++]);
      if (c == '\n') {
        ++line_;
        col_ = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++col_;
      }
    }
  }

  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

  // Indentation is most of a pretty-printed rule file: runs of spaces eight bytes at a time, the
  // rest one byte at a time, without advance().
  void skip_space() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ' ') {
        std::size_t n = spaces(s_.data() + pos_, s_.data() + s_.size());
        pos_ += n;
        col_ += static_cast<int>(n);
        continue;
      }
      if (c == '\t' || c == '\r') {
        ++col_;
      } else if (c == '\n') {
        ++line_;
        col_ = 1;
      } else {
        break;
      }
      ++pos_;
    }
  }

  [[nodiscard]] bool expect_word(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return fail({"invalid literal", "无效的字面量"});
    advance(word.size());
    return true;
  }

  [[nodiscard]] bool parse_value(int depth, Value& v) {
    if (depth > limits_.max_depth) {
      return fail(msg("nesting deeper than {} levels", "嵌套超过 {} 层", limits_.max_depth),
                  "json-too-deep");
    }
    v.line = line_;
    v.col = col_;
    char c = peek();
    switch (c) {
      case '{':
        v.type = Type::Object;
        return parse_object(v, depth);
      case '[':
        v.type = Type::Array;
        return parse_array(v, depth);
      case '"':
        v.type = Type::String;
        return parse_string(v);
      case 't':
        v.type = Type::Bool;
        v.boolean = true;
        return expect_word("true");
      case 'f':
        v.type = Type::Bool;
        return expect_word("false");
      case 'n':
        return expect_word("null");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          v.type = Type::Number;
          return parse_number(v);
        }
        return unexpected(c);
    }
  }

  bool unexpected(char c) {
    if (pos_ >= s_.size())
      return fail({"unexpected end of input", "输入意外结束"}, "json-truncated");
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
      return fail(
          msg("unexpected byte 0x{:02X}", "意外的字节 0x{:02X}", static_cast<unsigned char>(c)));
    }
    return fail(msg("unexpected character '{}'", "意外的字符 '{}'", c));
  }

  static void set_text(Value& v, std::string_view text) {
    v.data_ = text.data();
    v.size_ = static_cast<std::uint32_t>(text.size());
  }

  // The block of `n` slots for the next container's children, in `arena` (reserved whole); null
  // (after fail) when the scan counted wrong.
  template <class T>
  T* block(std::vector<T>& arena, std::uint32_t n) {
    if (arena.capacity() - arena.size() < n) {
      fail({"malformed JSON", "JSON 格式错误"});
      return nullptr;
    }
    std::size_t first = arena.size();
    arena.resize(first + n);
    return arena.data() + first;
  }

  std::uint32_t next_count() {
    return container_ < shape_.children.size() ? shape_.children[container_++] : 0;
  }

  // A repeated key: a linear scan while the object is small, a hash set of the keys seen once it
  // is not (160,000 keys took 30 s with the scan alone).
  struct KeyHash {
    std::size_t operator()(const Member* m) const {
      return std::hash<std::string_view>()(m->key());
    }
  };
  struct KeyEq {
    bool operator()(const Member* a, const Member* b) const { return a->key() == b->key(); }
  };

  [[nodiscard]] bool check_duplicate(Member* first, std::uint32_t k,
                                     std::unordered_set<const Member*, KeyHash, KeyEq>& seen) {
    const Member& m = first[k];
    const Member* other = nullptr;
    constexpr std::uint32_t kSmall = 16;
    if (k < kSmall) {
      for (std::uint32_t j = 0; j < k && !other; ++j) {
        if (first[j].key() == m.key()) other = &first[j];
      }
    } else {
      if (seen.empty()) {
        for (std::uint32_t j = 0; j < k; ++j) seen.insert(&first[j]);
      }
      auto [it, inserted] = seen.insert(&m);
      if (!inserted) other = *it;
    }
    if (other) {
      line_ = m.line;
      col_ = m.col;
      return fail(msg("duplicate key \"{}\" (first at line {})",
                      "重复的键 \"{}\"（首次出现在第 {} 行）", m.key(), other->line),
                  "json-duplicate-key");
    }
    return true;
  }

  [[nodiscard]] bool parse_object(Value& v, int depth) {
    std::uint32_t n = next_count();
    advance();  // {
    skip_space();
    if (peek() == '}') {
      advance();
      return true;
    }
    Member* first = block(tree_.members_, n);
    if (!first) return false;
    v.data_ = first;
    std::unordered_set<const Member*, KeyHash, KeyEq> seen;
    for (std::uint32_t k = 0;; ++k) {
      skip_space();
      if (peek() != '"') {
        if (pos_ >= s_.size())
          return fail({"unexpected end of input inside an object", "对象内输入意外结束"},
                      "json-truncated");
        return fail({"expected a string key", "应为字符串形式的键"});
      }
      // Past the scanned count only in malformed text: parsed aside, so that the error reported
      // is the real one further on.
      Member aside;
      Member& m = k < n ? first[k] : aside;
      if (!parse_key(m) || (k < n && !check_duplicate(first, k, seen))) return false;
      skip_space();
      if (peek() != ':') return fail({"expected ':' after an object key", "对象的键之后应为 ':'"});
      advance();
      skip_space();
      if (!parse_value(depth + 1, m.value)) return false;
      v.size_ = std::min(k + 1, n);
      skip_space();
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == '}') {
        advance();
        return true;
      }
      if (pos_ >= s_.size())
        return fail({"unexpected end of input inside an object", "对象内输入意外结束"},
                    "json-truncated");
      return fail({"expected ',' or '}' in an object", "对象中应为 ',' 或 '}'"});
    }
  }

  [[nodiscard]] bool parse_key(Member& m) {
    m.line = line_;
    m.col = col_;
    std::string_view key;
    if (!parse_string(key)) return false;
    m.key_ = key.data();
    m.key_size_ = static_cast<std::uint32_t>(key.size());
    return true;
  }

  [[nodiscard]] bool parse_array(Value& v, int depth) {
    std::uint32_t n = next_count();
    advance();  // [
    skip_space();
    if (peek() == ']') {
      advance();
      return true;
    }
    Value* first = block(tree_.values_, n);
    if (!first) return false;
    v.data_ = first;
    for (std::uint32_t k = 0;; ++k) {
      skip_space();
      Value aside;  // as in parse_object
      if (!parse_value(depth + 1, k < n ? first[k] : aside)) return false;
      v.size_ = std::min(k + 1, n);
      skip_space();
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == ']') {
        advance();
        return true;
      }
      if (pos_ >= s_.size())
        return fail({"unexpected end of input inside an array", "数组内输入意外结束"},
                    "json-truncated");
      return fail({"expected ',' or ']' in an array", "数组中应为 ',' 或 ']'"});
    }
  }

  [[nodiscard]] bool parse_number(Value& v) {
    std::size_t start = pos_;
    auto digits = [&] {
      std::size_t from = pos_;
      while (peek() >= '0' && peek() <= '9') advance();
      return pos_ - from;
    };
    if (peek() == '-') advance();
    if (peek() == '0') {
      advance();
    } else if (digits() == 0) {
      return fail({"invalid number", "无效的数字"});
    }
    if (peek() == '.') {
      advance();
      if (digits() == 0)
        return fail(
            {"invalid number: no digit after the decimal point", "无效的数字：小数点后没有数字"});
    }
    if (peek() == 'e' || peek() == 'E') {
      advance();
      if (peek() == '+' || peek() == '-') advance();
      if (digits() == 0) return fail({"invalid number: empty exponent", "无效的数字：指数为空"});
    }
    set_text(v, s_.substr(start, pos_ - start));
    return true;
  }

  static void append_utf8(std::vector<char>& out, unsigned cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  [[nodiscard]] bool parse_hex4(unsigned& v) {
    v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = peek();
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        return fail({"invalid \\u escape", "无效的 \\u 转义"});
      }
      advance();
    }
    return true;
  }

  // Length of the valid UTF-8 sequence at `at`, or 0.
  std::size_t utf8_length(std::size_t at) const {
    auto byte = [&](std::size_t k) {
      return at + k < s_.size() ? static_cast<unsigned char>(s_[at + k]) : 0u;
    };
    unsigned c = byte(0);
    auto cont = [&](std::size_t k) { return (byte(k) & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
      unsigned c1 = byte(1);
      if (c == 0xE0 && c1 < 0xA0) return 0;
      if (c == 0xED && c1 >= 0xA0) return 0;  // surrogates
      return cont(1) && cont(2) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
      unsigned c1 = byte(1);
      if (c == 0xF0 && c1 < 0x90) return 0;
      if (c == 0xF4 && c1 >= 0x90) return 0;
      return cont(1) && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
  }

  // The end of the run of plain text (ASCII and valid UTF-8: a rule's quotes are mostly Chinese)
  // from `from`, and in `chars` its characters: such a run holds no newline, so only the column
  // moves, by one per character.
  std::size_t plain_run(std::size_t from, int& chars) const {
    std::size_t run = from;
    while (run < s_.size()) {
      run += ascii_run(run, chars);
      // Characters one at a time until a plain ASCII byte can start words again.
      for (; run < s_.size(); ++chars) {
        unsigned char c = static_cast<unsigned char>(s_[run]);
        if (c < 0x80) {
          if (c == '"' || c == '\\' || c < 0x20) return run;
          if (run + 8 <= s_.size()) break;
          ++run;  // near the end of the text, where no whole word is left
        } else if (std::size_t n = chinese_pairs(run)) {
          run += 6 * n;
          chars += 2 * static_cast<int>(n) - 1;
        } else if (c >= 0xE1 && c != 0xED && c <= 0xEF && run + 2 < s_.size() &&
                   (static_cast<unsigned char>(s_[run + 1]) & 0xC0) == 0x80 &&
                   (static_cast<unsigned char>(s_[run + 2]) & 0xC0) == 0x80) {
          run += 3;  // the common case, inline: a Chinese character (no overlong or surrogate)
        } else if (std::size_t n = utf8_length(run)) {
          run += n;
        } else {
          return run;
        }
      }
    }
    return run;
  }

  // How many pairs of Chinese characters (three bytes each, a lead byte E1–EC or EE–EF: no
  // overlong form or surrogate, so any two continuation bytes make a valid character) start at
  // `from`, read eight bytes at a time: most of the quoted articles.
  std::size_t chinese_pairs(std::size_t from) const {
    constexpr std::uint64_t kContinuationBits = 0x0000C0C000C0C000ull;
    constexpr std::uint64_t kContinuations = 0x0000808000808000ull;
    auto lead = [](std::uint64_t b) { return b - 0xE1 <= 0xEF - 0xE1 && b != 0xED; };
    std::size_t pairs = 0;
    for (std::size_t at = from; at + 8 <= s_.size(); at += 6, ++pairs) {
      std::uint64_t w;
      std::memcpy(&w, s_.data() + at, 8);  // little-endian: byte k in bits 8k..8k+7
      if ((w & kContinuationBits) != kContinuations || !lead(w & 0xFF) || !lead((w >> 24) & 0xFF))
        break;
    }
    return pairs;
  }

  // How many plain ASCII bytes (no quote, backslash or control byte) start at `from`, eight at a
  // time: the keys, ids and numbers of a rule file. Adds them to `chars`.
  std::size_t ascii_run(std::size_t from, int& chars) const {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
    auto has_zero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
    std::size_t run = from;
    while (run + 8 <= s_.size()) {
      std::uint64_t w;
      std::memcpy(&w, s_.data() + run, 8);
      // Each flag is exact in its lowest byte, the only one used: the first byte to stop at.
      std::uint64_t stop = (w & kHigh) | has_zero(w ^ (kOnes * '"')) |
                           has_zero(w ^ (kOnes * '\\')) | ((w - kOnes * 0x20) & ~w & kHigh);
      if (stop) {
        run += static_cast<std::size_t>(std::countr_zero(stop)) / 8;
        break;
      }
      run += 8;
    }
    chars += static_cast<int>(run - from);
    return run - from;
  }

  // A string's content: a view into the source when it has no escape, else decoded into the
  // tree's buffer (never longer than the source, which it reserved, so it never moves).
  [[nodiscard]] bool parse_string(Value& v) {
    std::string_view text;
    if (!parse_string(text)) return false;
    set_text(v, text);
    return true;
  }

  [[nodiscard]] bool parse_string(std::string_view& text) {
    advance();  // opening quote
    std::size_t start = pos_;
    std::vector<char>& out = tree_.decoded_;
    std::size_t from = 0;
    bool escaped = false;
    while (true) {
      int chars = 0;
      std::size_t run = plain_run(pos_, chars);
      if (run > pos_) {
        if (escaped) out.insert(out.end(), s_.data() + pos_, s_.data() + run);
        col_ += chars;
        pos_ = run;
      }
      if (pos_ >= s_.size())
        return fail({"unexpected end of input inside a string", "字符串内输入意外结束"},
                    "json-truncated");
      unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        text = escaped ? std::string_view(out.data() + from, out.size() - from)
                       : s_.substr(start, pos_ - start);
        advance();
        return true;
      }
      if (c < 0x20)
        return fail(
            {"control character inside a string (escape it)", "字符串中有控制字符（请转义）"});
      if (c == '\\') {
        if (!escaped) {
          escaped = true;
          from = out.size();
          out.insert(out.end(), s_.data() + start, s_.data() + pos_);
        }
        if (!parse_escape(out)) return false;
        continue;
      }
      std::size_t n = c < 0x80 ? 1 : utf8_length(pos_);
      if (n == 0) return fail({"invalid UTF-8 in a string", "字符串中有无效的 UTF-8"}, "json-utf8");
      if (escaped) out.insert(out.end(), s_.data() + pos_, s_.data() + pos_ + n);
      advance(n);
    }
  }

  [[nodiscard]] bool parse_escape(std::vector<char>& out) {
    advance();  // backslash
    char e = peek();
    advance();
    char plain = escaped_char(e);
    if (plain != '\0') {
      out.push_back(plain);
      return true;
    }
    if (e != 'u') return fail({"invalid escape sequence", "无效的转义序列"});
    unsigned cp = 0;
    if (!parse_code_point(cp)) return false;
    append_utf8(out, cp);
    return true;
  }

  // The character a one-letter escape (\n, \") stands for; '\0' for any other letter.
  static char escaped_char(char e) {
    switch (e) {
      case '"':
      case '\\':
      case '/':
        return e;
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      default:
        return '\0';
    }
  }

  [[nodiscard]] bool parse_code_point(unsigned& cp) {
    Message unpaired{"unpaired surrogate in \\u escape", "\\u 转义中有未配对的代理项"};
    if (!parse_hex4(cp)) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (peek() != '\\') return fail(unpaired);
      advance();
      if (peek() != 'u') return fail(unpaired);
      advance();
      unsigned low = 0;
      if (!parse_hex4(low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) return fail(unpaired);
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      return true;
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF) return fail(unpaired);
    return true;
  }

  std::string_view s_;
  Limits limits_;
  Tree& tree_;
  Shape shape_;
  std::size_t container_ = 0;  // containers opened so far: the index into shape_.children
  std::size_t pos_ = 0;
  int line_ = 1;
  int col_ = 1;
  Message message_;  // the first problem (fail)
  std::string code_;
};

const Value* Value::find(std::string_view key) const {
  // Length and first byte before memcmp: the compiler asks each object for many keys it does not
  // have (a condition for "all", "any", "not", "has", ...), and those differ at once.
  for (const Member& m : members()) {
    if (m.key_size_ == key.size() &&
        (key.empty() || (m.key_[0] == key[0] && std::memcmp(m.key_, key.data(), key.size()) == 0)))
      return &m.value;
  }
  return nullptr;
}

namespace {

Result<Tree> parse_text(std::string_view text, const std::string& source, Limits limits,
                        bool borrow) {
  Tree tree;
  Parser parser(text, limits, tree, borrow);
  if (!parser.parse_document()) return std::vector<Diagnostic>{std::move(parser).error(source)};
  return tree;
}

}  // namespace

Result<Tree> parse(std::string_view text, const std::string& source, Limits limits) {
  return parse_text(text, source, limits, false);
}

Result<Tree> parse_borrowed(std::string_view text, const std::string& source, Limits limits) {
  return parse_text(text, source, limits, true);
}

Draft Draft::of(const Value& value) {
  Draft d;
  d.type = value.type;
  d.boolean = value.boolean;
  d.line = value.line;
  d.col = value.col;
  d.text = std::string(value.text());
  for (const Value& item : value.items()) d.items.push_back(of(item));
  for (const Member& m : value.members()) {
    d.members.push_back(Entry{std::string(m.key()), m.line, m.col, of(m.value)});
  }
  return d;
}

Draft& Draft::member(std::string_view key, int at_line, int at_col) {
  // From the last: a CSV row's cells of one fact (its years) stand side by side.
  for (auto e = members.rbegin(); e != members.rend(); ++e) {
    if (e->key == key) return e->value;
  }
  Draft value;
  value.type = Type::Object;
  value.line = at_line;
  value.col = at_col;
  members.push_back(Entry{std::string(key), at_line, at_col, std::move(value)});
  return members.back().value;
}

namespace {

struct Sizes {
  std::size_t text = 0, values = 0, members = 0;
};

void measure(const Draft& d, Sizes& sizes) {
  sizes.text += d.text.size();
  sizes.values += d.items.size();
  sizes.members += d.members.size();
  for (const Draft& item : d.items) measure(item, sizes);
  for (const Draft::Entry& e : d.members) {
    sizes.text += e.key.size();
    measure(e.value, sizes);
  }
}

// Copies `d` into `out`, its texts into `text` and its children into the arenas (all reserved
// whole beforehand, so no pointer taken here moves).
void place(const Draft& d, Value& out, std::vector<char>& text, std::vector<Value>& values,
           std::vector<Member>& members) {
  auto keep = [&](const std::string& s) {
    const char* at = text.data() + text.size();
    text.insert(text.end(), s.begin(), s.end());
    return at;
  };
  out.type = d.type;
  out.boolean = d.boolean;
  out.line = d.line;
  out.col = d.col;
  if (d.type == Type::String || d.type == Type::Number) {
    out.data_ = keep(d.text);
    out.size_ = static_cast<std::uint32_t>(d.text.size());
  } else if (d.type == Type::Array) {
    std::size_t first = values.size();
    values.resize(first + d.items.size());
    out.data_ = values.data() + first;
    out.size_ = static_cast<std::uint32_t>(d.items.size());
    for (std::size_t i = 0; i < d.items.size(); ++i)
      place(d.items[i], values[first + i], text, values, members);
  } else if (d.type == Type::Object) {
    std::size_t first = members.size();
    members.resize(first + d.members.size());
    out.data_ = members.data() + first;
    out.size_ = static_cast<std::uint32_t>(d.members.size());
    for (std::size_t i = 0; i < d.members.size(); ++i) {
      const Draft::Entry& e = d.members[i];
      Member& m = members[first + i];
      m.key_ = keep(e.key);
      m.key_size_ = static_cast<std::uint32_t>(e.key.size());
      m.line = e.line;
      m.col = e.col;
      place(e.value, m.value, text, values, members);
    }
  }
}

}  // namespace

Tree Draft::freeze() const {
  Sizes sizes;
  measure(*this, sizes);
  Tree tree;
  tree.text_.reserve(sizes.text);
  tree.values_.reserve(sizes.values);
  tree.members_.reserve(sizes.members);
  place(*this, tree.root_, tree.text_, tree.values_, tree.members_);
  return tree;
}

std::string_view type_name(Type type, Lang lang) {
  bool en = lang == Lang::En;
  switch (type) {
    case Type::Null:
      return "null";
    case Type::Bool:
      return en ? "a boolean" : "布尔值";
    case Type::Number:
      return en ? "a number" : "数字";
    case Type::String:
      return en ? "a string" : "字符串";
    case Type::Array:
      return en ? "an array" : "数组";
    case Type::Object:
      return en ? "an object" : "对象";
  }
  return "?";
}

}  // namespace subsidy::json
