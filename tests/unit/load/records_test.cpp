#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "helpers.h"

namespace policy::load::test {
namespace {

// What a test needs to know about one record, copied out before the next call.
struct Seen {
  uint32_t line = 0;
  std::string text;
  std::vector<std::string> cells;  // "<null>" for null
  std::vector<std::string> where;
  std::vector<std::string> issues;
};

struct ReadAll {
  // Kept alive: header issues name their column with views into the reader's header.
  std::unique_ptr<ChunkReader> reader;
  const CsvHeader& header() const { return reader->header(); }
  std::vector<Seen> records;
  std::optional<InputError> error;
  std::vector<InputError> bad;  // JSON Lines lines that are no record; reading went on
  std::vector<uint32_t> chunk_first_lines;
};

std::string Cell(const Value& v) {
  switch (v.type()) {
    case Type::kNull:
      return "<null>";
    case Type::kString:
      return std::string(v.as_string());
    case Type::kDecimal:
      return "d:" + v.as_decimal().ToString();
    case Type::kBool:
      return v.as_bool() ? "b:true" : "b:false";
    default:
      return "<" + std::string(TypeName(v.type())) + ">";
  }
}

ReadAll Read(const std::string& text, RecordFormat format, std::size_t chunk_bytes = 1u << 20,
             char delimiter = ',', LoadLimits limits = {}) {
  ChunkOptions options;
  options.format = format;
  options.delimiter = delimiter;
  options.chunk_bytes = chunk_bytes;
  options.limits = limits;
  auto reader = OpenRecords("in.csv", options, text);
  ReadAll out;
  RecordParser parser(options, &reader->header(), "in.csv");
  RecordChunk chunk;
  Record rec;
  Arena arena;
  while (!out.error && reader->Next(chunk)) {
    out.chunk_first_lines.push_back(chunk.first_line);
    parser.Reset(&chunk);
    while (parser.Next(rec, arena, out.error)) {
      if (rec.bad) {
        out.bad.push_back(*rec.bad);
        continue;
      }
      Seen s;
      s.line = rec.line;
      s.text = std::string(rec.text);
      for (const MapEntry& e : rec.row.as_map()) {
        s.cells.push_back(Cell(e.value));
        s.where.push_back(Where(&e.value));
        if (format == RecordFormat::kCsv)
          CHECK(RenderPath(e.value.path()) == "row." + std::string(e.key));
      }
      for (const RecordIssue& i : rec.issues) {
        s.issues.push_back(std::to_string(i.line) + ":" + std::to_string(i.column) + ":" +
                           std::string(i.field) + ":" + i.message);
      }
      out.records.push_back(std::move(s));
    }
    arena.Reset();
  }
  if (!out.error && reader->error()) out.error = reader->error();
  out.reader = std::move(reader);
  return out;
}

ReadAll Csv(const std::string& text, std::size_t chunk_bytes = 1u << 20) {
  return Read(text, RecordFormat::kCsv, chunk_bytes);
}

using Cells = std::vector<std::string>;

TEST_CASE("csv: header, cells, quotes and locations") {
  auto r = Csv(" id , name,note\n1,Ann,\"a, \"\"b\"\"\"\n2,,\"\"\n");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  CHECK(r.header().names == Cells{"id", "name", "note"});
  CHECK(r.header().columns == std::vector<uint32_t>{2, 7, 12});
  REQUIRE(r.records.size() == 2);
  CHECK(r.records[0].line == 2);
  CHECK(r.records[0].cells == Cells{"1", "Ann", "a, \"b\""});
  CHECK(r.records[0].where == Cells{"2:1-2:2", "2:3-2:6", "2:7-2:17"});
  CHECK(r.records[0].text == "1,Ann,\"a, \"\"b\"\"\"");
  CHECK(r.records[1].cells == Cells{"2", "<null>", "<null>"});
  CHECK(r.records[1].issues.empty());
}

TEST_CASE("csv: embedded newlines keep the line numbers of later records") {
  auto r = Csv("a,b\n1,\"x\ny\nz\"\n2,ü\n\n3,\"é\"\n");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  REQUIRE(r.records.size() == 3);
  CHECK(r.records[0].line == 2);
  CHECK(r.records[0].cells == Cells{"1", "x\ny\nz"});
  CHECK(r.records[0].where[1] == "2:3-4:3");
  CHECK(r.records[1].line == 5);
  CHECK(r.records[1].where[1] == "5:3-5:4");
  CHECK(r.records[2].line == 7);  // the blank line 6 is skipped
  CHECK(r.records[2].where[1] == "7:3-7:6");
}

TEST_CASE("csv: CRLF counts as one line break, BOM skipped, no final newline") {
  auto r = Csv("\xEF\xBB\xBFk,v\r\n1,\"a\r\nb\"\r\n\r\n2,last");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  CHECK(r.header().names == Cells{"k", "v"});
  CHECK(r.header().columns == std::vector<uint32_t>{1, 3});
  REQUIRE(r.records.size() == 2);
  CHECK(r.records[0].cells == Cells{"1", "a\r\nb"});
  CHECK(r.records[0].text == "1,\"a\r\nb\"");
  CHECK(r.records[1].line == 5);
  CHECK(r.records[1].cells == Cells{"2", "last"});
  CHECK(r.records[1].text == "2,last");
}

TEST_CASE("csv: wrong cell counts and invalid UTF-8 are record issues") {
  auto r = Csv("a,b,c\n1,2\n1,2,3,4\nx,\xFF\xFE,z\n");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  REQUIRE(r.records.size() == 3);
  CHECK(r.records[0].cells == Cells{"1", "2", "<null>"});
  CHECK(r.records[0].issues == Cells{"2:1::record has 2 cells, the header has 3"});
  CHECK(r.records[1].cells == Cells{"1", "2", "3"});
  CHECK(r.records[1].issues == Cells{"3:1::record has 4 cells, the header has 3"});
  CHECK(r.records[2].cells == Cells{"x", "<null>", "z"});
  CHECK(r.records[2].issues == Cells{"4:3:b:invalid UTF-8"});
}

TEST_CASE("csv: duplicate header names are header issues") {
  auto r = Csv("a,b,a\n1,2,3\n");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  REQUIRE(r.header().issues.size() == 1);
  CHECK(r.header().issues[0].column == 5);
  CHECK(r.header().issues[0].field == "a");
  CHECK(r.header().issues[0].message == "duplicate column name 'a' (also column 1)");
}

TEST_CASE("csv: an unterminated quote at the end is an error at the field's start") {
  auto r = Csv("a,b\n1,2\n3,\"open\nmore\n");
  REQUIRE(r.error);
  CHECK(r.records.size() == 1);
  CHECK(r.error->line == 3);
  CHECK(r.error->column == 3);
  CHECK(r.error->message.find("unterminated") != std::string::npos);
  auto tiny = Csv("a,b\n1,2\n3,\"open\nmore\n", 4);
  REQUIRE(tiny.error);
  CHECK(tiny.records.size() == 1);
  CHECK(tiny.error->line == 3);
  CHECK(tiny.error->column == 3);
  auto header = Csv("\"a,b\n1,2\n");
  REQUIRE(header.error);
  CHECK(header.error->line == 1);
}

TEST_CASE("csv: tiny chunks give the same records and lines as one chunk") {
  std::string text = "id,name,amount,note\n";
  for (int i = 0; i < 200; ++i) {
    text += std::to_string(i) + ",";
    text += (i % 3 == 0) ? "\"Näme, " + std::to_string(i) + "\"" : "name" + std::to_string(i);
    text += ",";
    text += std::to_string(i * 7) + ".50,";
    if (i % 5 == 0) text += "\"multi\nline \"\"q\"\"\"";
    if (i % 7 == 0) text += "\r";
    text += "\n";
    if (i % 11 == 0) text += "\n";
  }
  auto big = Csv(text);
  REQUIRE_MESSAGE(!big.error, ErrorText(big.error));
  REQUIRE(big.records.size() == 200);
  CHECK(big.chunk_first_lines == std::vector<uint32_t>{2});
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 64u, 333u}) {
    CAPTURE(chunk);
    auto small = Csv(text, chunk);
    REQUIRE_MESSAGE(!small.error, ErrorText(small.error));
    REQUIRE(small.records.size() == big.records.size());
    if (chunk == 64) CHECK(small.chunk_first_lines.size() > 10);
    for (std::size_t i = 0; i < big.records.size(); ++i) {
      CHECK(small.records[i].line == big.records[i].line);
      CHECK(small.records[i].text == big.records[i].text);
      CHECK(small.records[i].cells == big.records[i].cells);
      CHECK(small.records[i].where == big.records[i].where);
    }
  }
  CHECK(big.records[5].cells[3] == "multi\nline \"q\"");
}

