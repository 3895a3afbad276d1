// Issue 15, names people type: the one region-name table (codes, Chinese and English names,
// ambiguity), the one category table, and the default policy year of a region.
#include <gtest/gtest.h>

#include <set>

#include "core/builtin_rules.h"
#include "core/region.h"
#include "core/ruleset.h"
#include "report/text.h"

namespace subsidy {
namespace {

const RuleSet& builtin() {
  static const RuleSet rules = [] {
    Result<std::shared_ptr<const RuleSet>> r = load_rule_set(builtin_rule_files());
    return r.ok() ? *r.value() : RuleSet(RuleSet::Parts{});
  }();
  return rules;
}

TEST(RegionNames, WhatPeopleTypeFindsTheCode) {
  const struct {
    const char* typed;
    const char* code;
  } cases[] = {
      {"330802", "330802"},
      {"柯城区", "330802"},
      {"柯城", "330802"},
      {"Kecheng", "330802"},
      {"kecheng", "330802"},
      {"KECHENG", "330802"},
      {"Kecheng District", "330802"},
      {"kecheng-district", "330802"},
      {"柯", "330802"},
      {"kech", "330802"},
      {"衢州", "330800"},
      {"衢州市", "330800"},
      {"Quzhou City", "330800"},
      {"衢江", "330803"},
      {"婺城", "330702"},
      {"jiaojiang", "331002"},
      {"椒江区", "331002"},
      {"Pan'an", "330727"},
      {"panan", "330727"},
      {"110101", "110101"},  // a code is taken as it is
  };
  for (const auto& c : cases) {
    RegionMatch m = match_region(c.typed);
    EXPECT_EQ(m.code, c.code) << c.typed;
  }
}

TEST(RegionNames, AmbiguousNamesNameTheirCandidates) {
  const struct {
    const char* typed;
    std::set<std::string> candidates;
  } cases[] = {
      {"衢", {"330800", "330803"}},
      {"qu", {"330800", "330803"}},
      {"金", {"330700", "330703"}},
      {"wu", {"330702", "330723"}},
  };
  for (const auto& c : cases) {
    RegionMatch m = match_region(c.typed);
    EXPECT_TRUE(m.code.empty()) << c.typed;
    std::set<std::string> got;
    for (const RegionName* r : m.candidates) got.insert(std::string(r->code));
    EXPECT_EQ(got, c.candidates) << c.typed;
  }
}

TEST(RegionNames, UnknownNamesMatchNothing) {
  for (const char* typed : {"", "xyz", "北京", "33080", "3308021", "Kecheng Province"}) {
    RegionMatch m = match_region(typed);
    EXPECT_TRUE(m.code.empty()) << typed;
    EXPECT_TRUE(m.candidates.empty()) << typed;
  }
}

TEST(RegionNames, TwoRegionsOfOneNameAreAmbiguousEvenWhenExact) {
  const RegionName table[] = {{"320100", "鼓楼区", "Gulou"}, {"350100", "鼓楼区", "Gulou"}};
  RegionMatch m = match_region("鼓楼", table);
  EXPECT_TRUE(m.code.empty());
  EXPECT_EQ(m.candidates.size(), 2u);
}

TEST(RegionNames, TheTableIsConsistent) {
  std::set<std::string> codes, names;
  for (const RegionName& r : region_names()) {
    EXPECT_TRUE(codes.insert(std::string(r.code)).second) << r.code;
    EXPECT_TRUE(names.insert(std::string(r.zh)).second) << r.zh;
    EXPECT_EQ(match_region(r.zh).code, r.code) << r.zh;
    EXPECT_EQ(match_region(r.en).code, r.code) << r.en;
  }
}

TEST(RegionNames, EveryDocumentRegionIsInTheTableUnderItsOwnName) {
  ASSERT_FALSE(builtin().documents().empty());
  for (const Document& d : builtin().documents()) {
    const RegionName* r = region_name(d.region.code);
    ASSERT_NE(r, nullptr) << d.region.code;
    EXPECT_EQ(r->zh, d.region.name) << d.region.code;
  }
}

TEST(CategoryNames, IdsAndNamesAsReportsShowThem) {
  const struct {
    const char* typed;
    const char* id;
  } cases[] = {
      {"technical_upgrade", "technical_upgrade"},
      {"技术改造", "technical_upgrade"},
      {"Technical Upgrade", "technical_upgrade"},
      {"technical-upgrade", "technical_upgrade"},
      {"RND", "rnd"},
      {"研发投入", "rnd"},
      {"社会保障", "social"},
      {"粮食生产", "grain"},
  };
  for (const auto& c : cases) {
    const CategoryName* found = category_of(c.typed);
    ASSERT_NE(found, nullptr) << c.typed;
    EXPECT_EQ(found->id, c.id) << c.typed;
  }
  for (const char* typed : {"", "技改", "upgrade", "mining"})
    EXPECT_EQ(category_of(typed), nullptr);
}

TEST(CategoryNames, EveryRuleCategoryIsInTheTable) {
  for (const Document& d : builtin().documents()) {
    for (const Rule& r : d.rules) EXPECT_NE(r.category, nullptr) << r.id;
  }
}

TEST(DefaultYear, TheRegionsOwnDocumentFirstThenItsCity) {
  const struct {
    const char* region;
    int year;
    const char* en;
  } cases[] = {
      // 柯城 has its own 2023 document; the city's 2024 one is named as a later choice.
      {"330802", 2023, "the city's documents are also in force in 2024: --year 2024"},
      {"330803", 2023, "a document of Qujiang (330803) is in force (衢江区政发〔2023〕26号)"},
      {"330800", 2024, "a document of Quzhou (330800) is in force"},
      {"330822", 2024, "Changshan (330822) has no document of its own"},
      {"331002", 2023, "椒政发〔2023〕6号"},
      {"110101", 0, ""},
  };
  for (const auto& c : cases) {
    YearChoice choice = default_policy_year(builtin(), c.region);
    EXPECT_EQ(choice.year, c.year) << c.region;
    EXPECT_NE(choice.note.en.find(c.en), std::string::npos) << choice.note.en;
    EXPECT_EQ(choice.note.zh.empty(), choice.note.en.empty()) << c.region;
  }
}

}  // namespace
}  // namespace subsidy

namespace subsidy {
namespace {

// Articles as a reader cites them, in both languages; Chinese-numbered items read in arabic in
// English (衢政发〔2024〕7号 numbers its items （一）…（七十三）).
TEST(Names, ArticlesAsReadersCiteThem) {
  struct Case {
    const char* article;
    const char* zh;
    const char* en;
  };
  const Case cases[] = {
      {"12", "第12条", "art. 12"},         {"一", "第一条", "art. 1"},
      {"十", "第十条", "art. 10"},         {"十一", "第十一条", "art. 11"},
      {"二十", "第二十条", "art. 20"},     {"四十九", "第四十九条", "art. 49"},
      {"七十三", "第七十三条", "art. 73"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(text::article(c.article, Lang::Zh), c.zh) << c.article;
    EXPECT_EQ(text::article(c.article, Lang::En), c.en) << c.article;
  }
}

}  // namespace
}  // namespace subsidy
