// `subsidy documents`: every encoded policy document with its 文号, title, region and parent
// region, validity, rules by benefit and the articles covered, as text or stable JSON.
#pragma once

#include <string>
#include <string_view>

#include "core/ruleset.h"
#include "report/format.h"

namespace subsidy {

// `format` is Table or Json; JSON keys are stable (docs/output.md), names in both languages.
std::string render_documents(const RuleSet& rules, Format format, Lang lang);

}  // namespace subsidy
