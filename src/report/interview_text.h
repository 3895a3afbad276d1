// The texts of the guided interview (`subsidy ask`): a question with its unit, example and year,
// the articles that ask for it, the running total; and a profile written back as JSON.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/advice.h"
#include "core/engine.h"
#include "core/interview.h"

namespace subsidy {

// Question `number`: the fact's name (and year), unit, an example, the choices of an enum, why
// that year, what depends on it and how to skip; ends with the prompt line "> ".
std::string question_text(const Question& question, const Report& report, int number, Lang lang);
// The answer to "?": the rules that ask for the fact, each with its document and article.
std::string question_sources(const MissingFact& missing, const Report& report, Lang lang);
// The running total of grants, and how many questions are still open.
std::string progress_text(const Report& report, std::size_t open, Lang lang);
// The documents of the region in force in the policy year, and those of other years with the
// --year that shows them (a district's document may be of another year than its city's).
std::string documents_text(const std::vector<const Document*>& documents, int year, Lang lang);
// The profile as JSON that load_profile reads back to the same profile: kind, region, policy
// year and the facts it gives, in vocabulary order, numbers written exactly.
std::string render_profile_json(const Profile& profile, const Vocabulary& vocabulary);

}  // namespace subsidy
