#include "core/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <memory>
#include <type_traits>

#include "core/unread.h"

namespace subsidy {
namespace {

// The tables are indexed by their enums (here and in model.h), and a comparison's relation has
// the comparison's key.
constexpr bool tables_in_order() {
  for (std::size_t i = 0; i < std::size(kCmpOps); ++i) {
    if (kCmpOps[i].key != kRelations[i].id) return false;
  }
  return in_enum_order(kRelations, &RelationInfo::relation) &&
         in_enum_order(kAmountKinds, &AmountKindInfo::value) &&
         in_enum_order(kGroupModes, &GroupModeInfo::mode) && in_enum_order(kCmpOps, &CmpInfo::op);
}
static_assert(tables_in_order());

// What RuleResult::error points to.
const Message kOverflow{"arithmetic overflow", "算术溢出"};
const Message kPayerSplit{"payer split could not be computed", "无法计算出资分摊"};
const Message kPayerNegative{"a payer's part is below zero", "某出资方承担的部分小于零"};
const Message kPayerExcess{"the payers' parts add up to more than the amount",
                           "各出资方承担的部分之和超过了补助金额"};

bool absorb_rounding(const Rule& rule, int rest, Decimal& assigned, RuleResult& result);

// What went wrong while evaluating an expression. A failure (no bracket, zero denominator) makes
// the rule not eligible; missing facts make it need information; overflow is an error. The
// missing facts themselves go to the evaluator's list: those from `missing_from` on are this
// evaluation's.
struct Outcome {
  explicit Outcome(std::size_t first_missing) : missing_from(first_missing) {}
  std::size_t missing_from;
  bool failed = false;
  std::unique_ptr<Failure> failure;  // why it failed, when reasons are recorded
  bool overflow = false;
};

// Drops the elements from `size` on (never grows: no code for growing where it is used).
template <class T>
void truncate(std::vector<T>& v, std::size_t size) {
  v.erase(v.begin() + static_cast<std::ptrdiff_t>(size), v.end());
}

// The facts the rule being evaluated misses, appended as they are met and cut back to a mark when
// a decision makes them moot. With reasons each one is kept, to be reported; without, only how
// many: every verdict depends only on whether a fact was missed since a mark, and a batch, which
// reads no reasons, then writes nothing per fact missed.
template <bool keep_>
class MissingLog {
 public:
  // `kept`: storage reused across rules and profiles (a Report's), emptied here.
  explicit MissingLog(std::vector<Missing>& kept) : kept_(kept) { clear(); }
  static constexpr bool keeps() { return keep_; }
  std::size_t size() const {
    if constexpr (keep_) return kept_.size();
    return count_;
  }
  void clear() {
    kept_.clear();
    count_ = 0;
  }
  // The entry to fill in, or null when only counted.
  Missing* add() {
    if constexpr (keep_) return &kept_.emplace_back();
    ++count_;
    return nullptr;
  }
  void push_back(const Missing& m) {
    if constexpr (keep_) {
      kept_.push_back(m);
    } else {
      ++count_;
    }
  }
  void truncate(std::size_t size) {
    if constexpr (keep_) {
      subsidy::truncate(kept_, size);
    } else {
      count_ = size;
    }
  }
  const std::vector<Missing>& list() const { return kept_; }  // with reasons

 private:
  std::vector<Missing>& kept_;
  std::size_t count_ = 0;
};

// How a condition came out. Its reasons are appended to the evaluator's lists: a false condition
// leaves the failures that decided it, an unknown one the facts it needs, a true one neither.
struct Verdict {
  Tri t = Tri::True;
  bool overflow = false;
};

std::string scalar_text(const Scalar& s) {
  if (const Decimal* d = std::get_if<Decimal>(&s)) return d->str();
  if (const bool* b = std::get_if<bool>(&s)) return *b ? "true" : "false";
  return std::get<std::string>(s);
}

bool cmp_holds(CmpOp op, int sign) {
  switch (op) {
    case CmpOp::AtLeast:
      return sign >= 0;
    case CmpOp::MoreThan:
      return sign > 0;
    case CmpOp::AtMost:
      return sign <= 0;
    case CmpOp::LessThan:
      return sign < 0;
    case CmpOp::Equals:
      return sign == 0;
  }
  return false;
}

// The two operands of a ratio (numerator, denominator) or a growth rate (current, previous).
std::pair<const Expr*, const Expr*> rate_parts(const Expr& e) {
  if (e.op == Op::Ratio) return {e.as<Ratio>().numerator, e.as<Ratio>().denominator};
  return {e.as<Growth>().current, e.as<Growth>().previous};
}

// A value about to be compared with bounds. Ratios and growth rates keep their numerator and
// denominator so that every comparison is exact (2.9999999% never passes 3%).
struct Comparable {
  Op op = Op::Const;  // Ratio, Growth, or anything else for a plain value
  Decimal a;          // numerator / current
  Decimal b;          // denominator / previous
  Decimal value;      // the plain value, or the rounded ratio for display

  // Sign of (this − bound).
  int against(Decimal bound) const {
    if (op == Op::Ratio) {
      Decimal num = a, den = b;
      if (den.is_negative()) {
        num = Decimal::from_units(-num.units());
        den = Decimal::from_units(-den.units());
      }
      return compare_ratio(num, den, bound);
    }
    if (op == Op::Growth) return compare_growth(a, b, bound);
    return value < bound ? -1 : value > bound ? 1 : 0;
  }
  bool is_rate() const { return op == Op::Ratio || op == Op::Growth; }
  std::string text() const { return is_rate() ? percent_text(value) : value.str(); }
  // The value as text beside `bound`: a rate whose four-place text would read as the bound
  // although it is not equal to it (9.9999999997% shown "10%" next to "≥ 10% ✗") is written
  // with the places that tell them apart.
  std::string text_against(Decimal bound) const {
    std::string shown = text();
    if (!is_rate() || against(bound) == 0 || shown != percent_text(bound)) return shown;
    // The fewest places (from 6) at which the value no longer reads as the bound: a difference
    // of one unit in 9e18 shows by the 30th.
    for (int places = 6;; ++places) {
      std::string exact =
          op == Op::Ratio ? exact_percent(a, b, places) : exact_growth_percent(a, b, places);
      if (exact != shown || places >= 30) return exact;
    }
  }
};

// Compiled twice: with reasons (eval, explain, the interview), and without (batch), where no
// failure is ever recorded and the bookkeeping of failures compiles away.
template <bool kReasons>
class Evaluator {
 public:
  // `failures` and `missing`: storage kept by the caller (a Report reused from profile to
  // profile), emptied here.
  Evaluator(const Profile& profile, const EvalOptions& options, std::vector<Failure>& failures,
            std::vector<Missing>& missing)
      : explain(options.explain),
        tracing(options.trace),
        p_(profile),
        form_bit_(form_bit(profile.form)),
        failures_(failures),
        missing_(missing) {
    failures_.clear();
  }

