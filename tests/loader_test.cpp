// The loaders reject every malformed rule file and profile with a located diagnostic, and report
// all problems of a file in one pass.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/profile_csv.h"
#include "core/rules_version.h"
#include "core/testcases.h"
#include "test_support.h"

namespace subsidy {
namespace {

using namespace testing_support;

std::vector<Diagnostic> rule_errors(const std::string& doc) {
  std::vector<SourceText> sources{{"facts.json", kVocabulary}, {"doc.json", doc}};
  Result<std::shared_ptr<const RuleSet>> r = load_rule_set(sources);
  if (r.ok()) return {};
  return r.errors();
}

bool has_code(const std::vector<Diagnostic>& ds, const std::string& code) {
  for (const Diagnostic& d : ds) {
    if (d.code == code) return true;
  }
  return false;
}

struct BadRule {
  std::string name;
  std::string rules;  // the "rules" array
  std::string code;   // expected diagnostic code
};

std::ostream& operator<<(std::ostream& os, const BadRule& c) {
  return os << c.name;
}

class BadRules : public testing::TestWithParam<BadRule> {};

TEST_P(BadRules, AreRejectedWithALocatedDiagnostic) {
  std::vector<Diagnostic> ds = rule_errors(document(GetParam().rules));
  ASSERT_FALSE(ds.empty()) << "accepted: " << GetParam().rules;
  EXPECT_TRUE(has_code(ds, GetParam().code)) << format_diagnostic(ds[0], Lang::En);
  for (const Diagnostic& d : ds) {
    EXPECT_EQ(d.file, "doc.json");
    EXPECT_GT(d.line, 0) << format_diagnostic(d, Lang::En);
    EXPECT_FALSE(d.path.empty()) << format_diagnostic(d, Lang::En);
  }
}

const std::string kOk = R"({"kind": "exact", "formula": 1})";

INSTANTIATE_TEST_SUITE_P(
    Table, BadRules,
    testing::Values(
        BadRule{"unknown_key", "[" + rule("r", kOk, "", R"(, "colour": 1)") + "]", "unknown-key"},
        BadRule{"unknown_fact",
                "[" + rule("r", R"({"kind": "exact", "formula": {"fact": "nope"}})") + "]",
                "unknown-fact"},
        BadRule{"per_year_without_year",
                "[" + rule("r", R"({"kind": "exact", "formula": {"fact": "rd"}})") + "]",
                "missing-key"},
        BadRule{
            "year_on_scalar",
            "[" + rule("r", R"({"kind": "exact", "formula": {"fact": "award", "year": 0}})") + "]",
            "bad-reference"},
        BadRule{"bracket_overlap",
                "[" + rule("r", R"({"kind": "exact", "formula": {"brackets": {"of": 1, "table": [
                  {"at_least": 0, "at_most": 10, "then": 1}, {"at_least": 10, "then": 2}]}}})") +
                    "]",
                "bracket-overlap"},
        BadRule{"bracket_gap",
                "[" + rule("r", R"({"kind": "exact", "formula": {"brackets": {"of": 1, "table": [
                  {"at_least": 0, "less_than": 10, "then": 1}, {"more_than": 10, "then": 2}]}}})") +
                    "]",
                "bracket-gap"},
        BadRule{"bracket_inverted",
                "[" + rule("r", R"({"kind": "exact", "formula": {"brackets": {"of": 1, "table": [
                  {"at_least": 10, "less_than": 5, "then": 1}]}}})") +
                    "]",
                "bad-bracket"},
        BadRule{"bracket_both_inclusivities",
                "[" + rule("r", R"({"kind": "exact", "formula": {"brackets": {"of": 1, "table": [
                  {"at_least": 1, "more_than": 1, "then": 1}]}}})") +
                    "]",
                "bad-bracket"},
        BadRule{"negative_cap",
                "[" + rule("r", R"({"kind": "exact", "formula": 1, "cap": "-1"})") + "]",
                "bad-value"},
        BadRule{"empty_quote",
                R"([{"id": "r", "title": {"zh": "a", "en": "a"}, "article": "1", "quote": "",
                    "category": "rnd", "applicants": ["enterprise"], "amount": {"kind": "unspecified"}}])",
                "missing-quote"},
        BadRule{"no_quote",
                R"([{"id": "r", "title": {"zh": "a", "en": "a"}, "article": "1",
                    "category": "rnd", "applicants": ["enterprise"], "amount": {"kind": "unspecified"}}])",
                "missing-key"},
        BadRule{"duplicate_id", "[" + rule("r", kOk) + "," + rule("r", kOk) + "]", "duplicate-id"},
        BadRule{"unknown_article",
                R"([{"id": "r", "title": {"zh": "a", "en": "a"}, "article": "2", "quote": "q",
                    "category": "rnd", "applicants": ["enterprise"], "amount": {"kind": "unspecified"}}])",
                "unknown-article"},
        BadRule{"too_many_decimals",
                "[" + rule("r", R"({"kind": "exact", "formula": "0.0000001"})") + "]",
                "bad-number"},
        BadRule{"number_too_large", "[" + rule("r", R"({"kind": "exact", "formula": 1e400})") + "]",
                "bad-number"},
        BadRule{"unknown_category",
                R"([{"id": "r", "title": {"zh": "a", "en": "a"}, "article": "1", "quote": "q",
                    "category": "misc", "applicants": ["enterprise"], "amount": {"kind": "unspecified"}}])",
                "bad-value"},
        // The schema's enum has no empty id; the compiler took "" as "no category" and let the rule
        // through, which then showed no category in any report.
        BadRule{"empty_category",
                R"([{"id": "r", "title": {"zh": "a", "en": "a"}, "article": "1", "quote": "q",
                    "category": "", "applicants": ["enterprise"], "amount": {"kind": "unspecified"}}])",
                "bad-value"},
        // A category's name is for people (`rules --category Tax`); a rule file writes its id. The
        // name was accepted and stored, and "Tax" then missed the tax-relief flag read by the id,
        // so a tax saving would have been summed as a grant.
        BadRule{"category_name_not_id",
                R"([{"id": "r", "title": {"zh": "a", "en": "a"}, "article": "1", "quote": "q",
                    "category": "Tax", "applicants": ["enterprise"], "amount": {"kind": "unspecified"}}])",
                "bad-value"},
        BadRule{
            "unknown_payer",
            "[" +
                rule("r", kOk, "", R"(, "payers": [{"payer": "district_finance", "rest": true}])") +
                "]",
            "bad-payer"},
        BadRule{"unknown_benefit", "[" + rule("r", kOk, "", R"(, "benefit": "discount")") + "]",
                "bad-value"},
        BadRule{"tax_rule_as_fee_reduction",
                R"([{"id": "r", "title": {"zh": "a", "en": "a"}, "article": "1", "quote": "q",
                    "category": "tax", "benefit": "fee_reduction", "applicants": ["enterprise"],
                    "amount": {"kind": "unspecified"}}])",
                "bad-value"},
        BadRule{"bool_compared_with_bound",
                "[" + rule("r", kOk, R"({"fact": "little_giant", "at_least": 1})") + "]", "type"},
        BadRule{"number_is_text", "[" + rule("r", kOk, R"({"fact": "award", "is": "x"})") + "]",
                "type"},
        BadRule{
            "is_with_bounds",
            "[" + rule("r", kOk, R"({"fact": "little_giant", "is": true, "at_least": 1})") + "]",
            "bad-condition"},
        BadRule{"empty_in", "[" + rule("r", kOk, R"({"fact": "level", "in": []})") + "]",
                "bad-condition"},
        BadRule{
            "item_outside_list",
            "[" + rule("r", R"({"kind": "exact", "formula": {"item": "salary", "year": 0}})") + "]",
            "bad-reference"},
        BadRule{"list_as_value",
                "[" + rule("r", R"({"kind": "exact", "formula": {"fact": "talents"}})") + "]",
                "bad-reference"},
        BadRule{"not_an_expression",
                "[" + rule("r", R"({"kind": "exact", "formula": {"plus": [1, 2]}})") + "]",
                "bad-expression"},
        BadRule{"sub_arity",
                "[" + rule("r", R"({"kind": "exact", "formula": {"sub": [1, 2, 3]}})") + "]",
                "bad-expression"},
        BadRule{"policy_year_false",
                "[" + rule("r", R"({"kind": "exact", "formula": {"policy_year": false}})") + "]",
                "bad-expression"},
        BadRule{
            "two_rest_payers",
            "[" +
                rule(
                    "r", kOk, "",
                    R"(, "payers": [{"payer": "a", "rest": true}, {"payer": "b", "rest": true}])") +
                "]",
            "bad-payer"},
        BadRule{
            "payer_two_forms",
            "[" +
                rule("r", kOk, "", R"(, "payers": [{"payer": "a", "rest": true, "share": "5%"}])") +
                "]",
            "bad-payer"},
        BadRule{"payer_on_unspecified",
                "[" +
                    rule("r", R"({"kind": "unspecified"})", "",
                         R"(, "payers": [{"payer": "a", "rest": true}])") +
                    "]",
                "bad-payer"},
        BadRule{"unknown_amount_kind", "[" + rule("r", R"({"kind": "about"})") + "]", "bad-value"},
        BadRule{"empty_case",
                "[" + rule("r", R"({"kind": "exact", "formula": {"case": []}})") + "]",
                "bad-expression"},
        BadRule{"steps_zero_size",
                "[" +
                    rule("r", R"({"kind": "exact", "formula": {"steps": {"of": 1, "size": 0}}})") +
                    "]",
                "bad-value"},
        BadRule{"marginal_bands_out_of_order",
                "[" + rule("r", R"({"kind": "exact", "formula": {"marginal": {"of": 1, "bands": [
                  {"up_to": 10, "rate": 1}, {"up_to": 5, "rate": 1}, {"rate": 1}]}}})") +
                    "]",
                "bracket-overlap"}),
    [](const testing::TestParamInfo<BadRule>& info) { return info.param.name; });

