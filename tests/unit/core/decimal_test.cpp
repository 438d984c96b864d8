#include "libpolicy/decimal.h"

#include <doctest/doctest.h>

#include <string>

using policy::Decimal;
using policy::DecimalStatus;
using policy::Rounding;

namespace {

Decimal D(const char* text) {
  auto d = Decimal::Parse(text);
  REQUIRE_MESSAGE(d.has_value(), text);
  return *d;
}

std::string Str(const char* text) { return D(text).ToString(); }

std::string AddS(const char* a, const char* b) {
  Decimal out;
  REQUIRE(Decimal::Add(D(a), D(b), &out) == DecimalStatus::kOk);
  return out.ToString();
}
std::string SubS(const char* a, const char* b) {
  Decimal out;
  REQUIRE(Decimal::Sub(D(a), D(b), &out) == DecimalStatus::kOk);
  return out.ToString();
}
std::string MulS(const char* a, const char* b) {
  Decimal out;
  REQUIRE(Decimal::Mul(D(a), D(b), &out) == DecimalStatus::kOk);
  return out.ToString();
}
std::string DivS(const char* a, const char* b) {
  Decimal out;
  REQUIRE(Decimal::Div(D(a), D(b), &out) == DecimalStatus::kOk);
  return out.ToString();
}
std::string ModS(const char* a, const char* b) {
  Decimal out;
  REQUIRE(Decimal::Mod(D(a), D(b), &out) == DecimalStatus::kOk);
  return out.ToString();
}
std::string RoundS(const char* a, int n, Rounding mode = Rounding::kHalfAwayFromZero) {
  Decimal out;
  REQUIRE(D(a).Round(n, mode, &out) == DecimalStatus::kOk);
  return out.ToString();
}

}  // namespace

TEST_CASE("decimal: parse keeps the written scale") {
  CHECK(Str("1.50") == "1.50");
  CHECK(Str("15") == "15");
  CHECK(Str("-0.30") == "-0.30");
  CHECK(Str("+7") == "7");
  CHECK(Str(".5") == "0.5");
  CHECK(Str("5.") == "5");
  CHECK(Str("007.10") == "7.10");
  CHECK(Str("-0") == "0");
  CHECK(Str("0.000") == "0.000");
  CHECK(D("1.50").scale() == 2);
}

TEST_CASE("decimal: parse with exponents never goes through double") {
  CHECK(Str("1e3") == "1000");
  CHECK(Str("1.5E+2") == "150");
  CHECK(Str("25e-3") == "0.025");
  CHECK(Str("100e-2") == "1.00");
  CHECK(Str("0.1e1") == "1");
  CHECK(Str("1e37") == "10000000000000000000000000000000000000");
  CHECK(Str("0e400") == "0");
  // Trailing zeros beyond scale 38 are dropped exactly instead of failing.
  CHECK(Str("1.0000000000000000000000000000000000000000") ==
        "1.0000000000000000000000000000000000000");
}

TEST_CASE("decimal: parse rejects malformed or out of range text") {
  for (const char* bad :
       {"1,5", "",    "abc", "1e400", "1e-400", "-", "+",     ".",   "1..2", "1.2.3", "e5",
        "1e",  "1e+", " 1",  "1 ",    "0x10",   "١", "1_000", "--1", "inf",  "NaN"}) {
    CHECK_MESSAGE(!Decimal::Parse(bad).has_value(), bad);
  }
  // 38 significant digits fit, 39 do not.
  CHECK(Decimal::Parse("12345678901234567890123456789012345678").has_value());
  CHECK(!Decimal::Parse("123456789012345678901234567890123456789").has_value());
  CHECK(!Decimal::Parse("1.23456789012345678901234567890123456789").has_value());
  CHECK(!Decimal::Parse("1e38").has_value());
  CHECK(Decimal::Parse("99999999999999999999999999999999999999").has_value());
  // Scale 38 fits, scale 39 with a nonzero last digit does not.
  CHECK(Str("0.00000000000000000000000000000000000001") ==
        "0.00000000000000000000000000000000000001");
  CHECK(!Decimal::Parse("0.000000000000000000000000000000000000001").has_value());
}

TEST_CASE("decimal: rendering") {
  CHECK(Decimal::FromInt(-42).ToString() == "-42");
  CHECK(Decimal::FromParts(-3, 1).ToString() == "-0.3");
  CHECK(Decimal::FromParts(-30, 2).ToString() == "-0.30");
  CHECK(Decimal::FromParts(1500, 2).ToString() == "15.00");
  CHECK(Decimal::FromParts(1500, 2).ToCanonicalString() == "15");
  CHECK(Decimal::FromParts(150, 2).ToCanonicalString() == "1.5");
  CHECK(Decimal::FromParts(-150, 2).ToCanonicalString() == "-1.5");
  CHECK(Decimal::FromParts(0, 3).ToCanonicalString() == "0");
  CHECK(Decimal::FromParts(1, 38).ToString() == "0.00000000000000000000000000000000000001");
}

