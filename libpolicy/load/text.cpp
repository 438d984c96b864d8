#include <algorithm>
#include <cstdio>
#include <cstring>

#include "libpolicy/load/text_internal.h"

namespace policy::load {

std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) -> unsigned {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
  };
  auto cont = [&](std::size_t k) { return (byte(k) & 0xC0u) == 0x80u; };
  unsigned b0 = byte(0);
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    unsigned b1 = byte(1);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;   // overlong
    if (b0 == 0xED && b1 >= 0xA0) return 0;  // UTF-16 surrogates
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    unsigned b1 = byte(1);
    if (b0 == 0xF0 && b1 < 0x90) return 0;   // overlong
    if (b0 == 0xF4 && b1 >= 0x90) return 0;  // past U+10FFFF
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

std::size_t FindInvalidUtf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    // ASCII runs are the common case: skip eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if ((word & 0x8080808080808080ull) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = Utf8SequenceLength(s, i);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::size_t FindControlCharacter(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return i;
  }
  return std::string_view::npos;
}

void LineCursor::MoveTo(std::size_t offset) {
  if (offset > text_.size()) offset = text_.size();
  for (; offset_ < offset; ++offset_) {
    char c = text_[offset_];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column_;
    }
  }
}

Loc SpanLoc(std::string_view text, std::size_t begin, std::size_t end, uint32_t line,
            uint32_t column, uint16_t file) {
  Loc loc;
  loc.line = line;
  loc.column = column;
  loc.file = file;
  uint32_t end_line = line;
  uint32_t end_column = column;
  for (std::size_t i = begin; i < end && i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      ++end_line;
      end_column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++end_column;
    }
  }
  loc.end_line = end_line;
  loc.end_column = end_column;
  return loc;
}

InputError MakeError(DiagCode code, const std::string& file, uint32_t line, uint32_t column,
                     std::string message) {
  InputError e;
  e.code = code;
  e.file = file;
  e.line = line;
  e.column = column;
  e.message = std::move(message);
  return e;
}

}  // namespace policy::load

namespace policy::load {

PositionMap::PositionMap(std::string_view text) : text_(text), starts_{0}, bom_(BomLength(text)) {
  // A line ends at LF, CR LF or a CR alone (old Mac files; YAML 1.2 counts it too).
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      starts_.push_back(static_cast<uint32_t>(i + 1));
    }
  }
  cache_offset_ = bom_;
  cache_line_end_ = starts_.size() > 1 ? starts_[1] - 1 : text.size();
}

LineColumn PositionMap::At(std::size_t offset) {
  if (offset > text_.size()) offset = text_.size();
  if (offset < cache_offset_ || offset > cache_line_end_) {
    auto it = std::upper_bound(starts_.begin(), starts_.end(), static_cast<uint32_t>(offset));
    auto line_index = static_cast<std::size_t>(it - starts_.begin()) - 1;
    cache_offset_ = std::max<std::size_t>(starts_[line_index], line_index == 0 ? bom_ : 0);
    cache_line_end_ = line_index + 1 < starts_.size() ? starts_[line_index + 1] - 1 : text_.size();
    cache_ = {static_cast<uint32_t>(line_index + 1), 1};
    if (offset < cache_offset_) offset = cache_offset_;
  }
  for (; cache_offset_ < offset; ++cache_offset_) {
    if ((static_cast<unsigned char>(text_[cache_offset_]) & 0xC0) != 0x80) ++cache_.column;
  }
  return cache_;
}

}  // namespace policy::load

namespace policy::load {

Result<void> CheckInputText(std::string_view text, const std::string& file,
                            const LoadLimits& limits, bool reject_controls) {
  if (text.size() > limits.max_file_size) {
    return MakeError(DiagCode::kInputTooLarge, file, 0, 0,
                     "file larger than " + std::to_string(limits.max_file_size) + " bytes");
  }
  std::size_t bad = FindInvalidUtf8(text);
  if (bad != std::string_view::npos) {
    LineColumn lc = PositionMap(text).At(bad);
    return MakeError(DiagCode::kInputInvalidUtf8, file, lc.line, lc.column, "invalid UTF-8");
  }
  if (reject_controls) {
    std::size_t ctl = FindControlCharacter(text);
    if (ctl != std::string_view::npos) {
      LineColumn lc = PositionMap(text).At(ctl);
      char hex[8];
      std::snprintf(hex, sizeof hex, "%04X",
                    static_cast<unsigned>(static_cast<unsigned char>(text[ctl])));
      return MakeError(
          DiagCode::kInputControlCharacter, file, lc.line, lc.column,
          std::string("control character U+") + hex + " is not allowed (binary input?)");
    }
  }
  return Ok();
}

}  // namespace policy::load
