#pragma once
// Lexical helpers shared by the pre-scan and the grammar's leaf parsers.
// Private to libpolicy/syntax; free of Spirit.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "libpolicy/diagnostic_codes.h"

namespace policy::syntax {

// A problem found by the scanner or the grammar, in byte offsets.
struct SyntaxIssue {
  DiagCode code = DiagCode::kSyntaxUnexpected;
  std::string message;
  uint32_t begin = 0;
  uint32_t end = 0;
};

inline bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }
inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// The reserved words of LANGUAGE.md section 2.
bool IsReservedWord(std::string_view word);

// Decodes the escape that starts at text[pos] == '\\' and appends it to `out`.
// Returns the offset just past the escape, or std::string_view::npos when it
// is not one of \" \\ \n \t \u{HEX} (a Unicode scalar value).
std::size_t DecodeEscape(std::string_view text, std::size_t pos, std::string& out);

// The result of scanning a whole file (or one expression) before parsing.
struct PreScan {
  // Lexical errors and `syntax.too_deep`; scanning stops at an unterminated
  // literal or at the first nesting beyond the limit.
  std::vector<SyntaxIssue> issues;
  // Offsets of the keywords that start a top-level item (package, import,
  // param, def, schema, rule), where parsing may resume after an error.
  std::vector<uint32_t> resume_points;
};

// Scans `text` the way the grammar reads it (comments, strings, message
// templates and their holes, regexes only where an operand is expected)
// and measures nesting of ( [ { and of `if`/quantifier bodies, so that input
// nested deeper than `max_nesting` is rejected before any recursive descent.
PreScan ScanSource(std::string_view text, int max_nesting);

}  // namespace policy::syntax
