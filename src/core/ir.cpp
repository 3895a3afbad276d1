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
