// Who the applicant is: a legal form plus the roles held (core/model.h kLegalForms, kRoles), in
// the profile, the CSV row, the rule file and the engine.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/interview.h"
#include "core/profile_csv.h"
#include "report/render.h"
#include "test_support.h"

namespace subsidy {
namespace {

using testing_support::document;
using testing_support::find;
using testing_support::load;

bool has_cjk(std::string_view s) {
  // Every CJK ideograph in UTF-8 starts with a byte from 0xE4 to 0xE9.
  for (char c : s) {
    auto b = static_cast<unsigned char>(c);
    if (b >= 0xE4 && b <= 0xE9) return true;
  }
  return false;
}

template <std::size_t N>
void expect_named(const ApplicantTerm (&table)[N], bool roles) {
  for (const ApplicantTerm& t : table) {
    SCOPED_TRACE(std::string(t.id));
    EXPECT_TRUE(has_cjk(t.zh));
    EXPECT_TRUE(has_cjk(t.define_zh));
    EXPECT_FALSE(t.en.empty());
    EXPECT_FALSE(t.define_en.empty());
    EXPECT_EQ(roles, !t.not_held_en.empty());
    std::string id(t.id);
    EXPECT_EQ(roles ? role_label(id, Lang::Zh) : form_label(id, Lang::Zh), std::string(t.zh));
    EXPECT_EQ(roles ? role_label(id, Lang::En) : form_label(id, Lang::En), std::string(t.en));
  }
}

TEST(Applicant, EveryFormAndRoleIsNamedAndDefinedInBothLanguages) {
  expect_named(kLegalForms, false);
  expect_named(kRoles, true);
  EXPECT_NE(form_bit("family_farm"), 0u);
  EXPECT_EQ(form_bit("farm"), 0u);  // the old kind is no form
  EXPECT_EQ(role_bit("enterprise"), 0u);
  EXPECT_EQ(fact_decl_of(Vocabulary{}, kRolesFact).zh, "申请主体身份");
  EXPECT_EQ(fact_decl_of(Vocabulary{}, kRolesFact).en, "roles held");
}

// A grain rule open to enterprises and family farms that asks for the role grain_grower.
RuleSet grain_rules() {
  std::string rule = R"([{"id": "grain", "title": {"zh": "种粮", "en": "Grain"}, "article": "1",
    "quote": "原文。", "category": "grain",
    "applicants": ["enterprise", "family_farm"], "roles": ["grain_grower"],
    "amount": {"kind": "exact", "formula": {"mul": [100, {"fact": "area", "year": 0}]}}}])";
  return load({document(rule)});
}

Profile with(const RuleSet& rules, const std::string& form, const std::string& roles) {
  std::string text =
      R"({"form": ")" + form + "\"" + (roles.empty() ? "" : ", \"roles\": " + roles) +
      R"(, "region": "330802", "policy_year": 2023, "facts": {"area": {"2023": 10}}})";
  Result<Profile> p = load_profile(text, "p.json", rules.vocabulary());
  EXPECT_TRUE(p.ok()) << text;
  return p.ok() ? std::move(p.value()) : Profile{};
}

struct RoleCase {
  std::string name;
  std::string form;
  std::string roles;  // JSON text; "" leaves the key out
  Status status;
  std::string amount;   // when eligible
  std::string failure;  // the first failure's text in English, when not eligible
  bool roles_missing;   // the missing facts name the roles
};

std::ostream& operator<<(std::ostream& os, const RoleCase& c) {
  return os << c.name;
}

class Roles : public testing::TestWithParam<RoleCase> {};

TEST_P(Roles, DecideWhetherARuleWithRolesIsEvaluated) {
  const RoleCase& c = GetParam();
  RuleSet rules = grain_rules();
  Profile p = with(rules, c.form, c.roles);
  Report report = evaluate(rules, p);
  const RuleResult* r = find(report, "grain");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->status, c.status);
  if (c.status == Status::Eligible) {
    EXPECT_EQ(r->amount.fixed(2), c.amount);
  }
  if (!c.failure.empty()) {
    ASSERT_FALSE(r->failures.empty());
    EXPECT_EQ(explain_failure(r->failures[0], report, Lang::En), c.failure);
    EXPECT_EQ(explain_failure(r->failures[0], report, Lang::Zh), "未担任：种粮主体");
  }
  bool missing = !r->missing.empty() && r->missing[0].fact == kRolesFact;
  EXPECT_EQ(missing, c.roles_missing);
  if (missing) {
    EXPECT_EQ(explain_missing(r->missing[0], report, Lang::Zh), "缺少：申请主体身份");
    std::vector<MissingFact> ranked = rank_missing(report);
    ASSERT_FALSE(ranked.empty());
    EXPECT_EQ(ranked[0].fact, kRolesFact);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Roles,
    testing::Values(
        RoleCase{"unknown_null", "enterprise", "null", Status::NeedsInfo, "", "", true},
        RoleCase{"unknown_absent", "family_farm", "", Status::NeedsInfo, "", "", true},
        RoleCase{"none", "enterprise", "[]", Status::NotEligible, "", "Not a grain grower", false},
        RoleCase{"another_role", "enterprise", R"(["incubator_operator"])", Status::NotEligible, "",
                 "Not a grain grower", false},
        RoleCase{"held", "enterprise", R"(["grain_grower"])", Status::Eligible, "1000.00", "",
                 false},
        RoleCase{"held_among_others", "family_farm", R"(["agricultural_producer", "grain_grower"])",
                 Status::Eligible, "1000.00", "", false},
        RoleCase{"form_not_paid", "institution", R"(["grain_grower"])", Status::NotApplicable, "",
                 "", false}),
    [](const testing::TestParamInfo<RoleCase>& info) { return info.param.name; });

