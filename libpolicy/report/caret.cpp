#include <algorithm>
#include <array>
#include <utility>

#include "libpolicy/report.h"
#include "libpolicy/report/escape.h"

namespace policy::report {
namespace {

// Columns a terminal gives a code point. A short table, not full wcwidth: it
// covers the combining marks of the scripts our inputs use (Latin, Bengali,
// Devanagari) and the common wide blocks (CJK, Hangul, emoji).
constexpr std::array<std::pair<char32_t, char32_t>, 18> kZeroWidth = {{
    {0x0300, 0x036F},
    {0x0483, 0x0489},
    {0x0591, 0x05BD},
    {0x0610, 0x061A},
    {0x064B, 0x065F},
    {0x0900, 0x0903},
    {0x093A, 0x094F},
    {0x0951, 0x0957},
    {0x0962, 0x0963},
    {0x0981, 0x0983},
    {0x09BC, 0x09BC},
    {0x09BE, 0x09CD},
    {0x09D7, 0x09D7},
    {0x09E2, 0x09E3},
    {0x200B, 0x200F},
    {0x20D0, 0x20FF},
    {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F},
}};
constexpr std::array<std::pair<char32_t, char32_t>, 11> kWide = {{
    {0x1100, 0x115F},
    {0x2E80, 0x303E},
    {0x3041, 0x33FF},
    {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},
    {0xA000, 0xA4CF},
    {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},
    {0xFF00, 0xFF60},
    {0x1F300, 0x1F64F},
    {0x20000, 0x3FFFD},
}};

bool InRanges(char32_t c, const auto& ranges) {
  return std::any_of(ranges.begin(), ranges.end(),
                     [c](const auto& r) { return c >= r.first && c <= r.second; });
}

int DisplayWidth(char32_t c) {
  if (InRanges(c, kZeroWidth)) return 0;
  if (InRanges(c, kWide)) return 2;
  return 1;
}

// The columns the unit at s[i] takes as the text report prints it (escaped by
// TerminalSafe, or as itself), and advances i past it.
int PrintedWidth(const std::string& s, std::size_t& i) {
  const TextUnit unit = DecodeUnit(s, i);
  i += unit.length;
  const std::string escape = UnitEscape(unit);
  if (!escape.empty()) return static_cast<int>(escape.size());
  return DisplayWidth(unit.code_point);
}

}  // namespace

std::string CaretLine(const std::string& source_line, uint32_t column, uint32_t end_column) {
  std::string out;
  std::size_t i = 0;
  uint32_t col = 1;
  for (; col < column; ++col) {
    if (i >= source_line.size()) {
      out += ' ';
      continue;
    }
    if (source_line[i] == '\t') {
      out += '\t';
      ++i;
      continue;
    }
    out.append(static_cast<std::size_t>(PrintedWidth(source_line, i)), ' ');
  }
  // The span's width on screen, at least one caret, never past the line's end:
  // a masked secret is shorter than the span measured on the original text.
  int width = 0;
  for (; col < end_column && i < source_line.size(); ++col) {
    if (source_line[i] == '\t') {
      ++width;
      ++i;
      continue;
    }
    width += PrintedWidth(source_line, i);
  }
  out += '^';
  if (width > 1) out.append(static_cast<std::size_t>(width - 1), '~');
  return out;
}

}  // namespace policy::report
