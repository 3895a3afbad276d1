// Shared helpers for the loaders: walk a parsed JSON tree, check keys and types, and record every
// problem with its file, position and JSON path instead of stopping at the first.
#pragma once

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/diagnostic.h"
#include "core/json.h"
#include "core/model.h"

namespace subsidy {

std::string child_path(const std::string& path, std::string_view key);
std::string child_path(const std::string& path, std::size_t index);

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  void error(const json::Value& at, const std::string& path, Message message, std::string code);
  void error_at(int line, int col, const std::string& path, Message message, std::string code);

  // True when `v` is an object whose keys are all in `required` or `optional`, and that has every
  // key of `required`. Reports each unknown or missing key.
  bool object(const json::Value& v, const std::string& path,
              std::initializer_list<std::string_view> required,
              std::initializer_list<std::string_view> optional = {});
  // The same, for key lists kept in a table (core/ops.h).
  bool object_of(const json::Value& v, const std::string& path,
                 std::span<const std::string_view> required,
                 std::span<const std::string_view> optional);
  bool expect(const json::Value& v, const std::string& path, json::Type type);

  // Member readers: nullopt when absent (reported if `required`) or of the wrong type (reported).
  std::optional<std::string> string(const json::Value& obj, std::string_view key,
                                    const std::string& path, bool required = true);
  std::optional<bool> boolean(const json::Value& obj, std::string_view key, const std::string& path,
                              bool required = true);
  std::optional<int> integer(const json::Value& obj, std::string_view key, const std::string& path,
                             bool required = true);
  // A number written as a JSON number or a decimal string; `suffixes` allows "5%", "200万", "1亿".
  std::optional<Decimal> number(const json::Value& v, const std::string& path, bool suffixes);
  std::vector<std::string> strings(const json::Value& obj, std::string_view key,
                                   const std::string& path, bool required = true);
  // An array of {"zh": "...", "en": "..."} objects, both languages required and non-empty: text
  // for people is never in one language only.
  std::vector<Text> texts(const json::Value& obj, std::string_view key, const std::string& path);

  const std::string& file() const { return file_; }
  // At most kMaxDiagnosticsPerFile problems, then one "and N more problems" counting the rest.
  std::vector<Diagnostic>& diagnostics();
  bool failed() const { return has_errors(diagnostics_); }

 private:
  std::string file_;
  std::vector<Diagnostic> diagnostics_;
  std::size_t omitted_ = 0;  // problems found beyond the cap: counted, not kept
};

}  // namespace subsidy
