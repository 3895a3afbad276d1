// Issue 13: what `check` warns about (documents that would double a total, caps of zero, rates out
// of range), what the loader refuses (payer splits that cannot add up, repeated group ids), and
// overflow as an error of the rule or the total, never a silently wrong number.
#include "core/lint.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_support.h"

namespace subsidy {
namespace {

using namespace testing_support;

Result<std::shared_ptr<const RuleSet>> load_all(const std::vector<std::string>& documents) {
  std::vector<SourceText> sources{{"facts.json", kVocabulary}};
  for (std::size_t i = 0; i < documents.size(); ++i) {
    sources.push_back({"doc" + std::to_string(i) + ".json", documents[i]});
  }
  return load_rule_set(sources);
}

std::vector<std::string> codes(const std::vector<Diagnostic>& ds, Severity severity) {
  std::vector<std::string> out;
  for (const Diagnostic& d : ds) {
    if (d.severity == severity && d.code != "untested") out.push_back(d.code);
  }
  return out;
}

std::string all_text(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const Diagnostic& d : ds) out += format_diagnostic(d, Lang::En) + "\n";
  return out;
}

const std::string kArea = R"({"fact": "area", "year": 0})";

std::string times(const std::string& factor, const std::string& of = kArea) {
  return R"({"mul": [")" + factor + R"(", )" + of + "]}";
}

std::string times_expr(const std::string& expr) {
  return R"({"mul": [)" + expr + ", " + kArea + "]}";
}

std::string exact(const std::string& formula, const std::string& more = "") {
  return R"({"kind": "exact", "formula": )" + formula + more + "}";
}

std::string payers(const std::string& list) {
  return R"(, "payers": )" + list;
}

// --- warnings of `check` --------------------------------------------------------------------

struct LintCase {
  std::string name;
  std::vector<std::string> documents;
  std::vector<std::string> warnings;  // expected warning codes (besides "untested"), in order
  std::string text;                   // a part of the English output, or ""
};

std::ostream& operator<<(std::ostream& os, const LintCase& c) {
  return os << c.name;
}

class Lint : public testing::TestWithParam<LintCase> {};

TEST_P(Lint, WarnsExactlyWhereExpected) {
  const LintCase& c = GetParam();
  Result<std::shared_ptr<const RuleSet>> rules = load_all(c.documents);
  ASSERT_TRUE(rules.ok()) << all_text(rules.errors());
  std::vector<Diagnostic> ds = lint(*rules.value(), {}, 2023);
  EXPECT_EQ(codes(ds, Severity::Warning), c.warnings) << all_text(ds);
  EXPECT_TRUE(codes(ds, Severity::Error).empty()) << all_text(ds);
  if (!c.text.empty()) {
    EXPECT_NE(all_text(ds).find(c.text), std::string::npos) << all_text(ds);
  }
}

std::string one_rule(const std::string& amount, const std::string& extra = "") {
  return document("[" + rule("r", amount, "", extra) + "]");
}

// The same document under another id.
std::string renamed(std::string doc) {
  return doc.replace(doc.find("\"doc-"), 5, "\"other-");
}

// A second document: another id and rule id, the same region unless told.
std::string other(const std::string& region, const std::string& from, const std::string& to,
                  const std::string& parent = "330800") {
  return renamed(document("[" + rule("s", R"({"kind": "unspecified"})") + "]", "[]", region, parent,
                          from, to));
}

INSTANTIATE_TEST_SUITE_P(
    Table, Lint,
    testing::Values(
        LintCase{"clean", {one_rule(exact(times("6%")))}, {}, ""},
        LintCase{"same_region_overlapping",
                 {one_rule(exact("1")), other("330802", "2023-06-01", "2024-05-31")},
                 {"overlapping-documents"},
                 "region 330802 has two documents in force from 2023-06-01 to 2023-12-31: "
                 "other-330802 and doc-330802 (doc0.json); a profile gets the total of both"},
        LintCase{"same_region_one_day",
                 {one_rule(exact("1")), other("330802", "2023-12-31", "2024-12-31")},
                 {"overlapping-documents"},
                 ""},
        LintCase{"same_region_disjoint",
                 {one_rule(exact("1")), other("330802", "2024-01-01", "2024-12-31")},
                 {"not-in-force"},
                 ""},
        LintCase{"city_over_district_is_another_region",
                 {one_rule(exact("1")), other("330800", "2023-01-01", "2023-12-31", "")},
                 {},
                 ""},
        LintCase{"zero_cap",
                 {one_rule(exact(times("6%"), R"(, "cap": 0)"))},
                 {"zero-cap"},
                 "a cap of 0: the rule can never pay"},
        LintCase{"zero_cap_written_as_wan",
                 {one_rule(exact(times("6%"), R"(, "cap": "0万")"))},
                 {"zero-cap"},
                 ""},
        LintCase{"rate_above_100",
                 {one_rule(exact(times("150%")))},
                 {"rate-out-of-range"},
                 "rate 150% is above 100%"},
        LintCase{"rate_1e6_percent", {one_rule(exact(times("1e6%")))}, {"rate-out-of-range"}, ""},
        LintCase{"rate_below_zero",
                 {one_rule(exact(times("-5%")))},
                 {"rate-out-of-range"},
                 "rate -5% is below 0%"},
        LintCase{"rate_100_is_fine", {one_rule(exact(times("100%")))}, {}, ""},
        LintCase{"bracket_then_above_100",
                 {one_rule(exact(times_expr(R"({"brackets": {"of": )" + kArea + R"(, "table": [
                    {"at_least": 10, "then": "120%"}]}})")))},
                 {"rate-out-of-range", "interpretation-needed"},
                 ""},
        LintCase{"bracket_then_zero_percent",
                 {one_rule(exact(times_expr(R"({"brackets": {"of": )" + kArea + R"(, "table": [
                    {"less_than": 10, "then": "0%"}, {"at_least": 10, "then": "5%"}]}})")))},
                 {"zero-rate", "interpretation-needed"},
                 "a rate of 0% pays nothing"},
        LintCase{"marginal_rate_above_1",
                 {one_rule(exact(R"({"marginal": {"of": )" + kArea +
                                 R"(, "bands": [{"up_to": 10, "rate": "25%"}, {"rate": 2}]}})"))},
                 {"rate-out-of-range"},
                 ""},
        LintCase{"growth_bound_of_150_percent_is_no_rate",
                 {one_rule(exact("1"),
                           R"(, "when": {"value": {"growth": [)" + kArea + ", " +
                               R"({"fact": "area", "year": -1}]}, "at_least": "150%"}, )"
                               R"("interpretations": [{"zh": "含150%", "en": "150% included"}])")},
                 {},
                 ""},
        LintCase{"per_unit_amount_is_no_rate", {one_rule(exact(times("350")))}, {}, ""}),
    [](const testing::TestParamInfo<LintCase>& info) { return info.param.name; });

// --- errors at load -------------------------------------------------------------------------

struct LoadCase {
  std::string name;
  std::vector<std::string> documents;
  std::string code;  // "" when the files must load
  std::string text;  // a part of the English diagnostics
};

std::ostream& operator<<(std::ostream& os, const LoadCase& c) {
  return os << c.name;
}

class Load : public testing::TestWithParam<LoadCase> {};

TEST_P(Load, RefusesSplitsThatCannotAddUp) {
  const LoadCase& c = GetParam();
  Result<std::shared_ptr<const RuleSet>> rules = load_all(c.documents);
  if (c.code.empty()) {
    EXPECT_TRUE(rules.ok()) << all_text(rules.ok() ? std::vector<Diagnostic>{} : rules.errors());
    return;
  }
  ASSERT_FALSE(rules.ok());
  std::vector<std::string> found = codes(rules.errors(), Severity::Error);
  EXPECT_NE(std::find(found.begin(), found.end(), c.code), found.end()) << all_text(rules.errors());
  EXPECT_NE(all_text(rules.errors()).find(c.text), std::string::npos) << all_text(rules.errors());
}

const std::string kRest = R"({"payer": "district", "rest": true})";

std::string by(const std::string& payer, const std::string& formula) {
  return R"({"payer": ")" + payer + R"(", "formula": )" + formula + "}";
}

std::string share(const std::string& payer, const std::string& fraction) {
  return R"({"payer": ")" + payer + R"(", "share": ")" + fraction + R"("})";
}

const std::string kGroupG =
    R"([{"id": "g", "mode": "highest", "rules": ["a", "b"], "quote": "就高。"}])";

INSTANTIATE_TEST_SUITE_P(
    Table, Load,
    testing::Values(
        LoadCase{"proportional_parts_fit",
                 {one_rule(exact(times("350")),
                           payers("[" + by("province", times("120")) + ", " + kRest + "]"))},
                 "",
                 ""},
        LoadCase{"two_times_two_on_three",
                 {one_rule(exact(times("3")), payers("[" + by("province", times("2")) + ", " +
                                                     by("city", times("2")) + ", " + kRest + "]"))},
                 "payer-split",
                 "the payers' parts add up to 4 × area, more than the amount, 3 × area"},
        LoadCase{"shares_above_100",
                 {one_rule(exact(times("3")), payers("[" + share("province", "60%") + ", " +
                                                     share("city", "50%") + "]"))},
                 "payer-split",
                 "the payers' shares add up to 110%, more than the whole amount"},
        LoadCase{"shares_and_a_part",
                 {one_rule(exact(times("3")), payers("[" + share("province", "50%") + ", " +
                                                     by("city", times("2")) + ", " + kRest + "]"))},
                 "payer-split",
                 ""},
        LoadCase{"negative_share",
                 {one_rule(exact(times("3")),
                           payers("[" + share("province", "-10%") + ", " + kRest + "]"))},
                 "bad-payer",
                 "a share below zero"},
        LoadCase{
            "negative_constant_part",
            {one_rule(exact(times("3")), payers("[" + by("province", "-5") + ", " + kRest + "]"))},
            "bad-payer",
            "a payer's amount below zero"},
        LoadCase{"constant_part_above_constant_amount",
                 {one_rule(exact("\"10万\""),
                           payers("[" + by("province", "\"20万\"") + ", " + kRest + "]"))},
                 "payer-split",
                 "the payers' parts add up to 200000, more than the amount, 100000"},
        LoadCase{"constant_part_above_constant_cap",
                 {one_rule(exact(times("3"), R"(, "cap": "10万")"),
                           payers("[" + by("province", "\"20万\"") + ", " + kRest + "]"))},
                 "payer-split",
                 "more than the cap, 100000"},
        LoadCase{"constant_part_within_cap",
                 {one_rule(exact(times("3"), R"(, "cap": "30万")"),
                           payers("[" + by("province", "\"20万\"") + ", " + kRest + "]"))},
                 "",
                 ""},
        LoadCase{"whole_share_and_a_constant",
                 {one_rule(exact(times("3")), payers("[" + share("province", "100%") + ", " +
                                                     by("city", "100") + "]"))},
                 "payer-split",
                 "the payers' parts add up to 3 × area + 100, more than the amount, 3 × area"},
        LoadCase{"share_and_constant_of_a_constant_amount",
                 {one_rule(exact("\"10万\""), payers("[" + share("province", "60%") + ", " +
                                                     by("city", "\"5万\"") + ", " + kRest + "]"))},
                 "payer-split",
                 "the payers' parts add up to 110000, more than the amount, 100000"},
        LoadCase{"share_and_constant_that_fit",
                 {one_rule(exact("\"10万\""), payers("[" + share("province", "40%") + ", " +
                                                     by("city", "\"5万\"") + ", " + kRest + "]"))},
                 "",
                 ""},
        LoadCase{"payer_named_twice",
                 {one_rule(exact(times("3")), payers("[" + by("city", times("1")) + ", " +
                                                     R"({"payer": "city", "rest": true}])"))},
                 "bad-payer",
                 "payer \"city\" is named twice"},
        LoadCase{
            "group_id_twice_in_a_document",
            {document("[" + rule("a", exact("1")) + ", " + rule("b", exact("2")) + "]",
                      R"([{"id": "g", "mode": "highest", "rules": ["a", "b"], "quote": "就高。"},
                               {"id": "g", "mode": "highest", "rules": ["a", "b"], "quote": "就高。"}])")},
            "duplicate-id",
            "duplicate group id \"g\""},
        LoadCase{
            "group_id_equal_to_a_rule_id",
            {document(
                "[" + rule("a", exact("1")) + ", " + rule("b", exact("2")) + "]",
                R"([{"id": "a", "mode": "highest", "rules": ["a", "b"], "quote": "就高。"}])")},
            "duplicate-id",
            "group id \"a\" is also a rule id"},
        LoadCase{
            "group_id_in_two_files",
            {document("[" + rule("a", exact("1")) + ", " + rule("b", exact("2")) + "]", kGroupG),
             renamed(document(
                 "[" + rule("s", exact("1")) + ", " + rule("t", exact("2")) + "]",
                 R"([{"id": "g", "mode": "highest", "rules": ["s", "t"], "quote": "就高。"}])",
                 "330803"))},
            "duplicate-id",
            "group id \"g\" is also used in doc0.json"}),
    [](const testing::TestParamInfo<LoadCase>& info) { return info.param.name; });

// --- overflow -------------------------------------------------------------------------------

struct OverflowCase {
  std::string name;
  std::vector<std::string> documents;
  std::string facts;
  Status status;      // of rule "r"
  bool total;         // whether a total overflowed
  std::string error;  // evaluation_error in English
};

std::ostream& operator<<(std::ostream& os, const OverflowCase& c) {
  return os << c.name;
}

class Overflow : public testing::TestWithParam<OverflowCase> {};

TEST_P(Overflow, IsAnErrorNeverAWrongNumber) {
  const OverflowCase& c = GetParam();
  Result<std::shared_ptr<const RuleSet>> rules = load_all(c.documents);
  ASSERT_TRUE(rules.ok()) << all_text(rules.errors());
  Profile p = profile(*rules.value(), c.facts);
  Report report = evaluate(*rules.value(), p);
  const RuleResult* r = find(report, "r");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(status_name(r->status), status_name(c.status));
  EXPECT_EQ(report.overflow, c.total);
  std::optional<Message> error = evaluation_error(report);
  EXPECT_EQ(error ? error->en : "", c.error);
  if (error) {
    EXPECT_FALSE(error->zh.empty());
  }
  // One report reused from profile to profile, as batch does: each evaluation's error, or none,
  // never the one before's.
  Profile none = profile(*rules.value(), "{}");
  Report reused;
  for (const Profile* each : {&none, &p, &none}) {
    evaluate(*rules.value(), *each, {}, reused);
    std::optional<Message> again = evaluation_error(reused);
    EXPECT_EQ(again ? again->en : "", each == &p ? c.error : "") << (each == &p ? "p" : "{}");
    EXPECT_EQ(reused.rule_error, each == &p && c.status == Status::Error);
  }
}

std::string rules_paying(const std::string& amount, int n) {
  std::string list;
  for (int i = 0; i < n; ++i) {
    list += (i ? ", " : "") + rule(i ? "r" + std::to_string(i) : "r", amount);
  }
  return document("[" + list + "]");
}

const std::string kBig = R"({"award": 5000000000000})";

INSTANTIATE_TEST_SUITE_P(
    Table, Overflow,
    testing::Values(
        OverflowCase{"fits",
                     {rules_paying(exact(R"({"fact": "award"})"), 1)},
                     kBig,
                     Status::Eligible,
                     false,
                     ""},
        OverflowCase{
            "product_of_two_big_facts",
            {rules_paying(exact(R"({"mul": [{"fact": "award"}, {"fact": "award"}]})"), 1)},
            kBig,
            Status::Error,
            false,
            "rule r in document doc-330802: arithmetic overflow (beyond 9,000,000,000,000)"},
        OverflowCase{
            "rate_of_1e6_percent",
            {rules_paying(exact(times("1e6%", R"({"fact": "award"})")), 1)},
            R"({"award": 1000000000})",
            Status::Error,
            false,
            "rule r in document doc-330802: arithmetic overflow (beyond 9,000,000,000,000)"},
        OverflowCase{
            "sum_over_items",
            {rules_paying(
                exact(R"({"sum": {"over": "talents", "value": {"item": "salary", "year": 0}}})"),
                1)},
            R"({"talents": [{"salary": {"2023": 5000000000000}, "start": 2023},
                                     {"salary": {"2023": 5000000000000}, "start": 2023}]})",
            Status::Error,
            false,
            "rule r in document doc-330802: arithmetic overflow (beyond 9,000,000,000,000)"},
        OverflowCase{"document_total_of_rules_that_each_fit",
                     {rules_paying(exact(R"({"fact": "award"})"), 2)},
                     kBig,
                     Status::Eligible,
                     true,
                     "the total of document doc-330802 overflowed (beyond 9,000,000,000,000)"},
        OverflowCase{"grand_total_of_documents_that_each_fit",
                     {rules_paying(exact(R"({"fact": "award"})"), 1),
                      other("330800", "2023-01-01", "2023-12-31", "")
                          .replace(other("330800", "2023-01-01", "2023-12-31", "")
                                       .find(R"({"kind": "unspecified"})"),
                                   23, exact(R"({"fact": "award"})"))},
                     kBig,
                     Status::Eligible,
                     true,
                     "the grand total overflowed (beyond 9,000,000,000,000)"},
        // Each rule's part fits; the province's sum over both does not, nor does the total
        // (a payer's sum is at most the total): the document's error, never a partial sum.
        OverflowCase{"payer_sums_of_rules_that_each_fit",
                     {document("[" +
                               rule("r", exact(R"({"fact": "award"})"), "",
                                    payers("[" + share("province", "100%") + "]")) +
                               ", " +
                               rule("r1", exact(R"({"fact": "award"})"), "",
                                    payers("[" + share("province", "100%") + "]")) +
                               "]")},
                     kBig,
                     Status::Eligible,
                     true,
                     "the total of document doc-330802 overflowed (beyond 9,000,000,000,000)"},
        OverflowCase{
            "payer_parts_beyond_the_amount",
            {one_rule(exact(times("1")),
                      payers("[" + by("province", R"({"fact": "award"})") + ", " +
                             by("city", R"({"mul": [1, {"fact": "award"}]})") + ", " + kRest +
                             "]"))},
            R"({"award": 60, "area": {"2023": 100}})",
            Status::Error,
            false,
            "rule r in document doc-330802: the payers' parts add up to more than the amount"},
        OverflowCase{
            "payer_parts_overflow",
            {one_rule(exact(times("1")),
                      payers("[" + by("province", R"({"fact": "award"})") + ", " +
                             by("city", R"({"mul": [1, {"fact": "award"}]})") + "]"))},
            R"({"award": 5000000000000, "area": {"2023": 8000000000000}})",
            Status::Error,
            false,
            "rule r in document doc-330802: arithmetic overflow (beyond 9,000,000,000,000)"}),
    [](const testing::TestParamInfo<OverflowCase>& info) { return info.param.name; });