TEST(Loader, ReportsEveryProblemOfAFileInOnePass) {
  std::string rules = "[" +
                      rule("r", R"({"kind": "exact", "formula": {"fact": "nope"}, "cap": "-1"})",
                           "", R"(, "colour": 1)") +
                      "]";
  std::vector<Diagnostic> ds = rule_errors(document(rules));
  EXPECT_TRUE(has_code(ds, "unknown-fact"));
  EXPECT_TRUE(has_code(ds, "bad-value"));
  EXPECT_TRUE(has_code(ds, "unknown-key"));
}

TEST(Loader, ArticlesMustBeAccountedFor) {
  std::string doc = document("[" + rule("r", kOk) + "]");
  std::string extra = doc;
  extra.replace(extra.find(R"([{"article": "1", "title": "测试"}])"),
                std::string(R"([{"article": "1", "title": "测试"}])").size(),
                R"([{"article": "1", "title": "测试"}, {"article": "2", "title": "无"}])");
  EXPECT_TRUE(has_code(rule_errors(extra), "article-disposition"));
  std::string both = doc;
  both.replace(both.find(R"({"article": "1", "title": "测试"})"),
               std::string(R"({"article": "1", "title": "测试"})").size(),
               R"({"article": "1", "title": "测试", "not_payable": "budget"})");
  EXPECT_TRUE(has_code(rule_errors(both), "article-disposition"));
}

