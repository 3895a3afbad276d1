// The typed rule IR: what a rule's conditions and formulas compile to. Each operator of
// core/ops.h has its own node struct with named parts (Brackets{of, rows}, Lookup{key, table}),
// held in an Expr or Cond beside the op and the JSON path it came from. Nodes are stored flat:
// the compiler places them in a document's NodeStore, a few large blocks that never move, and a
// node refers to its parts by pointer or by a contiguous run (std::span), never through heap
// vectors of child nodes.
//
// Contracts: a node's payload is the alternative its op names (payload_of), set by the compiler
// together with the op, so `as<T>()` never throws on a loaded rule set. Nodes live as long as the
// NodeStore that holds them (owned by their Document, so by the RuleSet); pointers to them (a
// Failure's subject, a CondCheck's cond) must not outlive it. Immutable once the rule set is
// sealed; read from any number of threads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/decimal.h"
#include "core/ops.h"

namespace subsidy {

// A fact value, or a constant in a rule: a number, a boolean or a text (an enum value).
using Scalar = std::variant<Decimal, bool, std::string>;

struct Expr;
struct Cond;

// A number as written (5%, 200万), read exactly.
struct Constant {
  Scalar value = Decimal();
  std::string text;  // as written in the rule file: "5%"
};

// A top-level fact (Op::Fact); on a per-year fact, `year` is the offset from the policy year.
struct FactRef {
  int fact = -1;  // vocabulary index
  int year = 0;
  bool per_year = false;
  std::string name;
};

// A field of the list item in scope (Op::Item, inside sum, count and has).
struct ItemRef {
  int field = -1;  // index in the list fact's fields
  int year = 0;
  bool per_year = false;
  std::string name;
};

struct PolicyYear {};

// add, sub, mul, min, max.
struct Operands {
  std::span<const Expr> args;
};

struct Ratio {
  const Expr* numerator = nullptr;
  const Expr* denominator = nullptr;
};

struct Growth {
  const Expr* current = nullptr;
  const Expr* previous = nullptr;
};

struct Bound {
  Decimal value;
  std::string display;  // as written in the rule file: "200万"
  bool inclusive = true;
};

struct Bracket {
  std::optional<Bound> lower;
  std::optional<Bound> upper;
  const Expr* then = nullptr;
};

struct Brackets {
  const Expr* of = nullptr;
  std::vector<Bracket> rows;
};

// 每满 size: ⌊of ÷ size⌋.
struct Steps {
  const Expr* of = nullptr;
  Decimal size;
  std::string size_text;  // as written
};

struct Band {
  std::optional<Decimal> up_to;  // the last band has none
  std::string up_to_display;
  const Expr* rate = nullptr;
};

struct Marginal {
  const Expr* of = nullptr;
  std::vector<Band> bands;
};

// sum (value, optionally capped per item) and count over the items of a list fact.
struct Aggregate {
  int list = -1;  // vocabulary index of the list fact
  std::string list_name;
  const Cond* where = nullptr;     // optional
  const Expr* value = nullptr;     // sum only
  const Expr* item_cap = nullptr;  // sum only, optional
};

struct Branch {
  const Cond* when = nullptr;
  const Expr* then = nullptr;
};

struct Case {
  std::vector<Branch> branches;
  const Expr* otherwise = nullptr;  // `else`; optional
};

// The table maps keys[i] to values[i], in file order.
struct Lookup {
  const Expr* key = nullptr;
  std::vector<std::string> keys;
  std::vector<const Expr*> values;
};

struct Round {
  const Expr* of = nullptr;
  Rounding mode = Rounding::HalfUp;
  Decimal unit;
};

using ExprNode = std::variant<Constant, FactRef, ItemRef, PolicyYear, Operands, Ratio, Growth,
                              Brackets, Steps, Marginal, Aggregate, Case, Lookup, Round>;

// The payload an op's node holds: one alternative per op, several ops sharing Operands or
// Aggregate.
ExprNode payload_of(Op op);

struct Expr {
  Op op = Op::Const;
  ExprNode node;
  std::string path;  // JSON pointer in the rule file, for traces