// Each part is rounded like the amount: 50% and 50% of 100.01 are 50.01 each. That fen is
// rounding, not a split that does not add up: it comes off the last part, and the parts add up
// to the amount.
TEST(PayerSplit, RoundingOfSharesIsNoExcess) {
  Result<std::shared_ptr<const RuleSet>> rules =
      load_all({one_rule(exact(times("1")), payers("[" + share("province", "50%") + ", " +
                                                   share("city", "50%") + "]"))});
  ASSERT_TRUE(rules.ok()) << all_text(rules.errors());
  Report report =
      evaluate(*rules.value(), profile(*rules.value(), R"({"area": {"2023": 100.01}})"));
  const RuleResult* r = find(report, "r");
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->status, Status::Eligible);
  ASSERT_EQ(r->payers.size(), 2u);
  EXPECT_EQ(r->payers[0].amount.fixed(2), "50.01");
  EXPECT_EQ(r->payers[1].amount.fixed(2), "50.00");
  EXPECT_FALSE(evaluation_error(report));
}

// --- where each finding is located ------------------------------------------------------------

// "file:line:col path code severity" of each finding, in order.
std::vector<std::string> located(const std::vector<Diagnostic>& ds) {
  std::vector<std::string> out;
  for (const Diagnostic& d : ds) {
    EXPECT_FALSE(d.message_zh.empty()) << d.message;
    out.push_back(d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.col) + " " +
                  d.path + " " + d.code + (d.severity == Severity::Error ? " error" : " warning"));
  }
  return out;
}

