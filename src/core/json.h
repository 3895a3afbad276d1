// A small JSON reader that keeps what the loaders need and general parsers drop: the exact text of
// every number, the line and column of every value and key, and an error for duplicate keys.
//
// Memory is a small multiple of the text (issue 13): a parsed text is a Tree that owns a copy of
// the source and two flat arrays, one of 24-byte Values and one of Members; a container's
// children are one contiguous range of those arrays, and a string is a view into the source (or,
// when it has escapes, into one buffer of decoded text). Nothing is allocated per value.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"

namespace subsidy::json {

enum class Type : std::uint8_t { Null, Bool, Number, String, Array, Object };

// A read-only view of `size` contiguous elements (a container's children).
template <class T>
class Span {
 public:
  Span() = default;
  Span(const T* data, std::size_t size) : data_(data), size_(size) {}
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](std::size_t i) const { return data_[i]; }

 private:
  const T* data_ = nullptr;
  std::size_t size_ = 0;
};

struct Member;

// One value of a Tree (or of a Draft frozen into one): valid as long as its Tree.
struct Value {
  Type type = Type::Null;
  bool boolean = false;
  int line = 0;  // 1-based position of the value's first character
  int col = 0;   // counted in characters (code points), not bytes

  // A string's decoded content, or a number's exact source text; empty for other types.
  std::string_view text() const {
    return is_string() || is_number() ? std::string_view(static_cast<const char*>(data_), size_)
                                      : std::string_view();
  }
  // An array's items; empty for other types.
  Span<Value> items() const {
    return is_array() ? Span<Value>(static_cast<const Value*>(data_), size_) : Span<Value>();
  }
  // An object's members in source order; empty for other types.
  Span<Member> members() const;

  const Value* find(std::string_view key) const;
  bool is_number() const { return type == Type::Number; }
  bool is_string() const { return type == Type::String; }
  bool is_object() const { return type == Type::Object; }
  bool is_array() const { return type == Type::Array; }
  bool is_bool() const { return type == Type::Bool; }

  // Storage, set by the parser and by Draft::freeze only: text bytes, items or members.
  std::uint32_t size_ = 0;
  const void* data_ = nullptr;
};

struct Member {
  std::string_view key() const { return {key_, key_size_}; }
  int line = 0;
  int col = 0;
  Value value;

  const char* key_ = nullptr;
  std::uint32_t key_size_ = 0;
};

inline Span<Member> Value::members() const {
  return is_object() ? Span<Member>(static_cast<const Member*>(data_), size_) : Span<Member>();
}

// A parsed JSON text: owns everything its Values point to (but the text given to parse_borrowed).
// Moving it keeps them valid.
class Tree {
 public:
  const Value& root() const { return root_; }

 private:
  friend class Parser;
  friend struct Draft;
  std::vector<char> text_;     // the source (empty when borrowed), or the texts of a frozen Draft
  std::vector<char> decoded_;  // strings with escapes, decoded
  std::vector<Value> values_;
  std::vector<Member> members_;
  Value root_;
};

// A value built in code rather than parsed (a CSV row's profile, a condition's fact reference):
// ordinary containers to fill in, then frozen into a compact Tree. Not for large inputs.
struct Draft {
  Type type = Type::Null;
  bool boolean = false;
  int line = 0;
  int col = 0;
  std::string text;
  std::vector<Draft> items;
  struct Entry;
  std::vector<Entry> members;

  static Draft of(const Value& value);  // a copy of a parsed value, positions kept
  Draft& member(std::string_view key, int line, int col);  // found, or added as an empty object
  Tree freeze() const;
};

struct Draft::Entry {
  std::string key;
  int line = 0;
  int col = 0;
  Draft value;
};

struct Limits {
  int max_depth = 256;
};

// Parses one JSON text (RFC 8259; a leading UTF-8 byte-order mark is skipped). On failure returns
// a single diagnostic naming `source` with the position of the problem. Time is linear in the
// text (duplicate keys are found with a hash set), memory a small multiple of it.
Result<Tree> parse(std::string_view text, const std::string& source, Limits limits = {});

// The same, but the Tree views `text` instead of copying it: `text` must outlive the Tree. For
// the loader, whose files outlive the trees it compiles (a megabyte of built-in rules not copied).
Result<Tree> parse_borrowed(std::string_view text, const std::string& source, Limits limits = {});

// "a number" in English, "数字" in Chinese (any other `lang`).
std::string_view type_name(Type type, Lang lang);

}  // namespace subsidy::json
