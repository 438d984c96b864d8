#include "libpolicy/load/scalar_typing_internal.h"

namespace policy::load {
namespace {

__extension__ typedef __int128 Int128;  // -Wpedantic: a GCC/Clang extension

// 0x1F / 0o17: exact conversion to a decimal, or nothing when it has more than
// 38 digits (it then reads as a string, like any other oversized number).
bool ParseRadix(std::string_view digits, int radix, Decimal* out) {
  if (digits.empty()) return false;
  constexpr Int128 kLimit = [] {
    Int128 p = 1;
    for (int i = 0; i < Decimal::kMaxDigits; ++i) p *= 10;
    return p;  // 10^38: the first value with 39 digits
  }();
  Int128 v = 0;
  for (char c : digits) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return false;
    }
    if (d >= radix) return false;
    // v * radix + d must stay below 10^38; tested before multiplying, as a v
    // just under the limit times 16 does not fit in 128 bits (found by fuzz_yaml).
    if (v > (kLimit - 1 - d) / radix) return false;
    v = v * radix + d;
  }
  *out = Decimal::FromParts(v, 0);
  return true;
}

bool MatchesCoreNumber(std::string_view s) {
  // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

}  // namespace

PlainScalar TypePlainScalar(std::string_view s) {
  PlainScalar r;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
    r.kind = PlainKind::kNull;
    return r;
  }
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
    r.kind = PlainKind::kBool;
    r.b = s[0] == 't' || s[0] == 'T';
    return r;
  }
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
    if (ParseRadix(s.substr(2), s[1] == 'x' ? 16 : 8, &r.d)) r.kind = PlainKind::kDecimal;
    return r;
  }
  if (MatchesCoreNumber(s)) {
    if (auto d = Decimal::Parse(s)) {
      r.kind = PlainKind::kDecimal;
      r.d = *d;
    }
  }
  return r;
}

}  // namespace policy::load
