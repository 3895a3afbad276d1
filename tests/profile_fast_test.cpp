// The batch's fast JSON Lines path (core/profile_fast) against the located reader (json::parse +
// read_profile): whatever the fast path accepts, the located reader accepts with no diagnostic at
// all and reads into the same Profile. Run over generated profiles (good and bad rows), every
// JSON Lines line and JSON file of tests/ and examples/, hand-written hostile lines, and
// systematic mutations (each truncation, byte replacement) of generated lines.
#include "core/profile_fast.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/builtin_rules.h"
#include "core/csv.h"
#include "core/json.h"
#include "core/profile.h"
#include "core/profile_csv.h"
#include "core/ruleset.h"

namespace subsidy {
namespace {

const RuleSet& builtin() {
  static const std::shared_ptr<const RuleSet> rules = [] {
    Result<std::shared_ptr<const RuleSet>> r = load_rule_set(builtin_rule_files());
    EXPECT_TRUE(r.ok());
    return r.value();
  }();
  return *rules;
}

// Reads `text` both ways with one reader and one Profile reused across calls (as a batch worker
// does), and checks the fast path against the located reader. Returns whether the fast one read it.
class Differential {
 public:
  Differential() : fast_(builtin().vocabulary()) {}

  bool check(const std::string& text) {
    const std::string source = "in.jsonl";
    bool fast = fast_.read(text, source, reused_);
    std::vector<Diagnostic> diagnostics;
    Result<json::Tree> tree = json::parse(text, source);
    std::optional<Profile> located;
    if (tree.ok()) {
      located = read_profile(tree.value().root(), source, builtin().vocabulary(), diagnostics);
    }
    if (fast) {
      ++accepted_;
      EXPECT_TRUE(tree.ok()) << text;
      EXPECT_TRUE(diagnostics.empty()) << text;
      EXPECT_TRUE(located && *located == reused_) << text;
    } else if (tree.ok() && diagnostics.empty()) {
      ++declined_valid_;  // allowed (the located reader reads it), counted to keep it rare
    }
    ++rows_;
    return fast;
  }

  std::size_t rows_ = 0, accepted_ = 0, declined_valid_ = 0;

