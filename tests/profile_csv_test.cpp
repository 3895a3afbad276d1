// Profiles as CSV rows (core/profile_csv): the header checked once against the vocabulary, each
// row read into the Profile its JSON form would give, problems located at row line and column.
#include "core/profile_csv.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

namespace subsidy {
namespace {

using testing_support::load;

const RuleSet& rules() {
  static const RuleSet r = load({});
  return r;
}

std::vector<csv::Record> records(const std::string& text) {
  std::istringstream in(text);
  csv::Reader reader(in);
  std::vector<csv::Record> out;
  while (std::optional<csv::Record> r = reader.next()) out.push_back(std::move(*r));
  return out;
}

// "line:col path code: English" of each problem.
std::vector<std::string> located(const std::vector<Diagnostic>& ds) {
  std::vector<std::string> out;
  for (const Diagnostic& d : ds) {
    EXPECT_EQ(d.file, "p.csv");
    EXPECT_FALSE(d.message_zh.empty()) << d.message;
    out.push_back(std::to_string(d.line) + ":" + std::to_string(d.col) + " " + d.path + " " +
                  d.code + ": " + d.message);
  }
  return out;
}

std::vector<std::string> header_problems(const std::string& header) {
  std::vector<csv::Record> r = records(header + "\n");
  Result<CsvProfileLayout> layout =
      CsvProfileLayout::from_header(r[0], "p.csv", rules().vocabulary());
  return layout.ok() ? std::vector<std::string>{} : located(layout.errors());
}

const std::string kOwn = "form,region,policy_year";

TEST(CsvHeader, RefusesWhatNoRowCouldFill) {
  struct Case {
    std::string header;
    std::vector<std::string> want;
  } cases[] = {
      {kOwn + ",revenue@2022,little_giant,talents,talents[0].salary@2022", {}},
      {kOwn + ",certifications[0].type (incubator=孵化器 | little_giant=小巨人)", {}},
      {kOwn + ",id,name,roles", {}},
      {"id,region", {"1:1 header missing-column: missing required column(s): form, policy_year"}},
      {"kind,region,policy_year", {}},
      {kOwn + ",form", {R"(1:4 header column 4 duplicate-column: column "form" appears twice)"}},
      {kOwn + ",nothing",
       {R"(1:4 header column 4 unknown-fact: unknown fact "nothing" (see )"
        "docs/profile.md and rules/facts*.json)"}},
      {kOwn + ",revenue@22",
       {R"(1:4 header column 4 bad-column: "revenue@22": expected FACT@YEAR with a four-digit )"
        "year"}},
      {kOwn + ",revenue",
       {R"(1:4 header column 4 bad-column: "revenue" is per year: name the column revenue@YEAR)"}},
      {kOwn + ",little_giant@2022",
       {R"(1:4 header column 4 bad-column: "little_giant" is not per year: drop the @2022)"}},
      {kOwn + ",talents@2022",
       {R"(1:4 header column 4 bad-column: "talents" is a list: no @year)"}},
      {kOwn + ",revenue[0].x",
       {R"(1:4 header column 4 bad-column: "revenue[0].x": expected LIST[N].FIELD for a list )"
        "fact"}},
      {kOwn + ",talents[x].salary@2022",
       {R"(1:4 header column 4 bad-column: "talents[x].salary@2022": expected LIST[N].FIELD for )"
        "a list fact"}},
      {kOwn + ",talents[0].bonus",
       {R"(1:4 header column 4 unknown-fact: list "talents" has no )"
        R"(field "bonus")"}},
      {kOwn + ",talents[0].salary",
       {R"(1:4 header column 4 bad-column: "talents[0].salary": the field salary is per year)"}},
      {kOwn + ",talents[0].start@2022",
       {R"(1:4 header column 4 bad-column: "talents[0].start@2022": the field start is not per )"
        "year"}},
      {kOwn + ",talents[0].start,talents[00].start",
       {R"(1:5 header column 5 duplicate-column: column "talents[00].start" names the same cell )"
        R"(as "talents[0].start")"}},
  };
  for (const Case& c : cases) EXPECT_EQ(header_problems(c.header), c.want) << c.header;
}

TEST(CsvHeader, ABrokenHeaderIsOneProblem) {
  std::vector<csv::Record> r = records("form,\"region\n");
  Result<CsvProfileLayout> layout =
      CsvProfileLayout::from_header(r[0], "p.csv", rules().vocabulary());
  ASSERT_FALSE(layout.ok());
  EXPECT_EQ(located(layout.errors()),
            (std::vector<std::string>{"1:1 header column 1 csv-syntax: malformed header: quote at "
                                      "line 1, column 6: unterminated quoted field"}));
}

TEST(CsvHeader, ManyBadColumnsAreCapped) {
  std::string header = kOwn;
  for (int i = 0; i < 250; ++i) header += ",bad" + std::to_string(i);
  std::vector<csv::Record> r = records(header + "\n");
  Result<CsvProfileLayout> layout =
      CsvProfileLayout::from_header(r[0], "p.csv", rules().vocabulary());
  ASSERT_FALSE(layout.ok());
  EXPECT_EQ(layout.errors().size(), kMaxDiagnosticsPerFile + 1);
  EXPECT_EQ(count_problems(layout.errors()), 250u);
}

struct Rows {
  std::optional<CsvProfileLayout> layout;
  std::vector<Result<Profile>> profiles;
};

Rows read_rows(const std::string& text) {
  std::vector<csv::Record> r = records(text);
  Rows out;
  Result<CsvProfileLayout> layout =
      CsvProfileLayout::from_header(r[0], "p.csv", rules().vocabulary());
  EXPECT_TRUE(layout.ok()) << text;
  if (!layout.ok()) return out;
  out.layout = layout.value();
  for (std::size_t i = 1; i < r.size(); ++i) {
    out.profiles.push_back(out.layout->read(r[i], "p.csv", rules().vocabulary()));
  }
  return out;
}

const FactValue& fact(const Profile& p, const char* name) {
  return p.facts[static_cast<std::size_t>(rules().vocabulary().index_of(name))];
}

TEST(CsvRow, ReadsAsItsJsonWould) {
  Rows rows = read_rows(
      "\xEF\xBB\xBF"
      "id,form,region,policy_year,roles,revenue@2022,little_giant,level,talents[1].salary@2022,"
      "talents[0].start,projects\r\n"
      "p1,enterprise,330802,2023,,5000000,是,national,300000,2021,"
      "\"[{\"\"invest\"\": 100}]\"\r\n"
      "p2,family_farm,330802,2023,grain_grower; agricultural_producer,,FALSE,,,,\r\n");
  ASSERT_EQ(rows.profiles.size(), 2u);
  EXPECT_EQ(rows.layout->columns(), 11u);
  EXPECT_EQ(rows.layout->id_column(), 0);
  ASSERT_TRUE(rows.profiles[0].ok()) << located(rows.profiles[0].errors())[0];
  const Profile& p = rows.profiles[0].value();
  EXPECT_EQ(p.id, "p1");
  EXPECT_EQ(p.form, "enterprise");
  EXPECT_EQ(p.policy_year, 2023);
  EXPECT_FALSE(p.roles.has_value()) << "an empty roles cell leaves them unknown";
  ASSERT_NE(fact(p, "revenue").at_year(2022), nullptr);
  EXPECT_EQ(std::get<Decimal>(*fact(p, "revenue").at_year(2022)).str(), "5000000");
  EXPECT_EQ(std::get<bool>(fact(p, "little_giant").scalar), true);
  EXPECT_EQ(std::get<std::string>(fact(p, "level").scalar), "national");
  ASSERT_EQ(fact(p, "talents").items.size(), 2u) << "items in index order";
  EXPECT_EQ(fact(p, "projects").items.size(), 1u);
  EXPECT_FALSE(fact(p, "award").present) << "an absent column is an unknown fact";

  ASSERT_TRUE(rows.profiles[1].ok()) << located(rows.profiles[1].errors())[0];
  const Profile& q = rows.profiles[1].value();
  ASSERT_TRUE(q.roles.has_value());
  EXPECT_EQ(*q.roles, (std::vector<std::string>{"grain_grower", "agricultural_producer"}));
  EXPECT_EQ(std::get<bool>(fact(q, "little_giant").scalar), false);
  EXPECT_FALSE(fact(q, "revenue").present) << "an empty cell is unknown, never zero";
}

TEST(CsvRow, LocatesProblemsAtRowAndCell) {
  struct Case {
    std::string row;
    std::vector<std::string> want;
  } cases[] = {
      {"enterprise,330802,2023,1,2",
       {"2:1  csv-ragged: the row has 5 cells, the header 4 columns"}},
      {"enterprise,330802", {"2:1  csv-ragged: the row has 2 cells, the header 4 columns"}},
      {"enterprise,330802,2023,[1",
       {"2:4 /roles json-truncated: unexpected end of input inside an array"}},
      {"enterprise,330802,2023,\"oops",
       {"2:1  csv-syntax: quote at line 2, column 24: "
        "unterminated quoted field"}},
  };
  for (const Case& c : cases) {
    Rows rows = read_rows(kOwn + ",roles\n" + c.row + "\n");
    ASSERT_EQ(rows.profiles.size(), 1u) << c.row;
    ASSERT_FALSE(rows.profiles[0].ok()) << c.row;
    EXPECT_EQ(located(rows.profiles[0].errors()), c.want) << c.row;
  }
  Rows list = read_rows(kOwn + ",projects\nenterprise,330802,2023,[{\n");
  ASSERT_FALSE(list.profiles[0].ok());
  EXPECT_EQ(located(list.profiles[0].errors()),
            (std::vector<std::string>{
                "2:4 /facts/projects json-truncated: unexpected end of input inside an object"}));
  // A cell a number fact cannot take is located at its cell, as in JSON.
  Rows comma = read_rows(kOwn + ",revenue@2022\nenterprise,330802,2023,\"5,000,000\"\n");
  ASSERT_FALSE(comma.profiles[0].ok());
  EXPECT_EQ(located(comma.profiles[0].errors()),
            (std::vector<std::string>{"2:4 /facts/revenue/2022 bad-number: bad number "
                                      "\"5,000,000\": not a number"}));
  Rows bad = read_rows(kOwn + ",little_giant\nenterprise,330802,2023,maybe\n");
  ASSERT_FALSE(bad.profiles[0].ok());
  EXPECT_EQ(bad.profiles[0].errors()[0].line, 2);
  EXPECT_EQ(bad.profiles[0].errors()[0].col, 4);
}

}  // namespace
}  // namespace subsidy
