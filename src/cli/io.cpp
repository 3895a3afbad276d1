#include "cli/io.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/app.h"
#include "core/builtin_rules.h"
#include "core/ruleset.h"

namespace subsidy::cli {

std::string read_input(const std::string& path) {
  std::ostringstream buffer;
  if (path == "-") {
    buffer << std::cin.rdbuf();
    return buffer.str();
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw Fatal(kBadInput, path + ": is a directory, expected a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Fatal(kBadInput, path + ": cannot read file");
  buffer << in.rdbuf();
  return buffer.str();
}

RuleSet load_rules(const std::string& dir) {
  std::vector<std::string> names;
  std::vector<std::string> texts;
  std::vector<SourceText> sources;
  if (dir.empty()) {
    sources = builtin_rule_files();
  } else {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      throw Fatal(kBadRules, dir + ": not a directory of rule files");
    }
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json") {
        names.push_back(entry.path().string());
      }
    }
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      std::ifstream in(name, std::ios::binary);
      if (!in) throw Fatal(kBadRules, name + ": cannot read file");
      std::ostringstream buffer;
      buffer << in.rdbuf();
      texts.push_back(buffer.str());
    }
    for (std::size_t i = 0; i < names.size(); ++i) sources.push_back({names[i], texts[i]});
  }
  Result<RuleSet> rules = load_rule_set(sources);
  if (!rules.ok()) throw diagnostics_error(kBadRules, rules.errors(), "the rule files");
  return std::move(rules.value());
}

}  // namespace subsidy::cli