TEST(LintLocated, EachFindingNamesFileLineColumnAndPath) {
  struct Case {
    std::string name;
    std::string document;
    std::vector<std::string> tested;  // rule ids named by a test case in cases.tests.json
    int year;
    std::vector<std::string> want;
  } cases[] = {
      {"tested and clean", one_rule(exact("1")), {"r"}, 2023, {}},
      {"untested", one_rule(exact("1")), {}, 2023, {"doc0.json:7:15 /rules/0 untested warning"}},
      {"unknown rule",
       one_rule(exact("1")),
       {"r", "nope"},
       2023,
       {"cases.tests.json:7:1 /cases unknown-rule error"}},
      {"expired", one_rule(exact("1")), {"r"}, 2024, {"doc0.json:2:17 /document expired warning"}},
      {"not yet in force",
       one_rule(exact("1")),
       {"r"},
       2022,
       {"doc0.json:2:17 /document not-in-force warning"}},
      {"never true",
       document("[" + rule("r", exact("1"), R"({"fact": "level", "is": "county"})") + "]"),
       {"r"},
       2023,
       {"doc0.json:9:56 /rules/0/when never-true warning"}},
      {"empty range",
       document(
           "[" +
           rule("r", exact("1"), R"({"fact": "area", "year": 0, "at_least": 10, "less_than": 5})") +
           "]"),
       {"r"},
       2023,
       {"doc0.json:9:56 /rules/0/when never-true warning"}},
  };
  for (const Case& c : cases) {
    Result<std::shared_ptr<const RuleSet>> rules = load_all({c.document});
    ASSERT_TRUE(rules.ok()) << c.name << "\n" << all_text(rules.errors());
    std::vector<TestCase> tests;
    if (!c.tested.empty()) {
      TestCase t;
      t.file = "cases.tests.json";
      t.name = "case";
      t.line = 7;
      for (const std::string& id : c.tested)
        t.expect.push_back(Expectation{id, "eligible", {}, {}});
      tests.push_back(t);
    }
    std::vector<std::string> got = located(lint(*rules.value(), tests, c.year));
    std::erase_if(got, [](const std::string& s) {
      return s.find("interpretation-needed") != std::string::npos;
    });
    EXPECT_EQ(got, c.want) << c.name;
  }
}

}  // namespace
}  // namespace subsidy
