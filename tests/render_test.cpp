// Text rendering: display widths for aligned Chinese, money formatting, and report texts.
#include "report/render.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/builtin_rules.h"
#include "core/ruleset.h"
#include "core/testcases.h"
#include "core/unread.h"
#include "report/batch.h"
#include "report/html.h"
#include "report/rules_text.h"
#include "report/text.h"
#include "report/unread_text.h"
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
  for (const BenefitInfo& b : kBenefits) benefits.emplace_back(b.key);
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

// Bounds in words, never in the rule notation: 不低于 includes the bound, 高于 excludes it.
TEST(Render, ExplainsFailuresInWordsWithTheBound) {
  struct Case {
    const char* relation;
    const char* zh;
    const char* en;
  };
  const Case cases[] = {
      {"at_least", "研发费用（2022年）占营业收入（2022年）的比例为 2.99%，要求不低于3%",
       "the ratio of R&D (2022) to Revenue (2022) is 2.99%, required: at least 3%"},
      {"more_than", "研发费用（2022年）占营业收入（2022年）的比例为 2.99%，要求高于3%",
       "the ratio of R&D (2022) to Revenue (2022) is 2.99%, required: more than 3%"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.relation);
    std::string amount = R"({"kind": "exact", "formula": 1})";
    std::string when = std::string(R"({"value": {"ratio": [{"fact": "rd", "year": -1}, )") +
                       R"({"fact": "revenue", "year": -1}]}, ")" + c.relation + R"(": "3%"})";
    RuleSet rules = load({document("[" + rule("r", amount, when) + "]")});
    Profile p = profile(rules, R"({"rd": {"2022": 2990000}, "revenue": {"2022": 100000000}})");
    Report report = evaluate(rules, p);
    const RuleResult* r = find(report, "r");
    ASSERT_EQ(r->failures.size(), 1u);
    EXPECT_EQ(explain_failure(r->failures[0], report, Lang::Zh), c.zh);
    EXPECT_EQ(explain_failure(r->failures[0], report, Lang::En), c.en);
  }
}

TEST(Render, NamesMissingFactsWithYear) {
  RuleSet rules = load({document(
      "[" + rule("r", R"({"kind": "exact", "formula": {"fact": "rd", "year": -1}})") + "]")});
  Profile p = profile(rules, "{}");
  Report report = evaluate(rules, p);
  EXPECT_EQ(explain_missing(find(report, "r")->missing[0], report, Lang::Zh),
            "缺少：研发费用（2022年）");
  EXPECT_EQ(explain_missing(find(report, "r")->missing[0], report, Lang::En),
            "missing: R&D (2022)");
}

// Every trace step has a name in Chinese: the up-to step showed its id ("up_to") in 计算过程.
TEST(Render, EveryTraceStepHasAChineseLabel) {
  for (const StepKindInfo& s : kStepKinds) {
    std::string zh = step_label(s.value, Lang::Zh);
    EXPECT_NE(zh, s.key) << s.key;
    EXPECT_FALSE(zh.empty()) << s.key;
  }
  EXPECT_EQ(step_label(StepKind::UpTo, Lang::Zh), "最高限额");
  EXPECT_EQ(step_label(StepKind::UpTo, Lang::En), "up_to");
}

TEST(Render, JsonMoneyIsAStringWithTwoDecimals) {
  RuleSet rules =
      load({document("[" + rule("r", R"({"kind": "exact", "formula": "4293554.6"})") + "]")});
  Profile p = profile(rules, "{}");
  Report report = evaluate(rules, p);
  std::string json = render_report(report, Format::Json, Lang::Zh);
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
      // Longer than the record written on the stack: the record is sized by its bound, the
      // worst case (every byte escaped as six) included.
      std::string(20000, '\x01'),
      std::string(20000, 'x'),
  };
  RuleSet rules = load({document("[" + rule("r", R"({"kind": "exact", "formula": "1"})") + "]")});
  for (const std::string& id : ids) {
    BatchRecord record = error_record(1, 1, id, id, rules.documents().size());
    std::string text =
        nlohmann::json(id).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    EXPECT_EQ(batch_jsonl(record, rules), "{\"row\":1,\"line\":1,\"id\":" + text +
                                              ",\"status\":\"error\",\"error\":" + text + "}\n")
        << id;
  }
}

// A batch worker writes every record into the same string (BatchJsonl::write): each text must be
// exactly the record's, whatever a longer or shorter record left there, and a string that grew for
// a record longer than the stack buffer (128 KiB) must give that storage back rather than keep it
// for every later row.
TEST(BatchJsonl, WrittenIntoAReusedStringAsIntoAFreshOne) {
  RuleSet rules = load({document("[" + rule("r", R"({"kind": "exact", "formula": "1"})") + "]")});
  BatchJsonl jsonl(rules);
  std::string out = "left over from before";
  const std::string ids[] = {"ent-001",     std::string(200000, 'x'),  "",
                             "short again", std::string(3000, '\x01'), "a"};
  for (const std::string& id : ids) {
    BatchRecord record = error_record(1, 1, id, "bad", rules.documents().size());
    jsonl.write(record, out);
    EXPECT_EQ(out, batch_jsonl(record, rules)) << id.size();
  }
  EXPECT_LT(out.capacity(), 200000u);
}