TEST_CASE("csv: a record longer than max_line_length is an error") {
  LoadLimits limits;
  limits.max_line_length = 50;
  std::string text = "a\nshort\n" + std::string(200, 'x') + "\nafter\n";
  auto r = Read(text, RecordFormat::kCsv, 16, ',', limits);
  REQUIRE(r.error);
  CHECK(r.error->line == 3);
  CHECK(r.records.size() == 1);
  auto whole = Read(text, RecordFormat::kCsv, 1 << 20, ',', limits);
  REQUIRE(whole.error);
  CHECK(whole.error->line == 3);
}

TEST_CASE("tsv: tab delimiter with the same quoting") {
  auto r = Read("a\tb\n1\t\"x\ty\"\n", RecordFormat::kCsv, 1 << 20, '\t');
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  CHECK(r.header().names == Cells{"a", "b"});
  REQUIRE(r.records.size() == 1);
  CHECK(r.records[0].cells == Cells{"1", "x\ty"});
}

TEST_CASE("csv: reads files, a missing file is an error, an empty file has no records") {
  std::string path = "/tmp/policy_load_test_" + std::to_string(::getpid()) + ".csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "a,b\n1,2\n3,4\n";
  }
  ChunkOptions options;
  options.chunk_bytes = 5;
  auto reader = OpenRecords(path, options);
  REQUIRE(!reader->error());
  CHECK(reader->header().names == Cells{"a", "b"});
  RecordChunk chunk;
  std::string all;
  while (reader->Next(chunk)) all += chunk.text;
  CHECK(all == "1,2\n3,4\n");
  CHECK(!reader->error());
  std::remove(path.c_str());
  auto missing = OpenRecords("/nonexistent/x.csv", options);
  CHECK(!missing->Next(chunk));
  REQUIRE(missing->error());
  CHECK(missing->error()->message.find("cannot open") == 0);
  auto empty = Csv("");
  CHECK(!empty.error);
  CHECK(empty.records.empty());
}

