// The loaders' Reader (core/reader): JSON pointers, key and type checks, member readers, and the
// per-file cap on diagnostics, each problem located by file, line, column, path and code.
#include "core/reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace subsidy {
namespace {

json::Tree parsed(const std::string& text) {
  Result<json::Tree> t = json::parse(text, "t.json");
  EXPECT_TRUE(t.ok()) << text;
  return std::move(t.value());
}

// "line:col path code: English", the parts a test compares.
std::string located(const Diagnostic& d) {
  return std::to_string(d.line) + ":" + std::to_string(d.col) + " " + d.path + " " + d.code + ": " +
         d.message;
}

std::vector<std::string> located(Reader& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics()) {
    EXPECT_EQ(d.file, "t.json");
    EXPECT_FALSE(d.message_zh.empty()) << d.message;
    out.push_back(located(d));
  }
  return out;
}

TEST(ChildPath, EscapesAsJsonPointer) {
  struct Case {
    std::string path, key, want;
  } cases[] = {
      {"/", "rules", "/rules"},  {"", "rules", "/rules"}, {"/rules", "a/b", "/rules/a~1b"},
      {"/x", "a~b", "/x/a~0b"},  {"/x", "~/", "/x/~0~1"}, {"/x", "", "/x/"},
      {"/x", "中文", "/x/中文"},
  };
  for (const Case& c : cases) EXPECT_EQ(child_path(c.path, c.key), c.want) << c.key;
  EXPECT_EQ(child_path("/", std::size_t{0}), "/0");
  EXPECT_EQ(child_path("/rules", std::size_t{12}), "/rules/12");
}

TEST(ReaderObject, ReportsUnknownAndMissingKeysWhereTheyAre) {
  struct Case {
    const char* text;
    bool ok;
    std::vector<std::string> want;
  } cases[] = {
      {R"({"a": 1, "b": 2})", true, {}},
      {R"({"a": 1})", true, {}},
      {R"({"a": 1,
 "zz": 2})",
       false,
       {R"(2:2 /x/zz unknown-key: unknown key "zz")"}},
      {R"({"b": 1})", false, {R"(1:1 /x missing-key: missing required key "a")"}},
      {R"([1])", false, {"1:1 /x type: expected an object, found an array"}},
      {R"({"a": 1, "$schema": 3})",
       false,
       {"1:21 /x/$schema type: expected a string, found a number"}},
  };
  for (const Case& c : cases) {
    json::Tree t = parsed(c.text);
    Reader r("t.json");
    EXPECT_EQ(r.object(t.root(), "/x", {"a"}, {"b", "$schema"}), c.ok) << c.text;
    EXPECT_EQ(located(r), c.want) << c.text;
    EXPECT_EQ(r.failed(), !c.ok) << c.text;
  }
}

TEST(ReaderMembers, ReadValuesOrSayWhyNot) {
  json::Tree t = parsed(R"({"s": "x", "b": true, "i": 42, "f": 1.5, "big": 100001,
 "neg": -7, "bad": "no", "list": ["p", 3, "q"]})");
  const json::Value& o = t.root();
  Reader r("t.json");
  EXPECT_EQ(r.string(o, "s", "/"), "x");
  EXPECT_EQ(r.boolean(o, "b", "/"), true);
  EXPECT_EQ(r.integer(o, "i", "/"), 42);
  EXPECT_EQ(r.integer(o, "neg", "/"), -7);
  EXPECT_EQ(r.string(o, "absent", "/", false), std::nullopt);
  EXPECT_TRUE(r.diagnostics().empty());

  EXPECT_EQ(r.string(o, "absent", "/"), std::nullopt);
  EXPECT_EQ(r.string(o, "b", "/"), std::nullopt);
  EXPECT_EQ(r.boolean(o, "s", "/"), std::nullopt);
  EXPECT_EQ(r.integer(o, "f", "/"), std::nullopt);
  EXPECT_EQ(r.integer(o, "big", "/"), std::nullopt);
  EXPECT_EQ(r.integer(o, "bad", "/"), std::nullopt);
  EXPECT_EQ(r.strings(o, "list", "/"), (std::vector<std::string>{"p", "q"}));
  EXPECT_EQ(located(r), (std::vector<std::string>{
                            R"(1:1 / missing-key: missing required key "absent")",
                            "1:17 /b type: expected a string, found a boolean",
                            "1:7 /s type: expected a boolean, found a string",
                            "1:37 /f bad-number: expected a whole number, found 1.5",
                            "1:49 /big bad-number: expected a whole number, found 100001",
                            "2:20 /bad type: expected a number, found a string",
                            "2:40 /list/1 type: expected a string, found a number",
                        }));
}