 private:
  FastProfileReader fast_;
  Profile reused_;
};

std::vector<std::string> lines_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Generated profiles, every 5th row made bad by the generator (bad numbers, broken JSON, forms).
std::vector<std::string> generated(int n, int bad_every, const char* ext = ".jsonl") {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("subsidy-fast-" + std::to_string(::getpid()) + "-" + std::to_string(bad_every));
  std::filesystem::create_directories(dir);
  std::string command = "/usr/bin/python3 " SUBSIDY_SOURCE_DIR "/tests/batch/gen_profiles.py " +
                        std::to_string(n) + " " + (dir / "p").string() + " --bad-every " +
                        std::to_string(bad_every) + " > /dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0);
  std::vector<std::string> lines = lines_of(dir / (std::string("p") + ext));
  std::filesystem::remove_all(dir);
  return lines;
}

TEST(ProfileFast, GeneratedProfilesReadAlikeAndFast) {
  Differential d;
  for (const std::string& line : generated(3000, 0)) d.check(line);
  EXPECT_EQ(d.rows_, 3000u);
  // Every valid generated profile goes the fast way: that is where a batch's time is.
  EXPECT_EQ(d.accepted_, 3000u);
  EXPECT_EQ(d.declined_valid_, 0u);
  Differential bad;
  for (const std::string& line : generated(1000, 5)) bad.check(line);
  EXPECT_EQ(bad.accepted_, 800u);
}

TEST(ProfileFast, EveryFixtureReadsAlike) {
  Differential d;
  for (const char* root : {"/tests", "/examples"}) {
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(std::string(SUBSIDY_SOURCE_DIR) + root)) {
      if (!entry.is_regular_file()) continue;
      std::string ext = entry.path().extension().string();
      if (ext == ".jsonl") {
        for (const std::string& line : lines_of(entry.path())) d.check(line);
      } else if (ext == ".json") {
        // The file as one line: newlines are whitespace in JSON (never inside a string).
        std::string text = read_all(entry.path());
        for (char& c : text) {
          if (c == '\n' || c == '\r') c = ' ';
        }
        d.check(text);
      }
    }
  }
  EXPECT_GT(d.rows_, 100u);
  EXPECT_GT(d.accepted_, 10u);
}

TEST(ProfileFast, HostileLinesReadAlike) {
  const std::string head = R"({"id": "x", "form": "enterprise", "region": "330802", )";
  const std::vector<std::string> facts = {
      R"("facts": {}})",
      R"("facts": {"industry": "construction"}})",
      R"("facts": {"industry": "construction", "industry": "construction"}})",
      R"("facts": {"industry": "constr\u0075ction"}})",
      R"("facts": {"industry": null}})",
      R"("facts": {"industry": nul}})",
      R"("facts": {"industry": nullx}})",
      R"("facts": {"main_revenue": {"2022": "1", "2022": "2"}}})",
      R"("facts": {"main_revenue": {"2022": null, "2022": "2"}}})",
      R"("facts": {"main_revenue": {"2022": null, "2021": "2"}}})",
      R"("facts": {"main_revenue": {"2023": 5, "2021": 2.5, "2022": -0}}})",
      R"("facts": {"main_revenue": {"2022": 01}}})",
      R"("facts": {"main_revenue": {"2022": 1e5}}})",
      R"("facts": {"main_revenue": {"2022": 1E+2}}})",
      R"("facts": {"main_revenue": {"2022": "1e5"}}})",
      R"("facts": {"main_revenue": {"2022": 1.0000001}}})",
      R"("facts": {"main_revenue": {"2022": 1.5000000}}})",
      R"("facts": {"main_revenue": {"2022": 8999999999999.999999}}})",
      R"("facts": {"main_revenue": {"2022": 9000000000000}}})",
      R"("facts": {"main_revenue": {"2022": 123456789012}}})",
      R"("facts": {"main_revenue": {"2022": 1234567890123}}})",
      R"("facts": {"main_revenue": {"2022": -5}}})",
      R"("facts": {"main_revenue": {"2022": "00"}}})",
      R"("facts": {"main_revenue": {"2022": "+1"}}})",
      R"("facts": {"main_revenue": {"2022": " 1"}}})",
      R"("facts": {"main_revenue": {"2022": 1 }}})",
      R"("facts": {"main_revenue": {"2022": 1 2}}})",
      R"("facts": {"main_revenue": {"22": 1}}})",
      R"("facts": {"main_revenue": 5}})",
      R"("facts": {"main_revenue": {}}})",
      R"("facts": {"certifications": [{}]}})",
      R"("facts": {"certifications": [{"type": "tech_sme", "type": "tech_sme"}]}})",
      R"("facts": {"certifications": [{"type": "tech_sme", "year": null}, {"level": "city"}]}})",
      R"("facts": {"certifications": [{"type": "nope"}]}})",
      R"("facts": {"certifications": [1]}})",
      R"("facts": {"certifications": []}})",
      R"("facts": {"certifications": [[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]}})",
      R"("facts": {"university_cooperation_industrialized": true}})",
      R"("facts": {"university_cooperation_industrialized": "true"}})",
      R"("facts": {"university_cooperation_industrialized": tru}})",
      R"("facts": {"no_such_fact": 1}})",
      R"("facts": {"industry": "construction"}} )",
      R"("facts": {"industry": "construction"}} x)",
      R"("facts": {"industry": "construction"}}})",
      R"("facts": {"industry": "construction"})",
      R"("facts": {"industry": "construction"}, "facts": {}})",
      R"("facts": {"industry": "\u4e2d"}})",
      R"("facts": {"industry": "construction"}, "kind": "enterprise"})",
      R"("facts": {"industry": "construction"}, "roles": []})",
      R"("facts": {"industry": "construction"}, "roles": null})",
      R"("facts": {"industry": "construction"}, "roles": ["incubator_operator"]})",
      // two roles, then one: the reused profile must not keep the second
      R"("facts": {"industry": "construction"}, "roles": ["agricultural_producer", "incubator_operator"]})",
      R"("facts": {"industry": "construction"}, "roles": ["incubator_operator"]})",
      R"("facts": {"industry": "construction"}, "roles": ["incubator_operator", "incubator_operator"]})",
      R"("facts": {"industry": "construction"}, "roles": ["nope"]})",
      R"("facts": {"industry": "construction"}, "$schema": 5})",
      R"("facts": {"industry": "construction"}, "$schema": "x"})",
      R"("facts": {"industry": "construction"}, "extra": 1})",
      R"("facts": {"industry": "construction"}, "name": "名字\u0000"})",
      "\"facts\": {\"industry\": \"construction\"}, \"name\": \"a\tb\"}",
      "\"facts\": {\"industry\": \"construction\"}, \"name\": \"\xC3\x28\"}",
      "\"facts\": {\"industry\": \"construction\"}, \"name\": \"\xED\xA0\x80\"}",
      "\"facts\": {\"industry\": \"construction\"}, \"name\": \"\xF4\x90\x80\x80\"}",
      "\"facts\": {\"industry\": \"construction\"}, \"name\": \"\xC0\xAF\"}",
      "\"facts\": {\"industry\": \"construction\"}, \"name\": \"中文名\"}",
  };
  Differential d;
  for (const char* year :
       {"\"policy_year\": 2023, ", "\"policy_year\": 2023.0, ", "\"policy_year\": 1989, ",
        "\"policy_year\": \"2023\", ", "\"policy_year\": 2e3, ", "\"policy_year\": null, ", ""}) {
    for (const std::string& f : facts) d.check(head + year + f);
  }
  d.check("\xEF\xBB\xBF" + head + "\"policy_year\": 2023, " + facts[1]);
  d.check(" " + head + "\"policy_year\": 2023, " + facts[1]);
  d.check("[]");
  d.check("5");
  d.check("{}");
  d.check("");
  d.check(std::string(300, '[') + std::string(300, ']'));
  EXPECT_GT(d.accepted_, 30u);
}

// The fast path's own scanner against JSON syntax errors: each line below is not JSON (or not a
// profile read_profile takes), and the fast path must decline it; its well-formed neighbours,
// written without any space or with many, it must read.
TEST(ProfileFast, SyntaxErrorsAreDeclined) {
  const std::string good =
      R"({"id":"x","form":"enterprise","region":"330802","policy_year":2023,"roles":["incubator_operator"],)"
      R"("facts":{"industry":"construction","main_revenue":{"2022":"1.5","2021":2},)"
      R"("certifications":[{"type":"tech_sme","year":2022},{"level":"city"}],)"
      R"("university_cooperation_industrialized":true}})";
  const std::vector<std::pair<std::string, std::string>> breaks = {
      {R"("form":"enterprise",)", R"("form":"enterprise" )"},       // a missing comma
      {R"("form":"enterprise",)", R"("form" "enterprise",)"},       // a missing colon
      {R"("form":"enterprise",)", R"(form:"enterprise",)"},         // an unquoted key
      {R"("form":"enterprise",)", R"('form':'enterprise',)"},       // single quotes
      {R"("form":"enterprise",)", R"("form":"enterprise",,)"},      // two commas
      {R"({"id":"x",)", R"({,"id":"x",)"},                          // a leading comma
      {R"("year":2022},)", R"("year":2022,},)"},                    // a trailing comma
      {R"(["incubator_operator"])", R"(["incubator_operator",])"},  // a trailing comma
      {R"(["incubator_operator"])", R"([,"incubator_operator"])"},  // a leading comma
      {R"(["incubator_operator"])", R"(["incubator_operator"})"},   // a mismatched bracket
      {R"("2021":2})", R"("2021":2])"},                             // a mismatched brace
      {R"("2021":2})", R"("2021":2)"},                              // an unclosed object
      {R"("2021":2})", R"("2021":})"},                              // a missing value
      {R"("2021":2})", R"("2021":2x})"},                            // a letter after a number
      {R"("2021":2})", R"("2021":+2})"},                            // a plus sign
      {R"("2021":2})", R"("2021":.2})"},                            // no digit before the point
      {R"("2021":2})", R"("2021":2.})"},                            // no digit after it
      {R"("2021":2})", R"("2021":--2})"},                           // two signs
      {R"("2021":2})", R"("2021":2e})"},                            // an empty exponent
      {R"("2021":2})", R"("2021":0x10})"},                          // hexadecimal
      {R"("2021":2})", R"("2021":2 2})"},                           // two numbers
      {R"("2021":2})", R"("2021":"2})"},                            // an unclosed string
      {R"(:true})", R"(:truefalse})"},                              // a run-on literal
      {R"(:true})", R"(:True})"},                                   // a capital
      {R"(:true})", R"(:t})"},                                      // a cut literal
      {R"(:2023,)", R"(:2023.,)"},                                  // a cut fraction
      {R"(:2023,)", R"(:2023 2024,)"},                              // two years
      {R"("industry":"construction",)", R"("industry":construction,)"},  // an unquoted text
      {R"("industry":"construction",)", R"("industry":["construction"],)"},
      {R"("type":"tech_sme",)", R"("type":{"tech_sme":1},)"},
  };
  Differential d;
  ASSERT_TRUE(d.check(good));
  std::string spaced;
  for (char c : good) {
    spaced += c;
    if (c == ',' || c == ':' || c == '{' || c == '[') spaced += "   ";
  }
  EXPECT_TRUE(d.check("  " + spaced + "  "));
  for (const auto& [from, to] : breaks) {
    std::string broken = good;
    std::size_t at = broken.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    broken.replace(at, from.size(), to);
    EXPECT_FALSE(d.check(broken)) << broken;
  }
}