TEST(Loader, GroupsNameKnownDistinctRules) {
  std::string rules = "[" + rule("a", kOk) + "," + rule("b", kOk) + "]";
  EXPECT_TRUE(has_code(
      rule_errors(document(
          rules, R"([{"id": "g", "mode": "highest", "rules": ["a", "zz"], "quote": "q"}])")),
      "unknown-rule"));
  EXPECT_TRUE(has_code(
      rule_errors(document(
          rules, R"([{"id": "g", "mode": "highest", "rules": ["a", "a"], "quote": "q"}])")),
      "bad-group"));
  EXPECT_TRUE(
      has_code(rule_errors(document(
                   rules, R"([{"id": "g", "mode": "sum", "rules": ["a", "b"], "quote": "q"}])")),
               "bad-value"));
}

TEST(Loader, RejectsImpossibleDates) {
  std::vector<Diagnostic> ds =
      rule_errors(document("[" + rule("r", kOk) + "]", "[]", "330802", "330800", "2023-02-29"));
  EXPECT_TRUE(has_code(ds, "bad-value"));
}

TEST(Loader, RuleIdsAreUniqueAcrossFiles) {
  std::string a = document("[" + rule("r", kOk) + "]");
  std::string b = document("[" + rule("r", kOk) + "]", "[]", "330803");
  std::vector<SourceText> sources{{"facts.json", kVocabulary}, {"a.json", a}, {"b.json", b}};
  Result<std::shared_ptr<const RuleSet>> r = load_rule_set(sources);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has_code(r.errors(), "duplicate-id"));
}

