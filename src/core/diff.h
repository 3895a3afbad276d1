// Differences between two evaluations of the same profile under two rule sets (e.g. main and a
// pull request): which rules changed outcome or amount, and how each document's total moved.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/engine.h"

namespace subsidy {

struct RuleChange {
  std::string rule;
  std::string document;               // document number
  std::optional<std::string> before;  // status name; nullopt when the rule was not evaluated
  std::optional<std::string> after;
  std::optional<Decimal> before_amount;  // for eligible/excluded rules with an amount
  std::optional<Decimal> after_amount;
};

struct TotalChange {
  std::string document;
  Decimal before;
  Decimal after;
};

struct ProfileDiff {
  std::string profile;  // id, or "line N" when the profile has none
  std::vector<RuleChange> rules;
  std::vector<TotalChange> totals;  // documents whose total changed
  Decimal total_before;
  Decimal total_after;
  bool changed() const { return !rules.empty() || total_before != total_after; }
};

ProfileDiff diff_reports(const std::string& profile, const Report& before, const Report& after);

}  // namespace subsidy
