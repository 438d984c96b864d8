// LoadDotenv: .env files as docker compose (compose-go's dotenv parser) reads
// them, with every value located, and clear errors where the file is not one.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>

#include "helpers.h"
#include "libpolicy/load/loaders.h"

namespace {

using policy::Type;
using policy::Value;
using policy::load::DotenvResult;
using policy::load::LoadDotenv;
using policy::load::LoadLimits;
using policy::load::test::Str;
using policy::load::test::Where;

DotenvResult Load(const std::string& text, const LoadLimits& limits = {}) {
  return LoadDotenv(text, "app.env", limits);
}

const Value* Get(const DotenvResult& r, std::string_view key) {
  REQUIRE_MESSAGE(r.document, (r.error ? r.error->message : std::string("no document")));
  return r.document->root.Find(key);
}

std::string Keys(const DotenvResult& r) {
  std::string out;
  for (const policy::MapEntry& e : r.document->root.as_map())
    out += (out.empty() ? "" : ",") + std::string(e.key);
  return out;
}

}  // namespace

TEST_CASE("dotenv: plain, exported, YAML-like and commented lines, in file order") {
  DotenvResult r = Load(
      "# a comment\n"
      "\n"
      "B=2\n"
      "export A=1\n"
      "  C = spaced value  \n"
      "D: yaml style\n"
      "E=text # inline comment\n"
      "F=a#b\n"
      "G=\n"
      "H=${OTHER:-x}/path\n");
  REQUIRE(r.document);
  CHECK_FALSE(r.error);
  CHECK(r.warnings.empty());
  CHECK(Keys(r) == "B,A,C,D,E,F,G,H");
  CHECK(Str(Get(r, "A")) == "1");
  CHECK(Str(Get(r, "C")) == "spaced value");
  CHECK(Str(Get(r, "D")) == "yaml style");
  CHECK(Str(Get(r, "E")) == "text");
  CHECK(Str(Get(r, "F")) == "a#b");
  CHECK(Str(Get(r, "G")).empty());
  CHECK(Str(Get(r, "H")) == "${OTHER:-x}/path");  // kept as text, never expanded
  // Located from the first character to the end of the value.
  CHECK(Where(Get(r, "B")) == "3:3-3:4");
  CHECK(Where(Get(r, "A")) == "4:10-4:11");
  CHECK(Where(Get(r, "C")) == "5:7-5:19");
  CHECK(Where(Get(r, "E")) == "7:3-7:7");
  CHECK(Where(Get(r, "G")) == "9:3-9:3");
  CHECK(policy::RenderPath(Get(r, "E")->path()) == "E");
  CHECK_FALSE(Get(r, "E")->has_flag(Value::kQuoted));
}

TEST_CASE("dotenv: single quotes are literal, double quotes read escapes and span lines") {
  DotenvResult r = Load(
      "S='a \\n $X # not a comment'\n"
      "T='it\\'s'\n"
      "D=\"line1\\nline2 \\\"q\\\" \\\\ \\$HOME\"  # comment\n"
      "M=\"first\n"
      "second\"\n"
      "N=after\n");
  REQUIRE(r.document);
  CHECK(Str(Get(r, "S")) == "a \\n $X # not a comment");
  CHECK(Str(Get(r, "T")) == "it's");
  CHECK(Str(Get(r, "D")) == "line1\nline2 \"q\" \\ $$HOME");  // \$ is compose's $$
  CHECK(Str(Get(r, "M")) == "first\nsecond");
  CHECK(Str(Get(r, "N")) == "after");
  CHECK(Get(r, "S")->has_flag(Value::kQuoted));
  CHECK(Where(Get(r, "S")) == "1:3-1:28");  // the quotes included
  CHECK(Where(Get(r, "M")) == "4:3-5:8");
  CHECK(Get(r, "M")->has_flag(Value::kMultiLine));
  CHECK(Where(Get(r, "N")) == "6:3-6:8");  // lines counted through the quoted value
}

TEST_CASE("dotenv: CRLF, a BOM and non-ASCII text keep lines and code-point columns") {
  DotenvResult r = Load(
      "\xEF\xBB\xBF"
      "A=1\r\nNAME=\xC3\xA9t\xC3\xA9\r\nQ=\"x\"\r\n");
  REQUIRE(r.document);
  CHECK(Str(Get(r, "A")) == "1");
  CHECK(Where(Get(r, "A")) == "1:3-1:4");  // the BOM is no column
  CHECK(Str(Get(r, "NAME")) == "\xC3\xA9t\xC3\xA9");
  CHECK(Where(Get(r, "NAME")) == "2:6-2:9");
  CHECK(Str(Get(r, "Q")) == "x");
}

