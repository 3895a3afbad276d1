// Documents generated from the fact vocabulary: the typed JSON Schema of profiles (every fact with
// its type, unit and years) and the Markdown reference of every fact (docs/facts.md).
#pragma once

#include <string>

#include "core/model.h"

namespace subsidy {

std::string render_profile_schema(const Vocabulary& vocabulary);
std::string render_fact_reference(const RuleSet& rules);

}  // namespace subsidy

namespace subsidy {

// `subsidy questionnaire`: the facts that a region's applicable documents read for one kind of
// applicant in one policy year, as a JSON profile template with descriptions, or a CSV header and
// an example row.
std::string render_questionnaire(const RuleSet& rules, const std::string& region,
                                 const std::string& kind, int year, const std::string& format);
// The latest policy year in which some document applies to the region, or 0.
int latest_year(const RuleSet& rules, const std::string& region);

}  // namespace subsidy