// The fast path decodes no escape and takes no control byte (core/profile_fast: plain_text): a
// line with an escape, wherever it falls in the scan's 16- and 8-byte blocks or its last bytes
// (the line grows with the padding before it), is left to the located reader, which reads it.
TEST(ProfileFast, EscapesAreLeftToTheLocatedReaderAtEveryOffset) {
  FastProfileReader fast(builtin().vocabulary());
  Profile p;
  const std::string head = R"({"id": "x", "form": "enterprise", "region": "330802", )"
                           R"("policy_year": 2023, "facts": {}, "name": ")";
  for (std::size_t pad = 0; pad < 48; ++pad) {
    std::string plain = head + std::string(pad, 'a') + "0\"}";
    std::string escaped = head + std::string(pad, 'a') + "\\u0030\"}";
    SCOPED_TRACE(pad);
    EXPECT_TRUE(fast.read(plain, "in.jsonl", p));
    EXPECT_FALSE(fast.read(escaped, "in.jsonl", p));
    EXPECT_TRUE(json::parse(escaped, "in.jsonl").ok());
  }
}

// read_decimal converts the usual short form itself and hands the rest to Decimal::parse: the two
// must agree on every text, at the bounds of the short form (12 integer digits, 6 decimals) and on
// random texts of number-like characters.
TEST(ReadDecimal, AgreesWithDecimalParse) {
  std::vector<std::string> texts = {"",
                                    "-",
                                    "0",
                                    "-0",
                                    "00",
                                    "01",
                                    "0.5",
                                    ".5",
                                    "5.",
                                    "-.5",
                                    "1.000000",
                                    "1.0000001",
                                    "1.5000000",
                                    "0.000001",
                                    "0.0000001",
                                    "123456789012",
                                    "1234567890123",
                                    "999999999999.999999",
                                    "123456789012.1234567",
                                    "-123456789012.5",
                                    "8999999999999.999999",
                                    "9000000000000",
                                    "1e5",
                                    "1E+2",
                                    "12a",
                                    "1.2.3",
                                    "1..2",
                                    "+1",
                                    " 1",
                                    "1 ",
                                    "/",
                                    ":",
                                    "1/2",
                                    "1:2",
                                    "０"};
  // Every shape at the short form's bounds, eight digits at a time: 0–14 integer digits (with and
  // without a leading zero, every digit value in every position), 0–8 decimals, a sign, and a
  // character after the number.
  for (int sign = 0; sign < 2; ++sign) {
    for (int whole = 0; whole <= 14; ++whole) {
      for (int decimals = -1; decimals <= 8; ++decimals) {  // -1: no point
        for (int seed = 0; seed < 10; ++seed) {
          std::string t = sign ? "-" : "";
          for (int d = 0; d < whole; ++d) t += static_cast<char>('0' + (seed + 3 * d) % 10);
          if (decimals >= 0) t += '.';
          for (int d = 0; d < decimals; ++d) t += static_cast<char>('0' + (seed * 7 + d) % 10);
          texts.push_back(t);
          for (char after : std::string("0 .e/:a")) texts.push_back(t + after);
        }
      }
    }
  }
  std::uint64_t state = 88172645463325252ULL;  // xorshift64: the same texts every run
  const std::string alphabet = "0123456789.-e+ /:";
  for (int k = 0; k < 200000; ++k) {
    std::string t;
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    std::size_t length = state % 22;
    for (std::size_t i = 0; i < length; ++i) {
      state ^= state << 13, state ^= state >> 7, state ^= state << 17;
      // Mostly digits, so that long numbers come up.
      t += (state % 4 != 0) ? static_cast<char>('0' + state % 10)
                            : alphabet[(state >> 8) % alphabet.size()];
    }
    texts.push_back(t);
  }
  int converted = 0;
  for (const std::string& t : texts) {
    std::optional<Decimal> fast = read_decimal(t);
    std::optional<Decimal> slow = Decimal::parse(t, 0, nullptr);
    ASSERT_EQ(fast.has_value(), slow.has_value()) << '"' << t << '"';
    if (fast) {
      ASSERT_EQ(fast->units(), slow->units()) << '"' << t << '"';
      ++converted;
    }
  }
  EXPECT_GT(converted, 2000);
}

