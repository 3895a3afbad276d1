// Documents generated from the fact vocabulary: the typed JSON Schema of profiles (every fact with
// its type, unit and years) and the Markdown reference of every fact (docs/facts.md).
#pragma once

#include <string>

#include "core/message.h"
#include "core/model.h"

namespace subsidy {

std::string render_profile_schema(const Vocabulary& vocabulary);
std::string render_fact_reference(const RuleSet& rules);

}  // namespace subsidy

namespace subsidy {

// `subsidy questionnaire`: the facts that a region's applicable documents read for one kind of
// applicant in one policy year, as a JSON profile template with descriptions, or a CSV header and
// a row to fill in. The template states no answer: every fact is null (a per-year fact has the
// years the rules read as keys, each null; a list is null, its item's shape described) and a CSV
// row has every fact cell empty; examples are only in the descriptions. `year_note`, when not
// empty, says how the year was chosen (core/region.h default_policy_year) and is carried as
// "policy_year_note".
std::string render_questionnaire(const RuleSet& rules, const std::string& region,
                                 const std::string& kind, int year, const std::string& format,
                                 const Message& year_note = {});

}  // namespace subsidy
