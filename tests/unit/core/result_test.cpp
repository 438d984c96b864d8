// Result<T>: a value or an Error with a code from the table and a place.
#include "libpolicy/result.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>

namespace {

using policy::DiagCode;
using policy::Error;
using policy::Result;

Result<int> Half(int n) {
  if (n % 2 != 0)
    return Error{DiagCode::kValueInvalid, std::to_string(n) + " is odd", "in.txt", 3, 7};
  return n / 2;
}

// Errors propagate across value types unchanged.
Result<std::string> HalfText(int n) {
  Result<int> h = Half(n);
  if (!h) return h.error();
  return std::to_string(*h);
}

Result<void> MustBePositive(int n) {
  if (n <= 0) return Error{DiagCode::kValueOutOfRange, "not positive"};
  return policy::Ok();
}

}  // namespace

TEST_CASE("result: a value") {
  Result<int> r = Half(8);
  REQUIRE(r.ok());
  CHECK(static_cast<bool>(r));
  CHECK(*r == 4);
  CHECK(r.value() == 4);
  *r = 5;
  CHECK(r.value() == 5);
}

TEST_CASE("result: an error keeps its code, message and place") {
  Result<int> r = Half(7);
  REQUIRE_FALSE(r.ok());
  CHECK_FALSE(static_cast<bool>(r));
  CHECK(r.error().code == DiagCode::kValueInvalid);
  CHECK(std::string(r.error().code_name()) == "value.invalid");
  CHECK(r.error().message == "7 is odd");
  CHECK(r.error().file == "in.txt");
  CHECK(r.error().line == 3);
  CHECK(r.error().column == 7);

  Result<std::string> text = HalfText(7);
  REQUIRE_FALSE(text.ok());
  CHECK(text.error().message == "7 is odd");
  CHECK(HalfText(10).value() == "5");
}

TEST_CASE("result: move-only values and moving the error out") {
  Result<std::unique_ptr<int>> p = std::make_unique<int>(42);
  REQUIRE(p.ok());
  CHECK(*p.value() == 42);
  CHECK(**p == 42);
  std::unique_ptr<int> taken = std::move(p).value();
  CHECK(*taken == 42);

  Result<std::unique_ptr<int>> failed = Error{DiagCode::kInputTooLarge, "big"};
  Error e = std::move(failed).error();
  CHECK(e.code == DiagCode::kInputTooLarge);
  CHECK(e.message == "big");
  CHECK(e.file.empty());
  CHECK(e.line == 0);
}

TEST_CASE("result: void") {
  CHECK(MustBePositive(1).ok());
  Result<void> r = MustBePositive(0);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == DiagCode::kValueOutOfRange);
  CHECK(std::string(r.error().code_name()) == "value.out_of_range");
}
