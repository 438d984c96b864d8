#include "builtin_test_util.h"

using namespace policy;
using policy::eval::testing::Runner;

TEST_CASE("bytes reads compose byte values, 1024-based") {
  Runner r;
  CHECK(r.Text("bytes", {r.S("512m")}) == "536870912");
  CHECK(r.Text("bytes", {r.S("512M")}) == "536870912");
  CHECK(r.Text("bytes", {r.S("1G")}) == "1073741824");
  CHECK(r.Text("bytes", {r.S("1gb")}) == "1073741824");
  CHECK(r.Text("bytes", {r.S("1GiB")}) == "1073741824");
  CHECK(r.Text("bytes", {r.S("1.5gb")}) == "1610612736");
  CHECK(r.Text("bytes", {r.S("100k")}) == "102400");
  CHECK(r.Text("bytes", {r.S("100 kB")}) == "102400");
  CHECK(r.Text("bytes", {r.S("1.5k")}) == "1536");
  CHECK(r.Text("bytes", {r.S("0.3k")}) == "307");  // truncated, as Docker does
  CHECK(r.Text("bytes", {r.S("2t")}) == "2199023255552");
  CHECK(r.Text("bytes", {r.S("1p")}) == "1125899906842624");
  CHECK(r.Text("bytes", {r.S("300b")}) == "300");
  CHECK(r.Text("bytes", {r.S("300")}) == "300");
  CHECK(r.Text("bytes", {r.S("0")}) == "0");
  CHECK(r.Text("bytes", {r.N("1048576")}) == "1048576");
  CHECK(r.Text("bytes", {r.N("1024.0")}) == "1024");
}

TEST_CASE("bytes: anything else is null") {
  Runner r;
  for (const char* bad : {"", " ", "m", "-1g", "+1g", "1x", "1ki", "1bb", "1ib", "1gbb", "1.g",
                          ".5g", "1..5g", "${MEM_LIMIT}", "1  g", "1g ", " 1g", "1e3", "１g"}) {
    CHECK_MESSAGE(r.Text("bytes", {r.S(bad)}) == "null", bad);
  }
  CHECK(r.Text("bytes", {r.N("1.5")}) == "null");
  CHECK(r.Text("bytes", {r.N("-1")}) == "null");
  CHECK(r.Text("bytes", {Value::Null()}) == "null");
  // Too large for 38 digits is not a size either.
  CHECK(r.Text("bytes", {r.S("99999999999999999999999999999999999p")}) == "null");
  CHECK(r.Text("bytes", {Value::Bool(true)}) == "error type.mismatch");
  CHECK(r.Text("bytes", {r.L({})}) == "error type.mismatch");
}

TEST_CASE("find_cycle over name -> list of names") {
  Runner r;
  Value acyclic = r.M({{"a", r.L({r.S("b"), r.S("c")})}, {"b", r.L({r.S("c")})}, {"c", r.L({})}});
  CHECK(r.Text("find_cycle", {acyclic}) == "null");
  Value cyclic = r.M({{"a", r.L({r.S("b")})}, {"b", r.L({r.S("c")})}, {"c", r.L({r.S("a")})}});
  CHECK(r.Text("find_cycle", {cyclic}) == "[\"a\",\"b\",\"c\",\"a\"]");
  // The cycle starts where the search first meets it, not at the first node.
  Value tail = r.M({{"x", r.L({r.S("y")})}, {"y", r.L({r.S("z")})}, {"z", r.L({r.S("y")})}});
  CHECK(r.Text("find_cycle", {tail}) == "[\"y\",\"z\",\"y\"]");
  Value self = r.M({{"a", r.L({})}, {"b", r.L({r.S("b")})}});
  CHECK(r.Text("find_cycle", {self}) == "[\"b\",\"b\"]");
  // Unknown names and null edge lists are ignored; a diamond is not a cycle.
  Value diamond = r.M({{"a", r.L({r.S("b"), r.S("c"), r.S("ghost")})},
                       {"b", r.L({r.S("d")})},
                       {"c", r.L({r.S("d")})},
                       {"d", Value::Null()}});
  CHECK(r.Text("find_cycle", {diamond}) == "null");
  CHECK(r.Text("find_cycle", {r.M({})}) == "null");
  CHECK(r.Text("find_cycle", {Value::Null()}) == "null");
}

