#pragma once
// The YAML 1.2 core schema for plain scalars (LANGUAGE.md section 3).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "libpolicy/value.h"

namespace policy::load {

// How a plain (unquoted, untagged) scalar reads: null, bool, decimal, or kString
// (the caller keeps the text). Numbers with more than 38 significant digits, or
// a scale outside 0..38, read as strings.
enum class PlainKind { kNull, kBool, kDecimal, kString };
struct PlainScalar {
  PlainKind kind = PlainKind::kString;
  bool b = false;
  Decimal d;
};
PlainScalar TypePlainScalar(std::string_view text);

// Decimal::Parse's reading of plain money text ([+-], 1 to 18 digits, one '.'),
// inline for record typing; false for anything else (Decimal::Parse's then).
inline bool ParsePlainDecimal(std::string_view s, Decimal* out) {
  std::size_t i = 0;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    i = 1;
  }
  if (i >= s.size() || s.size() - i > 19) return false;
  uint64_t v = 0;
  int digits = 0;
  int scale = -1;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      v = v * 10 + static_cast<uint64_t>(c - '0');
      ++digits;
      if (scale >= 0) ++scale;
    } else if (c == '.' && scale < 0) {
      scale = 0;
    } else {
      return false;
    }
  }
  if (digits == 0 || digits > 18) return false;
  const auto coefficient = static_cast<Int128>(v);
  *out = Decimal::FromParts(negative ? -coefficient : coefficient, scale < 0 ? 0 : scale);
  return true;
}

}  // namespace policy::load