TEST_CASE("dotenv: a bare KEY is null, located at the key") {
  DotenvResult r = Load("A=1\nFROM_ENV\nLAST");
  REQUIRE(r.document);
  CHECK(Keys(r) == "A,FROM_ENV,LAST");
  REQUIRE(Get(r, "FROM_ENV") != nullptr);
  CHECK(Get(r, "FROM_ENV")->is(Type::kNull));
  CHECK(Where(Get(r, "FROM_ENV")) == "2:1-2:9");
  CHECK(Get(r, "LAST")->is(Type::kNull));
}

TEST_CASE("dotenv: a repeated key keeps its first place, takes the later value and warns") {
  DotenvResult r = Load("A=1\nB=2\nA=3\n");
  REQUIRE(r.document);
  CHECK(Keys(r) == "A,B");
  CHECK(Str(Get(r, "A")) == "3");
  CHECK(Where(Get(r, "A")) == "3:3-3:4");
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].line == 3);
  CHECK(r.warnings[0].column == 1);
  CHECK(std::string(r.warnings[0].code_name()) == "input.duplicate_variable");
  CHECK(r.warnings[0].message.find("first at line 1") != std::string::npos);
}

TEST_CASE("dotenv: lines that are not KEY=value are errors with line and column") {
  struct Case {
    std::string text;
    uint32_t line, column;
    std::string code, words;
  };
  const Case cases[] = {
      {"A=1\nthis is prose\n", 2, 1, "input.syntax", "cannot contain a space"},
      {"A=1\n  B/C=2\n", 2, 4, "input.syntax", "unexpected character '/'"},
      {"=value\n", 1, 1, "input.syntax", "is empty"},
      {"A=1\nexport \n", 2, 8, "input.syntax", "'export' needs a name"},
      {"export ", 1, 8, "input.syntax", "'export' needs a name"},
      {"A=1\nB=\"never closed\nC=3\n", 2, 3, "input.syntax", "unterminated"},
      {"A='open\n", 1, 3, "input.syntax", "single quote"},
      {"A=\"x\" y\n", 1, 7, "input.syntax", "after the closing quote"},
      {std::string("A=1\nB=a\0b\n", 10), 2, 4, "input.control_character", "U+0000"},
      {"A=\xC3(\n", 1, 3, "input.invalid_utf8", "invalid UTF-8"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    DotenvResult r = Load(c.text);
    REQUIRE(r.error);
    CHECK_FALSE(r.document);
    CHECK(r.error->file == "app.env");
    CHECK(r.error->line == c.line);
    CHECK(r.error->column == c.column);
    CHECK(std::string(r.error->code_name()) == c.code);
    CHECK(r.error->message.find(c.words) != std::string::npos);
  }
}

TEST_CASE("dotenv: limits on lines, values and files are errors, never crashes") {
  LoadLimits limits;
  limits.max_line_length = 64;
  limits.max_string_length = 32;
  DotenvResult line = Load("A=1\nB=" + std::string(100, 'x') + "\n", limits);
  REQUIRE(line.error);
  CHECK(std::string(line.error->code_name()) == "input.too_large");
  CHECK(line.error->line == 2);
  DotenvResult comment = Load("#" + std::string(100, 'x') + "\nA=1\n", limits);
  REQUIRE(comment.error);
  CHECK(comment.error->line == 1);
  DotenvResult quoted = Load("A=\"" + std::string(40, 'y') + "\"\n", limits);
  REQUIRE(quoted.error);
  CHECK(quoted.error->column == 3);
  limits.max_file_size = 8;
  DotenvResult file = Load("A=123456789\n", limits);
  REQUIRE(file.error);
  CHECK(std::string(file.error->code_name()) == "input.too_large");
  // A huge line within the default limits loads, located.
  DotenvResult huge = Load("K=" + std::string(1 << 20, 'z') + "\n");
  REQUIRE(huge.document);
  CHECK(Where(Get(huge, "K")) == "1:3-1:" + std::to_string(3 + (1 << 20)));
}

TEST_CASE("dotenv: an empty or comment-only file is an empty map") {
  for (const char* text : {"", "\n\n", "# only\n#comments", "\xEF\xBB\xBF"}) {
    DotenvResult r = Load(text);
    REQUIRE(r.document);
    CHECK(r.document->root.is(Type::kMap));
    CHECK(r.document->root.as_map().empty());
  }
}

// The expectations of compose-go's own parser tests (dotenv/godotenv_test.go,
// TestParsing and TestUnterminatedQuotes at e70e961c), where this loader agrees;
// where it is stricter on purpose (an empty name), LANGUAGE.md 11.6 says so.
TEST_CASE("dotenv: reads lines as compose-go's parser tests expect") {
  struct Case {
    std::string line, key, value;
  };
  const Case cases[] = {
      {"FOO=bar", "FOO", "bar"},
      {"FOO =bar", "FOO", "bar"},
      {"FOO= bar", "FOO", "bar"},
      {"FOO=\"bar\"", "FOO", "bar"},
      {"FOO='bar'", "FOO", "bar"},
      {"FOO=\"escaped\\\"bar\"", "FOO", "escaped\"bar"},
      {"FOO=\"\\\"quoted\\\"\"", "FOO", "\"quoted\""},
      {"FOO=\"'d'\"", "FOO", "'d'"},
      {"OPTION_A: 1", "OPTION_A", "1"},
      {"OPTION_A: Foo=bar", "OPTION_A", "Foo=bar"},
      {"OPTION_A=1:B", "OPTION_A", "1:B"},
      {"export OPTION_A=2", "OPTION_A", "2"},
      {"export OPTION_B='\\n'", "OPTION_B", "\\n"},
      {"export exportFoo=2", "exportFoo", "2"},
      {"exportFOO=2", "exportFOO", "2"},
      {"export_FOO =2", "export_FOO", "2"},
      {"export.FOO= 2", "export.FOO", "2"},
      {"export\tOPTION_A=2", "OPTION_A", "2"},
      {"\texport OPTION_A=2", "OPTION_A", "2"},
      {"export OPTION_A=\"export A\"", "OPTION_A", "export A"},
      {"FOO=\"bar\\nbaz\"", "FOO", "bar\nbaz"},
      {"FOO=a\\tb", "FOO", "a\\tb"},
      {"FOO=\"a\\tb\"", "FOO", "a\tb"},
      {"KEY=\"Z\\aZ\\bZ\\fZ\\nZ\\rZ\\tZ\\vZ\\\\Z\\0123Z\"", "KEY", "Z\aZ\bZ\fZ\nZ\rZ\tZ\vZ\\ZSZ"},
      {"FOO.BAR=foobar", "FOO.BAR", "foobar"},
      {"FOO=foobar=", "FOO", "foobar="},
      {"FOO=bar ", "FOO", "bar"},
      {"FOO=bar # this is foo", "FOO", "bar"},
      {"FOO=bar #this is foo", "FOO", "bar"},
      {"FOO=bar #", "FOO", "bar"},
      {"FOO=123#not-an-inline-comment", "FOO", "123#not-an-inline-comment"},
      {"FOO=\"bar#baz\"#", "FOO", "bar#baz"},
      {"FOO=\"bar#baz\" # comment", "FOO", "bar#baz"},
      {"FOO='bar#baz' # comment", "FOO", "bar#baz"},
      {"FOO=\"bar\\n\\ b\\az\"", "FOO", "bar\n\\ b\az"},
      {"FOO=\"bar\\\\\\n\\ b\\az\"", "FOO", "bar\\\n\\ b\az"},
      {"FOO=\"bar\\\\r\\ b\\az\"", "FOO", "bar\\r\\ b\az"},
      {"FOO=\"bar\\nbaz\\\\\"", "FOO", "bar\nbaz\\"},
      {" KEY =value", "KEY", "value"},
      {"KEY=\"\\0123\"", "KEY", "S"},
      {"KEY=\"\\x07\"", "KEY", "\\x07"},
      {"KEY=\"\\u12e4\"", "KEY", "\\u12e4"},
      {"VAR-WITH-DASHES=dashes", "VAR-WITH-DASHES", "dashes"},
      {"OPTION_K='Let\\'s go!'", "OPTION_K", "Let's go!"},
  };
  for (const Case& c : cases) {
    INFO(c.line);
    DotenvResult r = Load(c.line);
    REQUIRE_MESSAGE(r.document, (r.error ? r.error->message : ""));
    REQUIRE(r.document->root.as_map().size() == 1);
    CHECK(std::string(r.document->root.as_map()[0].key) == c.key);
    CHECK(Str(Get(r, c.key)) == c.value);
  }
  for (const char* bad : {"KEY=\"", "KEY=\"value", "KEY=\"value\\\"", "KEY=\"value'", "KEY='",
                          "KEY='value", "KEY='value\\'", "KEY='value\"", "lol$wut"}) {
    INFO(bad);
    CHECK(Load(bad).error);
  }
}

// Inputs fuzz/fuzz_dotenv.cpp found (tests/fuzz_regressions/dotenv/), loaded as
// it loads them: from a buffer that ends where the input does, so that a read
// past the end is caught by the sanitizer builds.
TEST_CASE("dotenv: fuzz regressions load to a document or an error") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(POLICY_SOURCE_DIR) / "tests" / "fuzz_regressions" / "dotenv";
  std::size_t seen = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    CAPTURE(entry.path().filename().string());
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::unique_ptr<char[]> exact(new char[text.size()]);
    std::copy(text.begin(), text.end(), exact.get());
    DotenvResult r = LoadDotenv(std::string_view(exact.get(), text.size()), "fuzz.env", {});
    CHECK((r.document != nullptr) != r.error.has_value());
    ++seen;
  }
  CHECK(seen >= 1);
}
