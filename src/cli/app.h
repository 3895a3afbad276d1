// The command-line front end: builds the CLI11 app from the subcommands, runs the chosen one, and
// is the only place that catches subsidy::cli::Fatal and unexpected exceptions.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "core/diagnostic.h"

namespace subsidy::cli {

// Exit codes, documented in the README.
enum ExitCode : int {
  kOk = 0,
  kFindings = 1,   // check/test found problems (later commands)
  kUsage = 2,      // bad command line
  kBadInput = 3,   // a profile (or other input) is unreadable or invalid
  kBadRules = 4,   // the rule files are invalid
  kRowErrors = 5,  // batch finished, but some rows were bad (each has an error record)
  kInternal = 70,  // a bug in subsidy
};

// The one exception type of the CLI layer: a message for stderr and an exit code.
class Fatal : public std::runtime_error {
 public:
  Fatal(int code, const std::string& message, bool located = false)
      : std::runtime_error(message), code_(code), located_(located) {}
  int code() const { return code_; }
  // True when the message is a list of located diagnostics that already name their file.
  bool located() const { return located_; }

 private:
  int code_;
  bool located_;
};

// A Fatal carrying located diagnostics ("file:line:col (path): error: ..."), one per line, with a
// closing count; printed without the "subsidy:" prefix so editors can jump to each location.
Fatal diagnostics_error(int code, std::vector<Diagnostic> diagnostics, const std::string& what);

int run(int argc, char** argv);

}  // namespace subsidy::cli