  // The payload as T; T must be the alternative payload_of(op) names (the compiler sets both
  // together, and ir_test holds every built-in node to it), so no check is paid per access.
  template <class T>
  const T& as() const {
    return *std::get_if<T>(&node);
  }
  template <class T>
  T& as() {
    return *std::get_if<T>(&node);
  }
};

// The number a constant expression holds; null for any other expression (or a text constant).
inline const Decimal* constant_number(const Expr& e) {
  return e.op == Op::Const ? std::get_if<Decimal>(&e.as<Constant>().value) : nullptr;
}

// The name a fact or item reference reads; empty for any other expression.
inline std::string_view read_name(const Expr& e) {
  if (e.op == Op::Fact) return e.as<FactRef>().name;
  if (e.op == Op::Item) return e.as<ItemRef>().name;
  return {};
}

// The year offset of a fact or item reference (0 for any other expression).
inline int read_year(const Expr& e) {
  if (e.op == Op::Fact) return e.as<FactRef>().year;
  if (e.op == Op::Item) return e.as<ItemRef>().year;
  return 0;
}

struct Comparison {
  CmpOp op;
  const Expr* bound = nullptr;
};

// all, any: the parts joined.
struct Junction {
  std::span<const Cond> kids;
};

struct Not {
  const Cond* kid = nullptr;
};

// A value against one or more bounds (all must hold).
struct Compare {
  const Expr* value = nullptr;
  std::vector<Comparison> comparisons;
};

struct Is {
  const Expr* value = nullptr;
  Scalar is;
};

struct In {
  const Expr* value = nullptr;
  std::vector<std::string> in;
};

// A field `where` requires to hold one value: an item giving another value there fails `where`.
struct ItemScreen {
  int field = -1;  // index in the list's FactDecl::fields; never a per-year field
  Scalar is;
};

// Some item of the list satisfies `where` (or the list has any item, without one).
struct Has {
  int list = -1;  // vocabulary index of the list fact
  const Cond* where = nullptr;
  // The `is` tests on this list's fields that `where` is, or that are parts of the `all` it is
  // (screen_of). `where` fails for an item that gives any of these fields another value, whatever
  // the item's other fields: the engine passes over such an item without testing the rest (most
  // items of a list of titles are titles of another type). Derived from `where` by the compiler.
  std::vector<ItemScreen> screen;
};

// The screen of a `has` whose condition is `where`, for Has::screen.
std::vector<ItemScreen> screen_of(const Cond& where);

using CondNode = std::variant<Junction, Not, Compare, Is, In, Has>;

CondNode payload_of(CondOp op);

struct Cond {
  CondOp op = CondOp::All;
  CondNode node;
  std::string path;
  int line = 0;
  int col = 0;

  // The payload as T; T must be the alternative payload_of(op) names (the compiler sets both
  // together, and ir_test holds every built-in node to it), so no check is paid per access.
  template <class T>
  const T& as() const {
    return *std::get_if<T>(&node);
  }
  template <class T>
  T& as() {
    return *std::get_if<T>(&node);
  }
  // The tested value of Compare, Is and In; null for the other forms.
  const Expr* value() const;
};

namespace detail {

// for_each_part's visitor over an expression's payload: one overload per shape of node.
template <class OnExpr, class OnCond>
struct Parts {
  OnExpr& on_expr;
  OnCond& on_cond;

