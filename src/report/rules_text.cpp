#include "report/rules_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/coverage.h"
#include "core/region.h"
#include "report/render.h"
#include "report/text.h"

namespace subsidy {
namespace {

bool en(Lang lang) {
  return lang == Lang::En;
}

std::string year_text(int offset) {
  if (offset == 0) return "Y";
  return offset > 0 ? fmt::format("Y+{}", offset) : fmt::format("Y{}", offset);
}

std::string bound_text(const Bound& b, bool lower) {
  CmpOp op = lower ? (b.inclusive ? CmpOp::AtLeast : CmpOp::MoreThan)
                   : (b.inclusive ? CmpOp::AtMost : CmpOp::LessThan);
  return fmt::format("{} {}", cmp_info(op).symbol, b.display);
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : std::string(sep)) + p;
  return out;
}

// The name an operator's notation writes: its key in kOps.
std::string_view op_name(Op op) {
  std::string_view key = op_key(op);
  return key.empty() ? "?" : key;
}

std::string amount_kind_text(AmountKind kind, Lang lang) {
  const AmountKindInfo& k = amount_kind_info(kind);
  return std::string(en(lang) ? k.en : k.zh);
}

bool applies_to_region(const Document& doc, const RuleSet& rules, const std::string& region) {
  return region.empty() || covers(doc, rules, region);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

namespace {

std::string brackets_text(const Expr& e, const Vocabulary& vocabulary, const FactDecl* list) {
  const Brackets& node = e.as<Brackets>();
  std::vector<std::string> rows;
  for (const Bracket& b : node.rows) {
    std::vector<std::string> bounds;
    if (b.lower) bounds.push_back(bound_text(*b.lower, true));
    if (b.upper) bounds.push_back(bound_text(*b.upper, false));
    rows.push_back(
        fmt::format("{} → {}", join(bounds, " and "), expr_text(*b.then, vocabulary, list)));
  }
  return fmt::format("{}({}: {})", op_name(e.op), expr_text(*node.of, vocabulary, list),
                     join(rows, "; "));
}

std::string marginal_text(const Expr& e, const Vocabulary& vocabulary, const FactDecl* list) {
  const Marginal& node = e.as<Marginal>();
  std::vector<std::string> rows;
  for (const Band& band : node.bands) {
    std::string rate = expr_text(*band.rate, vocabulary, list);
    rows.push_back(band.up_to ? fmt::format("up to {}: {}", band.up_to_display, rate)
                              : fmt::format("above: {}", rate));
  }
  return fmt::format("{}({}: {})", op_name(e.op), expr_text(*node.of, vocabulary, list),
                     join(rows, "; "));
}

std::string lookup_text(const Expr& e, const Vocabulary& vocabulary, const FactDecl* list) {
  const Lookup& node = e.as<Lookup>();
  std::vector<std::string> rows;
  for (std::size_t i = 0; i < node.keys.size(); ++i) {
    rows.push_back(node.keys[i] + " → " + expr_text(*node.values[i], vocabulary, list));
  }
  return fmt::format("{}({}: {})", op_name(e.op), expr_text(*node.key, vocabulary, list),
                     join(rows, "; "));
}

// sum and count over a list fact: their terms read the list's fields.
std::string items_text(const Expr& e, const Vocabulary& vocabulary) {
  const Aggregate& node = e.as<Aggregate>();
  const FactDecl& items = vocabulary.facts[static_cast<std::size_t>(node.list)];
  std::string where = node.where ? " where " + cond_text(*node.where, vocabulary, &items) : "";
  if (notation(e.op) == Notation::Count) {
    return fmt::format("{}({}{})", op_name(e.op), items.name, where);
  }
  std::string value = expr_text(*node.value, vocabulary, &items);
  if (node.item_cap) {
    value = fmt::format("{}({}, {})", op_name(Op::Min), value,
                        expr_text(*node.item_cap, vocabulary, &items));
  }
  return fmt::format("{}({} of {}{})", op_name(e.op), value, items.name, where);
}

std::string case_text(const Expr& e, const Vocabulary& vocabulary, const FactDecl* list) {
  const Case& node = e.as<Case>();
  std::vector<std::string> rows;
  for (const Branch& b : node.branches) {
    rows.push_back(fmt::format("if {} then {}", cond_text(*b.when, vocabulary, list),
                               expr_text(*b.then, vocabulary, list)));
  }
  if (node.otherwise) rows.push_back("else " + expr_text(*node.otherwise, vocabulary, list));
  return fmt::format("{}({})", op_name(e.op), join(rows, "; "));
}

template <class R>
std::string name_text(const R& read) {
  return read.per_year ? fmt::format("{}[{}]", read.name, year_text(read.year)) : read.name;
}

}  // namespace

// One case per notation (kOpPrinters), not per operator: operators of one shape print alike.
std::string expr_text(const Expr& e, const Vocabulary& vocabulary, const FactDecl* list) {
  switch (notation(e.op)) {
    case Notation::Literal:
      return e.as<Constant>().text;
    case Notation::Name:
      return e.op == Op::Fact ? name_text(e.as<FactRef>()) : name_text(e.as<ItemRef>());
    case Notation::Year:
      return "Y";
    case Notation::Call: {
      std::vector<std::string> parts;
      for_each_part(
          e, [&](const Expr& a) { parts.push_back(expr_text(a, vocabulary, list)); },
          [](const Cond&) {});
      return fmt::format("{}({})", op_name(e.op), join(parts, ", "));
    }
    case Notation::Brackets:
      return brackets_text(e, vocabulary, list);
    case Notation::Steps:
      return fmt::format("{}({} per full {})", op_name(e.op),
                         expr_text(*e.as<Steps>().of, vocabulary, list), e.as<Steps>().size_text);
    case Notation::Bands:
      return marginal_text(e, vocabulary, list);
    case Notation::Sum:
    case Notation::Count:
      return items_text(e, vocabulary);
    case Notation::Branches:
      return case_text(e, vocabulary, list);
    case Notation::Table:
      return lookup_text(e, vocabulary, list);
    case Notation::Round:
      return fmt::format("{}({}, {} to {})", op_name(e.op),
                         expr_text(*e.as<Round>().of, vocabulary, list),
                         rounding_name(e.as<Round>().mode), e.as<Round>().unit.str());
  }
  return "?";
}

std::string cond_text(const Cond& c, const Vocabulary& vocabulary, const FactDecl* list) {
  switch (c.op) {
    case CondOp::All:
    case CondOp::Any: {
      std::vector<std::string> parts;
      for (const Cond& kid : c.as<Junction>().kids) {
        parts.push_back(cond_text(kid, vocabulary, list));
      }
      return "(" + join(parts, c.op == CondOp::All ? " and " : " or ") + ")";
    }
    case CondOp::Not:
      return "not " + cond_text(*c.as<Not>().kid, vocabulary, list);
    case CondOp::Compare: {
      std::vector<std::string> parts;
      for (const Comparison& cmp : c.as<Compare>().comparisons) {
        std::string_view sym = cmp_info(cmp.op).symbol;
        parts.push_back(fmt::format("{} {} {}", expr_text(*c.value(), vocabulary, list), sym,
                                    expr_text(*cmp.bound, vocabulary, list)));
      }
      return join(parts, " and ");
    }
    case CondOp::Is: {
      const Scalar& is = c.as<Is>().is;
      std::string value = std::holds_alternative<bool>(is) ? (std::get<bool>(is) ? "true" : "false")
                                                           : std::get<std::string>(is);
      return fmt::format("{} is {}", expr_text(*c.value(), vocabulary, list), value);
    }
    case CondOp::In:
      return fmt::format("{} in {{{}}}", expr_text(*c.value(), vocabulary, list),
                         join(c.as<In>().in, ", "));
    case CondOp::Has: {
      const Has& has = c.as<Has>();
      const FactDecl& items = vocabulary.facts[static_cast<std::size_t>(has.list)];
      if (!has.where) return fmt::format("has {}", items.name);
      return fmt::format("has {} where {}", items.name, cond_text(*has.where, vocabulary, &items));
    }
  }
  return "?";
}

std::vector<RuleRef> select_rules(const RuleSet& rules, const RuleFilter& filter) {
  std::vector<RuleRef> out;
  for (const Document& doc : rules.documents()) {
    if (!applies_to_region(doc, rules, filter.region)) continue;
    for (const Rule& rule : doc.rules) {
      if (filter.category && rule.category != filter.category) continue;
      if (!filter.search.empty() &&
          !(contains(rule.id, filter.search) || contains(rule.title.zh, filter.search) ||
            contains(rule.title.en, filter.search) || contains(rule.quote, filter.search) ||
            contains(doc.number, filter.search))) {
        continue;
      }
      out.push_back({&doc, &rule});
    }
  }
  return out;
}

std::string render_rule_list(const RuleSet& rules, const RuleFilter& filter, Lang lang) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back(en(lang)
                     ? std::vector<std::string>{"Rule", "Document", "Article", "Title", "Amount"}
                     : std::vector<std::string>{"规则", "文件", "条款", "政策", "金额类型"});
  for (const RuleRef& r : select_rules(rules, filter)) {
    rows.push_back({r.rule->id, r.document->number, r.rule->article, r.rule->title.in(lang),
                    amount_kind_text(r.rule->kind, lang)});
  }
  std::string out = text::table(rows, {false, false, false, false, false}, {40, 24, 8, 44, 12});
  out += en(lang) ? fmt::format("{} rules\n", rows.size() - 1)
                  : fmt::format("共 {} 条规则\n", rows.size() - 1);
  return out;
}

nlohmann::ordered_json rule_summary_json(const Document& doc, const Rule& rule) {
  nlohmann::ordered_json j;
  j["id"] = rule.id;
  j["document"] = doc.id;
  j["document_number"] = doc.number;
  j["region"] = doc.region.code;
  j["article"] = rule.article;
  j["title_zh"] = rule.title.zh;
  j["title_en"] = rule.title.en;
  j["category"] = std::string(rule.category->id);
  j["category_zh"] = category_label(*rule.category, Lang::Zh);
  j["category_en"] = category_label(*rule.category, Lang::En);
  j["benefit"] = std::string(benefit_info(rule.benefit).key);
  j["amount_zh"] = amount_kind_text(rule.kind, Lang::Zh);
  j["amount_en"] = amount_kind_text(rule.kind, Lang::En);
  return j;
}

std::string render_rule_list_json(const RuleSet& rules, const RuleFilter& filter) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const RuleRef& r : select_rules(rules, filter))
    list.push_back(rule_summary_json(*r.document, *r.rule));
  nlohmann::ordered_json j;
  j["rules_version"] = rules.version();
  j["count"] = list.size();
  j["rules"] = std::move(list);
  return j.dump(2) + "\n";
}