TEST(Applicant, UnknownRolesWithAFailedConditionAreNotAsked) {
  std::string rule = R"([{"id": "grain", "title": {"zh": "种粮", "en": "Grain"}, "article": "1",
    "quote": "原文。", "category": "grain", "applicants": ["enterprise"],
    "roles": ["grain_grower"], "when": {"fact": "area", "year": 0, "at_least": 50},
    "amount": {"kind": "exact", "formula": 5}}])";
  RuleSet rules = load({document(rule)});
  Report report = evaluate(rules, with(rules, "enterprise", ""));
  EXPECT_EQ(find(report, "grain")->status, Status::NotEligible);  // 10 mu < 50
}

struct BadIdentity {
  std::string name;
  std::string head;  // the profile's text before "region"
  std::string code;
  std::string en;
  std::string zh;
};

std::ostream& operator<<(std::ostream& os, const BadIdentity& c) {
  return os << c.name;
}

class Identity : public testing::TestWithParam<BadIdentity> {};

TEST_P(Identity, IsRefusedWithWhatToWrite) {
  const BadIdentity& c = GetParam();
  RuleSet rules = grain_rules();
  Result<Profile> p =
      load_profile("{" + c.head + R"("region": "330802", "policy_year": 2023, "facts": {}})",
                   "p.json", rules.vocabulary());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.errors()[0].code, c.code);
  EXPECT_EQ(p.errors()[0].message, c.en);
  EXPECT_EQ(p.errors()[0].message_zh, c.zh);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Identity,
    testing::Values(
        BadIdentity{
            "kind_farm", R"("kind": "farm", )", "replaced-key",
            R"("kind" was replaced by "form" and "roles" (docs/profile.md): for kind "farm" write "form": "family_farm" or "farmer_cooperative" and "roles": ["agricultural_producer"])",
            R"("kind" 已由 "form" 和 "roles" 取代（docs/profile.md）：原 kind "farm" 请写 "form": "family_farm" 或 "farmer_cooperative"，并写 "roles": ["agricultural_producer"])"},
        BadIdentity{
            "kind_enterprise", R"("kind": "enterprise", )", "replaced-key",
            R"("kind" was replaced by "form" and "roles" (docs/profile.md): for kind "enterprise" write "form": "enterprise")",
            R"("kind" 已由 "form" 和 "roles" 取代（docs/profile.md）：原 kind "enterprise" 请写 "form": "enterprise")"},
        BadIdentity{
            "unknown_role", R"("form": "enterprise", "roles": ["grower"], )", "bad-value",
            R"(unknown role "grower" (incubator_operator, grain_grower, agricultural_producer))",
            R"(未知的申请主体身份 "grower"（incubator_operator、grain_grower、agricultural_producer）)"},
        BadIdentity{"role_twice",
                    R"("form": "enterprise", "roles": ["grain_grower", "grain_grower"], )",
                    "bad-value", R"(role "grain_grower" is listed twice)",
                    R"(身份 "grain_grower" 重复列出)"},
        BadIdentity{"missing_form", "", "missing-key", R"(missing required key "form")",
                    R"(缺少必需的键 "form")"}),
    [](const testing::TestParamInfo<BadIdentity>& info) { return info.param.name; });

