#include "report/reason_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <span>

#include "report/render.h"
#include "report/text.h"

namespace subsidy {
namespace {

bool en(Lang lang) {
  return lang == Lang::En;
}

// What is in scope while a condition is described: the list whose item the fields belong to
// (inside a `has`), so that an item's field is named by the vocabulary and not by its key.
struct Scope {
  const Report& report;
  Lang lang;
  int list = -1;
};

// A vocabulary description cut to a name: "级别: 国家级、省级…" → "级别", "取得(认定、备案)的年份"
// → "取得的年份". Descriptions of item fields carry their allowed values and examples, which a
// reason does not repeat.
std::string short_name(const std::string& text) {
  std::string out;
  int depth = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::string_view rest(text.data() + i, text.size() - i);
    auto starts = [&](std::string_view s) { return rest.substr(0, s.size()) == s; };
    if (depth == 0 && (starts(":") || starts("："))) break;
    std::size_t n = starts("（") || starts("）") ? 3 : 1;
    if (starts("(") || starts("（")) ++depth;
    bool close = starts(")") || starts("）");
    if (depth == 0) out.append(text, i, n);
    if (close && depth > 0) --depth;
    i += n;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out.empty() ? text : out;
}

// The declaration of what an expression reads: a fact, or a field of the item in scope.
const FactDecl* subject_decl(const Expr& e, const Scope& s) {
  if (e.op == Op::Fact && e.as<FactRef>().fact >= 0) {
    return &fact_decl(s.report, e.as<FactRef>().fact);
  }
  int field = e.op == Op::Item ? e.as<ItemRef>().field : -1;
  if (s.list >= 0 && field >= 0) {
    const FactDecl& list = fact_decl(s.report, s.list);
    if (static_cast<std::size_t>(field) < list.fields.size())
      return &list.fields[static_cast<std::size_t>(field)];
  }
  return nullptr;
}

bool is_year(const FactDecl* d) {
  return d && d->type == FactType::Number && unit_info(d->unit).calendar;
}

std::string yes_no(bool b, Lang lang) {
  return en(lang) ? (b ? "yes" : "no") : (b ? "是" : "否");
}

// An enum value by its label ("省级", "provincial"); the value itself only if it has none.
std::string value_name(const FactDecl* d, const std::string& value, Lang lang) {
  if (value == "true" || value == "false") return yes_no(value == "true", lang);
  if (!d) return value;
  int i = d->value_index(value);
  if (i < 0) return value;
  const Text& label = d->label(static_cast<std::size_t>(i));
  return label.in(lang).empty() ? value : label.in(lang);
}

std::string or_join(std::span<const std::string> values, const FactDecl* d, Lang lang) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += i + 1 == values.size() ? (en(lang) ? " or " : "或") : (en(lang) ? ", " : "、");
    out += value_name(d, values[i], lang);
  }
  return out;
}

std::string describe_expr(const Expr& e, const Scope& s);

std::string name_of(const Expr& e, const Scope& s) {
  int year = s.report.profile->policy_year + read_year(e);
  bool per_year = e.op == Op::Fact ? e.as<FactRef>().per_year : e.as<ItemRef>().per_year;
  if (const FactDecl* d = subject_decl(e, s)) {
    if (e.op == Op::Item) {
      std::string name = short_name(en(s.lang) ? d->en : d->zh);
      if (!per_year) return name;
      return en(s.lang) ? fmt::format("{} ({})", name, year)
                        : fmt::format("{}（{}年）", name, year);
    }
    return fact_label(*d, per_year ? std::optional<int>(year) : std::nullopt, s.lang);
  }
  return std::string(read_name(e));
}

std::string describe_expr(const Expr& e, const Scope& s) {
  switch (e.op) {
    case Op::Fact:
    case Op::Item:
      return name_of(e, s);
    case Op::Ratio: {
      std::string a = describe_expr(*e.as<Ratio>().numerator, s);
      std::string b = describe_expr(*e.as<Ratio>().denominator, s);
      return en(s.lang) ? fmt::format("the ratio of {} to {}", a, b)
                        : fmt::format("{}占{}的比例", a, b);
    }
    case Op::Growth: {
      std::string a = describe_expr(*e.as<Growth>().current, s);
      std::string b = describe_expr(*e.as<Growth>().previous, s);
      return en(s.lang) ? fmt::format("growth of {} over {}", a, b)
                        : fmt::format("{}较{}的增长率", a, b);
    }
    case Op::Const:
      return e.as<Constant>().text;
    case Op::PolicyYear:
      return en(s.lang) ? "the policy year" : "政策年度";
    default:
      return en(s.lang) ? "the computed value" : "计算值";
  }
}

