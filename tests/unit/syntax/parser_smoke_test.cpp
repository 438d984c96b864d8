#include <doctest/doctest.h>

#include "libpolicy/syntax/parser.h"

namespace policy::syntax {
TEST_CASE("smoke") {
  SourceFile src("a.policy", "param x: decimal = 1 + 2 * 3");
  ParseResult r = Parse(src);
  CHECK(r.diagnostics.empty());
  REQUIRE(r.module);
}
}  // namespace policy::syntax