std::string render_rule_json(const RuleSet& rules, const std::string& id, Lang lang) {
  for (const Document& doc : rules.documents()) {
    for (const Rule& rule : doc.rules) {
      if (rule.id != id) continue;
      nlohmann::ordered_json j = rule_summary_json(doc, rule);
      j["quote"] = rule.quote;
      j["text"] = render_rule(rules, id, lang);
      return j.dump(2) + "\n";
    }
  }
  return "";
}

namespace {

// A name for people with the id beside it, for a reader who writes rule files ("技术改造
// (technical_upgrade)"); the id alone where the name is the id.
std::string labelled(const std::string& label, const std::string& id) {
  return label == id ? id : fmt::format("{} ({})", label, id);
}

}  // namespace

namespace {

// The rule's head: title, document, quote, whom it pays and the condition.
std::string rule_head(const Document& doc, const Rule& rule, const Vocabulary& v, Lang lang) {
  std::string out;
  out += fmt::format("{}  {}\n", rule.id, rule.title.in(lang));
  out += fmt::format("{}: {} {}, {} {}\n", en(lang) ? "Document" : "文件", doc.number, doc.title,
                     en(lang) ? "article" : "条款", rule.article);
  out += fmt::format("{}: {}\n", en(lang) ? "Quote" : "原文", rule.quote);
  std::vector<std::string> applicants;
  for (const std::string& form : rule.applicants)
    applicants.push_back(labelled(form_label(form, lang), form));
  out += fmt::format("{}: {}   {}: {}\n", en(lang) ? "Category" : "类别",
                     labelled(category_label(*rule.category, lang), std::string(rule.category->id)),
                     en(lang) ? "Applicants" : "申请主体", join(applicants, ", "));
  if (!rule.roles.empty()) {
    std::vector<std::string> roles;
    for (const std::string& role : rule.roles)
      roles.push_back(labelled(role_label(role, lang), role));
    out += fmt::format("{}: {}\n", en(lang) ? "Roles (one of)" : "身份（任一）", join(roles, ", "));
  }
  if (rule.when)
    out += fmt::format("{}: {}\n", en(lang) ? "Condition" : "条件", cond_text(*rule.when, v));
  return out;
}

// The amount: its kind, formula, cap, bound and rounding, and who pays it.
std::string rule_amount(const Document& doc, const Rule& rule, const Vocabulary& v, Lang lang) {
  std::string out =
      fmt::format("{}: {}\n", en(lang) ? "Amount" : "金额", amount_kind_text(rule.kind, lang));
  if (rule.formula)
    out += fmt::format("{}: {}\n", en(lang) ? "Formula" : "公式", expr_text(*rule.formula, v));
  if (rule.cap) out += fmt::format("{}: {}\n", en(lang) ? "Cap" : "上限", expr_text(*rule.cap, v));
  if (rule.kind == AmountKind::UpperBound) {
    out += fmt::format("{}: {}\n", en(lang) ? "Up to" : "最高", expr_text(*rule.up_to, v));
  }
  if (rule.formula) {
    out += fmt::format("{}: {} {}\n", en(lang) ? "Rounding" : "舍入", rounding_name(rule.rounding),
                       rule.rounding_unit.str());
  }
  for (const Payer& p : rule.payers) {
    std::string how = p.kind == Payer::Kind::Rest    ? (en(lang) ? "the rest" : "其余部分")
                      : p.kind == Payer::Kind::Share ? p.share.str()
                                                     : expr_text(*p.formula, v);
    out += fmt::format("{}: {} — {}\n", en(lang) ? "Payer" : "出资方",
                       labelled(payer_label(p.payer, doc, lang), p.payer), how);
  }
  return out;
}

}  // namespace