TEST(ReaderNumber, TakesNumbersAndSuffixedStrings) {
  struct Case {
    const char* text;
    bool suffixes;
    const char* want;  // the Decimal's text, or the diagnostic
  } cases[] = {
      {"12.5", false, "12.5"},
      {R"("12.5")", false, "12.5"},
      {R"("5%")", true, "0.05"},
      {R"("200万")", true, "2000000"},
      {R"("1亿")", true, "100000000"},
      {R"("200万")", false, "1:1 / bad-number: bad number \"200万\": "},
      {"true", true, "1:1 / type: expected a number, found a boolean"},
      {"null", true, "1:1 / type: expected a number, found null"},
      {"1e400", false, "1:1 / bad-number: bad number \"1e400\": "},
  };
  for (const Case& c : cases) {
    json::Tree t = parsed(c.text);
    Reader r("t.json");
    std::optional<Decimal> d = r.number(t.root(), "/", c.suffixes);
    if (d) {
      EXPECT_EQ(d->str(), c.want) << c.text;
      EXPECT_TRUE(r.diagnostics().empty()) << c.text;
    } else {
      ASSERT_EQ(r.diagnostics().size(), 1u) << c.text;
      EXPECT_TRUE(located(r.diagnostics()[0]).starts_with(c.want))
          << c.text << ": " << located(r.diagnostics()[0]);
    }
  }
}

TEST(ReaderTexts, BothLanguagesRequiredAndNonEmpty) {
  json::Tree t = parsed(R"({"t": [{"zh": "中", "en": "E"}, {"zh": "", "en": "E"}, {"zh": "中"},
 7]})");
  Reader r("t.json");
  std::vector<Text> got = r.texts(t.root(), "t", "/");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].zh, "中");
  EXPECT_EQ(got[0].en, "E");
  EXPECT_EQ(located(r), (std::vector<std::string>{
                            R"(1:32 /t/1/zh empty-text: "zh" must not be empty)",
                            R"(1:55 /t/2 missing-key: missing required key "en")",
                            "2:2 /t/3 type: expected an object, found a number",
                        }));
  Reader none("t.json");
  EXPECT_TRUE(none.texts(t.root(), "absent", "/").empty());
  EXPECT_TRUE(none.diagnostics().empty());
}

TEST(ReaderCap, KeepsAHundredProblemsAndCountsTheRest) {
  json::Tree t = parsed("{}");
  for (int n : {0, 1, 100, 101, 250}) {
    Reader r("t.json");
    for (int i = 0; i < n; ++i) r.error_at(i + 1, 1, "/", {"bad", "坏"}, "x");
    std::vector<Diagnostic>& d = r.diagnostics();
    std::size_t kept = std::min<std::size_t>(n, kMaxDiagnosticsPerFile);
    ASSERT_EQ(d.size(), kept + (n > 100 ? 1 : 0)) << n;
    if (n > 100) {
      EXPECT_EQ(d.back().code, kTooMany);
      EXPECT_EQ(d.back().omitted, static_cast<std::size_t>(n - 100));
      EXPECT_EQ(count_problems(d), static_cast<std::size_t>(n));
      EXPECT_EQ(r.diagnostics().size(), d.size()) << "the closing line is added once";
    }
    EXPECT_EQ(r.failed(), n > 0);
  }
  Reader at("t.json");
  at.error(t.root(), "", {"x", "x"}, "c");
  EXPECT_EQ(located(at.diagnostics()[0]), "1:1 / c: x") << "an empty path is the root";
}

}  // namespace
}  // namespace subsidy
