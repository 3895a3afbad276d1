// The reference of the rule language, printed from the tables that define it (core/ops.h):
// docs/language.md is this text, and a golden test fails when the two disagree.
#pragma once

#include <string>

namespace subsidy {

// Markdown: the expression operators, the condition forms and the bounds, one row each.
std::string render_language_reference();

}  // namespace subsidy
