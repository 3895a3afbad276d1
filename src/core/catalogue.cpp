#include "core/catalogue.h"

namespace subsidy {
namespace {

struct Walk {
  const std::string& rule;
  ValueReaders& out;

  // The fact or field that `e` names, when it is a subject an enum value can be compared with.
  void add(const Expr& e, int list, const std::string& value) {
    if (e.op == Op::Fact && e.fact >= 0) out[ValueKey{e.fact, -1, value}].insert(rule);
    if (e.op == Op::Item && list >= 0 && e.field >= 0)
      out[ValueKey{list, e.field, value}].insert(rule);
  }
  void expr(const Expr& e, int list) {
    int inner = e.op == Op::Sum || e.op == Op::Count ? e.fact : list;
    for (const Expr& a : e.args) expr(a, inner);
    for (const Cond& c : e.conds) cond(c, inner);
  }
  void cond(const Cond& c, int list) {
    if (c.op == CondOp::Is) {
      if (const std::string* v = std::get_if<std::string>(&c.is)) add(c.value, list, *v);
    }
    if (c.op == CondOp::In) {
      for (const std::string& v : c.in) add(c.value, list, v);
    }
    expr(c.value, list);
    for (const Comparison& cmp : c.comparisons) expr(cmp.bound, list);
    for (const Cond& k : c.kids) cond(k, c.op == CondOp::Has ? c.list_fact : list);
  }
};

}  // namespace

void add_value_readers(const Rule& rule, ValueReaders& out) {
  Walk walk{rule.id, out};
  if (rule.when) walk.cond(*rule.when, -1);
  for (const std::optional<Expr>* e : {&rule.formula, &rule.cap, &rule.up_to}) {
    if (*e) walk.expr(**e, -1);
  }
  for (const Payer& p : rule.payers) {
    if (p.kind == Payer::Kind::Formula) walk.expr(p.formula, -1);
  }
}

ValueReaders value_readers(const RuleSet& rules) {
  ValueReaders out;
  for (const Document& d : rules.documents) {
    for (const Rule& r : d.rules) add_value_readers(r, out);
  }
  return out;
}

}  // namespace subsidy
