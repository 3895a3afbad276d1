// The typed rule IR (core/ir.h): every node holds the payload its op names, its parts are named,
// and nodes stay where they are while the store grows and the document moves.
#include "core/ir.h"

#include <gtest/gtest.h>

#include "core/builtin_rules.h"
#include "core/walk.h"
#include "test_support.h"

namespace subsidy {
namespace {

using testing_support::document;
using testing_support::load;
using testing_support::rule;

// Counts the nodes whose payload is not the one their op names, and the parts that are missing.
struct Contract {
  int nodes = 0;
  int wrong = 0;
  void expr(const Expr& e, int) {
    ++nodes;
    if (e.node.index() != payload_of(e.op).index()) ++wrong;
    if (e.op == Op::Brackets) {
      const Brackets& b = e.as<Brackets>();
      if (!b.of || std::any_of(b.rows.begin(), b.rows.end(), [](auto& r) { return !r.then; })) {
        ++wrong;
      }
    }
    if (e.op == Op::Ratio && (!e.as<Ratio>().numerator || !e.as<Ratio>().denominator)) ++wrong;
  }
  void cond(const Cond& c, int) {
    ++nodes;
    if (c.node.index() != payload_of(c.op).index()) ++wrong;
    if ((c.op == CondOp::Compare || c.op == CondOp::Is || c.op == CondOp::In) && !c.value()) {
      ++wrong;
    }
    if (c.op == CondOp::Not && !c.as<Not>().kid) ++wrong;
  }
};

TEST(TypedNodes, EveryBuiltinNodeHoldsItsOpsPayload) {
  Result<std::shared_ptr<const RuleSet>> r = load_rule_set(builtin_rule_files());
  ASSERT_TRUE(r.ok());
  Contract contract;
  for (const Document& d : r.value()->documents()) {
    ASSERT_TRUE(d.nodes);
    for (const Rule& rule : d.rules) walk(rule, contract);
  }
  EXPECT_GT(contract.nodes, 3000);  // all five documents walked (3,475 nodes today)
  EXPECT_EQ(contract.wrong, 0);
}

TEST(TypedNodes, PartsAreNamed) {
  RuleSet rules = load({document(
      "[" +
      rule("r1",
           R"({"kind": "exact", "formula": {"lookup": {"key": {"fact": "level"},
               "table": {"national": 500, "provincial": {"mul": [2, 100, 1]}}}}})",
           R"({"value": {"ratio": [{"fact": "rd", "year": -1}, {"fact": "revenue", "year": -1}]},
               "at_least": "3%"})") +
      "]")});
  ASSERT_EQ(rules.documents().size(), 1u);
  const Rule& r1 = rules.documents()[0].rules[0];

  const Lookup& table = r1.formula->as<Lookup>();
  EXPECT_EQ(table.key->as<FactRef>().name, "level");
  ASSERT_EQ(table.keys, (std::vector<std::string>{"national", "provincial"}));
  EXPECT_EQ(table.values[0]->as<Constant>().text, "500");
  std::span<const Expr> factors = table.values[1]->as<Operands>().args;
  ASSERT_EQ(factors.size(), 3u);
  EXPECT_EQ(factors[1].as<Constant>().text, "100");

  const Compare& test = r1.when->as<Compare>();
  const Ratio& ratio = test.value->as<Ratio>();
  EXPECT_EQ(ratio.numerator->as<FactRef>().name, "rd");
  EXPECT_EQ(ratio.numerator->as<FactRef>().year, -1);
  EXPECT_EQ(ratio.denominator->as<FactRef>().name, "revenue");
  ASSERT_EQ(test.comparisons.size(), 1u);
  EXPECT_EQ(test.comparisons[0].op, CmpOp::AtLeast);
  EXPECT_EQ(test.comparisons[0].bound->as<Constant>().text, "3%");
}

TEST(TypedNodes, StoreKeepsNodesWhereTheyAre) {
  NodeStore store;
  Expr first;
  first.node = Constant{Decimal::from_int(7), "7"};
  const Expr* kept = store.add(first);
  std::vector<const Expr*> later;
  for (int i = 0; i < 2000; ++i) later.push_back(store.add(Expr{}));  // several blocks
  std::vector<Expr> run(300);  // longer than what is left of a block: a block of its own
  std::span<const Expr> span = store.add(std::move(run));
  EXPECT_EQ(span.size(), 300u);
  EXPECT_EQ(kept->as<Constant>().text, "7");
  NodeStore moved = std::move(store);
  EXPECT_EQ(kept->as<Constant>().text, "7");
  EXPECT_EQ(span[299].op, Op::Const);
}

TEST(TypedNodes, ACopiedRuleSetSharesItsNodes) {
  RuleSet rules = load({document("[" + rule("r1", R"({"kind": "exact", "formula": 100})") + "]")});
  RuleSet copy = rules;  // Documents copy their node store's handle, not the nodes
  EXPECT_EQ(copy.documents()[0].rules[0].formula, rules.documents()[0].rules[0].formula);
  EXPECT_EQ(copy.documents()[0].rules[0].formula->as<Constant>().text, "100");
}

}  // namespace
}  // namespace subsidy
