// The JSON reader: exact number text, positions for messages, and rejection of malformed input.
#include "core/json.h"

#include <gtest/gtest.h>

namespace subsidy::json {
namespace {

TEST(Json, KeepsNumberTextAndPositions) {
  Result<Tree> r = parse("{\n  \"a\": 4293554.60,\n  \"b\": [1, \"x\"]\n}", "t.json");
  ASSERT_TRUE(r.ok());
  const Value* a = r.value().root().find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->text(), "4293554.60");
  EXPECT_EQ(a->line, 2);
  EXPECT_EQ(a->col, 8);
  EXPECT_EQ(r.value().root().members()[1].line, 3);
  EXPECT_EQ(r.value().root().find("b")->items()[1].text(), "x");
}

TEST(Json, ColumnsCountCharactersNotBytes) {
  Result<Tree> r = parse("{\"名称\": true}", "t.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().root().find("名称")->col, 8);
}

// Strings are taken a run at a time (json.cpp plain_run): every width of UTF-8 still counts one
// column, escapes and tabs and CRs still move it, and the shape scan skips escaped quotes.
TEST(Json, ColumnsAfterStringsOfEveryWidth) {
  Result<Tree> r =
      parse("{\"k\": [\"é中😀a\", 1],\r\t\"x\\\"]}\": 2, \"y\": [\"\\\\\", 3]}", "t.json");
  ASSERT_TRUE(r.ok()) << r.errors()[0].message;
  const Value& root = r.value().root();
  EXPECT_EQ(root.find("k")->items()[1].col, 16);  // {"k": ["é中😀a", 1  : é 中 😀 one column each
  EXPECT_EQ(root.find("x\"]}")->line, 1);
  EXPECT_EQ(root.find("x\"]}")->col, 30);
  EXPECT_EQ(root.find("y")->items()[1].col, 45);
  EXPECT_EQ(root.find("y")->items()[0].text(), "\\");
}

TEST(Json, DecodesEscapes) {
  Result<Tree> r = parse(R"(["a\"b\\\n\u4e2d\ud83d\ude00"])", "t.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().root().items()[0].text(), "a\"b\\\n中😀");
}

