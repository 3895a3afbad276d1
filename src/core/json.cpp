#include "core/json.h"

#include <fmt/format.h>

namespace subsidy::json {
namespace {

struct SyntaxError {
  int line;
  int col;
  Message message;
  std::string code;
};

class Parser {
 public:
  Parser(std::string_view text, Limits limits) : s_(text), limits_(limits) {}

  Value parse_document() {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") {
      pos_ = 3;  // a byte-order mark occupies no column
    }
    skip_space();
    if (pos_ >= s_.size())
      fail({"empty input: expected a JSON value", "输入为空：应为一个 JSON 值"}, "json-empty");
    Value v = parse_value(0);
    skip_space();
    if (pos_ < s_.size())
      fail({"unexpected text after the JSON value", "JSON 值之后有多余的文本"}, "json-syntax");
    return v;
  }

 private:
  [[noreturn]] void fail(Message message, std::string code = "json-syntax") {
    throw SyntaxError{line_, col_, std::move(message), std::move(code)};
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

  void skip_space() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        advance();
      } else {
        break;
      }
    }
  }

  void expect_word(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) fail({"invalid literal", "无效的字面量"});
    advance(word.size());
  }

  Value parse_value(int depth) {
    if (depth > limits_.max_depth) {
      fail(msg("nesting deeper than {} levels", "嵌套超过 {} 层", limits_.max_depth),
           "json-too-deep");
    }
    Value v;
    v.line = line_;
    v.col = col_;
    char c = peek();
    switch (c) {
      case '{':
        v.type = Type::Object;
        parse_object(v, depth);
        break;
      case '[':
        v.type = Type::Array;
        parse_array(v, depth);
        break;
      case '"':
        v.type = Type::String;
        v.text = parse_string();
        break;
      case 't':
        expect_word("true");
        v.type = Type::Bool;
        v.boolean = true;
        break;
      case 'f':
        expect_word("false");
        v.type = Type::Bool;
        break;
      case 'n':
        expect_word("null");
        break;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          v.type = Type::Number;
          v.text = parse_number();
        } else if (pos_ >= s_.size()) {
          fail({"unexpected end of input", "输入意外结束"}, "json-truncated");
        } else if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
          fail(msg("unexpected byte 0x{:02X}", "意外的字节 0x{:02X}",
                   static_cast<unsigned char>(c)));
        } else {
          fail(msg("unexpected character '{}'", "意外的字符 '{}'", c));
        }
    }
    return v;
  }

  void parse_object(Value& v, int depth) {
    advance();  // {
    skip_space();
    if (peek() == '}') {
      advance();
      return;
    }
    while (true) {
      skip_space();
      if (peek() != '"') {
        if (pos_ >= s_.size())
          fail({"unexpected end of input inside an object", "对象内输入意外结束"},
               "json-truncated");
        fail({"expected a string key", "应为字符串形式的键"});
      }
      Member m;
      m.line = line_;
      m.col = col_;
      m.key = parse_string();
      for (const Member& other : v.members) {
        if (other.key == m.key) {
          line_ = m.line;
          col_ = m.col;
          fail(msg("duplicate key \"{}\" (first at line {})",
                   "重复的键 \"{}\"（首次出现在第 {} 行）", m.key, other.line),
               "json-duplicate-key");
        }
      }
      skip_space();
      if (peek() != ':') fail({"expected ':' after an object key", "对象的键之后应为 ':'"});
      advance();
      skip_space();
      m.value = parse_value(depth + 1);
      v.members.push_back(std::move(m));
      skip_space();
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == '}') {
        advance();
        return;
      }
      if (pos_ >= s_.size())
        fail({"unexpected end of input inside an object", "对象内输入意外结束"}, "json-truncated");
      fail({"expected ',' or '}' in an object", "对象中应为 ',' 或 '}'"});
    }
  }

  void parse_array(Value& v, int depth) {
    advance();  // [
    skip_space();
    if (peek() == ']') {
      advance();
      return;
    }
    while (true) {
      skip_space();
      v.items.push_back(parse_value(depth + 1));
      skip_space();
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == ']') {
        advance();
        return;
      }
      if (pos_ >= s_.size())
        fail({"unexpected end of input inside an array", "数组内输入意外结束"}, "json-truncated");
      fail({"expected ',' or ']' in an array", "数组中应为 ',' 或 ']'"});
    }
  }

  std::string parse_number() {
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
      fail({"invalid number", "无效的数字"});
    }
    if (peek() == '.') {
      advance();
      if (digits() == 0)
        fail({"invalid number: no digit after the decimal point", "无效的数字：小数点后没有数字"});
    }
    if (peek() == 'e' || peek() == 'E') {
      advance();
      if (peek() == '+' || peek() == '-') advance();
      if (digits() == 0) fail({"invalid number: empty exponent", "无效的数字：指数为空"});
    }
    return std::string(s_.substr(start, pos_ - start));
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  unsigned parse_hex4() {
    unsigned v = 0;
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
        fail({"invalid \\u escape", "无效的 \\u 转义"});
      }
      advance();
    }
    return v;
  }

  // Length of the valid UTF-8 sequence at pos_, or 0.
  std::size_t utf8_length() const {
    auto byte = [&](std::size_t k) {
      return pos_ + k < s_.size() ? static_cast<unsigned char>(s_[pos_ + k]) : 0u;
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

  std::string parse_string() {
    advance();  // opening quote
    std::string out;
    while (true) {
      // A run of plain ASCII is copied at once; it holds no newline, so only the column moves.
      std::size_t run = pos_;
      while (run < s_.size()) {
        unsigned char c = static_cast<unsigned char>(s_[run]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++run;
      }
      if (run > pos_) {
        out.append(s_.data() + pos_, run - pos_);
        col_ += static_cast<int>(run - pos_);
        pos_ = run;
      }
      if (pos_ >= s_.size())
        fail({"unexpected end of input inside a string", "字符串内输入意外结束"}, "json-truncated");
      unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        advance();
        return out;
      }
      if (c < 0x20)
        fail({"control character inside a string (escape it)", "字符串中有控制字符（请转义）"});
      if (c == '\\') {
        advance();
        char e = peek();
        advance();
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            unsigned cp = parse_hex4();
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              if (peek() != '\\')
                fail({"unpaired surrogate in \\u escape", "\\u 转义中有未配对的代理项"});
              advance();
              if (peek() != 'u')
                fail({"unpaired surrogate in \\u escape", "\\u 转义中有未配对的代理项"});
              advance();
              unsigned low = parse_hex4();
              if (low < 0xDC00 || low > 0xDFFF)
                fail({"unpaired surrogate in \\u escape", "\\u 转义中有未配对的代理项"});
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
              fail({"unpaired surrogate in \\u escape", "\\u 转义中有未配对的代理项"});
            }
            append_utf8(out, cp);
            break;
          }
          default:
            fail({"invalid escape sequence", "无效的转义序列"});
        }
        continue;
      }
      if (c < 0x80) {
        out += static_cast<char>(c);
        advance();
        continue;
      }
      std::size_t n = utf8_length();
      if (n == 0) fail({"invalid UTF-8 in a string", "字符串中有无效的 UTF-8"}, "json-utf8");
      out.append(s_.substr(pos_, n));
      advance(n);
    }
  }

  std::string_view s_;
  Limits limits_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int col_ = 1;
};

}  // namespace

const Value* Value::find(std::string_view key) const {
  for (const Member& m : members) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

Result<Value> parse(std::string_view text, const std::string& source, Limits limits) {
  try {
    Parser parser(text, limits);
    return parser.parse_document();
  } catch (const SyntaxError& e) {
    return std::vector<Diagnostic>{Diagnostic{source, e.line, e.col, "", e.message, e.code}};
  }
}

std::string_view type_name(Type type, std::string_view lang) {
  bool en = lang == "en";
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