TEST_CASE("decimal: addition and subtraction keep the larger scale") {
  CHECK(AddS("0.1", "0.2") == "0.3");
  Decimal sum;
  REQUIRE(Decimal::Add(D("0.1"), D("0.2"), &sum) == DecimalStatus::kOk);
  CHECK(sum == D("0.3"));
  CHECK(AddS("1.5", "2.25") == "3.75");
  CHECK(AddS("1.50", "1") == "2.50");
  CHECK(AddS("-1.5", "1.5") == "0.0");
  CHECK(SubS("1", "1.25") == "-0.25");
  CHECK(SubS("-1", "-1.25") == "0.25");
  CHECK(SubS("10", "0.001") == "9.999");
  // Both operands near the limit: the sum needs 39 digits and has no fraction.
  Decimal out = Decimal::FromInt(7);
  CHECK(Decimal::Add(D("99999999999999999999999999999999999999"), D("1"), &out) ==
        DecimalStatus::kOverflow);
  CHECK(out == Decimal::FromInt(7));  // unchanged on error
  // `+` is exact: a sum that needs 39 digits is an overflow, never rounded.
  CHECK(Decimal::Add(D("10000000000000000000000000000000000000"), D("0.5"), &out) ==
        DecimalStatus::kOverflow);
  CHECK(Decimal::Add(D("1"), D("0.00000000000000000000000000000000000001"), &out) ==
        DecimalStatus::kOverflow);
  // Trailing fractional zeros may go: the value stays exact.
  CHECK(AddS("10000000000000000000000000000000000000", "0.0") ==
        "10000000000000000000000000000000000000");
}

TEST_CASE("decimal: multiplication adds scales and detects overflow") {
  CHECK(MulS("1.5", "2") == "3.0");
  CHECK(MulS("1.50", "0.2") == "0.300");
  CHECK(MulS("-2", "3") == "-6");
  CHECK(MulS("-2", "0") == "0");
  CHECK(MulS("100", "15") == "1500");
  Decimal out;
  CHECK(Decimal::Mul(D("1e30"), D("1e10"), &out) == DecimalStatus::kOverflow);
  CHECK(Decimal::Mul(D("99999999999999999999999999999999999999"),
                     D("99999999999999999999999999999999999999"),
                     &out) == DecimalStatus::kOverflow);
  // `*` is exact (LANGUAGE.md section 4): a product beyond scale 38 or 38 digits
  // that would lose a non-zero digit is an overflow, never rounded.
  CHECK(Decimal::Mul(D("0.00000000000000000001"), D("0.00000000000000000005"), &out) ==
        DecimalStatus::kOverflow);
  CHECK(Decimal::Mul(D("1234567890123456789.0123456789"), D("1000000000.000000001"), &out) ==
        DecimalStatus::kOverflow);
  // Trailing zeros beyond scale 38 go without loss.
  CHECK(MulS("0.10000000000000000000", "0.10000000000000000000") ==
        "0.01000000000000000000000000000000000000");
}

TEST_CASE("decimal: division") {
  CHECK(DivS("10", "4") == "2.5");
  CHECK(DivS("1", "3") == "0.3333333333333333333333333333");
  CHECK(DivS("2", "3") == "0.6666666666666666666666666667");
  CHECK(DivS("-2", "3") == "-0.6666666666666666666666666667");
  CHECK(DivS("6.00", "2") == "3.00");
  CHECK(DivS("1.00", "4") == "0.25");
  CHECK(DivS("1", "0.25") == "4");
  CHECK(DivS("15", "100") == "0.15");
  CHECK(DivS("0", "5") == "0");
  CHECK(DivS("100", "3") == "33.33333333333333333333333333");
  CHECK(DivS("1", "3000") == "0.0003333333333333333333333333333");
  CHECK(DivS("10000000000000000000000000000000", "3") == "3333333333333333333333333333333");
  Decimal out;
  CHECK(Decimal::Div(D("1"), D("0"), &out) == DecimalStatus::kDivisionByZero);
  CHECK(Decimal::Div(D("1e37"), D("0.001"), &out) == DecimalStatus::kOverflow);
  // 1/3 has 28 significant digits.
  REQUIRE(Decimal::Div(D("1"), D("3"), &out) == DecimalStatus::kOk);
  CHECK(out.scale() == 28);
}

