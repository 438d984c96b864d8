#include <unicode/uchar.h>

#include "builtin_test_util.h"
#include "libpolicy/eval/builtins/support.h"

using namespace policy;
using policy::eval::testing::Runner;

TEST_CASE("normalize_digits turns every Nd digit into ASCII") {
  Runner r;
  CHECK(r.Text("normalize_digits", {r.S("০১৭১১")}) == "\"01711\"");
  CHECK(r.Text("normalize_digits", {r.S("০১২৩৪৫৬৭৮৯")}) == "\"0123456789\"");
  CHECK(r.Text("normalize_digits", {r.S("٠١٢٣")}) == "\"0123\"");  // Arabic-Indic
  CHECK(r.Text("normalize_digits", {r.S("०९")}) == "\"09\"");      // Devanagari
  CHECK(r.Text("normalize_digits", {r.S("１２")}) == "\"12\"");    // fullwidth
  CHECK(r.Text("normalize_digits", {r.S("TIN: ১২-৩")}) == "\"TIN: 12-3\"");
  CHECK(r.Text("normalize_digits", {r.S("½ ²")}) == "\"½ ²\"");  // not Nd
  CHECK(r.Text("normalize_digits", {r.S("abc")}) == "\"abc\"");
  CHECK(r.Text("normalize_digits", {r.N("1")}) == "error type.mismatch");
  Value out = r.Call("normalize_digits", {r.Located("১", 5, 6)});
  CHECK(out.as_string() == "1");
  CHECK(out.loc().line == 5);
}

TEST_CASE("digits_only removes separators and white space only") {
  Runner r;
  CHECK(r.Text("digits_only", {r.S("+880 (171) 123-45.67/8")}) ==
        "\"+8801711234567"
        "8\"");
  CHECK(r.Text("digits_only", {r.S("01\xE2\x80\x8B"
                                   "7\xEF\xBB\xBF"
                                   "1\xC2\xA0"
                                   "1")}) == "\"01711\"");
  CHECK(r.Text("digits_only", {r.S("12a_b")}) == "\"12a_b\"");
  CHECK(r.Text("digits_only", {r.S("১-২")}) == "\"১২\"");
  Value out = r.Call("digits_only", {r.Located("1 2", 8, 1)});
  CHECK(out.as_string() == "12");
  CHECK(out.loc().line == 8);
}

TEST_CASE("is_bengali and is_nfc") {
  Runner r;
  CHECK(r.Text("is_bengali", {r.S("abc ১")}) == "true");
  CHECK(r.Text("is_bengali", {r.S("abc")}) == "false");
  CHECK(r.Text("is_bengali", {Value::Null()}) == "false");
  CHECK(r.Text("is_nfc", {r.S("caf\xC3\xA9")}) == "true");    // precomposed é
  CHECK(r.Text("is_nfc", {r.S("cafe\xCC\x81")}) == "false");  // e + combining acute
  CHECK(r.Text("is_nfc", {r.S("")}) == "true");
  CHECK(r.Text("is_nfc", {Value::Null()}) == "false");
  CHECK(r.Text("is_nfc", {r.N("1")}) == "error type.mismatch");
}

TEST_CASE("entropy in bits per code point, six places") {
  Runner r;
  CHECK(r.Text("entropy", {r.S("")}) == "0.000000");
  CHECK(r.Text("entropy", {r.S("aaaa")}) == "0.000000");
  CHECK(r.Text("entropy", {r.S("ab")}) == "1.000000");
  CHECK(r.Text("entropy", {r.S("abcd")}) == "2.000000");
  CHECK(r.Text("entropy", {r.S("aab")}) == "0.918296");
  CHECK(r.Text("entropy", {r.S("০১")}) == "1.000000");  // code points, not bytes
  CHECK(r.Text("entropy", {Value::Bool(true)}) == "error type.mismatch");
}

TEST_CASE("redact keeps two code points of long secrets") {
  Runner r;
  CHECK(r.Text("redact", {r.S("SuperS3cretValue")}) == "\"Su****\"");
  CHECK(r.Text("redact", {r.S("hunter2")}) == "\"****\"");
  CHECK(r.Text("redact", {r.S("12345678")}) == "\"12****\"");
  CHECK(r.Text("redact", {r.S("")}) == "\"****\"");
  CHECK(r.Text("redact", {r.S("পাসওয়ার্ড১২৩")}) == "\"পা****\"");
}

