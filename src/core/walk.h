// The one walk over a rule's compiled expressions and conditions. Every pass that reads the tree
// for what it names (the facts a rule reads, the enum values it compares, the questions it can
// raise, lint's checks, the fact reference) visits it through here, so the scoping of list items
// (inside sum, count and has the items of that list are in scope) is written once.
//
// A visitor has `void expr(const Expr&, int list)` and `void cond(const Cond&, int list)`, called
// before the node's children (pre-order); `list` is the vocabulary index of the list fact whose
// items are in scope, or −1. The walk holds no state: thread-safe over a const tree.
#pragma once

#include "core/model.h"

namespace subsidy {

template <class Visitor>
void walk(const Cond& c, int list, Visitor& v);

template <class Visitor>
void walk(const Expr& e, int list, Visitor& v) {
  v.expr(e, list);
  int inner = e.op == Op::Sum || e.op == Op::Count ? e.fact : list;
  for (const Expr& a : e.args) walk(a, inner, v);
  for (const Cond& c : e.conds) walk(c, inner, v);
}

template <class Visitor>
void walk(const Cond& c, int list, Visitor& v) {
  v.cond(c, list);
  walk(c.value, list, v);
  for (const Comparison& cmp : c.comparisons) walk(cmp.bound, list, v);
  int inner = c.op == CondOp::Has ? c.list_fact : list;
  for (const Cond& k : c.kids) walk(k, inner, v);
}

// Every tree of a rule: its condition, formula, cap, upper bound and payer formulas.
template <class Visitor>
void walk(const Rule& rule, Visitor& v) {
  if (rule.when) walk(*rule.when, -1, v);
  for (const std::optional<Expr>* e : {&rule.formula, &rule.cap, &rule.up_to}) {
    if (*e) walk(**e, -1, v);
  }
  for (const Payer& p : rule.payers) {
    if (p.kind == Payer::Kind::Formula) walk(p.formula, -1, v);
  }
}

// The fact a node reads by name: a top-level fact (fact), or the list a sum, count or has goes
// over; −1 for any other node. Item fields are read through their list (`list` of the walk).
inline int fact_named(const Expr& e) {
  return (e.op == Op::Fact || e.op == Op::Sum || e.op == Op::Count) ? e.fact : -1;
}
inline int fact_named(const Cond& c) {
  return c.op == CondOp::Has ? c.list_fact : -1;
}

}  // namespace subsidy