// A bound made of the policy year and whole constants (policy_year − 2 for a title still valid),
// as the calendar year it is for this profile; nullopt for anything else. Years are small, so
// plain integer arithmetic cannot overflow here.
std::optional<std::int64_t> calendar_year(const Expr& e, int policy_year) {
  switch (e.op) {
    case Op::PolicyYear:
      return policy_year;
    case Op::Const: {
      const Decimal* d = constant_number(e);
      if (!d || d->units() % Decimal::kOne != 0 || d->whole() < -3000 || d->whole() > 3000)
        return std::nullopt;
      return d->whole();
    }
    case Op::Add:
    case Op::Sub: {
      std::span<const Expr> args = e.as<Operands>().args;
      if (args.size() != 2) return std::nullopt;
      std::optional<std::int64_t> a = calendar_year(args[0], policy_year);
      std::optional<std::int64_t> b = calendar_year(args[1], policy_year);
      if (!a || !b) return std::nullopt;
      return e.op == Op::Add ? *a + *b : *a - *b;
    }
    default:
      return std::nullopt;
  }
}

// A comparison in words; years read as time ("不晚于 2023年"), amounts as size ("不低于 200万").
std::string compare_words(CmpOp op, bool year, Lang lang) {
  switch (op) {
    case CmpOp::AtLeast:
      return en(lang) ? (year ? "no earlier than " : "at least ") : (year ? "不早于" : "不低于");
    case CmpOp::MoreThan:
      return en(lang) ? (year ? "after " : "more than ") : (year ? "晚于" : "高于");
    case CmpOp::AtMost:
      return en(lang) ? (year ? "no later than " : "at most ") : (year ? "不晚于" : "不高于");
    case CmpOp::LessThan:
      return en(lang) ? (year ? "before " : "less than ") : (year ? "早于" : "低于");
    case CmpOp::Equals:
      return en(lang) ? (year ? "in " : "equal to ") : "为";
  }
  return "";
}

std::string year_text(std::int64_t year, Lang lang) {
  return en(lang) ? std::to_string(year) : fmt::format("{}年", year);
}

std::string describe_compare(const Cond& c, const Scope& s) {
  const FactDecl* d = subject_decl(*c.value(), s);
  std::string out = describe_expr(*c.value(), s);
  const std::vector<Comparison>& comparisons = c.as<Compare>().comparisons;
  for (const Comparison& cmp : comparisons) {
    std::optional<std::int64_t> year = calendar_year(*cmp.bound, s.report.profile->policy_year);
    bool as_year = is_year(d) && year;
    std::string bound = as_year ? year_text(*year, s.lang) : describe_expr(*cmp.bound, s);
    if (&cmp != &comparisons.front()) out += en(s.lang) ? " and" : "且";
    out += (en(s.lang) ? " " : "") + compare_words(cmp.op, as_year, s.lang) + bound;
  }
  return out;
}

std::string describe_cond(const Cond& c, const Scope& s);

std::string describe_has(const Cond& c, const Scope& s) {
  const Has& has = c.as<Has>();
  const FactDecl& list = fact_decl(s.report, has.list);
  std::string name = short_name(en(s.lang) ? list.en : list.zh);
  if (!has.where) return name;
  Scope inner{s.report, s.lang, has.list};
  return en(s.lang) ? fmt::format("{}: {}", name, describe_cond(*has.where, inner))
                    : fmt::format("{}：{}", name, describe_cond(*has.where, inner));
}

// An enum test on a field of an item names only the value: its label says what it is ("省级",
// "中华老字号"); elsewhere the fact is named too ("所属行业为工业").
std::string describe_values(const Cond& c, const Scope& s, const std::string& values) {
  const Expr& subject = *c.value();
  if (subject.op == Op::Item && subject_decl(subject, s)) return values;
  return en(s.lang) ? fmt::format("{} is {}", describe_expr(subject, s), values)
                    : fmt::format("{}为{}", describe_expr(subject, s), values);
}

