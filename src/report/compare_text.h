// Renders `subsidy compare`: regions ranked by the total the applicant would receive there, with
// the rules that pay in each (the difference between regions).
#pragma once

#include <string>
#include <vector>

#include "core/engine.h"
#include "report/format.h"

namespace subsidy {

struct RegionResult {
  std::string region;
  Report report;
};

std::string render_comparison(const std::vector<RegionResult>& results, const RuleSet& rules,
                              Format format, Lang lang);

}  // namespace subsidy
