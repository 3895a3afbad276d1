// Text rendering: display widths for aligned Chinese, money formatting, and report texts.
#include "report/render.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "report/batch.h"
#include "report/rules_text.h"
#include "report/text.h"
#include "test_support.h"

namespace subsidy {
namespace {

using namespace testing_support;

std::string source_file(const std::string& rel) {
  std::ifstream in(std::string(SUBSIDY_SOURCE_DIR) + "/" + rel, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The payer and benefit tables are defined once (core/model.h); the rule format's documentation
// and JSON Schema repeat them for readers, and must say the same.
TEST(Docs, PayerTableInRulesMdIsKPayers) {
  EXPECT_NE(source_file("docs/rules.md").find(render_payer_table()), std::string::npos)
      << "docs/rules.md must contain, verbatim:\n"
      << render_payer_table();
}

TEST(Docs, SchemaEnumsAreThePayerAndBenefitTables) {
  nlohmann::json schema = nlohmann::json::parse(source_file("docs/schema/rules.schema.json"));
  std::vector<std::string> payers, benefits;
  for (const PayerInfo& p : kPayers) payers.emplace_back(p.id);
  for (const BenefitInfo& b : kBenefits) benefits.emplace_back(b.id);
  // Flattened keys sort as text ("enum/10" before "enum/2"): place each by its index.
  std::map<int, std::string> payer_enum, benefit_enum;
  const nlohmann::json flat = schema.flatten();
  for (const auto& [key, value] : flat.items()) {
    for (auto [name, into] :
         {std::pair{"/payer/enum/", &payer_enum}, std::pair{"/benefit/enum/", &benefit_enum}}) {
      std::size_t at = key.find(name);
      if (at != std::string::npos)
        (*into)[std::stoi(key.substr(at + std::string(name).size()))] = value;
    }
  }
  auto values = [](const std::map<int, std::string>& m) {
    std::vector<std::string> out;
    for (const auto& [i, v] : m) out.push_back(v);
    return out;
  };
  EXPECT_EQ(values(payer_enum), payers);
  EXPECT_EQ(values(benefit_enum), benefits);
}

TEST(Text, DisplayWidthCountsChineseAsTwoColumns) {
  EXPECT_EQ(text::display_width("abc"), 3);
  EXPECT_EQ(text::display_width("技改项目"), 8);
  EXPECT_EQ(text::display_width("第6条"), 5);
  EXPECT_EQ(text::display_width("（含）"), 6);
  EXPECT_EQ(text::display_width("¥1,000"), 6);
}

TEST(Text, PadsAndTruncatesByDisplayWidth) {
  EXPECT_EQ(text::pad("技改", 6), "技改  ");
  EXPECT_EQ(text::pad("技改", 6, true), "  技改");
  EXPECT_EQ(text::display_width(text::pad("技术改造项目补助", 7)), 7);
  EXPECT_EQ(text::pad("技术改造项目补助", 7), "技术改…");
}

TEST(Text, MoneyHasThousandsSeparators) {
  Message err;
  EXPECT_EQ(text::money(*Decimal::parse("1234567.891", 0, &err)), "¥1,234,567.89");
  EXPECT_EQ(text::money(*Decimal::parse("0", 0, &err)), "¥0.00");
  EXPECT_EQ(text::money(*Decimal::parse("999", 0, &err)), "¥999.00");
}

TEST(Render, ExplainsFailuresWithValueAndInclusiveThreshold) {
  std::string amount = R"({"kind": "exact", "formula": 1})";
  std::string when =
      R"({"value": {"ratio": [{"fact": "rd", "year": -1}, {"fact": "revenue", "year": -1}]}, "at_least": "3%"})";
  RuleSet rules = load({document("[" + rule("r", amount, when) + "]")});
  Profile p = profile(rules, R"({"rd": {"2022": 2990000}, "revenue": {"2022": 100000000}})");
  Report report = evaluate(rules, p);
  const RuleResult* r = find(report, "r");
  ASSERT_EQ(r->failures.size(), 1u);
  EXPECT_EQ(explain_failure(r->failures[0], report, "zh"),
            "研发费用（2022年） ÷ 营业收入（2022年）为 2.99%，要求 ≥ 3%（含）");
  EXPECT_EQ(explain_failure(r->failures[0], report, "en"),
            "R&D (2022) ÷ Revenue (2022) is 2.99%, required ≥ 3% (inclusive)");
}

TEST(Render, NamesMissingFactsWithYear) {
  RuleSet rules = load({document(
      "[" + rule("r", R"({"kind": "exact", "formula": {"fact": "rd", "year": -1}})") + "]")});
  Profile p = profile(rules, "{}");
  Report report = evaluate(rules, p);
  EXPECT_EQ(explain_missing(find(report, "r")->missing[0], report, "zh"),
            "缺少：研发费用（2022年）");
  EXPECT_EQ(explain_missing(find(report, "r")->missing[0], report, "en"), "missing: R&D (2022)");
}

TEST(Render, JsonMoneyIsAStringWithTwoDecimals) {
  RuleSet rules =
      load({document("[" + rule("r", R"({"kind": "exact", "formula": "4293554.6"})") + "]")});
  Profile p = profile(rules, "{}");
  Report report = evaluate(rules, p);
  std::string json = render_report(report, Format::Json, "zh");
  EXPECT_NE(json.find(R"("amount": "4293554.60")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("total": "4293554.60")"), std::string::npos);
}

// The hot path copies plain text straight into a JSON Lines record; whatever the text, the result
// must be exactly what nlohmann writes (escapes, and U+FFFD for bytes that are not UTF-8).
TEST(BatchJsonl, TextIsEscapedExactlyAsNlohmannWould) {
  const std::string ids[] = {
      "",
      "ent-001",
      "杭州某某科技有限公司",
      "emoji \xF0\x9F\x98\x80 four bytes",
      "quote \" backslash \\ slash /",
      "tab\there\nnewline",
      std::string("nul\0byte", 8),
      "del \x7F",
      "lone continuation \x80",
      "overlong \xC0\xAF",
      "overlong three \xE0\x80\xAF",
      "surrogate \xED\xA0\x80",
      "above U+10FFFF \xF4\x90\x80\x80",
      "truncated \xE6\x9D",
      "truncated at end \xF0\x9F\x98",
      "\xFF\xFE",
      "max \xF4\x8F\xBF\xBF",
  };
  RuleSet rules = load({document("[" + rule("r", R"({"kind": "exact", "formula": "1"})") + "]")});
  for (const std::string& id : ids) {
    BatchRecord record = error_record(1, 1, id, id, rules.documents.size());
    std::string text =
        nlohmann::json(id).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    EXPECT_EQ(batch_jsonl(record, rules), "{\"row\":1,\"line\":1,\"id\":" + text +
                                              ",\"status\":\"error\",\"error\":" + text + "}\n")
        << id;
  }
}

}  // namespace
}  // namespace subsidy
