#include "report/junit.h"

#include <fmt/format.h>

#include <map>

#include "report/text.h"

namespace subsidy {
namespace {

using text::xml_escape;

}  // namespace

std::string render_junit(const std::vector<CaseOutcome>& outcomes) {
  std::vector<std::string> files;
  std::map<std::string, std::vector<const CaseOutcome*>> by_file;
  for (const CaseOutcome& o : outcomes) {
    if (!by_file.contains(o.file)) files.push_back(o.file);
    by_file[o.file].push_back(&o);
  }
  int tests = 0, failures = 0, skipped = 0;
  std::string suites;
  for (const std::string& file : files) {
    int f = 0, s = 0;
    std::string cases;
    for (const CaseOutcome* o : by_file[file]) {
      cases += fmt::format("    <testcase classname=\"{}\" name=\"{}\"", xml_escape(file),
                           xml_escape(o->name));
      if (o->skipped) {
        ++s;
        cases += "><skipped/></testcase>\n";
      } else if (!o->problems.empty()) {
        ++f;
        std::string message;
        for (const std::string& p : o->problems) message += (message.empty() ? "" : "; ") + p;
        cases += fmt::format(
            ">\n      <failure message=\"{}\" type=\"mismatch\">{}</failure>\n    </testcase>\n",
            xml_escape(message), xml_escape(message + "\n" + o->details));
      } else {
        cases += "/>\n";
      }
    }
    int n = static_cast<int>(by_file[file].size());
    suites += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n{}  "
        "</testsuite>\n",
        xml_escape(file), n, f, s, cases);
    tests += n;
    failures += f;
    skipped += s;
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"subsidy test\" tests=\"{}\" "
      "failures=\"{}\" "
      "errors=\"0\" skipped=\"{}\">\n{}</testsuites>\n",
      tests, failures, skipped, suites);
}

}  // namespace subsidy