TEST(Loader, NeedsAVocabulary) {
  std::string doc = document("[" + rule("r", kOk) + "]");
  Result<std::shared_ptr<const RuleSet>> r = load_rule_set({{"doc.json", doc}});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has_code(r.errors(), "vocabulary"));
}

TEST(Loader, VocabularyMaySpanFilesButNotRepeatAFact) {
  std::string extra = R"({"format": "subsidy-facts/1", "facts": [
    {"name": "fleet", "type": "number", "unit": "count", "zh": "船舶", "en": "Ships"}]})";
  std::string dup = R"({"format": "subsidy-facts/1", "facts": [
    {"name": "award", "type": "number", "unit": "yuan", "zh": "奖", "en": "Award"}]})";
  std::string doc =
      document("[" + rule("r", R"({"kind": "exact", "formula": {"fact": "fleet"}})") + "]");
  Result<std::shared_ptr<const RuleSet>> ok =
      load_rule_set({{"facts.json", kVocabulary}, {"facts-x.json", extra}, {"doc.json", doc}});
  EXPECT_TRUE(ok.ok());
  Result<std::shared_ptr<const RuleSet>> bad =
      load_rule_set({{"facts.json", kVocabulary}, {"facts-y.json", dup}, {"doc.json", doc}});
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(has_code(bad.errors(), "duplicate-id"));
}

TEST(Loader, AVocabularyFileCanExtendAnEnumOfAnother) {
  std::string extra = R"({"format": "subsidy-facts/1", "facts": [],
    "extend": [{"fact": "certifications", "field": "type", "values": ["shipping_hub"]},
               {"fact": "level", "values": ["city"]}]})";
  std::string when =
      R"({"has": {"over": "certifications", "where": {"item": "type", "is": "shipping_hub"}}})";
  std::string doc = document("[" + rule("r", R"({"kind": "unspecified"})", when) + "]");
  Result<std::shared_ptr<const RuleSet>> ok =
      load_rule_set({{"facts.json", kVocabulary}, {"facts-x.json", extra}, {"doc.json", doc}});
  ASSERT_TRUE(ok.ok());
  std::string bad = R"({"format": "subsidy-facts/1", "facts": [],
    "extend": [{"fact": "award", "values": ["x"]}, {"fact": "level", "values": ["national"]},
               {"fact": "nope", "values": ["x"]}]})";
  Result<std::shared_ptr<const RuleSet>> r =
      load_rule_set({{"facts.json", kVocabulary}, {"facts-y.json", bad}, {"doc.json", doc}});
  ASSERT_FALSE(r.ok());
  int extension_errors = 0;
  for (const Diagnostic& d : r.errors()) extension_errors += d.code == "bad-extension";
  EXPECT_EQ(extension_errors, 3);
}

