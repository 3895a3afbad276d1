// The fact vocabulary (core/vocabulary): reading facts*.json with every problem located, the
// lookups by name, value and label, and the applicant tables' lookups.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/reader.h"
#include "core/ruleset.h"

namespace subsidy {
namespace {

struct Read {
  Vocabulary vocabulary;
  std::vector<std::string> problems;  // "line:col path code: English"
};

Read read(const std::string& text) {
  Result<json::Tree> tree = json::parse(text, "facts.json");
  EXPECT_TRUE(tree.ok()) << text;
  Reader r("facts.json");
  Read out;
  out.vocabulary = read_vocabulary(tree.value().root(), r);
  for (const Diagnostic& d : r.diagnostics()) {
    EXPECT_EQ(d.file, "facts.json");
    EXPECT_FALSE(d.message_zh.empty());
    out.problems.push_back(std::to_string(d.line) + ":" + std::to_string(d.col) + " " + d.path +
                           " " + d.code + ": " + d.message);
  }
  return out;
}

std::string facts(const std::string& list) {
  return R"({"format": "subsidy-facts/1", "facts": [)" + list + "]}";
}

TEST(VocabularyRead, ReadsEveryKindOfFact) {
  Read v = read(facts(R"(
{"name": "revenue", "type": "number", "unit": "yuan", "per_year": true, "zh": "营业收入", "en": "Revenue", "example": "5000000"},
{"name": "listed", "type": "bool", "zh": "上市", "en": "Listed"},
{"name": "level", "type": "enum", "values": ["national", "provincial"], "zh": "级别", "en": "Level",
 "labels": {"national": {"zh": "国家级", "en": "National level"}}},
{"name": "talents", "type": "list", "zh": "人才", "en": "Talents",
 "fields": [{"name": "salary", "type": "number", "unit": "yuan", "zh": "年薪", "en": "Salary"}]})"));
  EXPECT_TRUE(v.problems.empty());
  const std::vector<FactDecl>& f = v.vocabulary.facts;
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].type, FactType::Number);
  EXPECT_EQ(f[0].unit, Unit::Yuan);
  EXPECT_TRUE(f[0].per_year);
  EXPECT_EQ(f[0].example, "5000000");
  EXPECT_EQ(f[1].type, FactType::Bool);
  EXPECT_FALSE(f[1].per_year);
  EXPECT_EQ(f[2].type, FactType::Enum);
  EXPECT_EQ(f[2].values, (std::vector<std::string>{"national", "provincial"}));
  EXPECT_EQ(f[2].label(0).zh, "国家级");
  EXPECT_TRUE(f[2].label(1).en.empty()) << "a value without a label stays unlabelled";
  EXPECT_TRUE(f[2].label(7).zh.empty()) << "out of range is no label";
  EXPECT_EQ(f[3].type, FactType::List);
  ASSERT_EQ(f[3].fields.size(), 1u);
  EXPECT_EQ(f[3].field_index("salary"), 0);
  EXPECT_EQ(f[3].field_index("bonus"), -1);
}

TEST(VocabularyRead, LocatesEveryProblem) {
  struct Case {
    std::string text;
    std::vector<std::string> want;
  } cases[] = {
      {R"({"format": "subsidy-facts/1"})", {R"(1:1 / missing-key: missing required key "facts")"}},
      {R"({"format": "subsidy-facts/1", "facts": {}})",
       {"1:40 /facts type: expected an array, found an object"}},
      {R"({"format": "x", "facts": [], "more": 1})",
       {R"(1:30 /more unknown-key: unknown key "more")"}},
      {facts(R"({"name": "a", "type": "number", "unit": "litre", "zh": "甲", "en": "A"})"),
       {R"(1:81 /facts/0/unit bad-value: unknown unit "litre")"}},
      {facts(R"({"name": "a", "type": "number", "zh": "甲", "en": "A"})"),
       {R"(1:41 /facts/0 missing-key: missing required key "unit")"}},
      {facts(R"({"name": "a", "type": "text", "zh": "甲", "en": "A"})"),
       {R"(1:63 /facts/0/type bad-value: unknown fact type "text" (number, bool, enum or list))"}},
      {facts(R"({"name": "a", "type": "list", "zh": "甲", "en": "A"})"),
       {R"(1:41 /facts/0 missing-key: a list fact needs "fields")"}},
      {facts(R"({"name": "a", "type": "list", "zh": "甲", "en": "A", "fields": [
{"name": "b", "type": "list", "zh": "乙", "en": "B", "fields": []}]})"),
       {"2:1 /facts/0/fields/0 bad-value: a list item cannot contain another list"}},
      {facts(R"({"name": "a", "type": "bool", "zh": "甲", "en": "A"},
{"name": "a", "type": "bool", "zh": "甲", "en": "A"})"),
       {R"(2:1 /facts/1 duplicate-id: fact "a" declared twice)"}},
      {facts(R"({"name": "a", "type": "enum", "values": ["x"], "zh": "甲", "en": "A",
 "labels": {"y": {"zh": "乙", "en": "Y"}}})"),
       {R"(2:18 /facts/0/labels/y bad-value: label for "y", which is not one of the values)"}},
      {facts(R"({"name": "a", "type": "bool", "zh": "甲", "en": "A", "colour": "red"})"),
       {R"(1:93 /facts/0/colour unknown-key: unknown key "colour")"}},
      {facts("7"), {"1:41 /facts/0 type: expected an object, found a number"}},
  };
  for (const Case& c : cases) EXPECT_EQ(read(c.text).problems, c.want) << c.text;
}

