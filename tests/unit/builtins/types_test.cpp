#include <re2/re2.h>

#include "builtin_test_util.h"
#include "libpolicy/eval/builtins/support.h"

using namespace policy;
using policy::eval::testing::Runner;

TEST_CASE("type names every kind of value, null included") {
  Runner r;
  CHECK(r.Text("type", {Value::Null()}) == "\"null\"");
  CHECK(r.Text("type", {Value::Bool(true)}) == "\"bool\"");
  CHECK(r.Text("type", {r.N("1")}) == "\"decimal\"");
  CHECK(r.Text("type", {r.S("x")}) == "\"string\"");
  CHECK(r.Text("type", {r.D("2024-01-01")}) == "\"date\"");
  CHECK(r.Text("type", {r.L({})}) == "\"list\"");
  CHECK(r.Text("type", {r.M({})}) == "\"map\"");
}

TEST_CASE("decimal converts text as schemas do") {
  Runner r;
  CHECK(r.Text("decimal", {r.S("12.50")}) == "12.50");
  CHECK(r.Text("decimal", {r.S("  -3 ")}) == "-3");
  CHECK(r.Text("decimal", {r.S("\xE0\xA7\xA7\xE0\xA7\xA8.\xE0\xA7\xAB")}) == "12.5");  // ১২.৫
  CHECK(r.Text("decimal", {r.S("1e3")}) == "1000");
  CHECK(r.Text("decimal", {r.S(".5")}) == "0.5");
  CHECK(r.Text("decimal", {r.S("12,5")}) == "null");
  CHECK(r.Text("decimal", {r.S("")}) == "null");
  CHECK(r.Text("decimal", {r.S("abc")}) == "null");
  CHECK(r.Text("decimal", {r.S("1e400")}) == "null");
  CHECK(r.Text("decimal", {r.N("7.0")}) == "7.0");
  CHECK(r.Text("decimal", {Value::Null()}) == "null");
  CHECK(r.Text("decimal", {Value::Bool(true)}) == "error type.mismatch");
  CHECK(r.ctx.error.message.find("decimal()") != std::string::npos);
}

TEST_CASE("string renders like interpolation") {
  Runner r;
  CHECK(r.Text("string", {r.N("15.00")}) == "\"15.00\"");
  CHECK(r.Text("string", {Value::Bool(false)}) == "\"false\"");
  CHECK(r.Text("string", {r.D("2024-07-01")}) == "\"2024-07-01\"");
  CHECK(r.Text("string", {r.L({r.S("a"), r.N("1.50")})}) == "\"[\\\"a\\\",1.50]\"");
  CHECK(r.Text("string", {r.S("as is")}) == "\"as is\"");
}

TEST_CASE("date parses ISO text and patterns") {
  Runner r;
  CHECK(r.Text("date", {r.S("2024-07-01")}) == "\"2024-07-01\"");
  CHECK(r.Text("date", {r.S(" 2024-07-01\t")}) == "\"2024-07-01\"");
  CHECK(r.Text("date", {r.S("\xE0\xA7\xA8\xE0\xA7\xA6\xE0\xA7\xA8\xE0\xA7\xAA-07-01")}) ==
        "\"2024-07-01\"");
  CHECK(r.Text("date", {r.S("2024-02-30")}) == "null");
  CHECK(r.Text("date", {r.S("01/07/2024")}) == "null");
  CHECK(r.Text("date", {r.S("01/07/2024"), r.S("DD/MM/YYYY")}) == "\"2024-07-01\"");
  CHECK(r.Text("date", {r.S("31/02/2024"), r.S("DD/MM/YYYY")}) == "null");
  CHECK(r.Text("date", {r.S("01/07/2024"), r.S("DD/MM/YY")}) == "error value.invalid");
  CHECK(r.Text("date", {r.S("01/07/2024"), r.N("1")}) == "error type.mismatch");
  CHECK(r.Text("date", {r.D("2024-01-01")}) == "\"2024-01-01\"");
  CHECK(r.Text("date", {r.N("20240101")}) == "error type.mismatch");
  CHECK(r.Text("date", {Value::Null()}) == "null");
}

TEST_CASE("ParseBengaliDigits (schema typing) reads what it takes as decimal() does") {
  Runner r;
  auto check = [&](const std::string& s) {
    Decimal d;
    if (!eval::ParseBengaliDigits(s, &d)) return false;
    INFO("text: '", s, "'");
    const Value b = r.Call("decimal", {Value::String(s)});
    REQUIRE(b.is(Type::kDecimal));
    CHECK(b.as_decimal().ToString() == d.ToString());
    CHECK(b.as_decimal().scale() == d.scale());
    return true;
  };
  const std::string digits[] = {"০", "১", "২", "৩", "৪", "৫", "৬", "৭", "৮", "৯"};
  CHECK(check("১২"));
  CHECK(check("০০৭"));
  CHECK(check("১২.৫০"));
  CHECK(check("১2.5"));
  CHECK(check("৯৯৯৯৯৯৯৯৯৯৯৯৯৯৯৯৯৯"));
  CHECK(!check("১৯৯৯৯৯৯৯৯৯৯৯৯৯৯৯৯৯৯"));  // 19 digits: left to decimal()
  CHECK(!check(" ১২"));
  CHECK(!check("১২ "));
  CHECK(!check("-১২"));
  CHECK(!check("১,২"));
  CHECK(!check("১..২"));
  CHECK(!check("٣"));             // Arabic-Indic: left to decimal()
  CHECK(!check("\xE0\xA7\xB0"));  // U+09F0 is not a digit
  CHECK(!check("৪৩\xE0\xA7"));    // cut short
  for (int i = 0; i < 10; ++i) {
    CHECK(check(digits[i]));
    CHECK(check(digits[i] + "." + digits[9 - i]));
    CHECK(check("7" + digits[i] + "0"));
  }
  // Every byte after E0 A7: exactly the ten digits are taken.
  int taken = 0;
  for (int c = 0; c < 256; ++c)
    taken += check(std::string("\xE0\xA7") + static_cast<char>(c)) ? 1 : 0;
  CHECK(taken == 10);
}
