// Evaluation: one profile against a compiled RuleSet → a Report with, for every applicable rule,
// its status, exact amount, payer split and the reasons behind it. Pure: no I/O, no formatting
// beyond language-neutral value strings.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/profile.h"

namespace subsidy {

enum class Status : std::uint8_t {
  Eligible,
  EligibleUnspecified,
  NotEligible,
  NeedsInfo,
  Excluded,
  NotApplicable,
  Error,  // the last: tables indexed by Status are sized by it (report/batch.cpp)
};

std::string_view status_name(Status status);

// Three-valued logic: how a condition comes out when facts may be missing.
enum class Tri : std::uint8_t { True, False, Unknown };

// How a failed test relates the tested value to what the rule asks. The comparisons come first,
// in the order of CmpOp (relation_of maps one to the other).
enum class Relation : std::uint8_t {
  AtLeast,
  MoreThan,
  AtMost,
  LessThan,
  Equals,
  Is,
  In,
  Has,
  Not,
  Roles,
  Bracket,
  Case,
  Lookup,
  ZeroDenominator,
  NoGrowthBase,
  ZeroAmount,
};

// The one table of relations: the id the JSON report writes ("at_least"), and whether failing
// it is about what the applicant is or holds (a role, a title, a category: see
// concerns_applicant) rather than an amount, a ratio or a year it could change.
struct RelationInfo {
  Relation relation;
  std::string_view id;
  bool about_identity;
};

inline constexpr RelationInfo kRelations[] = {
    {Relation::AtLeast, "at_least", false},
    {Relation::MoreThan, "more_than", false},
    {Relation::AtMost, "at_most", false},
    {Relation::LessThan, "less_than", false},
    {Relation::Equals, "equals", false},
    {Relation::Is, "is", true},
    {Relation::In, "in", true},
    {Relation::Has, "has", true},
    {Relation::Not, "not", true},
    {Relation::Roles, "roles", true},
    {Relation::Bracket, "bracket", false},
    {Relation::Case, "case", false},
    {Relation::Lookup, "lookup", true},
    {Relation::ZeroDenominator, "zero_denominator", false},
    {Relation::NoGrowthBase, "no_growth_base", false},
    {Relation::ZeroAmount, "zero_amount", false},
};

const RelationInfo& relation_info(Relation relation);
inline std::string_view relation_id(Relation relation) {
  return relation_info(relation).id;
}
// The relation of a failed comparison, and back (nullopt for a relation that is none).
Relation relation_of(CmpOp op);
std::optional<CmpOp> comparison_of(Relation relation);

// Why a rule does not pay: the value tested, how, and against what. The texts are for the JSON
// report and for people; what decides anything (the relation, the bound, the values asked for)
// is typed beside them. Pointers and views refer into the RuleSet, which outlives every report.
struct Failure {
  const Expr* subject = nullptr;  // the tested value (null for whole-rule reasons)
  const Cond* cond = nullptr;     // the failing condition, when there is one
  Relation relation = Relation::Case;
  std::string actual;     // neutral value text: "1999999.99", "2.99%", "false"
  std::string threshold;  // as written in the rule ("200万", "3%") or the evaluated bound
  // The bound `threshold` shows, exactly (a computed bound is not rounded): comparisons and the
  // lowest bracket; nullopt for the other relations.
  std::optional<Decimal> bound;
  // The values asked for, one of which would do: In (the condition's list), Lookup (the table's
  // keys), Roles (the rule's roles); `threshold` is them joined. Empty for the other relations.
  std::span<const std::string> choices;
  std::size_t items = 0;  // Has: how many items the list has (`actual` is their count)
  bool inclusive = false;
  int year = 0;  // the absolute year of the subject's fact, when per year
};

// A fact the rule needs and the profile does not give.
struct Missing {
  int fact = -1;   // vocabulary index
  int field = -1;  // for list items: the field
  int item = -1;   // for list items: the item's position
  std::optional<int> year;
  auto operator<=>(const Missing&) const = default;
};

struct PayerAmount {
  std::string payer;  // "issuer" means the document's own government
  Decimal amount;
};

// What a trace step records, one table: the id the JSON report writes ("step": "bracket") and
// the label `explain` shows in each language. Indexed by StepKind.
enum class StepKind : std::uint8_t {
  Formula,   // the formula's value
  Bracket,   // the bracket a value fell in
  Cap,       // the cap applied
  Rounding,  // the rule's rounding
  Steps,     // ⌊value ÷ step⌋
  Band,      // one band of a marginal computation
  Item,      // one item of a list sum
  Round,     // a round operator in a formula
  UpTo,      // an upper-bound rule's limit
  Group,     // excluded by a stacking group
};

using StepKindInfo = Named<StepKind>;

// The English labels are the ids but for the formula's ("value").
inline constexpr StepKindInfo kStepKinds[] = {
    {StepKind::Formula, "formula", "value", "公式结果"},
    {StepKind::Bracket, "bracket", "bracket", "分档"},
    {StepKind::Cap, "cap", "cap", "上限"},
    {StepKind::Rounding, "rounding", "rounding", "舍入"},
    {StepKind::Steps, "steps", "steps", "每满计数"},
    {StepKind::Band, "band", "band", "分段计算"},
    {StepKind::Item, "item", "item", "逐项"},
    {StepKind::Round, "round", "round", "取整"},
    {StepKind::UpTo, "up_to", "up_to", "最高限额"},
    {StepKind::Group, "group", "group", "不重复享受"},
};
static_assert(in_enum_order(kStepKinds, &StepKindInfo::value), "kStepKinds is indexed by StepKind");

inline const StepKindInfo& step_kind_info(StepKind kind) {
  return kStepKinds[static_cast<std::size_t>(kind)];
}

struct TraceStep {
  StepKind step;
  Message detail;  // numbers and formulas; the few words in it in both languages
};

// One tested condition (a leaf: a comparison, is, in or has) and how it came out; recorded only
// when evaluating with explain on.
struct CondCheck {
  const Cond* cond = nullptr;
  Tri result = Tri::Unknown;
  std::string actual;  // the tested value, neutral text ("3.578%", "2000000", "national")
};

struct RuleResult {
  const Rule* rule = nullptr;
  Status status = Status::NotEligible;
  Decimal amount;      // eligible exact/floor: the amount paid (for floor: at least this)
  Decimal before_cap;  // the formula's value before cap and rounding
  std::optional<Decimal> cap;
  bool cap_applied = false;
  // An eligible upper-bound rule: the most it pays for this profile (its up_to, computed).
  std::optional<Decimal> up_to;
  // A floor rule (不低于) pays at least `amount`, unless its cap (最高不超过) bound: then exactly.
  bool at_least() const { return rule && rule->kind == AmountKind::Floor && !cap_applied; }
  std::vector<PayerAmount> payers;
  std::vector<Failure> failures;
  std::vector<Missing> missing;
  // Texts owned by the rule set (which outlives every report), so that a result stays small: a
  // batch makes about 90 per profile.
  std::string_view excluded_by;    // rule id that won the stacking group
  std::string_view group;          // that group's id
  const Message* error = nullptr;  // with Status::Error: what went wrong, in both languages
  std::vector<TraceStep> trace;
  std::vector<CondCheck> checks;  // with EvalOptions::explain
  // Evaluation left nothing here but `rule` and `status` (not applicable; in a batch, a condition
  // that fails or is open): evaluated into again, the result needs no clear().
  bool bare = false;