TEST_CASE("jsonl: typed values, nested paths, blank lines skipped") {
  auto r = Read(
      "{\"tin\": \"123\", \"amount\": 10.50, \"ok\": true, \"x\": null, \"a\": {\"b\": [1]}}\n\n"
      "  {\"tin\": \"é\\n\"}\r\n",
      RecordFormat::kJsonLines);
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  REQUIRE(r.records.size() == 2);
  CHECK(r.records[0].line == 1);
  CHECK(r.records[0].cells == Cells{"123", "d:10.50", "b:true", "<null>", "<map>"});
  CHECK(r.records[0].where[1] == "1:26-1:31");
  CHECK(r.records[1].line == 3);
  CHECK(r.records[1].cells == Cells{"é\n"});
  CHECK(r.records[1].where[0] == "3:11-3:16");
  CHECK(r.records[1].text == "  {\"tin\": \"é\\n\"}");

  ChunkOptions options;
  options.format = RecordFormat::kJsonLines;
  auto reader = OpenRecords("in.jsonl", options, std::string("{\"a\": {\"b\": 1}}\n"));
  RecordParser parser(options, nullptr, "in.jsonl");
  RecordChunk chunk;
  REQUIRE(reader->Next(chunk));
  parser.Reset(&chunk);
  Record rec;
  Arena arena;
  std::optional<InputError> error;
  REQUIRE(parser.Next(rec, arena, error));
  const Value* b = At(rec.row, "a.b");
  REQUIRE(b != nullptr);
  CHECK(RenderPath(b->path()) == "row.a.b");
  CHECK(RenderPath(rec.row.path()) == "row");
}