// "A，B" for all of them and "A或B" for any; an any-group inside an all-group is bracketed, and
// an all-group inside an any-group joins with 且 ("（区级且等级数不低于2；或省级且…）"), so the
// grouping survives without nested brackets.
std::string describe_group(const Cond& c, const Scope& s, bool in_any = false) {
  bool all = c.op == CondOp::All;
  bool e = en(s.lang);
  std::span<const Cond> kids = c.as<Junction>().kids;
  bool any_of_groups = !all && std::any_of(kids.begin(), kids.end(),
                                           [](const Cond& k) { return k.op == CondOp::All; });
  std::string sep = all ? (in_any ? (e ? " and " : "且") : (e ? ", " : "，"))
                        : (any_of_groups ? (e ? "; or " : "；或") : (e ? " or " : "或"));
  std::string out;
  for (const Cond& kid : kids) {
    std::string text;
    if (kid.op == CondOp::All || kid.op == CondOp::Any) {
      text = describe_group(kid, s, !all);
      if (all && kid.op == CondOp::Any) text = e ? "(" + text + ")" : "（" + text + "）";
    } else {
      text = describe_cond(kid, s);
    }
    out += (out.empty() ? "" : sep) + text;
  }
  return out;
}

std::string describe_cond(const Cond& c, const Scope& s) {
  switch (c.op) {
    case CondOp::All:
    case CondOp::Any:
      return describe_group(c, s);
    case CondOp::Not:
      return (en(s.lang) ? "not: " : "不属于：") + describe_cond(*c.as<Not>().kid, s);
    case CondOp::Is: {
      const Scalar& is = c.as<Is>().is;
      if (const bool* b = std::get_if<bool>(&is)) {
        return fmt::format("{}{}{}", describe_expr(*c.value(), s), en(s.lang) ? ": " : "：",
                           yes_no(*b, s.lang));
      }
      return describe_values(
          c, s, value_name(subject_decl(*c.value(), s), std::get<std::string>(is), s.lang));
    }
    case CondOp::In:
      return describe_values(c, s, or_join(c.as<In>().in, subject_decl(*c.value(), s), s.lang));
    case CondOp::Compare:
      return describe_compare(c, s);
    case CondOp::Has:
      return describe_has(c, s);
  }
  return "";
}

// A value or bound as the failure carries it, named for a person: a year as a year, an enum by
// its label, true/false as yes/no.
std::string shown(const std::string& value, const FactDecl* d, Lang lang) {
  if (is_year(d) && !value.empty() && value.find('.') == std::string::npos) {
    return en(lang) ? value : value + "年";
  }
  return value_name(d, value, lang);
}

// The failure's bound, named for a person as shown() does; one the rule writes in 万 or 亿
// ("2000万") reads in plain digits in English, from its exact value.
std::string shown_bound(const Failure& f, const FactDecl* d, Lang lang) {
  if (en(lang) && f.bound &&
      (f.threshold.find("万") != std::string::npos ||
       f.threshold.find("亿") != std::string::npos)) {
    return d && unit_info(d->unit).money ? text::money(*f.bound) : text::grouped(*f.bound);
  }
  return shown(f.threshold, d, lang);
}

// "未担任：种粮主体" / "Not a grain grower": the rule's roles, none of which the applicant holds.
std::string roles_failure(const Failure& f, Lang lang) {
  std::span<const std::string> wanted = f.choices;
  if (!en(lang)) return "未担任：" + role_list(wanted, lang);
  const ApplicantTerm* t = wanted.size() == 1 ? role_term(wanted[0]) : nullptr;
  if (t) return std::string(t->not_held_en);
  return "Holds none of the roles: " + role_list(wanted, lang);
}

std::string explain_is_in(const Failure& f, const Scope& s, const std::string& subject) {
  const FactDecl* d = f.subject ? subject_decl(*f.subject, s) : nullptr;
  std::string actual = shown(f.actual, d, s.lang);
  std::string wanted =
      f.relation == Relation::In ? or_join(f.choices, d, s.lang) : shown(f.threshold, d, s.lang);
  return en(s.lang) ? fmt::format("{}: {}, required: {}", subject, actual, wanted)
                    : fmt::format("{}：{}，要求为{}", subject, actual, wanted);
}

// "没有符合条件的…": no item of the list meets the condition on its items (or the list is empty).
std::string has_failure(const Failure& f, const Report& report, Lang lang) {
  const Has& has = f.cond->as<Has>();
  const FactDecl& list = fact_decl(report, has.list);
  std::string name = short_name(en(lang) ? list.en : list.zh);
  if (!has.where) {
    return en(lang) ? fmt::format("none given: {}", name) : fmt::format("没有：{}", name);
  }
  std::string what = describe_cond(*has.where, Scope{report, lang, has.list});
  return en(lang) ? fmt::format("no matching item in “{}” ({})", name, what)
                  : fmt::format("没有符合条件的{}（{}）", name, what);
}

}  // namespace

const FactDecl& fact_decl(const Report& report, int fact) {
  return fact_decl_of(report.rules->vocabulary(), fact);
}

