// The subcommands' setup functions, one per file under src/cli/. Each registers its options and a
// callback that runs the command and reports its exit code by throwing Done.
#pragma once

namespace CLI {
class App;
}

namespace subsidy::cli {

// Carries a finished subcommand's exit code out of CLI11's callback.
struct Done {
  int code;
};

void setup_eval(CLI::App& app);
void setup_test(CLI::App& app);
void setup_rules(CLI::App& app);
void setup_check(CLI::App& app);
void setup_diff(CLI::App& app);
void setup_schema(CLI::App& app);
void setup_batch(CLI::App& app);
void setup_compare(CLI::App& app);
void setup_explain(CLI::App& app);
void setup_questionnaire(CLI::App& app);

}  // namespace subsidy::cli