TEST_CASE("jsonl: a bad line is a problem at its line and column, the lines after it are read") {
  auto r = Read("{\"a\": 1}\n{\"a\": }\n{\"a\": 3}\n", RecordFormat::kJsonLines);
  CHECK_FALSE(r.error);
  REQUIRE(r.bad.size() == 1);
  CHECK(r.bad[0].line == 2);
  CHECK(r.bad[0].column == 7);
  CHECK(r.bad[0].file == "in.csv");
  REQUIRE(r.records.size() == 2);
  CHECK(r.records[1].line == 3);
  CHECK(r.records[1].cells == std::vector<std::string>{"d:3"});
  auto arr = Read("{\"a\": 1}\n[1, 2]\n", RecordFormat::kJsonLines);
  REQUIRE(arr.bad.size() == 1);
  CHECK(arr.bad[0].line == 2);
  CHECK(arr.bad[0].column == 1);
  CHECK(arr.bad[0].message.find("must be an object") != std::string::npos);
  auto dup = Read("{\"a\": 1, \"a\": 2}\n", RecordFormat::kJsonLines);
  REQUIRE(dup.bad.size() == 1);
  CHECK(dup.bad[0].column == 10);
  auto utf = Read("{\"a\": \"\xC0\xAF\"}\n{\"b\": 1}\n", RecordFormat::kJsonLines);
  REQUIRE(utf.bad.size() == 1);
  CHECK(utf.bad[0].message == "invalid UTF-8");
  CHECK(utf.records.size() == 1);
  // A flat record after a broken one still reads by the flat path, same keys.
  auto flat = Read("{\"a\": 1, \"b\": 2}\n{\"a\": 1, \"b\"\n{\"a\": 5, \"b\": 6}\n",
                   RecordFormat::kJsonLines);
  REQUIRE(flat.records.size() == 2);
  CHECK(flat.records[1].cells == std::vector<std::string>{"d:5", "d:6"});
}

TEST_CASE("jsonl: tiny chunks give the same records") {
  std::string text;
  for (int i = 0; i < 50; ++i)
    text += "{\"i\": " + std::to_string(i) + ", \"s\": \"ä" + std::to_string(i) + "\"}\n";
  auto big = Read(text, RecordFormat::kJsonLines);
  auto small = Read(text, RecordFormat::kJsonLines, 7);
  REQUIRE(!big.error);
  REQUIRE(!small.error);
  REQUIRE(small.records.size() == 50);
  for (std::size_t i = 0; i < 50; ++i) {
    CHECK(small.records[i].line == i + 1);
    CHECK(small.records[i].cells == big.records[i].cells);
    CHECK(small.records[i].where == big.records[i].where);
  }
}

// Issue 13, A6: a file written with CR-only line breaks (old Mac) reads as the
// same file written with LF: same records, lines, locations, issues and errors,
// whatever the chunk size (a CR may end one read block and its record the next).
std::string WithBreaks(const std::string& lf_text, const std::string& br) {
  std::string out;
  for (char c : lf_text) {
    if (c == '\n') {
      out += br;
    } else {
      out += c;
    }
  }
  return out;
}

void CheckSameRecords(const ReadAll& got, const ReadAll& want) {
  REQUIRE(got.records.size() == want.records.size());
  for (std::size_t i = 0; i < want.records.size(); ++i) {
    CAPTURE(i);
    CHECK(got.records[i].line == want.records[i].line);
    CHECK(got.records[i].cells == want.records[i].cells);
    CHECK(got.records[i].where == want.records[i].where);
    CHECK(got.records[i].issues == want.records[i].issues);
  }
  CHECK(ErrorText(got.error) == ErrorText(want.error));
}

