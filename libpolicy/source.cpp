#include "libpolicy/source.h"

#include <algorithm>

namespace policy {
namespace {

// Lines end at LF, CR LF or a lone CR, as the input loaders count them: a
// finding's snippet is the line its location names.
std::vector<uint32_t> LineStarts(std::string_view text) {
  std::vector<uint32_t> starts{0};
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      starts.push_back(static_cast<uint32_t>(i + 1));
    }
  }
  return starts;
}

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

LineColumn PositionIn(const std::vector<uint32_t>& starts, std::string_view text,
                      std::size_t offset) {
  offset = std::min(offset, text.size());
  auto it = std::upper_bound(starts.begin(), starts.end(), static_cast<uint32_t>(offset));
  std::size_t line_index = static_cast<std::size_t>(it - starts.begin()) - 1;
  std::string_view before = text.substr(starts[line_index], offset - starts[line_index]);
  return {static_cast<uint32_t>(line_index + 1), CountCodePoints(before) + 1};
}

std::string_view LineIn(const std::vector<uint32_t>& starts, std::string_view text, uint32_t line) {
  if (line == 0 || line > starts.size()) return {};
  std::size_t begin = starts[line - 1];
  std::size_t end = line < starts.size() ? starts[line] - 1 : text.size();
  if (end > begin && text[end - 1] == '\r') --end;
  return text.substr(begin, end - begin);
}

}  // namespace

uint32_t CountCodePoints(std::string_view s) {
  uint32_t n = 0;
  for (char c : s) n += IsContinuationByte(c) ? 0 : 1;
  return n;
}

SourceFile::SourceFile(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)), line_starts_(LineStarts(text_)) {}

LineColumn SourceFile::Position(std::size_t offset) const {
  return PositionIn(line_starts_, text_, offset);
}

std::size_t SourceFile::Offset(uint32_t line, uint32_t column) const {
  if (line == 0) return 0;
  if (line > line_starts_.size()) return text_.size();
  std::string_view l = Line(line);
  std::size_t pos = line_starts_[line - 1];
  uint32_t col = 1;
  std::size_t i = 0;
  while (i < l.size() && col < column) {
    ++i;
    while (i < l.size() && IsContinuationByte(l[i])) ++i;
    ++col;
  }
  return pos + i;
}

std::string_view SourceFile::Line(uint32_t line) const { return LineIn(line_starts_, text_, line); }

LineIndex::LineIndex(std::string_view text) : line_starts_(LineStarts(text)) {}

LineColumn LineIndex::Position(std::string_view text, std::size_t offset) const {
  return PositionIn(line_starts_, text, offset);
}

std::string_view LineIndex::Line(std::string_view text, uint32_t line) const {
  return LineIn(line_starts_, text, line);
}

}  // namespace policy
