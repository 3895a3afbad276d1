#include "report/compare_text.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <nlohmann/json.hpp>

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
  for (const Document& d : rules.documents) {
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

std::string total_text(const Report& report, std::string_view lang) {
  if (report.overflow) {
    return lang == "en" ? "overflow (beyond ¥9,000,000,000,000)"
                        : "溢出（超出 ¥9,000,000,000,000）";
  }
  std::string m = text::money(report.total);
  m = report.total_is_floor ? (lang == "en" ? "at least " : "不低于") + m : m;
  // Tax relief and fees or tolls reduced are savings, not money paid: beside the total, never in
  // it, so that regions are still ranked by money alone.
  std::vector<std::string> savings;
  if (!report.tax_relief.is_zero()) {
    savings.push_back(fmt::format("{} {}", lang == "en" ? "tax relief" : "税收减免",
                                  text::money(report.tax_relief)));
  }
  if (!report.fee_reduction.is_zero()) {
    savings.push_back(fmt::format("{} {}", lang == "en" ? "fee reductions" : "费用减免",
                                  text::money(report.fee_reduction)));
  }
  if (!savings.empty()) {
    m += lang == "en" ? fmt::format(" (plus {}, not in the total)", fmt::join(savings, ", "))
                      : fmt::format("（另：{}，未计入合计）", fmt::join(savings, "、"));
  }
  return m;
}

}  // namespace

std::string render_comparison(const std::vector<RegionResult>& results, const RuleSet& rules,
                              const std::string& format, std::string_view lang) {
  bool en = lang == "en";
  if (format == "json") {
    nlohmann::ordered_json j;
    j["format"] = "subsidy-compare/1";
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const RegionResult& r : results) {
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
      list.push_back(jr);
    }
    j["regions"] = list;
    return j.dump(2) + "\n";
  }
  std::string out;
  bool md = format == "md";
  if (md) {
    out += en ? "# Where would this applicant receive most?\n\n| rank | region | total | rules "
                "that pay |\n|---:|---|---:|---|\n"
              : "# 同一主体在各地区可享受的补助\n\n| 排名 | 地区 | 合计 | 可享受的政策 "
                "|\n|---:|---|---:|---|\n";
  }
  int rank = 0;
  for (const RegionResult& r : results) {
    ++rank;
    std::vector<Paying> pays = paying(r.report);
    std::string name = region_label(r.region, lang);
    if (md) {
      std::string list;
      for (const Paying& p : pays) {
        list += (list.empty() ? "" : "<br>") + fmt::format("{} `{}` {}", p.rule->title.in(lang),
                                                           p.rule->id, text::money(p.amount));
      }
      out += fmt::format("| {} | {} | {} | {} |\n", rank, name, total_text(r.report, lang), list);
      continue;
    }
    out += fmt::format("{}. {}  {}\n", rank, name, total_text(r.report, lang));
    for (const DocumentResult& d : r.report.documents) {
      if (!d.in_force) {
        out += "   " + not_in_force_text(*d.document, r.report.profile->policy_year, lang) + "\n";
      }
    }
    for (const Paying& p : pays) {
      out += fmt::format("   {}  {}  {} {}\n", text::pad(text::money(p.amount), 16, true),
                         text::pad(p.rule->title.in(lang), 36), p.document->number,
                         en ? "art. " + p.rule->article : "第" + p.rule->article + "条");
    }
    if (pays.empty())
      out += en ? "   (nothing with a fixed amount)\n" : "   （无确定金额的补助）\n";
    int open = 0, needs = 0;
    for (const DocumentResult& d : r.report.documents) {
      open += d.unspecified;
      needs += d.needs_info;
    }
    if (open + needs > 0) {
      out += en ? fmt::format("   + {} eligible without a fixed amount, {} need more information\n",
                              open, needs)
                : fmt::format("   另有 {} 项可享受但金额未定，{} 项需补充信息\n", open, needs);
    }
  }
  return out;
}

}  // namespace subsidy