TEST_CASE("is_interpolated finds unescaped references") {
  Runner r;
  for (const char* yes : {"${DB_PASSWORD}", "$DB_PASSWORD", "pre-${X:-d}-post", "$$ then $X",
                          "${X:?required}", "${X-}", "${X+alt}"}) {
    CHECK_MESSAGE(r.Text("is_interpolated", {r.S(yes)}) == "true", yes);
  }
  for (const char* no : {"plain", "$$X", "$${X}", "cost: 5$", "$1", "${", "${X", "${1}", "$", ""}) {
    CHECK_MESSAGE(r.Text("is_interpolated", {r.S(no)}) == "false", no);
  }
  CHECK(r.Text("is_interpolated", {Value::Null()}) == "false");
  CHECK(r.Text("is_interpolated", {r.N("1")}) == "error type.mismatch");
}

TEST_CASE("interpolation_default gives the first reference's default") {
  Runner r;
  CHECK(r.Text("interpolation_default", {r.S("${PASS:-changeme}")}) == "\"changeme\"");
  CHECK(r.Text("interpolation_default", {r.S("${PASS-changeme}")}) == "\"changeme\"");
  CHECK(r.Text("interpolation_default", {r.S("${PASS:-}")}) == "\"\"");
  CHECK(r.Text("interpolation_default", {r.S("x ${A:-${B:-y}} z")}) == "\"${B:-y}\"");
  CHECK(r.Text("interpolation_default", {r.S("${PASS}")}) == "null");
  CHECK(r.Text("interpolation_default", {r.S("${PASS:?must be set}")}) == "null");
  CHECK(r.Text("interpolation_default", {r.S("${PASS:+alt}")}) == "null");
  CHECK(r.Text("interpolation_default", {r.S("$A ${B:-x}")}) == "null");
  CHECK(r.Text("interpolation_default", {r.S("$${A:-x} ${B:-y}")}) == "\"y\"");
  CHECK(r.Text("interpolation_default", {r.S("plain")}) == "null");
}

TEST_CASE("IsAsciiText: a non-ASCII byte anywhere, at every length") {
  for (std::size_t n = 0; n <= 24; ++n) {
    std::string s(n, 'a');
    CHECK(policy::eval::IsAsciiText(s));
    for (std::size_t at = 0; at < n; ++at) {
      std::string t = s;
      t[at] = static_cast<char>(0xE0);
      const std::string what = std::to_string(n) + "/" + std::to_string(at);
      CHECK_MESSAGE(!policy::eval::IsAsciiText(t), what);
    }
  }
}

TEST_CASE("IsAsciiDigits: every byte value at every position, at every length") {
  // Words of 8 bytes are tested at once: a byte just outside '0'..'9' or with
  // its high bit set must be found wherever it is, overlapping tail included.
  std::string first_wrong;
  int wrong = 0;
  for (std::size_t n = 0; n <= 20; ++n) {
    const std::string digits(n, '7');
    CHECK(policy::eval::IsAsciiDigits(digits));
    for (std::size_t at = 0; at < n; ++at) {
      for (int byte = 0; byte < 256; ++byte) {
        std::string t = digits;
        t[at] = static_cast<char>(byte);
        const bool digit = byte >= '0' && byte <= '9';
        if (policy::eval::IsAsciiDigits(t) == digit) continue;
        if (wrong++ == 0)
          first_wrong = std::to_string(n) + "/" + std::to_string(at) + "/" + std::to_string(byte);
      }
    }
  }
  CHECK_MESSAGE(wrong == 0, first_wrong);
}

TEST_CASE("IsUnicodeSpace: ICU's White_Space property, for every code point") {
  int mismatches = 0;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp)
    if ((u_isUWhiteSpace(static_cast<UChar32>(cp)) != 0) != policy::eval::IsUnicodeSpace(cp))
      ++mismatches;
  CHECK(mismatches == 0);
}

TEST_CASE("IsBlank: what trim leaves nothing of") {
  for (const char* s : {"", " ", "\t\n", "\xe3\x80\x80", " \xc2\xa0 ", "a", " a ", "\xe0\xa6\x95",
                        " \xe3\x80\x80x", "x\xe3\x80\x80"})
    CHECK(policy::eval::IsBlank(s) == policy::eval::TrimUnicode(s).empty());
}
