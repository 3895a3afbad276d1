// Documents generated from the fact vocabulary: the typed JSON Schema of profiles (every fact with
// its type, unit and years) and the Markdown reference of every fact (docs/facts.md).
#pragma once

#include <string>

#include "core/model.h"

namespace subsidy {

std::string render_profile_schema(const Vocabulary& vocabulary);
std::string render_fact_reference(const RuleSet& rules);

}  // namespace subsidy
