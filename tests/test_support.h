// Helpers for engine and loader tests: a small fact vocabulary and rule documents built from
// inline JSON, so no test touches the disk.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "core/engine.h"
#include "core/profile.h"
#include "core/ruleset.h"

namespace subsidy::testing_support {

inline const char* kVocabulary = R"({
  "format": "subsidy-facts/1",
  "facts": [
    {"name": "revenue", "type": "number", "unit": "yuan", "per_year": true, "zh": "营业收入", "en": "Revenue"},
    {"name": "rd", "type": "number", "unit": "yuan", "per_year": true, "zh": "研发费用", "en": "R&D"},
    {"name": "invest", "type": "number", "unit": "yuan", "per_year": true, "zh": "技改投资", "en": "Investment"},
    {"name": "area", "type": "number", "unit": "mu", "per_year": true, "zh": "面积", "en": "Area"},
    {"name": "freight", "type": "number", "unit": "ton_km", "per_year": true, "zh": "周转量", "en": "Freight"},
    {"name": "premium", "type": "number", "unit": "yuan", "per_year": true, "zh": "保费", "en": "Premium"},
    {"name": "insured", "type": "number", "unit": "yuan", "per_year": true, "zh": "保额", "en": "Insured amount"},
    {"name": "first_year", "type": "number", "unit": "year", "zh": "首年", "en": "First year"},
    {"name": "income", "type": "number", "unit": "yuan", "per_year": true, "zh": "所得", "en": "Income"},
    {"name": "award", "type": "number", "unit": "yuan", "zh": "上级奖励", "en": "Upper award"},
    {"name": "little_giant", "type": "bool", "zh": "科技小巨人", "en": "Little giant"},
    {"name": "level", "type": "enum", "values": ["national", "provincial"], "zh": "级别", "en": "Level",
     "labels": {"national": {"zh": "国家级", "en": "National level"}, "provincial": {"zh": "省级", "en": "Provincial level"}}},
    {"name": "talents", "type": "list", "zh": "人才", "en": "Talents", "fields": [
      {"name": "salary", "type": "number", "unit": "yuan", "per_year": true, "zh": "年薪", "en": "Salary"},
      {"name": "start", "type": "number", "unit": "year", "zh": "起始年", "en": "Start"}]},
    {"name": "projects", "type": "list", "zh": "技改项目: 每个项目一条", "en": "Projects: one item each", "fields": [
      {"name": "invest", "type": "number", "unit": "yuan", "zh": "新增设备和技术投资额（项目总额）", "en": "Investment"},
      {"name": "completed", "type": "number", "unit": "year", "zh": "竣工年份", "en": "Completed"}]},
    {"name": "certifications", "type": "list", "zh": "认定", "en": "Certifications", "fields": [
      {"name": "type", "type": "enum", "values": ["incubator", "little_giant"], "zh": "类型", "en": "Type"},
      {"name": "level", "type": "enum", "values": ["national", "provincial"], "zh": "级别", "en": "Level"},
      {"name": "year", "type": "number", "unit": "year", "zh": "年份", "en": "Year"}]}
  ]
})";

// A rule document around `rules` (a JSON array text); every rule must use article "1".
inline std::string document(const std::string& rules, const std::string& groups = "[]",
                            const std::string& region = "330802",
                            const std::string& parent = "330800",
                            const std::string& from = "2023-01-01",
                            const std::string& to = "2023-12-31") {
  return R"({"format": "subsidy-rules/1",
    "document": {"id": "doc-)" +
         region + R"(", "title": "测试文件", "number": "测〔2023〕1号",
      "issuer": "测试区人民政府", "region": {"code": ")" +
         region + R"(", "name": "测试区")" +
         (parent.empty() ? "" : R"(, "parent": ")" + parent + "\"") + R"(},
      "issued": "2023-01-01", "valid_from": ")" +
         from + R"(", "valid_to": ")" + to + R"(",
      "validity_quote": "2023年全年有效。"},
    "articles": [{"article": "1", "title": "测试"}],
    "rules": )" +
         rules + R"(, "groups": )" + groups + "}";
}

// One rule with the boilerplate filled in.
inline std::string rule(const std::string& id, const std::string& amount,
                        const std::string& when = "", const std::string& extra = "") {
  return R"({"id": ")" + id + R"(", "title": {"zh": "测试", "en": "Test"}, "article": "1",
    "quote": "原文。", "category": "rnd", "applicants": ["enterprise", "family_farm"],
    "amount": )" +
         amount + (when.empty() ? "" : R"(, "when": )" + when) + extra + "}";
}

inline RuleSet load(const std::vector<std::string>& documents) {
  std::vector<std::string> names;
  std::vector<SourceText> sources{{"facts.json", kVocabulary}};
  for (std::size_t i = 0; i < documents.size(); ++i) names.push_back("doc" + std::to_string(i));
  for (std::size_t i = 0; i < documents.size(); ++i) sources.push_back({names[i], documents[i]});
  Result<std::shared_ptr<const RuleSet>> r = load_rule_set(sources);
  if (!r.ok()) {
    for (const Diagnostic& d : r.errors()) ADD_FAILURE() << format_diagnostic(d, Lang::En);
    return RuleSet(RuleSet::Parts{});
  }
  return *r.value();
}

inline Profile profile(const RuleSet& rules, const std::string& facts,
                       const std::string& form = "enterprise", int year = 2023,
                       const std::string& region = "330802") {
  std::string text = R"({"id": "p", "form": ")" + form + R"(", "region": ")" + region +
                     R"(", "policy_year": )" + std::to_string(year) + R"(, "facts": )" + facts +
                     "}";
  Result<Profile> p = load_profile(text, "profile.json", rules.vocabulary());
  if (!p.ok()) {
    for (const Diagnostic& d : p.errors()) ADD_FAILURE() << format_diagnostic(d, Lang::En);
    return Profile{};
  }
  return std::move(p.value());
}

inline const RuleResult* find(const Report& report, const std::string& id) {
  for (const DocumentResult& d : report.documents) {
    for (const RuleResult& r : d.rules) {
      if (r.rule->id == id) return &r;
    }
  }
  return nullptr;
}

}  // namespace subsidy::testing_support
