// The catalogue of enum values (certification types, levels, statuses and every other enum of the
// vocabulary): for each value, the rules that compare a fact or a list item's field with it ("is",
// "in"). One walk of the rules, read by `rules --facts` (docs/facts.md), `subsidy facts` and
// `questionnaire` (which offers only the values the region's rules read).
#pragma once

#include <compare>
#include <map>
#include <set>
#include <string>

#include "core/model.h"

namespace subsidy {

struct ValueKey {
  int fact = -1;   // vocabulary index
  int field = -1;  // a list fact's field, or −1 for a top-level enum fact
  std::string value;
  auto operator<=>(const ValueKey&) const = default;
};

// Value → ids of the rules that compare with it.
using ValueReaders = std::map<ValueKey, std::set<std::string>>;

// Adds the values `rule` compares with to `out`.
void add_value_readers(const Rule& rule, ValueReaders& out);

// Every rule of every document.
ValueReaders value_readers(const RuleSet& rules);

}  // namespace subsidy