TEST(Loader, EnumValuesCarryTheirNamesAcrossExtensions) {
  // "labels" names each enum value in Chinese and English, in the declaring file and in an
  // "extend" entry; a value is found by its id or either name (English in any case).
  std::string extra = R"({"format": "subsidy-facts/1", "facts": [
      {"name": "tier", "type": "enum", "values": ["a", "b"], "zh": "档", "en": "Tier",
       "labels": {"a": {"zh": "甲档", "en": "Tier A"}}}],
    "extend": [{"fact": "certifications", "field": "type", "values": ["time_honored_brand"],
                "labels": {"time_honored_brand": {"zh": "中华老字号", "en": "Time-honoured brand"}}}]})";
  std::string doc = document("[" + rule("r", R"({"kind": "unspecified"})") + "]");
  Result<std::shared_ptr<const RuleSet>> ok =
      load_rule_set({{"facts.json", kVocabulary}, {"facts-x.json", extra}, {"doc.json", doc}});
  ASSERT_TRUE(ok.ok());
  const Vocabulary& v = ok.value()->vocabulary();
  const FactDecl& type = v.facts[static_cast<std::size_t>(v.index_of("certifications"))].fields[0];
  ASSERT_EQ(type.values.size(), 3u);
  EXPECT_EQ(type.label(2).zh, "中华老字号");
  EXPECT_TRUE(type.label(0).zh.empty());
  EXPECT_EQ(type.value_index("中华老字号"), 2);
  EXPECT_EQ(type.value_index("time-honoured BRAND"), 2);
  EXPECT_EQ(type.value_index("incubator"), 0);
  EXPECT_EQ(type.value_index("老字号"), -1);
  const FactDecl& tier = v.facts[static_cast<std::size_t>(v.index_of("tier"))];
  EXPECT_EQ(tier.label(0).en, "Tier A");
  EXPECT_EQ(tier.value_index("甲档"), 0);

  std::string bad = R"({"format": "subsidy-facts/1", "facts": [
      {"name": "tier", "type": "enum", "values": ["a"], "zh": "档", "en": "Tier",
       "labels": {"z": {"zh": "乙档", "en": "Tier Z"}, "a": {"zh": "甲档"}}}]})";
  Result<std::shared_ptr<const RuleSet>> r =
      load_rule_set({{"facts.json", kVocabulary}, {"facts-y.json", bad}, {"doc.json", doc}});
  ASSERT_FALSE(r.ok());
  std::vector<std::string> codes;
  for (const Diagnostic& d : r.errors()) codes.push_back(d.code + " " + d.path);
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(codes, (std::vector<std::string>{"bad-value /facts/0/labels/z",
                                             "missing-key /facts/0/labels/a"}));
}

TEST(Loader, AReplacedFactNamesItsReplacement) {
  // A vocabulary retires a fact with "replaced": a profile that still gives the old name is told
  // which fact to write instead, in JSON and in a CSV header.
  std::string extra = R"({"format": "subsidy-facts/1", "facts": [],
    "replaced": [{"name": "talent_salary", "replaced_by": "talents"}]})";
  std::string doc = document("[" + rule("r", kOk) + "]");
  Result<std::shared_ptr<const RuleSet>> ok =
      load_rule_set({{"facts.json", kVocabulary}, {"facts-x.json", extra}, {"doc.json", doc}});
  ASSERT_TRUE(ok.ok());
  Result<Profile> p = load_profile(
      R"({"form": "enterprise", "region": "330802", "policy_year": 2023,
          "facts": {"talent_salary": {"2023": 1}}})",
      "p.json", ok.value()->vocabulary());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.errors()[0].code, "replaced-fact");
  EXPECT_NE(p.errors()[0].message.find("\"talents\""), std::string::npos) << p.errors()[0].message;
  EXPECT_NE(p.errors()[0].message_zh.find("\"talents\""), std::string::npos);
  csv::Record header = csv::Record::of({"form", "region", "policy_year", "talent_salary@2023"}, 1);
  ASSERT_EQ(ok.value()->vocabulary().replaced.size(), 1u);
  Result<CsvProfileLayout> csv =
      CsvProfileLayout::from_header(header, "p.csv", ok.value()->vocabulary());
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.errors()[0].code, "replaced-fact") << csv.errors()[0].message;
  // The replacement must be a declared fact, and the old name must not be declared.
  std::string bad = R"({"format": "subsidy-facts/1", "facts": [],
    "replaced": [{"name": "x_old", "replaced_by": "nope"}, {"name": "award", "replaced_by": "talents"}]})";
  Result<std::shared_ptr<const RuleSet>> r =
      load_rule_set({{"facts.json", kVocabulary}, {"facts-y.json", bad}, {"doc.json", doc}});
  ASSERT_FALSE(r.ok());
  int errors = 0;
  for (const Diagnostic& d : r.errors()) errors += d.code == "bad-replacement";
  EXPECT_EQ(errors, 2);
}