// A batch writes its records with BatchJsonl, which makes each document's number as a JSON key
// once: a record so written must be exactly batch_jsonl's, which makes the key as it writes,
// whatever the number needs escaped, and with the money however it is written.
TEST(BatchJsonl, DocumentKeysMadeOnceAreWrittenAsEveryTime) {
  for (const std::string& number :
       {std::string(R"(测〔2023〕1号)"), std::string(R"(q\"uote \\ 〔1〕)"),
        std::string(R"(tab\t\u0001 〔2〕)")}) {
    std::string doc = document("[" + rule("r", R"({"kind": "exact", "formula": "1"})") + "]");
    std::string from = R"("number": "测〔2023〕1号")";
    doc.replace(doc.find(from), from.size(), R"("number": ")" + number + "\"");
    RuleSet rules = load({doc});
    ASSERT_EQ(rules.documents().size(), 1u) << number;
    BatchRecord record = error_record(7, 9, "ent", "", 1);
    record.ok = true;
    record.region = "330802";
    record.policy_year = 2023;
    record.total = Decimal::from_units(1'234'500'000);      // 1234.50
    record.tax_relief = Decimal::from_units(-125'000);      // not in whole fen: by fixed(2)
    record.fee_reduction = Decimal::from_units(1'234'567);  // the same
    record.document_totals[0] = record.total;
    std::string line = batch_jsonl(record, rules);
    std::string written;
    BatchJsonl(rules).write(record, written);
    EXPECT_EQ(written, line) << number;
    nlohmann::json parsed = nlohmann::json::parse(line);
    EXPECT_EQ(parsed["documents"][rules.documents()[0].number], "1234.50") << line;
    EXPECT_EQ(parsed["tax_relief"], record.tax_relief.fixed(2)) << line;
    EXPECT_EQ(parsed["fee_reduction"], "1.23") << line;
  }
}

// A batch worker scores every row into the same few records (their storage reused): a record so
// reused must be written exactly as a fresh one, whatever the row before it left there, with and
// without reasons (XLSX), for every shipped test profile, an error row between them.
TEST(BatchRecords, AReusedRecordIsWrittenAsAFreshOne) {
  Result<std::shared_ptr<const RuleSet>> loaded = load_rule_set(builtin_rule_files());
  ASSERT_TRUE(loaded.ok());
  const RuleSet& set = *loaded.value();
  for (bool reasons : {false, true}) {
    BatchRecord reused;
    Report report;
    UnreadMemo memo;
    RowScoring how;
    how.with_reasons = reasons;
    how.unread = &memo;
    BatchJsonl jsonl(set);  // as the batch writes its records
    std::string text;       // and into one string, reused
    std::size_t row = 0, warnings = 0;
    for (const SourceText& file : builtin_rule_files()) {
      if (!file.name.ends_with(".tests.json")) continue;
      Result<std::vector<TestCase>> cases = load_test_cases(file.text, file.name, set.vocabulary());
      ASSERT_TRUE(cases.ok());
      for (const TestCase& c : cases.value()) {
        ++row;
        if (row % 7 == 0) {
          reused = error_record(row, 1, "bad", "an error between", set.documents().size());
        }
        score_profile(c.profile, row, 1, set, how, report, reused);
        BatchRecord fresh;
        Report fresh_report;
        RowScoring alone = how;
        alone.unread = nullptr;
        score_profile(c.profile, row, 1, set, alone, fresh_report, fresh);
        ASSERT_EQ(batch_jsonl(reused, set), batch_jsonl(fresh, set)) << c.name;
        jsonl.write(reused, text);
        ASSERT_EQ(text, batch_jsonl(fresh, set)) << c.name;
        for (const UnreadFact& u : reused.warnings) {  // copied from their verdicts, not rewritten
          ASSERT_FALSE(u.text(&unread_fact_json).empty()) << c.name;
          ++warnings;
        }
        ASSERT_EQ(reused.reasons, fresh.reasons) << c.name;
        ASSERT_EQ(reused.roles, fresh.roles) << c.name;
      }
    }
    EXPECT_GT(row, 100u);
    EXPECT_GT(warnings, 0u);  // some shipped cases give other documents' facts on purpose
  }
}

}  // namespace
}  // namespace subsidy

