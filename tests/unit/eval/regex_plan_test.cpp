// RegexPlan decides some matches without RE2; where it decides, it must agree
// with RE2 on every subject, and it must decline patterns it cannot read.
#include "libpolicy/eval/regex_plan.h"

#include <doctest/doctest.h>
#include <re2/re2.h>

using policy::eval::RegexPlan;

namespace {

const char* const kSubjects[] = {
    "",
    "0",
    "1234567890",
    "123456789012",
    "1234567890123",
    "123456789",
    "12345678901",
    "01712345678",
    "01212345678",
    "+8801712345678",
    "0171234567",
    "2024-25",
    "2024-2025",
    "2024-2",
    "abc",
    "ABC",
    "a-b",
    "]",
    "x]",
    "1234\xe0\xa7\xa8",  // a Bengali digit
    "ab\u200Bcd",        // U+200B
    "\xef\xbb\xbf",      // U+FEFF
    "12 34",
    "12\n",
    "\n12",
    // Digit runs are tested 8 bytes at a time: the bytes either side of '0'..'9'
    // (/ and :), a high byte, at the start, inside and at the end of a run.
    "0000000000000",
    "9999999999999",
    "/234567890123",
    "123456:890123",
    "123456789012:",
    "12345678\200123",  // \200 (octal): a high byte inside the run
    "1234567890123\xff",
    "123456789/12",
};

void Agrees(const std::string& pattern) {
  RE2 re(pattern);
  REQUIRE(re.ok());
  RegexPlan plan = RegexPlan::For(pattern);
  for (const char* s : kSubjects) {
    std::optional<bool> decided = plan.Match(s);
    const std::string what = pattern + " on " + s;
    if (decided) CHECK_MESSAGE(*decided == RE2::PartialMatch(s, re), what);
  }
}

}  // namespace

TEST_CASE("regex plans: anchored class patterns are matched without RE2, exactly") {
  const char* const simple[] = {
      "^[0-9]{13}$",
      "^[0-9]{12}$",
      "^([0-9]{9}|[0-9]{11})$",
      "^([0-9]{10}|[0-9]{13}|[0-9]{17})$",
      "^[0-9]{10,17}$",
      "^01[3-9][0-9]{8}$",
      "^0[2-9][0-9]{7,9}$",
      "^[0-9]{4}-([0-9]{2}|[0-9]{4})$",
      "^(?:ab|a-b)$",
      "^\\d+$",
      "^[]x]*$",
      "^[a-]b*$",
      "^$",
      "^a\\.b$",
  };
  for (const char* p : simple) {
    const std::string what = p;
    CHECK_MESSAGE(RegexPlan::For(p).is_simple(), what);
    Agrees(p);
  }
  // The plan answers for every subject.
  RegexPlan bin = RegexPlan::For("^[0-9]{13}$");
  CHECK(bin.Match("1234567890123") == std::optional<bool>(true));
  CHECK(bin.Match("123456789012") == std::optional<bool>(false));
  CHECK(bin.Match("123456789012\xe0\xa7\xa8") == std::optional<bool>(false));
}

TEST_CASE("regex plans: what the plan cannot read is left to RE2") {
  const char* const others[] = {
      "[0-9]{13}",   // not anchored
      "^[0-9]{13}",  // not anchored at the end
      "^a*b$",       // a variable count before the end
      "^[^0-9]+$",   // negated class
      "^.{3}$",      // any character: code points, not bytes
      "(?i)^abc$",   // flags
      "^\\w+$",      // class escapes other than \d
      "^(ab)+$",     // repeated group
      "^a|b$",       // anchors inside alternatives
      "^[\\x{0980}-\\x{09FF}]+$",
      "^abc\\$",
  };
  for (const char* p : others) {
    const std::string what = p;
    CHECK_MESSAGE(!RegexPlan::For(p).is_simple(), what);
    Agrees(p);
  }
}

TEST_CASE("regex plans: patterns that need a non-ASCII character skip ASCII text") {
  RegexPlan zw = RegexPlan::For("[\\x{200B}-\\x{200D}\\x{FEFF}]");
  CHECK(zw.needs_non_ascii());
  CHECK(zw.Match("plain ascii text") == std::optional<bool>(false));
  CHECK_FALSE(zw.Match("ab\u200Bcd").has_value());  // RE2 decides
  Agrees("[\\x{200B}-\\x{200D}\\x{FEFF}]");
  Agrees("[\\x{0980}-\\x{09FF}]");
  // An ASCII alternative, or an optional non-ASCII part, must not be skipped.
  CHECK_FALSE(RegexPlan::For("[\\x{200B}a]").needs_non_ascii());
  CHECK_FALSE(RegexPlan::For("x[\\x{200B}]?").needs_non_ascii());
  CHECK_FALSE(RegexPlan::For("abc").needs_non_ascii());
  Agrees("[\\x{200B}a]");
  Agrees("x[\\x{200B}]?");
}
