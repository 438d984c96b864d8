#pragma once
// A source text (a rule file or an input) with the line index needed to turn
// byte offsets into 1-based lines and code-point columns.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace policy {

struct LineColumn {
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based, in code points
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string text);
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  // `offset` is clamped to the text's size.
  LineColumn Position(std::size_t offset) const;
  // Byte offset of a 1-based line and code-point column (clamped to the line).
  std::size_t Offset(uint32_t line, uint32_t column) const;
  // The text of a 1-based line, without its line break; empty when out of range.
  std::string_view Line(uint32_t line) const;
  uint32_t line_count() const { return static_cast<uint32_t>(line_starts_.size()); }

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

// Number of code points in a UTF-8 byte range (invalid bytes count one each).
uint32_t CountCodePoints(std::string_view s);

// Line index for any text, without owning it (used for inputs).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  LineColumn Position(std::string_view text, std::size_t offset) const;
  std::string_view Line(std::string_view text, uint32_t line) const;

 private:
  std::vector<uint32_t> line_starts_;
};

}  // namespace policy
