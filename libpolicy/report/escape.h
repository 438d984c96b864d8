#pragma once
// Text from inputs (messages quoting values, source lines, file names) made safe
// to print: a terminal acts on control characters (ESC starts a sequence that can
// recolour, retitle or clear the screen; CR rewrites the line) and bidirectional
// overrides reorder what is shown ("Trojan Source"), so a hostile input could
// hide or forge findings. Each such character is written as a visible escape.
#include <cstddef>
#include <string>
#include <string_view>

namespace policy::report {

// One unit of text: a well-formed UTF-8 sequence, or one byte that is not part of one.
struct TextUnit {
  char32_t code_point = 0;  // the byte's value when !valid
  std::size_t length = 1;   // bytes
  bool valid = true;
};

// The unit starting at text[i] (i < text.size()).
TextUnit DecodeUnit(std::string_view text, std::size_t i);

// What a terminal-safe text writes for `unit` instead of it: "\x1B" for C0
// controls, DEL, C1 controls and bytes that are not UTF-8; "\u202E" for
// bidirectional formatting characters and the line/paragraph separators. Empty
// when the unit prints as itself. TAB is kept; CR and LF are kept only with
// `keep_line_breaks` (formats that escape them their own way).
std::string UnitEscape(const TextUnit& unit, bool keep_line_breaks = false);

// `text` with every unit UnitEscape escapes replaced by its escape.
std::string TerminalSafe(std::string_view text, bool keep_line_breaks = false);

}  // namespace policy::report