std::string render_rule(const RuleSet& rules, const std::string& id, Lang lang) {
  for (const Document& doc : rules.documents()) {
    for (const Rule& rule : doc.rules) {
      if (rule.id != id) continue;
      std::string out = rule_head(doc, rule, rules.vocabulary(), lang);
      out += rule_amount(doc, rule, rules.vocabulary(), lang);
      for (const Group& g : doc.groups) {
        if (std::find(g.rules.begin(), g.rules.end(), rule.id) != g.rules.end()) {
          out +=
              fmt::format("{}: {} ({}: {}) — {}\n", en(lang) ? "Not combined with" : "不重复享受",
                          g.id, group_mode_key(g.mode), join(g.rules, ", "), g.quote);
        }
      }
      if (!rule.interpretations.empty()) {
        out += en(lang) ? "Interpretations:\n" : "解读：\n";
        for (const Text& note : rule.interpretations) out += "  - " + note.in(lang) + "\n";
      }
      return out;
    }
  }
  return "";
}

namespace {

// Whom a rule pays, by name, for the coverage ledger: "企业、家庭农场; 种粮主体".
std::string whom(const Rule& r) {
  std::vector<std::string> forms;
  for (const std::string& f : r.applicants) forms.push_back(form_label(f, Lang::Zh));
  std::string out = join(forms, "、");
  if (!r.roles.empty()) out += "; " + role_list(r.roles, Lang::Zh);
  return out;
}

}  // namespace

