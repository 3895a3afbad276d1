// Facts no rule reads (issue 15, item 3): the readers index, the reason a given fact is not read
// for this applicant, and the suggestions of similar facts read here.
#include "core/unread.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>

#include "core/builtin_rules.h"
#include "core/testcases.h"
#include "report/unread_text.h"
#include "test_support.h"

namespace subsidy {
namespace {

using namespace testing_support;

// A second vocabulary file: facts whose names are alike.
const char* kMoreFacts = R"({"format": "subsidy-facts/1", "facts": [
  {"name": "loan_interest", "type": "number", "unit": "yuan", "zh": "贷款利息", "en": "Loan interest"},
  {"name": "loan_interest_guarantee_fee", "type": "number", "unit": "yuan", "zh": "贷款利息和担保费", "en": "Loan interest and guarantee fee"},
  {"name": "waterway_turnover", "type": "number", "unit": "ton_km", "zh": "水运周转量", "en": "Waterway turnover"}
]})";

std::string with_applicants(std::string rule, const std::string& applicants) {
  std::string from = R"("applicants": ["enterprise", "family_farm"])";
  rule.replace(rule.find(from), from.size(), R"("applicants": )" + applicants);
  return rule;
}

std::string with_id(std::string doc, const std::string& id) {
  std::string from = R"("id": "doc-)";
  doc.replace(doc.find(from), from.size(), R"("id": ")" + id + "-");
  return doc;
}

// 330802 (city layer 330800), 2023: rd, area (farms only), loan_interest_guarantee_fee.
// 330802, 2024 only: premium. 330800 (the city), 2024 only: insured. 331002, 2023: freight,
// loan_interest, waterway_turnover.
RuleSet rules() {
  std::string here = document(
      "[" + rule("a-rd", R"({"kind": "exact", "formula": {"fact": "rd", "year": 0}})") + "," +
      with_applicants(
          rule("a-area", R"({"kind": "exact", "formula": {"fact": "area", "year": 0}})"),
          R"(["family_farm"])") +
      "," +
      rule("a-loan", R"({"kind": "exact", "formula": {"fact": "loan_interest_guarantee_fee"}})") +
      "]");
  std::string later = with_id(
      document(
          "[" +
              rule("l-premium", R"({"kind": "exact", "formula": {"fact": "premium", "year": 0}})") +
              "]",
          "[]", "330802", "330800", "2024-01-01", "2024-12-31"),
      "later");
  std::string city = document(
      "[" + rule("c-insured", R"({"kind": "exact", "formula": {"fact": "insured", "year": 0}})") +
          "]",
      "[]", "330800", "", "2024-01-01", "2024-12-31");
  std::string there = document(
      "[" + rule("t-freight", R"({"kind": "exact", "formula": {"fact": "freight", "year": 0}})") +
          "," + rule("t-loan", R"({"kind": "exact", "formula": {"fact": "loan_interest"}})") + "," +
          rule("t-water", R"({"kind": "exact", "formula": {"fact": "waterway_turnover"}})") + "]",
      "[]", "331002", "331000");
  std::vector<SourceText> sources{{"facts.json", kVocabulary},
                                  {"facts-more.json", kMoreFacts},
                                  {"here", here},
                                  {"later", later},
                                  {"city", city},
                                  {"there", there}};
  Result<std::shared_ptr<const RuleSet>> r = load_rule_set(sources);
  if (!r.ok()) {
    for (const Diagnostic& d : r.errors()) ADD_FAILURE() << format_diagnostic(d, Lang::En);
    return RuleSet(RuleSet::Parts{});
  }
  return *r.value();
}

struct UnreadCase {
  std::string name;
  std::string facts;
  std::string kind;
  int year;
  std::string region;
  // Per unread fact: "fact reason elsewhere-rules… / suggested-facts…"
  std::vector<std::string> expected;
};

std::ostream& operator<<(std::ostream& os, const UnreadCase& c) {
  return os << c.name;
}

