#include <string>

#include "helpers.h"

namespace policy::load::test {
namespace {

DocumentsResult Json(std::string_view text, LoadLimits limits = {}) {
  return LoadJson(text, "in.json", limits);
}

TEST_CASE("json: values keep their types and positions") {
  auto r = Json(
      "{\n  \"name\": \"é\",\n  \"n\": 0.1,\n  \"list\": [true, null, {\"k\": -2e3}],\n  \"obj\": "
      "{}\n}\n");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  const Value& root = r.documents[0]->root;
  CHECK(Str(At(root, "name")) == "é");
  CHECK(Where(At(root, "name")) == "2:11-2:14");
  CHECK(Dec(At(root, "n")) == "0.1");
  CHECK(Where(At(root, "n")) == "3:8-3:11");
  CHECK(Where(At(root, "list")) == "4:3-4:9");  // a list held by a key is located at the key
  CHECK(At(root, "list[0]")->as_bool());
  CHECK(At(root, "list[1]")->is_null());
  CHECK(Where(At(root, "list[1]")) == "4:18-4:22");
  CHECK(Dec(At(root, "list[2].k")) == "-2000");
  CHECK(Where(At(root, "list[2]")) == "4:24");
  CHECK(RenderPath(At(root, "list[2].k")->path()) == "list[2].k");
  CHECK(At(root, "obj")->as_map().empty());
  CHECK(Where(&root) == "1:1");
}

TEST_CASE("json: numbers are exact, more than 38 digits read as a string") {
  auto r = Json(
      "[0.1, 1.50, 12345678901234567890123456789012345678, "
      "123456789012345678901234567890123456789, 1e400]");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  const Value& root = r.documents[0]->root;
  CHECK(Dec(At(root, "[0]")) == "0.1");
  CHECK(Dec(At(root, "[1]")) == "1.50");
  CHECK(Dec(At(root, "[2]")) == "12345678901234567890123456789012345678");
  CHECK(Str(At(root, "[3]")) == "123456789012345678901234567890123456789");
  CHECK(Str(At(root, "[4]")) == "1e400");
}

TEST_CASE("json: string escapes") {
  auto r = Json(R"({"a": "x\"y\\z\/\n\t\u00e9\ud83d\ude00"})");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  CHECK(Str(At(r.documents[0]->root, "a")) == "x\"y\\z/\n\té\xF0\x9F\x98\x80");
}

TEST_CASE("json: CR-only and CR LF line endings count lines as LF does") {
  for (const char* br : {"\n", "\r\n", "\r"}) {
    CAPTURE(std::string(br) == "\r" ? "CR" : std::string(br) == "\n" ? "LF" : "CRLF");
    const std::string b = br;
    auto r = Json("{" + b + "  \"a\": \"x\"," + b + b + "  \"n\": 1" + b + "}" + b);
    REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
    const Value& root = r.documents[0]->root;
    CHECK(Where(At(root, "a")) == "2:8-2:11");
    CHECK(Where(At(root, "n")) == "4:8-4:9");
    auto bad = Json("{" + b + "  \"a\": 1," + b + "  \"b\": }" + b);
    REQUIRE(bad.error);
    CHECK(bad.error->line == 3);
    CHECK(bad.error->column == 8);
  }
}

TEST_CASE("json: errors carry line and column") {
  struct Row {
    const char* text;
    uint32_t line;
    uint32_t column;
    const char* message_part;
  };
  const Row rows[] = {
      {"{\"a\": 1,\n \"b\": }", 2, 7, "expected a JSON value"},
      {"[1, 2", 1, 6, "expected ',' or ']'"},
      {"{\"a\" 1}", 1, 6, "expected ':'"},
      {"[01]", 1, 3, "leading zeros"},
      {"[1.]", 1, 4, "digit must follow '.'"},
      {"{\"a\": 1} x", 1, 10, "after the JSON value"},
      {"", 1, 1, "empty input"},
      {"[\"a\x01\"]", 1, 4, "control character"},
      {"[\"\\x\"]", 1, 3, "invalid escape"},
      {"[\"\\ud800\"]", 1, 3, "surrogate"},
      {"[tru]", 1, 2, "expected a JSON value"},
      {"{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key 'a' (first at line 1)"},
      {"[\"abc", 1, 2, "unterminated string"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    auto r = Json(row.text);
    REQUIRE(r.error);
    CHECK(r.error->file == "in.json");
    CHECK(r.error->line == row.line);
    CHECK(r.error->column == row.column);
    CHECK_MESSAGE(r.error->message.find(row.message_part) != std::string::npos, r.error->message);
    CHECK(r.documents.empty());
  }
}

TEST_CASE("json: duplicate keys in a large object") {
  std::string text = "{";
  for (int i = 0; i < 100; ++i) text += "\"k" + std::to_string(i) + "\": 1,\n";
  text += "\"k7\": 2}";
  auto r = Json(text);
  REQUIRE(r.error);
  CHECK(r.error->line == 101);
  CHECK(r.error->message == "duplicate key 'k7' (first at line 8)");
}

TEST_CASE("json: invalid UTF-8 is an error at the byte") {
  auto r = Json("{\"a\":\n \"\xE2\x82\"}");
  REQUIRE(r.error);
  CHECK(r.error->line == 2);
  CHECK(r.error->column == 3);
  CHECK(r.error->message == "invalid UTF-8");
}

TEST_CASE("json: deep nesting is an error without recursion") {
  auto r = Json(std::string(100000, '['));
  REQUIRE(r.error);
  CHECK(r.error->message == "nesting deeper than 256 levels");
  CHECK(r.error->column == 257);
  LoadLimits big;
  big.max_depth = 200000;
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto ok = Json(deep, big);
  CHECK_MESSAGE(!ok.error, ErrorText(ok.error));
}

TEST_CASE("json: BOM skipped, strings outlive the text") {
  std::string text = "\xEF\xBB\xBF{\"a\": \"v\"}";
  auto r = Json(text);
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  text.assign(text.size(), ' ');
  CHECK(Str(At(r.documents[0]->root, "a")) == "v");
  CHECK(Where(At(r.documents[0]->root, "a")) == "1:7-1:10");
}

}  // namespace
}  // namespace policy::load::test
