#include "core/lint.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace subsidy {
namespace {

// Words by which a quoted sentence settles whether a bound is included (以上) or not (超过).
constexpr std::string_view kBoundWords[] = {"以上", "以下",   "以内",   "超过", "不满",
                                            "低于", "不低于", "不超过", "达到", "（含",
                                            "(含",  "高于",   "未满",   "至"};

class Linter {
 public:
  Linter(const RuleSet& rules, std::vector<Diagnostic>& out) : rules_(rules), out_(out) {}

  void warn(const Rule& rule, const std::string& path, Message message, std::string code) {
    out_.push_back(Diagnostic{rule.source, rule.line, rule.col, path.empty() ? rule.path : path,
                              std::move(message), std::move(code), Severity::Warning});
  }
  void warn(const Rule& rule, const Cond& c, Message message, std::string code) {
    out_.push_back(Diagnostic{rule.source, c.line, c.col, c.path, std::move(message),
                              std::move(code), Severity::Warning});
  }

  // The declaration behind a fact or item reference, or null.
  const FactDecl* decl_of(const Expr& e, const FactDecl* list) const {
    if (e.op == Op::Fact && e.fact >= 0)
      return &rules_.vocabulary.facts[static_cast<std::size_t>(e.fact)];
    if (e.op == Op::Item && list && e.field >= 0)
      return &list->fields[static_cast<std::size_t>(e.field)];
    return nullptr;
  }

  void cond(const Rule& rule, const Cond& c, const FactDecl* list) {
    switch (c.op) {
      case CondOp::All:
      case CondOp::Any:
      case CondOp::Not:
        for (const Cond& kid : c.kids) cond(rule, kid, list);
        break;
      case CondOp::Has:
        for (const Cond& kid : c.kids) {
          cond(rule, kid, &rules_.vocabulary.facts[static_cast<std::size_t>(c.list_fact)]);
        }
        break;
      case CondOp::Is:
        if (const std::string* text = std::get_if<std::string>(&c.is)) {
          const FactDecl* d = decl_of(c.value, list);
          if (d && d->type == FactType::Enum &&
              std::find(d->values.begin(), d->values.end(), *text) == d->values.end()) {
            warn(rule, c,
                 msg("never true: \"{}\" is not a value of {}", "永不成立：\"{}\" 不是 {} 的取值",
                     *text, d->name),
                 "never-true");
          }
        }
        break;
      case CondOp::In: {
        const FactDecl* d = decl_of(c.value, list);
        if (d && d->type == FactType::Enum) {
          for (const std::string& v : c.in) {
            if (std::find(d->values.begin(), d->values.end(), v) == d->values.end()) {
              warn(rule, c, msg("\"{}\" is not a value of {}", "\"{}\" 不是 {} 的取值", v, d->name),
                   "never-true");
            }
          }
        }
        break;
      }
      case CondOp::Compare: {
        std::optional<Decimal> low, high;
        bool low_incl = true, high_incl = true;
        for (const Comparison& cmp : c.comparisons) {
          if (cmp.bound.op != Op::Const) continue;
          Decimal b = std::get<Decimal>(cmp.bound.constant);
          if (cmp.op == CmpOp::AtLeast || cmp.op == CmpOp::MoreThan || cmp.op == CmpOp::Equals) {
            if (!low || b > *low) {
              low = b;
              low_incl = cmp.op != CmpOp::MoreThan;
            }
          }
          if (cmp.op == CmpOp::AtMost || cmp.op == CmpOp::LessThan || cmp.op == CmpOp::Equals) {
            if (!high || b < *high) {
              high = b;
              high_incl = cmp.op != CmpOp::LessThan;
            }
          }
        }
        const FactDecl* d = decl_of(c.value, list);
        bool non_negative = d && d->type == FactType::Number && d->unit != "ratio";
        if (low && high && (*low > *high || (*low == *high && !(low_incl && high_incl)))) {
          warn(rule, c, {"never true: the bounds leave no value", "永不成立：上下界之间没有取值"},
               "never-true");
        } else if (non_negative && high &&
                   (high->is_negative() || (high->is_zero() && !high_incl))) {
          warn(rule, c,
               msg("never true: {} cannot be negative", "永不成立：{} 不可能为负数", d->name),
               "never-true");
        }
        break;
      }
    }
  }