TEST_CASE("decimal: modulo truncates with the dividend's sign") {
  CHECK(ModS("7", "3") == "1");
  CHECK(ModS("-7", "3") == "-1");
  CHECK(ModS("7", "-3") == "1");
  CHECK(ModS("7.5", "2") == "1.5");
  CHECK(ModS("1", "0.3") == "0.1");
  CHECK(ModS("99999999999999999999999999999999999999", "0.7") == "0.3");
  CHECK(ModS("0.5", "10000000000000000000000000000000000000") == "0.5");
  Decimal out;
  CHECK(Decimal::Mod(D("1"), D("0.0"), &out) == DecimalStatus::kDivisionByZero);
}

TEST_CASE("decimal: rounding") {
  CHECK(RoundS("2.345", 2) == "2.35");
  CHECK(RoundS("2.345", 2, Rounding::kHalfEven) == "2.34");
  CHECK(RoundS("2.355", 2, Rounding::kHalfEven) == "2.36");
  CHECK(RoundS("2.3451", 2, Rounding::kHalfEven) == "2.35");
  CHECK(RoundS("-2.345", 2) == "-2.35");
  CHECK(RoundS("-2.345", 2, Rounding::kHalfEven) == "-2.34");
  CHECK(RoundS("15", 2) == "15.00");
  CHECK(RoundS("2.5", 0) == "3");
  CHECK(RoundS("2.5", 0, Rounding::kHalfEven) == "2");
  CHECK(RoundS("1250", -2) == "1300");
  CHECK(RoundS("1250", -2, Rounding::kHalfEven) == "1200");
  CHECK(RoundS("0.4", 0) == "0");
  CHECK(RoundS("-0.4", 0) == "0");
  CHECK(RoundS("123", -38) == "0");
  CHECK(RoundS("0.00000000000000000000000000000000000001", 38) ==
        "0.00000000000000000000000000000000000001");
  Decimal out;
  CHECK(D("1").Round(39, Rounding::kHalfEven, &out) == DecimalStatus::kInvalid);
  CHECK(D("1").Round(-39, Rounding::kHalfEven, &out) == DecimalStatus::kInvalid);
  CHECK(D("99999999999999999999999999999999999999").Round(1, Rounding::kHalfEven, &out) ==
        DecimalStatus::kOverflow);
  CHECK(D("99999999999999999999999999999999999999").Round(-1, Rounding::kHalfAwayFromZero, &out) ==
        DecimalStatus::kOverflow);
}

TEST_CASE("decimal: comparison is by value") {
  CHECK(D("1.50") == D("1.5"));
  CHECK(D("0") == D("-0.00"));
  CHECK(D("1.49") < D("1.5"));
  CHECK(D("-2") < D("-1.5"));
  CHECK(D("-0.1") < D("0"));
  CHECK(D("99999999999999999999999999999999999999") >
        D("0.99999999999999999999999999999999999999"));
  CHECK(D("0.00000000000000000000000000000000000001") > D("0"));
  CHECK(D("1e10") == D("10000000000.0000"));
}

TEST_CASE("decimal: integers") {
  CHECK(D("3.00").IsInteger());
  CHECK(!D("3.01").IsInteger());
  CHECK(D("3.00").ToInt64() == 3);
  CHECK(D("-12").ToInt64() == -12);
  CHECK(!D("0.5").ToInt64().has_value());
  CHECK(!D("1e30").ToInt64().has_value());
  CHECK(D("9223372036854775807").ToInt64() == INT64_MAX);
  CHECK(!D("9223372036854775808").ToInt64().has_value());
}

TEST_CASE("decimal: money-sized operands on both sides of the 64-bit fast paths") {
  // |coefficient| <= 10^18 and scales at most 18 apart take the short route;
  // one digit more takes the 256-bit one. Both must give the same exact results.
  CHECK(AddS("1000000000000000000", "0.000000000000000001") ==
        "1000000000000000000.000000000000000001");
  CHECK(AddS("1000000000000000001", "0.000000000000000001") ==
        "1000000000000000001.000000000000000001");
  CHECK(AddS("1", "0.0000000000000000001") == "1.0000000000000000001");  // 19 apart
  CHECK(SubS("-999999999999999999.99", "0.01") == "-1000000000000000000.00");
  CHECK(SubS("5.00", "5") == "0.00");
  CHECK(SubS("-0.5", "-0.5") == "0.0");
  CHECK(MulS("999999999999999999", "999999999999999999") == "999999999999999998000000000000000001");
  CHECK(MulS("1000000000000000000", "1000000000000000000") ==
        "1000000000000000000000000000000000000");
  CHECK(MulS("-3070.55", "15") == "-46058.25");
  CHECK(MulS("-0.00", "7") == "0.00");
  CHECK(MulS("0.0000000000000000001", "0.0000000000000000001") ==
        "0.00000000000000000000000000000000000001");
  CHECK(D("1000000000000000000") > D("999999999999999999.999999999999999999"));
  CHECK(D("-0.000000000000000001") < D("0"));
  CHECK(D("12.50") == D("12.5"));
  CHECK(D("1000000000000000001") > D("1000000000000000000.9"));
  CHECK(RoundS("4605.825", 2) == "4605.83");
  CHECK(RoundS("-4605.825", 2) == "-4605.83");
  CHECK(RoundS("4605.825", 2, Rounding::kHalfEven) == "4605.82");
  CHECK(RoundS("18446744073709551615.5", 0) == "18446744073709551616");  // above 2^64
  CHECK(DivS("46058.2500", "100") == "460.5825");  // back to the preferred scale
  CHECK(DivS("460582500000000000000000", "100") == "4605825000000000000000");
}