TEST(ProfileFast, MutatedLinesReadAlike) {
  std::vector<std::string> lines = generated(4, 0);
  lines.push_back(R"({"id": "x", "form": "family_farm", "region": "330802", "policy_year": 2023, )"
                  R"("roles": ["agricultural_producer"], "facts": {"early_rice_area": {"2023": )"
                  R"(12.5}, "certifications": [{"type": "tech_sme", "year": 2022}]}})");
  Differential d;
  const std::string replacements = "\"\\{}[],: 0-.e\x01\x80\xFF";
  for (const std::string& line : lines) {
    for (std::size_t i = 0; i <= line.size(); ++i) {
      d.check(line.substr(0, i));
      if (i == line.size()) continue;
      for (char c : replacements) {
        std::string mutated = line;
        mutated[i] = c;
        d.check(mutated);
      }
      d.check(line.substr(0, i) + line.substr(i + 1));
    }
  }
  EXPECT_GT(d.accepted_, 1000u);
}

// CSV: CsvProfileLayout::read_fast against read (a JSON draft read by read_profile), one Profile
// reused across rows. Returns how many rows the fast path read.
std::size_t check_csv(const std::string& text, std::size_t* rows = nullptr) {
  std::istringstream in(text);
  csv::Reader reader(in);
  std::optional<csv::Record> header = reader.next();
  if (!header) return 0;
  Result<CsvProfileLayout> layout =
      CsvProfileLayout::from_header(*header, "in.csv", builtin().vocabulary());
  if (!layout.ok()) return 0;
  Profile reused;
  std::size_t accepted = 0;
  while (std::optional<csv::Record> record = reader.next()) {
    if (rows) ++*rows;
    bool fast = layout.value().read_fast(*record, "in.csv", builtin().vocabulary(), reused);
    Result<Profile> located = layout.value().read(*record, "in.csv", builtin().vocabulary());
    if (!fast) continue;
    ++accepted;
    EXPECT_TRUE(located.ok()) << "line " << record->line << "\n" << text.substr(0, 2000);
    EXPECT_TRUE(located.ok() && located.value() == reused) << "line " << record->line << "\n"
                                                           << text.substr(0, 2000);
  }
  return accepted;
}

