#pragma once
// Helpers shared by the builtin families: argument checking, UTF-8 walking and
// the text normalisation that conversions (decimal(s), date(s)) reuse.
#include <string>
#include <string_view>

#include "libpolicy/eval/builtins/registry.h"
#include "libpolicy/utf8.h"

namespace policy::eval {

// Fails with "type.mismatch": "NAME(): argument N must be WANT, got TYPE".
// `index` is 0-based; the message counts from 1.
Value Mismatch(CallContext& ctx, std::string_view fn, std::size_t index, std::string_view want,
               const Value& got);

// Fails with `code` and "NAME(): MESSAGE".
Value Invalid(CallContext& ctx, std::string_view fn, std::string_view message,
              DiagCode code = DiagCode::kValueInvalid);

// The error code of a failed decimal operation.
DiagCode DecimalErrorCode(DecimalStatus status);

// Decodes the code point at s[*pos] and advances *pos. An invalid or truncated
// sequence yields U+FFFD and advances one byte (CountCodePoints counts the same).
char32_t NextCodePoint(std::string_view s, std::size_t* pos);
// True when every byte of `s` is ASCII (read 8 bytes at a time).
bool IsAsciiText(std::string_view s);
// The same for a string value, answered by its loader's flag when it has one.
inline bool IsAsciiString(const Value& v) { return v.known_ascii() || IsAsciiText(v.as_string()); }
// True when every byte of `s` is an ASCII digit (8 bytes at a time).
bool IsAsciiDigits(std::string_view s);

// Unicode White_Space.
bool IsUnicodeSpace(char32_t cp);
// `s` without leading and trailing Unicode white space (a view into `s`).
std::string_view TrimUnicode(std::string_view s);
// TrimUnicode(s).empty(), stopping at the first character that is not a space.
bool IsBlank(std::string_view s);
// Every Unicode decimal digit (general category Nd) replaced by its ASCII digit.
// Returns false, leaving `out` untouched, when there is nothing to replace.
bool NormalizeDigits(std::string_view s, std::string& out);

// Decimal text written with Bengali digits (U+09E6..U+09EF), possibly among
// ASCII digits and a point: what the decimal() builtin reads it as (its digit
// normalising maps exactly these, and there is nothing to trim), without its
// per-character Unicode lookups. False when the text is anything else or
// ParsePlain does not take it (the builtin then decides).
inline bool ParseBengaliDigits(std::string_view s, Decimal* out) {
  char plain[20];
  std::size_t n = 0;
  const auto* u = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    char c;
    if ((u[i] >= '0' && u[i] <= '9') || u[i] == '.') {
      c = static_cast<char>(u[i]);
      i += 1;
    } else if (u[i] == 0xE0 && i + 2 < s.size() && u[i + 1] == 0xA7 && u[i + 2] >= 0xA6 &&
               u[i + 2] <= 0xAF) {
      c = static_cast<char>('0' + (u[i + 2] - 0xA6));
      i += 3;
    } else {
      return false;
    }
    if (n == sizeof plain) return false;
    plain[n++] = c;
  }
  return Decimal::ParsePlain(std::string_view(plain, n), out);
}

// A string value holding a copy of `text` in the call's arena.
Value StringResult(CallContext& ctx, std::string_view text);

// The integer value of a decimal argument within [lo, hi]; false otherwise.
bool IntegerArg(const Value& v, int64_t lo, int64_t hi, int64_t* out);

// A text equal for two scalars exactly when Equal() holds for them (a hash key
// for `==`); false for containers, which have none and are compared pairwise.
bool ScalarKey(const Value& v, std::string* key);

}  // namespace policy::eval
