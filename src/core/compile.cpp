// Rule files → Document: checks every key, type, fact reference and bracket table, and compiles
// conditions and formulas into Expr/Cond trees with fact names resolved to vocabulary indexes.
#include "core/compile.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/region.h"

namespace subsidy {
namespace {

enum class VType { Number, Bool, Text, Bad };

std::optional<Date> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](std::size_t from, std::size_t len) {
    int v = 0;
    for (std::size_t i = from; i < from + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  Date d{num(0, 4), num(5, 2), num(8, 2)};
  if (d.year < 1900 || d.month < 1 || d.month > 12 || d.day < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  if (d.day > kDays[d.month - 1] || (d.month == 2 && d.day == 29 && !leap)) return std::nullopt;
  return d;
}

class Compiler {
 public:
  Compiler(Reader& r, const Vocabulary& vocabulary, NodeStore& nodes)
      : r_(r), voc_(vocabulary), nodes_(nodes) {}
  const Vocabulary& vocabulary() const { return voc_; }

  // `list` is the list fact whose items are in scope (inside sum/count/has), or null.
  Expr expr(const json::Value& v, const std::string& path, const FactDecl* list, VType* type);
  Cond cond(const json::Value& v, const std::string& path, const FactDecl* list);
  Expr number_expr(const json::Value& v, const std::string& path, const FactDecl* list) {
    VType t = VType::Bad;
    Expr e = expr(v, path, list, &t);
    if (t != VType::Number && t != VType::Bad) {
      r_.error(v, path, {"expected a number here", "此处应为数字"}, "type");
    }
    return e;
  }
  // The same, placed in the document's nodes.
  const Expr* number_node(const json::Value& v, const std::string& path, const FactDecl* list) {
    return nodes_.add(number_expr(v, path, list));
  }
  const Cond* cond_node(const json::Value& v, const std::string& path, const FactDecl* list) {
    return nodes_.add(cond(v, path, list));
  }

 private:
  Expr constant(const json::Value& v, const std::string& path, VType* type);
  // `keys_checked`: the caller has checked the object's keys (a condition's shorthand, whose
  // other keys are its tests).
  Expr fact_ref(const json::Value& v, const std::string& path, const FactDecl* list, bool item,
                VType* type, bool keys_checked = false);
  const FactDecl* item_decl(const json::Value& v, const std::string& path, const FactDecl* list,
                            const std::string& name, Expr& e);
  const FactDecl* fact_decl(const json::Value& v, const std::string& path, const std::string& name,
                            Expr& e);
  Expr operation(Expr e, const OpInfo& info, const json::Value& v, const FactDecl* list);
  Expr brackets(Expr e, const json::Value& v, const FactDecl* list);
  void check_order(const std::vector<Bracket>& brackets, const json::Value& table,
                   const std::string& tp, bool gaps_allowed);
  // One function per operator of kOps; each gets the Expr with its op and path set, the value
  // under the operator's key (`arg`, at path `p`) and, where other keys matter, the whole object.
  void not_an_expression(const json::Value& v, const std::string& path);
  Expr policy_year(Expr e, const json::Value& arg, const std::string& p);
  Expr operands(Expr e, const json::Value& arg, const std::string& p, const OpInfo& info,
                const FactDecl* list);
  Expr steps(Expr e, const json::Value& arg, const std::string& p, const FactDecl* list);
  Expr marginal(Expr e, const json::Value& arg, const std::string& p, const FactDecl* list);
  // sum and count: the items of their own list are in scope, not an enclosing one's.
  Expr aggregate(Expr e, const json::Value& arg, const std::string& p);
  Expr case_of(Expr e, const json::Value& v, const json::Value& arg, const std::string& path,
               const std::string& p, const FactDecl* list);
  Expr lookup(Expr e, const json::Value& arg, const std::string& p, const FactDecl* list);
  Expr round(Expr e, const json::Value& v, const json::Value& arg, const std::string& path,
             const std::string& p, const FactDecl* list);
  // One function per form of a condition (core/ops.h kConds).
  Cond logic(Cond c, const json::Value& v, const FactDecl* list);
  Cond has_item(Cond c, const json::Value& v, const json::Value& has);
  const Expr* subject(const Cond& c, const json::Value& v, const FactDecl* list, VType* type);
  Cond test_is(Cond c, const Expr* value, const json::Value& is, VType type);
  Cond test_in(Cond c, const Expr* value, const json::Value& v, VType type);
  Cond test_bounds(Cond c, const Expr* value, const json::Value& v, const FactDecl* list,
                   VType type);
  std::optional<Bound> bound(const json::Value& obj, std::string_view incl, std::string_view excl,
                             const std::string& path);
  const FactDecl* list_fact(const json::Value& obj, const std::string& path, int* index);

  Reader& r_;
  const Vocabulary& voc_;
  NodeStore& nodes_;
};

Expr node(Op op, const std::string& path) {
  Expr e;
  e.op = op;
  e.node = payload_of(op);
  e.path = path;
  return e;
}

Cond node(CondOp op, Cond c) {
  c.op = op;
  c.node = payload_of(op);
  return c;
}

Expr Compiler::constant(const json::Value& v, const std::string& path, VType* type) {
  Expr e = node(Op::Const, path);
  Constant& c = e.as<Constant>();
  c.text = v.text();
  if (std::optional<Decimal> d = r_.number(v, path, true)) c.value = *d;
  *type = VType::Number;
  return e;
}

Expr Compiler::fact_ref(const json::Value& v, const std::string& path, const FactDecl* list,
                        bool item, VType* type, bool keys_checked) {
  Expr e = node(item ? Op::Item : Op::Fact, path);
  *type = VType::Bad;
  std::string_view key = item ? "item" : "fact";
  if (!keys_checked) r_.object(v, path, {key}, {"year"});
  std::optional<std::string> name = r_.string(v, key, path);
  // No name (reported): a constant 0 stands in, so the checks that still run on a file with
  // errors (the payer split) see what they saw before the typed nodes.
  if (!name) return node(Op::Const, path);
  const FactDecl* decl = item ? item_decl(v, path, list, *name, e) : fact_decl(v, path, *name, e);
  if (!decl) return e;
  std::optional<int> year = r_.integer(v, "year", path, false);
  if (decl->per_year && !year) {
    r_.error(v, path,
             msg("\"{}\" is per year: say which with \"year\" (0 = policy year)",
                 "\"{}\" 按年份取值：用 \"year\" 指明哪一年（0 表示政策年度）", *name),
             "missing-key");
  } else if (!decl->per_year && v.find("year")) {
    r_.error(*v.find("year"), child_path(path, "year"),
             msg("\"{}\" is not per year", "\"{}\" 不按年份取值", *name), "bad-reference");
  }
  auto fill = [&](auto& read) {
    read.name = *name;
    read.per_year = decl->per_year;
    read.year = year.value_or(0);
  };
  if (item) {
    fill(e.as<ItemRef>());
  } else {
    fill(e.as<FactRef>());
  }
  switch (decl->type) {
    case FactType::Number:
      *type = VType::Number;
      break;
    case FactType::Bool:
      *type = VType::Bool;
      break;
    case FactType::Enum:
      *type = VType::Text;
      break;
    case FactType::List:
      r_.error(v, path,
               msg("\"{}\" is a list: use it with sum, count or has",
                   "\"{}\" 是列表：应与 sum、count 或 has 一起使用", *name),
               "bad-reference");
      break;
  }
  return e;
}

const FactDecl* Compiler::item_decl(const json::Value& v, const std::string& path,
                                    const FactDecl* list, const std::string& name, Expr& e) {
  if (!list) {
    r_.error(v, path,
             {"\"item\" is only meaningful inside sum, count or has",
              "\"item\" 只能用在 sum、count 或 has 之内"},
             "bad-reference");
    return nullptr;
  }
  int& field = e.as<ItemRef>().field;
  field = list->field_index(name);
  if (field < 0) {
    r_.error(
        *v.find("item"), child_path(path, "item"),
        msg("list \"{}\" has no field \"{}\"", "列表 \"{}\" 没有字段 \"{}\"", list->name, name),
        "unknown-fact");
    return nullptr;
  }
  return &list->fields[static_cast<std::size_t>(field)];
}

const FactDecl* Compiler::fact_decl(const json::Value& v, const std::string& path,
                                    const std::string& name, Expr& e) {
  int& fact = e.as<FactRef>().fact;
  fact = voc_.index_of(name);
  if (fact < 0) {
    r_.error(*v.find("fact"), child_path(path, "fact"),
             msg("unknown fact \"{}\" (not in the fact vocabulary, facts*.json)",
                 "未知的事实 \"{}\"（不在事实词汇表 facts*.json 中）", name),
             "unknown-fact");
    return nullptr;
  }
  return &voc_.facts[static_cast<std::size_t>(fact)];
}

const FactDecl* Compiler::list_fact(const json::Value& obj, const std::string& path, int* index) {
  std::optional<std::string> name = r_.string(obj, "over", path);
  if (!name) return nullptr;
  *index = voc_.index_of(*name);
  if (*index < 0) {
    r_.error(*obj.find("over"), child_path(path, "over"),
             msg("unknown fact \"{}\" (not in the fact vocabulary, facts*.json)",
                 "未知的事实 \"{}\"（不在事实词汇表 facts*.json 中）", *name),
             "unknown-fact");
    return nullptr;
  }
  const FactDecl* decl = &voc_.facts[static_cast<std::size_t>(*index)];
  if (decl->type != FactType::List) {
    r_.error(*obj.find("over"), child_path(path, "over"),
             msg("\"{}\" is not a list", "\"{}\" 不是列表", *name), "bad-reference");
    return nullptr;
  }
  return decl;
}

std::optional<Bound> Compiler::bound(const json::Value& obj, std::string_view incl,
                                     std::string_view excl, const std::string& path) {
  const json::Value* a = obj.find(incl);
  const json::Value* b = obj.find(excl);
  if (a && b) {
    r_.error(obj, path,
             msg("give \"{}\" or \"{}\", not both", "只能给出 \"{}\" 或 \"{}\" 之一，不能同时给出",
                 incl, excl),
             "bad-bracket");
    return std::nullopt;
  }
  const json::Value* v = a ? a : b;
  if (!v) return std::nullopt;
  std::optional<Decimal> d = r_.number(*v, child_path(path, a ? incl : excl), true);
  if (!d) return std::nullopt;
  return Bound{*d, std::string(v->text()), a != nullptr};
}

// Overlaps and gaps between the brackets of a table, in order of lower bound.
void Compiler::check_order(const std::vector<Bracket>& brackets, const json::Value& table,
                           const std::string& tp, bool gaps_allowed) {
  std::vector<std::size_t> order(brackets.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto lower_key = [&](std::size_t i) {
    return brackets[i].lower ? brackets[i].lower->value : Decimal::from_units(-Decimal::kLimit);
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return lower_key(a) < lower_key(b); });
  for (std::size_t k = 1; k < order.size(); ++k) {
    const Bracket& a = brackets[order[k - 1]];
    const Bracket& b = brackets[order[k]];
    const json::Value& at = table.items()[order[k]];
    std::string bp = child_path(tp, order[k]);
    if (!a.upper || !b.lower) {
      r_.error(at, bp, msg("bracket overlaps bracket {}", "档位与第 {} 档重叠", order[k - 1]),
               "bracket-overlap");
      continue;
    }
    if (a.upper->value > b.lower->value ||
        (a.upper->value == b.lower->value && a.upper->inclusive && b.lower->inclusive)) {
      r_.error(at, bp,
               msg("bracket overlaps bracket {} at {}", "档位与第 {} 档在 {} 处重叠", order[k - 1],
                   b.lower->display),
               "bracket-overlap");
    } else if (!gaps_allowed &&
               (a.upper->value < b.lower->value || (!a.upper->inclusive && !b.lower->inclusive))) {
      r_.error(at, bp,
               msg("gap between bracket {} (up to {}) and this one (from {}); say \"gaps\": "
                   "true if the text leaves it",
                   "第 {} 档（至 {}）与本档（自 {}）之间有空档；如果原文确实留有空档，请写 "
                   "\"gaps\": true",
                   order[k - 1], a.upper->display, b.lower->display),
               "bracket-gap");
    }
  }
}

Expr Compiler::brackets(Expr e, const json::Value& v, const FactDecl* list) {
  const std::string path = e.path;
  Brackets& node = e.as<Brackets>();
  node.of = number_node(*v.find("of"), child_path(path, "of"), list);
  bool gaps_allowed = r_.boolean(v, "gaps", path, false).value_or(false);
  const json::Value& table = *v.find("table");
  std::string tp = child_path(path, "table");
  if (!r_.expect(table, tp, json::Type::Array)) return e;
  if (table.items().empty())
    r_.error(table, tp, {"empty bracket table", "档位表为空"}, "bad-bracket");
  for (std::size_t i = 0; i < table.items().size(); ++i) {
    const json::Value& row = table.items()[i];
    std::string rp = child_path(tp, i);
    if (!r_.object(row, rp, {"then"}, {"at_least", "more_than", "at_most", "less_than"})) {
      if (!row.is_object()) continue;
    }
    Bracket b;
    b.lower = bound(row, "at_least", "more_than", rp);
    b.upper = bound(row, "at_most", "less_than", rp);
    if (!b.lower && !b.upper && !row.find("at_least") && !row.find("more_than") &&
        !row.find("at_most") && !row.find("less_than")) {
      r_.error(
          row, rp,
          {"a bracket needs a lower bound, an upper bound, or both", "档位需要下限、上限或两者"},
          "bad-bracket");
    }
    if (b.lower && b.upper &&
        (b.lower->value > b.upper->value ||
         (b.lower->value == b.upper->value && !(b.lower->inclusive && b.upper->inclusive)))) {
      r_.error(row, rp,
               msg("inverted bounds: {} to {} is empty", "上下界颠倒：{} 到 {} 之间没有取值",
                   b.lower->display, b.upper->display),
               "bad-bracket");
    }
    if (const json::Value* then = row.find("then")) {
      b.then = number_node(*then, child_path(rp, "then"), list);
    }
    node.rows.push_back(std::move(b));
  }
  check_order(node.rows, table, tp, gaps_allowed);
  return e;
}

Expr Compiler::expr(const json::Value& v, const std::string& path, const FactDecl* list,
                    VType* type) {
  *type = VType::Number;
  if (v.is_number() || v.is_string()) return constant(v, path, type);
  // Not an expression: a constant 0 at `path` stands in (made only then: a node copies the path).
  if (!v.is_object()) {
    r_.error(v, path,
             msg("expected a number or an expression, found {0}", "应为数字或表达式，实际为{1}",
                 json::type_name(v.type, Lang::En), json::type_name(v.type, Lang::Zh)),
             "type");
    *type = VType::Bad;
    return node(Op::Const, path);
  }
  const OpInfo* info = nullptr;
  for (const json::Member& m : v.members()) {
    info = op_info(m.key());
    if (info) break;
  }
  if (!info) {
    not_an_expression(v, path);
    *type = VType::Bad;
    return node(Op::Const, path);
  }
  if (info->operand == Operand::Name) return fact_ref(v, path, list, info->op == Op::Item, type);
  r_.object_of(v, path, std::span(&info->key, 1), info->beside);
  return operation(node(info->op, path), *info, v, list);
}

// The operator's own keys were checked against the table; the shape of its operand is checked
// here, then each operator reads its parts.
Expr Compiler::operation(Expr e, const OpInfo& info, const json::Value& v, const FactDecl* list) {
  const std::string path = e.path;
  const std::string p = child_path(path, info.key);
  const json::Value& arg = *v.find(info.key);
  if (info.operand == Operand::Fields && !r_.object_of(arg, p, info.fields, info.optional)) {
    if (info.op == Op::Brackets) e.path = p;
    return e;
  }
  switch (info.op) {
    case Op::PolicyYear:
      return policy_year(std::move(e), arg, p);
    case Op::Add:
    case Op::Mul:
    case Op::Min:
    case Op::Max:
    case Op::Sub:
    case Op::Ratio:
    case Op::Growth:
      return operands(std::move(e), arg, p, info, list);
    case Op::Brackets:
      e.path = p;
      return brackets(std::move(e), arg, list);
    case Op::Steps:
      return steps(std::move(e), arg, p, list);
    case Op::Marginal:
      return marginal(std::move(e), arg, p, list);
    case Op::Sum:
    case Op::Count:
      return aggregate(std::move(e), arg, p);
    case Op::Case:
      return case_of(std::move(e), v, arg, path, p, list);
    case Op::Lookup:
      return lookup(std::move(e), arg, p, list);
    case Op::Round:
      return round(std::move(e), v, arg, path, p, list);
    case Op::Const:
    case Op::Fact:
    case Op::Item:
      break;  // a number, or a name: read before the table's operand shapes
  }
  return e;
}

// An object with no operator key: the message lists every operator of kOps.
void Compiler::not_an_expression(const json::Value& v, const std::string& path) {
  std::string en, zh;
  for (const OpInfo& o : kOps) {
    en += (en.empty() ? "" : ", ") + std::string(o.key);
    zh += (zh.empty() ? "" : "、") + std::string(o.key);
  }
  r_.error(v, path,
           msg("not an expression: expected one of {0}", "不是表达式：应为 {1} 之一", en, zh),
           "bad-expression");
}

Expr Compiler::policy_year(Expr e, const json::Value& arg, const std::string& p) {
  if (!arg.is_bool() || !arg.boolean) {
    r_.error(arg, p, {"write {\"policy_year\": true}", "应写作 {\"policy_year\": true}"},
             "bad-expression");
  }
  return e;
}

// The operands of add, sub, mul, min, max, ratio and growth: an array of the table's min..max
// expressions.
Expr Compiler::operands(Expr e, const json::Value& arg, const std::string& p, const OpInfo& info,
                        const FactDecl* list) {
  if (!r_.expect(arg, p, json::Type::Array)) return e;
  if (arg.items().size() < info.min || arg.items().size() > info.max) {
    r_.error(arg, p,
             info.max == info.min
                 ? msg("\"{}\" takes {} operands", "\"{}\" 需要 {} 个操作数", info.key, info.min)
                 : msg("\"{}\" takes at least {} operands", "\"{}\" 至少需要 {} 个操作数", info.key,
                       info.min),
             "bad-expression");
  }
  std::vector<Expr> args;
  args.reserve(arg.items().size());
  for (std::size_t i = 0; i < arg.items().size(); ++i) {
    args.push_back(number_expr(arg.items()[i], child_path(p, i), list));
  }
  std::span<const Expr> run = nodes_.add(std::move(args));
  const Expr* first = run.size() > 0 ? &run[0] : nullptr;
  const Expr* second = run.size() > 1 ? &run[1] : nullptr;
  if (e.op == Op::Ratio) {
    e.node = Ratio{first, second};
  } else if (e.op == Op::Growth) {
    e.node = Growth{first, second};
  } else {
    e.as<Operands>().args = run;
  }
  return e;
}

Expr Compiler::steps(Expr e, const json::Value& arg, const std::string& p, const FactDecl* list) {
  Steps& node = e.as<Steps>();
  node.of = number_node(*arg.find("of"), child_path(p, "of"), list);
  std::optional<Decimal> size = r_.number(*arg.find("size"), child_path(p, "size"), true);
  if (size && size->units() <= 0) {
    r_.error(*arg.find("size"), child_path(p, "size"),
             {"step size must be positive", "步长必须为正数"}, "bad-value");
  }
  node.size = size.value_or(Decimal::from_int(1));
  node.size_text = arg.find("size")->text();
  return e;
}

Expr Compiler::marginal(Expr e, const json::Value& arg, const std::string& p,
                        const FactDecl* list) {
  Marginal& node = e.as<Marginal>();
  node.of = number_node(*arg.find("of"), child_path(p, "of"), list);
  const json::Value& bands = *arg.find("bands");
  std::string bp = child_path(p, "bands");
  if (!r_.expect(bands, bp, json::Type::Array)) return e;
  if (bands.items().empty()) r_.error(bands, bp, {"no bands", "没有分段"}, "bad-bracket");
  std::optional<Decimal> previous;
  for (std::size_t i = 0; i < bands.items().size(); ++i) {
    const json::Value& band = bands.items()[i];
    std::string ip = child_path(bp, i);
    bool last = i + 1 == bands.items().size();
    if (!r_.object(band, ip, {"rate"}, {"up_to"})) continue;
    Band b;
    if (const json::Value* up = band.find("up_to")) {
      b.up_to = r_.number(*up, child_path(ip, "up_to"), true);
      b.up_to_display = up->text();
      if (last)
        r_.error(band, ip, {"the last band must have no \"up_to\"", "最后一段不能有 \"up_to\""},
                 "bad-bracket");
      if (b.up_to && previous && *b.up_to <= *previous) {
        r_.error(band, ip, {"band limits must increase", "分段界限必须递增"}, "bracket-overlap");
      }
      if (b.up_to) previous = b.up_to;
    } else if (!last) {
      r_.error(band, ip,
               {"only the last band may omit \"up_to\"", "只有最后一段可以省略 \"up_to\""},
               "bad-bracket");
    }
    b.rate = number_node(*band.find("rate"), child_path(ip, "rate"), list);
    node.bands.push_back(std::move(b));
  }
  return e;
}

Expr Compiler::aggregate(Expr e, const json::Value& arg, const std::string& p) {
  Aggregate& node = e.as<Aggregate>();
  const FactDecl* items = list_fact(arg, p, &node.list);
  if (!items) return e;
  node.list_name = items->name;
  if (const json::Value* where = arg.find("where")) {
    node.where = cond_node(*where, child_path(p, "where"), items);
  }
  if (e.op == Op::Sum) {
    node.value = number_node(*arg.find("value"), child_path(p, "value"), items);
    if (const json::Value* cap = arg.find("item_cap")) {
      node.item_cap = number_node(*cap, child_path(p, "item_cap"), items);
    }
  }
  return e;
}

Expr Compiler::case_of(Expr e, const json::Value& v, const json::Value& arg,
                       const std::string& path, const std::string& p, const FactDecl* list) {
  if (!r_.expect(arg, p, json::Type::Array)) return e;
  Case& node = e.as<Case>();
  if (arg.items().empty())
    r_.error(arg, p, {"a case needs at least one branch", "case 至少需要一个分支"},
             "bad-expression");
  for (std::size_t i = 0; i < arg.items().size(); ++i) {
    std::string ip = child_path(p, i);
    if (!r_.object(arg.items()[i], ip, {"when", "then"})) continue;
    Branch b;
    b.when = cond_node(*arg.items()[i].find("when"), child_path(ip, "when"), list);
    b.then = number_node(*arg.items()[i].find("then"), child_path(ip, "then"), list);
    node.branches.push_back(b);
  }
  if (const json::Value* otherwise = v.find("else")) {
    node.otherwise = number_node(*otherwise, child_path(path, "else"), list);
  }
  return e;
}

Expr Compiler::lookup(Expr e, const json::Value& arg, const std::string& p, const FactDecl* list) {
  VType key_type = VType::Bad;
  Lookup& node = e.as<Lookup>();
  node.key = nodes_.add(expr(*arg.find("key"), child_path(p, "key"), list, &key_type));
  if (key_type != VType::Text && key_type != VType::Bad) {
    r_.error(*arg.find("key"), child_path(p, "key"),
             {"a lookup key must be an enum fact", "lookup 的键必须是枚举事实"}, "type");
  }
  const json::Value& table = *arg.find("table");
  std::string tp = child_path(p, "table");
  if (!r_.expect(table, tp, json::Type::Object)) return e;
  for (const json::Member& m : table.members()) {
    node.keys.emplace_back(m.key());
    node.values.push_back(number_node(m.value, child_path(tp, m.key()), list));
  }
  return e;
}

Expr Compiler::round(Expr e, const json::Value& v, const json::Value& arg, const std::string& path,
                     const std::string& p, const FactDecl* list) {
  Round& node = e.as<Round>();
  node.of = number_node(arg, p, list);
  std::string mode = r_.string(v, "mode", path, false).value_or("half_up");
  if (std::optional<Rounding> m = parse_rounding(mode)) {
    node.mode = *m;
  } else {
    r_.error(*v.find("mode"), child_path(path, "mode"),
             msg("unknown rounding \"{}\" ({})", "未知的舍入方式 \"{}\"（{}）", mode,
                 key_list(kRoundings, ", "), key_list(kRoundings, "、")),
             "bad-value");
  }
  node.unit = Decimal::from_units(Decimal::kOne / 100);
  if (const json::Value* unit = v.find("unit")) {
    std::optional<Decimal> u = r_.number(*unit, child_path(path, "unit"), true);
    if (u && u->units() <= 0) {
      r_.error(*unit, child_path(path, "unit"),
               {"rounding unit must be positive", "舍入单位必须为正数"}, "bad-value");
    } else if (u) {
      node.unit = *u;
    }
  }
  return e;
}

Cond Compiler::cond(const json::Value& v, const std::string& path, const FactDecl* list) {
  Cond c;
  c.path = path;
  c.line = v.line;
  c.col = v.col;
  if (!r_.expect(v, path, json::Type::Object)) return c;
  if (v.find("all") || v.find("any")) return logic(std::move(c), v, list);
  if (const json::Value* inner = v.find("not")) {
    r_.object(v, path, {"not"});
    c = node(CondOp::Not, std::move(c));
    c.as<Not>().kid = cond_node(*inner, child_path(path, "not"), list);
    return c;
  }
  if (const json::Value* has = v.find("has")) return has_item(std::move(c), v, *has);
  VType type = VType::Bad;
  const Expr* value = subject(c, v, list, &type);
  if (!value) return c;
  int tests = (v.find("is") ? 1 : 0) + (v.find("in") ? 1 : 0);
  bool bounds = std::any_of(std::begin(kCmpOps), std::end(kCmpOps),
                            [&](const CmpInfo& b) { return v.find(b.key) != nullptr; });
  if (tests > 1 || (tests == 1 && bounds)) {
    r_.error(v, path,
             {"a test uses one of: is, in, or bounds (at_least, more_than, ...)",
              "一个比较只能使用 is、in 或上下界（at_least、more_than 等）之一"},
             "bad-condition");
    return c;
  }
  if (const json::Value* is = v.find("is")) return test_is(std::move(c), value, *is, type);
  if (v.find("in")) return test_in(std::move(c), value, v, type);
  return test_bounds(std::move(c), value, v, list, type);
}

Cond Compiler::logic(Cond c, const json::Value& v, const FactDecl* list) {
  bool is_all = v.find("all") != nullptr;
  std::string_view key = is_all ? "all" : "any";
  const json::Value& parts = *v.find(key);
  r_.object(v, c.path, {key});
  c = node(is_all ? CondOp::All : CondOp::Any, std::move(c));
  std::string p = child_path(c.path, key);
  if (r_.expect(parts, p, json::Type::Array)) {
    if (parts.items().empty())
      r_.error(parts, p, msg("empty \"{}\"", "\"{}\" 为空", key), "bad-condition");
    std::vector<Cond> kids;
    kids.reserve(parts.items().size());
    for (std::size_t i = 0; i < parts.items().size(); ++i) {
      kids.push_back(cond(parts.items()[i], child_path(p, i), list));
    }
    c.as<Junction>().kids = nodes_.add(std::move(kids));
  }
  return c;
}

Cond Compiler::has_item(Cond c, const json::Value& v, const json::Value& has) {
  r_.object(v, c.path, {"has"});
  c = node(CondOp::Has, std::move(c));
  std::string p = child_path(c.path, "has");
  if (!r_.object(has, p, {"over"}, {"where"})) return c;
  Has& node = c.as<Has>();
  const FactDecl* items = list_fact(has, p, &node.list);
  if (items && has.find("where")) {
    node.where = cond_node(*has.find("where"), child_path(p, "where"), items);
    if (node.where) node.screen = screen_of(*node.where);
  }
  return c;
}

// The value a test is on: {"value": E, ...} or the shorthand {"fact"/"item": name, "year": y, ...}.
// Null (reported) when the object is no condition at all.
const Expr* Compiler::subject(const Cond& c, const json::Value& v, const FactDecl* list,
                              VType* type) {
  static constexpr std::string_view kTests[] = {"at_least", "more_than", "at_most", "less_than",
                                                "equals",   "is",        "in"};
  static constexpr std::string_view kYearTests[] = {"year",      "at_least", "more_than", "at_most",
                                                    "less_than", "equals",   "is",        "in"};
  if (const json::Value* value = v.find("value")) {
    static constexpr std::string_view kValue[] = {"value"};
    r_.object_of(v, c.path, kValue, kTests);
    return nodes_.add(expr(*value, child_path(c.path, "value"), list, type));
  }
  if (!v.find("fact") && !v.find("item")) {
    r_.error(v, c.path,
             {"not a condition: expected all, any, not, has, value, fact or item",
              "不是条件：应为 all、any、not、has、value、fact 或 item"},
             "bad-condition");
    return nullptr;
  }
  const std::string_view key = v.find("fact") ? "fact" : "item";
  // The reference is read from the condition itself: fact_ref reads only `key` and "year", and
  // the keys were checked here, with the tests beside them.
  r_.object_of(v, c.path, std::span(&key, 1), kYearTests);
  return nodes_.add(fact_ref(v, c.path, list, key == "item", type, true));
}

Cond Compiler::test_is(Cond c, const Expr* value, const json::Value& is, VType type) {
  c = node(CondOp::Is, std::move(c));
  c.as<Is>().value = value;
  std::string p = child_path(c.path, "is");
  if (is.is_bool()) {
    c.as<Is>().is = is.boolean;
    if (type != VType::Bool && type != VType::Bad) {
      r_.error(is, p, {"compared value is not a boolean", "比较的值不是布尔值"}, "type");
    }
  } else if (is.is_string()) {
    c.as<Is>().is = std::string(is.text());
    if (type != VType::Text && type != VType::Bad) {
      r_.error(is, p, {"compared value is not an enum", "比较的值不是枚举"}, "type");
    }
  } else {
    r_.error(is, p, {"\"is\" takes a boolean or a text", "\"is\" 的值应为布尔值或文本"}, "type");
  }
  return c;
}

Cond Compiler::test_in(Cond c, const Expr* value, const json::Value& v, VType type) {
  c = node(CondOp::In, std::move(c));
  In& node = c.as<In>();
  node.value = value;
  node.in = r_.strings(v, "in", c.path);
  const json::Value& in = *v.find("in");
  if (node.in.empty() && in.is_array()) {
    r_.error(in, child_path(c.path, "in"),
             {"an empty \"in\" list is never true", "空的 \"in\" 列表永不成立"}, "bad-condition");
  }
  if (type != VType::Text && type != VType::Bad) {
    r_.error(in, child_path(c.path, "in"), {"compared value is not an enum", "比较的值不是枚举"},
             "type");
  }
  return c;
}

Cond Compiler::test_bounds(Cond c, const Expr* value, const json::Value& v, const FactDecl* list,
                           VType type) {
  c = node(CondOp::Compare, std::move(c));
  Compare& node = c.as<Compare>();
  node.value = value;
  for (const CmpInfo& cmp : kCmpOps) {
    if (const json::Value* b = v.find(cmp.key)) {
      node.comparisons.push_back(
          Comparison{cmp.op, number_node(*b, child_path(c.path, cmp.key), list)});
    }
  }
  if (node.comparisons.empty()) {
    r_.error(v, c.path,
             {"a test needs at_least, more_than, at_most, less_than, equals, is or in",
              "比较需要 at_least、more_than、at_most、less_than、equals、is 或 in"},
             "bad-condition");
  } else if (type != VType::Number && type != VType::Bad) {
    r_.error(v, c.path, {"only numbers can be compared with bounds", "只有数字可以与上下界比较"},
             "type");
  }
  return c;
}

// A product's constant factor and the rest of it: 350 × area is {350, [area]}; a constant is
// {c, []}; anything else is {1, [itself]}. Used to compare payer parts with the amount when both
// are multiples of the same value.
struct Linear {
  Decimal coefficient = Decimal::from_int(1);
  std::vector<const Expr*> factors;
};

std::optional<Linear> linear(const Expr& e) {
  Linear out;
  if (e.op == Op::Const) {
    const Decimal* d = constant_number(e);
    if (!d) return std::nullopt;
    out.coefficient = *d;
    return out;
  }
  if (e.op != Op::Mul) {
    out.factors.push_back(&e);
    return out;
  }
  for (const Expr& arg : e.as<Operands>().args) {
    const Decimal* d = constant_number(arg);
    if (!d) {
      out.factors.push_back(&arg);
      continue;
    }
    std::optional<Decimal> product = mul(out.coefficient, *d);
    if (!product) return std::nullopt;
    out.coefficient = *product;
  }
  return out;
}

bool same_cond(const Cond* a, const Cond* b);
bool same_expr(const Expr* a, const Expr* b);

bool same_bound(const std::optional<Bound>& x, const std::optional<Bound>& y) {
  return x.has_value() == y.has_value() &&
         (!x || (x->value == y->value && x->inclusive == y->inclusive));
}

template <class T, class Same>
bool same_runs(const T& a, const T& b, Same same) {
  if (std::size(a) != std::size(b)) return false;
  for (std::size_t i = 0; i < std::size(a); ++i) {
    if (!same(a[i], b[i])) return false;
  }
  return true;
}

// Structural equality of two nodes of the same op (paths and texts as written aside).
struct SameNode {
  const Expr& b;
  bool operator()(const Constant& x) const { return x.value == b.as<Constant>().value; }
  bool operator()(const FactRef& x) const {
    const FactRef& y = b.as<FactRef>();
    return x.fact == y.fact && x.year == y.year;
  }
  bool operator()(const ItemRef& x) const {
    const ItemRef& y = b.as<ItemRef>();
    return x.field == y.field && x.year == y.year;
  }
  bool operator()(const PolicyYear&) const { return true; }
  bool operator()(const Operands& x) const {
    return same_runs(x.args, b.as<Operands>().args,
                     [](const Expr& p, const Expr& q) { return same_expr(&p, &q); });
  }
  bool operator()(const Ratio& x) const {
    const Ratio& y = b.as<Ratio>();
    return same_expr(x.numerator, y.numerator) && same_expr(x.denominator, y.denominator);
  }
  bool operator()(const Growth& x) const {
    const Growth& y = b.as<Growth>();
    return same_expr(x.current, y.current) && same_expr(x.previous, y.previous);
  }
  bool operator()(const Brackets& x) const {
    const Brackets& y = b.as<Brackets>();
    return same_expr(x.of, y.of) &&
           same_runs(x.rows, y.rows, [](const Bracket& p, const Bracket& q) {
             return same_bound(p.lower, q.lower) && same_bound(p.upper, q.upper) &&
                    same_expr(p.then, q.then);
           });
  }
  bool operator()(const Steps& x) const {
    const Steps& y = b.as<Steps>();
    return same_expr(x.of, y.of) && x.size == y.size;
  }
  bool operator()(const Marginal& x) const {
    const Marginal& y = b.as<Marginal>();
    return same_expr(x.of, y.of) && same_runs(x.bands, y.bands, [](const Band& p, const Band& q) {
             return p.up_to == q.up_to && same_expr(p.rate, q.rate);
           });
  }
  bool operator()(const Aggregate& x) const {
    const Aggregate& y = b.as<Aggregate>();
    return x.list == y.list && same_cond(x.where, y.where) && same_expr(x.value, y.value) &&
           same_expr(x.item_cap, y.item_cap);
  }
  bool operator()(const Case& x) const {
    const Case& y = b.as<Case>();
    return same_expr(x.otherwise, y.otherwise) &&
           same_runs(x.branches, y.branches, [](const Branch& p, const Branch& q) {
             return same_cond(p.when, q.when) && same_expr(p.then, q.then);
           });
  }
  bool operator()(const Lookup& x) const {
    const Lookup& y = b.as<Lookup>();
    return same_expr(x.key, y.key) && x.keys == y.keys &&
           same_runs(x.values, y.values,
                     [](const Expr* p, const Expr* q) { return same_expr(p, q); });
  }
  bool operator()(const Round& x) const {
    const Round& y = b.as<Round>();
    return same_expr(x.of, y.of) && x.mode == y.mode && x.unit == y.unit;
  }
};

// Structural equality of two compiled expressions, either of which may be absent.
bool same_expr(const Expr* a, const Expr* b) {
  if (!a || !b) return a == b;
  return a->op == b->op && std::visit(SameNode{*b}, a->node);
}

struct SameCond {
  const Cond& b;
  bool operator()(const Junction& x) const {
    return same_runs(x.kids, b.as<Junction>().kids,
                     [](const Cond& p, const Cond& q) { return same_cond(&p, &q); });
  }
  bool operator()(const Not& x) const { return same_cond(x.kid, b.as<Not>().kid); }
  bool operator()(const Compare& x) const {
    const Compare& y = b.as<Compare>();
    return same_expr(x.value, y.value) &&
           same_runs(x.comparisons, y.comparisons, [](const Comparison& p, const Comparison& q) {
             return p.op == q.op && same_expr(p.bound, q.bound);
           });
  }
  bool operator()(const Is& x) const {
    const Is& y = b.as<Is>();
    return same_expr(x.value, y.value) && x.is == y.is;
  }
  bool operator()(const In& x) const {
    const In& y = b.as<In>();
    return same_expr(x.value, y.value) && x.in == y.in;
  }
  bool operator()(const Has& x) const {
    const Has& y = b.as<Has>();
    return x.list == y.list && same_cond(x.where, y.where);
  }
};

bool same_cond(const Cond* a, const Cond* b) {
  if (!a || !b) return a == b;
  return a->op == b->op && std::visit(SameCond{*b}, a->node);
}

bool same_factors(const Linear& a, const Linear& b) {
  if (a.factors.size() != b.factors.size()) return false;
  for (std::size_t i = 0; i < a.factors.size(); ++i) {
    if (!same_expr(a.factors[i], b.factors[i])) return false;
  }
  return true;
}

// How a value common to the amount and the parts is named in a message: its fact, or "E".
std::string factors_text(const Linear& l) {
  if (l.factors.size() == 1 && (l.factors[0]->op == Op::Fact || l.factors[0]->op == Op::Item)) {
    return std::string(read_name(*l.factors[0]));
  }
  return "E";
}

// Errors for a payer split that provably cannot add up: shares above 100% in all, parts that are
// multiples of the amount's own value (120 × area of 350 × area) adding up to more than the
// amount, constant parts above a constant amount or cap. What depends on the facts is checked
// when evaluating (the rule's status is then `error`).
// What the payers of a rule take, summed: shares of the amount, constant parts, and parts that
// are multiples of the amount's own factors (a × E, with the same E).
struct Split {
  Decimal shares;
  Decimal constants;
  std::optional<Linear> amount;
  std::optional<Linear> parts;
};

Split sum_split(const Rule& rule) {
  Split s;
  s.amount = rule.formula ? linear(*rule.formula) : std::nullopt;
  if (s.amount) s.parts = Linear{Decimal(), s.amount->factors};
  for (const Payer& p : rule.payers) {
    if (p.kind == Payer::Kind::Share) {
      s.shares = add(s.shares, p.share).value_or(Decimal::from_int(2));
      continue;
    }
    if (p.kind != Payer::Kind::Formula) continue;
    std::optional<Linear> part = linear(*p.formula);
    if (part && part->factors.empty()) {
      s.constants = add(s.constants, part->coefficient).value_or(s.constants);
    } else if (part && s.parts && !s.amount->factors.empty() && same_factors(*part, *s.parts)) {
      s.parts->coefficient =
          add(s.parts->coefficient, part->coefficient).value_or(s.parts->coefficient);
    }
  }
  return s;
}

void check_split(const Rule& rule, const json::Value& payers, const std::string& path, Reader& r) {
  Split split = sum_split(rule);
  const Decimal& shares = split.shares;
  const Decimal& constants = split.constants;
  const std::optional<Linear>& amount = split.amount;
  const std::optional<Linear>& parts = split.parts;
  if (shares > Decimal::from_int(1)) {
    std::optional<Decimal> pct = mul(shares, Decimal::from_int(100));
    r.error(payers, path,
            msg("the payers' shares add up to {}%, more than the whole amount",
                "各出资方的比例之和为 {}%，超过了补助金额的全部", pct ? pct->str() : "?"),
            "payer-split");
    return;
  }
  const Decimal one = Decimal::from_int(1);
  if (amount && !amount->factors.empty() && !(parts->coefficient.is_zero() && shares < one)) {
    // Shares are of the amount: s × (a × E). Parts and shares over a × E in all, or all of it
    // and a constant more: too much, whatever E is.
    std::optional<Decimal> of_shares = mul(shares, amount->coefficient);
    std::optional<Decimal> all = of_shares ? add(parts->coefficient, *of_shares) : std::nullopt;
    if (all &&
        (*all > amount->coefficient || (*all == amount->coefficient && constants.units() > 0))) {
      std::string name = factors_text(*amount);
      std::string more = constants.is_zero() ? "" : " + " + constants.str();
      r.error(payers, path,
              msg("the payers' parts add up to {} × {}{}, more than the amount, {} × {}",
                  "各出资方承担的部分之和为 {} × {}{}，超过了补助金额 {} × {}", all->str(), name,
                  more, amount->coefficient.str(), name),
              "payer-split");
      return;
    }
  }
  if (constants.is_zero()) return;
  const Decimal* cap = rule.cap ? constant_number(*rule.cap) : nullptr;
  std::optional<Decimal> of_shares =
      amount && amount->factors.empty() ? mul(shares, amount->coefficient) : std::nullopt;
  std::optional<Decimal> need = of_shares ? add(constants, *of_shares) : std::nullopt;
  if (need && *need > amount->coefficient) {
    r.error(payers, path,
            msg("the payers' parts add up to {}, more than the amount, {}",
                "各出资方承担的部分之和为 {}，超过了补助金额 {}", need->str(),
                amount->coefficient.str()),
            "payer-split");
  } else if (cap && constants > *cap) {
    r.error(payers, path,
            msg("the payers' parts add up to {}, more than the cap, {}",
                "各出资方承担的部分之和为 {}，超过了上限 {}", constants.str(), cap->str()),
            "payer-split");
  }
}

void read_payers(const json::Value& payers, const std::string& pp, Compiler& compiler, Reader& r,
                 Rule& rule) {
  if (r.expect(payers, pp, json::Type::Array)) {
    int rests = 0;
    std::set<std::string> names;
    for (std::size_t i = 0; i < payers.items().size(); ++i) {
      const json::Value& item = payers.items()[i];
      std::string ip = child_path(pp, i);
      if (!r.object(item, ip, {"payer"}, {"formula", "share", "rest"})) continue;
      Payer payer;
      payer.payer = r.string(item, "payer", ip).value_or("");
      if (!payer.payer.empty() && !payer_info(payer.payer)) {
        r.error(*item.find("payer"), child_path(ip, "payer"),
                msg("unknown payer \"{}\" (see the payer table in docs/rules.md)",
                    "未知的出资方 \"{}\"（见 docs/rules.md 中的出资方表）", payer.payer),
                "bad-payer");
      }
      if (!payer.payer.empty() && !names.insert(payer.payer).second) {
        r.error(*item.find("payer"), child_path(ip, "payer"),
                msg("payer \"{}\" is named twice", "出资方 \"{}\" 出现了两次", payer.payer),
                "bad-payer");
      }
      int forms = (item.find("formula") ? 1 : 0) + (item.find("share") ? 1 : 0) +
                  (item.find("rest") ? 1 : 0);
      if (forms != 1) {
        r.error(item, ip,
                {"a payer needs exactly one of formula, share, rest",
                 "出资方需要且只能有 formula、share、rest 之一"},
                "bad-payer");
      }
      if (const json::Value* f = item.find("formula")) {
        payer.kind = Payer::Kind::Formula;
        payer.formula = compiler.number_node(*f, child_path(ip, "formula"), nullptr);
        const Decimal* constant = constant_number(*payer.formula);
        if (constant && constant->is_negative()) {
          r.error(*f, child_path(ip, "formula"),
                  {"a payer's amount below zero", "出资方承担的金额小于零"}, "bad-payer");
        }
      } else if (const json::Value* s = item.find("share")) {
        payer.kind = Payer::Kind::Share;
        payer.share = r.number(*s, child_path(ip, "share"), true).value_or(Decimal());
        if (payer.share.is_negative()) {
          r.error(*s, child_path(ip, "share"), {"a share below zero", "比例小于零"}, "bad-payer");
        }
      } else {
        payer.kind = Payer::Kind::Rest;
        const json::Value& rest = *item.find("rest");
        if (!rest.is_bool() || !rest.boolean) {
          r.error(rest, child_path(ip, "rest"), {"write \"rest\": true", "应写作 \"rest\": true"},
                  "bad-payer");
        }
        ++rests;
      }
      rule.payers.push_back(std::move(payer));
    }
    if (rests > 1)
      r.error(payers, pp, {"at most one payer takes the rest", "最多只能有一个出资方承担其余部分"},
              "bad-payer");
    check_split(rule, payers, pp, r);
  }
  if (rule.kind == AmountKind::Unspecified || rule.kind == AmountKind::UpperBound) {
    r.error(
        payers, pp,
        {"a payer split needs an exact or floor amount", "出资分摊需要 exact 或 floor 类型的金额"},
        "bad-payer");
  }
}

// What the amount is: the rule's "benefit", a value of kBenefits; without it, tax relief for
// category "tax" and a grant otherwise. A tax rule is always tax relief.
void read_benefit(const json::Value& v, const std::string& path, Reader& r, Rule& rule) {
  bool tax = rule.category && rule.category->tax_relief;
  rule.benefit = tax ? Benefit::TaxRelief : Benefit::Grant;
  const json::Value* b = v.find("benefit");
  if (!b) return;
  std::string bp = child_path(path, "benefit");
  std::string id = r.string(v, "benefit", path).value_or("");
  const auto it = std::find_if(std::begin(kBenefits), std::end(kBenefits),
                               [&](const BenefitInfo& info) { return info.key == id; });
  if (it == std::end(kBenefits)) {
    if (b->is_string()) {
      r.error(*b, bp, msg("unknown benefit \"{}\"", "未知的收益类型 \"{}\"", id), "bad-value");
    }
    return;
  }
  if (tax && it->value != Benefit::TaxRelief) {
    r.error(*b, bp,
            msg("a rule of category \"{}\" is tax relief", "类别为 \"{}\" 的规则只能是税收减免",
                rule.category->id),
            "bad-value");
    return;
  }
  rule.benefit = it->value;
}

// A rule's `applicants` (legal forms, at least one) and optional `roles` (at least one when
// given), each id from its table and each once.
enum class Terms { LegalForms, Roles };

void read_applicant_terms(const json::Value& v, const std::string& path, Reader& r, Terms terms,
                          std::vector<std::string>& out) {
  bool roles = terms == Terms::Roles;
  std::string_view key = roles ? "roles" : "applicants";
  out = r.strings(v, key, path, !roles);
  const json::Value* list = v.find(key);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::string& a = out[i];
    if ((roles ? role_bit(a) : form_bit(a)) == 0) {
      r.error(*list, child_path(path, key),
              roles ? msg("unknown role \"{}\"", "未知的申请主体身份 \"{}\"", a)
                    : msg("unknown legal form \"{}\"", "未知的法律形式 \"{}\"", a),
              "bad-value");
    } else if (std::find(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(i), a) !=
               out.begin() + static_cast<std::ptrdiff_t>(i)) {
      r.error(*list, child_path(path, key), msg("\"{}\" is listed twice", "\"{}\" 重复列出", a),
              "bad-value");
    }
  }
  if (list && out.empty() && list->is_array()) {
    r.error(*list, child_path(path, key),
            roles ? Message{"no roles (leave `roles` out when any applicant may claim)",
                            "没有身份（任何身份均可申请时请省略 `roles`）"}
                  : Message{"no legal forms", "没有法律形式"},
            "bad-value");
  }
}

void read_applicants(const json::Value& v, const std::string& path, Reader& r, Rule& rule) {
  read_applicant_terms(v, path, r, Terms::LegalForms, rule.applicants);
  read_applicant_terms(v, path, r, Terms::Roles, rule.roles);
  for (const std::string& form : rule.applicants) rule.applicant_mask |= form_bit(form);
  for (const std::string& role : rule.roles) rule.role_mask |= role_bit(role);
}

// What names and places a rule: id, title, article, quote, category and benefit.
void read_identity(const json::Value& v, const std::string& path, Reader& r, Rule& rule) {
  rule.id = r.string(v, "id", path).value_or("");
  if (v.find("id") && v.find("id")->is_string() && rule.id.empty()) {
    r.error(*v.find("id"), child_path(path, "id"), {"empty rule id", "规则 id 为空"}, "bad-value");
  }
  if (!rule.id.empty() && !std::all_of(rule.id.begin(), rule.id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      })) {
    r.error(*v.find("id"), child_path(path, "id"),
            {"rule ids use a-z, 0-9 and '-'", "规则 id 只能使用 a-z、0-9 和 '-'"}, "bad-value");
  }
  if (const json::Value* title = v.find("title")) {
    std::string tp = child_path(path, "title");
    if (r.object(*title, tp, {"zh", "en"})) {
      rule.title.zh = r.string(*title, "zh", tp).value_or("");
      rule.title.en = r.string(*title, "en", tp).value_or("");
    }
  }
  rule.article = r.string(v, "article", path).value_or("");
  rule.quote = r.string(v, "quote", path).value_or("");
  if (v.find("quote") && rule.quote.empty()) {
    r.error(*v.find("quote"), child_path(path, "quote"),
            {"the quoted sentence is empty", "引文为空"}, "missing-quote");
  }
  // The category as a rule file writes it: its id (kCategories), never a name and never empty.
  std::optional<std::string> category = r.string(v, "category", path);
  rule.category = category ? category_by_id(*category) : nullptr;
  if (category && !rule.category) {
    r.error(*v.find("category"), child_path(path, "category"),
            msg("unknown category \"{}\"", "未知的类别 \"{}\"", *category), "bad-value");
  }
  read_benefit(v, path, r, rule);
}

// `multi_year`: how many years the rule pays for, and the per-year facts it advances.
void read_multi_year(const json::Value& multi, const std::string& mp, Compiler& compiler, Reader& r,
                     Rule& rule) {
  if (r.object(multi, mp, {"years"}, {"advance"})) {
    rule.pays_for_years = r.integer(multi, "years", mp).value_or(0);
    if (rule.pays_for_years < 2 || rule.pays_for_years > 10) {
      r.error(*multi.find("years"), child_path(mp, "years"),
              {"years must be 2 to 10", "years 必须在 2 到 10 之间"}, "bad-value");
    }
    for (const std::string& name : r.strings(multi, "advance", mp, false)) {
      int index = compiler.vocabulary().index_of(name);
      if (index < 0) {
        r.error(*multi.find("advance"), child_path(mp, "advance"),
                msg("unknown fact \"{}\"", "未知的事实 \"{}\"", name), "unknown-fact");
      } else if (!compiler.vocabulary().facts[static_cast<std::size_t>(index)].per_year ||
                 compiler.vocabulary().facts[static_cast<std::size_t>(index)].type !=
                     FactType::Number) {
        r.error(*multi.find("advance"), child_path(mp, "advance"),
                msg("\"{}\" must be a per-year number to advance",
                    "\"{}\" 必须是按年份取值的数字才能提前计算", name),
                "bad-reference");
      } else {
        rule.advancing_facts.push_back(index);
      }
    }
  }
}

// An amount's `rounding`: {"mode": half_up|half_even|up|down, "unit": U}.
void read_rounding(const json::Value& rounding, const std::string& rp, Reader& r, Rule& rule) {
  if (r.object(rounding, rp, {}, {"mode", "unit"})) {
    std::string mode = r.string(rounding, "mode", rp, false).value_or("half_up");
    if (std::optional<Rounding> m = parse_rounding(mode)) {
      rule.rounding = *m;
    } else {
      r.error(rounding, rp, msg("unknown rounding \"{}\"", "未知的舍入方式 \"{}\"", mode),
              "bad-value");
    }
    if (const json::Value* unit = rounding.find("unit")) {
      std::optional<Decimal> u = r.number(*unit, child_path(rp, "unit"), true);
      if (u && u->units() > 0) {
        rule.rounding_unit = *u;
      } else if (u) {
        r.error(*unit, child_path(rp, "unit"),
                {"rounding unit must be positive", "舍入单位必须为正数"}, "bad-value");
      }
    }
  }
}

// The `amount`: its kind, and the formula, cap and rounding or the upper bound that kind takes.
void read_amount(const json::Value& amount, const std::string& ap, Compiler& compiler, Reader& r,
                 Rule& rule) {
  if (r.expect(amount, ap, json::Type::Object)) {
    std::string kind = r.string(amount, "kind", ap).value_or("");
    const AmountKindInfo* known = amount_kind_info(kind);
    if (known) rule.kind = known->value;
    if (known && (known->value == AmountKind::Exact || known->value == AmountKind::Floor)) {
      r.object(amount, ap, {"kind", "formula"}, {"cap", "rounding"});
      if (const json::Value* f = amount.find("formula")) {
        rule.formula = compiler.number_node(*f, child_path(ap, "formula"), nullptr);
      }
      if (const json::Value* cap = amount.find("cap")) {
        rule.cap = compiler.number_node(*cap, child_path(ap, "cap"), nullptr);
        const Decimal* constant = constant_number(*rule.cap);
        if (constant && constant->is_negative()) {
          r.error(*cap, child_path(ap, "cap"), {"a cap below zero", "上限小于零"}, "bad-value");
        }
      }
      if (const json::Value* rounding = amount.find("rounding")) {
        read_rounding(*rounding, child_path(ap, "rounding"), r, rule);
      }
    } else if (known && known->value == AmountKind::UpperBound) {
      r.object(amount, ap, {"kind", "up_to"});
      if (const json::Value* up = amount.find("up_to")) {
        rule.up_to = compiler.number_node(*up, child_path(ap, "up_to"), nullptr);
        const Decimal* constant = constant_number(*rule.up_to);
        if (constant && constant->is_negative()) {
          r.error(*up, child_path(ap, "up_to"), {"a cap below zero", "上限小于零"}, "bad-value");
        }
      }
    } else if (known) {  // unspecified
      r.object(amount, ap, {"kind"});
    } else if (amount.find("kind")) {
      r.error(*amount.find("kind"), child_path(ap, "kind"),
              msg("unknown amount kind \"{}\" ({})", "未知的金额类型 \"{}\"（{}）", kind,
                  key_list(kAmountKinds, ", "), key_list(kAmountKinds, "、")),
              "bad-value");
    }
  }
}

Rule read_rule(const json::Value& v, const std::string& path, Compiler& compiler, Reader& r) {
  Rule rule;
  rule.line = v.line;
  rule.col = v.col;
  rule.path = path;
  rule.source = r.file();
  if (!r.object(v, path, {"id", "title", "article", "quote", "category", "applicants", "amount"},
                {"when", "payers", "interpretations", "multi_year", "benefit", "roles"})) {
    if (!v.is_object()) return rule;
  }
  read_identity(v, path, r, rule);
  read_applicants(v, path, r, rule);
  if (const json::Value* when = v.find("when")) {
    rule.when = compiler.cond_node(*when, child_path(path, "when"), nullptr);
  }
  if (const json::Value* multi = v.find("multi_year")) {
    read_multi_year(*multi, child_path(path, "multi_year"), compiler, r, rule);
  }
  rule.interpretations = r.texts(v, "interpretations", path);
  if (const json::Value* amount = v.find("amount")) {
    read_amount(*amount, child_path(path, "amount"), compiler, r, rule);
  }
  if (const json::Value* payers = v.find("payers")) {
    read_payers(*payers, child_path(path, "payers"), compiler, r, rule);
  }
  return rule;
}

// The stacking groups of `doc`, whose rules are read: each names two or more distinct rules of
// the document, and its id is unique in the document and no rule's id.
void read_groups(const json::Value& groups, const std::set<std::string>& rule_ids, Reader& r,
                 Document& doc) {
  if (r.expect(groups, "/groups", json::Type::Array)) {
    std::set<std::string> group_ids;
    for (std::size_t i = 0; i < groups.items().size(); ++i) {
      const json::Value& g = groups.items()[i];
      std::string gp = child_path("/groups", i);
      if (!r.object(g, gp, {"id", "mode", "rules", "quote"}, {"article"})) continue;
      Group group;
      group.id = r.string(g, "id", gp).value_or("");
      std::string mode = r.string(g, "mode", gp).value_or("");
      const GroupModeInfo* known_mode = group_mode_info(mode);
      if (known_mode) group.mode = known_mode->mode;
      group.rules = r.strings(g, "rules", gp);
      group.article = r.string(g, "article", gp, false).value_or("");
      group.quote = r.string(g, "quote", gp).value_or("");
      // Ids name one thing: a report says which group excluded a rule, by id.
      if (!group.id.empty() && !group_ids.insert(group.id).second) {
        r.error(*g.find("id"), child_path(gp, "id"),
                msg("duplicate group id \"{}\"", "重复的组 id \"{}\"", group.id), "duplicate-id");
      } else if (rule_ids.contains(group.id)) {
        r.error(*g.find("id"), child_path(gp, "id"),
                msg("group id \"{}\" is also a rule id", "组 id \"{}\" 同时也是规则 id", group.id),
                "duplicate-id");
      }
      if (!known_mode) {
        r.error(*g.find("mode"), child_path(gp, "mode"),
                msg("unknown group mode \"{}\" ({})", "未知的组模式 \"{}\"（{}）", mode,
                    key_list(kGroupModes, ", "), key_list(kGroupModes, "、")),
                "bad-value");
      }
      std::set<std::string> distinct(group.rules.begin(), group.rules.end());
      if (distinct.size() != group.rules.size()) {
        r.error(*g.find("rules"), child_path(gp, "rules"),
                {"a rule is named twice", "同一规则列出了两次"}, "bad-group");
      }
      if (distinct.size() < 2)
        r.error(g, gp, {"a group needs two rules or more", "组至少需要两条规则"}, "bad-group");
      for (const std::string& id : group.rules) {
        if (!rule_ids.contains(id)) {
          r.error(*g.find("rules"), child_path(gp, "rules"),
                  msg("group names unknown rule \"{}\"", "组中列出了不存在的规则 \"{}\"", id),
                  "unknown-rule");
        }
        for (std::size_t k = 0; k < doc.rules.size(); ++k) {
          if (doc.rules[k].id != id) continue;
          group.members.push_back(k);
          if (doc.rules[k].group < 0) doc.rules[k].group = static_cast<int>(doc.groups.size());
        }
      }
      doc.groups.push_back(std::move(group));
    }
  }
}

// The document's "notes": [{"quote", "zh", "en"}], each text non-empty.
std::vector<DocumentNote> read_notes(const json::Value& notes, const std::string& path, Reader& r) {
  std::vector<DocumentNote> out;
  if (!r.expect(notes, path, json::Type::Array)) return out;
  for (std::size_t i = 0; i < notes.items().size(); ++i) {
    const json::Value& item = notes.items()[i];
    std::string ip = child_path(path, i);
    if (!r.object(item, ip, {"quote", "zh", "en"})) continue;
    DocumentNote note;
    note.quote = r.string(item, "quote", ip).value_or("");
    note.text.zh = r.string(item, "zh", ip).value_or("");
    note.text.en = r.string(item, "en", ip).value_or("");
    if (note.quote.empty() || note.text.zh.empty() || note.text.en.empty()) {
      r.error(item, ip, {"a note needs a quote and both texts", "说明需要引文和中英文文本"},
              "bad-value");
    }
    out.push_back(std::move(note));
  }
  return out;
}

// The document's region: a six-digit GB/T 2260 code, its name, and the code of its city layer.
void read_region(const json::Value& region, const std::string& rp, Reader& r, Document& doc) {
  if (r.object(region, rp, {"code", "name"}, {"parent"})) {
    doc.region.code = r.string(region, "code", rp).value_or("");
    doc.region.name = r.string(region, "name", rp).value_or("");
    doc.region.parent = r.string(region, "parent", rp, false).value_or("");
    bool has_parent = region.find("parent") != nullptr;
    for (const std::string* code : {&doc.region.code, &doc.region.parent}) {
      if (code == &doc.region.parent && !has_parent) continue;
      if (!is_region_code(*code)) {
        r.error(region, rp,
                msg("\"{}\" is not a six-digit GB/T 2260 code",
                    "\"{}\" 不是六位的 GB/T 2260 行政区划代码", *code),
                "bad-value");
      }
    }
  }
}

// When the document was issued and the period it is in force.
void read_dates(const json::Value& meta, const std::string& mp, Reader& r, Document& doc) {
  for (auto [key, field] :
       {std::pair{"issued", &doc.issued}, std::pair{"valid_from", &doc.valid_from},
        std::pair{"valid_to", &doc.valid_to}}) {
    if (std::optional<std::string> s = r.string(meta, key, mp)) {
      if (std::optional<Date> d = parse_date(*s)) {
        *field = *d;
      } else {
        r.error(*meta.find(key), child_path(mp, key),
                msg("\"{}\" is not a date (YYYY-MM-DD)", "\"{}\" 不是日期（YYYY-MM-DD）", *s),
                "bad-value");
      }
    }
  }
  if (doc.valid_to < doc.valid_from) {
    r.error(meta, mp, {"valid_to is before valid_from", "valid_to 早于 valid_from"}, "bad-value");
  }
}

// The `document` object: what the document is, who issued it, where and when it applies.
void read_meta(const json::Value& meta, Reader& r, Document& doc) {
  std::string mp = "/document";
  doc.line = meta.line;
  doc.col = meta.col;
  if (r.object(meta, mp,
               {"id", "title", "number", "issuer", "region", "issued", "valid_from", "valid_to",
                "validity_quote"},
               {"stacking_quote", "source", "notes"})) {
    doc.id = r.string(meta, "id", mp).value_or("");
    doc.title = r.string(meta, "title", mp).value_or("");
    doc.number = r.string(meta, "number", mp).value_or("");
    doc.issuer = r.string(meta, "issuer", mp).value_or("");
    doc.validity_quote = r.string(meta, "validity_quote", mp).value_or("");
    doc.stacking_quote = r.string(meta, "stacking_quote", mp, false).value_or("");
    doc.source = r.string(meta, "source", mp, false).value_or("");
    if (const json::Value* notes = meta.find("notes")) {
      doc.notes = read_notes(*notes, child_path(mp, "notes"), r);
    }
    read_region(*meta.find("region"), child_path(mp, "region"), r, doc);
    read_dates(meta, mp, r, doc);
  }
}

// The `articles` list; returns the article numbers, each listed once.
std::set<std::string> read_articles(const json::Value& articles, Reader& r, Document& doc) {
  std::set<std::string> article_numbers;
  if (r.expect(articles, "/articles", json::Type::Array)) {
    doc.articles.reserve(articles.items().size());
    for (std::size_t i = 0; i < articles.items().size(); ++i) {
      const json::Value& a = articles.items()[i];
      std::string ap = child_path("/articles", i);
      if (!r.object(a, ap, {"article", "title"}, {"not_payable"})) continue;
      Article article;
      article.number = r.string(a, "article", ap).value_or("");
      article.title = r.string(a, "title", ap).value_or("");
      article.not_payable = r.string(a, "not_payable", ap, false).value_or("");
      if (a.find("not_payable") && article.not_payable.empty()) {
        r.error(a, ap, {"not_payable needs a reason", "not_payable 需要写明原因"}, "bad-value");
      }
      if (!article_numbers.insert(article.number).second) {
        r.error(a, ap, msg("article \"{}\" listed twice", "条款 \"{}\" 列出了两次", article.number),
                "duplicate-id");
      }
      doc.articles.push_back(std::move(article));
    }
  }
  return article_numbers;
}

// The `rules` list; returns the rule ids, each used once.
std::set<std::string> read_rules(const json::Value& rules,
                                 const std::set<std::string>& article_numbers, Compiler& compiler,
                                 Reader& r, Document& doc) {
  std::set<std::string> rule_ids;
  if (r.expect(rules, "/rules", json::Type::Array)) {
    doc.rules.reserve(rules.items().size());
    for (std::size_t i = 0; i < rules.items().size(); ++i) {
      std::string rp = child_path("/rules", i);
      Rule rule = read_rule(rules.items()[i], rp, compiler, r);
      if (!rule.id.empty() && !rule_ids.insert(rule.id).second) {
        r.error(rules.items()[i], rp,
                msg("duplicate rule id \"{}\"", "重复的规则 id \"{}\"", rule.id), "duplicate-id");
      }
      if (!rule.article.empty() && !article_numbers.contains(rule.article)) {
        r.error(rules.items()[i], rp,
                msg("article \"{}\" is not in the document's article list",
                    "条款 \"{}\" 不在文件的条款列表中", rule.article),
                "unknown-article");
      }
      doc.rules.push_back(std::move(rule));
    }
  }
  return rule_ids;
}

// Every article is accounted for exactly once: encoded by rules, or not payable with a reason.
void check_dispositions(const json::Value& root, Reader& r, const Document& doc) {
  if (const json::Value* articles = root.find("articles"); articles && articles->is_array()) {
    for (std::size_t i = 0; i < doc.articles.size() && i < articles->items().size(); ++i) {
      const Article& a = doc.articles[i];
      bool encoded = std::any_of(doc.rules.begin(), doc.rules.end(),
                                 [&](const Rule& rule) { return rule.article == a.number; });
      std::string ap = child_path("/articles", i);
      if (encoded && !a.not_payable.empty()) {
        r.error(articles->items()[i], ap,
                msg("article {} is marked not_payable but rules encode it",
                    "条款 {} 标记为 not_payable，却有规则编码了它", a.number),
                "article-disposition");
      } else if (!encoded && a.not_payable.empty()) {
        r.error(articles->items()[i], ap,
                msg("article {} has no rule and no not_payable reason",
                    "条款 {} 既没有规则，也没有 not_payable 原因", a.number),
                "article-disposition");
      }
    }
  }
}

}  // namespace

Document read_document(const json::Value& root, const Vocabulary& vocabulary, Reader& r) {
  Document doc;
  doc.file = r.file();
  if (!r.object(root, "/", {"format", "document", "articles", "rules"}, {"groups", "$schema"})) {
    if (!root.is_object()) return doc;
  }
  if (const json::Value* meta = root.find("document")) read_meta(*meta, r, doc);
  std::set<std::string> article_numbers;
  if (const json::Value* articles = root.find("articles")) {
    article_numbers = read_articles(*articles, r, doc);
  }
  auto nodes = std::make_shared<NodeStore>();
  doc.nodes = nodes;
  Compiler compiler(r, vocabulary, *nodes);
  std::set<std::string> rule_ids;
  if (const json::Value* rules = root.find("rules")) {
    rule_ids = read_rules(*rules, article_numbers, compiler, r, doc);
  }
  check_dispositions(root, r, doc);
  if (const json::Value* groups = root.find("groups")) read_groups(*groups, rule_ids, r, doc);
  return doc;
}

}  // namespace subsidy
