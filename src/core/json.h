// A small JSON reader that keeps what the loaders need and general parsers drop: the exact text of
// every number, the line and column of every value and key, and an error for duplicate keys.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"

namespace subsidy::json {

enum class Type { Null, Bool, Number, String, Array, Object };

struct Member;

struct Value {
  Type type = Type::Null;
  int line = 0;  // 1-based position of the value's first character
  int col = 0;   // counted in characters (code points), not bytes
  bool boolean = false;
  std::string text;  // a string's decoded content, or a number's exact source text
  std::vector<Value> items;
  std::vector<Member> members;

  const Value* find(std::string_view key) const;
  bool is_number() const { return type == Type::Number; }
  bool is_string() const { return type == Type::String; }
  bool is_object() const { return type == Type::Object; }
  bool is_array() const { return type == Type::Array; }
  bool is_bool() const { return type == Type::Bool; }
};

struct Member {
  std::string key;
  int line = 0;
  int col = 0;
  Value value;
};

struct Limits {
  int max_depth = 256;
};

// Parses one JSON text (RFC 8259; a leading UTF-8 byte-order mark is skipped). On failure returns
// a single diagnostic naming `source` with the position of the problem.
Result<Value> parse(std::string_view text, const std::string& source, Limits limits = {});

// "a number" in English, "数字" in Chinese (any other `lang`).
std::string_view type_name(Type type, std::string_view lang);

}  // namespace subsidy::json
