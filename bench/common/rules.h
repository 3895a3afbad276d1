// The rule set a bench program reads profiles against: the built-in one, or the rule files of a
// directory (every *.json but the *.tests.json), as `subsidy --rules DIR` loads them. Exits with 2
// when they do not load: the bench programs are tools for measuring, not products.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/builtin_rules.h"
#include "core/ruleset.h"

namespace subsidy::bench {

// `texts` keeps the files' text alive for the rule set's views into it.
inline RuleSet load_rules(const std::string& dir, std::vector<std::string>& texts) {
  std::vector<SourceText> files;
  if (dir.empty()) {
    for (const SourceText& f : builtin_rule_files()) {
      if (!f.name.ends_with(".tests.json")) files.push_back(f);  // as the tool loads to evaluate
    }
  } else {
    std::vector<std::filesystem::path> paths;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      std::string name = e.path().filename().string();
      if (name.ends_with(".json") && !name.ends_with(".tests.json")) paths.push_back(e.path());
    }
    std::sort(paths.begin(), paths.end());
    texts.reserve(paths.size());
    for (const auto& p : paths) {
      std::ifstream in(p, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      texts.push_back(ss.str());
      files.push_back({p.string(), texts.back()});
    }
  }
  Result<std::shared_ptr<const RuleSet>> rules = load_rule_set(files);
  if (!rules.ok()) {
    std::fprintf(stderr, "cannot load the rules\n");
    std::exit(2);
  }
  return *rules.value();
}

}  // namespace subsidy::bench
