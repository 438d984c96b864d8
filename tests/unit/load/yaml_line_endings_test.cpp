// Issue 13, A6 for YAML: every way of writing a file is read right. Line breaks
// may be LF, CR LF or a CR alone (old Mac); an unterminated quoted scalar is an
// input error at its opening quote, whatever follows it.
#include <string>

#include "helpers.h"
#include "libpolicy/source.h"

namespace policy::load::test {
namespace {

TEST_CASE("yaml: CR-only line endings are line breaks, counted in locations") {
  auto r = Yaml("a: 1\rb: \"x\"\rc:\r  - two\r  - |\r    lit\r    eral\rd: é\r");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  const Value& root = r.documents[0]->root;
  CHECK(Dec(At(root, "a")) == "1");
  CHECK(Where(At(root, "b")) == "2:4-2:7");
  CHECK(Str(At(root, "c[0]")) == "two");
  CHECK(Where(At(root, "c[0]")) == "4:5-4:8");
  CHECK(Str(At(root, "c[1]")) == "lit\neral\n");  // YAML normalises breaks in content
  CHECK(Where(At(root, "c[1]")) == "5:5");
  CHECK(Where(At(root, "d")) == "8:4-8:5");
}

TEST_CASE("yaml: CR-only, CRLF and LF files give the same values and lines") {
  const std::string lf = "services:\n  web:\n    image: nginx\n    ports:\n      - \"80:80\"\n";
  for (const char* br : {"\n", "\r\n", "\r"}) {
    std::string text;
    for (char c : lf) {
      if (c == '\n') {
        text += br;
      } else {
        text += c;
      }
    }
    CAPTURE(text);
    auto r = Yaml(text);
    REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
    const Value& root = r.documents[0]->root;
    CHECK(Str(At(root, "services.web.image")) == "nginx");
    CHECK(Where(At(root, "services.web.image")) == "3:12-3:17");
    CHECK(Where(At(root, "services.web.ports[0]")) == "5:9-5:16");
  }
}

TEST_CASE("yaml: the snippet line index agrees with the loader on CR-only lines") {
  const std::string text = "a: 1\rb:\r  c: x\r\nd: \"é\"\r";
  auto r = Yaml(text);
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  LineIndex lines(text);
  const Value* c = At(r.documents[0]->root, "b.c");
  REQUIRE(c != nullptr);
  CHECK(Where(c) == "3:6-3:7");
  CHECK(lines.Line(text, c->loc().line) == "  c: x");  // CR LF still ends one line
  CHECK(lines.Line(text, 4) == "d: \"é\"");
  CHECK(lines.Position(text, text.find('d')).line == 4);
}

TEST_CASE("yaml: an error in a CR-only file names the right line") {
  auto r = Yaml("a: 1\rb: 2\ra: 3\r");
  REQUIRE(r.error);
  CHECK(ErrorText(r.error) == "in.yaml:3:1: duplicate key 'a' (first at line 1)");
}

TEST_CASE("yaml: an unterminated quoted scalar is an error at its opening quote") {
  struct Row {
    const char* text;
    uint32_t line;
    uint32_t column;
  };
  const Row rows[] = {
      {"services:\n  web:\n    image: \"redis:7\n", 3, 12},  // the final newline of issue 13
      {"services:\n  web:\n    image: \"redis:7", 3, 12},
      {"services:\n  web:\n    image: 'redis:7\n", 3, 12},
      {"image: \"redis:7\r", 1, 8},
      {"image: \"redis:7\r\n", 1, 8},
      {"a: 1\nb: \"x\n  y\n", 2, 4},
      {"- \"é\n", 1, 3},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    auto r = Yaml(row.text);
    REQUIRE(r.error);
    CHECK(r.error->line == row.line);
    CHECK(r.error->column == row.column);
    CHECK(r.error->message.find("without closing quote") != std::string::npos);
    CHECK(r.documents.empty());
  }
}

}  // namespace
}  // namespace policy::load::test
