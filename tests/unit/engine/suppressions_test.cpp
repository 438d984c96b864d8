#include "libpolicy/run/suppressions.h"

#include <doctest/doctest.h>

using policy::run::FindDirective;
using policy::run::ParseDirectives;

TEST_CASE("suppressions: line, line above, ids and tags, reasons") {
  auto d = ParseDirectives(
      "services:\n"
      "  a:\n"
      "    # policy-check: ignore RDY-IMG-001,RDY-IMG-002 -- pinned by digest\n"
      "    image: a:latest\n"
      "    user: root  # policy-check: ignore privileges\n");
  REQUIRE(d.size() == 2);
  CHECK(d[0].line == 3);
  CHECK(d[0].column == 5);
  CHECK(d[0].ids == std::vector<std::string>{"RDY-IMG-001", "RDY-IMG-002"});
  CHECK(d[0].reason == "pinned by digest");
  CHECK(d[1].reason.empty());
  CHECK(FindDirective(d, "RDY-IMG-002", {}, 4) == &d[0]);
  CHECK(FindDirective(d, "RDY-IMG-002", {}, 5) == nullptr);  // two lines below: not covered
  CHECK(FindDirective(d, "RDY-PRV-001", {"privileges"}, 5) == &d[1]);
  CHECK(FindDirective(d, "RDY-PRV-001", {"network"}, 5) == nullptr);
}

TEST_CASE(
    "suppressions: ignore-file covers every line, block scalars and quotes hold no directives") {
  auto d = ParseDirectives(
      "# policy-check: ignore-file RDY-HLT-001 -- one-shot jobs\n"
      "services:\n"
      "  a:\n"
      "    command: |\n"
      "      echo hi  # policy-check: ignore RDY-IMG-001 -- inside a block scalar\n"
      "    environment:\n"
      "      NOTE: \"# policy-check: ignore RDY-SEC-001 -- in a quoted string\"\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].whole_file);
  CHECK(FindDirective(d, "RDY-HLT-001", {}, 500) == &d[0]);
  CHECK(FindDirective(d, "RDY-IMG-001", {}, 5) == nullptr);
}
