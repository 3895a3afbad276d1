// What would unlock more: for rules failed by a numeric threshold on a fact the applicant can
// still change (a current-year amount, area or quantity), the smallest change to that one fact
// that makes the rule pay; for rules that pay by brackets of such a fact, the smallest change that
// reaches a better bracket (¥7.9M of investment at 6% → ¥8M at 8%), also where the table reads a
// number field of each item of a list (one technical-upgrade project's investment); each with what
// it adds to the total. And the missing facts ranked by what depends on them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/engine.h"

namespace subsidy {

struct Advice {
  const Rule* rule = nullptr;
  int fact = -1;                       // for a list item: the list fact
  int item = -1;                       // for a list item: its position (from 0)
  int field = -1;                      // for a list item: the number field changed
  int year = 0;                        // absolute
  Decimal from;                        // the fact's (or the item field's) value now
  Decimal to;                          // the smallest value that makes the rule pay
  Decimal pays;                        // what the rule would pay
  std::optional<Decimal> paid_before;  // a rule that pays already (a better bracket): its amount
  Decimal unlocked;                    // the change of the grand total (other rules included)
  std::vector<std::string> worse;      // rules that would pay less after the change
};

// Ranked by money unlocked per unit of change, most first. Re-evaluates the profile once per
// candidate, so that a suggestion never hides a condition it would break.
std::vector<Advice> advise(const RuleSet& rules, const Profile& profile, const Report& report);

struct MissingFact {
  int fact = -1;
  std::optional<int> year;
  std::vector<const Rule*> rules;  // needs_info rules that name it
  Decimal at_most;                 // the sum of those rules' largest possible amounts
  bool unbounded = false;          // some rule has no upper limit that can be read off
};

// Missing facts of the report, the ones the most money depends on first.
std::vector<MissingFact> rank_missing(const Report& report);

// What the facts not given could still add to a report's total of grants: how many grants need
// information, the most those with a limit that can be read off the rule could pay together (their
// largest possible amounts, as rank_missing adds them), and how many have no such limit (no stated
// amount, a formula without a cap, or a sum beyond the representable range). `compare` shows it per
// region.
struct OpenAmount {
  int rules = 0;
  Decimal at_most;
  int unbounded = 0;
};
OpenAmount open_amount(const Report& report);

// Sets (or adds) a per-year (for `year`) or scalar fact of a number, boolean or enum type.
void set_fact(Profile& profile, const Vocabulary& vocabulary, int fact, int year, Scalar value);
// Sets (or adds) a per-year or scalar number fact.
void set_number(Profile& profile, const Vocabulary& vocabulary, int fact, int year, Decimal value);
// Sets a number field of item `item` of the list `fact` (in `year` when the field is per year).
void set_item_number(Profile& profile, const Vocabulary& vocabulary, int fact, int item, int field,
                     int year, Decimal value);

}  // namespace subsidy

namespace subsidy {

// For an eligible rule that pays for several years: the projected amount in each year, assuming
// the same facts (shifted a year each time, with the rule's counters advanced) and the policy
// continuing. nullopt: nothing that year.
struct Projection {
  const Rule* rule = nullptr;
  std::vector<std::pair<int, std::optional<Decimal>>> years;
};

std::vector<Projection> project(const RuleSet& rules, const Profile& profile, const Report& report);

}  // namespace subsidy
