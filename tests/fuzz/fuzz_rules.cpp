// Fuzzes rule-file loading: the input is one more file beside the built-in vocabulary and rules.
// Every input must load or be rejected with diagnostics; nothing may crash or hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/builtin_rules.h"
#include "core/lint.h"
#include "core/ruleset.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace subsidy;
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<SourceText> files;
  for (const SourceText& f : builtin_rule_files()) {
    if (f.name.find("facts") != std::string::npos) files.push_back(f);
  }
  files.push_back({"fuzz.json", text});
  Result<std::shared_ptr<const RuleSet>> rules = load_rule_set(files);
  if (rules.ok()) (void)lint(*rules.value(), {}, 2023);
  return 0;
}
