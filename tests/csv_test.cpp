// The CSV record reader: line ends, encodings named, and resynchronising after a stray quote.
#include "core/csv.h"

#include <gtest/gtest.h>

#include <sstream>

namespace subsidy::csv {
namespace {

std::vector<Record> read_all(const std::string& text) {
  std::istringstream in(text);
  Reader reader(in);
  std::vector<Record> out;
  while (std::optional<Record> r = reader.next()) out.push_back(std::move(*r));
  return out;
}

// A stream that hands the reader one byte per block: no line is ever whole in a block, so every
// record takes the character-by-character path, which is the reference for the plain-line one.
class ByteAtATime : public std::streambuf {
 public:
  explicit ByteAtATime(const std::string& text) : text_(text) {}

 protected:
  std::streamsize xsgetn(char* s, std::streamsize n) override {
    if (n <= 0 || at_ >= text_.size()) return 0;
    *s = text_[at_++];
    return 1;
  }
  int_type underflow() override {
    return at_ < text_.size() ? traits_type::to_int_type(text_[at_]) : traits_type::eof();
  }
  int_type uflow() override {
    return at_ < text_.size() ? traits_type::to_int_type(text_[at_++]) : traits_type::eof();
  }

 private:
  const std::string& text_;
  std::size_t at_ = 0;
};

std::vector<Record> read_byte_at_a_time(const std::string& text, std::size_t max_bytes) {
  ByteAtATime buffer(text);
  std::istream in(&buffer);
  Reader reader(in);
  std::vector<Record> out;
  while (std::optional<Record> r = reader.next(max_bytes)) out.push_back(std::move(*r));
  return out;
}

// Plain lines are split in one pass (Reader::read_plain_line); whatever the text, the records
// must be those of the character-by-character reading: fields, lines and errors.
TEST(Csv, PlainLinesReadAsCharacterByCharacter) {
  const std::string pieces[] = {"a", "bc", ",", ",", "\n", "\n", "\r\n", "\r", "\"", "\"\"",
                                "\xEF\xBB\xBF", std::string(1, '\0'), "\xC3\xA9", "\xFF", "中",
                                "  ", "12.5", "\t",
                                // '-' is ',' ^ 1: a word test whose mask is exact only up to its
                                // first match would also mark a '-' just after a comma.
                                "-", ",-5"};
  std::uint32_t seed = 12345;
  auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    std::size_t length = next() % 40;
    for (std::size_t i = 0; i < length; ++i) text += pieces[(next() >> 8) % std::size(pieces)];
    std::size_t max_bytes = round % 5 == 0 ? 8 : 64u << 20;
    std::istringstream in(text);
    Reader reader(in);
    std::vector<Record> fast;
    while (std::optional<Record> r = reader.next(max_bytes)) fast.push_back(std::move(*r));
    std::vector<Record> slow = read_byte_at_a_time(text, max_bytes);
    // Read again into one record, reused from record to record as a batch's rows are.
    std::istringstream again(text);
    Reader reusing(again);
    std::vector<Record> reused;
    for (Record r; reusing.next(max_bytes, r);) reused.push_back(r);
    ASSERT_EQ(reused.size(), slow.size()) << "round " << round;
    for (std::size_t i = 0; i < reused.size(); ++i) {
      EXPECT_EQ(reused[i].fields(), slow[i].fields()) << "round " << round << ", record " << i;
      EXPECT_EQ(reused[i].line, slow[i].line) << "round " << round << ", record " << i;
      EXPECT_EQ(reused[i].error.en, slow[i].error.en) << "round " << round << ", record " << i;
    }
    ASSERT_EQ(fast.size(), slow.size()) << "round " << round;
    for (std::size_t i = 0; i < fast.size(); ++i) {
      EXPECT_EQ(fast[i].fields(), slow[i].fields()) << "round " << round << ", record " << i;
      EXPECT_EQ(fast[i].line, slow[i].line) << "round " << round << ", record " << i;
      EXPECT_EQ(fast[i].error.en, slow[i].error.en) << "round " << round << ", record " << i;
    }
  }
}

// A record holds its cells in one string; the views it hands out are each cell exactly, however
// the record was made (a plain line, the character-by-character path, Record::of), and reading
// into a record again leaves nothing of what it held.
TEST(Csv, RecordCellsAreViewsOfOneText) {
  struct Case {
    std::string text;                // one record's line
    std::vector<std::string> cells;  // what it holds
  };
  const Case cases[] = {
      {"\n", {""}},
      {",\n", {"", ""}},
      {"a,,b\n", {"a", "", "b"}},
      {"中,\"x,y\",\n", {"中", "x,y", ""}},
      {"\"\"\"\",q\r\n", {"\"", "q"}},
      {"abcdefghijklmnop,1\n", {"abcdefghijklmnop", "1"}},
  };
  for (const Case& c : cases) {
    // After a longer record, so that a leftover cell would show.
    std::istringstream in("1,2,3,4,5,6,7,8,9\n" + c.text);
    Reader reader(in);
    Record r;
    ASSERT_TRUE(reader.next(64u << 20, r));
    ASSERT_TRUE(reader.next(64u << 20, r)) << c.text;
    ASSERT_EQ(r.size(), c.cells.size()) << c.text;
    for (std::size_t i = 0; i < r.size(); ++i) EXPECT_EQ(r[i], c.cells[i]) << c.text << " " << i;
    EXPECT_EQ(r.fields(), c.cells) << c.text;
    Record made = Record::of(c.cells, 7);
    EXPECT_EQ(made.fields(), c.cells) << c.text;
    EXPECT_EQ(made.line, 7);
  }
  EXPECT_EQ(Record().size(), 0u);
  EXPECT_EQ(Record::of({}, 1).size(), 0u);
}

TEST(Csv, StrayQuoteBreaksOnlyItsRow) {
  std::string text = "h1,h2\n";
  text += "\"a,1\n";  // the quote never closes
  for (int i = 0; i < 998; ++i) text += "r" + std::to_string(i) + ",2\n";
  std::vector<Record> rows = read_all(text);
  ASSERT_EQ(rows.size(), 1000u);  // header + broken row + 998 rows
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].error.en, "quote at line 2, column 1: unterminated quoted field");
  EXPECT_TRUE(rows[1].fields().empty());
  EXPECT_TRUE(rows[2].error.empty());
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_EQ(rows[2].fields(), (std::vector<std::string>{"r0", "2"}));
  EXPECT_EQ(rows.back().line, 1000);
}

