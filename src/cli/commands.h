// The subcommands' setup functions, one per file under src/cli/. Each registers its options and a
// callback that runs the command and reports its exit code by throwing Done. `lang` is the run's
// language (run_language): the help texts are written in it and it is the default of --lang.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace subsidy::cli {

// Carries a finished subcommand's exit code out of CLI11's callback.
struct Done {
  int code;
};

void setup_eval(CLI::App& app, const std::string& lang);
void setup_test(CLI::App& app, const std::string& lang);
void setup_rules(CLI::App& app, const std::string& lang);
void setup_check(CLI::App& app, const std::string& lang);
void setup_diff(CLI::App& app, const std::string& lang);
void setup_schema(CLI::App& app, const std::string& lang);
void setup_batch(CLI::App& app, const std::string& lang);
void setup_compare(CLI::App& app, const std::string& lang);
void setup_explain(CLI::App& app, const std::string& lang);
void setup_ask(CLI::App& app, const std::string& lang);
void setup_questionnaire(CLI::App& app, const std::string& lang);
void setup_facts(CLI::App& app, const std::string& lang);
void setup_documents(CLI::App& app, const std::string& lang);
void setup_serve(CLI::App& app, const std::string& lang);

}  // namespace subsidy::cli