  std::optional<Scalar> eval(const Expr& e, Outcome& out);
  std::optional<Scalar> overflow(Outcome& out);
  std::optional<Scalar> fold(const Expr& e, Outcome& out);
  std::optional<Scalar> difference(const Expr& e, Outcome& out);
  std::optional<Scalar> steps(const Expr& e, Outcome& out);
  std::optional<Scalar> marginal(const Expr& e, Outcome& out);
  std::optional<Scalar> aggregate(const Expr& e, Outcome& out);
  std::optional<Scalar> case_of(const Expr& e, Outcome& out);
  std::optional<Scalar> lookup(const Expr& e, Outcome& out);
  std::optional<Scalar> round(const Expr& e, Outcome& out);
  std::optional<Decimal> number(const Expr& e, Outcome& out) {
    if (e.op == Op::Const) {
      if (const Decimal* d = constant_number(e)) return *d;
    } else if (e.op == Op::Fact || e.op == Op::Item) {
      const Scalar* s = fact(e);
      if (!s) return std::nullopt;
      if (const Decimal* d = std::get_if<Decimal>(s)) return *d;
      return std::nullopt;
    }
    std::optional<Scalar> s = eval(e, out);
    if (!s) return std::nullopt;
    if (const Decimal* d = std::get_if<Decimal>(&*s)) return *d;
    return std::nullopt;  // the loader type-checks numbers; unreachable for valid rule sets
  }
  Verdict test(const Cond& c);
  // Fills `result`, a default-constructed element of the document's results (no moves). Inlined
  // into evaluate()'s loop, which GCC stopped doing by itself once MissingLog came in: out of
  // line it cost 1.3k instructions per profile.
  [[gnu::always_inline]] inline void evaluate_rule(const Rule& rule, RuleResult& result);
  // An upper-bound rule whose conditions hold: its bound for this profile (a formula may need
  // facts, fail or overflow like an amount), rounded as amounts are.
  void upper_bound(const Rule& rule, RuleResult& result);
  void amount_missing(const Rule& rule);
  void evaluate_terms(const Rule& rule, RuleResult& result);
  bool condition_settles(const Rule& rule, RuleResult& result);
  void roles_unknown(RuleResult& result);
  // Settles `result` when computing its amount failed a condition, overflowed or missed a fact
  // (in that order of precedence); false when the amount's value is there to use.
  bool settled(Outcome& out, RuleResult& result);
  // Fills result.payers for an eligible rule; the error that makes the rule fail, or null.
  const Message* split_payers(const Rule& rule, RuleResult& result);

  std::vector<TraceStep>* trace = nullptr;
  std::vector<CondCheck>* checks = nullptr;  // set to record every tested leaf (explain)
  bool explain = false;
  bool tracing = true;
  static constexpr bool reasons = kReasons;  // see EvalOptions::reasons
  // Whether a condition that settles a rule leaves nothing in its result but the status: no
  // reasons, no trace, no checks (a batch).
  bool leaves_bare() const { return !kReasons && !tracing && !explain; }

 private:
  struct Scope {
    int list_fact = -1;
    int item_index = -1;
    const Item* item = nullptr;
  };

  // The value of a Fact or Item expression where it lies in the profile; null, with the fact
  // recorded as missing, when the profile does not give it.
  const Scalar* fact(const Expr& e);
  // Out of line, so that fact(), called for every fact a rule reads, stays a small leaf.
  [[gnu::noinline]] void record_missing(const Expr& e, int year);
  std::optional<Comparable> comparable(const Expr& v, Outcome& out);
  // `actual`, when not null, receives a leaf's tested value as neutral text (for explain).
  [[gnu::noinline]] Verdict compare(const Cond& c, std::string* actual);
  [[gnu::noinline]] Verdict compare_in_full(const Cond& c, std::string* actual);
  [[gnu::noinline]] Verdict test_recorded(const Cond& c);  // explain mode's test
  Verdict test_inner(const Cond& c, std::string* actual);
  // One per kind of condition, each with the frame it needs: test_inner only dispatches. Kept out
  // of line: inlined, every test paid the register saves of the largest of them (1.7% of a
  // batch's instructions).
  [[gnu::noinline]] Verdict test_group(const Cond& c);  // all, any
  [[gnu::noinline]] Verdict test_not(const Cond& c);
  [[gnu::noinline]] Verdict test_value(const Cond& c, std::string* actual);  // is, in
  [[gnu::noinline]] Verdict test_computed(const Cond& c, const Expr& subject, std::string* actual);
  Verdict test_scalar(const Cond& c, const Expr& subject, const Scalar& value, std::string* actual);
  [[gnu::noinline]] void value_failure(const Cond& c, const Expr& subject, const Scalar& value);
  [[gnu::noinline]] Verdict test_has(const Cond& c, std::string* actual);
  [[gnu::noinline]] Verdict has_none(const Cond& c, const FactValue& list);
  Outcome start() const { return Outcome(missing_.size()); }
  bool missed(const Outcome& out) const { return missing_.size() > out.missing_from; }
  // Drops reasons recorded since the marks: a decided condition reports only its own.
  void forget(std::size_t failures_mark, std::size_t missing_mark) {
    cut_failures(failures_mark);
    missing_.truncate(missing_mark);
  }
  // The failures recorded so far, and back to a mark: without reasons there are none.
  std::size_t failures_size() const {
    if constexpr (kReasons) return failures_.size();
    return 0;
  }
  void cut_failures(std::size_t mark) {
    if constexpr (kReasons) truncate(failures_, mark);
  }
  std::optional<Decimal> brackets(const Expr& e, Outcome& out);
  // Marks `out` failed; returns the Failure to fill in, or null when reasons are not recorded.
  Failure* fail(Outcome& out) {
    out.failed = true;
    if (!reasons) return nullptr;
    out.failure = std::make_unique<Failure>();
    return out.failure.get();
  }
  // Records a trace step; `detail` is only built when a trace is wanted (batch runs without one).
  // It returns a Message, or one string when the detail has no words (the same in both languages).
  template <class MakeDetail>
  void note(StepKind step, MakeDetail&& detail) {
    if (!trace) return;
    auto text = detail();
    if constexpr (std::is_same_v<decltype(text), Message>) {
      trace->push_back(TraceStep{step, std::move(text)});
    } else {
      trace->push_back(TraceStep{step, Message{text, text}});
    }
  }