TEST_CASE("csv: CR-only line endings read as LF ones, in every chunk size") {
  std::string lf =
      "\xEF\xBB\xBFid,name,note\n"
      "1,Ann,plain\n"
      "\n"
      "2,\"Bé, \"\"q\"\"\",\"multi\nline\"\n"
      "3,short\n";  // one cell short: an issue on line 6
  for (int i = 4; i < 80; ++i) lf += std::to_string(i) + ",n" + std::to_string(i) + ",é\n";
  ReadAll want = Csv(lf);
  REQUIRE_MESSAGE(!want.error, ErrorText(want.error));
  REQUIRE(want.records.size() == 79);
  CHECK(want.records[1].line == 4);
  CHECK(want.records[2].line == 6);
  CHECK(want.records[2].issues.size() == 1);
  const std::string cr = WithBreaks(lf, "\r");
  for (std::size_t chunk : {1u, 2u, 3u, 5u, 8u, 64u, 1u << 20}) {
    CAPTURE(chunk);
    ReadAll got = Csv(cr, chunk);
    CHECK(got.header().names == want.header().names);
    CheckSameRecords(got, want);
    CHECK(got.records[5].text == "6,n6,é");
  }
  // The line break inside the quoted cell reads as LF, as in the LF file.
  CHECK(Csv(cr).records[1].cells[2] == "multi\nline");
  // No final line break, and a header alone.
  CHECK(Csv("a,b\r1,2").records.at(0).cells == Cells{"1", "2"});
  CHECK(Csv("a,b\r").header().names == Cells{"a", "b"});
  CHECK(Csv("a,b\r1,2\r\r3,4\r").records.at(1).line == 4);
}

// Why the fast paths need no CR-only case of their own: the reader hands out the
// same chunk bytes and first lines for the CR-only file as for the LF one.
std::vector<std::pair<uint32_t, std::string>> Chunks(const std::string& text, std::size_t bytes) {
  ChunkOptions options;
  options.chunk_bytes = bytes;
  auto reader = OpenRecords("in.csv", options, text);
  std::vector<std::pair<uint32_t, std::string>> out;
  RecordChunk chunk;
  while (reader->Next(chunk)) out.emplace_back(chunk.first_line, chunk.text);
  CHECK(!reader->error());
  return out;
}

TEST_CASE("csv: a CR-only file is handed out as the LF file's chunks") {
  std::string lf = "a,b\n";
  for (int i = 0; i < 300; ++i) {
    lf += std::to_string(i) + (i % 9 == 0 ? ",\"two\nlines\"\n" : ",x\n");
    if (i % 13 == 0) lf += "\n";
  }
  for (std::size_t bytes : {1u, 4u, 100u, 1u << 20}) {
    CAPTURE(bytes);
    CHECK(Chunks(WithBreaks(lf, "\r"), bytes) == Chunks(lf, bytes));
  }
}

TEST_CASE("csv: an unterminated quote before a final line break is an error at the quote") {
  for (const char* br : {"\n", "\r\n", "\r"}) {
    CAPTURE(br);
    std::string text = WithBreaks("a,b\n1,2\n3,\"open\n", br);
    for (std::size_t chunk : {3u, 1u << 20}) {
      auto r = Csv(text, chunk);
      REQUIRE(r.error);
      CHECK(r.records.size() == 1);
      CHECK(r.error->line == 3);
      CHECK(r.error->column == 3);
      CHECK(r.error->message.find("unterminated") != std::string::npos);
    }
  }
}

TEST_CASE("jsonl: CR-only line endings read as LF ones, in every chunk size") {
  std::string lf;
  for (int i = 0; i < 30; ++i) {
    lf += "{\"i\": " + std::to_string(i) + ", \"s\": \"ä\\n" + std::to_string(i) + "\"}\n";
    if (i % 7 == 0) lf += "\n";
  }
  ReadAll want = Read(lf, RecordFormat::kJsonLines);
  REQUIRE_MESSAGE(!want.error, ErrorText(want.error));
  REQUIRE(want.records.size() == 30);
  for (std::size_t chunk : {1u, 7u, 1u << 20}) {
    CAPTURE(chunk);
    CheckSameRecords(Read(WithBreaks(lf, "\r"), RecordFormat::kJsonLines, chunk), want);
  }
  auto bad = Read("{\"a\": 1}\r\r{\"a\": }\r", RecordFormat::kJsonLines);
  REQUIRE(bad.bad.size() == 1);
  CHECK(bad.bad[0].line == 3);
  CHECK(bad.bad[0].column == 7);
}

}  // namespace
}  // namespace policy::load::test
