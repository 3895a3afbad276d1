// File access for the subcommands: reading inputs (or standard input for "-") and loading the
// rule set, built in or from a directory. Failures become cli::Fatal with the documented exit code.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"

namespace subsidy::cli {

// The whole content of `path`, or of standard input when path is "-".
std::string read_input(const std::string& path);

// The built-in rules, or every *.json file of `dir` when it is not empty. Prints nothing; throws
// Fatal(kBadRules) with every diagnostic in the message.
RuleSet load_rules(const std::string& dir);

}  // namespace subsidy::cli
