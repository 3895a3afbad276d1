#include "report/compare_text.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/advice.h"
#include "core/region.h"
#include "report/render.h"
#include "report/text.h"

namespace subsidy {
namespace {

struct Paying {
  const Rule* rule;
  const Document* document;
  Decimal amount;
  bool at_least;
};

std::string region_name(const RuleSet& rules, const std::string& code) {
  for (const Document& d : rules.documents()) {
    if (d.region.code == code) return d.region.name;
  }
  return code;
}

// The rules that pay, largest first: what makes one region differ from another.
std::vector<Paying> paying(const Report& report) {
  std::vector<Paying> out;
  for (const DocumentResult& d : report.documents) {
    for (const RuleResult& r : d.rules) {
      if (r.status == Status::Eligible && r.rule->grant()) {
        out.push_back(Paying{r.rule, d.document, r.amount, r.at_least()});
      }
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Paying& a, const Paying& b) { return a.amount > b.amount; });
  return out;
}

std::string total_text(const Report& report, Lang lang) {
  if (report.overflow) {
    return lang == Lang::En ? "overflow (beyond ¥9,000,000,000,000)"
                            : "溢出（超出 ¥9,000,000,000,000）";
  }
  std::string m = text::money(report.total);
  m = report.total_is_floor ? (lang == Lang::En ? "at least " : "不低于") + m : m;
  // Tax relief and fees or tolls reduced are savings, not money paid: beside the total, never in
  // it, so that regions are still ranked by money alone.
  std::vector<std::string> savings;
  if (!report.tax_relief.is_zero()) {
    savings.push_back(fmt::format("{} {}", lang == Lang::En ? "tax relief" : "税收减免",
                                  text::money(report.tax_relief)));
  }
  if (!report.fee_reduction.is_zero()) {
    savings.push_back(fmt::format("{} {}", lang == Lang::En ? "fee reductions" : "费用减免",
                                  text::money(report.fee_reduction)));
  }
  if (!savings.empty()) {
    m += lang == Lang::En ? fmt::format(" (plus {}, not in the total)", fmt::join(savings, ", "))
                          : fmt::format("（另：{}，未计入合计）", fmt::join(savings, "、"));
  }
  return m;
}

// What the facts not given could still add, in one line: "6 项资金奖补需补充信息：最多还可能增加
// ¥1,200,000.00（另有 2 项无法确定上限）" / "6 grants need information: up to ¥1,200,000.00 more
// could depend on it (and 2 without a limit that can be stated)".
std::string open_text(const OpenAmount& open, Lang lang) {
  bool en = lang == Lang::En;
  if (open.rules == 0)
    return en ? "no grant needs information: the figure is complete" : "无需补充信息：金额已完整";
  if (open.unbounded == open.rules) {
    return en ? fmt::format(
                    "{} grants need information: what depends on it has no upper limit "
                    "that can be stated",
                    open.rules)
              : fmt::format("{} 项资金奖补需补充信息：可能增加的金额无法确定上限", open.rules);
  }
  std::string out = en ? fmt::format("{} grants need information: up to {} more could depend on it",
                                     open.rules, text::money(open.at_most))
                       : fmt::format("{} 项资金奖补需补充信息：最多还可能增加 {}", open.rules,
                                     text::money(open.at_most));
  if (open.unbounded > 0) {
    out += en ? fmt::format(" (and {} without a limit that can be stated)", open.unbounded)
              : fmt::format("（另有 {} 项无法确定上限）", open.unbounded);
  }
  return out;
}

// The line that labels the ranking as based on what the profile gives.
std::string basis_text(Lang lang) {
  return lang == Lang::En
             ? "Ranked on what is known: grants that need information are not in the "
               "totals, and answering them may change the ranking."
             : "排名仅依据已填写的信息：需补充信息的资金奖补未计入合计，补充后排名可能改变。";
}

nlohmann::ordered_json region_json(const RegionResult& r, const RuleSet& rules) {
  nlohmann::ordered_json jr;
  jr["region"] = r.region;
  jr["name"] = region_name(rules, r.region);
  // A total that overflowed has no value to give: null, and "overflow": true.
  if (r.report.overflow) {
    jr["total"] = nullptr;
    jr["overflow"] = true;
  } else {
    jr["total"] = r.report.total.fixed(2);
  }
  jr["total_is_floor"] = r.report.total_is_floor;
  jr["tax_relief"] = r.report.tax_relief.fixed(2);
  jr["fee_reduction"] = r.report.fee_reduction.fixed(2);
  OpenAmount open = open_amount(r.report);
  jr["open"] = {{"needs_info", open.rules},
                {"at_most", open.at_most.fixed(2)},
                {"unbounded", open.unbounded}};
  nlohmann::ordered_json docs = nlohmann::ordered_json::array();
  for (const DocumentResult& d : r.report.documents) {
    docs.push_back({{"number", d.document->number},
                    {"in_force", d.in_force},
                    {"total", d.overflow ? nlohmann::ordered_json(nullptr)
                                         : nlohmann::ordered_json(d.total.fixed(2))}});
  }
  jr["documents"] = docs;
  nlohmann::ordered_json pays = nlohmann::ordered_json::array();
  for (const Paying& p : paying(r.report)) {
    pays.push_back({{"rule", p.rule->id},
                    {"document", p.document->number},
                    {"article", p.rule->article},
                    {"amount", p.amount.fixed(2)},
                    {"at_least", p.at_least}});
  }
  jr["paying_rules"] = pays;
  return jr;
}

std::string comparison_json(const std::vector<RegionResult>& results, const RuleSet& rules) {
  nlohmann::ordered_json j;
  j["format"] = "subsidy-compare/1";
  // The totals are of what the profile gives; each region's "open" says what is not known.
  j["ranked_on"] = "known_facts";
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const RegionResult& r : results) list.push_back(region_json(r, rules));
  j["regions"] = list;
  return j.dump(2) + "\n";
}

std::string comparison_md(const std::vector<RegionResult>& results, Lang lang) {
  bool en = lang == Lang::En;
  std::string out =
      en ? "# Where would this applicant receive most?\n\n" + basis_text(lang) +
               "\n\n| rank | region | total | rules that pay | still open "
               "|\n|---:|---|---:|---|---|\n"
         : "# 同一主体在各地区可享受的补助\n\n" + basis_text(lang) +
               "\n\n| 排名 | 地区 | 合计 | 可享受的政策 | 尚待补充 |\n|---:|---|---:|---|---|\n";
  int rank = 0;
  for (const RegionResult& r : results) {
    std::string list;
    for (const Paying& p : paying(r.report)) {
      list += (list.empty() ? "" : "<br>") +
              fmt::format("{} `{}` {}", p.rule->title.in(lang), p.rule->id, text::money(p.amount));
    }
    out += fmt::format("| {} | {} | {} | {} | {} |\n", ++rank, region_label(r.region, lang),
                       total_text(r.report, lang), list, open_text(open_amount(r.report), lang));
  }
  return out;
}

std::string comparison_table(const std::vector<RegionResult>& results, Lang lang) {
  bool en = lang == Lang::En;
  std::string out = basis_text(lang) + "\n";
  int rank = 0;
  for (const RegionResult& r : results) {
    std::vector<Paying> pays = paying(r.report);
    out += fmt::format("{}. {}  {}\n", ++rank, region_label(r.region, lang),
                       total_text(r.report, lang));
    for (const DocumentResult& d : r.report.documents) {
      if (!d.in_force) {
        out += "   " + not_in_force_text(*d.document, r.report.profile->policy_year, lang) + "\n";
      }
    }
    for (const Paying& p : pays) {
      out += fmt::format("   {}  {}  {} {}\n", text::pad(text::money(p.amount), 16, true),
                         text::pad(p.rule->title.in(lang), 36), p.document->number,
                         text::article(p.rule->article, en ? Lang::En : Lang::Zh));
    }
    if (pays.empty())
      out += en ? "   (nothing with a fixed amount)\n" : "   （无确定金额的补助）\n";
    int open = 0;
    for (const DocumentResult& d : r.report.documents) open += d.unspecified;
    if (open > 0) {
      out += en ? fmt::format("   + {} eligible without a fixed amount\n", open)
                : fmt::format("   另有 {} 项可享受但金额未定\n", open);
    }
    out +=
        (en ? "   Still open: " : "   尚待补充：") + open_text(open_amount(r.report), lang) + "\n";
  }
  return out;
}

}  // namespace

std::string render_comparison(const std::vector<RegionResult>& results, const RuleSet& rules,
                              Format format, Lang lang) {
  if (format == Format::Json) return comparison_json(results, rules);
  if (format == Format::Markdown) return comparison_md(results, lang);
  return comparison_table(results, lang);
}

}  // namespace subsidy
