#include "builtin_test_util.h"

using namespace policy;
using policy::eval::testing::Runner;

TEST_CASE("keys and values keep map order") {
  Runner r;
  Value m = r.M({{"b", r.N("2")}, {"a", r.S("x")}});
  CHECK(r.Text("keys", {m}) == "[\"b\",\"a\"]");
  CHECK(r.Text("values", {m}) == "[2,\"x\"]");
  CHECK(r.Text("keys", {r.M({})}) == "[]");
  CHECK(r.Text("keys", {r.L({})}) == "error type.mismatch");
  CHECK(r.Text("values", {r.S("x")}) == "error type.mismatch");
}

TEST_CASE("has") {
  Runner r;
  Value m = r.M({{"traefik.enable", r.S("true")}, {"x", Value::Null()}});
  CHECK(r.Text("has", {m, r.S("traefik.enable")}) == "true");
  CHECK(r.Text("has", {m, r.S("x")}) == "true");  // present with a null value
  CHECK(r.Text("has", {m, r.S("y")}) == "false");
  CHECK(r.Text("has", {Value::Null(), r.S("y")}) == "false");
  CHECK(r.Text("has", {m, Value::Null()}) == "false");
  CHECK(r.Text("has", {r.L({}), r.S("y")}) == "error type.mismatch");
  CHECK(r.Text("has", {m, r.N("1")}) == "error type.mismatch");
}

TEST_CASE("sort elements of one type") {
  Runner r;
  CHECK(r.Text("sort", {r.L({r.N("3"), r.N("-1"), r.N("2.5")})}) == "[-1,2.5,3]");
  CHECK(r.Text("sort", {r.L({r.N("1.50"), r.N("1.5"), r.N("1")})}) == "[1,1.50,1.5]");
  CHECK(r.Text("sort", {r.L({r.S("b"), r.S("B"), r.S("a"), r.S("১")})}) ==
        "[\"B\",\"a\",\"b\",\"১\"]");
  CHECK(r.Text("sort", {r.L({r.D("2024-02-01"), r.D("2023-12-31")})}) ==
        "[\"2023-12-31\",\"2024-02-01\"]");
  CHECK(r.Text("sort", {r.L({})}) == "[]");
  CHECK(r.Text("sort", {r.L({r.N("1"), r.S("a")})}) == "error type.mismatch");
  CHECK(r.Text("sort", {r.L({r.N("1"), Value::Null()})}) == "error type.mismatch");
  CHECK(r.Text("sort", {r.L({Value::Bool(true)})}) == "error type.mismatch");
  CHECK(r.Text("sort", {r.S("ba")}) == "error type.mismatch");
}

TEST_CASE("unique keeps first occurrences in order") {
  Runner r;
  CHECK(r.Text("unique", {r.L({r.N("2"), r.N("1"), r.N("2.0"), r.N("3"), r.N("1")})}) == "[2,1,3]");
  CHECK(r.Text("unique", {r.L({r.S("a"), r.S("b"), r.S("a")})}) == "[\"a\",\"b\"]");
  CHECK(r.Text("unique", {r.L({r.S("1"), r.N("1"), Value::Null(), Value::Null()})}) ==
        "[\"1\",1,null]");
  Value m1 = r.M({{"a", r.N("1")}, {"b", r.N("2")}});
  Value m2 = r.M({{"b", r.N("2.0")}, {"a", r.N("1")}});
  CHECK(r.Text("unique", {r.L({m1, m2, r.L({r.N("1")}), r.L({r.N("1")})})}) ==
        "[{\"a\":1,\"b\":2},[1]]");
  CHECK(r.Text("unique", {r.L({})}) == "[]");
  CHECK(r.Text("unique", {r.M({})}) == "error type.mismatch");
}
