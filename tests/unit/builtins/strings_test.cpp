#include <re2/re2.h>

#include "builtin_test_util.h"

using namespace policy;
using policy::eval::testing::Runner;

TEST_CASE("len counts code points, list and map entries") {
  Runner r;
  CHECK(r.Text("len", {r.S("abc")}) == "3");
  CHECK(r.Text("len", {r.S("০১৭১১")}) == "5");
  CHECK(r.Text("len", {r.S("")}) == "0");
  CHECK(r.Text("len", {r.L({r.N("1"), r.N("2")})}) == "2");
  CHECK(r.Text("len", {r.M({{"a", r.N("1")}})}) == "1");
  CHECK(r.Text("len", {r.N("12")}) == "error type.mismatch");
  CHECK(r.ctx.error.message.find("len(): argument 1") != std::string::npos);
  CHECK(r.Text("len", {Value::Null()}) == "null");
}

TEST_CASE("lower and upper map case across Unicode") {
  Runner r;
  CHECK(r.Text("lower", {r.S("DB_PASSWORD")}) == "\"db_password\"");
  CHECK(r.Text("upper", {r.S("latest")}) == "\"LATEST\"");
  CHECK(r.Text("lower", {r.S("ÄÖÜ")}) == "\"äöü\"");
  CHECK(r.Text("upper", {r.S("straße")}) == "\"STRASSE\"");
  CHECK(r.Text("lower", {r.S("১২৩")}) == "\"১২৩\"");
  CHECK(r.Text("lower", {r.N("1")}) == "error type.mismatch");
  Value located = r.Located("ABC", 4, 9);
  Value out = r.Call("lower", {located});
  CHECK(out.as_string() == "abc");
  CHECK(out.loc().line == 4);
  CHECK(out.loc().column == 9);
}

TEST_CASE("trim removes Unicode white space and keeps the origin") {
  Runner r;
  CHECK(r.Text("trim", {r.S("  a b \t\n")}) == "\"a b\"");
  CHECK(r.Text("trim", {r.S("\xC2\xA0x\xE3\x80\x80")}) == "\"x\"");  // NBSP, ideographic space
  CHECK(r.Text("trim", {r.S("   ")}) == "\"\"");
  CHECK(r.Text("trim", {r.S("")}) == "\"\"");
  Value out = r.Call("trim", {r.Located(" v ", 2, 5)});
  CHECK(out.loc().line == 2);
  CHECK(out.as_string() == "v");
}

TEST_CASE("starts_with, ends_with, contains") {
  Runner r;
  CHECK(r.Text("starts_with", {r.S("redis:7"), r.S("redis")}) == "true");
  CHECK(r.Text("starts_with", {r.S("redis:7"), r.S("7")}) == "false");
  CHECK(r.Text("ends_with", {r.S("redis:7"), r.S(":7")}) == "true");
  CHECK(r.Text("ends_with", {r.S("a"), r.S("ba")}) == "false");
  CHECK(r.Text("contains", {r.S("hello"), r.S("ell")}) == "true");
  CHECK(r.Text("contains", {r.S("hello"), r.S("")}) == "true");
  CHECK(r.Text("contains", {r.S("hello"), r.S("xyz")}) == "false");
  CHECK(r.Text("contains", {r.L({r.S("a"), r.N("1.0")}), r.N("1")}) == "true");
  CHECK(r.Text("contains", {r.L({r.S("a")}), r.S("b")}) == "false");
  // A null subject or needle is false, never an error.
  CHECK(r.Text("starts_with", {Value::Null(), r.S("a")}) == "false");
  CHECK(r.Text("ends_with", {r.S("a"), Value::Null()}) == "false");
  CHECK(r.Text("contains", {Value::Null(), r.S("a")}) == "false");
  CHECK(r.Text("starts_with", {r.N("12"), r.S("1")}) == "error type.mismatch");
  CHECK(r.Text("contains", {r.S("12"), r.N("1")}) == "error type.mismatch");
}

TEST_CASE("split by a string or a regex") {
  Runner r;
  CHECK(r.Text("split", {r.S("a,b,,c"), r.S(",")}) == "[\"a\",\"b\",\"\",\"c\"]");
  CHECK(r.Text("split", {r.S("a::b"), r.S("::")}) == "[\"a\",\"b\"]");
  CHECK(r.Text("split", {r.S("abc"), r.S(",")}) == "[\"abc\"]");
  CHECK(r.Text("split", {r.S(""), r.S(",")}) == "[\"\"]");
  CHECK(r.Text("split", {r.S("a,b"), r.S("")}) == "error value.invalid");
  RE2 spaces("\\s*[,;]\\s*");
  CHECK(r.Text("split", {r.S("a , b;c"), Value::Regex(&spaces)}) == "[\"a\",\"b\",\"c\"]");
  RE2 maybe_empty("x*");
  CHECK(r.Text("split", {r.S("abxxc"), Value::Regex(&maybe_empty)}) == "[\"ab\",\"c\"]");
  CHECK(r.Text("split", {r.S("১,২"), r.S(",")}) == "[\"১\",\"২\"]");
  CHECK(r.Text("split", {r.S("a"), r.N("1")}) == "error type.mismatch");
  Value parts = r.Call("split", {r.Located("x y", 7, 3), r.S(" ")});
  REQUIRE(parts.as_list().size() == 2);
  CHECK(parts.as_list()[1].loc().line == 7);
  CHECK(parts.as_list()[1].loc().column == 3);
}

