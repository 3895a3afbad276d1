// Differences between two evaluations of one profile (core/diff): only what changed is listed,
// rules present on one side only, amounts compared only where a rule pays a known amount, and
// document totals.
#include "core/diff.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.h"

namespace subsidy {
namespace {

using testing_support::document;
using testing_support::load;
using testing_support::profile;
using testing_support::rule;

const std::string kPays100 = R"({"kind": "exact", "formula": 100})";
const std::string kPays200 = R"({"kind": "exact", "formula": 200})";
const std::string kUpTo = R"({"kind": "upper_bound", "up_to": "40万"})";
const std::string kUpTo50 = R"({"kind": "upper_bound", "up_to": "50万"})";
const std::string kNeedsRd = R"({"fact": "rd", "year": -1})";

// "rule document before→after amount→amount" for each change, "-" for what is absent.
std::vector<std::string> changes(const ProfileDiff& d) {
  std::vector<std::string> out;
  auto text = [](const auto& v) {
    if (!v) return std::string("-");
    if constexpr (std::is_same_v<std::decay_t<decltype(*v)>, Decimal>)
      return v->str();
    else
      return *v;
  };
  for (const RuleChange& c : d.rules) {
    out.push_back(c.rule + " " + c.document + " " + text(c.before) + "→" + text(c.after) + " " +
                  text(c.before_amount) + "→" + text(c.after_amount));
  }
  return out;
}

ProfileDiff diff_of(const std::string& before_rules, const std::string& after_rules,
                    const std::string& facts = R"({"rd": {"2022": 1000}})") {
  RuleSet a = load({document("[" + before_rules + "]")});
  RuleSet b = load({document("[" + after_rules + "]")});
  Report ra = evaluate(a, profile(a, facts));
  Report rb = evaluate(b, profile(b, facts));
  return diff_reports("p1", ra, rb);
}

TEST(Diff, ListsOnlyWhatChanged) {
  const std::string doc = "测〔2023〕1号";
  struct Case {
    const char* name;
    std::string before, after;
    std::vector<std::string> want;
    std::string total_before, total_after;
  } cases[] = {
      {"same rules", rule("a", kPays100), rule("a", kPays100), {}, "100", "100"},
      {"amount changed",
       rule("a", kPays100),
       rule("a", kPays200),
       {"a " + doc + " eligible→eligible 100→200"},
       "100",
       "200"},
      {"rule added",
       rule("a", kPays100),
       rule("a", kPays100) + "," + rule("b", kPays200),
       {"b " + doc + " -→eligible -→200"},
       "100",
       "300"},
      {"rule removed",
       rule("a", kPays100) + "," + rule("b", kPays200),
       rule("a", kPays100),
       {"b " + doc + " eligible→- 200→-"},
       "300",
       "100"},
      {"status changed",
       rule("a", kPays100),
       rule("a", kPays100, R"({"fact": "little_giant", "is": true})"),
       {"a " + doc + " eligible→needs_info 100→-"},
       "100",
       "0"},
      {"an upper bound has no amount to compare",
       rule("a", kUpTo),
       rule("a", kUpTo50),
       {},
       "0",
       "0"},
  };
  for (const Case& c : cases) {
    ProfileDiff d = diff_of(c.before, c.after);
    EXPECT_EQ(d.profile, "p1");
    EXPECT_EQ(changes(d), c.want) << c.name;
    EXPECT_EQ(d.total_before.str(), c.total_before) << c.name;
    EXPECT_EQ(d.total_after.str(), c.total_after) << c.name;
    EXPECT_EQ(d.changed(), !c.want.empty() || c.total_before != c.total_after) << c.name;
    if (c.total_before != c.total_after) {
      ASSERT_EQ(d.totals.size(), 1u) << c.name;
      EXPECT_EQ(d.totals[0].document, doc);
      EXPECT_EQ(d.totals[0].before.str(), c.total_before);
      EXPECT_EQ(d.totals[0].after.str(), c.total_after);
    } else {
      EXPECT_TRUE(d.totals.empty()) << c.name;
    }
  }
}

TEST(Diff, ADocumentOnOneSideOnlyCountsFromZero) {
  // A second document of the same region, under another id and number.
  std::string second = document("[" + rule("c", kPays200) + "]");
  second.replace(second.find("\"doc-"), 5, "\"other-");
  second.replace(second.find("测〔2023〕1号"), std::string("测〔2023〕1号").size(),
                 "测〔2023〕2号");
  RuleSet a = load({document("[" + rule("a", kPays100) + "]")});
  RuleSet b = load({document("[" + rule("a", kPays100) + "]"), second});
  Report ra = evaluate(a, profile(a, "{}"));
  Report rb = evaluate(b, profile(b, "{}"));
  ProfileDiff d = diff_reports("line 3", ra, rb);
  EXPECT_EQ(d.profile, "line 3");
  EXPECT_EQ(changes(d), (std::vector<std::string>{"c 测〔2023〕2号 -→eligible -→200"}));
  ASSERT_EQ(d.totals.size(), 1u);
  EXPECT_EQ(d.totals[0].document, "测〔2023〕2号");
  EXPECT_EQ(d.totals[0].before.str(), "0");
  EXPECT_EQ(d.totals[0].after.str(), "200");
  EXPECT_TRUE(d.changed());
  ProfileDiff back = diff_reports("p", rb, ra);
  ASSERT_EQ(back.totals.size(), 1u);
  EXPECT_EQ(back.totals[0].after.str(), "0");
  ProfileDiff same = diff_reports("p", ra, ra);
  EXPECT_FALSE(same.changed());
  EXPECT_TRUE(same.rules.empty());
  EXPECT_TRUE(same.totals.empty());
}

}  // namespace
}  // namespace subsidy