  const Profile& p_;
  unsigned form_bit_;  // the profile's legal form in Rule::applicant_mask
  Scope scope_;
  // The current rule's reasons, appended as conditions and expressions are evaluated and cut back
  // when a decision makes some of them moot. Kept across rules and profiles so that their storage
  // is reused.
  std::vector<Failure>& failures_;
  MissingLog<kReasons> missing_;
};

template <bool kReasons>
const Scalar* Evaluator<kReasons>::fact(const Expr& e) {
  const FactValue* value;
  int offset;
  bool per_year;
  if (e.op == Op::Item) {
    const ItemRef& r = e.as<ItemRef>();
    value = &scope_.item->field(r.field);
    offset = r.year;
    per_year = r.per_year;
  } else {
    const FactRef& r = e.as<FactRef>();
    value = &p_.facts[static_cast<std::size_t>(r.fact)];
    offset = r.year;
    per_year = r.per_year;
  }
  int year = p_.policy_year + offset;
  const Scalar* scalar = nullptr;
  if (value->present) scalar = per_year ? value->at_year(year) : &value->scalar;
  if (!scalar) {
    if (missing_.keeps()) {
      record_missing(e, year);
    } else {
      missing_.add();  // counted only: no call
    }
  }
  return scalar;
}

template <bool kReasons>
void Evaluator<kReasons>::record_missing(const Expr& e, int year) {
  Missing* added = missing_.add();
  if (!added) return;
  Missing& missing = *added;
  if (e.op == Op::Item) {
    missing.fact = scope_.list_fact;
    missing.field = e.as<ItemRef>().field;
    missing.item = scope_.item_index;
    if (e.as<ItemRef>().per_year) missing.year = year;
  } else {
    missing.fact = e.as<FactRef>().fact;
    if (e.as<FactRef>().per_year) missing.year = year;
  }
}

template <bool kReasons>
std::optional<Comparable> Evaluator<kReasons>::comparable(const Expr& v, Outcome& out) {
  Comparable c;
  c.op = v.op;
  if (!c.is_rate()) {
    c.op = Op::Const;
    std::optional<Decimal> value = number(v, out);
    if (!value) return std::nullopt;
    c.value = *value;
    return c;
  }
  auto [top, base] = rate_parts(v);
  std::optional<Decimal> a = number(*top, out);
  std::optional<Decimal> b = number(*base, out);
  if (!a || !b) return std::nullopt;
  if (v.op == Op::Ratio ? b->is_zero() : b->units() <= 0) {
    if (Failure* f = fail(out)) {
      f->subject = &v;
      f->relation = v.op == Op::Ratio ? Relation::ZeroDenominator : Relation::NoGrowthBase;
      f->actual = b->str();
      f->year = p_.policy_year + read_year(*base);
    }
    return std::nullopt;
  }
  c.a = *a;
  c.b = *b;
  std::optional<Decimal> shown = v.op == Op::Ratio ? div(*a, *b) : [&] {
    std::optional<Decimal> diff = sub(*a, *b);
    return diff ? div(*diff, *b) : std::nullopt;
  }();
  if (!shown) {
    out.overflow = true;
    return std::nullopt;
  }
  c.value = *shown;
  return c;
}

template <bool kReasons>
std::optional<Decimal> Evaluator<kReasons>::brackets(const Expr& e, Outcome& out) {
  const Brackets& node = e.as<Brackets>();
  std::optional<Comparable> of = comparable(*node.of, out);
  if (!of) return std::nullopt;
  for (const Bracket& b : node.rows) {
    bool above = !b.lower || (b.lower->inclusive ? of->against(b.lower->value) >= 0
                                                 : of->against(b.lower->value) > 0);
    bool below = !b.upper || (b.upper->inclusive ? of->against(b.upper->value) <= 0
                                                 : of->against(b.upper->value) < 0);
    if (above && below) {
      std::optional<Decimal> then = number(*b.then, out);
      note(StepKind::Bracket, [&] {
        return msg("{} in {}{}, {}{} → {}", "{} 属于 {}{}, {}{} → {}", of->text(),
                   b.lower ? (b.lower->inclusive ? "[" : "(") : "(",
                   b.lower ? b.lower->display : "−∞", b.upper ? b.upper->display : "+∞",
                   b.upper ? (b.upper->inclusive ? "]" : ")") : ")", then ? then->str() : "?");
      });
      return then;
    }
  }
  // Below the lowest bracket (or in a gap the text leaves): not eligible.
  if (Failure* f = fail(out)) {
    f->subject = node.of;
    f->relation = Relation::Bracket;
    f->actual = of->text();
    const Bracket* lowest = nullptr;
    for (const Bracket& b : node.rows) {
      if (b.lower && (!lowest || b.lower->value < lowest->lower->value)) lowest = &b;
    }
    if (lowest) {
      f->threshold = lowest->lower->display;
      f->bound = lowest->lower->value;
      f->inclusive = lowest->lower->inclusive;
    }
    f->year = p_.policy_year + read_year(*node.of);
  }
  return std::nullopt;
}

std::optional<Scalar> as_scalar(const std::optional<Decimal>& d) {
  return d ? std::optional<Scalar>(*d) : std::nullopt;
}

std::optional<Scalar> as_scalar(const std::optional<Comparable>& c) {
  return c ? std::optional<Scalar>(c->value) : std::nullopt;
}

template <bool kReasons>
std::optional<Scalar> Evaluator<kReasons>::difference(const Expr& e, Outcome& out) {
  std::span<const Expr> args = e.as<Operands>().args;
  std::optional<Decimal> a = number(args[0], out);
  std::optional<Decimal> b = number(args[1], out);
  if (!a || !b) return std::nullopt;
  std::optional<Decimal> d = sub(*a, *b);
  return d ? std::optional<Scalar>(*d) : overflow(out);
}

template <bool kReasons>
std::optional<Scalar> Evaluator<kReasons>::overflow(Outcome& out) {
  out.overflow = true;
  return std::nullopt;
}

// One function per operator (core/ops.h); the constants, facts and bounded forms inline here.
template <bool kReasons>
std::optional<Scalar> Evaluator<kReasons>::eval(const Expr& e, Outcome& out) {
  switch (e.op) {
    case Op::Const:
      return e.as<Constant>().value;
    case Op::Fact:
    case Op::Item: {
      const Scalar* s = fact(e);
      if (!s) return std::nullopt;
      return *s;
    }
    case Op::PolicyYear:
      return Scalar(Decimal::from_int(p_.policy_year));
    case Op::Add:
    case Op::Mul:
    case Op::Min:
    case Op::Max:
      return fold(e, out);
    case Op::Sub:
      return difference(e, out);
    case Op::Ratio:
    case Op::Growth:
      return as_scalar(comparable(e, out));
    case Op::Brackets:
      return as_scalar(brackets(e, out));
    case Op::Steps:
      return steps(e, out);
    case Op::Marginal:
      return marginal(e, out);
    case Op::Sum:
    case Op::Count:
      return aggregate(e, out);
    case Op::Case:
      return case_of(e, out);
    case Op::Lookup:
      return lookup(e, out);
    case Op::Round:
      return round(e, out);
  }
  return std::nullopt;
}

// add, mul, min, max over their operands.
template <bool kReasons>
std::optional<Scalar> Evaluator<kReasons>::fold(const Expr& e, Outcome& out) {
  // Every operand is evaluated, even after one is missing, so that all missing facts are
  // reported together.
  std::optional<Decimal> acc;
  bool complete = true;
  bool overflowed = false;
  for (const Expr& arg : e.as<Operands>().args) {
    std::optional<Decimal> v = number(arg, out);
    if (!v) {
      complete = false;
      continue;
    }
    if (!complete || overflowed) continue;
    if (!acc) {
      acc = *v;
      continue;
    }
    switch (e.op) {
      case Op::Add:
        acc = add(*acc, *v);
        break;
      case Op::Mul:
        acc = mul(*acc, *v);
        break;
      case Op::Min:
        acc = std::min(*acc, *v);
        break;
      default:
        acc = std::max(*acc, *v);
        break;
    }
    overflowed = !acc;
  }
  if (!complete) return std::nullopt;
  if (overflowed) return overflow(out);
  return Scalar(*acc);
}

template <bool kReasons>
std::optional<Scalar> Evaluator<kReasons>::steps(const Expr& e, Outcome& out) {
  const Steps& node = e.as<Steps>();
  std::optional<Decimal> of = number(*node.of, out);
  if (!of) return std::nullopt;
  std::optional<Decimal> n = floor_div(*of, node.size);
  if (!n) return overflow(out);
  if (n->is_negative()) n = Decimal();
  note(StepKind::Steps,
       [&] { return fmt::format("⌊{} ÷ {}⌋ = {}", of->str(), node.size_text, n->str()); });
  return Scalar(*n);
}

template <bool kReasons>
std::optional<Scalar> Evaluator<kReasons>::marginal(const Expr& e, Outcome& out) {
  const Marginal& node = e.as<Marginal>();
  std::optional<Decimal> of = number(*node.of, out);
  std::vector<std::optional<Decimal>> rates;
  for (const Band& band : node.bands) rates.push_back(number(*band.rate, out));
  if (!of || std::any_of(rates.begin(), rates.end(), [](const auto& r) { return !r; })) {
    return std::nullopt;
  }
  Decimal total;
  Decimal floor;
  for (std::size_t i = 0; i < node.bands.size(); ++i) {
    const Band& band = node.bands[i];
    Decimal top = band.up_to ? std::min(*of, *band.up_to) : *of;
    if (top <= floor) break;
    std::optional<Decimal> part = sub(top, floor);
    std::optional<Decimal> paid = part ? mul(*part, *rates[i]) : std::nullopt;
    std::optional<Decimal> sum = paid ? add(total, *paid) : std::nullopt;
    if (!sum) return overflow(out);
    note(StepKind::Band,
         [&] { return fmt::format("{} × {} = {}", part->str(), rates[i]->str(), paid->str()); });
    total = *sum;
    if (band.up_to) floor = *band.up_to;
  }
  return Scalar(total);
}

// sum and count over a list fact's items (those its `where` admits).
template <bool kReasons>
std::optional<Scalar> Evaluator<kReasons>::aggregate(const Expr& e, Outcome& out) {
  const Aggregate& node = e.as<Aggregate>();
  const FactValue& list = p_.facts[static_cast<std::size_t>(node.list)];
  if (!list.present) {
    missing_.push_back(Missing{node.list, -1, -1, std::nullopt});
    return std::nullopt;
  }
  Scope saved = scope_;
  Decimal total;
  bool complete = true;
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    scope_ = Scope{node.list, static_cast<int>(i), &list.items[i]};
    if (node.where) {
      std::size_t failures_mark = failures_size();
      Verdict where = test(*node.where);
      forget(failures_mark, missing_.size());  // an item left out is no failure
      if (where.t == Tri::False) continue;
      if (where.t == Tri::Unknown) {  // its missing facts stay: they are this sum's
        complete = false;
        continue;
      }
    }
    Decimal value = Decimal::from_int(1);
    if (e.op == Op::Sum) {
      std::optional<Decimal> v = number(*node.value, out);
      std::optional<Decimal> cap =
          node.item_cap ? number(*node.item_cap, out) : std::optional<Decimal>(Decimal());
      if (!v || !cap) {
        complete = false;
        continue;
      }
      value = node.item_cap ? std::min(*v, *cap) : *v;
      note(StepKind::Item,
           [&] { return fmt::format("{}[{}]: {}", node.list_name, i, value.str()); });
    }
    std::optional<Decimal> next = add(total, value);
    if (!next) {
      scope_ = saved;
      return overflow(out);
    }
    total = *next;
  }
  scope_ = saved;
  if (!complete || out.failed) return std::nullopt;
  return Scalar(total);
}

template <bool kReasons>
std::optional<Scalar> Evaluator<kReasons>::case_of(const Expr& e, Outcome& out) {
  const Case& node = e.as<Case>();
  for (const Branch& branch : node.branches) {
    std::size_t failures_mark = failures_size();
    Verdict c = test(*branch.when);
    forget(failures_mark, missing_.size());  // a case not taken is no failure
    if (c.t == Tri::True) return eval(*branch.then, out);
    if (c.t == Tri::Unknown) return std::nullopt;  // its missing facts stay: they are ours
  }
  if (node.otherwise) return eval(*node.otherwise, out);
  if (Failure* f = fail(out)) f->relation = Relation::Case;
  return std::nullopt;
}

template <bool kReasons>
std::optional<Scalar> Evaluator<kReasons>::lookup(const Expr& e, Outcome& out) {
  const Lookup& node = e.as<Lookup>();
  std::optional<Scalar> key = eval(*node.key, out);
  if (!key) return std::nullopt;
  const std::string& k = std::get<std::string>(*key);
  for (std::size_t i = 0; i < node.keys.size(); ++i) {
    if (node.keys[i] == k) return eval(*node.values[i], out);
  }
  if (Failure* f = fail(out)) {
    f->subject = node.key;
    f->relation = Relation::Lookup;
    f->actual = k;
    f->choices = node.keys;
    for (const std::string& candidate : node.keys) {
      f->threshold += (f->threshold.empty() ? "" : ", ") + candidate;
    }
  }
  return std::nullopt;
}

template <bool kReasons>
std::optional<Scalar> Evaluator<kReasons>::round(const Expr& e, Outcome& out) {
  const Round& node = e.as<Round>();
  std::optional<Decimal> v = number(*node.of, out);
  if (!v) return std::nullopt;
  std::optional<Decimal> r = round_to(*v, node.unit, node.mode);
  if (!r) return overflow(out);
  note(StepKind::Round, [&] {
    return msg("{} → {} ({}, unit {})", "{} → {}（{}，单位 {}）", v->str(), r->str(),
               rounding_name(node.mode), node.unit.str());
  });
  return Scalar(*r);
}

// The usual comparison, a fact against constants: decided here without an Outcome, the bounds'
// optionals or a Comparable. A failure whose reasons are wanted, and every other shape, take
// compare_in_full, which decides the same.
template <bool kReasons>
Verdict Evaluator<kReasons>::compare(const Cond& c, std::string* actual) {
  const Compare& node = c.as<Compare>();
  const Expr& v = *node.value;
  if (actual || (v.op != Op::Fact && v.op != Op::Item)) return compare_in_full(c, actual);
  for (const Comparison& cmp : node.comparisons) {
    if (!constant_number(*cmp.bound)) return compare_in_full(c, actual);
  }
  const Scalar* s = fact(v);
  if (!s) return {Tri::Unknown, false};  // recorded missing, as number() would
  const Decimal* value = std::get_if<Decimal>(s);
  if (!value) return compare_in_full(c, actual);  // the loader type-checks: unreachable
  for (const Comparison& cmp : node.comparisons) {
    const Decimal& bound = *constant_number(*cmp.bound);
    int sign = *value < bound ? -1 : *value > bound ? 1 : 0;
    if (cmp_holds(cmp.op, sign)) continue;
    return reasons ? compare_in_full(c, actual) : Verdict{Tri::False, false};
  }
  return {Tri::True, false};
}

template <bool kReasons>
Verdict Evaluator<kReasons>::compare_in_full(const Cond& c, std::string* actual) {
  const Compare& node = c.as<Compare>();
  const Expr& v = *node.value;
  Outcome out = start();
  std::optional<Comparable> value = comparable(v, out);
  // Every bound is evaluated (so that all missing facts are reported); rarely more than two.
  std::array<std::optional<Decimal>, 4> few;
  std::vector<std::optional<Decimal>> many;
  if (node.comparisons.size() > few.size()) many.resize(node.comparisons.size());
  std::optional<Decimal>* bounds = many.empty() ? few.data() : many.data();
  for (std::size_t i = 0; i < node.comparisons.size(); ++i) {
    bounds[i] = number(*node.comparisons[i].bound, out);
  }
  const Expr& dated = v.op == Op::Ratio || v.op == Op::Growth ? *rate_parts(v).first : v;
  int year = p_.policy_year + read_year(dated);
  if (out.failed) {
    missing_.truncate(out.missing_from);
    if (out.failure) {
      out.failure->cond = &c;
      failures_.push_back(std::move(*out.failure));
    }
    return {Tri::False, false};
  }
  if (out.overflow) {
    missing_.truncate(out.missing_from);
    return {Tri::False, true};
  }
  if (missed(out)) return {Tri::Unknown, false};
  if (actual) *actual = value->text_against(*bounds[0]);
  for (std::size_t i = 0; i < node.comparisons.size(); ++i) {
    const Comparison& cmp = node.comparisons[i];
    if (cmp_holds(cmp.op, value->against(*bounds[i]))) continue;
    if (actual) *actual = value->text_against(*bounds[i]);
    if (!reasons) return {Tri::False, false};
    Failure& f = failures_.emplace_back();
    f.subject = &v;
    f.cond = &c;
    f.relation = relation_of(cmp.op);
    f.actual = value->text_against(*bounds[i]);
    f.threshold = cmp.bound->op == Op::Const
                      ? cmp.bound->as<Constant>().text
                      : (value->is_rate() ? percent_text(*bounds[i]) : bounds[i]->str());
    f.bound = *bounds[i];
    f.inclusive = cmp_info(cmp.op).inclusive;
    f.year = year;
    return {Tri::False, false};
  }
  return {Tri::True, false};
}

template <bool kReasons>
Verdict Evaluator<kReasons>::test(const Cond& c) {
  if (checks) [[unlikely]]
    return test_recorded(c);
  return test_inner(c, nullptr);
}

// Explain mode: each leaf's verdict and tested value recorded as it is tested. Out of line, so
// that test(), run for every condition, holds no string.
template <bool kReasons>
Verdict Evaluator<kReasons>::test_recorded(const Cond& c) {
  if (c.op == CondOp::All || c.op == CondOp::Any || c.op == CondOp::Not) {
    return test_inner(c, nullptr);
  }
  std::string actual;
  Verdict v = test_inner(c, &actual);
  checks->push_back(CondCheck{&c, v.t, std::move(actual)});
  return v;
}

template <bool kReasons>
Verdict Evaluator<kReasons>::test_inner(const Cond& c, std::string* actual) {
  switch (c.op) {
    case CondOp::All:
    case CondOp::Any:
      return test_group(c);
    case CondOp::Not:
      return test_not(c);
    case CondOp::Compare:
      return compare(c, actual);
    case CondOp::Is:
    case CondOp::In:
      return test_value(c, actual);
    case CondOp::Has:
      return test_has(c, actual);
  }
  return {Tri::True, false};
}

template <bool kReasons>
Verdict Evaluator<kReasons>::test_group(const Cond& c) {
  const std::size_t failures_mark = failures_size();
  const std::size_t missing_mark = missing_.size();
  bool all = c.op == CondOp::All;
  bool overflow = false;
  bool any_unknown = false;
  for (const Cond& kid : c.as<Junction>().kids) {
    std::size_t kid_failures = failures_size();
    Verdict k = test(kid);
    overflow = overflow || k.overflow;
    if (k.t == (all ? Tri::False : Tri::True)) {
      // Decided: report only this part's reasons (for a true `any`, none).
      if constexpr (kReasons) {
        failures_.erase(failures_.begin() + static_cast<std::ptrdiff_t>(failures_mark),
                        failures_.begin() + static_cast<std::ptrdiff_t>(kid_failures));
      }
      missing_.truncate(missing_mark);
      if (!all) cut_failures(failures_mark);
      return {k.t, k.overflow};
    }
    // An unknown part counts by its missing facts; the failures of a false `any` part
    // are kept, those of a true `all` part are none.
    if (k.t == Tri::Unknown || all) cut_failures(kid_failures);
    any_unknown = any_unknown || k.t == Tri::Unknown;
  }
  if (any_unknown) {
    cut_failures(failures_mark);
    return {Tri::Unknown, false};
  }
  return {all ? Tri::True : Tri::False, overflow};
}

template <bool kReasons>
Verdict Evaluator<kReasons>::test_not(const Cond& c) {
  const std::size_t failures_mark = failures_size();
  const std::size_t missing_mark = missing_.size();
  Verdict k = test(*c.as<Not>().kid);
  if (k.t == Tri::Unknown) return k;
  forget(failures_mark, missing_mark);
  if (k.t == Tri::False) return {Tri::True, false};
  if (reasons) {
    Failure& f = failures_.emplace_back();
    f.cond = &c;
    f.relation = Relation::Not;
  }
  return {Tri::False, false};
}

template <bool kReasons>
Verdict Evaluator<kReasons>::test_value(const Cond& c, std::string* actual) {
  const Expr& subject = c.op == CondOp::Is ? *c.as<Is>().value : *c.as<In>().value;
  // A fact is tested where it lies in the profile (absent: fact() records it missing); only a
  // computed value is held, in test_computed.
  if (subject.op != Op::Fact && subject.op != Op::Item) return test_computed(c, subject, actual);
  const Scalar* v = fact(subject);
  if (!v) return {Tri::Unknown, false};
  return test_scalar(c, subject, *v, actual);
}

template <bool kReasons>
Verdict Evaluator<kReasons>::test_computed(const Cond& c, const Expr& subject,
                                           std::string* actual) {
  const std::size_t missing_mark = missing_.size();
  Outcome out = start();
  std::optional<Scalar> computed = eval(subject, out);
  if (!computed) {
    Tri t = missed(out) ? Tri::Unknown : Tri::False;
    if (out.failure) failures_.push_back(std::move(*out.failure));
    return {t, false};
  }
  missing_.truncate(missing_mark);  // the value was computed without them
  return test_scalar(c, subject, *computed, actual);
}

template <bool kReasons>
Verdict Evaluator<kReasons>::test_scalar(const Cond& c, const Expr& subject, const Scalar& value,
                                         std::string* actual) {
  bool holds = false;
  if (actual) *actual = scalar_text(value);
  if (c.op == CondOp::Is) {
    holds = value == c.as<Is>().is;
  } else {
    const std::vector<std::string>& in = c.as<In>().in;
    holds = std::find(in.begin(), in.end(), std::get<std::string>(value)) != in.end();
  }
  if (holds) return {Tri::True, false};
  if (reasons) value_failure(c, subject, value);
  return {Tri::False, false};
}

template <bool kReasons>
void Evaluator<kReasons>::value_failure(const Cond& c, const Expr& subject, const Scalar& value) {
  Failure& f = failures_.emplace_back();
  if (c.op == CondOp::Is) {
    f.threshold = scalar_text(c.as<Is>().is);
  } else {
    f.choices = c.as<In>().in;
    for (const std::string& x : f.choices) f.threshold += (f.threshold.empty() ? "" : ", ") + x;
  }
  f.subject = &subject;
  f.cond = &c;
  f.relation = c.op == CondOp::Is ? Relation::Is : Relation::In;
  f.actual = scalar_text(value);
  f.inclusive = true;
  f.year = p_.policy_year + read_year(subject);
}

// Whether `item` gives a field of the screen another value: then `where` fails for it, leaving no
// reason and no missing fact behind (a failed `all` keeps only its failed part's, and test_has
// drops an item's failure), so passing over it decides exactly what testing it would.
bool screened_out(const Has& node, const Item& item) {
  for (const ItemScreen& s : node.screen) {
    const FactValue& value = item.field(s.field);
    if (value.present && value.scalar != s.is) return true;
  }
  return false;
}

template <bool kReasons>
Verdict Evaluator<kReasons>::test_has(const Cond& c, std::string* actual) {
  const Has& node = c.as<Has>();
  const FactValue& list = p_.facts[static_cast<std::size_t>(node.list)];
  if (!list.present) {
    missing_.push_back(Missing{node.list, -1, -1, std::nullopt});
    return {Tri::Unknown, false};
  }
  if (actual) *actual = std::to_string(list.items.size());  // the count; renderers word it
  if (!node.where) return list.items.empty() ? has_none(c, list) : Verdict{Tri::True, false};
  const std::size_t failures_mark = failures_size();
  const std::size_t missing_mark = missing_.size();
  Scope saved = scope_;
  bool any_unknown = false;
  const Item* first = list.items.data();
  for (const Item& item : list.items) {
    // Explain mode records every part tested, so it tests every item in full.
    if (!checks && screened_out(node, item)) continue;
    scope_ = Scope{node.list, static_cast<int>(&item - first), &item};
    std::size_t kid_failures = failures_size();
    Verdict k = test(*node.where);
    if (k.t == Tri::True) {
      scope_ = saved;
      forget(failures_mark, missing_mark);
      return {Tri::True, false};
    }
    cut_failures(kid_failures);  // one item's failure is not the list's
    any_unknown = any_unknown || k.t == Tri::Unknown;
  }
  scope_ = saved;
  if (any_unknown) return {Tri::Unknown, false};
  return has_none(c, list);
}

// No item satisfies the condition (or the list has none): false, with the list's count.
template <bool kReasons>
Verdict Evaluator<kReasons>::has_none(const Cond& c, const FactValue& list) {
  if (reasons) {
    Failure& f = failures_.emplace_back();
    f.cond = &c;
    f.relation = Relation::Has;
    f.actual = std::to_string(list.items.size());
    f.items = list.items.size();
  }
  return {Tri::False, false};
}

void dedupe(std::vector<Missing>& missing) {
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
}

template <bool kReasons>
void Evaluator<kReasons>::evaluate_rule(const Rule& rule, RuleResult& result) {
  result.rule = &rule;
  trace = tracing ? &result.trace : nullptr;
  if (explain) checks = &result.checks;
  if (!(rule.applicant_mask & form_bit_)) {
    result.status = Status::NotApplicable;
    result.bare = true;  // and nothing else set: evaluate_documents() then skips clear()
    return;
  }
  if (rule.role_mask && p_.roles && !(rule.role_mask & p_.role_mask)) {
    result.status = Status::NotEligible;
    result.bare = !reasons;
    if (reasons) {
      Failure f;
      f.relation = Relation::Roles;
      f.choices = rule.roles;
      f.threshold = fmt::format("{}", fmt::join(rule.roles, ","));
      f.actual = fmt::format("{}", fmt::join(*p_.roles, ","));
      result.failures.push_back(std::move(f));
    }
    return;
  }
  evaluate_terms(rule, result);
  if (rule.role_mask && !p_.roles) roles_unknown(result);
}

// A rule that asks for roles the profile leaves unknown: whatever it would pay, it needs them,
// unless its condition already fails (or the rule cannot be evaluated).
template <bool kReasons>
void Evaluator<kReasons>::roles_unknown(RuleResult& result) {
  if (result.status == Status::NotEligible || result.status == Status::Error) return;
  if (result.status != Status::NeedsInfo) {
    result.status = Status::NeedsInfo;
    result.amount = Decimal();
    result.before_cap = Decimal();
    result.cap.reset();
    result.cap_applied = false;
    result.up_to.reset();
    result.payers.clear();
  }
  if (reasons) result.missing.insert(result.missing.begin(), Missing{kRolesFact, -1, -1, {}});
}

// The rule's condition: true when it decides the result (false, open, or an overflow).
template <bool kReasons>
bool Evaluator<kReasons>::condition_settles(const Rule& rule, RuleResult& result) {
  if constexpr (kReasons) failures_.clear();
  missing_.clear();
  if (!rule.when) return false;
  Verdict c = test(*rule.when);
  if (c.overflow) {
    result.status = Status::Error;
    result.error = &kOverflow;
    return true;
  }
  if (c.t == Tri::False) {
    result.status = Status::NotEligible;
    result.bare = leaves_bare();
    if constexpr (kReasons) {
      result.failures.assign(std::make_move_iterator(failures_.begin()),
                             std::make_move_iterator(failures_.end()));
    }
    return true;
  }
  if (c.t == Tri::Unknown) {
    result.status = Status::NeedsInfo;
    result.bare = leaves_bare();
    if (reasons) {
      amount_missing(rule);
      result.missing = missing_.list();
      dedupe(result.missing);
    }
    return true;
  }
  if constexpr (kReasons) failures_.clear();
  missing_.clear();
  return false;
}

// The condition and the amount of a rule the applicant's form and roles do not rule out.
template <bool kReasons>
void Evaluator<kReasons>::evaluate_terms(const Rule& rule, RuleResult& result) {
  if (condition_settles(rule, result)) return;
  if (rule.kind == AmountKind::Unspecified) {
    result.status = Status::EligibleUnspecified;
    return;
  }
  if (rule.kind == AmountKind::UpperBound) {
    upper_bound(rule, result);
    return;
  }
  Outcome out = start();
  std::optional<Decimal> value = number(*rule.formula, out);
  std::optional<Decimal> cap;
  if (rule.cap) cap = number(*rule.cap, out);
  if (settled(out, result)) return;
  result.before_cap = *value;
  note(StepKind::Formula, [&] { return value->str(); });
  Decimal amount = *value;
  if (cap) {
    result.cap = *cap;
    if (*cap < amount) {
      amount = *cap;
      result.cap_applied = true;
      note(StepKind::Cap, [&] {
        return msg("{0} > cap {1} → {1}", "{0} > 上限 {1} → {1}", value->str(), cap->str());
      });
    }
  }
  std::optional<Decimal> rounded = round_to(amount, rule.rounding_unit, rule.rounding);
  if (!rounded) {
    result.status = Status::Error;
    result.error = &kOverflow;
    return;
  }
  if (*rounded != amount) {
    note(StepKind::Rounding, [&] {
      return msg("{} → {} ({}, unit {})", "{} → {}（{}，单位 {}）", amount.str(), rounded->str(),
                 rounding_name(rule.rounding), rule.rounding_unit.str());
    });
  }
  if (rounded->units() <= 0) {
    result.status = Status::NotEligible;
    if (reasons) {
      Failure f;
      f.relation = Relation::ZeroAmount;
      f.actual = rounded->str();
      result.failures.push_back(std::move(f));
    }
    return;
  }
  result.amount = *rounded;
  result.status = Status::Eligible;
  if (const Message* error = split_payers(rule, result)) {
    result.status = Status::Error;
    result.error = error;
    result.payers.clear();
  }
}

// Adds to the condition's missing facts those the amount would read, so that a person asked about
// a rule whose condition is still open learns every fact it needs at once (a blank template lists
// every question, not only the condition's). The trace and the condition checks stay the
// condition's own, and nothing the amount would fail on is reported.
template <bool kReasons>
void Evaluator<kReasons>::amount_missing(const Rule& rule) {
  const Expr* amount = rule.kind == AmountKind::UpperBound ? rule.up_to
                       : rule.formula                      ? rule.formula
                                                           : nullptr;
  if (!amount) return;
  std::vector<TraceStep>* saved_trace = trace;
  std::vector<CondCheck>* saved_checks = checks;
  trace = nullptr;
  checks = nullptr;
  const std::size_t failures_mark = failures_size();
  Outcome out = start();
  number(*amount, out);
  if (rule.cap && rule.kind != AmountKind::UpperBound) number(*rule.cap, out);
  cut_failures(failures_mark);
  trace = saved_trace;
  checks = saved_checks;
}

template <bool kReasons>
void Evaluator<kReasons>::upper_bound(const Rule& rule, RuleResult& result) {
  Outcome out = start();
  std::optional<Decimal> value = number(*rule.up_to, out);
  if (settled(out, result)) return;
  std::optional<Decimal> rounded = round_to(*value, rule.rounding_unit, rule.rounding);
  if (!rounded) {
    result.status = Status::Error;
    result.error = &kOverflow;
    return;
  }
  note(StepKind::UpTo, [&] { return value->str(); });
  result.up_to = *rounded;
  result.status = Status::EligibleUnspecified;
}

template <bool kReasons>
bool Evaluator<kReasons>::settled(Outcome& out, RuleResult& result) {
  if (out.failed) {
    result.status = Status::NotEligible;
    if (out.failure) result.failures.push_back(std::move(*out.failure));
    return true;
  }
  if (out.overflow) {
    result.status = Status::Error;
    result.error = &kOverflow;
    return true;
  }
  if (missed(out)) {
    result.status = Status::NeedsInfo;
    if (reasons) {
      result.missing = missing_.list();
      dedupe(result.missing);
    }
    return true;
  }
  return false;
}

template <bool kReasons>
const Message* Evaluator<kReasons>::split_payers(const Rule& rule, RuleResult& result) {
  // Formula and share parts, then the rest to the payer marked `rest`. Parts that overflow, or
  // that add up to more than the amount (the loader refuses what it can prove; facts decide the
  // rest), are an error of the rule: a negative rest is never reported as money.
  Decimal assigned;
  int rest = -1;
  for (std::size_t i = 0; i < rule.payers.size(); ++i) {
    const Payer& payer = rule.payers[i];
    PayerAmount part{payer.payer, Decimal()};
    if (payer.kind == Payer::Kind::Rest) {
      rest = static_cast<int>(i);
      result.payers.push_back(part);
      continue;
    }
    Outcome po = start();
    std::optional<Decimal> v = payer.kind == Payer::Kind::Formula ? number(*payer.formula, po)
                                                                  : mul(result.amount, payer.share);
    if (!v) return po.overflow || payer.kind == Payer::Kind::Share ? &kOverflow : &kPayerSplit;
    v = round_to(std::min(*v, result.amount), rule.rounding_unit, rule.rounding);
    if (!v) return &kOverflow;
    if (v->is_negative()) return &kPayerNegative;
    part.amount = *v;
    std::optional<Decimal> sum = add(assigned, *v);
    if (!sum) return &kOverflow;
    assigned = *sum;
    result.payers.push_back(part);
  }
  if (assigned > result.amount && !absorb_rounding(rule, rest, assigned, result)) {
    return &kPayerExcess;
  }
  if (rest >= 0) {
    // Cannot overflow: 0 <= assigned <= amount.
    result.payers[static_cast<std::size_t>(rest)].amount = *sub(result.amount, assigned);
  }
  return nullptr;
}

// Each part is rounded like the amount, so parts may add up to a little more than it (50% and 50%
// of 100.01 are 50.01 each): at most one rounding unit per part is rounding, not a split that does
// not add up. That excess comes off the last parts (not the rest), so that the parts add up to
// the amount; `assigned` becomes the amount. False when the excess is more than rounding.
bool absorb_rounding(const Rule& rule, int rest, Decimal& assigned, RuleResult& result) {
  std::size_t parts = rule.payers.size() - (rest >= 0 ? 1 : 0);
  std::optional<Decimal> excess = sub(assigned, result.amount);
  std::optional<Decimal> limit =
      mul(rule.rounding_unit, Decimal::from_int(static_cast<std::int64_t>(parts)));
  if (!excess || !limit || *excess > *limit) return false;
  for (std::size_t i = result.payers.size(); i-- > 0 && excess->units() > 0;) {
    if (static_cast<int>(i) == rest) continue;
    Decimal& part = result.payers[i].amount;
    Decimal cut = std::min(part, *excess);
    part = Decimal::from_units(part.units() - cut.units());
    excess = Decimal::from_units(excess->units() - cut.units());
  }
  assigned = result.amount;
  return true;
}

// A document's counts and totals from its rule results, and its share of the report's totals. An
// amount that does not fit in a total sets dr.overflow (and report.overflow), and the totals stay
// partial: they are never wrapped, and the CLI never shows them as totals (evaluation_error names
// the document). A payer's sum cannot overflow alone: a grant's parts add up to at most its
// amount (split_payers), so each payer's sum is at most the document's total, which overflows
// first, at the same rule or an earlier one.
void add_up(DocumentResult& dr, Report& report) {
  auto add_to = [&dr](Decimal& sum, Decimal amount) {
    if (std::optional<Decimal> next = add(sum, amount)) {
      sum = *next;
    } else {
      dr.overflow = true;
    }
  };
  for (const RuleResult& rr : dr.rules) {
    switch (rr.status) {
      case Status::Eligible:
        ++dr.eligible;
        if (rr.rule->benefit == Benefit::TaxRelief) {
          // A tax saving is not money paid out: reported beside the total, not inside it.
          add_to(dr.tax_relief, rr.amount);
          break;
        }
        if (rr.rule->benefit == Benefit::FeeReduction) {
          // Nor is a fee or toll reduced or waived: beside the total too.
          add_to(dr.fee_reduction, rr.amount);
          break;
        }
        add_to(dr.total, rr.amount);
        if (rr.at_least()) dr.total_is_floor = true;
        if (rr.payers.empty()) add_to(dr.by_payer[std::string(kIssuer)], rr.amount);
        for (const PayerAmount& pa : rr.payers) add_to(dr.by_payer[pa.payer], pa.amount);
        break;
      case Status::EligibleUnspecified:
        ++dr.unspecified;
        break;
      case Status::NeedsInfo:
        ++dr.needs_info;
        break;
      case Status::Error:
        report.rule_error = true;
        break;
      default:
        break;
    }
  }
  report.overflow = report.overflow || dr.overflow;
  report.total_is_floor = report.total_is_floor || dr.total_is_floor;
  if (dr.overflow) return;  // adds nothing more: the grand total is not shown anyway
  std::optional<Decimal> total = add(report.total, dr.total);
  std::optional<Decimal> relief = add(report.tax_relief, dr.tax_relief);
  std::optional<Decimal> fees = add(report.fee_reduction, dr.fee_reduction);
  if (!total || !relief || !fees) report.overflow = true;
  report.total = total.value_or(report.total);
  report.tax_relief = relief.value_or(report.tax_relief);
  report.fee_reduction = fees.value_or(report.fee_reduction);
}

}  // namespace

