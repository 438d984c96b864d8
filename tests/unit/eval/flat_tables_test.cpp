// The tables behind version 2's indexes and groups: FlatKeyTable (byte keys
// to positions, short keys inside their slot) and IntBitSet (count_distinct
// of whole numbers), at their edges: empty and long keys, keys that differ
// only past the inline head, growth, merges that overlap.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "libpolicy/eval/flat_key_table.h"
#include "libpolicy/eval/int_bit_set.h"

using policy::eval::FlatKeyTable;
using policy::eval::IntBitSet;

TEST_CASE("FlatKeyTable: finds what it holds, exactly, whatever the key's length") {
  FlatKeyTable t;
  CHECK_FALSE(t.Find("absent"));
  // Around the 19 inline bytes, and keys that share their first 19 bytes.
  const std::string head(19, 'k');
  const std::string keys[] = {
      "",         "a",        "s1234567890123",      head,
      head + "x", head + "y", std::string(300, 'z'), std::string("nul\0byte", 8)};
  uint32_t value = 0;
  for (const std::string& k : keys) {
    auto in = t.Insert(k, value);
    REQUIRE(in);
    CHECK(in->fresh);
    CHECK(in->value == value);
    ++value;
  }
  CHECK(t.size() == std::size(keys));
  for (uint32_t i = 0; i < std::size(keys); ++i) {
    CAPTURE(i);
    REQUIRE(t.Find(keys[i]));
    CHECK(*t.Find(keys[i]) == i);
    // Again: the first value stays.
    auto again = t.Insert(keys[i], 99);
    REQUIRE(again);
    CHECK_FALSE(again->fresh);
    CHECK(again->value == i);
  }
  CHECK_FALSE(t.Find(head + "z"));
  CHECK_FALSE(t.Find(std::string("nul\0bytE", 8)));
  CHECK_FALSE(t.Find(std::string(299, 'z')));
}

TEST_CASE("FlatKeyTable: growth keeps every key, ForEach sees each once, Clear empties") {
  FlatKeyTable t;
  size_t fresh = 0;
  for (uint32_t i = 0; i < 50000; ++i) {
    auto in = t.Insert("key-" + std::to_string(i), i);
    fresh += in && in->fresh;
  }
  CHECK(fresh == 50000);
  CHECK(t.size() == 50000);
  for (uint32_t i = 0; i < 50000; i += 997) CHECK(*t.Find("key-" + std::to_string(i)) == i);
  std::set<uint32_t> seen;
  t.ForEach([&](std::string_view k, uint32_t v) {
    CHECK(k == "key-" + std::to_string(v));
    seen.insert(v);
  });
  CHECK(seen.size() == 50000);
  t.Clear();
  CHECK(t.size() == 0);
  CHECK_FALSE(t.Find("key-1"));
}

TEST_CASE("IntBitSet: counts distinct values, across words and merges") {
  IntBitSet a, b;
  for (uint64_t n : {0ull, 63ull, 64ull, 64ull, 1000000ull, 999999999999999999ull}) a.Insert(n);
  CHECK(a.size() == 5);
  for (uint64_t n = 0; n < 200; ++n) b.Insert(n);
  CHECK(b.size() == 200);
  a.Merge(b);  // 0, 63 and 64 are in both
  CHECK(a.size() == 5 + 200 - 3);
  CHECK(b.size() == 0);
  a.Insert(150);  // already there
  CHECK(a.size() == 202);
}
