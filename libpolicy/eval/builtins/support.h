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
              const char* code = "value.invalid");

// The error code of a failed decimal operation.
const char* DecimalErrorCode(DecimalStatus status);

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

// A string value holding a copy of `text` in the call's arena.
Value StringResult(CallContext& ctx, std::string_view text);

// The integer value of a decimal argument within [lo, hi]; false otherwise.
bool IntegerArg(const Value& v, int64_t lo, int64_t hi, int64_t* out);

}  // namespace policy::eval
