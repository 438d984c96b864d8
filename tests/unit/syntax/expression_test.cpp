#include <doctest/doctest.h>

#include "tests/unit/syntax/ast_builders.h"

namespace policy::syntax {
namespace {

using namespace testing;
using B = BinaryOp;

void CheckTree(const std::string& text, const ExprPtr& expected) {
  CAPTURE(text);
  ExprPtr got = ParseExpr(text);
  REQUIRE(got != nullptr);
  CHECK(*got == *expected);
}

TEST_CASE("literals and names") {
  CheckTree("42", Num("42"));
  CheckTree("1.50", Num("1.50"));
  CheckTree("\"a\\\"b\\\\c\\n\\t\\u{09E6}\"", Str("a\"b\\c\n\t\xE0\xA7\xA6"));
  CheckTree("true", Bool(true));
  CheckTree("false", Bool(false));
  CheckTree("null", Null());
  CheckTree("svc", N("svc"));
  CheckTree("_x9", N("_x9"));
  CheckTree("/a\\/b\\d+/", Re("a/b\\d+"));
}

TEST_CASE("precedence follows the table of section 4") {
  CheckTree("1 + 2 * 3", Bin(B::kAdd, Num("1"), Bin(B::kMul, Num("2"), Num("3"))));
  CheckTree("1 - 2 - 3", Bin(B::kSub, Bin(B::kSub, Num("1"), Num("2")), Num("3")));
  CheckTree("a * b / c % d",
            Bin(B::kMod, Bin(B::kDiv, Bin(B::kMul, N("a"), N("b")), N("c")), N("d")));
  // ?? binds tighter than * and is right-associative.
  CheckTree("a ?? b * c", Bin(B::kMul, Bin(B::kCoalesce, N("a"), N("b")), N("c")));
  CheckTree("a ?? b ?? c", Bin(B::kCoalesce, N("a"), Bin(B::kCoalesce, N("b"), N("c"))));
  // Unary minus binds tighter than ??.
  CheckTree("-a ?? b", Bin(B::kCoalesce, Neg(N("a")), N("b")));
  CheckTree("- -a", Neg(Neg(N("a"))));
  CheckTree("a + b matches /x/", Bin(B::kMatches, Bin(B::kAdd, N("a"), N("b")), Re("x")));
  CheckTree("a matches /x/ in l", Bin(B::kIn, Bin(B::kMatches, N("a"), Re("x")), N("l")));
  CheckTree("a not in b", Bin(B::kNotIn, N("a"), N("b")));
  CheckTree("a in b < c", Bin(B::kLt, Bin(B::kIn, N("a"), N("b")), N("c")));
  CheckTree("a < b == c <= d",
            Bin(B::kEq, Bin(B::kLt, N("a"), N("b")), Bin(B::kLe, N("c"), N("d"))));
  CheckTree("not a == b", Not(Bin(B::kEq, N("a"), N("b"))));
  CheckTree("not not a", Not(Not(N("a"))));
  CheckTree("not a and b", Bin(B::kAnd, Not(N("a")), N("b")));
  CheckTree("a or b and c", Bin(B::kOr, N("a"), Bin(B::kAnd, N("b"), N("c"))));
  CheckTree("a and b or c and d",
            Bin(B::kOr, Bin(B::kAnd, N("a"), N("b")), Bin(B::kAnd, N("c"), N("d"))));
  CheckTree("a implies b implies c", Bin(B::kImplies, N("a"), Bin(B::kImplies, N("b"), N("c"))));
  CheckTree("a or b implies c", Bin(B::kImplies, Bin(B::kOr, N("a"), N("b")), N("c")));
  CheckTree("(1 + 2) * 3", Bin(B::kMul, Bin(B::kAdd, Num("1"), Num("2")), Num("3")));
  CheckTree("a != b", Bin(B::kNe, N("a"), N("b")));
  CheckTree("a >= b", Bin(B::kGe, N("a"), N("b")));
  CheckTree("a > b", Bin(B::kGt, N("a"), N("b")));
}

TEST_CASE("postfix: members, indexes, calls") {
  CheckTree("a.b.c", Member(Member(N("a"), "b"), "c"));
  CheckTree("svc.labels[\"traefik.enable\"]",
            IndexOf(Member(N("svc"), "labels"), Str("traefik.enable")));
  CheckTree("f()", Call("f"));
  CheckTree("round(x * r / 100, 2)",
            Call("round", Bin(B::kDiv, Bin(B::kMul, N("x"), N("r")), Num("100")), Num("2")));
  CheckTree("parse_image(s).tag", Member(Call("parse_image", N("s")), "tag"));
  CheckTree("-a.b", Neg(Member(N("a"), "b")));
  CheckTree("l[0][1]", IndexOf(IndexOf(N("l"), Num("0")), Num("1")));
}

TEST_CASE("reserved words may follow a dot, doc is a name in expressions") {
  CheckTree("x.on.if.count.doc.required",
            Member(Member(Member(Member(Member(N("x"), "on"), "if"), "count"), "doc"), "required"));
  CheckTree("doc.services", Member(N("doc"), "services"));
  CheckTree("doc", N("doc"));
  CHECK(ParseExpr("on") == nullptr);
  CHECK(ParseExpr("x + where") == nullptr);
}

TEST_CASE("regex versus division") {
  CheckTree("a / b / c", Bin(B::kDiv, Bin(B::kDiv, N("a"), N("b")), N("c")));
  CheckTree("(a) / 2", Bin(B::kDiv, N("a"), Num("2")));
  CheckTree("a matches /x/ ", Bin(B::kMatches, N("a"), Re("x")));
  CheckTree("f(/a/, /b/)", Call("f", Re("a"), Re("b")));
  CheckTree("[/a#b/]", List(Re("a#b")));
  CheckTree("a / 2 matches /^[0-9]{12}$/",
            Bin(B::kMatches, Bin(B::kDiv, N("a"), Num("2")), Re("^[0-9]{12}$")));
}

TEST_CASE("lists and maps") {
  CheckTree("[]", List());
  CheckTree("[1, [2], {}]", List(Num("1"), List(Num("2")), Map()));
  CheckTree("{\"k\": 1, \"v\": a + 1}",
            Map(Str("k"), Num("1"), Str("v"), Bin(B::kAdd, N("a"), Num("1"))));
}

TEST_CASE("if and quantifiers stand alone as whole expressions") {
  CheckTree("if a then b else c", If(N("a"), N("b"), N("c")));
  CheckTree("if a then b else if c then d else e", If(N("a"), N("b"), If(N("c"), N("d"), N("e"))));
  CheckTree("all x in xs: x > 0 and x < 9",
            Quant(Quantifier::kAll, {"x"}, N("xs"),
                  Bin(B::kAnd, Bin(B::kGt, N("x"), Num("0")), Bin(B::kLt, N("x"), Num("9")))));
  CheckTree("count k, v in a + b: v",
            Quant(Quantifier::kCount, {"k", "v"}, Bin(B::kAdd, N("a"), N("b")), N("v")));
  CheckTree("(count x in xs: x.n > 0) == 2", Bin(B::kEq,
                                                 Quant(Quantifier::kCount, {"x"}, N("xs"),
                                                       Bin(B::kGt, Member(N("x"), "n"), Num("0"))),
                                                 Num("2")));
  CheckTree("f(any x in xs: x, none y in ys: y)",
            Call("f", Quant(Quantifier::kAny, {"x"}, N("xs"), N("x")),
                 Quant(Quantifier::kNone, {"y"}, N("ys"), N("y"))));
  CheckTree("[if a then 1 else 2]", List(If(N("a"), Num("1"), Num("2"))));
  CheckTree("{\"a\": all x in l: x}",
            Map(Str("a"), Quant(Quantifier::kAll, {"x"}, N("l"), N("x"))));
  CHECK(ParseExpr("1 + if a then b else c") == nullptr);
  CHECK(ParseExpr("not all x in l: x") == nullptr);
  // The collection is read at the additive level.
  CHECK(ParseExpr("all x in a == b: x") == nullptr);
}

TEST_CASE("comments run to the end of the line") {
  CheckTree("a + # plus\n b # done", Bin(B::kAdd, N("a"), N("b")));
  CheckTree("\"#not a comment\"", Str("#not a comment"));
}

TEST_CASE("spans are byte offsets of the text") {
  std::string text = "  foo.bar + f(x)[0]";
  SourceFile source("s.policy", text);
  ExprPtr e = ParseExpression(source).expr;
  REQUIRE(e);
  auto slice = [&](Span s) { return text.substr(s.begin, s.end - s.begin); };
  CHECK(slice(e->span) == "foo.bar + f(x)[0]");
  const Expr& member = *e->args[0];
  CHECK(slice(member.span) == "foo.bar");
  CHECK(slice(member.name_span) == "bar");
  CHECK(slice(member.args[0]->span) == "foo");
  const Expr& index = *e->args[1];
  CHECK(slice(index.span) == "f(x)[0]");
  const Expr& call = *index.args[0];
  CHECK(slice(call.span) == "f(x)");
  CHECK(slice(call.name_span) == "f");
  CHECK(slice(call.args[0]->span) == "x");

  std::string q = "all k, v in m: v";
  SourceFile qs("q.policy", q);
  ExprPtr qe = ParseExpression(qs).expr;
  REQUIRE(qe);
  CHECK(q.substr(qe->span.begin, qe->span.end - qe->span.begin) == q);
  REQUIRE(qe->names.size() == 2);
  CHECK(qe->names[1].span.begin == 7);
  CHECK(qe->names[1].span.end == 8);

  std::string n = "-x * \"s\"";
  SourceFile ns("n.policy", n);
  ExprPtr ne = ParseExpression(ns).expr;
  REQUIRE(ne);
  CHECK(ne->args[0]->span.begin == 0);
  CHECK(ne->args[0]->span.end == 2);
  CHECK(ne->args[1]->span.begin == 5);
  CHECK(ne->args[1]->span.end == 8);
}

TEST_CASE("operator chains parse in a loop, and their tree height is bounded") {
  std::string chain = "a";
  for (int i = 0; i < 300; ++i) chain += " ?? a";
  std::string nots;
  for (int i = 0; i < 300; ++i) nots += "not ";
  ExprPtr e = ParseExpr(nots + chain + " implies b");
  REQUIRE(e);
  CHECK(e->kind == ExprKind::kBinary);
  CHECK(e->op == BinaryOp::kImplies);
  CHECK(e->args[0]->kind == ExprKind::kNot);

  // 100 000 operators would make a tree too deep to destroy recursively.
  std::string hostile = "a";
  for (int i = 0; i < 100000; ++i) hostile += "+a";
  SourceFile source("h.policy", hostile);
  ExprParseResult r = ParseExpression(source);
  CHECK(r.expr == nullptr);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == "syntax.too_deep");
  std::string ands;
  for (int i = 0; i < 100000; ++i) ands += "not ";
  SourceFile nsource("n.policy", ands + "a");
  ExprParseResult nr = ParseExpression(nsource);
  REQUIRE(nr.diagnostics.size() == 1);
  CHECK(nr.diagnostics[0].code == "syntax.too_deep");
}

}  // namespace
}  // namespace policy::syntax
