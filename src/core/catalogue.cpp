#include "core/catalogue.h"

#include "core/walk.h"

namespace subsidy {
namespace {

struct Walk {
  const std::string& rule;
  ValueReaders& out;

  // The fact or field that `e` names, when it is a subject an enum value can be compared with.
  void add(const Expr& e, int list, const std::string& value) {
    if (e.op == Op::Fact && e.as<FactRef>().fact >= 0) {
      out[ValueKey{e.as<FactRef>().fact, -1, value}].insert(rule);
    }
    if (e.op == Op::Item && list >= 0 && e.as<ItemRef>().field >= 0) {
      out[ValueKey{list, e.as<ItemRef>().field, value}].insert(rule);
    }
  }
  void expr(const Expr&, int) {}
  void cond(const Cond& c, int list) {
    if (c.op == CondOp::Is) {
      const Is& is = c.as<Is>();
      if (const std::string* v = std::get_if<std::string>(&is.is)) add(*is.value, list, *v);
    }
    if (c.op == CondOp::In) {
      for (const std::string& v : c.as<In>().in) add(*c.value(), list, v);
    }
  }
};

}  // namespace

void add_value_readers(const Rule& rule, ValueReaders& out) {
  Walk readers{rule.id, out};
  walk(rule, readers);
}

ValueReaders value_readers(const RuleSet& rules) {
  ValueReaders out;
  for (const Document& d : rules.documents()) {
    for (const Rule& r : d.rules) add_value_readers(r, out);
  }
  return out;
}

}  // namespace subsidy