TEST_CASE("decimal: 64-bit coefficients at the edge of overflow take the wide route") {
  // Coefficients that fit 64 bits are added, multiplied and divided by powers
  // of ten in 64 bits; a result that would overflow them must still be exact.
  CHECK(AddS("9223372036854775807", "1") == "9223372036854775808");
  CHECK(AddS("-9223372036854775808", "-1") == "-9223372036854775809");
  CHECK(AddS("92233720368547758.07", "0.01") == "92233720368547758.08");
  CHECK(SubS("-9223372036854775807", "2") == "-9223372036854775809");
  CHECK(SubS("9223372036854775807", "-1") == "9223372036854775808");
  CHECK(MulS("9223372036854775807", "2") == "18446744073709551614");
  CHECK(MulS("-4611686018427387904", "2") == "-9223372036854775808");
  CHECK(MulS("3037000500", "3037000500") == "9223372037000250000");
  CHECK(MulS("-9223372036854775808", "-1") == "9223372036854775808");
  CHECK(DivS("-9223372036854775808", "10") == "-922337203685477580.8");
  CHECK(DivS("9223372036854775807", "1000000000000000000") == "9.223372036854775807");
  CHECK(DivS("-690873.75", "100") == "-6908.7375");
  CHECK(DivS("1500", "100") == "15");        // trailing zeros go down to the preferred scale
  CHECK(DivS("1500.00", "100") == "15.00");  // but not below it
  CHECK(DivS("7", "1000") == "0.007");
  CHECK(DivS("7", "-100") == "-0.07");  // a negative divisor: the general route
  CHECK(DivS("7", "200") == "0.035");   // not a power of ten
  CHECK(D("-9223372036854775808") < D("9223372036854775807"));
  CHECK(D("1.05") > D("1.04"));
  CHECK(D("-1.05") < D("-1.04"));
}

TEST_CASE("decimal: rounding by 1 to 4 places on 64-bit coefficients, both modes") {
  // These take the constant-divisor route; the results are those of the
  // general one.
  CHECK(RoundS("4605.8250", 2) == "4605.83");
  CHECK(RoundS("4605.8249", 2) == "4605.82");
  CHECK(RoundS("-4605.8250", 2) == "-4605.83");
  CHECK(RoundS("4605.8250", 2, Rounding::kHalfEven) == "4605.82");
  CHECK(RoundS("4605.8350", 2, Rounding::kHalfEven) == "4605.84");
  CHECK(RoundS("-4605.8350", 2, Rounding::kHalfEven) == "-4605.84");
  CHECK(RoundS("0.05", 1) == "0.1");
  CHECK(RoundS("0.05", 0) == "0");
  CHECK(RoundS("0.5", 0) == "1");
  CHECK(RoundS("-0.5", 0) == "-1");
  CHECK(RoundS("0.5", 0, Rounding::kHalfEven) == "0");
  CHECK(RoundS("9223372036854775.807", 2) == "9223372036854775.81");
  CHECK(RoundS("-9223372036854775.808", 1) == "-9223372036854775.8");
  CHECK(RoundS("12.34567", 1) == "12.3");   // 4 places dropped
  CHECK(RoundS("12.34567", 2) == "12.35");  // 3
  CHECK(RoundS("12.345678", 1) == "12.3");  // 5: the general route
  CHECK(RoundS("12.95", 1) == "13.0");
}

TEST_CASE("decimal: division by a power of ten up to 10^18 and by larger divisors near it") {
  // The 64-bit power-of-ten path once stepped past 10^18 and overflowed (UBSan).
  CHECK(DivS("7", "1000000000000000000") == "0.000000000000000007");
  CHECK(DivS("5", "100") == "0.05");
  CHECK(DivS("9000000000000000000", "9000000000000000000") == "1");
  CHECK(DivS("1", "9223372036854775807").rfind("0.0000000000000000001", 0) == 0);
}