namespace {

// Whether a condition on a list's items compares an amount (a number that is not a year) of the
// item: failing it with items present is a near miss, not a title the applicant lacks. Inside a
// nested has, the items are that has's list's.
bool compares_an_amount(const Cond& c, const FactDecl& list, const Vocabulary& vocabulary) {
  if (c.op == CondOp::Compare && c.value()->op == Op::Item) {
    auto index = static_cast<std::size_t>(c.value()->as<ItemRef>().field);
    const FactDecl& field = list.fields[index];
    if (field.type == FactType::Number && !unit_info(field.unit).calendar) return true;
  }
  const FactDecl& items =
      c.op == CondOp::Has ? vocabulary.facts[static_cast<std::size_t>(list_of(c))] : list;
  bool any = false;
  for_each_kid(c, [&](const Cond& k) { any = any || compares_an_amount(k, items, vocabulary); });
  return any;
}

bool about_identity(const Failure& f, const Vocabulary& vocabulary) {
  if (!relation_info(f.relation).about_identity) return false;
  if (f.relation != Relation::Has || !f.cond || f.items == 0) return true;
  const Has& has = f.cond->as<Has>();
  if (!has.where) return true;
  const FactDecl& list = vocabulary.facts[static_cast<std::size_t>(has.list)];
  return !compares_an_amount(*has.where, list, vocabulary);
}

}  // namespace

