// Checks on a loaded rule set beyond what makes it loadable: warnings about documents out of force
// for a year, untested rules, conditions that can never hold, and bounds whose inclusivity the
// quoted text does not settle without a written interpretation.
#pragma once

#include <vector>

#include "core/diagnostic.h"
#include "core/model.h"
#include "core/testcases.h"

namespace subsidy {

// Warnings (and errors for test cases naming unknown rules), located in the rule files.
std::vector<Diagnostic> lint(const RuleSet& rules, const std::vector<TestCase>& cases, int year);

}  // namespace subsidy
