#include "libpolicy/eval/snippet.h"

#include <algorithm>

#include "libpolicy/eval/redact.h"
#include "libpolicy/source.h"

namespace policy::eval {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026 "…", one column wide

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The next code point's offset after `i` (invalid bytes count one each).
std::size_t NextCodePoint(std::string_view s, std::size_t i) {
  ++i;
  while (i < s.size() && IsContinuation(s[i])) ++i;
  return i;
}

}  // namespace

KeptLine LineKeeper::Keep(std::string_view line) {
  KeptLine kept;
  if (line.size() <= kSnippetMaxBytes) {
    kept.short_line = std::string(line);
    return kept;
  }
  if (line_ == nullptr || line.data() != data_ || line.size() != size_) {
    line_ = std::make_shared<const std::string>(line);
    data_ = line.data();
    size_ = line.size();
  }
  kept.long_line = line_;
  return kept;
}

void LineKeeper::Forget() {
  line_.reset();
  data_ = nullptr;
  size_ = 0;
}

LineCutter::LineCutter(std::shared_ptr<const std::string> line, std::vector<LineSecret> secrets)
    : line_(std::move(line)), secrets_(std::move(secrets)) {
  const std::string_view s = *line_;
  // Byte offsets of the secrets' columns, in one walk over the line.
  std::vector<std::pair<uint32_t, std::size_t>> wanted;  // column -> byte
  for (const LineSecret& secret : secrets_) {
    if (secret.column == 0 || secret.end_column <= secret.column) continue;
    wanted.push_back({secret.column, 0});
    wanted.push_back({secret.end_column, 0});
  }
  std::sort(wanted.begin(), wanted.end());
  std::size_t byte = 0;
  uint32_t column = 1;
  for (auto& [want, at] : wanted) {
    while (column < want && byte < s.size()) {
      byte = NextCodePoint(s, byte);
      ++column;
    }
    at = column == want ? byte : std::string::npos;  // npos: past the line's end
  }
  auto byte_of = [&](uint32_t col) {
    return std::lower_bound(wanted.begin(), wanted.end(), std::make_pair(col, std::size_t{0}))
        ->second;
  };
  for (const LineSecret& secret : secrets_) {
    std::size_t begin = std::string::npos, end = std::string::npos;
    if (secret.column != 0 && secret.end_column > secret.column) {
      begin = byte_of(secret.column);
      end = byte_of(secret.end_column);
    }
    // As MaskSourceLine: without a usable span, every occurrence of the text is masked.
    if (begin == std::string::npos || end == std::string::npos) {
      if (!secret.text.empty()) unplaced_.push_back(&secret.text);
    } else {
      spans_.push_back({begin, end, &secret.text});
    }
  }
  std::sort(spans_.begin(), spans_.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
}

void LineCutter::Widen(std::size_t& begin, std::size_t& end, std::size_t& at) const {
  const std::string_view s = *line_;
  // Each change only grows the window or moves `at` back, so this ends.
  for (bool changed = true; changed;) {
    changed = false;
    auto touch = [&](std::size_t b, std::size_t e) {
      if (b >= end || e <= begin) return;
      if (b < begin) {
        begin = b;
        changed = true;
      }
      if (e > end) {
        end = e;
        changed = true;
      }
      if (b < at && at < e) {
        at = b;
        changed = true;
      }
    };
    for (const Span& span : spans_) touch(span.begin, span.end);
    for (const std::string* text : unplaced_) {
      // Only the occurrences that can touch the window: never a search to the line's end.
      const std::size_t from = begin >= text->size() ? begin - text->size() + 1 : 0;
      const std::size_t to = std::min(s.size(), end + text->size() - 1);
      const std::string_view region = s.substr(from, to - from);
      for (std::size_t pos = region.find(*text); pos != std::string_view::npos;
           pos = region.find(*text, pos + 1))
        touch(from + pos, from + pos + text->size());
    }
  }
}

std::string LineCutter::Masked(std::size_t begin, std::size_t end) const {
  const std::string_view s = *line_;
  std::string out;
  std::size_t i = begin;
  for (const Span& span : spans_) {
    if (span.begin < i || span.end > end) continue;  // outside, or overlapping one masked already
    out.append(s.substr(i, span.begin - i));
    const std::string_view written = s.substr(span.begin, span.end - span.begin);
    out += MaskSourceLine(written, 1, CountCodePoints(written) + 1, *span.text);
    i = span.end;
  }
  out.append(s.substr(i, end - i));
  // Secrets not placed on the line: every occurrence masked, as messages are.
  for (const std::string* text : unplaced_) out = MaskMessagePiece(out, *text, true);
  return out;
}

Snippet LineCutter::Cut(uint32_t column) {
  const std::string_view s = *line_;
  if (column < column_) {  // out of order: walk again from the start
    byte_ = 0;
    column_ = 1;
  }
  while (column_ < column && byte_ < s.size()) {
    byte_ = NextCodePoint(s, byte_);
    ++column_;
  }
  std::size_t at = byte_;
  std::size_t begin = at > kSnippetBeforeBytes ? at - kSnippetBeforeBytes : 0;
  while (begin > 0 && begin < at && IsContinuation(s[begin])) ++begin;
  std::size_t end = begin + kSnippetMaxBytes;
  if (end >= s.size()) {
    end = s.size();
    // Near the line's end the window still holds kSnippetMaxBytes.
    if (end > kSnippetMaxBytes && begin > end - kSnippetMaxBytes) {
      begin = end - kSnippetMaxBytes;
      while (begin < at && IsContinuation(s[begin])) ++begin;
    }
  } else {
    while (end > at && IsContinuation(s[end])) --end;
  }
  Widen(begin, end, at);
  // Masked in two parts, so that the finding's place in the masked text is known.
  const std::string before = Masked(begin, at);
  Snippet snippet;
  if (begin > 0) snippet.text += kEllipsis;
  snippet.text += before;
  snippet.column = CountCodePoints(snippet.text) + 1;
  snippet.text += Masked(at, end);
  if (end < s.size()) snippet.text += kEllipsis;
  return snippet;
}

}  // namespace policy::eval