TEST(VocabularyRead, ExtensionsAndReplacedFactsKeepTheirPlace) {
  Read v = read(R"({"format": "subsidy-facts/1", "facts": [],
"extend": [{"fact": "level", "values": ["county"], "labels": {"county": {"zh": "县级", "en": "County"}}}],
"replaced": [{"name": "old", "replaced_by": "new"}]})");
  EXPECT_TRUE(v.problems.empty());
  ASSERT_EQ(v.vocabulary.extensions.size(), 1u);
  const EnumExtension& x = v.vocabulary.extensions[0];
  EXPECT_EQ(x.fact, "level");
  EXPECT_EQ(x.values, (std::vector<std::string>{"county"}));
  EXPECT_EQ(x.labels[0].en, "County");
  EXPECT_EQ(x.file, "facts.json");
  EXPECT_EQ(x.line, 2);
  EXPECT_EQ(x.col, 12);
  ASSERT_NE(v.vocabulary.replacement("old"), nullptr);
  EXPECT_EQ(v.vocabulary.replacement("old")->replaced_by, "new");
  EXPECT_EQ(v.vocabulary.replacement("new"), nullptr);
  EXPECT_EQ(unknown_fact(v.vocabulary, "old").second, "replaced-fact");
  EXPECT_EQ(unknown_fact(v.vocabulary, "other").second, "unknown-fact");
  EXPECT_NE(unknown_fact(v.vocabulary, "old").first.en.find("\"new\""), std::string::npos);

  Read bad = read(R"({"format": "subsidy-facts/1", "facts": [], "replaced": [{"name": "old"}],
"extend": [{"values": []}]})");
  EXPECT_EQ(bad.problems, (std::vector<std::string>{
                              R"(1:57 /replaced/0 missing-key: missing required key "replaced_by")",
                              R"(2:12 /extend/0 missing-key: missing required key "fact")",
                          }));
}

TEST(VocabularyLookup, IndexOfBeforeAndAfterIndexing) {
  Read v = read(facts(R"({"name": "a", "type": "bool", "zh": "甲", "en": "A"},
{"name": "b", "type": "bool", "zh": "乙", "en": "B"})"));
  Vocabulary& vocabulary = v.vocabulary;
  for (int pass = 0; pass < 2; ++pass) {
    EXPECT_EQ(vocabulary.index_of("a"), 0);
    EXPECT_EQ(vocabulary.index_of("b"), 1);
    EXPECT_EQ(vocabulary.index_of("c"), -1);
    EXPECT_EQ(vocabulary.index_of(""), -1);
    vocabulary.index();
  }
  FactDecl added;
  added.name = "c";
  vocabulary.facts.push_back(added);  // the index is stale: found by the linear search
  EXPECT_EQ(vocabulary.index_of("c"), 2);
  EXPECT_EQ(Vocabulary{}.index_of("a"), -1);
}

TEST(VocabularyLookup, ValueByIdOrLabel) {
  FactDecl level;
  level.values = {"national", "provincial"};
  level.labels = {Text{"国家级", "National level"}, Text{}};
  struct Case {
    const char* text;
    int want;
  } cases[] = {{"national", 0},       {"provincial", 1}, {"国家级", 0}, {"National level", 0},
               {"NATIONAL LEVEL", 0}, {"National", -1},  {"", -1},      {"省级", -1}};
  for (const Case& c : cases) EXPECT_EQ(level.value_index(c.text), c.want) << c.text;
}

TEST(ApplicantTables, LookupsAgreeWithTheTables) {
  for (std::size_t i = 0; i < std::size(kLegalForms); ++i) {
    EXPECT_EQ(form_bit(kLegalForms[i].id), 1u << i);
    EXPECT_EQ(legal_form(kLegalForms[i].id), &kLegalForms[i]);
  }
  for (std::size_t i = 0; i < std::size(kRoles); ++i) {
    EXPECT_EQ(role_bit(kRoles[i].id), 1u << i);
    EXPECT_EQ(role_term(kRoles[i].id), &kRoles[i]);
  }
  EXPECT_EQ(form_bit("nobody"), 0u);
  EXPECT_EQ(role_bit("nobody"), 0u);
  EXPECT_EQ(legal_form("nobody"), nullptr);
  EXPECT_EQ(role_term("nobody"), nullptr);
  for (const PayerInfo& p : kPayers) EXPECT_EQ(payer_info(p.id), &p);
  EXPECT_EQ(payer_info("nobody"), nullptr);
  for (const BenefitInfo& b : kBenefits) EXPECT_EQ(&benefit_info(b.value), &b);

  const FactDecl& roles = fact_decl_of(Vocabulary{}, kRolesFact);
  EXPECT_EQ(roles.name, "roles");
  EXPECT_EQ(roles.type, FactType::Enum);
  ASSERT_EQ(roles.values.size(), std::size(kRoles));
  EXPECT_EQ(roles.label(0).zh, kRoles[0].zh);
}

}  // namespace
}  // namespace subsidy
