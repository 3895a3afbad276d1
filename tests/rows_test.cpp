// core/rows: the reader of batch and diff. Line ends, blank lines, numbering, the row limit.
#include "core/rows.h"

#include <gtest/gtest.h>

#include <sstream>

namespace subsidy {
namespace {

std::vector<Row> all_rows(const std::string& text, RowFormat format, std::size_t max = 1 << 20,
                          LongRows long_rows = LongRows::Skip) {
  std::istringstream in(text);
  RowReader reader(in, format, max, long_rows);
  if (format == RowFormat::Csv) reader.header();
  std::vector<Row> rows;
  Row row;
  while (reader.next(row)) rows.push_back(row);
  return rows;
}

TEST(Rows, JsonLinesLineEndsAndBlankLines) {
  std::vector<Row> rows =
      all_rows("{\"a\":1}\r\n\n  \t\n{\"b\":2}\r{\"c\":3}\n{\"d\":4}", RowFormat::JsonLines);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].text, "{\"a\":1}");
  EXPECT_EQ(rows[0].line, 1);
  EXPECT_EQ(rows[1].text, "{\"b\":2}");
  EXPECT_EQ(rows[1].line, 4);
  EXPECT_EQ(rows[1].number, 2u);
  EXPECT_EQ(rows[2].line, 5);            // a lone CR ends a line
  EXPECT_EQ(rows[3].text, "{\"d\":4}");  // no line end at the end of the input
  EXPECT_EQ(rows[3].line, 6);
  EXPECT_EQ(rows[3].number, 4u);
}

TEST(Rows, LineOverTheLimitIsSkippedOrStops) {
  std::string text = "{\"a\":1}\n" + std::string(100, 'x') + "\r\n{\"b\":2}\n";
  std::vector<Row> skip = all_rows(text, RowFormat::JsonLines, 50);
  ASSERT_EQ(skip.size(), 3u);
  EXPECT_TRUE(skip[1].too_long);
  EXPECT_TRUE(skip[1].text.empty());
  EXPECT_EQ(skip[1].line, 2);
  EXPECT_EQ(skip[2].text, "{\"b\":2}");
  EXPECT_EQ(skip[2].line, 3);  // the CRLF of the long line is one line end
  std::vector<Row> stop = all_rows(text, RowFormat::JsonLines, 50, LongRows::Stop);
  ASSERT_EQ(stop.size(), 2u);
  EXPECT_TRUE(stop[1].too_long);
}

TEST(Rows, CsvRowsSkipBlankLines) {
  std::vector<Row> rows = all_rows("id,region\na,330802\n\nb,\"33\n0803\"\nc,1\n", RowFormat::Csv);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].record[0], "a");
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_EQ(rows[1].line, 4);
  EXPECT_EQ(rows[1].record[1], "33\n0803");
  EXPECT_EQ(rows[2].line, 6);
  EXPECT_EQ(rows[2].number, 3u);
}

TEST(Rows, ParseJsonRowLocatesErrorsAtTheLine) {
  Row row;
  row.line = 7;
  row.text = "{\"a\": }";
  Result<json::Tree> tree = parse_json_row(row, "f.jsonl", 1 << 20);
  ASSERT_FALSE(tree.ok());
  EXPECT_EQ(tree.errors()[0].line, 7);
  Row bom;
  bom.line = 2;
  bom.text = "\xEF\xBB\xBF{}";
  ASSERT_FALSE(parse_json_row(bom, "f.jsonl", 1 << 20).ok());
  Row first = bom;
  first.line = 1;
  EXPECT_TRUE(parse_json_row(first, "f.jsonl", 1 << 20).ok());
}

}  // namespace
}  // namespace subsidy
