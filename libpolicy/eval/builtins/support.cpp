#include "libpolicy/eval/builtins/support.h"

#include <fmt/format.h>
#include <unicode/uchar.h>

#include <cstring>

namespace policy::eval {

Value Mismatch(CallContext& ctx, std::string_view fn, std::size_t index, std::string_view want,
               const Value& got) {
  return ctx.Fail(DiagCode::kTypeMismatch, fmt::format("{}(): argument {} must be {}, got {}", fn,
                                                       index + 1, want, TypeName(got.type())));
}

Value Invalid(CallContext& ctx, std::string_view fn, std::string_view message, DiagCode code) {
  return ctx.Fail(code, fmt::format("{}(): {}", fn, message));
}

DiagCode DecimalErrorCode(DecimalStatus status) {
  switch (status) {
    case DecimalStatus::kOverflow:
      return DiagCode::kDecimalOverflow;
    case DecimalStatus::kDivisionByZero:
      return DiagCode::kDecimalDivisionByZero;
    case DecimalStatus::kOk:
    case DecimalStatus::kInvalid:
      break;
  }
  return DiagCode::kValueInvalid;
}

bool IsAsciiText(std::string_view s) {
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  const char* p = s.data();
  const std::size_t n = s.size();
  uint64_t word = 0;
  if (n >= 8) {
    uint64_t any = 0;
    for (std::size_t i = 0; i + 8 <= n; i += 8) {
      std::memcpy(&word, p + i, 8);
      any |= word;
    }
    std::memcpy(&word, p + n - 8, 8);  // the tail, overlapping what was read
    return ((any | word) & kHigh) == 0;
  }
  if (n >= 4) {
    uint32_t a = 0, b = 0;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    return ((a | b) & 0x80808080u) == 0;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (static_cast<unsigned char>(p[i]) >= 0x80) return false;
  return true;
}

bool IsAsciiDigits(std::string_view s) {
  // A byte is a digit when it is >= '0' and < '0' + 10: per byte, neither
  // (b - '0') nor (b + 0x46) may carry into its high bit (0x46 = 0x80 - ('9' + 1)).
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  auto digits = [](uint64_t w) {
    return (((w - kOnes * '0') | (w + kOnes * 0x46) | w) & kHigh) == 0;
  };
  const char* p = s.data();
  const std::size_t n = s.size();
  uint64_t word = 0;
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 <= n; i += 8) {
      std::memcpy(&word, p + i, 8);
      if (!digits(word)) return false;
    }
    std::memcpy(&word, p + n - 8, 8);  // the tail, overlapping what was read
    return digits(word);
  }
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] < '0' || p[i] > '9') return false;
  return true;
}

char32_t NextCodePoint(std::string_view s, std::size_t* pos) {
  const std::size_t i = *pos;
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *pos = i + 1;
    return b0;
  }
  int len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1F;
    min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0F;
    min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  }
  if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
    *pos = i + 1;
    return 0xFFFD;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      *pos = i + 1;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    *pos = i + 1;
    return 0xFFFD;
  }
  *pos = i + static_cast<std::size_t>(len);
  return cp;
}

bool IsUnicodeSpace(char32_t cp) {
  // The White_Space property (Unicode PropList.txt, stable since Unicode 4.1):
  // 25 code points, listed here rather than asked of ICU for every character.
  if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
  if (cp < 0x2000) return cp == 0x85 || cp == 0xA0 || cp == 0x1680;
  return cp <= 0x200A || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

std::string_view TrimUnicode(std::string_view s) {
  // Most values start and end with a visible ASCII character: nothing to trim.
  auto visible_ascii = [](char c) { return c > ' ' && static_cast<unsigned char>(c) < 0x80; };
  if (s.empty() || (visible_ascii(s.front()) && visible_ascii(s.back()))) return s;
  std::size_t begin = 0;
  while (begin < s.size()) {
    std::size_t next = begin;
    if (!IsUnicodeSpace(NextCodePoint(s, &next))) break;
    begin = next;
  }
  // Walk forward to find the end of the last non-space code point: UTF-8 cannot
  // be decoded backwards safely when it may be invalid.
  std::size_t end = begin;
  for (std::size_t pos = begin; pos < s.size();) {
    const char32_t cp = NextCodePoint(s, &pos);
    if (!IsUnicodeSpace(cp)) end = pos;
  }
  return s.substr(begin, end - begin);
}

bool IsBlank(std::string_view s) {
  for (std::size_t pos = 0; pos < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[pos]);
    if (c > ' ' && c < 0x80) return false;  // visible ASCII: the common first byte
    if (!IsUnicodeSpace(NextCodePoint(s, &pos))) return false;
  }
  return true;
}

bool NormalizeDigits(std::string_view s, std::string& out) {
  // Only non-ASCII text can hold non-ASCII digits.
  if (IsAsciiText(s)) return false;
  std::string result;
  bool changed = false;
  for (std::size_t pos = 0; pos < s.size();) {
    const std::size_t start = pos;
    const char32_t cp = NextCodePoint(s, &pos);
    if (cp >= 0x80 && u_charType(static_cast<UChar32>(cp)) == U_DECIMAL_DIGIT_NUMBER) {
      const int32_t digit = u_charDigitValue(static_cast<UChar32>(cp));
      if (digit >= 0 && digit <= 9) {
        if (!changed) result.assign(s.substr(0, start));
        changed = true;
        result += static_cast<char>('0' + digit);
        continue;
      }
    }
    if (changed) result.append(s.substr(start, pos - start));
  }
  if (changed) out = std::move(result);
  return changed;
}

Value StringResult(CallContext& ctx, std::string_view text) { return MakeString(ctx.arena, text); }

bool IntegerArg(const Value& v, int64_t lo, int64_t hi, int64_t* out) {
  if (!v.is(Type::kDecimal)) return false;
  const std::optional<int64_t> n = v.as_decimal().ToInt64();
  if (!n || *n < lo || *n > hi) return false;
  *out = *n;
  return true;
}

bool ScalarKey(const Value& v, std::string* key) {
  key->clear();
  switch (v.type()) {
    case Type::kNull:
      *key = "n";
      return true;
    case Type::kBool:
      *key = v.as_bool() ? "bt" : "bf";
      return true;
    case Type::kDecimal:
      *key = "d" + v.as_decimal().ToCanonicalString();
      return true;
    case Type::kString:
      *key = "s";
      key->append(v.as_string());
      return true;
    case Type::kDate:
      *key = "t" + v.as_date().ToString();
      return true;
    default:
      return false;
  }
}

}  // namespace policy::eval
