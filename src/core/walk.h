// The one walk over a rule's compiled expressions and conditions. Every pass that reads the tree
// for what it names (the facts a rule reads, the enum values it compares, the questions it can
// raise, lint's checks, the fact reference) visits it through here, so the scoping of list items
// (inside sum, count and has the items of that list are in scope) is written once.
//
// A visitor has `void expr(const Expr&, int list)` and `void cond(const Cond&, int list)`, called
// before the node's parts (pre-order, parts in core/ir.h for_each_part's order); `list` is the
// vocabulary index of the list fact whose items are in scope, or −1. The walk holds no state:
// thread-safe over a const tree.
#pragma once

#include "core/model.h"

namespace subsidy {

template <class Visitor>
void walk(const Cond& c, int list, Visitor& v);

template <class Visitor>
void walk(const Expr& e, int list, Visitor& v) {
  v.expr(e, list);
  int inner = list_of(e) >= 0 ? list_of(e) : list;
  for_each_part(
      e, [&](const Expr& a) { walk(a, inner, v); }, [&](const Cond& c) { walk(c, inner, v); });
}

template <class Visitor>
void walk(const Cond& c, int list, Visitor& v) {
  v.cond(c, list);
  // The tested value and bounds are outside a has's items; its `where` is inside.
  int inner = list_of(c) >= 0 ? list_of(c) : list;
  for_each_part(
      c, [&](const Expr& e) { walk(e, list, v); }, [&](const Cond& k) { walk(k, inner, v); });
}

// Every tree of a rule: its condition, formula, cap, upper bound and payer formulas.
template <class Visitor>
void walk(const Rule& rule, Visitor& v) {
  if (rule.when) walk(*rule.when, -1, v);
  for (const Expr* e : {rule.formula, rule.cap, rule.up_to}) {
    if (e) walk(*e, -1, v);
  }
  for (const Payer& p : rule.payers) {
    if (p.kind == Payer::Kind::Formula) walk(*p.formula, -1, v);
  }
}

// The fact a node reads by name: a top-level fact (fact), or the list a sum, count or has goes
// over; −1 for any other node. Item fields are read through their list (`list` of the walk).
inline int fact_named(const Expr& e) {
  return e.op == Op::Fact ? e.as<FactRef>().fact : list_of(e);
}
inline int fact_named(const Cond& c) {
  return list_of(c);
}

}  // namespace subsidy
