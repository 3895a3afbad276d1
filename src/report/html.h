// A self-contained HTML report (no external scripts, fonts or images): applicant summary, total,
// bar charts of amounts by document and by category as inline SVG, the eligible rules with their
// articles and quoted sentences, near-misses and missing information.
#pragma once

#include <string>
#include <string_view>

#include "report/render.h"

namespace subsidy {

std::string render_html(const Report& report, Lang lang, const ReportExtras& extras);

}  // namespace subsidy
