#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"

namespace subsidy::cli {

Fatal diagnostics_error(int code, std::vector<Diagnostic> diagnostics, const std::string& what) {
  sort_by_position(diagnostics);
  std::string message;
  for (const Diagnostic& d : diagnostics) message += format_diagnostic(d) + "\n";
  message += std::to_string(diagnostics.size()) + " problem(s) in " + what;
  return Fatal(code, message, true);
}

int run(int argc, char** argv) {
  CLI::App app{
      "subsidy: which Zhejiang district subsidies an applicant can claim, exactly how much, and "
      "which article of which policy document grants each yuan."};
  app.name("subsidy");
  app.require_subcommand(1);
  app.set_version_flag("--version", "subsidy 0.1.0");
  setup_eval(app);
  setup_explain(app);
  setup_questionnaire(app);
  setup_batch(app);
  setup_compare(app);
  setup_check(app);
  setup_test(app);
  setup_rules(app);
  setup_diff(app);
  setup_schema(app);
  try {
    app.parse(argc, argv);
  } catch (const Done& done) {
    return done.code;
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kOk : kUsage;
  } catch (const Fatal& e) {
    std::cerr << (e.located() ? "" : "subsidy: ") << e.what() << "\n";
    return e.code();
  } catch (const std::exception& e) {
    std::cerr << "subsidy: internal error: " << e.what() << "\n";
    return kInternal;
  }
  return kOk;
}

}  // namespace subsidy::cli