bool concerns_applicant(const RuleResult& result, const Vocabulary& vocabulary) {
  if (result.status != Status::NotEligible || result.failures.empty()) return true;
  return std::any_of(result.failures.begin(), result.failures.end(),
                     [&](const Failure& f) { return !about_identity(f, vocabulary); });
}

const RelationInfo& relation_info(Relation relation) {
  return kRelations[static_cast<std::size_t>(relation)];
}

Relation relation_of(CmpOp op) {
  return static_cast<Relation>(static_cast<int>(op));
}

std::optional<CmpOp> comparison_of(Relation relation) {
  if (relation > Relation::Equals) return std::nullopt;
  return static_cast<CmpOp>(static_cast<int>(relation));
}

std::string_view status_name(Status status) {
  switch (status) {
    case Status::Eligible:
      return "eligible";
    case Status::EligibleUnspecified:
      return "eligible_unspecified";
    case Status::NotEligible:
      return "not_eligible";
    case Status::NeedsInfo:
      return "needs_info";
    case Status::Excluded:
      return "excluded";
    case Status::NotApplicable:
      return "not_applicable";
    case Status::Error:
      return "error";
  }
  return "";
}

std::optional<Message> evaluation_error(const Report& report) {
  if (!report.rule_error && !report.overflow) return std::nullopt;
  for (const DocumentResult& d : report.documents) {
    for (const RuleResult& r : d.rules) {
      if (r.status != Status::Error || !r.error) continue;
      if (r.error == &kOverflow) {
        return msg("rule {} in document {}: arithmetic overflow (beyond 9,000,000,000,000)",
                   "文件 {1} 的规则 {0}：算术溢出（超出 9,000,000,000,000）", r.rule->id,
                   d.document->id);
      }
      return msg("rule {0} in document {1}: {2}", "文件 {1} 的规则 {0}：{3}", r.rule->id,
                 d.document->id, r.error->en, r.error->zh);
    }
  }
  for (const DocumentResult& d : report.documents) {
    if (d.overflow) {
      return msg("the total of document {} overflowed (beyond 9,000,000,000,000)",
                 "文件 {} 的合计溢出（超出 9,000,000,000,000）", d.document->id);
    }
  }
  if (report.overflow) {
    return Message{"the grand total overflowed (beyond 9,000,000,000,000)",
                   "总计溢出（超出 9,000,000,000,000）"};
  }
  return std::nullopt;
}

