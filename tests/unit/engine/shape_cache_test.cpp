// eval::ShapeCache: values by record shape, the oldest replaced.
#include "libpolicy/eval/shape_cache.h"

#include <doctest/doctest.h>

#include <string>

using policy::eval::ShapeCache;

TEST_CASE("shape cache: a claimed shape is found, others are not") {
  ShapeCache<std::string, 4> cache;
  CHECK(cache.Find(7) == nullptr);
  cache.Claim(7) = "seven";
  REQUIRE(cache.Find(7) != nullptr);
  CHECK(*cache.Find(7) == "seven");
  CHECK(cache.Find(8) == nullptr);
}

TEST_CASE("shape cache: shape 0 is never cached") {
  ShapeCache<int, 2> cache;
  CHECK(cache.Find(0) == nullptr);  // entries start with shape 0
  cache.Claim(5) = 1;
  CHECK(cache.Find(0) == nullptr);
}

TEST_CASE("shape cache: a new shape takes the oldest entry, whose value it gets") {
  ShapeCache<int, 2> cache;
  cache.Claim(1) = 10;
  cache.Claim(2) = 20;
  CHECK(cache.Find(1) != nullptr);  // finding does not make an entry younger
  int& third = cache.Claim(3);
  CHECK(third == 10);  // shape 1's value, for the caller to flush or reset
  third = 30;
  CHECK(cache.Find(1) == nullptr);
  REQUIRE(cache.Find(2) != nullptr);
  CHECK(*cache.Find(2) == 20);
  REQUIRE(cache.Find(3) != nullptr);
  CHECK(*cache.Find(3) == 30);
}

TEST_CASE("shape cache: a forgotten shape is not found, its entry is reused in turn") {
  ShapeCache<int, 2> cache;
  cache.Claim(1) = 10;
  cache.Forget(1);
  CHECK(cache.Find(1) == nullptr);
  cache.Claim(2) = 20;
  cache.Claim(3) = 30;  // the entry shape 1 had
  CHECK(cache.Find(2) != nullptr);
  CHECK(cache.Find(3) != nullptr);
}

TEST_CASE("shape cache: ForEach visits every entry, cached or not") {
  ShapeCache<int, 3> cache;
  cache.Claim(1) = 1;
  cache.Claim(2) = 2;
  cache.Forget(2);
  int sum = 0, visits = 0;
  cache.ForEach([&](int v) {
    sum += v;
    ++visits;
  });
  CHECK(visits == 3);
  CHECK(sum == 3);
}