TEST(Json, SkipsByteOrderMark) {
  Result<Tree> r = parse("\xEF\xBB\xBF{\"a\": 1}", "t.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().root().find("a")->col, 7);
}

struct BadCase {
  const char* text;
  int line;
  int col;
  const char* code;
};

class JsonBad : public testing::TestWithParam<BadCase> {};

TEST_P(JsonBad, ReportsWhereAndWhy) {
  Result<Tree> r = parse(GetParam().text, "bad.json");
  ASSERT_FALSE(r.ok()) << GetParam().text;
  const Diagnostic& d = r.errors().at(0);
  EXPECT_EQ(d.file, "bad.json");
  EXPECT_EQ(d.line, GetParam().line) << d.message;
  EXPECT_EQ(d.col, GetParam().col) << d.message;
  EXPECT_EQ(d.code, GetParam().code) << d.message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, JsonBad,
    testing::Values(BadCase{"", 1, 1, "json-empty"}, BadCase{"  \n ", 2, 2, "json-empty"},
                    BadCase{"{\"a\": 1", 1, 8, "json-truncated"},
                    BadCase{"{\"a\": 1,\n \"a\": 2}", 2, 2, "json-duplicate-key"},
                    BadCase{"[1, 2,]", 1, 7, "json-syntax"},
                    BadCase{"{'a': 1}", 1, 2, "json-syntax"}, BadCase{"[01]", 1, 3, "json-syntax"},
                    BadCase{"[1.]", 1, 4, "json-syntax"}, BadCase{"[\"\xff\"]", 1, 3, "json-utf8"},
                    BadCase{"[\"a\nb\"]", 1, 4, "json-syntax"},
                    BadCase{"{} {}", 1, 4, "json-syntax"}, BadCase{"[tru]", 1, 2, "json-syntax"},
                    BadCase{"[\"\\ud800\"]", 1, 9, "json-syntax"},
                    // Invalid UTF-8 after valid Chinese: the column of the bad byte itself.
                    BadCase{"[\"中文\xe4\xb8\"]", 1, 5, "json-utf8"},
                    BadCase{"[\"中\xed\xa0\x80\"]", 1, 4, "json-utf8"},
                    BadCase{"[\"中\xe0\x80\x80\"]", 1, 4, "json-utf8"},
                    BadCase{"[\"ab中", 1, 6, "json-truncated"},
                    // Past runs of Chinese read two characters at a time: the bad byte's column.
                    BadCase{"[\"中文中文中\xed\xa0\x80中文\"]", 1, 8, "json-utf8"},
                    BadCase{"[\"中文中文\xe4\xb8中文中文\"]", 1, 7, "json-utf8"},
                    BadCase{"[\"中文中文\xe0\x80\x80中文中文\"]", 1, 7, "json-utf8"}));

TEST(Json, ColumnsAfterLongChineseText) {
  // Runs of three-byte characters of every length, then a value whose column counts them.
  for (int n = 0; n < 12; ++n) {
    std::string chinese;
    for (int i = 0; i < n; ++i)
      chinese += i % 2 ? "文" : "\xef\xbc\x8c";  // 文 and a full-width comma
    Result<Tree> r = parse("[\"" + chinese + "\", 1]", "t.json");
    ASSERT_TRUE(r.ok()) << n;
    EXPECT_EQ(r.value().root().items()[0].text(), chinese);
    EXPECT_EQ(r.value().root().items()[1].col, n + 6) << n;
  }
}

TEST(JsonTree, ValuesAreSmallAndFlat) {
  // The memory bound of README's Limits rests on these sizes (issue 13).
  static_assert(sizeof(Value) <= 24);
  static_assert(sizeof(Member) <= 48);
  Result<Tree> r = parse(R"({"a": [1, {"b": "x\ny"}, []], "c": "plain", "d": {}})", "t.json");
  ASSERT_TRUE(r.ok());
  const Value& root = r.value().root();
  ASSERT_EQ(root.members().size(), 3u);
  const Value& a = *root.find("a");
  ASSERT_EQ(a.items().size(), 3u);
  EXPECT_EQ(a.items()[0].text(), "1");
  EXPECT_EQ(a.items()[1].find("b")->text(), "x\ny");
  EXPECT_TRUE(a.items()[2].items().empty());
  EXPECT_TRUE(root.find("d")->members().empty());
  EXPECT_EQ(root.members()[1].key(), "c");
  // Views of other types are empty, never garbage.
  EXPECT_TRUE(root.find("c")->items().empty());
  EXPECT_TRUE(a.members().empty());
  EXPECT_EQ(a.text(), "");
}

TEST(JsonTree, SurvivesMovesAndTheSourceGoingAway) {
  std::string text = R"({"k": ["\u4e2d", "v"]})";
  Result<Tree> r = parse(text, "t.json");
  ASSERT_TRUE(r.ok());
  Tree moved = std::move(r.value());
  text.assign(text.size(), 'x');
  const Value& k = *moved.root().find("k");
  EXPECT_EQ(k.items()[0].text(), "中");
  EXPECT_EQ(k.items()[1].text(), "v");
}

TEST(JsonTree, DraftFreezesWithPositions) {
  Draft d;
  d.type = Type::Object;
  d.member("facts", 3, 7).member("2023", 3, 9) = Draft{Type::Number, false, 3, 9, "12.5", {}, {}};
  Tree t = d.freeze();
  const Value* v = t.root().find("facts")->find("2023");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->text(), "12.5");
  EXPECT_EQ(v->line, 3);
  EXPECT_EQ(v->col, 9);
  Draft copy = Draft::of(t.root());
  EXPECT_EQ(copy.members[0].value.members[0].value.text, "12.5");
}

TEST(JsonTree, DuplicateKeyInALargeObjectIsFoundFast) {
  std::string text = "{";
  for (int i = 0; i < 200000; ++i) text += "\"k" + std::to_string(i) + "\": 1,\n";
  text += "\"k17\": 2}";
  Result<Tree> r = parse(text, "t.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors()[0].code, "json-duplicate-key");
  EXPECT_EQ(r.errors()[0].line, 200001);
  EXPECT_EQ(r.errors()[0].message, "duplicate key \"k17\" (first at line 18)");
}

TEST(JsonTree, TruncatedContainersReportTheEnd) {
  for (const char* text : {"[[1, 2", "{\"a\": [", "[{\"a\": 1}, {"}) {
    Result<Tree> r = parse(text, "t.json");
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.errors()[0].code, "json-truncated") << text;
  }
}

TEST(Json, RejectsDeepNestingWithoutCrashing) {
  std::string deep(100000, '[');
  Result<Tree> r = parse(deep, "deep.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors()[0].code, "json-too-deep");
}

}  // namespace
}  // namespace subsidy::json