std::string fact_label(const FactDecl& decl, std::optional<int> year, Lang lang) {
  std::string name = en(lang) ? decl.en : decl.zh;
  if (!year) return name;
  return en(lang) ? fmt::format("{} ({})", name, *year) : fmt::format("{}（{}年）", name, *year);
}

std::string item_field_label(const FactDecl& list, int item, int field, std::optional<int> year,
                             Lang lang) {
  const FactDecl& f = list.fields[static_cast<std::size_t>(field)];
  std::string name = short_name(en(lang) ? f.en : f.zh);
  std::string whole = short_name(en(lang) ? list.en : list.zh);
  std::string out = en(lang) ? fmt::format("{} of {} #{}", name, whole, item + 1)
                             : fmt::format("{}第{}项的{}", whole, item + 1, name);
  if (!year) return out;
  return en(lang) ? fmt::format("{} ({})", out, *year) : fmt::format("{}（{}年）", out, *year);
}

std::string describe_condition(const Cond& cond, const Report& report, Lang lang) {
  return describe_cond(cond, Scope{report, lang});
}

std::string explain_failure(const Failure& f, const Report& report, Lang lang) {
  Scope s{report, lang};
  std::string subject = f.subject ? describe_expr(*f.subject, s) : "";
  const FactDecl* d = f.subject ? subject_decl(*f.subject, s) : nullptr;
  switch (f.relation) {
    case Relation::Bracket: {
      std::string lowest =
          compare_words(f.inclusive ? CmpOp::AtLeast : CmpOp::MoreThan, false, lang) +
          shown_bound(f, d, lang);
      return en(lang)
                 ? fmt::format("{} is {}, below the lowest bracket ({})", subject, f.actual, lowest)
                 : fmt::format("{}为 {}，未达到最低档（{}）", subject, f.actual, lowest);
    }
    case Relation::ZeroDenominator:
      return en(lang) ? fmt::format("{}: cannot be computed, the denominator is zero", subject)
                      : fmt::format("{}：分母为零，无法计算", subject);
    case Relation::NoGrowthBase:
      return en(lang) ? fmt::format("{}: no growth rate, the base year is {}", subject, f.actual)
                      : fmt::format("{}：基期为 {}，无法计算增长率", subject, f.actual);
    case Relation::ZeroAmount:
      return en(lang) ? fmt::format("the amount computes to {}", f.actual)
                      : fmt::format("按公式计算的金额为 {}", f.actual);
    case Relation::Roles:
      return roles_failure(f, lang);
    case Relation::Case:
      return en(lang) ? "none of the cases the text pays applies" : "不属于原文给予补助的任何情形";
    case Relation::Lookup:
      return en(lang) ? fmt::format("{} is {}, which the text does not pay for (it pays for {})",
                                    subject, shown(f.actual, d, lang), or_join(f.choices, d, lang))
                      : fmt::format("{}为{}，不在补助范围内（补助范围：{}）", subject,
                                    shown(f.actual, d, lang), or_join(f.choices, d, lang));
    case Relation::Has:
      if (f.cond) return has_failure(f, report, lang);
      break;
    case Relation::Not: {
      std::string what = f.cond ? describe_cond(*f.cond->as<Not>().kid, s) : "";
      return en(lang) ? fmt::format("excluded because: {}", what)
                      : fmt::format("因以下情形不适用：{}", what);
    }
    case Relation::Is:
    case Relation::In:
      return explain_is_in(f, s, subject);
    default:
      break;
  }
  std::string bound =
      compare_words(comparison_of(f.relation).value_or(CmpOp::Equals), is_year(d), lang) +
      shown_bound(f, d, lang);
  return en(lang) ? fmt::format("{} is {}, required: {}", subject, shown(f.actual, d, lang), bound)
                  : fmt::format("{}为 {}，要求{}", subject, shown(f.actual, d, lang), bound);
}

std::string explain_missing(const Missing& m, const Report& report, Lang lang) {
  const FactDecl& decl = fact_decl(report, m.fact);
  if (m.item >= 0) {
    const FactDecl& field = decl.fields[static_cast<std::size_t>(m.field)];
    std::string name = fact_label(field, m.year, lang);
    return en(lang) ? fmt::format("missing: {} of {} #{}", name, decl.en, m.item + 1)
                    : fmt::format("缺少：{}第{}项的{}", decl.zh, m.item + 1, name);
  }
  return (en(lang) ? "missing: " : "缺少：") + fact_label(decl, m.year, lang);
}

}  // namespace subsidy