namespace subsidy {
namespace {

using namespace testing_support;

// A document not in force for the policy year is one line in every report for a person: its
// number, title, validity and that it does not apply, with no heading, table or subtotal.
TEST(Render, DocumentNotInForceIsOneLine) {
  RuleSet rules = load({document("[" + rule("r", R"({"kind": "exact", "formula": 1000})") + "]",
                                 "[]", "330802", "330800", "2024-01-01", "2024-12-31")});
  Profile p = profile(rules, "{}");
  Report report = evaluate(rules, p);
  const Document& doc = rules.documents()[0];
  EXPECT_EQ(not_in_force_text(doc, 2023, Lang::Zh),
            "测〔2023〕1号《测试文件》：2024 年起施行，本年度（2023 年）不适用");
  EXPECT_EQ(not_in_force_text(doc, 2023, Lang::En),
            "测〔2023〕1号 \"测试文件\": in force from 2024-01-01; does not apply to 2023");
  EXPECT_EQ(not_in_force_text(doc, 2025, Lang::Zh),
            "测〔2023〕1号《测试文件》：有效期至 2024 年 12 月 31 日，本年度（2025 年）不适用");
  for (Lang lang : {Lang::Zh, Lang::En}) {
    for (Format format : {Format::Table, Format::Markdown}) {
      std::string out = render_report(report, format, lang);
      std::istringstream lines(out);
      int mentions = 0;
      for (std::string line; std::getline(lines, line);) {
        if (line.find("测〔2023〕1号") == std::string::npos) continue;
        ++mentions;
        EXPECT_EQ(line, not_in_force_text(doc, 2023, lang)) << out;
      }
      EXPECT_EQ(mentions, 1) << out;
      for (const char* absent : {"小计", "Subtotal", "  Total:", "条款", "Article", "## 测"})
        EXPECT_EQ(out.find(absent), std::string::npos) << absent << "\n" << out;
    }
    std::string html = render_html(report, lang, {});
    EXPECT_EQ(html.find("<h2>测〔2023〕1号"), std::string::npos) << html;
    EXPECT_NE(html.find("<p class=\"not-in-force\">" +
                        text::xml_escape(not_in_force_text(doc, 2023, lang)) + "</p>"),
              std::string::npos)
        << html;
  }
}

// Every report for a person says when it was produced, from which rules and program, and that
// it is an estimate; JSON has them under fixed keys (docs/output.md).
TEST(Render, ReportsCarryDateRulesVersionAndDisclaimer) {
  RuleSet rules = load({document("[" + rule("r", R"({"kind": "exact", "formula": 1000})") + "]")});
  Profile p = profile(rules, "{}");
  Report report = evaluate(rules, p);
  ReportExtras extras;
  extras.stamp = {"2026-01-15", rules.version(), "0.1.0"};
  const std::map<Lang, std::string> stamp = {
      {Lang::Zh, "生成于 2026-01-15（UTC） · 规则版本 " + rules.version() + " · subsidy 0.1.0"},
      {Lang::En,
       "Produced 2026-01-15 (UTC) · rules version " + rules.version() + " · subsidy 0.1.0"}};
  for (Lang lang : {Lang::Zh, Lang::En}) {
    for (Format format : {Format::Table, Format::Markdown}) {
      std::string out = render_report(report, format, lang, extras);
      EXPECT_NE(out.find(stamp.at(lang)), std::string::npos) << out;
      EXPECT_NE(out.find(disclaimer_text(lang)), std::string::npos) << out;
    }
    std::string html = render_html(report, lang, extras);
    EXPECT_NE(html.find(text::xml_escape(stamp.at(lang))), std::string::npos);
    EXPECT_NE(html.find(text::xml_escape(disclaimer_text(lang))), std::string::npos);
    nlohmann::json j = nlohmann::json::parse(render_report(report, Format::Json, lang, extras));
    EXPECT_EQ(j["generated"], "2026-01-15");
    EXPECT_EQ(j["rules_version"], rules.version());
    EXPECT_EQ(j["program_version"], "0.1.0");
    EXPECT_EQ(j["disclaimer"], disclaimer_text(lang));
  }
  EXPECT_NE(disclaimer_text(Lang::Zh).find("不是政府部门的决定"), std::string::npos);
  EXPECT_NE(disclaimer_text(Lang::En).find("not a decision of any government"), std::string::npos);
}

// The rules version: 16 hex digits of the rule files' names and texts, whatever their folder,
// and not of the test files.
TEST(Loader, RulesVersionIsAHashOfTheRuleFiles) {
  std::string doc = document("[" + rule("r", R"({"kind": "exact", "formula": 1000})") + "]");
  auto version = [](std::vector<SourceText> files) {
    Result<std::shared_ptr<const RuleSet>> r = load_rule_set(files);
    return r.ok() ? r.value()->version() : std::string("failed");
  };
  std::string v = version({{"facts.json", kVocabulary}, {"a.json", doc}});
  EXPECT_EQ(v.size(), 16u);
  EXPECT_EQ(v.find_first_not_of("0123456789abcdef"), std::string::npos) << v;
  EXPECT_EQ(version({{"a.json", doc}, {"facts.json", kVocabulary}}), v);
  EXPECT_EQ(version({{"rules/facts.json", kVocabulary}, {"rules/a.json", doc}}), v);
  EXPECT_EQ(version({{"facts.json", kVocabulary},
                     {"a.json", doc},
                     {"a.tests.json", R"({"format": "subsidy-tests/1", "cases": []})"}}),
            v);
  std::string changed = doc;
  changed.replace(changed.find("1000"), 4, "1001");
  EXPECT_NE(version({{"facts.json", kVocabulary}, {"a.json", changed}}), v);
  EXPECT_NE(version({{"facts.json", kVocabulary}, {"b.json", doc}}), v);
}

}  // namespace
}  // namespace subsidy
