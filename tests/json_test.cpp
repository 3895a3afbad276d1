// The JSON reader: exact number text, positions for messages, and rejection of malformed input.
#include "core/json.h"

#include <gtest/gtest.h>

namespace subsidy::json {
namespace {

TEST(Json, KeepsNumberTextAndPositions) {
  Result<Value> r = parse("{\n  \"a\": 4293554.60,\n  \"b\": [1, \"x\"]\n}", "t.json");
  ASSERT_TRUE(r.ok());
  const Value* a = r.value().find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->text, "4293554.60");
  EXPECT_EQ(a->line, 2);
  EXPECT_EQ(a->col, 8);
  EXPECT_EQ(r.value().members[1].line, 3);
  EXPECT_EQ(r.value().find("b")->items[1].text, "x");
}

TEST(Json, ColumnsCountCharactersNotBytes) {
  Result<Value> r = parse("{\"名称\": true}", "t.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().find("名称")->col, 8);
}

TEST(Json, DecodesEscapes) {
  Result<Value> r = parse(R"(["a\"b\\\n\u4e2d\ud83d\ude00"])", "t.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().items[0].text, "a\"b\\\n中😀");
}

TEST(Json, SkipsByteOrderMark) {
  Result<Value> r = parse("\xEF\xBB\xBF{\"a\": 1}", "t.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().find("a")->col, 7);
}

struct BadCase {
  const char* text;
  int line;
  int col;
  const char* code;
};

class JsonBad : public testing::TestWithParam<BadCase> {};

TEST_P(JsonBad, ReportsWhereAndWhy) {
  Result<Value> r = parse(GetParam().text, "bad.json");
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
                    BadCase{"[\"\\ud800\"]", 1, 9, "json-syntax"}));

TEST(Json, RejectsDeepNestingWithoutCrashing) {
  std::string deep(100000, '[');
  Result<Value> r = parse(deep, "deep.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors()[0].code, "json-too-deep");
}

}  // namespace
}  // namespace subsidy::json