  // Back to the default state, keeping the storage of the vectors: every field is reset.
  void clear();
};

// Whether a rule's outcome concerns the applicant, for reports that list only what does (eval's
// default; --all lists every rule). A rule does not when it fails only on what the applicant is
// or holds, which acting cannot soon change: a role it does not hold, a title or event it does not
// have, its sector or another yes/no or category fact. A rule failed by an amount, an area, a
// ratio or a year is a near miss and concerns it, as does every other status; so does a list
// with items of which none reaches an amount the rule asks of one (a talent paid 79万 where the
// text pays from 80万).
bool concerns_applicant(const RuleResult& result, const Vocabulary& vocabulary);

struct DocumentResult {
  const Document* document = nullptr;
  bool in_force = true;
  std::vector<RuleResult> rules;
  Decimal total;                // grants and awards paid in money
  bool total_is_floor = false;  // some amount in the total is a minimum ("at least")
  Decimal tax_relief;           // estimated tax saved (category "tax"), kept out of `total`
  Decimal fee_reduction;        // fees and tolls reduced or waived, kept out of `total`
  int eligible = 0;
  int unspecified = 0;  // eligible with no amount given, or only an upper bound
  int needs_info = 0;
  std::map<std::string, Decimal> by_payer;
  // `total`, `tax_relief`, `fee_reduction` or a payer's sum could not be represented: they are then
  // partial and must not be shown as the document's totals (Report::overflow is set too).
  bool overflow = false;
};

struct EvalOptions {
  bool explain = false;          // record every tested condition in RuleResult::checks
  bool ignore_validity = false;  // evaluate documents outside their period (projections only)
  bool trace = true;             // record computation steps in RuleResult::trace
  // Record why rules fail and which facts they need (RuleResult::failures, their texts, and
  // RuleResult::missing). Statuses and amounts do not depend on it; batch runs turn it off
  // because nothing there reads the reasons.
  bool reasons = true;
};

// The outcome of one evaluation. It refers into the RuleSet (documents, rules, ids, texts) and the
// Profile it was evaluated from, and holds no copy of either: both must outlive it. One report is
// used by one thread at a time; evaluating into it again replaces what it held.
struct Report {
  const Profile* profile = nullptr;
  const RuleSet* rules = nullptr;
  std::vector<DocumentResult> documents;
  Decimal total;
  bool total_is_floor = false;
  Decimal tax_relief;
  Decimal fee_reduction;
  // A total (a document's, or the grand total) could not be represented: the totals are then
  // partial and must not be shown as totals. evaluation_error() says which.
  bool overflow = false;
  // Some rule came out Status::Error: evaluation_error() names the first. Kept so that a report
  // without one (nearly every report) is told so without a look at every rule.
  bool rule_error = false;

 private:
  // Not part of the result: per document of the rule set, the rule results of an earlier
  // evaluation into this report, kept so that the next one reuses their storage.
  std::vector<std::vector<RuleResult>> spare_;
  // The evaluator's working lists of reasons, kept for their storage.
  std::vector<Failure> failures_;
  std::vector<Missing> missing_;
  friend void evaluate(const RuleSet& rules, const Profile& profile, const EvalOptions& options,
                       Report& report);
};

Report evaluate(const RuleSet& rules, const Profile& profile, const EvalOptions& options = {});
// The same into `report`, replacing what it held and reusing its storage: for a caller that
// evaluates many profiles in turn (batch), so that the results are not allocated per profile.
void evaluate(const RuleSet& rules, const Profile& profile, const EvalOptions& options,
              Report& report);

// What went wrong in an evaluation, naming the rule or the total, in both languages: the first
// rule with Status::Error (an overflow, or payer parts beyond the amount), else the first total
// that overflowed; nullopt when nothing did. A report with an error is not a correct result: the
// CLI exits 3 (eval, compare) or writes an error record (batch).
std::optional<Message> evaluation_error(const Report& report);

// Neutral text of a ratio or growth rate as a percentage: "2.99%", "12.3456%".
std::string percent_text(Decimal ratio);

}  // namespace subsidy
