#include "core/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace subsidy {

std::string format_diagnostic(const Diagnostic& d, std::string_view lang) {
  std::string where = d.file;
  if (d.line > 0) where += fmt::format(":{}:{}", d.line, d.col);
  if (!d.path.empty()) where += fmt::format(" ({})", d.path);
  bool en = lang == "en";
  std::string_view severity =
      d.severity == Severity::Error ? (en ? "error" : "错误") : (en ? "warning" : "警告");
  return fmt::format("{}: {}: {} [{}]", where, severity, d.text(lang), d.code);
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& d : diagnostics) {
    if (d.severity == Severity::Error) return true;
  }
  return false;
}

void sort_by_position(std::vector<Diagnostic>& diagnostics) {
  std::map<std::string, std::size_t> file_order;
  for (const Diagnostic& d : diagnostics) file_order.emplace(d.file, file_order.size());
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) {
                     std::size_t fa = file_order[a.file], fb = file_order[b.file];
                     if (fa != fb) return fa < fb;
                     if (a.line != b.line) return a.line < b.line;
                     return a.col < b.col;
                   });
}

}  // namespace subsidy