struct BadProfile {
  std::string name;
  std::string text;
  std::string code;
  std::string at;  // the text where the diagnostic must point (first occurrence); "" = the end
};

std::ostream& operator<<(std::ostream& os, const BadProfile& c) {
  return os << c.name;
}

class BadProfiles : public testing::TestWithParam<BadProfile> {};

TEST_P(BadProfiles, AreRejectedWhereTheProblemIs) {
  RuleSet rules = load({document("[" + rule("r", kOk) + "]")});
  Result<Profile> p = load_profile(GetParam().text, "p.json", rules.vocabulary());
  ASSERT_FALSE(p.ok());
  const Diagnostic& d = p.errors()[0];
  const std::string& text = GetParam().text;
  std::size_t at = GetParam().at.empty() ? text.size() : text.find(GetParam().at);
  ASSERT_NE(at, std::string::npos);
  std::size_t line_start = text.rfind('\n', at);
  int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
  int col = static_cast<int>(at - (line_start == std::string::npos ? 0 : line_start + 1)) + 1;
  EXPECT_EQ(d.code, GetParam().code) << format_diagnostic(d, Lang::En);
  EXPECT_EQ(d.line, line) << format_diagnostic(d, Lang::En);
  EXPECT_EQ(d.col, col) << format_diagnostic(d, Lang::En);
}

#define HEAD R"({"form": "enterprise", "region": "330802", "policy_year": 2023, )"

INSTANTIATE_TEST_SUITE_P(
    Table, BadProfiles,
    testing::Values(
        BadProfile{"unknown_fact", HEAD "\n\"facts\": {\"nope\": 1}}", "unknown-fact", "\"nope\""},
        BadProfile{"string_for_money", HEAD "\"facts\": {\"award\": \"a lot\"}}", "bad-number",
                   "\"a lot\""},
        BadProfile{"bool_for_money", HEAD "\"facts\": {\"award\": true}}", "type", "true"},
        BadProfile{"per_year_scalar", HEAD "\"facts\": {\"rd\": 5}}", "type", "5"},
        BadProfile{"bad_year_key", HEAD "\"facts\": {\"rd\": {\"last\": 5}}}", "bad-year",
                   "\"last\""},
        BadProfile{"negative_area", HEAD "\"facts\": {\"area\": {\"2023\": -1}}}", "bad-value",
                   "-1"},
        BadProfile{"unknown_enum", HEAD "\"facts\": {\"level\": \"county\"}}", "bad-value",
                   "\"county\""},
        BadProfile{"unknown_item_field", HEAD "\"facts\": {\"talents\": [{\"wage\": 1}]}}",
                   "unknown-key", "\"wage\""},
        BadProfile{"unknown_top_key", HEAD "\"facts\": {}, \"colour\": 1}", "unknown-key",
                   "\"colour\""},
        BadProfile{"bad_form",
                   R"({"form": "company", "region": "330802", "policy_year": 2023, "facts": {}})",
                   "bad-value", "\"company\""},
        BadProfile{
            "bad_region",
            R"({"form": "family_farm", "roles": ["agricultural_producer"], "region": "3308", "policy_year": 2023, "facts": {}})",
            "bad-value", "\"3308\""},
        BadProfile{
            "year_out_of_range",
            R"({"form": "family_farm", "roles": ["agricultural_producer"], "region": "330802", "policy_year": 0, "facts": {}})",
            "bad-value", "0,"},
        BadProfile{
            "fractional_year",
            R"({"form": "family_farm", "roles": ["agricultural_producer"], "region": "330802", "policy_year": 2023.5, "facts": {}})",
            "bad-number", "2023.5"},
        BadProfile{
            "missing_facts",
            R"({"form": "family_farm", "roles": ["agricultural_producer"], "region": "330802", "policy_year": 2023})",
            "missing-key", "{"},
        BadProfile{"too_precise", HEAD "\"facts\": {\"award\": 0.0000001}}", "bad-number",
                   "0.0000001"},
        BadProfile{"huge", HEAD "\"facts\": {\"award\": 12345678901234567890123}}", "bad-number",
                   "12345678901234567890123"},
        BadProfile{"not_an_object", "[1, 2]", "type", "["},
        BadProfile{"truncated", HEAD "\"facts\": {", "json-truncated", ""}),
    [](const testing::TestParamInfo<BadProfile>& info) { return info.param.name; });