std::string describe(const UnreadFact& u, const RuleSet& rules) {
  std::string out = rules.vocabulary().facts[static_cast<std::size_t>(u.fact)].name + " " +
                    std::string(unread_reason_name(u.reason));
  for (const FactRead& r : u.elsewhere()) out += " " + r.rule->id;
  out += " /";
  for (const FactRead& s : u.suggestions()) {
    out += " " + rules.vocabulary().facts[static_cast<std::size_t>(s.fact)].name + "@" + s.rule->id;
  }
  return out;
}

class Unread : public testing::TestWithParam<UnreadCase> {};

TEST_P(Unread, SaysWhichFactsNoRuleInForceReads) {
  const UnreadCase& c = GetParam();
  RuleSet set = rules();
  Profile p = profile(set, c.facts, c.kind, c.year, c.region);
  std::vector<std::string> got;
  for (const UnreadFact& u : unread_facts(set, p)) got.push_back(describe(u, set));
  EXPECT_EQ(got, c.expected);
  // A batch worker's memo answers the same, the first time and from what it kept.
  UnreadMemo memo;
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<UnreadFact> unread;
    memo.unread_facts(set, p, unread);
    std::vector<std::string> remembered;
    for (const UnreadFact& u : unread) remembered.push_back(describe(u, set));
    EXPECT_EQ(remembered, c.expected) << "pass " << pass;
  }
}

