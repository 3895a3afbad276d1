#include "report/documents_text.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/coverage.h"
#include "core/region.h"

namespace subsidy {
namespace {

std::string date_text(const Date& d) {
  return fmt::format("{}-{:02}-{:02}", d.year, d.month, d.day);
}

// A region as JSON: its code and its names in both languages (null when the table lacks it).
nlohmann::ordered_json region_json(const std::string& code) {
  const RegionName* r = region_name(code);
  nlohmann::ordered_json j;
  j["code"] = code.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(code);
  j["name_zh"] = r ? nlohmann::ordered_json(std::string(r->zh)) : nlohmann::ordered_json(nullptr);
  j["name_en"] = r ? nlohmann::ordered_json(std::string(r->en)) : nlohmann::ordered_json(nullptr);
  return j;
}

nlohmann::ordered_json document_json(const Document& d) {
  DocumentCoverage c = document_coverage(d);
  nlohmann::ordered_json j;
  j["id"] = d.id;
  j["number"] = d.number;
  j["title"] = d.title;
  j["issuer"] = d.issuer;
  j["region"] = region_json(d.region.code);
  j["parent_region"] = region_json(d.region.parent);
  j["valid_from"] = date_text(d.valid_from);
  j["valid_to"] = date_text(d.valid_to);
  nlohmann::ordered_json by_benefit = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < std::size(kBenefits); ++k)
    by_benefit[std::string(kBenefits[k].key)] = c.rules_by_benefit[k];
  j["rules"] = c.rules;
  j["rules_by_benefit"] = by_benefit;
  j["articles"] = {{"total", c.articles},
                   {"encoded", c.encoded},
                   {"amount_unspecified", c.unspecified},
                   {"not_payable", c.not_payable}};
  return j;
}

// One document as a block of lines: heading, regions, validity, rules, articles.
std::string document_text(const Document& d, Lang lang) {
  bool en = lang == Lang::En;
  DocumentCoverage c = document_coverage(d);
  std::string rules;
  for (std::size_t k = 0; k < std::size(kBenefits); ++k) {
    if (c.rules_by_benefit[k] == 0) continue;
    rules += (rules.empty() ? "" : (en ? ", " : "，")) +
             (en ? fmt::format("{}: {}", kBenefits[k].en, c.rules_by_benefit[k])
                 : fmt::format("{} {} 项", kBenefits[k].zh, c.rules_by_benefit[k]));
  }
  std::string parent =
      d.region.parent.empty() ? (en ? "none" : "无") : region_label(d.region.parent, lang);
  if (en) {
    return fmt::format(
        "{} {}\n  Region: {}   parent region: {}\n  In force: {} to {}\n  Rules: {} ({})\n"
        "  Articles: {} of {} encoded with an amount ({} without a stated amount, {} without "
        "payment terms)\n",
        d.number, d.title, region_label(d.region.code, lang), parent, date_text(d.valid_from),
        date_text(d.valid_to), c.rules, rules, c.encoded, c.articles, c.unspecified, c.not_payable);
  }
  return fmt::format(
      "{} {}\n  地区：{}   上级地区：{}\n  有效期：{} 至 {}\n  规则：共 {} 项（{}）\n"
      "  条款：{} 条中 {} 条已按金额编码（{} 条金额未定，{} 条不涉及支付）\n",
      d.number, d.title, region_label(d.region.code, lang), parent, date_text(d.valid_from),
      date_text(d.valid_to), c.rules, rules, c.articles, c.encoded, c.unspecified, c.not_payable);
}

}  // namespace

std::string render_documents(const RuleSet& rules, Format format, Lang lang) {
  if (format == Format::Json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Document& d : rules.documents()) list.push_back(document_json(d));
    nlohmann::ordered_json j;
    j["format"] = "subsidy-documents/1";
    j["documents"] = list;
    return j.dump(2) + "\n";
  }
  std::string out = lang == Lang::En
                        ? fmt::format("Policy documents encoded: {}\n", rules.documents().size())
                        : fmt::format("已编码的政策文件共 {} 份：\n", rules.documents().size());
  for (const Document& d : rules.documents()) out += "\n" + document_text(d, lang);
  return out;
}

}  // namespace subsidy
