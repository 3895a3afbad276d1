#include "report/render.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "core/csv.h"
#include "core/region.h"
#include "report/html.h"
#include "report/reason_text.h"
#include "report/rules_text.h"
#include "report/text.h"
#include "report/unread_text.h"

namespace subsidy {
namespace {

bool en(Lang lang) {
  return lang == Lang::En;
}

std::string amount_kind_name(AmountKind kind) {
  return std::string(amount_kind_info(kind).key);
}

std::string amount_text(const RuleResult& rr, Lang lang) {
  const Rule& rule = *rr.rule;
  if (rr.status == Status::Eligible || rr.status == Status::Excluded) {
    std::string m = text::money(rr.amount);
    if (rr.at_least()) m = (en(lang) ? "at least " : "不低于") + m;
    // Not combined with a rule that pays more (就高): shown, but not part of any total.
    if (rr.status == Status::Excluded) m += en(lang) ? " (not counted)" : "（不计入）";
    return m;
  }
  if (rr.status == Status::EligibleUnspecified) {
    if (rule.kind == AmountKind::UpperBound) {
      // A constant as the text writes it ("300万"); a formula as computed for this profile.
      // Not an amount: the text gives only a ceiling, so it is never read as part of the total.
      bool as_written =
          rule.up_to->op == Op::Const && !rule.up_to->as<Constant>().text.empty() && !en(lang);
      std::string m =
          as_written ? rule.up_to->as<Constant>().text : text::money(rr.up_to.value_or(Decimal()));
      return en(lang) ? "amount not specified (up to " + m + ")" : "金额未定（最高" + m + "）";
    }
    return en(lang) ? "amount not specified" : "金额未定";
  }
  return "";
}

// `explain`'s line on whom the rule pays: its forms and roles, and this applicant's, each ✓ or ✗
// (? for roles the profile does not give).
std::string applicant_line(const Rule& rule, const Profile& p, Lang lang) {
  bool form_ok = rule.applicant_mask & form_bit(p.form);
  std::string forms;
  for (const std::string& f : rule.applicants)
    forms += (forms.empty() ? "" : en(lang) ? ", " : "、") + form_label(f, lang);
  std::string out = en(lang) ? fmt::format("Applicants: {}; this applicant: {} {}\n", forms,
                                           form_label(p.form, lang), form_ok ? "✓" : "✗")
                             : fmt::format("申请主体：{}；本主体：{} {}\n", forms,
                                           form_label(p.form, lang), form_ok ? "✓" : "✗");
  if (rule.roles.empty()) return out;
  std::string mark = !p.roles ? "?" : (rule.role_mask & p.role_mask) ? "✓" : "✗";
  out += en(lang) ? fmt::format("Roles (one of): {}; this applicant: {} {}\n",
                                role_list(rule.roles, lang), roles_label(p.roles, lang), mark)
                  : fmt::format("身份（任一）：{}；本主体：{} {}\n", role_list(rule.roles, lang),
                                roles_label(p.roles, lang), mark);
  return out;
}

std::string reasons(const RuleResult& rr, const Report& report, Lang lang) {
  std::string out;
  auto add = [&](const std::string& s) {
    out += (out.empty() ? "" : (en(lang) ? "; " : "；")) + s;
  };
  for (const Failure& f : rr.failures) add(explain_failure(f, report, lang));
  for (const Missing& m : rr.missing) add(explain_missing(m, report, lang));
  if (rr.status == Status::Excluded) {
    add(en(lang) ? fmt::format("not combined: {} pays more (group {})", rr.excluded_by, rr.group)
                 : fmt::format("不重复享受：按就高原则由 {} 补助（{}）", rr.excluded_by, rr.group));
  }
  if (rr.status == Status::Error) add(rr.error->in(lang));
  if (rr.cap_applied && rr.cap) {
    add(en(lang) ? fmt::format("capped at {}", text::money(*rr.cap))
                 : fmt::format("已按上限 {} 封顶", text::money(*rr.cap)));
  }
  return out;
}

nlohmann::ordered_json rule_json(const RuleResult& rr, const Report& report, Lang lang) {
  const Rule& rule = *rr.rule;
  nlohmann::ordered_json j;
  j["id"] = rule.id;
  j["title"] = {{"zh", rule.title.zh}, {"en", rule.title.en}};
  j["article"] = rule.article;
  j["category"] = std::string(rule.category->id);
  j["status"] = status_name(rr.status);
  if (rr.status == Status::NotEligible)
    j["concerns_applicant"] = concerns_applicant(rr, report.rules->vocabulary());
  j["amount_kind"] = amount_kind_name(rule.kind);
  if (!rule.grant()) j["benefit"] = benefit_info(rule.benefit).key;
  if (rr.status == Status::Eligible || rr.status == Status::Excluded) {
    j["amount"] = rr.amount.fixed(2);
    j["at_least"] = rr.at_least();
    if (rr.cap) j["cap"] = rr.cap->fixed(2);
    j["cap_applied"] = rr.cap_applied;
    nlohmann::ordered_json payers = nlohmann::ordered_json::array();
    for (const PayerAmount& pa : rr.payers) {
      payers.push_back({{"payer", pa.payer}, {"amount", pa.amount.fixed(2)}});
    }
    if (!rr.payers.empty()) j["payers"] = payers;
  }
  if (rule.kind == AmountKind::UpperBound && rr.status == Status::EligibleUnspecified) {
    j["up_to"] = rr.up_to.value_or(Decimal()).fixed(2);
  }
  if (!rr.failures.empty()) {
    nlohmann::ordered_json fails = nlohmann::ordered_json::array();
    for (const Failure& f : rr.failures) {
      nlohmann::ordered_json jf;
      jf["relation"] = std::string(relation_id(f.relation));
      if (!f.actual.empty()) jf["actual"] = f.actual;
      if (!f.threshold.empty()) {
        jf["threshold"] = f.threshold;
        jf["inclusive"] = f.inclusive;
      }
      jf["message"] = explain_failure(f, report, lang);
      fails.push_back(jf);
    }
    j["failures"] = fails;
  }
  if (!rr.missing.empty()) {
    nlohmann::ordered_json miss = nlohmann::ordered_json::array();
    for (const Missing& m : rr.missing) {
      nlohmann::ordered_json jm;
      jm["fact"] = fact_decl(report, m.fact).name;
      if (m.item >= 0) {
        jm["item"] = m.item;
        jm["field"] = fact_decl(report, m.fact).fields[static_cast<std::size_t>(m.field)].name;
      }
      if (m.year) jm["year"] = *m.year;
      jm["message"] = explain_missing(m, report, lang);
      miss.push_back(jm);
    }
    j["missing"] = miss;
  }
  if (rr.status == Status::Excluded) {
    j["excluded_by"] = rr.excluded_by;
    j["group"] = rr.group;
  }
  if (rr.status == Status::Error) j["error"] = rr.error->in(lang);
  j["quote"] = rule.quote;
  if (!rule.interpretations.empty()) {
    nlohmann::ordered_json notes = nlohmann::ordered_json::array();
    for (const Text& note : rule.interpretations) notes.push_back(note.in(lang));
    j["interpretations"] = notes;
  }
  if (!rr.trace.empty()) {
    nlohmann::ordered_json trace = nlohmann::ordered_json::array();
    for (const TraceStep& t : rr.trace) {
      trace.push_back({{"step", step_kind_info(t.step).key}, {"detail", t.detail.in(lang)}});
    }
    j["trace"] = trace;
  }
  return j;
}

// One document of the JSON report: its totals, payer split, counts and rules.
nlohmann::ordered_json document_json(const DocumentResult& dr, const Report& report, Lang lang) {
  const Document& d = *dr.document;
  nlohmann::ordered_json jd;
  jd["id"] = d.id;
  jd["number"] = d.number;
  jd["title"] = d.title;
  jd["region"] = d.region.code;
  jd["in_force"] = dr.in_force;
  if (!dr.in_force) {
    jd["reason"] = en(lang)
                       ? fmt::format(
                             "not in force in {} (valid {}-{:02}-{:02} to "
                             "{}-{:02}-{:02})",
                             report.profile->policy_year, d.valid_from.year, d.valid_from.month,
                             d.valid_from.day, d.valid_to.year, d.valid_to.month, d.valid_to.day)
                       : fmt::format(
                             "{}年不在有效期内（有效期 {}-{:02}-{:02} 至 "
                             "{}-{:02}-{:02}）",
                             report.profile->policy_year, d.valid_from.year, d.valid_from.month,
                             d.valid_from.day, d.valid_to.year, d.valid_to.month, d.valid_to.day);
  }
  jd["total"] = dr.total.fixed(2);
  jd["total_is_floor"] = dr.total_is_floor;
  jd["tax_relief"] = dr.tax_relief.fixed(2);
  jd["fee_reduction"] = dr.fee_reduction.fixed(2);
  if (!d.notes.empty()) {
    nlohmann::ordered_json notes = nlohmann::ordered_json::array();
    for (const DocumentNote& n : d.notes) {
      notes.push_back({{"quote", n.quote}, {"text", n.text.in(lang)}});
    }
    jd["notes"] = notes;
  }
  nlohmann::ordered_json payers = nlohmann::ordered_json::object();
  for (const auto& [payer, amount] : dr.by_payer) payers[payer] = amount.fixed(2);
  jd["by_payer"] = payers;
  jd["counts"] = {{"eligible", dr.eligible},
                  {"eligible_unspecified", dr.unspecified},
                  {"needs_info", dr.needs_info}};
  nlohmann::ordered_json rules = nlohmann::ordered_json::array();
  for (const RuleResult& rr : dr.rules) rules.push_back(rule_json(rr, report, lang));
  jd["rules"] = rules;
  return jd;
}

std::string render_json(const Report& report, Lang lang, const ReportExtras& extras) {
  const Profile& p = *report.profile;
  nlohmann::ordered_json j;
  j["format"] = "subsidy-report/1";
  j["generated"] = extras.stamp.date;
  j["rules_version"] = extras.stamp.rules_version;
  j["program_version"] = extras.stamp.program_version;
  j["disclaimer"] = disclaimer_text(lang);
  j["profile"] = {{"id", p.id},
                  {"name", p.name},
                  {"form", p.form},
                  {"roles", p.roles ? nlohmann::ordered_json(*p.roles) : nlohmann::ordered_json()},
                  {"region", p.region},
                  {"region_name", region_label(p.region, lang)},
                  {"policy_year", p.policy_year}};
  j["total"] = report.total.fixed(2);
  j["total_is_floor"] = report.total_is_floor;
  j["tax_relief"] = report.tax_relief.fixed(2);
  j["fee_reduction"] = report.fee_reduction.fixed(2);
  nlohmann::ordered_json docs = nlohmann::ordered_json::array();
  for (const DocumentResult& dr : report.documents) docs.push_back(document_json(dr, report, lang));
  j["documents"] = docs;
  nlohmann::ordered_json advice = nlohmann::ordered_json::array();
  for (const Advice& a : extras.advice) {
    const FactDecl& list = fact_decl(report, a.fact);
    const FactDecl& decl = a.item >= 0 ? list.fields[static_cast<std::size_t>(a.field)] : list;
    nlohmann::ordered_json ja;
    ja["rule"] = a.rule->id;
    ja["fact"] = list.name;
    if (a.item >= 0) {
      ja["item"] = a.item;
      ja["field"] = decl.name;
    }
    if (decl.per_year) ja["year"] = a.year;
    ja["from"] = a.from.str();
    ja["to"] = a.to.str();
    ja["pays"] = a.pays.fixed(2);
    if (a.paid_before) ja["pays_now"] = a.paid_before->fixed(2);
    ja["unlocked"] = a.unlocked.fixed(2);
    if (!a.worse.empty()) ja["pays_less"] = a.worse;
    ja["message"] = advice_text(a, report, lang);
    advice.push_back(ja);
  }
  j["advice"] = advice;
  nlohmann::ordered_json missing = nlohmann::ordered_json::array();
  for (const MissingFact& m : extras.missing) {
    nlohmann::ordered_json jm;
    jm["fact"] = fact_decl(report, m.fact).name;
    if (m.year) jm["year"] = *m.year;
    nlohmann::ordered_json ids = nlohmann::ordered_json::array();
    for (const Rule* r : m.rules) ids.push_back(r->id);
    jm["rules"] = ids;
    if (!m.unbounded) jm["at_most"] = m.at_most.fixed(2);
    jm["message"] = missing_fact_text(m, report, lang);
    missing.push_back(jm);
  }
  j["missing_facts"] = missing;
  nlohmann::ordered_json projections = nlohmann::ordered_json::array();
  for (const Projection& p : extras.projections) {
    nlohmann::ordered_json years = nlohmann::ordered_json::array();
    for (const auto& [year, amount] : p.years) {
      years.push_back({{"year", year},
                       {"amount", amount ? nlohmann::ordered_json(amount->fixed(2)) : nullptr}});
    }
    projections.push_back({{"rule", p.rule->id}, {"years", years}});
  }
  j["projections"] = projections;
  j["warnings"] = unread_facts_json(extras.unread, *report.rules, p.policy_year, lang);
  return j.dump(2) + "\n";
}

// One row per rule. `benefit` says what the amount is; the columns grant, tax_relief and
// fee_reduction hold the amount counted into that total (summing a column gives the total), so that
// a relief never adds up with the money paid.
std::string render_csv(const Report& report, Lang lang) {
  std::string out = "profile_id,document,rule_id,article,title,status,amount_kind,benefit,amount";
  for (const BenefitInfo& b : kBenefits) out += fmt::format(",{}", b.key);
  out += ",reason\n";
  for (const DocumentResult& dr : report.documents) {
    for (const RuleResult& rr : dr.rules) {
      if (rr.status == Status::NotApplicable) continue;
      std::string amount =
          rr.status == Status::Eligible || rr.status == Status::Excluded ? rr.amount.fixed(2) : "";
      std::vector<std::string> row = {report.profile->id,
                                      dr.document->number,
                                      rr.rule->id,
                                      rr.rule->article,
                                      rr.rule->title.in(lang),
                                      std::string(status_name(rr.status)),
                                      amount_kind_name(rr.rule->kind),
                                      std::string(benefit_info(rr.rule->benefit).key),
                                      amount};
      // Per kBenefits entry, the amount counted into its total: eligible amounts only.
      for (const BenefitInfo& b : kBenefits) {
        bool counted = rr.status == Status::Eligible && rr.rule->benefit == b.value;
        row.push_back(counted ? amount : "");
      }
      row.push_back(reasons(rr, report, lang));
      std::string line;
      // The amounts (from column 9 to the reason) are numbers; everything else is text.
      for (std::size_t i = 0; i < row.size(); ++i)
        line += (i ? "," : "") + csv::field(row[i], i >= 8 && i + 1 < row.size());
      out += line + "\n";
    }
  }
  return out;
}

// The benefit kinds other than grants (tax relief, fee reductions), in the order of kBenefits: what
// the reports list apart from the money paid, each with its own subtotal.
std::string upper_first(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::vector<Benefit> savings_kinds() {
  std::vector<Benefit> out;
  for (const BenefitInfo& b : kBenefits) {
    if (b.value != Benefit::Grant) out.push_back(b.value);
  }
  return out;
}

Decimal saving_total(const DocumentResult& dr, Benefit benefit) {
  return benefit == Benefit::TaxRelief ? dr.tax_relief : dr.fee_reduction;
}

Decimal saving_total(const Report& report, Benefit benefit) {
  return benefit == Benefit::TaxRelief ? report.tax_relief : report.fee_reduction;
}

std::string benefit_name(Benefit benefit, Lang lang) {
  const BenefitInfo& b = benefit_info(benefit);
  return std::string(en(lang) ? b.en : b.zh);
}

// "Tax relief subtotal (not in the total): ¥860,000.00" for each saving kind that is not zero.
std::string savings_subtotals(const DocumentResult& dr, Lang lang, std::string_view indent) {
  std::string out;
  for (Benefit b : savings_kinds()) {
    Decimal amount = saving_total(dr, b);
    if (amount.is_zero()) continue;
    out += en(lang) ? fmt::format("{}{} subtotal (not in the total of grants): {}\n", indent,
                                  upper_first(benefit_name(b, lang)), text::money(amount))
                    : fmt::format("{}{}小计（未计入资金奖补小计）：{}\n", indent,
                                  benefit_name(b, lang), text::money(amount));
  }
  return out;
}

// Under a document's tables: who pays, why each rule came out as it did, and how many rules are
// for other kinds of applicant.
// Whether a report for people lists the rule: not one for other legal forms, and, unless `all`,
// not one that does not concern the applicant.
bool listed(const RuleResult& rr, const Report& report, bool all) {
  return rr.status != Status::NotApplicable &&
         (all || concerns_applicant(rr, report.rules->vocabulary()));
}

// The one line that counts a document's rules left out as not concerning the applicant; empty
// when none are.
std::string unrelated_line(const DocumentResult& dr, const Report& report, bool all, Lang lang) {
  if (all) return "";
  std::size_t n = 0;
  for (const RuleResult& rr : dr.rules)
    n += rr.status != Status::NotApplicable && !listed(rr, report, all);
  if (n == 0) return "";
  return en(lang) ? fmt::format(
                        "{} more rule(s) do not concern this applicant (a title, role or "
                        "category it does not have): --all lists them",
                        n)
                  : fmt::format(
                        "另有 {} 项政策与本申请主体无关（缺少所需的称号、身份或类别）——"
                        "使用 --all 列出",
                        n);
}

std::string table_document_notes(const DocumentResult& dr, const Report& report, bool all,
                                 Lang lang) {
  const Document& d = *dr.document;
  std::string out;
  if (dr.by_payer.size() > 1 ||
      (dr.by_payer.size() == 1 && !dr.by_payer.contains(std::string(kIssuer)))) {
    std::string split;
    for (const auto& [payer, amount] : dr.by_payer) {
      split += (split.empty() ? "" : (en(lang) ? ", " : "，")) +
               fmt::format("{} {}", payer_label(payer, d, lang), text::money(amount));
    }
    out += (en(lang) ? "  Paid by: " : "  资金来源：") + split + "\n";
  }
  std::string why;
  int not_applicable = 0;
  for (const RuleResult& rr : dr.rules) {
    if (rr.status == Status::NotApplicable) {
      ++not_applicable;
      continue;
    }
    if (!listed(rr, report, all)) continue;
    std::string reason = reasons(rr, report, lang);
    if (reason.empty()) continue;
    // For people: the article and title, as in the table above (ids are in JSON and `explain`).
    why += en(lang) ? fmt::format("  - {} {} ({}): {}\n", text::article(rr.rule->article, lang),
                                  rr.rule->title.en, status_label(rr.status, lang), reason)
                    : fmt::format("  - {} {}（{}）：{}\n", text::article(rr.rule->article, lang),
                                  rr.rule->title.zh, status_label(rr.status, lang), reason);
  }
  if (!why.empty()) out += (en(lang) ? "  Why:\n" : "  说明：\n") + why;
  std::string unrelated = unrelated_line(dr, report, all, lang);
  if (!unrelated.empty()) out += "  " + unrelated + "\n";
  if (not_applicable > 0) {
    out +=
        en(lang)
            ? fmt::format("  ({} rules are for other legal forms of applicant.)\n", not_applicable)
            : fmt::format("  （另有 {} 项政策面向其他法律形式的申请主体。）\n", not_applicable);
  }
  return out;
}

// A document's rules in a terminal table: grants (the money paid) first, with their subtotal; then
// tax relief and fee reductions in a table of their own with their own subtotals, so that the
// amount column of the first table adds up to the subtotal.
std::string table_document(const DocumentResult& dr, const Report& report, bool all, Lang lang) {
  const Document& d = *dr.document;
  std::string out = fmt::format("\n{} {}\n", d.number, d.title);
  for (const DocumentNote& n : d.notes) {
    out += fmt::format("  {}{}（{}）\n", en(lang) ? "Note: " : "注：", n.text.in(lang), n.quote);
  }
  std::vector<std::vector<std::string>> cash, savings;
  cash.push_back(en(lang) ? std::vector<std::string>{"Article", "Rule", "Result", "Amount"}
                          : std::vector<std::string>{"条款", "政策", "结果", "金额"});
  savings.push_back(en(lang)
                        ? std::vector<std::string>{"Article", "Rule", "Kind", "Result", "Amount"}
                        : std::vector<std::string>{"条款", "政策", "类型", "结果", "金额"});
  for (const RuleResult& rr : dr.rules) {
    if (!listed(rr, report, all)) continue;
    std::vector<std::string> row = {text::article(rr.rule->article, lang), rr.rule->title.in(lang),
                                    status_label(rr.status, lang), amount_text(rr, lang)};
    if (!rr.rule->grant()) row.insert(row.begin() + 2, benefit_name(rr.rule->benefit, lang));
    (rr.rule->grant() ? cash : savings).push_back(std::move(row));
  }
  if (cash.size() > 1) out += text::table(cash, {false, false, false, true}, {12, 40, 24, 44});
  std::string total = text::money(dr.total);
  if (dr.total_is_floor) total = (en(lang) ? "at least " : "不低于") + total;
  // Beside the total of grants, the grants' outcomes only (the document's counts include reliefs).
  int eligible = 0, unspecified = 0, needs_info = 0;
  for (const RuleResult& rr : dr.rules) {
    if (!rr.rule->grant()) continue;
    eligible += rr.status == Status::Eligible;
    unspecified += rr.status == Status::EligibleUnspecified;
    needs_info += rr.status == Status::NeedsInfo;
  }
  out += en(lang) ? fmt::format(
                        "  Total of grants: {}   ({} eligible, {} without a fixed amount, {} need "
                        "information)\n",
                        total, eligible, unspecified, needs_info)
                  : fmt::format(
                        "  资金奖补小计：{}   （可享受 {} 项，金额未定 {} 项，需补充信息 {} 项）\n",
                        total, eligible, unspecified, needs_info);
  if (savings.size() > 1) {
    out += en(lang) ? "\n  Tax relief and fee reductions (not money paid, not in the total):\n"
                    : "\n  税收减免与费用减免（非资金拨付，不计入合计）：\n";
    out += text::table(savings, {false, false, false, false, true}, {12, 40, 14, 24, 44});
    out += savings_subtotals(dr, lang, "  ");
  }
  return out + table_document_notes(dr, report, all, lang);
}

// The grand total of grants, then each saving kind's total beside it.
std::string table_totals(const Report& report, Lang lang) {
  std::string total = text::money(report.total);
  if (report.total_is_floor) total = (en(lang) ? "at least " : "不低于") + total;
  std::string out = en(lang) ? fmt::format("\nGrand total of grants: {}\n", total)
                             : fmt::format("\n资金奖补合计：{}\n", total);
  for (Benefit b : savings_kinds()) {
    Decimal amount = saving_total(report, b);
    if (amount.is_zero()) continue;
    out += en(lang)
               ? fmt::format("{} (not in the total): {}\n", upper_first(benefit_name(b, lang)),
                             text::money(amount))
               : fmt::format("{}（未计入合计）：{}\n", benefit_name(b, lang), text::money(amount));
  }
  return out;
}

std::string render_table(const Report& report, Lang lang, const ReportExtras& extras) {
  const Profile& p = *report.profile;
  std::string out;
  std::string who = p.name.empty() ? p.id : (p.id.empty() ? p.name : p.name + " (" + p.id + ")");
  out += en(lang)
             ? fmt::format("Applicant: {}   form: {}; roles: {}   region: {}   policy year: {}\n",
                           who, form_label(p.form, lang), roles_label(p.roles, lang),
                           region_label(p.region, lang), p.policy_year)
             : fmt::format("申请主体：{}   形式：{}；身份：{}   地区：{}   政策年度：{}\n", who,
                           form_label(p.form, lang), roles_label(p.roles, lang),
                           region_label(p.region, lang), p.policy_year);
  std::string stamp = stamp_text(extras.stamp, lang);
  if (!stamp.empty()) out += stamp + "\n";
  out += unread_facts_section(extras.unread, *report.rules, p.policy_year, lang);
  if (report.documents.empty()) {
    out +=
        en(lang) ? "\nNo policy document covers this region.\n" : "\n没有覆盖该地区的政策文件。\n";
  }
  for (const DocumentResult& dr : report.documents) {
    out += dr.in_force ? table_document(dr, report, extras.all_rules, lang)
                       : "\n" + not_in_force_text(*dr.document, p.policy_year, lang) + "\n";
  }
  if (!extras.advice.empty()) {
    out += en(lang) ? "\nWhat would unlock more:\n" : "\n还差一点：\n";
    for (std::size_t i = 0; i < extras.advice.size() && i < extras.advice_shown; ++i) {
      out += "  - " + advice_text(extras.advice[i], report, lang) + "\n";
    }
  }
  if (!extras.projections.empty()) {
    out += en(lang)
               ? "\nOver several years (if the policy continues and the facts stay the same):\n"
               : "\n多年度预测（假设政策延续、情况不变）：\n";
    for (const Projection& p : extras.projections) out += "  - " + projection_text(p, lang) + "\n";
  }
  if (!extras.missing.empty()) {
    out += en(lang) ? "\nWhat to tell us:\n" : "\n需要补充的信息：\n";
    for (const MissingFact& m : extras.missing)
      out += "  - " + missing_fact_text(m, report, lang) + "\n";
  }
  return out + table_totals(report, lang) + "\n" + disclaimer_text(lang) + "\n";
}

std::string md_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

// A document's rules in Markdown: the grants in one table with their subtotal, then tax relief and
// fee reductions in a table of their own with their own subtotals, so that the amount column of
// the first table adds up to its subtotal.
std::string markdown_rules(const DocumentResult& dr, const Report& report, bool all, Lang lang) {
  std::string cash, savings;
  for (const RuleResult& rr : dr.rules) {
    if (!listed(rr, report, all)) continue;
    std::string kind = rr.rule->grant() ? "" : " " + benefit_name(rr.rule->benefit, lang) + " |";
    (rr.rule->grant() ? cash : savings) +=
        fmt::format("| {} | {} |{} {} | {} | {} |\n", text::article(rr.rule->article, lang),
                    md_escape(rr.rule->title.in(lang)), kind, status_label(rr.status, lang),
                    amount_text(rr, lang), md_escape(reasons(rr, report, lang)));
  }
  std::string out;
  if (!cash.empty()) {
    out += (en(lang) ? "| Article | Rule | Result | Amount | Why |\n|---|---|---|---:|---|\n"
                     : "| 条款 | 政策 | 结果 | 金额 | 说明 |\n|---|---|---|---:|---|\n") +
           cash;
  }
  std::string sub = text::money(dr.total);
  if (dr.total_is_floor) sub = (en(lang) ? "at least " : "不低于") + sub;
  out += en(lang) ? fmt::format("\n**Total of grants: {}**\n", sub)
                  : fmt::format("\n**资金奖补小计：{}**\n", sub);
  std::string unrelated = unrelated_line(dr, report, all, lang);
  if (!unrelated.empty()) out += "\n" + md_escape(unrelated) + "\n";
  if (savings.empty()) return out;
  out += en(lang)
             ? "\n### Tax relief and fee reductions (not money paid, not in the total)\n\n"
               "| Article | Rule | Kind | Result | Amount | Why |\n|---|---|---|---|---:|---|\n"
             : "\n### 税收减免与费用减免（非资金拨付，不计入合计）\n\n"
               "| 条款 | 政策 | 类型 | 结果 | 金额 | 说明 |\n|---|---|---|---|---:|---|\n";
  return out + savings + "\n" + savings_subtotals(dr, lang, "");
}

namespace {

// The report's head: who, where, when, and the totals.
std::string markdown_head(const Report& report, Lang lang, const ReportExtras& extras) {
  const Profile& p = *report.profile;
  std::string out;
  std::string who = p.name.empty() ? p.id : p.name;
  out += en(lang) ? fmt::format("# Subsidy report: {}\n\n", who)
                  : fmt::format("# 政策补助测算：{}\n\n", who);
  out += en(lang) ? fmt::format("- Legal form: {}\n- Roles: {}\n- Region: {}\n- Policy year: {}\n",
                                form_label(p.form, lang), roles_label(p.roles, lang),
                                region_label(p.region, lang), p.policy_year)
                  : fmt::format("- 法律形式：{}\n- 身份：{}\n- 地区：{}\n- 政策年度：{}\n",
                                form_label(p.form, lang), roles_label(p.roles, lang),
                                region_label(p.region, lang), p.policy_year);
  std::string stamp = stamp_text(extras.stamp, lang);
  if (!stamp.empty()) out += "- " + stamp + "\n";
  std::string total = text::money(report.total);
  if (report.total_is_floor) total = (en(lang) ? "at least " : "不低于") + total;
  out += en(lang) ? fmt::format("- **Total of grants: {}**\n", total)
                  : fmt::format("- **资金奖补合计：{}**\n", total);
  for (Benefit b : savings_kinds()) {
    Decimal amount = saving_total(report, b);
    if (amount.is_zero()) continue;
    out += en(lang) ? fmt::format("- {} (not in the total): {}\n",
                                  upper_first(benefit_name(b, lang)), text::money(amount))
                    : fmt::format("- {}（未计入合计）：{}\n", benefit_name(b, lang),
                                  text::money(amount));
  }
  return out;
}

// One document's section: its notes, its rules, and the text of what pays.
std::string markdown_document(const DocumentResult& dr, const Report& report, Lang lang,
                              const ReportExtras& extras) {
  const Document& d = *dr.document;
  if (!dr.in_force) {
    return "\n" + md_escape(not_in_force_text(d, report.profile->policy_year, lang)) + "\n";
  }
  std::string out = fmt::format("\n## {} {}\n\n", d.number, d.title);
  for (const DocumentNote& n : d.notes) {
    out += fmt::format("> {}{}（“{}”）\n\n", en(lang) ? "Note: " : "注：",
                       md_escape(n.text.in(lang)), md_escape(n.quote));
  }
  out += markdown_rules(dr, report, extras.all_rules, lang);
  bool heading = false;
  for (const RuleResult& rr : dr.rules) {
    if (rr.status != Status::Eligible && rr.status != Status::EligibleUnspecified) continue;
    if (!heading) {
      out += en(lang) ? "\n### What the text says\n\n" : "\n### 政策原文\n\n";
      heading = true;
    }
    out += fmt::format("- **{}**（{}）：{}\n", md_escape(rr.rule->title.in(lang)),
                       text::article(rr.rule->article, lang), md_escape(rr.rule->quote));
  }
  return out;
}

// Advice, projections, missing facts and warnings, each a list under its heading when it has any.
std::string markdown_extras(const Report& report, Lang lang, const ReportExtras& extras) {
  std::string out;
  if (!extras.advice.empty()) {
    out += en(lang) ? "\n## What would unlock more\n\n" : "\n## 还差一点\n\n";
    for (std::size_t i = 0; i < extras.advice.size() && i < extras.advice_shown; ++i) {
      out += "- " + md_escape(advice_text(extras.advice[i], report, lang)) + "\n";
    }
  }
  if (!extras.projections.empty()) {
    out += en(lang) ? "\n## Over several years\n\n" : "\n## 多年度预测\n\n";
    for (const Projection& p : extras.projections)
      out += "- " + md_escape(projection_text(p, lang)) + "\n";
  }
  if (!extras.missing.empty()) {
    out += en(lang) ? "\n## What to tell us\n\n" : "\n## 需要补充的信息\n\n";
    for (const MissingFact& m : extras.missing)
      out += "- " + md_escape(missing_fact_text(m, report, lang)) + "\n";
  }
  if (!extras.unread.empty()) {
    out += en(lang) ? "\n## Warnings\n\n" : "\n## 警告\n\n";
    for (const UnreadFact& u : extras.unread) {
      out +=
          "- " +
          md_escape(unread_fact_message(u, *report.rules, report.profile->policy_year).in(lang)) +
          "\n";
    }
  }
  return out;
}

}  // namespace

std::string render_markdown(const Report& report, Lang lang, const ReportExtras& extras) {
  std::string out = markdown_head(report, lang, extras);
  for (const DocumentResult& dr : report.documents)
    out += markdown_document(dr, report, lang, extras);
  out += markdown_extras(report, lang, extras);
  return out + "\n---\n\n*" + md_escape(disclaimer_text(lang)) + "*\n";
}

std::string value_text(Decimal v, const FactDecl& decl, Lang lang) {
  const UnitInfo& unit = unit_info(decl.unit);
  if (unit.money) return text::money(v);
  return v.str() + std::string(en(lang) ? unit.after_en : unit.after_zh);
}

}  // namespace

std::string payer_label(const std::string& payer, const Document& doc, Lang lang) {
  if (payer == kIssuer) {
    // In English the region's name from the region table (Kecheng), not the document's Chinese.
    const RegionName* name = region_name(doc.region.code);
    if (en(lang)) return (name ? std::string(name->en) : doc.region.code) + " government";
    return doc.region.name + "财政";
  }
  const PayerInfo* info = payer_info(payer);
  if (!info) return payer;  // unreachable: the loader accepts only ids of kPayers
  return std::string(en(lang) ? info->en : info->zh);
}

std::string stamp_text(const ReportStamp& stamp, Lang lang) {
  if (stamp.date.empty()) return "";
  std::string out = en(lang) ? fmt::format("Produced {} (UTC)", stamp.date)
                             : fmt::format("生成于 {}（UTC）", stamp.date);
  if (!stamp.rules_version.empty()) {
    out +=
        en(lang) ? " · rules version " + stamp.rules_version : " · 规则版本 " + stamp.rules_version;
  }
  if (!stamp.program_version.empty()) out += " · subsidy " + stamp.program_version;
  return out;
}

std::string disclaimer_text(Lang lang) {
  return en(lang) ? "An estimate from the published policy texts, for reference only: not a "
                    "decision of any government department, whose review decides what is paid."
                  : "本报告依据已公布的政策原文估算，仅供参考，不是政府部门的决定；"
                    "实际补助以主管部门审核为准。";
}

std::string not_in_force_text(const Document& d, int policy_year, Lang lang) {
  bool future = Date{policy_year, 12, 31} < d.valid_from;
  if (en(lang)) {
    std::string when = future ? fmt::format("in force from {}-{:02}-{:02}", d.valid_from.year,
                                            d.valid_from.month, d.valid_from.day)
                              : fmt::format("expired {}-{:02}-{:02}", d.valid_to.year,
                                            d.valid_to.month, d.valid_to.day);
    return fmt::format("{} \"{}\": {}; does not apply to {}", d.number, d.title, when, policy_year);
  }
  std::string when = future ? fmt::format("{} 年起施行", d.valid_from.year)
                            : fmt::format("有效期至 {} 年 {} 月 {} 日", d.valid_to.year,
                                          d.valid_to.month, d.valid_to.day);
  return fmt::format("{}《{}》：{}，本年度（{} 年）不适用", d.number, d.title, when, policy_year);
}

std::string advice_text(const Advice& a, const Report& report, Lang lang) {
  const FactDecl& list = fact_decl(report, a.fact);
  const FactDecl& decl = a.item >= 0 ? list.fields[static_cast<std::size_t>(a.field)] : list;
  std::optional<int> year = decl.per_year ? std::optional<int>(a.year) : std::nullopt;
  std::string name = a.item >= 0 ? item_field_label(list, a.item, a.field, year, lang)
                                 : fact_label(decl, year, lang);
  Decimal change = sub(a.to, a.from).value_or(Decimal());
  std::string from = value_text(a.from, decl, lang);
  std::string to = value_text(a.to, decl, lang);
  std::string by = value_text(change, decl, lang);
  std::string article = text::article(a.rule->article, lang);
  std::string out;
  if (a.paid_before) {
    // A rule that pays already: the change reaches its next bracket.
    out = en(lang)
              ? fmt::format(
                    "{} {} → {} (+{}) reaches a higher bracket of {}: {} instead of "
                    "{}, +{} in total ({})",
                    name, from, to, by, a.rule->title.en, text::money(a.pays),
                    text::money(*a.paid_before), text::money(a.unlocked), article)
              : fmt::format("{} {} → {}（增加 {}）进入{}的更高档次：{}，原为 {}，合计增加 {}（{}）",
                            name, from, to, by, a.rule->title.zh, text::money(a.pays),
                            text::money(*a.paid_before), text::money(a.unlocked), article);
  } else {
    out = en(lang) ? fmt::format("{} {} → {} (+{}) unlocks {}: {} ({})", name, from, to, by,
                                 text::money(a.unlocked), a.rule->title.en, article)
                   : fmt::format("{} {} → {}（增加 {}）可获 {}：{}（{}）", name, from, to, by,
                                 text::money(a.unlocked), a.rule->title.zh, article);
  }
  if (!a.worse.empty()) {
    std::string ids;
    for (const std::string& id : a.worse) ids += (ids.empty() ? "" : ", ") + id;
    out +=
        en(lang) ? fmt::format("; but {} would pay less", ids) : fmt::format("；但 {} 将减少", ids);
  }
  return out;
}

std::string projection_text(const Projection& p, Lang lang) {
  std::string years;
  for (const auto& [year, amount] : p.years) {
    years +=
        (years.empty() ? ""
         : en(lang)    ? "; "
                       : "；") +
        fmt::format("{} {}", year, amount ? text::money(*amount) : (en(lang) ? "nothing" : "无"));
  }
  return fmt::format("{}: {}", p.rule->title.in(lang), years);
}

std::string missing_fact_text(const MissingFact& m, const Report& report, Lang lang) {
  std::string name = fact_label(fact_decl(report, m.fact), m.year, lang);
  std::size_t n = m.rules.size();
  if (m.unbounded) {
    return en(lang) ? fmt::format("tell us {}: the amount of {} rule(s) depends on it", name, n)
                    : fmt::format("告诉我们{}：{} 项政策的金额取决于它", name, n);
  }
  if (m.at_most.is_zero()) {
    return en(lang) ? fmt::format("tell us {}: whether {} rule(s) apply depends on it", name, n)
                    : fmt::format("告诉我们{}：{} 项政策是否适用取决于它", name, n);
  }
  return en(lang) ? fmt::format("tell us {}: up to {} depends on it ({} rule(s))", name,
                                text::money(m.at_most), n)
                  : fmt::format("告诉我们{}：最多 {} 取决于它（{} 项政策）", name,
                                text::money(m.at_most), n);
}

std::string form_label(const std::string& form, Lang lang) {
  const ApplicantTerm* t = legal_form(form);
  if (!t) return form;
  return std::string(en(lang) ? t->en : t->zh);
}

std::string role_label(const std::string& role, Lang lang) {
  const ApplicantTerm* t = role_term(role);
  if (!t) return role;
  return std::string(en(lang) ? t->en : t->zh);
}

std::string roles_label(const std::optional<std::vector<std::string>>& roles, Lang lang) {
  if (!roles) return en(lang) ? "not given" : "未提供";
  if (roles->empty()) return en(lang) ? "none" : "无";
  return role_list(*roles, lang);
}

std::string role_list(std::span<const std::string> roles, Lang lang) {
  std::string out;
  for (const std::string& r : roles)
    out += (out.empty() ? "" : en(lang) ? ", " : "、") + role_label(r, lang);
  return out;
}

std::string category_label(const CategoryName& category, Lang lang) {
  return std::string(en(lang) ? category.en : category.zh);
}

std::string rule_reasons(const RuleResult& result, const Report& report, Lang lang) {
  return reasons(result, report, lang);
}

std::string status_label(Status status, Lang lang) {
  switch (status) {
    case Status::Eligible:
      return en(lang) ? "eligible" : "可享受";
    case Status::EligibleUnspecified:
      return en(lang) ? "eligible (amount open)" : "可享受（金额未定）";
    case Status::NotEligible:
      return en(lang) ? "not eligible" : "不符合";
    case Status::NeedsInfo:
      return en(lang) ? "needs information" : "需补充信息";
    case Status::Excluded:
      return en(lang) ? "not combined" : "不重复享受";
    case Status::NotApplicable:
      return en(lang) ? "not applicable" : "不适用";
    case Status::Error:
      return en(lang) ? "error" : "计算出错";
  }
  return "";
}

std::string render_report(const Report& report, Format format, Lang lang,
                          const ReportExtras& extras) {
  switch (format) {
    case Format::Json:
      return render_json(report, lang, extras);
    case Format::Csv:
      return render_csv(report, lang);
    case Format::Markdown:
      return render_markdown(report, lang, extras);
    case Format::Html:
      return render_html(report, lang, extras);
    case Format::Table:
    case Format::JsonLines:  // batch's formats, not a report's: no command offers them here
    case Format::Xlsx:
      break;
  }
  return render_table(report, lang, extras);
}

}  // namespace subsidy

namespace subsidy {

std::string step_label(StepKind step, Lang lang) {
  const StepKindInfo& info = step_kind_info(step);
  return std::string(en(lang) ? info.en : info.zh);
}

namespace {

// One checked condition: ✓, ✗ or ?, what it asks (with whether a bound counts), what was given.
std::string explain_check(const CondCheck& c, const Report& report, Lang lang) {
  std::string mark = c.result == Tri::True ? "✓" : c.result == Tri::False ? "✗" : "?";
  std::string what = describe_condition(*c.cond, report, lang);
  if (c.cond->op == CondOp::Compare && !c.cond->as<Compare>().comparisons.empty()) {
    // The first comparison tells; a range's two bounds are described in `what`.
    what += cmp_info(c.cond->as<Compare>().comparisons.front().op).inclusive
                ? (en(lang) ? " (bound included)" : "（含边界）")
                : (en(lang) ? " (bound excluded)" : "（不含边界）");
  }
  std::string actual = c.result == Tri::Unknown ? (en(lang) ? "not given" : "未提供") : c.actual;
  if (c.result != Tri::Unknown && c.cond->op == CondOp::Has) {
    actual = en(lang) ? fmt::format("{} {}", c.actual, c.actual == "1" ? "item" : "items")
                      : fmt::format("{} 项", c.actual);
  }
  return fmt::format("  {} {}   [{}: {}]\n", mark, what, en(lang) ? "actual" : "实际", actual);
}

std::string explain_conditions(const RuleResult& rr, const Report& report, Lang lang) {
  const Rule& rule = *rr.rule;
  if (!rr.checks.empty()) {
    std::string out = en(lang) ? "Conditions:\n" : "条件：\n";
    for (const CondCheck& c : rr.checks) out += explain_check(c, report, lang);
    return out;
  }
  if (rule.when && rr.status != Status::NotApplicable) {
    return en(lang) ? "Conditions: (not evaluated)\n" : "条件：（未评估）\n";
  }
  if (!rule.when) {
    return en(lang) ? "Conditions: none beyond the applicant's form and roles\n"
                    : "条件：除申请主体形式和身份外无其他条件\n";
  }
  return "";
}

// The formula, each step of the trace, the cap and the rounding.
std::string explain_computation(const RuleResult& rr, const Vocabulary& v, Lang lang) {
  const Rule& rule = *rr.rule;
  if (rr.trace.empty() && !rule.formula) return "";
  std::string out = en(lang) ? "Computation:\n" : "计算过程：\n";
  if (rule.formula)
    out += fmt::format("  {}: {}\n", en(lang) ? "formula" : "公式", expr_text(*rule.formula, v));
  for (const TraceStep& t : rr.trace)
    out += fmt::format("  {}: {}\n", step_label(t.step, lang), t.detail.in(lang));
  bool computed = rr.status == Status::Eligible || rr.status == Status::Excluded;
  if (rule.cap && computed) {
    out += en(lang) ? fmt::format("  cap: {} ({})\n", expr_text(*rule.cap, v),
                                  rr.cap_applied ? "applied" : "not reached")
                    : fmt::format("  上限：{}（{}）\n", expr_text(*rule.cap, v),
                                  rr.cap_applied ? "已封顶" : "未触及");
  }
  if (rule.formula && computed) {
    out += en(lang) ? fmt::format("  rounding: {} to {}\n", rounding_name(rule.rounding),
                                  rule.rounding_unit.str())
                    : fmt::format("  舍入：{}，单位 {}\n", rounding_name(rule.rounding),
                                  rule.rounding_unit.str());
  }
  return out;
}

// The stacking groups (就高) the rule is in, and the rule it lost to.
std::string explain_groups(const RuleResult& rr, const Document& doc, Lang lang) {
  std::string out;
  for (const Group& g : doc.groups) {
    if (std::find(g.rules.begin(), g.rules.end(), rr.rule->id) == g.rules.end()) continue;
    std::string members;
    for (const std::string& id : g.rules) members += (members.empty() ? "" : ", ") + id;
    out += en(lang) ? fmt::format("Not combined ({}): {} — only the highest of {} is paid{}\n",
                                  g.id, g.quote, members,
                                  rr.status == Status::Excluded
                                      ? "; lost to " + std::string(rr.excluded_by)
                                      : "")
                    : fmt::format("不重复享受（{}）：{}——{} 中只取最高{}\n", g.id, g.quote, members,
                                  rr.status == Status::Excluded
                                      ? "；本项让位于 " + std::string(rr.excluded_by)
                                      : "");
  }
  return out;
}

}  // namespace

std::string render_explanation(const Report& report, const RuleResult& rr, Lang lang,
                               const std::vector<UnreadFact>& unread) {
  const Rule& rule = *rr.rule;
  const Document* doc = nullptr;
  for (const DocumentResult& d : report.documents) {
    for (const RuleResult& r : d.rules) {
      if (&r == &rr) doc = d.document;
    }
  }
  std::string out = fmt::format("{}  {}\n", rule.id, rule.title.in(lang));
  if (doc) {
    out += en(lang) ? fmt::format("Document: {} {}, {}\n", doc->number, doc->title,
                                  text::article(rule.article, lang))
                    : fmt::format("文件：{} {}，{}\n", doc->number, doc->title,
                                  text::article(rule.article, lang));
  }
  out += (en(lang) ? "Text: " : "原文：") + rule.quote + "\n";
  out += applicant_line(rule, *report.profile, lang);
  out += explain_conditions(rr, report, lang);
  out += (en(lang) ? "Result: " : "结果：") + status_label(rr.status, lang);
  std::string amount = amount_text(rr, lang);
  if (!amount.empty()) out += " " + amount;
  out += "\n";
  std::string why = reasons(rr, report, lang);
  if (!why.empty()) out += (en(lang) ? "Why: " : "原因：") + why + "\n";
  out += explain_computation(rr, report.rules->vocabulary(), lang);
  for (const PayerAmount& p : rr.payers) {
    out += fmt::format("{}{} {}\n", en(lang) ? "Paid by: " : "出资：",
                       doc ? payer_label(p.payer, *doc, lang) : p.payer, text::money(p.amount));
  }
  if (doc) out += explain_groups(rr, *doc, lang);
  if (!rule.interpretations.empty()) {
    out += en(lang) ? "Readings:\n" : "解读：\n";
    for (const Text& note : rule.interpretations) out += "  - " + note.in(lang) + "\n";
  }
  return out + unread_facts_section(unread, *report.rules, report.profile->policy_year, lang);
}

Explained explain_rule(const RuleSet& rules, const Profile& profile, const std::string& rule_id,
                       Lang lang, const std::vector<UnreadFact>& unread) {
  Explained out;
  const Document* home = nullptr;
  for (const Document& d : rules.documents()) {
    for (const Rule& r : d.rules) {
      if (r.id == rule_id) home = &d;
    }
  }
  if (!home) return out;
  out.found = true;
  bool en = lang == Lang::En;
  std::string warnings = unread_facts_section(unread, rules, profile.policy_year, lang);
  Report report = evaluate(rules, profile, EvalOptions{true});
  for (const DocumentResult& d : report.documents) {
    if (d.document != home) continue;
    if (!d.in_force) {
      out.text =
          fmt::format("{}{}{}{}{}", en ? "The document " : "文件 ", home->number,
                      en ? " is not in force in the policy year " : " 在政策年度 ",
                      profile.policy_year,
                      en ? ": the rule pays nothing.\n" : " 不在有效期内：该规则不予适用。\n") +
          warnings;
      return out;
    }
    for (const RuleResult& r : d.rules) {
      if (r.rule->id != rule_id) continue;
      out.text = render_explanation(report, r, lang, unread);
      if (r.status == Status::Error && r.error) {
        out.error = msg("rule {0} in document {1}: {2}", "文件 {1} 的规则 {0}：{3}", r.rule->id,
                        home->id, r.error->en, r.error->zh);
      }
      return out;
    }
  }
  out.text =
      fmt::format("{}{}{}{}{}{}{}", en ? "The document " : "文件 ", home->number, en ? " (" : "（",
                  home->region.name, en ? ") does not cover region " : "）不适用于地区 ",
                  profile.region, en ? ".\n" : "。\n") +
      warnings;
  return out;
}

}  // namespace subsidy