std::string render_coverage(const RuleSet& rules) {
  std::string out =
      "# Coverage ledger\n\n"
      "Generated by `subsidy rules --coverage` from the rule files; a test fails when this file\n"
      "and the rules disagree. Every numbered article of every document appears exactly once, in\n"
      "order, as **encoded** (rules with an exact or minimum amount), **amount unspecified** "
      "(rules\n"
      "that establish eligibility, or only a maximum) or **not payable** (with the reason).\n\n"
      "| document | articles | encoded | amount unspecified | not payable | rules |\n"
      "|---|---:|---:|---:|---:|---:|\n";
  std::string body;
  for (const Document& doc : rules.documents()) {
    std::string rows;
    for (const Article& a : doc.articles) {
      std::vector<std::string> exact, open;
      for (const Rule& r : doc.rules) {
        if (r.article != a.number) continue;
        (states_amount(r) ? exact : open).push_back("`" + r.id + "` (" + whom(r) + ")");
      }
      std::string disposition;
      if (!a.not_payable.empty()) {
        disposition = "not payable: " + a.not_payable;
      } else if (!exact.empty()) {
        disposition = "encoded: " + join(exact, ", ");
        if (!open.empty()) disposition += "; amount unspecified: " + join(open, ", ");
      } else {
        disposition = "amount unspecified: " + join(open, ", ");
      }
      rows += fmt::format("| {} | {} | {} |\n", a.number, a.title, disposition);
    }
    DocumentCoverage c = document_coverage(doc);
    out += fmt::format("| {} {} | {} | {} | {} | {} | {} |\n", doc.number, doc.region.name,
                       c.articles, c.encoded, c.unspecified, c.not_payable, c.rules);
    body += fmt::format(
        "\n## {} {}\n\n{}\n\nValid {}-{:02}-{:02} to {}-{:02}-{:02}. Rule file `{}`.\n\n",
        doc.number, doc.region.name, doc.title, doc.valid_from.year, doc.valid_from.month,
        doc.valid_from.day, doc.valid_to.year, doc.valid_to.month, doc.valid_to.day, doc.file);
    body += "| article | title | disposition |\n|---|---|---|\n" + rows;
  }
  return out + body;
}

std::string render_payer_table() {
  std::string out = "| id | 中文 | English | use when the text says |\n|---|---|---|---|\n";
  for (const PayerInfo& p : kPayers)
    out += fmt::format("| `{}` | {} | {} | {} |\n", p.id, p.zh, p.en, p.use);
  return out;
}

}  // namespace subsidy
