// Rule test cases (files with "format": "subsidy-tests/1", beside the rule files): a profile and
// the expected status and exact amount per rule. Loaded from text; checked against a Report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/builtin_rules.h"
#include "core/diagnostic.h"
#include "core/engine.h"
#include "core/profile.h"

namespace subsidy {

struct Expectation {
  std::string rule;
  std::string status;
  std::optional<Decimal> amount;
  std::optional<Decimal> up_to;  // an upper-bound rule's bound for the profile
};

struct TestCase {
  std::string file;
  std::string name;
  int line = 0;
  Profile profile;
  std::vector<Expectation> expect;
  std::optional<Decimal> total;          // expected grand total, when given
  std::optional<Decimal> fee_reduction;  // expected sum of fee reductions, when given
};

Result<std::vector<TestCase>> load_test_cases(std::string_view text, const std::string& source,
                                              const Vocabulary& vocabulary);

// The cases of every test file in `files` (names ending in .tests.json); problems are appended to
// `problems`, and the cases of the files that loaded are returned.
std::vector<TestCase> load_all_test_cases(const std::vector<SourceText>& files,
                                          const Vocabulary& vocabulary,
                                          std::vector<Diagnostic>& problems);

// What differs between the expectations and the report; empty when the case passes. Naming a rule
// the report does not contain is a mismatch too.
std::vector<Message> check_case(const TestCase& test, const Report& report);

}  // namespace subsidy
