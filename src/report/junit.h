// JUnit XML for `subsidy test --junit`, the format CI systems read: one <testsuite> per test
// file, one <testcase> per case, a <failure> with the mismatches and the rules' traces.
#pragma once

#include <string>
#include <vector>

namespace subsidy {

struct CaseOutcome {
  std::string file;
  std::string name;
  bool skipped = false;
  std::vector<std::string> problems;  // empty when the case passed
  std::string details;                // failures, missing facts and traces of the rules involved
};

std::string render_junit(const std::vector<CaseOutcome>& outcomes);

}  // namespace subsidy
