// Inputs found by fuzz/fuzz_yaml.cpp that once misbehaved.
#include <doctest/doctest.h>

#include "libpolicy/load/loaders.h"

TEST_CASE("yaml: a stray flow token is an error, not endless empty documents") {
  policy::load::LoadLimits limits;
  auto r = policy::load::LoadYaml(",r", "stray.yaml", limits, false);
  REQUIRE(r.error.has_value());
  CHECK(r.error->line == 1);
  CHECK(r.error->file == "stray.yaml");
  CHECK(r.documents.empty());
}

TEST_CASE("yaml: separators still give as many documents as written") {
  policy::load::LoadLimits limits;
  auto r = policy::load::LoadYaml("a: 1\n---\nb: 2\n---\nc: 3\n", "three.yaml", limits, false);
  REQUIRE_FALSE(r.error.has_value());
  CHECK(r.documents.size() == 3);
}