  void opt(const Expr* x) const {
    if (x) on_expr(*x);
  }
  void operator()(const Constant&) const {}
  void operator()(const FactRef&) const {}
  void operator()(const ItemRef&) const {}
  void operator()(const PolicyYear&) const {}
  void operator()(const Operands& n) const {
    for (const Expr& a : n.args) on_expr(a);
  }
  void operator()(const Ratio& n) const {
    opt(n.numerator);
    opt(n.denominator);
  }
  void operator()(const Growth& n) const {
    opt(n.current);
    opt(n.previous);
  }
  void operator()(const Brackets& n) const {
    opt(n.of);
    for (const Bracket& b : n.rows) opt(b.then);
  }
  void operator()(const Steps& n) const { opt(n.of); }
  void operator()(const Marginal& n) const {
    opt(n.of);
    for (const Band& b : n.bands) opt(b.rate);
  }
  void operator()(const Aggregate& n) const {
    opt(n.value);
    opt(n.item_cap);
    if (n.where) on_cond(*n.where);
  }
  void operator()(const Case& n) const {
    for (const Branch& b : n.branches) opt(b.then);
    opt(n.otherwise);
    for (const Branch& b : n.branches) {
      if (b.when) on_cond(*b.when);
    }
  }
  void operator()(const Lookup& n) const {
    opt(n.key);
    for (const Expr* v : n.values) opt(v);
  }
  void operator()(const Round& n) const { opt(n.of); }
};

}  // namespace detail

// Calls on_expr and on_cond on each node directly inside `e`: first its expressions, in the order
// they are written (a case's thens, then its else), then its conditions (a case's whens, a sum's
// where).
template <class OnExpr, class OnCond>
void for_each_part(const Expr& e, OnExpr&& on_expr, OnCond&& on_cond) {
  std::visit(detail::Parts<OnExpr, OnCond>{on_expr, on_cond}, e.node);
}

// Calls f on each condition directly inside `c`: the parts of all/any, the operand of not, the
// `where` of has.
template <class F>
void for_each_kid(const Cond& c, F&& f) {
  switch (c.op) {
    case CondOp::All:
    case CondOp::Any:
      for (const Cond& k : c.as<Junction>().kids) f(k);
      return;
    case CondOp::Not:
      f(*c.as<Not>().kid);
      return;
    case CondOp::Has:
      if (const Cond* where = c.as<Has>().where) f(*where);
      return;
    default:
      return;
  }
}

// Calls on_expr and on_cond on each node directly inside `c`: its tested value, then its bounds,
// then its conditions.
template <class OnExpr, class OnCond>
void for_each_part(const Cond& c, OnExpr&& on_expr, OnCond&& on_cond) {
  if (const Expr* v = c.value()) on_expr(*v);
  if (c.op == CondOp::Compare) {
    for (const Comparison& cmp : c.as<Compare>().comparisons) {
      if (cmp.bound) on_expr(*cmp.bound);
    }
  }
  for_each_kid(c, on_cond);
}

// The list whose items are in scope inside `e` (sum, count) or `c` (has); −1 for the others.
inline int list_of(const Expr& e) {
  return e.op == Op::Sum || e.op == Op::Count ? e.as<Aggregate>().list : -1;
}
inline int list_of(const Cond& c) {
  return c.op == CondOp::Has ? c.as<Has>().list : -1;
}

// Where a document's nodes live: blocks that are filled in order and never move, so that a node's
// parts can point at it. A run placed at once is contiguous (a span). Move-only.
class NodeStore {
 public:
  NodeStore() = default;
  NodeStore(const NodeStore&) = delete;
  NodeStore& operator=(const NodeStore&) = delete;
  NodeStore(NodeStore&&) = default;
  NodeStore& operator=(NodeStore&&) = default;

  const Expr* add(Expr e) { return place(exprs_, std::move(e)); }
  const Cond* add(Cond c) { return place(conds_, std::move(c)); }
  std::span<const Expr> add(std::vector<Expr> run) { return place_run(exprs_, std::move(run)); }
  std::span<const Cond> add(std::vector<Cond> run) { return place_run(conds_, std::move(run)); }

 private:
  template <class T>
  struct Blocks {
    std::vector<std::unique_ptr<T[]>> blocks;
    std::size_t used = 0;  // in the last block
    std::size_t size = 0;  // of the last block
  };

  // `n` default-constructed slots, contiguous, in the last block or a new one.
  template <class T>
  static T* reserve(Blocks<T>& b, std::size_t n) {
    if (b.blocks.empty() || b.size - b.used < n) {
      b.size = std::max<std::size_t>(n, 256);
      b.blocks.push_back(std::make_unique<T[]>(b.size));
      b.used = 0;
    }
    T* first = b.blocks.back().get() + b.used;
    b.used += n;
    return first;
  }
  template <class T>
  static std::span<const T> place_run(Blocks<T>& b, std::vector<T> run) {
    if (run.empty()) return {};
    T* first = reserve(b, run.size());
    for (std::size_t i = 0; i < run.size(); ++i) first[i] = std::move(run[i]);
    return {first, run.size()};
  }
  template <class T>
  static const T* place(Blocks<T>& b, T one) {
    T* slot = reserve(b, 1);
    *slot = std::move(one);
    return slot;
  }

  Blocks<Expr> exprs_;
  Blocks<Cond> conds_;
};

}  // namespace subsidy
