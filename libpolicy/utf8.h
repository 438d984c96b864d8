#pragma once
// Small UTF-8 helpers shared by the parser, the JSON loader and the builtins.
#include <string>

namespace policy {

// Appends the UTF-8 encoding of `cp` (at most U+10FFFF) to `out`.
void AppendUtf8(char32_t cp, std::string& out);

// The value of a hexadecimal digit, or -1 for any other character.
int HexDigitValue(char c);

}  // namespace policy