TEST(Loader, AMissingProfileKeyIsReportedOnce) {
  // Regression: object() and the key readers both reported a missing "region".
  RuleSet rules = load({document("[" + rule("r", kOk) + "]")});
  Result<Profile> p =
      load_profile(R"({"form": "family_farm", "roles": ["agricultural_producer"], "facts": {}})",
                   "p.json", rules.vocabulary());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.errors().size(), 2u);  // region and policy_year, once each
}

TEST(TestCases, MismatchesAreReported) {
  RuleSet rules =
      load({document("[" + rule("r", R"({"kind": "exact", "formula": {"fact": "award"}})") + "]")});
  std::string text = R"({"format": "subsidy-tests/1", "cases": [{"name": "c",
    "profile": {"form": "enterprise", "region": "330802", "policy_year": 2023, "facts": {"award": 5}},
    "expect": {"r": {"status": "eligible", "amount": "5.01"}, "ghost": {"status": "eligible"}},
    "expect_total": "6"}]})";
  Result<std::vector<TestCase>> cases = load_test_cases(text, "t.json", rules.vocabulary());
  ASSERT_TRUE(cases.ok());
  Report report = evaluate(rules, cases.value()[0].profile);
  std::vector<Message> problems = check_case(cases.value()[0], report);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_NE(problems[0].en.find("expected amount 5.01, got 5.00"), std::string::npos);
  EXPECT_NE(problems[0].zh.find("期望金额 5.01，实际 5.00"), std::string::npos);
  EXPECT_NE(problems[1].en.find("ghost"), std::string::npos);
  EXPECT_NE(problems[1].zh.find("ghost"), std::string::npos);
  EXPECT_NE(problems[2].en.find("total"), std::string::npos);
  EXPECT_NE(problems[2].zh.find("合计"), std::string::npos);
}

}  // namespace
}  // namespace subsidy

namespace subsidy {
namespace {

// The built-in rules' version is stamped at build time (cmake/rules_version_tool.cpp) so that
// loading them need not hash them: it must be the version the loader computes for the same files.
TEST(RulesVersion, StampedAtBuildTimeEqualsComputed) {
  EXPECT_EQ(builtin_rules_version(), rules_version(builtin_rule_files()));
  EXPECT_EQ(builtin_rules_version().size(), 16u);
  Result<std::shared_ptr<const RuleSet>> computed = load_rule_set(builtin_rule_files());
  ASSERT_TRUE(computed.ok());
  EXPECT_EQ(computed.value()->version(), builtin_rules_version());
}

// Directories do not count, and *.tests.json files are left out.
TEST(RulesVersion, NamesWithoutDirectoryAndWithoutTests) {
  std::vector<SourceText> a{{"rules/facts.json", "{}"}, {"rules/x.tests.json", "1"}};
  std::vector<SourceText> b{{"/elsewhere/facts.json", "{}"}};
  std::vector<SourceText> c{{"facts.json", "{} "}};
  EXPECT_EQ(rules_version(a), rules_version(b));
  EXPECT_NE(rules_version(a), rules_version(c));
}

}  // namespace
}  // namespace subsidy