TEST_CASE("find_cycle with map edges and a key, as compose services") {
  Runner r;
  Value started = r.M({{"condition", r.S("service_started")}});
  Value services =
      r.M({{"web", r.M({{"image", r.S("nginx")}, {"depends_on", r.M({{"api", started}})}})},
           {"api", r.M({{"depends_on", r.M({{"db", started}, {"web", started}})}})},
           {"db", r.M({{"image", r.S("postgres")}})}});
  CHECK(r.Text("find_cycle", {services, r.S("depends_on")}) == "[\"web\",\"api\",\"web\"]");
  Value fine = r.M({{"web", r.M({{"depends_on", r.M({{"db", started}})}})}, {"db", r.M({})}});
  CHECK(r.Text("find_cycle", {fine, r.S("depends_on")}) == "null");
  // A node that is not a map has no edges under a key.
  CHECK(r.Text("find_cycle", {r.M({{"a", r.S("x")}}), r.S("depends_on")}) == "null");
}

TEST_CASE("find_cycle: a long chain does not recurse") {
  Runner r;
  std::vector<std::pair<std::string, Value>> chain;
  const int n = 20000;
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) names.push_back("n" + std::to_string(i));
  for (int i = 0; i < n; ++i) chain.push_back({names[i], r.L({r.S(names[(i + 1) % n])})});
  Value v = r.Call("find_cycle", {r.M(chain)});
  REQUIRE(v.is(Type::kList));
  CHECK(v.as_list().size() == static_cast<std::size_t>(n + 1));
}

TEST_CASE("find_cycle type errors") {
  Runner r;
  CHECK(r.Text("find_cycle", {r.L({})}) == "error type.mismatch");
  CHECK(r.Text("find_cycle", {r.M({{"a", r.S("b")}})}) == "error type.mismatch");
  CHECK(r.Text("find_cycle", {r.M({{"a", r.L({r.N("1")})}})}) == "error type.mismatch");
  CHECK(r.Text("find_cycle", {r.M({}), r.N("1")}) == "error type.mismatch");
}

TEST_CASE("is_quoted reads how a scalar was written") {
  Runner r;
  Value quoted = r.S("./data:/data");
  quoted.set_flags(Value::kQuoted);
  CHECK(r.Text("is_quoted", {quoted}) == "true");
  CHECK(r.Text("is_quoted", {r.S("./data:/data")}) == "false");
  Value number = r.N("8080");
  CHECK(r.Text("is_quoted", {number}) == "false");
  CHECK(r.Text("is_quoted", {Value::Null()}) == "false");
  Value list = r.L({});
  list.set_flags(Value::kQuoted);
  CHECK(r.Text("is_quoted", {list}) == "false");
}

TEST_CASE("leaves lists every scalar in document order with its location") {
  Runner r;
  Value located = r.Located("postgres://u:p@db/x", 7, 9);
  Value svc = r.M({{"image", r.S("app:1.2.3")},
                   {"environment", r.M({{"URL", located}, {"EMPTY", Value::Null()}})},
                   {"command", r.L({r.S("run"), r.N("2"), Value::Bool(true)})},
                   {"labels", r.M({})}});
  CHECK(r.Text("leaves", {svc}) == "[\"app:1.2.3\",\"postgres://u:p@db/x\",\"run\",2,true]");
  Value out = r.Call("leaves", {svc});
  REQUIRE(out.as_list().size() == 5);
  CHECK(out.as_list()[1].loc().line == 7);
  CHECK(out.as_list()[1].loc().column == 9);
  CHECK(r.Text("leaves", {r.S("x")}) == "[\"x\"]");
  CHECK(r.Text("leaves", {r.L({})}) == "[]");
  CHECK(r.Text("leaves", {Value::Null()}) == "null");
}
