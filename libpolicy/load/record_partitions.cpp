// SplitRecordBytes: where a record text can be cut into partitions that a
// reader (OpenRecords with a range) checks on its own, lines exact.
//
// The cuts must be the record boundaries the chunk reader itself finds, so
// the rules are the same: the text's first line break says whether breaks are
// LF (CR LF included) or a lone CR; a CSV quote opens a quoted cell only at the
// start of a cell (after the delimiter or a line break), and "" inside one is
// an escaped quote. JSON strings cannot hold a raw line break, so every line
// break of a JSON Lines text ends a record.
//
// This is one sequential pass: the quote state at a byte depends on every
// quote before it. A parallel scan would run each block twice over, once
// assuming it starts outside quotes and once inside, then chain the blocks'
// end states in order (docs/SCALE.md); at memchr speed the pass is a small
// part of a check, so it stays simple.
#include <cstring>

#include "libpolicy/load/loaders.h"
#include "libpolicy/load/text_internal.h"

namespace policy::load {
namespace {

// '\n' unless the text's first line break is a CR not followed by LF.
char LineBreakOf(std::string_view text) {
  const std::size_t at = text.find_first_of("\r\n");
  if (at == std::string_view::npos || text[at] == '\n') return '\n';
  return at + 1 < text.size() && text[at + 1] == '\n' ? '\n' : '\r';
}

class Splitter {
 public:
  Splitter(std::string_view text, char line_break, uint64_t target_bytes)
      : s_(text.data()), n_(text.size()), break_(line_break), target_(target_bytes) {
    next_cut_ = target_;
  }

  // Cuts at the line breaks of s_[from, to), a stretch outside quotes.
  void CutIn(std::size_t from, std::size_t to) {
    while (next_cut_ <= n_) {
      // A cut at or after next_cut_ follows a break at or after next_cut_ - 1.
      const std::size_t look = std::max<std::size_t>(from, next_cut_ - 1);
      if (look >= to) return;
      const void* hit = std::memchr(s_ + look, break_, to - look);
      if (hit == nullptr) return;
      const std::size_t after = static_cast<std::size_t>(static_cast<const char*>(hit) - s_) + 1;
      if (after >= n_) return;  // the text's end closes the last partition
      Cut(after);
      from = after;
    }
  }

  std::vector<RecordRange> Finish() {
    ranges_.push_back({begin_, n_, begin_line_});
    return std::move(ranges_);
  }

 private:
  void Cut(std::size_t at) {
    lines_ += CountByte(s_ + counted_to_, at - counted_to_, break_);
    counted_to_ = at;
    ranges_.push_back({begin_, at, begin_line_});
    begin_ = at;
    begin_line_ = static_cast<uint32_t>(1 + lines_);
    next_cut_ = at + target_;
  }

  const char* s_;
  std::size_t n_;
  char break_;
  uint64_t target_;
  uint64_t next_cut_;
  std::vector<RecordRange> ranges_;
  uint64_t begin_ = 0;
  uint32_t begin_line_ = 1;
  std::size_t counted_to_ = 0;  // line breaks before it are in lines_
  uint64_t lines_ = 0;
};

}  // namespace

std::vector<RecordRange> SplitRecordBytes(std::string_view text, RecordFormat format,
                                          char delimiter, uint64_t target_bytes) {
  const char line_break = LineBreakOf(text);
  Splitter splitter(text, line_break, target_bytes == 0 ? 1 : target_bytes);
  const std::size_t start = BomLength(text);
  const char* s = text.data();
  const std::size_t n = text.size();
  if (format == RecordFormat::kJsonLines) {
    splitter.CutIn(start, n);
    return splitter.Finish();
  }
  std::size_t p = start;
  while (p < n) {
    // Outside quotes: cut in the stretch up to the next quote.
    const void* q = std::memchr(s + p, '"', n - p);
    const std::size_t quote = q ? static_cast<std::size_t>(static_cast<const char*>(q) - s) : n;
    splitter.CutIn(p, quote);
    if (quote == n) break;
    p = quote + 1;
    const bool opens = quote == start || s[quote - 1] == line_break || s[quote - 1] == '\n' ||
                       s[quote - 1] == delimiter;
    if (!opens) continue;
    // Inside a quoted cell: to its closing quote ("" is a quote within it).
    while (true) {
      const void* c = std::memchr(s + p, '"', n - p);
      if (c == nullptr) return splitter.Finish();  // unterminated: the reader reports it
      const std::size_t close = static_cast<std::size_t>(static_cast<const char*>(c) - s);
      if (close + 1 < n && s[close + 1] == '"') {
        p = close + 2;
        continue;
      }
      p = close + 1;
      break;
    }
  }
  return splitter.Finish();
}

}  // namespace policy::load
