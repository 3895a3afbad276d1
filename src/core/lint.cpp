#include "core/lint.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/engine.h"

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
    if (e.op == Op::Fact && e.as<FactRef>().fact >= 0)
      return &rules_.vocabulary().facts[static_cast<std::size_t>(e.as<FactRef>().fact)];
    if (e.op == Op::Item && list && e.as<ItemRef>().field >= 0)
      return &list->fields[static_cast<std::size_t>(e.as<ItemRef>().field)];
    return nullptr;
  }

  void cond(const Rule& rule, const Cond& c, const FactDecl* list) {
    switch (c.op) {
      case CondOp::All:
      case CondOp::Any:
      case CondOp::Not:
        for_each_kid(c, [&](const Cond& kid) { cond(rule, kid, list); });
        break;
      case CondOp::Has: {
        const FactDecl* items = &rules_.vocabulary().facts[static_cast<std::size_t>(list_of(c))];
        for_each_kid(c, [&](const Cond& kid) { cond(rule, kid, items); });
        break;
      }
      case CondOp::Is:
        is_value(rule, c, list);
        break;
      case CondOp::In:
        in_values(rule, c, list);
        break;
      case CondOp::Compare:
        compare(rule, c, list);
        break;
    }
  }

  // An enum compared with a value it does not have.
  void is_value(const Rule& rule, const Cond& c, const FactDecl* list) {
    const std::string* text = std::get_if<std::string>(&c.as<Is>().is);
    if (!text) return;
    const FactDecl* d = decl_of(*c.value(), list);
    if (d && d->type == FactType::Enum &&
        std::find(d->values.begin(), d->values.end(), *text) == d->values.end()) {
      warn(rule, c,
           msg("never true: \"{}\" is not a value of {}", "永不成立：\"{}\" 不是 {} 的取值", *text,
               d->name),
           "never-true");
    }
  }

  void in_values(const Rule& rule, const Cond& c, const FactDecl* list) {
    const FactDecl* d = decl_of(*c.value(), list);
    if (!d || d->type != FactType::Enum) return;
    for (const std::string& v : c.as<In>().in) {
      if (std::find(d->values.begin(), d->values.end(), v) == d->values.end()) {
        warn(rule, c, msg("\"{}\" is not a value of {}", "\"{}\" 不是 {} 的取值", v, d->name),
             "never-true");
      }
    }
  }

  // The tightest constant bounds of a comparison, each with whether it is included.
  struct Range {
    std::optional<Decimal> low, high;
    bool low_incl = true, high_incl = true;
  };
  static Range range_of(const Cond& c) {
    Range r;
    for (const Comparison& cmp : c.as<Compare>().comparisons) {
      const Decimal* bound = constant_number(*cmp.bound);
      if (!bound) continue;
      Decimal b = *bound;
      if (cmp.op == CmpOp::AtLeast || cmp.op == CmpOp::MoreThan || cmp.op == CmpOp::Equals) {
        if (!r.low || b > *r.low) {
          r.low = b;
          r.low_incl = cmp.op != CmpOp::MoreThan;
        }
      }
      if (cmp.op == CmpOp::AtMost || cmp.op == CmpOp::LessThan || cmp.op == CmpOp::Equals) {
        if (!r.high || b < *r.high) {
          r.high = b;
          r.high_incl = cmp.op != CmpOp::LessThan;
        }
      }
    }
    return r;
  }

  // Bounds that leave no value, or an amount, area or count below zero.
  void compare(const Rule& rule, const Cond& c, const FactDecl* list) {
    Range r = range_of(c);
    const FactDecl* d = decl_of(*c.value(), list);
    bool non_negative = d && d->type == FactType::Number && !unit_info(d->unit).signed_value;
    if (r.low && r.high &&
        (*r.low > *r.high || (*r.low == *r.high && !(r.low_incl && r.high_incl)))) {
      warn(rule, c, {"never true: the bounds leave no value", "永不成立：上下界之间没有取值"},
           "never-true");
    } else if (non_negative && r.high &&
               (r.high->is_negative() || (r.high->is_zero() && !r.high_incl))) {
      warn(rule, c, msg("never true: {} cannot be negative", "永不成立：{} 不可能为负数", d->name),
           "never-true");
    }
  }

  // Rates in a formula: constants written as percentages ("6%", a bracket's "then", a lookup's
  // value) and the rates of marginal bands. One above 100% or below 0 is almost surely a typo
  // ("1e6%", "-5%"); 0% pays nothing. Condition bounds are not visited: a growth of 150% is a
  // threshold, not a rate.
  void rates(const Rule& rule, const Expr& e, bool band_rate) {
    if (e.op == Op::Const) {
      const Decimal* d = constant_number(e);
      const std::string& text = e.as<Constant>().text;
      bool percent = text.ends_with("%");
      if (!d || !(band_rate || percent)) return;
      std::string shown = percent ? text : text + " (" + percent_text(*d) + ")";
      if (*d > Decimal::from_int(1)) {
        warn(rule, e.path, msg("rate {} is above 100%", "比例 {} 超过 100%", shown),
             "rate-out-of-range");
      } else if (d->is_negative()) {
        warn(rule, e.path, msg("rate {} is below 0%", "比例 {} 小于 0%", shown),
             "rate-out-of-range");
      } else if (d->is_zero() && percent) {
        warn(rule, e.path,
             {"a rate of 0% pays nothing: leave the bracket out (\"gaps\": true) where the text "
              "gives nothing",
              "比例为 0% 不会支付任何金额：原文未给补助的区间请不写该档（\"gaps\": true）"},
             "zero-rate");
      }
      return;
    }
    if (e.op == Op::Marginal) {
      rates(rule, *e.as<Marginal>().of, false);
      for (const Band& band : e.as<Marginal>().bands) rates(rule, *band.rate, true);
      return;
    }
    for_each_part(
        e, [&](const Expr& a) { rates(rule, a, false); }, [](const Cond&) {});
  }

  // Whether the rule compares something with a non-zero constant bound.
  static bool has_bound(const Expr& e) {
    if (e.op == Op::Brackets) return true;
    bool found = false;
    for_each_part(
        e, [&](const Expr& a) { found = found || has_bound(a); },
        [&](const Cond& c) { found = found || has_bound(c); });
    return found;
  }
  static bool has_bound(const Cond& c) {
    if (c.op == CondOp::Compare) {
      for (const Comparison& cmp : c.as<Compare>().comparisons) {
        const Decimal* bound = constant_number(*cmp.bound);
        if (bound && !bound->is_zero() && cmp.op != CmpOp::Equals) return true;
      }
    }
    bool found = c.value() && has_bound(*c.value());
    for_each_kid(c, [&](const Cond& k) { found = found || has_bound(k); });
    return found;
  }

 private:
  const RuleSet& rules_;
  std::vector<Diagnostic>& out_;
};

