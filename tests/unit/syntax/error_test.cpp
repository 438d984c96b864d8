#include <doctest/doctest.h>

#include "tests/unit/syntax/ast_builders.h"

namespace policy::syntax {
namespace {

using namespace testing;

// The first diagnostic of parsing `text` as a file; the module must be null.
Diagnostic FirstError(const std::string& text) {
  SourceFile source("bad.policy", text);
  ParseResult r = Parse(source);
  CAPTURE(text);
  CHECK(r.module == nullptr);
  REQUIRE(!r.diagnostics.empty());
  for (const Diagnostic& d : r.diagnostics) CHECK(d.severity == Severity::kError);
  return r.diagnostics[0];
}

void CheckError(const std::string& text, const std::string& code, uint32_t line, uint32_t column,
                uint32_t end_column = 0) {
  CAPTURE(text);
  Diagnostic d = FirstError(text);
  CAPTURE(d.message);
  CHECK(d.code == code);
  CHECK(d.line == line);
  CHECK(d.column == column);
  if (end_column) CHECK(d.end_column == end_column);
  CHECK(d.file == "bad.policy");
}

TEST_CASE("expected tokens are located and named") {
  Diagnostic d = FirstError("param x: decimal = (1 + 2\nrule A-1 {}");
  CHECK(d.code == "syntax.expected");
  CHECK(d.message == "expected ')', found 'rule'");
  CHECK(d.line == 2);
  CHECK(d.column == 1);
  CHECK(d.end_column == 5);
  CHECK(d.source_line == "rule A-1 {}");

  Diagnostic e = FirstError("rule A-1 {\n  where\n}");
  CHECK(e.code == "syntax.expected");
  CHECK(e.message == "expected an expression, found '}'");
  CHECK(e.line == 3);
  CHECK(e.column == 1);

  CheckError("param x: = 1", "syntax.expected", 1, 10);
  CheckError("def f(a b) = a", "syntax.expected", 1, 9);
  CheckError("rule A-1 { title }", "syntax.expected", 1, 18);
  CheckError("rule A-1 { titel \"x\" }", "syntax.expected", 1, 12, 17);
  CheckError("rule a-1 {}", "syntax.expected", 1, 6);
  CheckError("rule A1 {}", "syntax.expected", 1, 6);
  CheckError("rule A-1 { on compose(x) }", "syntax.unexpected", 1, 23);
  CheckError("rule A-1 { on everything }", "syntax.expected", 1, 15);
  CheckError("rule A-1 { tags [Secret] }", "syntax.expected", 1, 18);
  CheckError("rule A-1 { require x mostly % }", "syntax.expected", 1, 29);
  CheckError("schema s { a : }", "syntax.expected", 1, 16);
  CheckError("schema s { a : date(\"x\" }", "syntax.expected", 1, 25);
  CheckError("oops", "syntax.unexpected", 1, 1, 5);
  CheckError("param x: decimal = 1 +", "syntax.expected", 1, 23);
  CheckError("param let: decimal = 1", "syntax.expected", 1, 7);
  CheckError("rule A-1 { for x, in l }", "syntax.expected", 1, 19);
}

TEST_CASE("columns count code points") {
  Diagnostic d = FirstError("param x: string = \"ব\" +");
  CHECK(d.line == 1);
  CHECK(d.column == 24);
}

TEST_CASE("comparisons do not associate") {
  CheckError("param x: bool = a < b < c", "syntax.non_associative", 1, 23, 24);
  CheckError("param x: bool = a == b != c", "syntax.non_associative", 1, 24, 26);
  SourceFile source("e.policy", "a <= b >= c");
  ExprParseResult r = ParseExpression(source);
  CHECK(r.expr == nullptr);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == "syntax.non_associative");
  CHECK(r.diagnostics[0].column == 8);
}

TEST_CASE("if and quantifiers inside operators need parentheses") {
  CheckError("param x: decimal = 1 + if a then 1 else 2", "syntax.unexpected", 1, 24, 26);
  CheckError("param x: bool = not all y in l: y", "syntax.unexpected", 1, 21, 24);
  CheckError("param x: bool = all y in l == m: y", "syntax.expected", 1, 28);
}

TEST_CASE("lexical errors") {
  CheckError("rule A-1 {\n  title \"abc\n}", "syntax.unterminated_string", 2, 9, 10);
  CheckError("param x: string = \"a\\qb\"", "syntax.bad_escape", 1, 21, 23);
  CheckError("param x: string = \"\\u{D800}\"", "syntax.bad_escape", 1, 20);
  CheckError("param x: string = \"\\u{}\"", "syntax.bad_escape", 1, 20);
  CheckError("rule A-1 {\n  message \"{a\n}", "syntax.unterminated_string", 2, 11);
  CheckError("def f(s) = s matches /abc\n", "syntax.unterminated_regex", 1, 22);
  CheckError("rule A-1 { message \"a } b\" }", "syntax.unexpected", 1, 23);
  CheckError("rule A-1 { message \"a {} b\" }", "syntax.expected", 1, 24);
  // Holes may hold strings, so a quote inside an open hole starts one.
  CheckError("rule A-1 { message \"a {x b\" }", "syntax.unterminated_string", 1, 27);
  CheckError("rule A-1 { message \"a {x b}\" }", "syntax.expected", 1, 26);
}

TEST_CASE("order of package, imports and declarations") {
  CheckError("param x: bool = true\npackage p", "syntax.unexpected", 2, 1);
  CheckError("param x: bool = true\nimport \"a.policy\"", "syntax.unexpected", 2, 1);
}

TEST_CASE("parsing resumes at the next top-level keyword") {
  SourceFile source("bad.policy",
                    "rule A-1 {\n  where (\n}\n"
                    "param ok: bool = true\n"
                    "rule B-2 {\n  require 1 +\n}\n"
                    "def f() = x.\n");
  ParseResult r = Parse(source);
  CHECK(r.module == nullptr);
  REQUIRE(r.diagnostics.size() == 3);
  CHECK(r.diagnostics[0].line == 3);
  CHECK(r.diagnostics[1].line == 7);
  CHECK(r.diagnostics[2].line == 9);
  CHECK(r.diagnostics[2].message == "expected a member name, found the end of the file");
}

TEST_CASE("nesting deeper than the limit is rejected before descending") {
  auto nested = [](int depth, const std::string& open, const std::string& close) {
    std::string s = "param p: decimal = ";
    for (int i = 0; i < depth; ++i) s += open;
    s += "1";
    for (int i = 0; i < depth; ++i) s += close;
    return s;
  };
  SourceFile ok("ok.policy", nested(kMaxNesting, "(", ")"));
  ParseResult r = Parse(ok);
  CHECK(r.diagnostics.empty());
  CHECK(r.module != nullptr);
  SourceFile lists("ok.policy", nested(kMaxNesting, "[", "]"));
  CHECK(Parse(lists).module != nullptr);

  CheckError(nested(kMaxNesting + 1, "(", ")"), "syntax.too_deep", 1, 20 + kMaxNesting);
  CheckError(nested(kMaxNesting + 1, "f(", ")"), "syntax.too_deep", 1, 21 + 2 * kMaxNesting);
  CheckError(nested(kMaxNesting + 1, "{\"a\": ", "}"), "syntax.too_deep", 1, 20 + 6 * kMaxNesting);

  std::string quantifiers = "param p: bool = ";
  for (int i = 0; i <= kMaxNesting; ++i) quantifiers += "all x in l: ";
  quantifiers += "true";
  CheckError(quantifiers, "syntax.too_deep", 1, 17 + 12 * kMaxNesting);

  std::string holes = "rule A-1 { message \"";
  for (int i = 0; i <= kMaxNesting; ++i) holes += "{[";
  CheckError(holes, "syntax.too_deep", 1, 21 + kMaxNesting);

  // A rule's own braces are not a level.
  std::string in_rule = "rule A-1 {\n  require " + std::string(kMaxNesting, '(') + "true" +
                        std::string(kMaxNesting, ')') + "\n}\n";
  SourceFile rule_source("ok.policy", in_rule);
  CHECK(Parse(rule_source).module != nullptr);

  // 100 000 unclosed parentheses: one diagnostic, quickly, no stack overflow.
  std::string hostile = "param p: decimal = " + std::string(100000, '(');
  SourceFile source("deep.policy", hostile);
  ParseResult deep = Parse(source);
  CHECK(deep.module == nullptr);
  REQUIRE(deep.diagnostics.size() == 1);
  CHECK(deep.diagnostics[0].code == "syntax.too_deep");
  CHECK(deep.diagnostics[0].column == 20 + kMaxNesting);

  SourceFile expr("deep.policy", std::string(100000, '['));
  ExprParseResult e = ParseExpression(expr);
  REQUIRE(e.diagnostics.size() == 1);
  CHECK(e.diagnostics[0].code == "syntax.too_deep");
}

TEST_CASE("many sibling brackets and clauses are not nesting") {
  std::string text = "rule A-1 {\n";
  for (int i = 0; i < 600; ++i) text += "  where all x in (l): (x)\n";
  text += "  require true\n}\n";
  SourceFile source("wide.policy", text);
  ParseResult r = Parse(source);
  CHECK(r.diagnostics.empty());
  REQUIRE(r.module);
  CHECK(r.module->rules[0].query.size() == 601);
}

}  // namespace
}  // namespace policy::syntax
