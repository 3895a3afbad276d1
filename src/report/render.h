// Renderers: a Report → text, in Chinese (default) or English, as a terminal table, stable JSON
// (docs/output.md), CSV or Markdown. They return strings; only the CLI prints.
#pragma once

#include <string>
#include <string_view>

#include "core/engine.h"

namespace subsidy {

enum class Format { Table, Json, Csv, Markdown };

std::string render_report(const Report& report, Format format, std::string_view lang);

// One-line explanations, shared by every format.
std::string explain_failure(const Failure& failure, const Report& report, std::string_view lang);
std::string explain_missing(const Missing& missing, const Report& report, std::string_view lang);
std::string status_label(Status status, std::string_view lang);

}  // namespace subsidy
