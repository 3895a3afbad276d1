#include "core/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace subsidy {

std::string format_diagnostic(const Diagnostic& d, Lang lang) {
  std::string where = d.file;
  if (d.line > 0) where += fmt::format(":{}:{}", d.line, d.col);
  if (!d.path.empty()) where += fmt::format(" ({})", d.path);
  bool en = lang == Lang::En;
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

Diagnostic more_problems(const std::string& file, std::size_t omitted) {
  Diagnostic d{file,    0, 0, "", msg("and {} more problems", "另有 {} 个问题未列出", omitted),
               kTooMany};
  d.omitted = omitted;
  return d;
}

void sort_by_position(std::vector<Diagnostic>& diagnostics) {
  std::map<std::string, std::size_t> file_order;
  for (const Diagnostic& d : diagnostics) file_order.emplace(d.file, file_order.size());
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) {
                     std::size_t fa = file_order[a.file], fb = file_order[b.file];
                     if (fa != fb) return fa < fb;
                     bool ma = a.code == kTooMany, mb = b.code == kTooMany;
                     if (ma != mb) return mb;
                     if (a.line != b.line) return a.line < b.line;
                     return a.col < b.col;
                   });
}

void cap_per_file(std::vector<Diagnostic>& diagnostics) {
  sort_by_position(diagnostics);
  std::vector<Diagnostic> kept;
  std::size_t listed = 0, omitted = 0;
  auto close = [&](const std::string& file) {
    if (omitted > 0) kept.push_back(more_problems(file, omitted));
    listed = omitted = 0;
  };
  for (std::size_t i = 0; i < diagnostics.size(); ++i) {
    Diagnostic& d = diagnostics[i];
    std::string file = d.file;  // d may be moved below
    if (d.code == kTooMany) {
      omitted += d.omitted;
    } else if (listed < kMaxDiagnosticsPerFile) {
      ++listed;
      kept.push_back(std::move(d));
    } else {
      ++omitted;
    }
    if (i + 1 == diagnostics.size() || diagnostics[i + 1].file != file) close(file);
  }
  diagnostics = std::move(kept);
}

std::size_t count_problems(const std::vector<Diagnostic>& diagnostics) {
  std::size_t n = 0;
  for (const Diagnostic& d : diagnostics) n += d.code == kTooMany ? d.omitted : 1;
  return n;
}

}  // namespace subsidy
