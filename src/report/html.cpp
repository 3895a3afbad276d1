#include "report/html.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "core/region.h"
#include "report/text.h"
#include "report/unread_text.h"

namespace subsidy {
namespace {

bool en(Lang lang) {
  return lang == Lang::En;
}

std::string esc(std::string_view s) {
  return text::xml_escape(s);
}

__extension__ typedef __int128 i128;

struct Bar {
  std::string label;
  Decimal amount;
};

// A horizontal bar chart. Labels get their own column sized by display width, values sit after
// each bar, and rows never overlap; widths are integers computed from exact amounts.
std::string bar_chart(const std::string& title, std::vector<Bar> bars) {
  std::stable_sort(bars.begin(), bars.end(),
                   [](const Bar& a, const Bar& b) { return a.amount > b.amount; });
  if (bars.empty()) return "";
  int label_width = 0;
  for (const Bar& b : bars) label_width = std::max(label_width, text::display_width(b.label));
  int label_px = std::min(340, 8 * label_width + 16);
  const int bar_px = 300, value_px = 140, row = 30;
  int width = label_px + bar_px + value_px;
  Decimal top = bars.front().amount;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" role=\"img\" "
      "aria-label=\"{}\">\n",
      width, row * static_cast<int>(bars.size()) + 8, esc(title));
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    // Bar length in whole pixels: amount / top × bar_px, from the integer units (no floating
    // point).
    long long length =
        top.units() > 0
            ? static_cast<long long>((static_cast<i128>(b.amount.units()) * bar_px) / top.units())
            : 0;
    if (b.amount.units() > 0 && length < 2) length = 2;
    int y = static_cast<int>(i) * row + 4;
    svg += fmt::format("  <text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"label\">{}</text>\n",
                       label_px - 8, y + 18, esc(b.label));
    svg += fmt::format(
        "  <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"20\" rx=\"3\" class=\"bar\"/>\n", label_px,
        y + 3, length);
    svg += fmt::format("  <text x=\"{}\" y=\"{}\" class=\"value\">{}</text>\n",
                       label_px + length + 6, y + 18, esc(text::money(b.amount)));
  }
  svg += "</svg>\n";
  return fmt::format("<figure><figcaption>{}</figcaption>\n{}</figure>\n", esc(title), svg);
}