TEST(Csv, QuotedLineBreaksThatCloseAreKept) {
  std::vector<Record> rows = read_all("a,\"x\ny\"\nb,c\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields()[1], "x\ny");
  EXPECT_EQ(rows[1].line, 3);
}

TEST(Csv, AcceptsLfCrlfAndCrAlone) {
  for (const char* text : {"a,b\nc,d\n", "a,b\r\nc,d\r\n", "a,b\rc,d\r", "a,b\rc,d"}) {
    std::vector<Record> rows = read_all(text);
    ASSERT_EQ(rows.size(), 2u) << text;
    EXPECT_EQ(rows[1].fields(), (std::vector<std::string>{"c", "d"})) << text;
    EXPECT_EQ(rows[1].line, 2) << text;
  }
}

TEST(Csv, NamesEncodings) {
  EXPECT_EQ(read_all("a\n\xD6\xD0\xCE\xC4\n")[1].error.en,
            "not UTF-8: this looks like GBK/GB18030 — pass --encoding gbk or save as UTF-8");
  EXPECT_EQ(read_all(std::string("\xFF\xFE"
                                 "a\0,\0",
                                 6))[0]
                .error.en,
            "this file is UTF-16; save it as UTF-8");
  EXPECT_EQ(read_all("\xEF\xBB\xBF"
                     "a\n\xEF\xBB\xBF"
                     "a\n")[1]
                .error.en,
            "a byte-order mark in the middle of the input (were two files joined?)");
  EXPECT_TRUE(read_all("\xEF\xBB\xBF"
                       "a\n")[0]
                  .error.empty());
}

TEST(Csv, FieldsQuotesAndEmptyInput) {
  struct Case {
    std::string text;
    std::vector<std::vector<std::string>> want;  // fields of each record
  } cases[] = {
      {"", {}},
      {"\xEF\xBB\xBF", {}},
      {"a", {{"a"}}},
      {"\n", {{""}}},
      {",", {{"", ""}}},
      {"a,,b\n", {{"a", "", "b"}}},
      {"\"a,b\",c\n", {{"a,b", "c"}}},
      {"\"say \"\"hi\"\"\"\n", {{"say \"hi\""}}},
      {"\"\"\n", {{""}}},
      {" a , b \n", {{" a ", " b "}}},
      {"\"x\r\ny\"\r\n", {{"x\r\ny"}}},
      {"a\n\nb\n", {{"a"}, {""}, {"b"}}},
      {"中文,数据\n", {{"中文", "数据"}}},
  };
  for (const Case& c : cases) {
    std::vector<Record> rows = read_all(c.text);
    std::vector<std::vector<std::string>> got;
    for (const Record& r : rows) {
      EXPECT_TRUE(r.error.empty()) << c.text << ": " << r.error.en;
      got.push_back(r.fields());
    }
    EXPECT_EQ(got, c.want) << c.text;
  }
}

TEST(Csv, LongRecordsAreErrorsNotBuffered) {
  std::string text = "short\n" + std::string(5000, 'x') + "\nafter\n";
  std::istringstream in(text);
  Reader reader(in);
  std::vector<Record> rows;
  while (std::optional<Record> r = reader.next(1024)) rows.push_back(std::move(*r));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(rows[0].error.empty());
  EXPECT_FALSE(rows[1].error.empty());
  EXPECT_FALSE(rows[1].error.zh.empty());
  EXPECT_TRUE(rows[1].fields().empty());
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[2].fields(), (std::vector<std::string>{"after"}));
  EXPECT_EQ(rows[2].line, 3);
}

TEST(Csv, QuotesFieldsThatNeedIt) {
  struct Case {
    std::string value;
    bool number;
    std::string want;
  } cases[] = {
      {"plain", false, "plain"},
      {"", false, ""},
      {"a,b", false, "\"a,b\""},
      {"say \"hi\"", false, "\"say \"\"hi\"\"\""},
      {"two\nlines", false, "\"two\nlines\""},
      {"cr\r", false, "\"cr\r\""},
      {" padded", false, "\" padded\""},
      {"padded ", false, "\"padded \""},
      {"=SUM(A1)", false, "'=SUM(A1)"},
      {"+1", false, "'+1"},
      {"-1", false, "'-1"},
      {"-1", true, "-1"},
      {"@x", false, "'@x"},
      {"\tx", false, "'\tx"},
      {"=a,b", false, "\"'=a,b\""},
      {"中文", false, "中文"},
  };
  for (const Case& c : cases) EXPECT_EQ(field(c.value, c.number), c.want) << c.value;
  EXPECT_EQ(formula_safe("=1"), "'=1");
  EXPECT_EQ(formula_safe("1="), "1=");
}

}  // namespace
}  // namespace subsidy::csv
