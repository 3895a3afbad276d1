#include "core/ir.h"

namespace subsidy {

ExprNode payload_of(Op op) {
  switch (op) {
    case Op::Const:
      return Constant{};
    case Op::Fact:
      return FactRef{};
    case Op::Item:
      return ItemRef{};
    case Op::PolicyYear:
      return PolicyYear{};
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Min:
    case Op::Max:
      return Operands{};
    case Op::Ratio:
      return Ratio{};
    case Op::Growth:
      return Growth{};
    case Op::Brackets:
      return Brackets{};
    case Op::Steps:
      return Steps{};
    case Op::Marginal:
      return Marginal{};
    case Op::Sum:
    case Op::Count:
      return Aggregate{};
    case Op::Case:
      return Case{};
    case Op::Lookup:
      return Lookup{};
    case Op::Round:
      return Round{};
  }
  return Constant{};
}

CondNode payload_of(CondOp op) {
  switch (op) {
    case CondOp::All:
    case CondOp::Any:
      return Junction{};
    case CondOp::Not:
      return Not{};
    case CondOp::Compare:
      return Compare{};
    case CondOp::Is:
      return Is{};
    case CondOp::In:
      return In{};
    case CondOp::Has:
      return Has{};
  }
  return Junction{};
}

namespace {

// An `is` on a field of the items that is read as one value (not per year).
void add_screen(const Cond& c, std::vector<ItemScreen>& screen) {
  if (c.op != CondOp::Is) return;
  const Is& is = c.as<Is>();
  if (is.value->op != Op::Item || is.value->as<ItemRef>().per_year) return;
  screen.push_back(ItemScreen{is.value->as<ItemRef>().field, is.is});
}

}  // namespace

// An `all` fails as soon as one part fails, whatever its other parts give (engine: test_group),
// so each `is` part of it screens alone. An `any`, a `not` or a nested `has` decides nothing
// from one part.
std::vector<ItemScreen> screen_of(const Cond& where) {
  std::vector<ItemScreen> screen;
  if (where.op == CondOp::All) {
    for (const Cond& kid : where.as<Junction>().kids) add_screen(kid, screen);
  } else {
    add_screen(where, screen);
  }
  return screen;
}

const Expr* Cond::value() const {
  switch (op) {
    case CondOp::Compare:
      return as<Compare>().value;
    case CondOp::Is:
      return as<Is>().value;
    case CondOp::In:
      return as<In>().value;
    default:
      return nullptr;
  }
}

}  // namespace subsidy