const char* kStyle = R"(<style>
  body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",
         "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; margin: 2em auto; max-width: 960px;
         color: #1f2933; line-height: 1.5; padding: 0 1em; }
  h1 { font-size: 1.6em; margin-bottom: 0.2em; }
  .summary { color: #52606d; margin-bottom: 1em; }
  .total { font-size: 2.2em; font-weight: 700; color: #0b6e4f; margin: 0.3em 0; }
  .relief { color: #52606d; }
  tr.subtotal td { font-weight: 600; border-top: 1px solid #9aa5b1; }
  figure { margin: 1.2em 0; }
  figcaption { font-weight: 600; margin-bottom: 0.4em; }
  svg .label { font-size: 14px; fill: #1f2933; }
  svg .value { font-size: 13px; fill: #3e4c59; }
  svg .bar { fill: #2f80ed; }
  table { border-collapse: collapse; width: 100%; margin: 0.8em 0 1.6em; font-size: 0.92em; }
  th, td { border-bottom: 1px solid #d9e2ec; padding: 0.45em 0.5em; text-align: left; vertical-align: top; }
  th { background: #f0f4f8; }
  td.amount { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  td.article { white-space: nowrap; }
  td.title { min-width: 11em; }
  td.quote { color: #52606d; font-size: 0.9em; }
  ul { padding-left: 1.2em; }
  .note { color: #7b8794; font-size: 0.85em; }
  .stamp, .disclaimer { color: #52606d; font-size: 0.85em; }
  .disclaimer { border-left: 3px solid #f0b429; padding-left: 0.6em; }
  .not-in-force { color: #7b8794; margin: 0.6em 0; }
  td.payer-split { color: #52606d; font-size: 0.85em; }
  table.payers { width: auto; min-width: 22em; }
  table.payers caption { text-align: left; font-weight: 600; padding: 0.3em 0; }
  thead { display: table-header-group; }
  @media print {
    @page { size: A4; margin: 15mm 12mm 20mm; }
    body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
    h1, h2, caption, figcaption { break-after: avoid; page-break-after: avoid; }
    section.document + section.document { break-before: page; page-break-before: always; }
    tr, figure, .total, .disclaimer, table.payers { break-inside: avoid; page-break-inside: avoid; }
    td.quote { font-size: 0.85em; }
  }
</style>)";

// Text as a CSS string's content: quotes, backslashes and angle brackets as escapes.
std::string css_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\' || c == '<' || c == '>' || c == '\n')
      out += fmt::format("\\{:x} ", static_cast<unsigned char>(c));
    else
      out += c;
  }
  return out + "\"";
}

// The foot of every printed page (A4): the date, rules version and the notice, and the page
// number, in the page's margin boxes.
std::string print_footer_style(const std::string& stamp, Lang lang) {
  std::string left = stamp.empty() ? disclaimer_text(lang) : stamp + " · " + disclaimer_text(lang);
  return fmt::format(
      "<style>\n  @media print {{\n    @page {{\n      @bottom-left {{ content: {}; font-size: "
      "7.5pt; color: #52606d; }}\n      @bottom-right {{ content: counter(page) \" / \" "
      "counter(pages); font-size: 7.5pt; color: #52606d; }}\n    }}\n  }}\n</style>",
      css_string(left));
}

// The payer split of a document's grants, in the order of kPayers (model.h), by name.
std::string payer_table(const DocumentResult& d, Lang lang) {
  if (d.by_payer.empty()) return "";
  std::string rows;
  for (const PayerInfo& info : kPayers) {
    auto it = d.by_payer.find(std::string(info.id));
    if (it == d.by_payer.end()) continue;
    rows +=
        fmt::format("<tr><td>{}</td><td class=\"amount\">{}</td></tr>\n",
                    esc(payer_label(it->first, *d.document, lang)), esc(text::money(it->second)));
  }
  return fmt::format(
      "<table class=\"payers\"><caption>{}</caption>\n<thead><tr><th>{}</th><th>{}</th></tr>"
      "</thead>\n{}</table>\n",
      en(lang) ? "Who pays the grants" : "资金来源", en(lang) ? "Payer" : "出资方",
      en(lang) ? "Amount" : "金额", rows);
}

// One eligible rule's row; a grant paid by more than one payer, or by another than the issuer,
// names them under its amount.
std::string rule_row(const RuleResult& r, const Document& doc, Lang lang) {
  std::string amount = r.status == Status::Eligible ? text::money(r.amount)
                                                    : (en(lang) ? "not specified" : "金额未定");
  if (r.at_least()) amount = (en(lang) ? "at least " : "不低于 ") + amount;
  std::string split;
  // Grants only, like by_payer: a relief's "payer" (the tax office) adds nothing.
  bool named = r.payers.size() > 1 || (r.payers.size() == 1 && r.payers[0].payer != kIssuer);
  if (r.rule->grant() && named) {
    for (const PayerAmount& pa : r.payers) {
      split += (split.empty() ? "" : "<br>") +
               esc(payer_label(pa.payer, doc, lang) + " " + text::money(pa.amount));
    }
  }
  // A relief's row names its kind (the table of reliefs has that column).
  std::string kind;
  if (!r.rule->grant()) {
    const BenefitInfo& b = benefit_info(r.rule->benefit);
    kind = fmt::format("<td class=\"kind\">{}</td>", esc(std::string(en(lang) ? b.en : b.zh)));
  }
  return fmt::format(
      "<tr><td class=\"article\">{}</td><td class=\"title\">{}</td>{}<td "
      "class=\"amount\">{}{}</td><td class=\"quote\">{}</td></tr>\n",
      esc(text::article(r.rule->article, lang)), esc(r.rule->title.in(lang)), kind, esc(amount),
      split.empty() ? "" : "<div class=\"payer-split\">" + split + "</div>", esc(r.rule->quote));
}

std::string savings_table(const DocumentResult& d, const std::string& rows, Lang lang);

// A document in force: its heading, notes, eligible rules and payer split; one line when it is
// not in force for the policy year.
std::string document_section(const DocumentResult& d, int policy_year, Lang lang) {
  if (!d.in_force) {
    return fmt::format("<p class=\"not-in-force\">{}</p>\n",
                       esc(not_in_force_text(*d.document, policy_year, lang)));
  }
  std::string out = fmt::format("<section class=\"document\">\n<h2>{} {}</h2>\n",
                                esc(d.document->number), esc(d.document->title));
  for (const DocumentNote& n : d.document->notes) {
    out += fmt::format("<p class=\"note\">{}{}（{}）</p>\n", en(lang) ? "Note: " : "注：",
                       esc(n.text.in(lang)), esc(n.quote));
  }
  std::string cash, savings;
  for (const RuleResult& r : d.rules) {
    if (r.status != Status::Eligible && r.status != Status::EligibleUnspecified) continue;
    (r.rule->grant() ? cash : savings) += rule_row(r, *d.document, lang);
  }
  if (cash.empty())
    cash = fmt::format("<tr><td colspan=\"4\">{}</td></tr>\n",
                       en(lang) ? "No grant eligible." : "暂无可享受的资金奖补。");
  out += en(lang) ? "<table><thead><tr><th>Article</th><th>Rule</th><th>Amount</th><th>Text</th>"
                    "</tr></thead>\n"
                  : "<table><thead><tr><th>条款</th><th>政策</th><th>金额</th><th>原文</th>"
                    "</tr></thead>\n";
  std::string total = text::money(d.total);
  if (d.total_is_floor) total = (en(lang) ? "at least " : "不低于 ") + total;
  out += cash + fmt::format(
                    "<tr class=\"subtotal\"><td colspan=\"2\">{}</td><td "
                    "class=\"amount\">{}</td><td></td></tr>\n</table>\n",
                    en(lang) ? "Total of grants" : "资金奖补小计", esc(total));
  return out + savings_table(d, savings, lang) + payer_table(d, lang) + "</section>\n";
}

// A document's eligible tax relief and fee reductions (`rows`), apart from the grants, with a
// subtotal of each kind; empty when there are none.
std::string savings_table(const DocumentResult& d, const std::string& rows, Lang lang) {
  if (rows.empty()) return "";
  std::string out = fmt::format(
      "<table class=\"savings\"><caption>{}</caption>\n<thead><tr><th>{}</th><th>{}</th>"
      "<th>{}</th><th>{}</th><th>{}</th></tr></thead>\n{}",
      en(lang) ? "Tax relief and fee reductions (not money paid, not in the total)"
               : "税收减免与费用减免（非资金拨付，不计入合计）",
      en(lang) ? "Article" : "条款", en(lang) ? "Rule" : "政策", en(lang) ? "Kind" : "类型",
      en(lang) ? "Amount" : "金额", en(lang) ? "Text" : "原文", rows);
  for (const BenefitInfo& b : kBenefits) {
    if (b.value == Benefit::Grant) continue;
    Decimal amount = b.value == Benefit::TaxRelief ? d.tax_relief : d.fee_reduction;
    if (amount.is_zero()) continue;
    out += fmt::format(
        "<tr class=\"subtotal\"><td colspan=\"3\">{}</td><td class=\"amount\">{}</td>"
        "<td></td></tr>\n",
        esc(en(lang) ? fmt::format("Subtotal of {}", b.en) : fmt::format("{}小计", b.zh)),
        esc(text::money(amount)));
  }
  return out + "</table>\n";
}

// Advice, missing information and warnings, each a list under its heading.
std::string lists_section(const Report& report, Lang lang, const ReportExtras& extras) {
  std::string out;
  if (!extras.advice.empty()) {
    out += fmt::format("<h2>{}</h2>\n<ul>\n", en(lang) ? "What would unlock more" : "还差一点");
    for (std::size_t i = 0; i < extras.advice.size() && i < extras.advice_shown; ++i) {
      out += "<li>" + esc(advice_text(extras.advice[i], report, lang)) + "</li>\n";
    }
    out += "</ul>\n";
  }
  if (!extras.missing.empty()) {
    out += fmt::format("<h2>{}</h2>\n<ul>\n", en(lang) ? "What to tell us" : "需要补充的信息");
    for (const MissingFact& m : extras.missing)
      out += "<li>" + esc(missing_fact_text(m, report, lang)) + "</li>\n";
    out += "</ul>\n";
  }
  if (!extras.unread.empty()) {
    out += fmt::format("<h2>{}</h2>\n<ul>\n", en(lang) ? "Warnings" : "警告");
    for (const UnreadFact& u : extras.unread) {
      out += "<li>" +
             esc(unread_fact_message(u, *report.rules, report.profile->policy_year).in(lang)) +
             "</li>\n";
    }
    out += "</ul>\n";
  }
  return out;
}

// The charts: amounts by document and by category (grants only).
std::string charts(const Report& report, Lang lang) {
  std::vector<Bar> by_document;
  std::vector<Bar> by_category;
  std::vector<const CategoryName*> categories;  // by_category[i] is categories[i]'s
  for (const DocumentResult& d : report.documents) {
    if (!d.in_force) continue;
    if (!d.total.is_zero()) by_document.push_back({d.document->number, d.total});
    for (const RuleResult& r : d.rules) {
      if (r.status != Status::Eligible || !r.rule->grant()) continue;
      auto i = static_cast<std::size_t>(
          std::find(categories.begin(), categories.end(), r.rule->category) - categories.begin());
      if (i == categories.size()) {
        categories.push_back(r.rule->category);
        by_category.push_back({category_label(*r.rule->category, lang), Decimal()});
      }
      Bar& bar = by_category[i];
      bar.amount = add(bar.amount, r.amount).value_or(bar.amount);
    }
  }
  return bar_chart(en(lang) ? "By document" : "按文件", by_document) +
         bar_chart(en(lang) ? "By category" : "按类别", by_category);
}

}  // namespace

std::string render_html(const Report& report, Lang lang, const ReportExtras& extras) {
  const Profile& p = *report.profile;
  std::string who = p.name.empty() ? p.id : p.name;
  std::string title = (en(lang) ? "Subsidy report: " : "政策补助测算：") + who;
  std::string total = text::money(report.total);
  if (report.total_is_floor) total = (en(lang) ? "at least " : "不低于 ") + total;
  std::string stamp = stamp_text(extras.stamp, lang);
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta "
      "charset=\"utf-8\">\n<title>{}</title>\n{}\n{}\n</head>\n<body>\n",
      en(lang) ? "en" : "zh-CN", esc(title), kStyle, print_footer_style(stamp, lang));
  out += fmt::format("<h1>{}</h1>\n", esc(title));
  out += fmt::format("<div class=\"summary\">{} {} · {} {} · {} {} · {} {}</div>\n",
                     en(lang) ? "Legal form" : "法律形式", esc(form_label(p.form, lang)),
                     en(lang) ? "Roles" : "身份", esc(roles_label(p.roles, lang)),
                     en(lang) ? "Region" : "地区", esc(region_label(p.region, lang)),
                     en(lang) ? "Policy year" : "政策年度", p.policy_year);
  if (!stamp.empty()) out += fmt::format("<div class=\"stamp\">{}</div>\n", esc(stamp));
  out += fmt::format("<div class=\"total\">{}</div>\n", esc(total));
  if (!report.tax_relief.is_zero()) {
    out += fmt::format("<div class=\"relief\">{} {}</div>\n",
                       en(lang) ? "Plus estimated tax relief (not in the total):"
                                : "另：税收减免估算（未计入合计）",
                       esc(text::money(report.tax_relief)));
  }
  if (!report.fee_reduction.is_zero()) {
    out += fmt::format(
        "<div class=\"relief\">{} {}</div>\n",
        en(lang) ? "Plus fee reductions (not in the total):" : "另：费用减免（未计入合计）",
        esc(text::money(report.fee_reduction)));
  }
  out += fmt::format("<p class=\"disclaimer\">{}</p>\n", esc(disclaimer_text(lang)));
  out += charts(report, lang);
  for (const DocumentResult& d : report.documents) out += document_section(d, p.policy_year, lang);
  out += lists_section(report, lang, extras);
  out += fmt::format(
      "<p class=\"note\">{}</p>\n</body>\n</html>\n",
      en(lang) ? "Generated by subsidy. Every amount is traced to the article quoted beside it."
               : "由 subsidy 生成。每一项金额均对应所引原文条款。");
  return out;
}

}  // namespace subsidy
