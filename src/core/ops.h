// The rule language defined once: every expression operator, condition form and comparison, with
// how a rule file writes it and what it means. The compiler reads rule files by these tables (one
// lookup, then the operand shape decides which keys are checked), `rules --language` prints them
// as the reference that docs/rules.md embeds, and a test holds the JSON Schema's operator list to
// them. Adding an operator starts here; the compiler's switch and the engine's evaluator then name
// it (the compiler warns about an unhandled enumerator). Constant tables: thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "core/tables.h"

namespace subsidy {

enum class Op {
  Const,
  Fact,  // fact, year
  Item,  // field, year
  PolicyYear,
  Add,
  Sub,
  Mul,
  Min,
  Max,
  Ratio,
  Growth,
  Brackets,
  Steps,
  Marginal,
  Sum,
  Count,
  Case,
  Lookup,
  Round,
};

// How the value under an operator's key is written.
enum class Operand {
  Name,      // fact, item: a fact (or field) name; `year` may stand beside it
  True,      // policy_year: the literal true
  List,      // add … growth: an array of `min`..`max` expressions
  Fields,    // brackets, steps, …: an object with the `fields` and `optional` keys
  Branches,  // case: an array of {"when": C, "then": E}
  Expr,      // round: one expression
};

namespace op_keys {
inline constexpr std::string_view kYear[] = {"year"};
inline constexpr std::string_view kElse[] = {"else"};
inline constexpr std::string_view kRound[] = {"mode", "unit"};
inline constexpr std::string_view kOfTable[] = {"of", "table"};
inline constexpr std::string_view kGaps[] = {"gaps"};
inline constexpr std::string_view kOfSize[] = {"of", "size"};
inline constexpr std::string_view kOfBands[] = {"of", "bands"};
inline constexpr std::string_view kOverValue[] = {"over", "value"};
inline constexpr std::string_view kWhereCap[] = {"where", "item_cap"};
inline constexpr std::string_view kOver[] = {"over"};
inline constexpr std::string_view kWhere[] = {"where"};
inline constexpr std::string_view kKeyTable[] = {"key", "table"};
}  // namespace op_keys

struct OpInfo {
  Op op;
  std::string_view key;  // the key that writes it in a rule file
  Operand operand;
  std::size_t min = 0;  // List: how many operands
  std::size_t max = 0;
  std::span<const std::string_view> beside = {};    // other keys its object may have
  std::span<const std::string_view> fields = {};    // Fields: required keys of the operand
  std::span<const std::string_view> optional = {};  // Fields: optional keys of the operand
  std::string_view form;                            // the reference: how it is written
  std::string_view meaning;                         // the reference: what it computes
};

inline constexpr std::size_t kManyOperands = 1000;

inline constexpr OpInfo kOps[] = {
    {Op::Fact,
     "fact",
     Operand::Name,
     0,
     0,
     op_keys::kYear,
     {},
     {},
     R"(`{"fact": "NAME"}`, `{"fact": "NAME", "year": -1}`)",
     "a fact of the profile; `year` is an offset from the policy year (0 = the policy year), "
     "required for per-year facts and forbidden for others"},
    {Op::Item,
     "item",
     Operand::Name,
     0,
     0,
     op_keys::kYear,
     {},
     {},
     R"(`{"item": "NAME"}`, `{"item": "NAME", "year": 0}`)",
     "a field of the current item inside `sum`/`count`/`has`"},
    {Op::PolicyYear,
     "policy_year",
     Operand::True,
     0,
     0,
     {},
     {},
     {},
     R"(`{"policy_year": true}`)",
     "the profile's policy year, as a number"},
    {Op::Add,
     "add",
     Operand::List,
     1,
     kManyOperands,
     {},
     {},
     {},
     R"(`{"add": [E, E, ...]}`)",
     "sum"},
    {Op::Sub, "sub", Operand::List, 2, 2, {}, {}, {}, R"(`{"sub": [E, E]}`)", "difference"},
    {Op::Mul,
     "mul",
     Operand::List,
     1,
     kManyOperands,
     {},
     {},
     {},
     R"(`{"mul": [E, E, ...]}`)",
     "product"},
    {Op::Min,
     "min",
     Operand::List,
     1,
     kManyOperands,
     {},
     {},
     {},
     R"(`{"min": [E, ...]}`)",
     "smallest"},
    {Op::Max,
     "max",
     Operand::List,
     1,
     kManyOperands,
     {},
     {},
     {},
     R"(`{"max": [E, ...]}`)",
     "largest"},
    {Op::Ratio,
     "ratio",
     Operand::List,
     2,
     2,
     {},
     {},
     {},
     R"(`{"ratio": [A, B]}`)",
     "A ÷ B; inside a comparison compared exactly (cross-multiplied); B = 0 fails the rule "
     "(\"denominator is zero\")"},
    {Op::Growth,
     "growth",
     Operand::List,
     2,
     2,
     {},
     {},
     {},
     R"(`{"growth": [CUR, PREV]}`)",
     "(CUR − PREV) ÷ PREV; compared exactly; PREV ≤ 0 fails the rule (\"no growth rate: base is "
     "zero\")"},
    {Op::Brackets,
     "brackets",
     Operand::Fields,
     0,
     0,
     {},
     op_keys::kOfTable,
     op_keys::kGaps,
     R"(`{"brackets": {"of": E, "table": [BRACKET, ...], "gaps": true}}`)",
     "the `then` of the bracket containing E; none contains it → the rule is not eligible, with "
     "the bounds"},
    {Op::Steps,
     "steps",
     Operand::Fields,
     0,
     0,
     {},
     op_keys::kOfSize,
     {},
     R"(`{"steps": {"of": E, "size": N}}`)",
     "number of full steps: ⌊E ÷ N⌋ (每满 N)"},
    {Op::Marginal,
     "marginal",
     Operand::Fields,
     0,
     0,
     {},
     op_keys::kOfBands,
     {},
     R"(`{"marginal": {"of": E, "bands": [{"up_to": N, "rate": R}, ..., {"rate": R}]}}`)",
     "Σ rate × the part of E inside each band (e.g. the part up to 500万 at one rate, the part "
     "above at another)"},
    {Op::Sum,
     "sum",
     Operand::Fields,
     0,
     0,
     {},
     op_keys::kOverValue,
     op_keys::kWhereCap,
     R"(`{"sum": {"over": "LIST", "where": C, "value": E, "item_cap": E}}`)",
     "Σ over the list fact's items that satisfy C (optional) of min(E, item_cap) (optional)"},
    {Op::Count,
     "count",
     Operand::Fields,
     0,
     0,
     {},
     op_keys::kOver,
     op_keys::kWhere,
     R"(`{"count": {"over": "LIST", "where": C}}`)",
     "number of items satisfying C"},
    {Op::Case,
     "case",
     Operand::Branches,
     0,
     0,
     op_keys::kElse,
     {},
     {},
     R"(`{"case": [{"when": C, "then": E}, ...], "else": E}`)",
     "first branch whose condition holds; no branch and no `else` → not eligible"},
    {Op::Lookup,
     "lookup",
     Operand::Fields,
     0,
     0,
     {},
     op_keys::kKeyTable,
     {},
     R"(`{"lookup": {"key": E, "table": {"national": "300万", ...}}}`)",
     "the entry for the key's text value; a missing key → not eligible"},
    {Op::Round,
     "round",
     Operand::Expr,
     0,
     0,
     op_keys::kRound,
     {},
     {},
     R"(`{"round": E, "mode": M, "unit": U}`)",
     "explicit rounding inside a formula (e.g. 婺城 art. 38 向上取整); M is half_up (default), "
     "half_even, up or down; U defaults to 0.01"},
};

// The entry of kOps written `key`; null for any other key.
constexpr const OpInfo* op_info(std::string_view key) {
  return find_by_key(kOps, &OpInfo::key, key);
}

// The entry of `op`; null for Op::Const, which is written as a number.
constexpr const OpInfo* op_info(Op op) {
  for (const OpInfo& o : kOps) {
    if (o.op == op) return &o;
  }
  return nullptr;
}

// The key that writes `op` ("add"); empty for Op::Const.
constexpr std::string_view op_key(Op op) {
  const OpInfo* o = op_info(op);
  return o ? o->key : std::string_view();
}

// How the readable notation of a rule (`rules RULE`, report/rules_text) writes each operator. The
// notation is symbolic, the same in both languages: an operator's name is its key in kOps. Ops
// that share a notation share its printer, so a new operator of a known shape (another `Call`)
// needs no printer code. Indexed by Op, checked in order at compile time.
enum class Notation {
  Literal,   // the constant as written: "5%"
  Name,      // the fact or field name, with [Y-1] on per-year facts
  Year,      // "Y"
  Call,      // key(E, E, ...)
  Brackets,  // key(OF: ≥ A and < B → E; ...)
  Steps,     // key(OF per full SIZE)
  Bands,     // key(OF: up to N: R; above: R)
  Sum,       // key(E of LIST where C), key(min(E, CAP) of LIST)
  Count,     // key(LIST where C)
  Branches,  // key(if C then E; else E)
  Table,     // key(KEY: k → E; ...)
  Round,     // key(E, MODE to UNIT)
};

struct OpPrinter {
  Op op;
  Notation notation;
};

inline constexpr OpPrinter kOpPrinters[] = {
    {Op::Const, Notation::Literal}, {Op::Fact, Notation::Name},
    {Op::Item, Notation::Name},     {Op::PolicyYear, Notation::Year},
    {Op::Add, Notation::Call},      {Op::Sub, Notation::Call},
    {Op::Mul, Notation::Call},      {Op::Min, Notation::Call},
    {Op::Max, Notation::Call},      {Op::Ratio, Notation::Call},
    {Op::Growth, Notation::Call},   {Op::Brackets, Notation::Brackets},
    {Op::Steps, Notation::Steps},   {Op::Marginal, Notation::Bands},
    {Op::Sum, Notation::Sum},       {Op::Count, Notation::Count},
    {Op::Case, Notation::Branches}, {Op::Lookup, Notation::Table},
    {Op::Round, Notation::Round},
};

static_assert(in_enum_order(kOpPrinters, &OpPrinter::op, static_cast<std::size_t>(Op::Round) + 1),
              "kOpPrinters must list every Op in enum order");

constexpr Notation notation(Op op) {
  return kOpPrinters[static_cast<std::size_t>(op)].notation;
}

enum class CmpOp { AtLeast, MoreThan, AtMost, LessThan, Equals };

// A bound of a test or of a bracket: its key, its sign, and whether the bound itself passes.
struct CmpInfo {
  CmpOp op;
  std::string_view key;
  std::string_view symbol;
  bool inclusive;
  std::string_view meaning;
};

inline constexpr CmpInfo kCmpOps[] = {
    {CmpOp::AtLeast, "at_least", "≥", true, "E ≥ bound (以上: the bound included)"},
    {CmpOp::MoreThan, "more_than", ">", false, "E > bound (超过: the bound excluded)"},
    {CmpOp::AtMost, "at_most", "≤", true, "E ≤ bound (以下/以内: the bound included)"},
    {CmpOp::LessThan, "less_than", "<", false, "E < bound (不满/低于: the bound excluded)"},
    {CmpOp::Equals, "equals", "=", true, "E = bound"},
};

// Indexed by CmpOp.
constexpr const CmpInfo& cmp_info(CmpOp op) {
  return kCmpOps[static_cast<std::size_t>(op)];
}

// The entry of kCmpOps written `key`; null for any other key.
constexpr const CmpInfo* cmp_info(std::string_view key) {
  return find_by_key(kCmpOps, &CmpInfo::key, key);
}

enum class CondOp { All, Any, Not, Compare, Is, In, Has };

// The forms of a condition. A test on one value ({"value": E} or the shorthand {"fact"/"item":
// NAME, "year": Y}) takes `is`, `in`, or one or more bounds of kCmpOps.
struct CondInfo {
  CondOp op;
  std::string_view key;  // the key that selects the form; a bound's key for Compare
  std::string_view form;
  std::string_view meaning;
};

inline constexpr CondInfo kConds[] = {
    {CondOp::All, "all", R"(`{"all": [C, ...]}`)",
     "every condition holds (false if one is false, else unknown if one is unknown)"},
    {CondOp::Any, "any", R"(`{"any": [C, ...]}`)",
     "one condition holds (true if one is true, else unknown if one is unknown)"},
    {CondOp::Not, "not", R"(`{"not": C}`)", "C does not hold"},
    {CondOp::Has, "has", R"(`{"has": {"over": "LIST", "where": C}}`)",
     "at least one item of the list satisfies C"},
    {CondOp::Compare, "", R"(`{"value": E, "at_least": E}`)",
     "E against one or more bounds (below); several bounds must all hold, e.g. a range"},
    {CondOp::Is, "is", R"(`{"value": E, "is": X}`)", "E equals the boolean or text X"},
    {CondOp::In, "in", R"(`{"value": E, "in": [X, ...]}`)", "E's text is one of the values"},
};

}  // namespace subsidy