TEST_CASE("join") {
  Runner r;
  CHECK(r.Text("join", {r.L({r.S("a"), r.S("b")}), r.S(", ")}) == "\"a, b\"");
  CHECK(r.Text("join", {r.L({}), r.S(",")}) == "\"\"");
  CHECK(r.Text("join", {r.L({r.S("v"), r.N("1.50"), r.D("2024-01-02"), Value::Bool(true)}),
                        r.S("|")}) == "\"v|1.50|2024-01-02|true\"");
  CHECK(r.Text("join", {r.L({r.S("a"), Value::Null()}), r.S(",")}) == "null");
  CHECK(r.Text("join", {r.L({r.L({})}), r.S(",")}) == "error type.mismatch");
  CHECK(r.Text("join", {r.S("ab"), r.S(",")}) == "error type.mismatch");
  CHECK(r.Text("join", {r.L({}), r.N("1")}) == "error type.mismatch");
}

TEST_CASE("replace: literal text or a regex") {
  Runner r;
  CHECK(r.Text("replace", {r.S("a.b.c"), r.S("."), r.S("-")}) == "\"a-b-c\"");
  CHECK(r.Text("replace", {r.S("aaa"), r.S("aa"), r.S("b")}) == "\"ba\"");
  CHECK(r.Text("replace", {r.S("abc"), r.S("x"), r.S("y")}) == "\"abc\"");
  CHECK(r.Text("replace", {r.S("abc"), r.S(""), r.S("y")}) == "error value.invalid");
  RE2 digits("[0-9]+");
  CHECK(r.Text("replace", {r.S("a1b22c"), Value::Regex(&digits), r.S("#")}) == "\"a#b#c\"");
  RE2 swap("(\\w+)@(\\w+)");
  CHECK(r.Text("replace", {r.S("user@host"), Value::Regex(&swap), r.S("\\2 \\1")}) ==
        "\"host user\"");
  CHECK(r.Text("replace", {r.S("x"), Value::Regex(&digits), r.S("\\1")}) == "error regex.replace");
  CHECK(r.Text("replace", {r.S("x"), r.N("1"), r.S("y")}) == "error type.mismatch");
  CHECK(r.Text("replace", {r.S("x"), r.S("x"), r.N("1")}) == "error type.mismatch");
}

TEST_CASE("substr counts code points from 0") {
  Runner r;
  CHECK(r.Text("substr", {r.S("hello"), r.N("1"), r.N("3")}) == "\"ell\"");
  CHECK(r.Text("substr", {r.S("hello"), r.N("3"), r.N("10")}) == "\"lo\"");
  CHECK(r.Text("substr", {r.S("hello"), r.N("9"), r.N("2")}) == "\"\"");
  CHECK(r.Text("substr", {r.S("hello"), r.N("2")}) == "\"llo\"");
  CHECK(r.Text("substr", {r.S("০১৭১১"), r.N("1"), r.N("2")}) == "\"১৭\"");
  CHECK(r.Text("substr", {r.S("hello"), r.N("-1"), r.N("2")}) == "error value.invalid");
  CHECK(r.Text("substr", {r.S("hello"), r.N("1.5"), r.N("2")}) == "error value.invalid");
  CHECK(r.Text("substr", {r.S("hello"), r.N("1"), r.S("2")}) == "error type.mismatch");
  Value out = r.Call("substr", {r.Located("hello", 3, 1), r.N("0"), r.N("2")});
  CHECK(out.loc().line == 3);
}

TEST_CASE("capture by number or name") {
  Runner r;
  RE2 re("(?P<user>[a-z]+)@(?P<host>[a-z.]+)");
  CHECK(r.Text("capture", {r.S("mail: bob@example.org"), Value::Regex(&re), r.N("2")}) ==
        "\"example.org\"");
  CHECK(r.Text("capture", {r.S("mail: bob@example.org"), Value::Regex(&re), r.S("user")}) ==
        "\"bob\"");
  CHECK(r.Text("capture", {r.S("mail: bob@example.org"), Value::Regex(&re), r.N("0")}) ==
        "\"bob@example.org\"");
  CHECK(r.Text("capture", {r.S("no address"), Value::Regex(&re), r.N("1")}) == "null");
  CHECK(r.Text("capture", {r.S("x"), Value::Regex(&re), r.N("3")}) == "error value.invalid");
  CHECK(r.Text("capture", {r.S("x"), Value::Regex(&re), r.S("nope")}) == "error value.invalid");
  CHECK(r.Text("capture", {r.S("x"), Value::Regex(&re), Value::Bool(true)}) ==
        "error type.mismatch");
  CHECK(r.Text("capture", {r.S("x"), r.S("x"), r.N("0")}) == "error type.mismatch");
  RE2 optional("a(b)?c");
  CHECK(r.Text("capture", {r.S("ac"), Value::Regex(&optional), r.N("1")}) == "null");
  Value out = r.Call("capture", {r.Located("id=42", 9, 2), Value::Regex(&re), r.N("0")});
  CHECK(out.is_null());
  RE2 id("id=([0-9]+)");
  out = r.Call("capture", {r.Located("id=42", 9, 2), Value::Regex(&id), r.N("1")});
  CHECK(out.as_string() == "42");
  CHECK(out.loc().line == 9);
}