  // Whether the rule compares something with a non-zero constant bound.
  static bool has_bound(const Expr& e) {
    if (e.op == Op::Brackets) return true;
    for (const Expr& a : e.args) {
      if (has_bound(a)) return true;
    }
    for (const Cond& c : e.conds) {
      if (has_bound(c)) return true;
    }
    return false;
  }
  static bool has_bound(const Cond& c) {
    for (const Comparison& cmp : c.comparisons) {
      if (cmp.bound.op == Op::Const && !std::get<Decimal>(cmp.bound.constant).is_zero() &&
          cmp.op != CmpOp::Equals) {
        return true;
      }
    }
    for (const Cond& kid : c.kids) {
      if (has_bound(kid)) return true;
    }
    return has_bound(c.value);
  }

 private:
  const RuleSet& rules_;
  std::vector<Diagnostic>& out_;
};

}  // namespace

std::vector<Diagnostic> lint(const RuleSet& rules, const std::vector<TestCase>& cases, int year) {
  std::vector<Diagnostic> out;
  Linter linter(rules, out);
  std::set<std::string> tested, known;
  for (const Document& doc : rules.documents) {
    for (const Rule& rule : doc.rules) known.insert(rule.id);
  }
  for (const TestCase& t : cases) {
    for (const Expectation& e : t.expect) {
      tested.insert(e.rule);
      if (!known.contains(e.rule)) {
        out.push_back(Diagnostic{t.file, t.line, 1, "/cases",
                                 msg("case \"{}\" expects unknown rule \"{}\"",
                                     "测试用例 \"{}\" 期望了不存在的规则 \"{}\"", t.name, e.rule),
                                 "unknown-rule", Severity::Error});
      }
    }
  }
  for (const Document& doc : rules.documents) {
    if (doc.valid_to < Date{year, 1, 1}) {
      out.push_back(Diagnostic{doc.file, doc.line, doc.col, "/document",
                               msg("expired: valid until {}-{:02}-{:02}, pays nothing in {}",
                                   "已失效：有效期至 {}-{:02}-{:02}，{} 年不予兑现",
                                   doc.valid_to.year, doc.valid_to.month, doc.valid_to.day, year),
                               "expired", Severity::Warning});
    } else if (Date{year, 12, 31} < doc.valid_from) {
      out.push_back(Diagnostic{doc.file, doc.line, doc.col, "/document",
                               msg("not yet in force in {}: valid from {}-{:02}-{:02}",
                                   "{} 年尚未生效：自 {}-{:02}-{:02} 起施行", year,
                                   doc.valid_from.year, doc.valid_from.month, doc.valid_from.day),
                               "not-in-force", Severity::Warning});
    }
    for (const Rule& rule : doc.rules) {
      if (!tested.contains(rule.id)) {
        linter.warn(rule, "",
                    msg("rule \"{}\" has no test case", "规则 \"{}\" 没有测试用例", rule.id),
                    "untested");
      }
      if (rule.when) linter.cond(rule, *rule.when, nullptr);
      bool bounded = (rule.when && Linter::has_bound(*rule.when)) ||
                     (rule.formula && Linter::has_bound(*rule.formula));
      bool settled =
          std::any_of(std::begin(kBoundWords), std::end(kBoundWords),
                      [&](std::string_view w) { return rule.quote.find(w) != std::string::npos; });
      if (bounded && !settled && rule.interpretations.empty()) {
        linter.warn(
            rule, "",
            {"the quote says neither 以上 nor 超过 (or the like) for a bound: write the reading "
             "chosen in \"interpretations\"",
             "引文未说明界限是否含本数（以上、超过等）：请在 \"interpretations\" 中写明所取的解读"},
            "interpretation-needed");
      }
    }
  }
  return out;
}

}  // namespace subsidy
