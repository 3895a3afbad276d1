// The subcommands, as a table (ninja's tool table): each row is a name and a setup function, one
// per file under src/cli/. cli::run adds a CLI11 subcommand for every row, in table order (the
// order of --help), and hands it to the row's setup, which writes the description, registers the
// options and returns the command's run function; after parsing, cli::run calls the run function
// of the subcommand given and returns its exit code. A run function reports failure by throwing
// cli::Fatal, the one exception type of this layer, caught once in cli::run.
//
// `lang` is the run's language (run_language): the help texts are written in it and it is the
// default of --lang. The run function owns its options (shared with CLI11's option bindings, which
// write into them while parsing), so it stays valid as long as it is kept.
#pragma once

#include <functional>
#include <string>

namespace CLI {
class App;
}

namespace subsidy::cli {

using Run = std::function<int()>;
using Setup = Run (*)(CLI::App* cmd, Lang lang);

Run setup_eval(CLI::App* cmd, Lang lang);
Run setup_test(CLI::App* cmd, Lang lang);
Run setup_rules(CLI::App* cmd, Lang lang);
Run setup_check(CLI::App* cmd, Lang lang);
Run setup_diff(CLI::App* cmd, Lang lang);
Run setup_schema(CLI::App* cmd, Lang lang);
Run setup_batch(CLI::App* cmd, Lang lang);
Run setup_compare(CLI::App* cmd, Lang lang);
Run setup_explain(CLI::App* cmd, Lang lang);
Run setup_ask(CLI::App* cmd, Lang lang);
Run setup_questionnaire(CLI::App* cmd, Lang lang);
Run setup_facts(CLI::App* cmd, Lang lang);
Run setup_documents(CLI::App* cmd, Lang lang);
Run setup_serve(CLI::App* cmd, Lang lang);

struct Tool {
  const char* name;
  Setup setup;
};

// In the order of --help. facts comes after batch: a tie of guesses for a mistyped command goes
// to the older name.
inline constexpr Tool kTools[] = {
    {"eval", setup_eval},
    {"explain", setup_explain},
    {"ask", setup_ask},
    {"questionnaire", setup_questionnaire},
    {"batch", setup_batch},
    {"compare", setup_compare},
    {"check", setup_check},
    {"test", setup_test},
    {"rules", setup_rules},
    {"facts", setup_facts},
    {"documents", setup_documents},
    {"diff", setup_diff},
    {"schema", setup_schema},
    {"serve", setup_serve},
};

}  // namespace subsidy::cli
