// Problems found in input files, each located by file, line, column and JSON path, and the
// result type that loaders return: a value, or every problem found.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/message.h"

namespace subsidy {

enum class Severity { Error, Warning };

// Built with both texts (a Message), so every problem can be shown in either language; the
// constructor, not aggregate initialisation, so a site cannot forget the Chinese text.
struct Diagnostic {
  Diagnostic() = default;
  Diagnostic(std::string file_, int line_, int col_, std::string path_, Message text,
             std::string code_, Severity severity_ = Severity::Error)
      : file(std::move(file_)),
        line(line_),
        col(col_),
        path(std::move(path_)),
        message(std::move(text.en)),
        message_zh(std::move(text.zh)),
        code(std::move(code_)),
        severity(severity_) {}

  // The message in `lang`.
  const std::string& text(Lang lang) const {
    return lang == Lang::En || message_zh.empty() ? message : message_zh;
  }

  std::string file;
  int line = 0;  // 1-based; 0 when the problem has no position (e.g. an unreadable file)
  int col = 0;
  std::string path;        // JSON pointer of the offending value, "/rules/3/amount"
  std::string message;     // English
  std::string message_zh;  // Simplified Chinese
  std::string code;        // stable, the same in both languages, e.g. "unknown-key"
  Severity severity = Severity::Error;
  std::size_t omitted = 0;  // a closing "and N more problems" line (code kTooMany): N
};

// Problems listed per file before the rest are only counted: hostile input (7.8 million wrong
// values) must not become millions of messages, or the memory they take.
constexpr std::size_t kMaxDiagnosticsPerFile = 100;
inline constexpr const char* kTooMany = "too-many-problems";

// The closing line for `file`: "and N more problems", without a position.
Diagnostic more_problems(const std::string& file, std::size_t omitted);

// "file:line:col (path): error: message [code]" in English; in Chinese (any other `lang`)
// "file:line:col (path): 错误: 消息 [code]" (警告 for warnings). The code never changes.
std::string format_diagnostic(const Diagnostic& d, Lang lang);

bool has_errors(const std::vector<Diagnostic>& diagnostics);

// Orders diagnostics by position within each file, keeping files in the order they first appear;
// a file's "and N more problems" line comes last.
void sort_by_position(std::vector<Diagnostic>& diagnostics);

// Sorts, then keeps the first kMaxDiagnosticsPerFile problems of each file and one closing "and N
// more problems" line counting the rest (including those already left out by a loader).
void cap_per_file(std::vector<Diagnostic>& diagnostics);

// How many problems `diagnostics` stands for: each one, plus what "more problems" lines count.
std::size_t count_problems(const std::vector<Diagnostic>& diagnostics);

// Either a value or the diagnostics that prevented it. Expected failures travel in this type;
// exceptions are reserved for bugs and are caught only at the top of the CLI.
template <class T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}
  Result(std::vector<Diagnostic> errors) : data_(std::move(errors)) {}

  bool ok() const { return data_.index() == 0; }
  T& value() { return std::get<0>(data_); }
  const T& value() const { return std::get<0>(data_); }
  const std::vector<Diagnostic>& errors() const { return std::get<1>(data_); }

 private:
  std::variant<T, std::vector<Diagnostic>> data_;
};

}  // namespace subsidy