TEST(Applicant, CsvRolesCellIsSemicolonSeparatedOrJsonAndEmptyIsUnknown) {
  RuleSet rules = grain_rules();
  csv::Record header = csv::Record::of({"form", "roles", "region", "policy_year"}, 1);
  Result<CsvProfileLayout> layout =
      CsvProfileLayout::from_header(header, "p.csv", rules.vocabulary());
  ASSERT_TRUE(layout.ok());
  struct Row {
    std::string cell;
    std::optional<std::vector<std::string>> roles;
  };
  for (const Row& row : {
           Row{"grain_grower;agricultural_producer",
               std::vector<std::string>{"grain_grower", "agricultural_producer"}},
           Row{" grain_grower ; ", std::vector<std::string>{"grain_grower"}},
           Row{R"(["incubator_operator"])", std::vector<std::string>{"incubator_operator"}},
           Row{"[]", std::vector<std::string>{}},
           Row{"", std::nullopt},
       }) {
    csv::Record r = csv::Record::of({"enterprise", row.cell, "330802", "2023"}, 2);
    Result<Profile> p = layout.value().read(r, "p.csv", rules.vocabulary());
    ASSERT_TRUE(p.ok()) << row.cell;
    EXPECT_EQ(p.value().roles, row.roles) << row.cell;
  }
  csv::Record bad = csv::Record::of({"enterprise", "grain_grower;grower", "330802", "2023"}, 2);
  Result<Profile> p = layout.value().read(bad, "p.csv", rules.vocabulary());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.errors()[0].line, 2);
  EXPECT_EQ(p.errors()[0].col, 2);
  EXPECT_EQ(p.errors()[0].path, "/roles/1");
}

TEST(Applicant, RoleAndFormAnswersOfTheInterview) {
  Message error;
  EXPECT_EQ(parse_roles("1,3", &error),
            (std::vector<std::string>{"incubator_operator", "agricultural_producer"}));
  EXPECT_EQ(parse_roles("2、2 ", &error), (std::vector<std::string>{"grain_grower"}));
  EXPECT_EQ(parse_roles("种粮主体", &error), (std::vector<std::string>{"grain_grower"}));
  EXPECT_EQ(parse_roles("0", &error), std::vector<std::string>{});
  EXPECT_FALSE(parse_roles("4", &error));
  EXPECT_NE(error.zh.find("1 孵化载体运营主体"), std::string::npos) << error.zh;
  EXPECT_EQ(parse_form("2", &error), "farmer_cooperative");
  EXPECT_EQ(parse_form("family_farm", &error), "family_farm");
  EXPECT_EQ(parse_form("个体工商户", &error), "individual_business");
  EXPECT_FALSE(parse_form("farm", &error));
}

TEST(Applicant, RuleFileRolesAreCheckedAndMasked) {
  RuleSet rules = grain_rules();
  const Rule& r = rules.documents()[0].rules[0];
  EXPECT_EQ(r.role_mask, role_bit("grain_grower"));
  EXPECT_EQ(r.applicant_mask, form_bit("enterprise") | form_bit("family_farm"));
  std::string doc = document(R"([{"id": "x", "title": {"zh": "测", "en": "T"}, "article": "1",
        "quote": "原文。", "category": "grain", "applicants": ["farm"], "roles": [],
        "amount": {"kind": "unspecified"}}])");
  std::vector<SourceText> sources{{"facts.json", testing_support::kVocabulary}, {"doc", doc}};
  Result<std::shared_ptr<const RuleSet>> bad = load_rule_set(sources);
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> messages;
  for (const Diagnostic& d : bad.errors()) messages.push_back(d.message);
  EXPECT_EQ(messages, (std::vector<std::string>{
                          "unknown legal form \"farm\"",
                          "no roles (leave `roles` out when any applicant may claim)"}));
}

std::string source_file(const std::string& rel) {
  std::ifstream in(std::string(SUBSIDY_SOURCE_DIR) + "/" + rel, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

template <std::size_t N>
std::vector<std::string> ids(const ApplicantTerm (&table)[N]) {
  std::vector<std::string> out;
  for (const ApplicantTerm& t : table) out.emplace_back(t.id);
  return out;
}

// The rule format's schema and docs/profile.md repeat the two tables for readers.
TEST(Applicant, SchemaAndProfileDocAreTheFormAndRoleTables) {
  nlohmann::json schema = nlohmann::json::parse(source_file("docs/schema/rules.schema.json"));
  const nlohmann::json& rule = schema["definitions"]["rule"]["properties"];
  EXPECT_EQ(rule["applicants"]["items"]["enum"].get<std::vector<std::string>>(), ids(kLegalForms));
  EXPECT_EQ(rule["roles"]["items"]["enum"].get<std::vector<std::string>>(), ids(kRoles));
  std::string doc = source_file("docs/profile.md");
  for (const auto* table : {&kLegalForms[0], &kRoles[0]}) {
    std::size_t n = table == &kLegalForms[0] ? std::size(kLegalForms) : std::size(kRoles);
    for (std::size_t i = 0; i < n; ++i) {
      const ApplicantTerm& t = table[i];
      std::string row =
          "| `" + std::string(t.id) + "` | " + std::string(t.zh) + " | " + std::string(t.en) + " |";
      EXPECT_NE(doc.find(row), std::string::npos) << "docs/profile.md must contain " << row;
    }
  }
}

}  // namespace
}  // namespace subsidy
