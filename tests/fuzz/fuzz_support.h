// Shared by the libFuzzer targets: the built-in rule set, loaded once.
#pragma once

#include <cstdlib>

#include "core/builtin_rules.h"
#include "core/ruleset.h"

namespace subsidy::fuzz {

inline const RuleSet& builtin() {
  static const RuleSet rules = [] {
    Result<std::shared_ptr<const RuleSet>> r = load_rule_set(builtin_rule_files());
    if (!r.ok()) std::abort();  // the shipped rules always load; anything else is a bug
    return *r.value();
  }();
  return rules;
}

}  // namespace subsidy::fuzz