std::string date_text(Date d) {
  return fmt::format("{}-{:02}-{:02}", d.year, d.month, d.day);
}

// Two documents of one region in force at the same time: a profile of that region gets both
// totals added up, which double-counts when one replaces or repeats the other. A warning, since
// a district may well have two documents on different subjects; the city layer over a district
// is another region and never counts.
void overlapping_documents(const RuleSet& rules, std::vector<Diagnostic>& out) {
  for (std::size_t j = 0; j < rules.documents().size(); ++j) {
    const Document& b = rules.documents()[j];
    for (std::size_t i = 0; i < j; ++i) {
      const Document& a = rules.documents()[i];
      if (a.region.code != b.region.code) continue;
      Date from = std::max(a.valid_from, b.valid_from);
      Date to = std::min(a.valid_to, b.valid_to);
      if (to < from) continue;
      out.push_back(Diagnostic{
          b.file, b.line, b.col, "/document",
          msg("region {} has two documents in force from {} to {}: {} and {} ({}); a profile "
              "gets the total of both",
              "地区 {} 在 {} 至 {} 期间有两个有效文件：{} 和 {}（{}）；申请人会同时得到两者的合计",
              b.region.code, date_text(from), date_text(to), b.id, a.id, a.file),
          "overlapping-documents", Severity::Warning});
    }
  }
}

}  // namespace

namespace {

// The rules the test cases name (into `tested`); a name that is no rule is an error.
void tested_rules(const RuleSet& rules, const std::vector<TestCase>& cases,
                  std::set<std::string>& tested, std::vector<Diagnostic>& out) {
  std::set<std::string> known;
  for (const Document& doc : rules.documents()) {
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
}

// A document out of force in `year`: expired, or not yet in force.
void validity(const Document& doc, int year, std::vector<Diagnostic>& out) {
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
}

void lint_rule(Linter& linter, const Rule& rule, const std::set<std::string>& tested) {
  if (!tested.contains(rule.id)) {
    linter.warn(rule, "", msg("rule \"{}\" has no test case", "规则 \"{}\" 没有测试用例", rule.id),
                "untested");
  }
  if (rule.when) linter.cond(rule, *rule.when, nullptr);
  if (rule.formula) linter.rates(rule, *rule.formula, false);
  if (rule.cap) linter.rates(rule, *rule.cap, false);
  if (rule.up_to) linter.rates(rule, *rule.up_to, false);
  for (const Payer& payer : rule.payers) {
    if (payer.kind == Payer::Kind::Formula) linter.rates(rule, *payer.formula, false);
  }
  const Decimal* cap = rule.cap ? constant_number(*rule.cap) : nullptr;
  if (cap && cap->is_zero()) {
    linter.warn(rule, rule.cap->path,
                {"a cap of 0: the rule can never pay", "上限为 0：该规则永远不会支付"}, "zero-cap");
  }
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

}  // namespace

std::vector<Diagnostic> lint(const RuleSet& rules, const std::vector<TestCase>& cases, int year) {
  std::vector<Diagnostic> out;
  overlapping_documents(rules, out);
  Linter linter(rules, out);
  std::set<std::string> tested;
  tested_rules(rules, cases, tested, out);
  for (const Document& doc : rules.documents()) {
    validity(doc, year, out);
    for (const Rule& rule : doc.rules) lint_rule(linter, rule, tested);
  }
  return out;
}

}  // namespace subsidy