std::string percent_text(Decimal ratio) {
  std::optional<Decimal> pct = mul(ratio, Decimal::from_int(100));
  if (!pct) return "?";
  std::string s = pct->fixed(4);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s + "%";
}

void RuleResult::clear() {
  rule = nullptr;
  status = Status::NotEligible;
  amount = Decimal();
  before_cap = Decimal();
  cap.reset();
  cap_applied = false;
  up_to.reset();
  payers.clear();
  failures.clear();
  missing.clear();
  excluded_by = {};
  group = {};
  error = nullptr;
  trace.clear();
  checks.clear();
  bare = false;
}

Report evaluate(const RuleSet& rules, const Profile& profile, const EvalOptions& options) {
  Report report;
  evaluate(rules, profile, options, report);
  return report;
}

namespace {

// The documents that cover the profile's region, each rule evaluated and each document added up.
template <bool kReasons>
void evaluate_documents(const RuleSet& rules, const Profile& profile, const EvalOptions& options,
                        Report& report, std::vector<std::vector<RuleResult>>& spare,
                        std::vector<Failure>& failures, std::vector<Missing>& missing) {
  std::string parent_code = region_parent(rules, profile.region);
  Evaluator<kReasons> evaluator(profile, options, failures, missing);
  for (const Document& doc : rules.documents()) {
    if (!covers(doc, profile.region, parent_code)) continue;
    DocumentResult dr;
    dr.document = &doc;
    dr.in_force = options.ignore_validity || doc.in_force(profile.policy_year);
    if (!dr.in_force) {
      report.documents.push_back(std::move(dr));
      continue;
    }
    dr.rules = std::move(spare[static_cast<std::size_t>(&doc - rules.documents().data())]);
    dr.rules.resize(doc.rules.size());  // the same size when reused
    for (std::size_t i = 0; i < doc.rules.size(); ++i) {
      RuleResult& result = dr.rules[i];
      // Reused: cleared, unless evaluation left nothing in it but the status (RuleResult::bare),
      // which every evaluation sets.
      if (result.rule && !result.bare) result.clear();
      result.bare = false;
      evaluator.evaluate_rule(doc.rules[i], result);
    }
    // Stacking groups: only the highest eligible amount is paid.
    for (const Group& group : doc.groups) {
      RuleResult* best = nullptr;
      for (std::size_t i : group.members) {
        RuleResult& rr = dr.rules[i];
        if (rr.status == Status::Eligible && (!best || rr.amount > best->amount)) best = &rr;
      }
      if (!best) continue;
      for (std::size_t i : group.members) {
        RuleResult& rr = dr.rules[i];
        if (&rr == best || rr.status != Status::Eligible) continue;
        rr.status = Status::Excluded;
        rr.excluded_by = best->rule->id;
        rr.group = group.id;
        if (options.trace) {
          rr.trace.push_back(
              TraceStep{StepKind::Group,
                        msg("{} ({}): {} pays {} instead", "{}（{}）：改由 {} 补助 {}", group.id,
                            group_mode_key(group.mode), best->rule->id, best->amount.str())});
        }
      }
    }
    add_up(dr, report);
    report.documents.push_back(std::move(dr));
  }
}

}  // namespace

void evaluate(const RuleSet& rules, const Profile& profile, const EvalOptions& options,
              Report& report) {
  if (report.rules != &rules) {  // storage from another rule set: nothing to reuse
    report.documents.clear();
    report.spare_.clear();
  }
  report.spare_.resize(rules.documents().size());
  for (DocumentResult& dr : report.documents) {
    auto index = static_cast<std::size_t>(dr.document - rules.documents().data());
    if (index < report.spare_.size() && report.spare_[index].empty()) {
      report.spare_[index] = std::move(dr.rules);
    }
  }
  report.documents.clear();
  report.profile = &profile;
  report.rules = &rules;
  report.total = Decimal();
  report.total_is_floor = false;
  report.tax_relief = Decimal();
  report.fee_reduction = Decimal();
  report.overflow = false;
  report.rule_error = false;
  if (options.reasons) {
    evaluate_documents<true>(rules, profile, options, report, report.spare_, report.failures_,
                             report.missing_);
  } else {
    evaluate_documents<false>(rules, profile, options, report, report.spare_, report.failures_,
                              report.missing_);
  }
}

}  // namespace subsidy
