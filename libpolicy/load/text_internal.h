#pragma once
// Byte-level helpers shared by the loaders: UTF-8 validation, BOMs and turning
// byte offsets into 1-based lines and code-point columns.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libpolicy/load/loaders.h"
#include "libpolicy/source.h"

namespace policy::load {

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

inline std::size_t BomLength(std::string_view text) {
  return text.substr(0, kUtf8Bom.size()) == kUtf8Bom ? kUtf8Bom.size() : 0;
}

// Length of the well-formed UTF-8 sequence starting at s[i] (1..4), or 0 when the
// bytes there are not one (overlong forms, surrogates and values past U+10FFFF
// are rejected, as RFC 3629 requires). s[i] must be a byte >= 0x80.
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i);

// Utf8SequenceLength with the two- and three-byte sequences of most scripts read
// inline (the rest, invalid bytes included, are its).
inline std::size_t Utf8Length(std::string_view s, std::size_t i) {
  const auto* u = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned b0 = u[i];
  auto cont = [&](std::size_t k) { return i + k < s.size() && (u[i + k] & 0xC0u) == 0x80u; };
  if (b0 >= 0xC2 && b0 <= 0xDF && cont(1)) return 2;
  if (b0 >= 0xE1 && b0 <= 0xEC && cont(1) && cont(2)) return 3;
  if (b0 == 0xE0 && cont(1) && u[i + 1] >= 0xA0 && cont(2)) return 3;
  return Utf8SequenceLength(s, i);
}

// Offset of the first byte that does not start a well-formed UTF-8 sequence, or
// std::string_view::npos when the whole text is valid.
std::size_t FindInvalidUtf8(std::string_view s);

// Offset of the first C0 control character other than tab, LF and CR (or DEL),
// or npos. YAML does not allow them anywhere, and binary input is full of them.
std::size_t FindControlCharacter(std::string_view s);

// Walks a text forward, turning increasing byte offsets into 1-based lines and
// code-point columns in time linear in the text (offsets must not go back).
class LineCursor {
 public:
  // `text` begins at the start of line `first_line`; `skip` leading bytes (a BOM)
  // are not counted as a column.
  LineCursor(std::string_view text, uint32_t first_line, std::size_t skip = 0)
      : text_(text), offset_(skip), line_(first_line) {}
  void MoveTo(std::size_t offset);
  uint32_t line() const { return line_; }
  uint32_t column() const { return column_; }

 private:
  std::string_view text_;
  std::size_t offset_ = 0;
  uint32_t line_ = 1;
  uint32_t column_ = 1;
};

// Random-access offset -> (line, column) for a whole document, fast when the
// offsets asked for mostly increase (as parser events do). Lines end at LF, CR LF
// or a lone CR. A leading BOM is not a column.
class PositionMap {
 public:
  explicit PositionMap(std::string_view text);
  LineColumn At(std::size_t offset);
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
  std::vector<uint32_t> starts_;
  std::size_t bom_ = 0;
  std::size_t cache_offset_ = 0;
  std::size_t cache_line_end_ = 0;  // offset of the line break ending the cached line
  LineColumn cache_{1, 1};
};

// A Loc for a one-line span [begin, end) measured with a cursor already at begin.
Loc SpanLoc(std::string_view text, std::size_t begin, std::size_t end, uint32_t line,
            uint32_t column, uint16_t file);

// Checks a whole document before parsing: size, UTF-8, and (YAML) control
// characters; the error names the first offending byte's line and column.
Result<void> CheckInputText(std::string_view text, const std::string& file,
                            const LoadLimits& limits, bool reject_controls);

// How many of s[0, n) are `byte` (line breaks: '\n').
std::size_t CountByte(const char* s, std::size_t n, char byte);

InputError MakeError(DiagCode code, const std::string& file, uint32_t line, uint32_t column,
                     std::string message);

}  // namespace policy::load
