// Documents generated from the fact vocabulary: the typed JSON Schema of profiles (every fact with
// its type, unit and years) and the Markdown reference of every fact (docs/facts.md).
#pragma once

#include <string>
#include <vector>

#include "core/message.h"
#include "core/model.h"
#include "report/format.h"

namespace subsidy {

std::string render_profile_schema(const Vocabulary& vocabulary);
std::string render_fact_reference(const RuleSet& rules);

}  // namespace subsidy

namespace subsidy {

// `subsidy questionnaire`: the facts that a region's applicable documents read for one applicant
// (`who`) in one policy year, as a JSON profile template with descriptions, or a CSV header and
// a row to fill in. The template states no answer: every fact is null (a per-year fact has the
// years the rules read as keys, each null; a list is null, its item's shape described) and a CSV
// row has every fact cell empty; examples are only in the descriptions. `year_note`, when not
// empty, says how the year was chosen (core/region.h default_policy_year) and is carried as
// "policy_year_note".
// `subsidy facts`: every fact with its Chinese and English names, type and unit, the years the
// rules read (as offsets from the policy year) and the rules that read it; each enum value (the
// catalogue of titles and events) with its names and readers. With `region` (a code), only what
// the documents covering that region read; with `search`, only the facts and values whose id or
// either name contains it (English in any case). Written in `lang`; "" when nothing matches.
std::string render_fact_catalogue(const RuleSet& rules, const std::string& region,
                                  const std::string& search, Lang lang);

// Whom a questionnaire is for: a legal form, and the roles held (empty: not given, so every rule
// open to the form is asked about; else only rules without roles or asking for one of them).
struct Applicant {
  std::string form;
  std::vector<std::string> roles;
};

// The CSV template's header names each column as batch reads it; a column with choices (an enum,
// a yes/no, the roles) carries them after the name in brackets, in `lang`: "certifications[0].type
// (high_tech_enterprise=国家高新技术企业 | …)". Batch reads a header cell up to " (".
std::string render_questionnaire(const RuleSet& rules, const std::string& region,
                                 const Applicant& who, int year, Format format,
                                 const Message& year_note = {}, Lang lang = Lang::Zh);

}  // namespace subsidy