// A batch worker's memo keeps each verdict's warning JSON, made once (unread_fact_json): it must
// be exactly the JSON written anew from a fresh verdict, the first time and from what it kept,
// whatever the reason, and whether or not the verdict has lists (read nowhere, nothing similar).
TEST_P(Unread, AMemosWarningTextIsTheWarningWrittenAnew) {
  const UnreadCase& c = GetParam();
  RuleSet set = rules();
  Profile p = profile(set, c.facts, c.kind, c.year, c.region);
  std::vector<UnreadFact> fresh = unread_facts(set, p);
  std::string written;
  append_unread_facts_json(written, fresh, set);
  UnreadMemo memo;
  std::vector<UnreadFact> kept;
  memo.unread_facts(set, p, kept);  // without a renderer first: the texts are made when asked for
  for (int pass = 0; pass < 2; ++pass) {
    memo.unread_facts(set, p, kept, &unread_fact_json);
    ASSERT_EQ(kept.size(), fresh.size());
    for (std::size_t i = 0; i < kept.size(); ++i) {
      EXPECT_TRUE(fresh[i].text(&unread_fact_json).empty());
      EXPECT_EQ(kept[i].text(&unread_fact_json), unread_fact_json(fresh[i], set))
          << "pass " << pass;
      // The record refers to the memo's verdict without counting a reference: a count would be
      // changed atomically by whichever thread overwrites the record next.
      ASSERT_NE(kept[i].where, nullptr);
      EXPECT_EQ(kept[i].where.use_count(), 0) << "pass " << pass;
    }
    std::string copied;
    append_unread_facts_json(copied, kept, set);
    EXPECT_EQ(copied, written) << "pass " << pass;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Unread,
    testing::Values(
        UnreadCase{"all_read",
                   R"({"rd": {"2023": 1}, "loan_interest_guarantee_fee": 5})",
                   "enterprise",
                   2023,
                   "330802",
                   {}},
        UnreadCase{"nothing_given", "{}", "enterprise", 2023, "330802", {}},
        UnreadCase{"other_region_with_suggestion",
                   R"({"rd": {"2023": 1}, "loan_interest": 5})",
                   "enterprise",
                   2023,
                   "330802",
                   {"loan_interest other_region t-loan / loan_interest_guarantee_fee@a-loan"}},
        UnreadCase{"other_region_no_suggestion",
                   R"({"waterway_turnover": 5})",
                   "enterprise",
                   2023,
                   "330802",
                   {"waterway_turnover other_region t-water /"}},
        UnreadCase{"other_form",
                   R"({"area": {"2023": 10}})",
                   "enterprise",
                   2023,
                   "330802",
                   {"area other_form a-area /"}},
        UnreadCase{
            "read_for_farms", R"({"area": {"2023": 10}})", "family_farm", 2023, "330802", {}},
        UnreadCase{"not_in_force_this_year",
                   R"({"premium": {"2023": 10}})",
                   "enterprise",
                   2023,
                   "330802",
                   {"premium not_in_force l-premium /"}},
        UnreadCase{
            "read_next_year", R"({"premium": {"2024": 10}})", "enterprise", 2024, "330802", {}},
        UnreadCase{"city_layer_not_in_force",
                   R"({"insured": {"2023": 10}})",
                   "enterprise",
                   2023,
                   "330802",
                   {"insured not_in_force c-insured /"}},
        UnreadCase{"city_layer_in_force",
                   R"({"insured": {"2024": 10}})",
                   "enterprise",
                   2024,
                   "330802",
                   {}},
        UnreadCase{"nowhere",
                   R"({"little_giant": true})",
                   "enterprise",
                   2023,
                   "330802",
                   {"little_giant read_nowhere /"}},
        UnreadCase{"in_written_order",
                   R"({"little_giant": true, "rd": {"2023": 1}, "freight": {"2023": 3}})",
                   "enterprise",
                   2023,
                   "330802",
                   {"little_giant read_nowhere /", "freight other_region t-freight /"}},
        UnreadCase{"no_document_here",
                   R"({"rd": {"2023": 1}})",
                   "enterprise",
                   2023,
                   "330702",
                   {"rd other_region a-rd /"}}));

struct Alike {
  std::string given;
  std::string candidate;
  bool alike;
};

TEST(NameDistance, EditsOrSharedParts) {
  for (const Alike& a : std::vector<Alike>{
           {"agri_loan_interest", "agri_loan_interest_guarantee_fee", true},
           {"main_revenu", "main_revenue", true},
           {"waterway_freight_turnover", "freight_turnover", true},
           {"waterway_freight_turnover", "revenue", false},
           {"rd", "area", false},
           {"loan_interest", "interest_rate", false},
           {"agri_loan_interest", "tech_loan_interest_settled", false},
       }) {
    EXPECT_EQ(name_distance(a.given, a.candidate).has_value(), a.alike)
        << a.given << " ~ " << a.candidate;
  }
  // The fewer edits, the closer.
  EXPECT_LT(*name_distance("agri_loan_interest", "agri_loan_interest_fee"),
            *name_distance("agri_loan_interest", "agri_loan_interest_guarantee_fee"));
}

// name_distance as first written: both names split into lists and their letters counted before
// any test. The one used looks at a candidate lazily (its parts found in place, its length
// compared first); it must say exactly the same of every pair.
std::optional<int> plain_name_distance(std::string_view given, std::string_view candidate) {
  auto parts = [](std::string_view name) {
    std::vector<std::string_view> out;
    for (std::size_t start = 0; start <= name.size();) {
      std::size_t end = std::min(name.find('_', start), name.size());
      if (end > start) out.push_back(name.substr(start, end - start));
      start = end + 1;
    }
    return out;
  };
  std::vector<std::string_view> a = parts(given), b = parts(candidate);
  std::size_t shared = 0;
  for (std::string_view part : a) shared += std::find(b.begin(), b.end(), part) != b.end();
  bool by_parts = shared >= 2 && (shared == a.size() || shared == b.size());
  std::size_t longer = std::max(given.size(), candidate.size());
  if (!by_parts) {
    std::array<std::uint8_t, 128> x{}, y{};
    for (char c : given) ++x[static_cast<unsigned char>(c) & 127];
    for (char c : candidate) ++y[static_cast<unsigned char>(c) & 127];
    std::size_t more = 0, fewer = 0;
    for (std::size_t c = 0; c < 128; ++c) {
      if (y[c] > x[c]) more += y[c] - x[c];
      if (y[c] < x[c]) fewer += x[c] - y[c];
    }
    if (std::max(more, fewer) * 3 > longer) return std::nullopt;
  }
  std::size_t edits = edit_distance(given, candidate);
  if (!by_parts && edits * 3 > longer) return std::nullopt;
  return static_cast<int>(edits);
}

TEST(NameDistance, SameAsSplittingAndCountingEveryName) {
  Result<std::shared_ptr<const RuleSet>> loaded = load_rule_set(builtin_rule_files());
  ASSERT_TRUE(loaded.ok());
  std::vector<std::string> names;
  for (const FactDecl& f : loaded.value()->vocabulary().facts) names.push_back(f.name);
  // Beside the shipped facts: repeated, empty and edge parts, and names long enough that a
  // letter's count wraps.
  for (std::string odd : {"loan_loan", "_loan_interest_", "loan__interest", "interest_loan", "_",
                          "", "a", "ab_ab_ab", "ab_ab"}) {
    names.push_back(odd);
  }
  names.push_back(std::string(300, 'a'));
  names.push_back(std::string(44, 'a'));
  names.push_back(std::string(300, 'a') + "_loan_interest");
  std::size_t alike = 0;
  for (const std::string& a : names) {
    for (const std::string& b : names) {
      std::optional<int> expected = plain_name_distance(a, b);
      ASSERT_EQ(name_distance(a, b), expected) << a << " ~ " << b;
      alike += expected.has_value();
    }
  }
  EXPECT_GT(alike, names.size());  // not only each name with itself
}

TEST(Readers, IndexedOncePerDocumentAndFact) {
  RuleSet set = rules();
  ASSERT_EQ(set.readers().size(), set.vocabulary().facts.size());
  const auto& rd = set.readers()[static_cast<std::size_t>(set.vocabulary().index_of("rd"))];
  ASSERT_EQ(rd.size(), 1u);
  EXPECT_EQ(set.documents()[rd[0].document].rules[rd[0].rules.at(0)].id, "a-rd");
  EXPECT_EQ(rd[0].applicants, form_bit("enterprise") | form_bit("family_farm"));
}

// Over every shipped test profile, each warning names a fact the profile gives, once, in the
// order given. (What the look-ups cost beside evaluation is a benchmark's question, not a unit
// test's: a timed assertion here failed under load at 2.6% against a 3% bound.)
TEST(Readers, WarningsNameOnlyFactsGivenOnceInOrder) {
  Result<std::shared_ptr<const RuleSet>> loaded = load_rule_set(builtin_rule_files());
  ASSERT_TRUE(loaded.ok());
  const RuleSet& set = *loaded.value();
  std::size_t profiles = 0, warned = 0;
  UnreadMemo memo;  // one for all: as a batch worker keeps it across rows
  std::vector<UnreadFact> reused;
  for (const SourceText& file : builtin_rule_files()) {
    if (!file.name.ends_with(".tests.json")) continue;
    Result<std::vector<TestCase>> cases = load_test_cases(file.text, file.name, set.vocabulary());
    ASSERT_TRUE(cases.ok());
    for (const TestCase& c : cases.value()) {
      ++profiles;
      std::vector<UnreadFact> unread = unread_facts(set, c.profile);
      warned += unread.size();
      std::vector<UnreadFact> remembered;  // a fresh vector
      memo.unread_facts(set, c.profile, remembered);
      ASSERT_EQ(remembered.size(), unread.size()) << c.name;
      memo.unread_facts(set, c.profile, reused);  // as a batch record's warnings, reused
      ASSERT_EQ(reused.size(), unread.size()) << c.name;
      for (std::size_t i = 0; i < unread.size(); ++i) {
        EXPECT_EQ(describe(reused[i], set), describe(unread[i], set)) << c.name;
        EXPECT_EQ(reused[i].line, unread[i].line) << c.name;
        EXPECT_EQ(reused[i].col, unread[i].col) << c.name;
      }
      for (std::size_t i = 0; i < unread.size(); ++i) {
        EXPECT_EQ(describe(remembered[i], set), describe(unread[i], set)) << c.name;
        EXPECT_EQ(remembered[i].line, unread[i].line) << c.name;
        EXPECT_EQ(remembered[i].col, unread[i].col) << c.name;
      }
      std::size_t at = 0;
      for (const UnreadFact& u : unread) {
        std::size_t found = at;
        while (found < c.profile.given.size() && c.profile.given[found].fact != u.fact) ++found;
        ASSERT_LT(found, c.profile.given.size()) << c.name << ": a warning for a fact not given";
        at = found + 1;
      }
    }
  }
  EXPECT_GT(profiles, 100u);
  EXPECT_GT(warned, 0u);  // some shipped cases give other documents' facts on purpose
}

}  // namespace
}  // namespace subsidy