std::string joined_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

TEST(ProfileFastCsv, GeneratedRowsReadAlikeAndFast) {
  std::size_t rows = 0;
  EXPECT_EQ(check_csv(joined_lines(generated(3000, 0, ".csv")), &rows), 3000u);
  EXPECT_EQ(rows, 3000u);
  EXPECT_EQ(check_csv(joined_lines(generated(1000, 5, ".csv"))), 800u);
}

TEST(ProfileFastCsv, EveryFixtureReadsAlike) {
  std::size_t files = 0, accepted = 0;
  for (const char* root : {"/tests", "/examples"}) {
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(std::string(SUBSIDY_SOURCE_DIR) + root)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".csv") continue;
      ++files;
      accepted += check_csv(read_all(entry.path()));
    }
  }
  EXPECT_GE(files, 2u);
  EXPECT_GE(accepted, 3u);
}

// Every cell of a few generated rows replaced in turn by values each reader must judge alike.
TEST(ProfileFastCsv, MutatedCellsReadAlike) {
  std::vector<std::string> lines = generated(6, 0, ".csv");
  const std::vector<std::string> values = {"",
                                           "x",
                                           "-1",
                                           "1.5",
                                           "0",
                                           "00",
                                           "1e3",
                                           "1.0000001",
                                           "2023.0",
                                           "2023",
                                           "1989",
                                           "TRUE",
                                           "False",
                                           "是",
                                           "否",
                                           "yes",
                                           ";",
                                           "grain_grower; agricultural_producer",
                                           "grain_grower;grain_grower",
                                           "[]",
                                           "[\"grain_grower\"]",
                                           "330802",
                                           "enterprise",
                                           "family_farm",
                                           "tech_sme",
                                           "city",
                                           "construction",
                                           "\"a,b\"",
                                           "\"\"",
                                           " 1",
                                           "9000000000000",
                                           "-0"};
  std::size_t accepted = 0;
  for (std::size_t row = 1; row < lines.size(); ++row) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    const std::string& line = lines[row];
    for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
      cells.push_back(line.substr(start, comma - start));
    cells.push_back(line.substr(start));
    std::string rows;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      for (const std::string& value : values) {
        std::vector<std::string> mutated = cells;
        mutated[i] = value;
        std::string out;
        for (std::size_t k = 0; k < mutated.size(); ++k) out += (k ? "," : "") + mutated[k];
        rows += out + "\n";
      }
    }
    accepted += check_csv(lines[0] + "\n" + rows);
  }
  EXPECT_GT(accepted, 500u);
}

}  // namespace
}  // namespace subsidy
