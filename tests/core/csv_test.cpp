#include "core/csv.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sstream>

namespace bespoke::core {
namespace {

std::vector<CsvRow> read_all(const std::string& text) {
  std::istringstream in(text);
  CsvReader reader(in);
  std::vector<CsvRow> rows;
  CsvRow row;
  for (;;) {
    auto more = reader.next(row);
    EXPECT_TRUE(more.has_value()) << more.error().message;
    if (!more || !*more) break;
    rows.push_back(row);
  }
  return rows;
}

Error first_error(const std::string& text) {
  std::istringstream in(text);
  CsvReader reader(in);
  CsvRow row;
  for (;;) {
    auto more = reader.next(row);
    if (!more) return more.error();
    if (!*more) return Error::invalid("", "no error");
  }
}

using Fields = std::vector<std::string>;

TEST(CsvReader, PlainRowsWithLf) {
  const auto rows = read_all("a,b,c\n1,2,3\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(rows[1].fields, (Fields{"1", "2", "3"}));
  EXPECT_EQ(rows[0].line, 1u);
  EXPECT_EQ(rows[1].line, 2u);
}

TEST(CsvReader, CrlfAndNoFinalNewline) {
  const auto rows = read_all("a,b\r\n1,2");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b"}));
  EXPECT_EQ(rows[1].fields, (Fields{"1", "2"}));
}

TEST(CsvReader, QuotedFieldsWithEscapesCommasAndNewlines) {
  const auto rows = read_all("id,text\n1,\"say \"\"hi\"\", then\nleave\"\n2,\"x\r\ny\"\n3,after\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].fields, (Fields{"1", "say \"hi\", then\nleave"}));
  EXPECT_EQ(rows[2].fields, (Fields{"2", "x\r\ny"}));
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_EQ(rows[2].line, 4u);  // the row starts after the two-line field
  EXPECT_EQ(rows[3].line, 6u);
}

TEST(CsvReader, EmptyFieldsAndEmptyQuotedField) {
  const auto rows = read_all(",,\n\"\",x,\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"", "", ""}));
  EXPECT_EQ(rows[1].fields, (Fields{"", "x", ""}));
}

TEST(CsvReader, ByteOrderMarkIgnored) {
  const auto rows = read_all("\xEF\xBB\xBFid,name\n1,A\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields[0], "id");
}

TEST(CsvReader, BlankLinesSkippedButCounted) {
  const auto rows = read_all("a\n\n\r\nb\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].fields, (Fields{"b"}));
  EXPECT_EQ(rows[1].line, 4u);
}

TEST(CsvReader, Utf8PassesThrough) {
  const auto rows = read_all("£50,caf\xC3\xA9\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (Fields{"£50", "caf\xC3\xA9"}));
}

TEST(CsvReader, UnterminatedQuoteIsAnErrorNamingItsLine) {
  const auto e = first_error("a,b\n1,2\n3,\"open\nstill open\n");
  EXPECT_EQ(e.field, "line 3");
  EXPECT_NE(e.message.find("not closed"), std::string::npos) << e.message;
}

TEST(CsvReader, TextAfterClosingQuoteIsAnError) {
  const auto e = first_error("a\n\"x\"y,z\n");
  EXPECT_EQ(e.field, "line 2");
}

TEST(CsvReader, QuoteInsideUnquotedFieldIsAnError) {
  const auto e = first_error("ab\"c\n");
  EXPECT_EQ(e.field, "line 1");
}

TEST(CsvReader, LongInputAcrossBufferBoundaries) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += fmt::format("{},\"v{}\nz\"\r\n", i, i);
  std::istringstream in(text);
  CsvReader reader(in);
  CsvRow row;
  int count = 0;
  while (true) {
    auto more = reader.next(row);
    ASSERT_TRUE(more.has_value());
    if (!*more) break;
    ASSERT_EQ(row.fields.size(), 2u);
    ASSERT_EQ(row.fields[0], std::to_string(count));
    ASSERT_EQ(row.fields[1], fmt::format("v{}\nz", count));
    ASSERT_EQ(row.line, static_cast<std::size_t>(2 * count + 1));
    ++count;
  }
  EXPECT_EQ(count, 20000);
}

TEST(CsvWriter, QuotesOnlyWhenNeeded) {
  std::string out;
  const std::vector<std::string> fields = {"plain", "", "a,b", "say \"hi\"", "two\nlines", " spaced "};
  append_csv_row(out, fields);
  EXPECT_EQ(out, "plain,,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\", spaced \r\n");
}

TEST(CsvWriter, WhatItWritesReadsBack) {
  std::string out;
  const std::vector<std::string_view> a = {"x", "\"", ",", "\r\n", ""};
  const std::vector<std::string_view> b = {"1", "2", "3", "4", "5"};
  append_csv_row(out, a);
  append_csv_row(out, b);
  const auto rows = read_all(out);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"x", "\"", ",", "\r\n", ""}));
  EXPECT_EQ(rows[1].fields, (Fields{"1", "2", "3", "4", "5"}));
}

}  // namespace
}  // namespace bespoke::core
