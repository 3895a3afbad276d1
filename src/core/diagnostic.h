// Problems found in input files, each located by file, line, column and JSON path, and the
// result type that loaders return: a value, or every problem found.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace subsidy {

enum class Severity { Error, Warning };

struct Diagnostic {
  std::string file;
  int line = 0;  // 1-based; 0 when the problem has no position (e.g. an unreadable file)
  int col = 0;
  std::string path;  // JSON pointer of the offending value, "/rules/3/amount"
  std::string message;
  std::string code;  // stable, e.g. "unknown-key"
  Severity severity = Severity::Error;
};

// "file:line:col (path): error: message [code]"
std::string format_diagnostic(const Diagnostic& d);

bool has_errors(const std::vector<Diagnostic>& diagnostics);

// Orders diagnostics by position within each file, keeping files in the order they first appear.
void sort_by_position(std::vector<Diagnostic>& diagnostics);

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
