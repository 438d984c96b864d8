#pragma once
// Splitting CSV/TSV records into cells (RFC 4180), shared by the header reader
// and RecordParser. Works on byte offsets into one buffer; no allocation beyond
// the caller's reusable cell vector.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "libpolicy/load/text_internal.h"

namespace policy::load {

struct CsvCell {
  uint32_t begin = 0;  // raw bytes [begin, end) in the scanned text, quotes included
  uint32_t end = 0;
  uint32_t line = 0;    // where the cell starts (its opening quote when quoted)
  uint32_t column = 0;  // 1-based code points
  uint32_t end_line = 0;
  uint32_t end_column = 0;  // column after the cell
  bool quoted = false;
  bool escapes = false;   // holds "" pairs: the value must be unescaped
  bool bad_utf8 = false;  // holds bytes that are not UTF-8
  bool junk = false;      // text between a closing quote and the next delimiter
};

struct CsvRecordScan {
  std::size_t content_end = 0;      // end of the record's bytes, before its line break
  std::size_t next = 0;             // where the next record starts
  uint32_t lines = 0;               // line breaks consumed, embedded ones included
  bool terminated = false;          // ended by a line break rather than the end of the text
  bool unterminated_quote = false;  // the text ended inside a quoted cell...
  uint32_t quote_line = 0;          // ...which starts here
  uint32_t quote_column = 0;
};

class CsvScanner {
 public:
  explicit CsvScanner(char delimiter);
  // Scans the record starting at text[pos], which is at column 1 of `line`. CRLF
  // ends a record like LF does. `cells` is cleared and filled.
  CsvRecordScan Scan(std::string_view text, std::size_t pos, uint32_t line,
                     std::vector<CsvCell>& cells) const;

  // Scan for the common record without quotes whose bytes are all well-formed
  // UTF-8: fills `cells` and `*out` exactly as Scan would and returns true, or
  // returns false (cells unspecified) when the record needs Scan. Works on 64
  // bytes at a time: masks of delimiters, line breaks, quotes and non-ASCII bytes.
  bool ScanPlain(std::string_view text, std::size_t pos, uint32_t line, std::vector<CsvCell>& cells,
                 CsvRecordScan* out) const;

  // ScanPlain handing each cell to `cell(begin, end, column, end_column)` as it
  // is found, instead of storing it: the cell is on the record's line, unquoted
  // and well-formed. After a false return the cells handed out mean nothing.
  template <class CellFn>
  bool ScanPlainCells(std::string_view text, std::size_t pos, CsvRecordScan* out,
                      CellFn&& cell) const;

  // The value of a quoted cell's raw text without the quotes and with "" -> ".
  static std::size_t Unescape(std::string_view raw, char* out);

 private:
  char delimiter_;
  bool plain_ok_ = false;                  // ScanPlain can be used with this delimiter
  std::array<bool, 256> stop_unquoted_{};  // delimiter, LF, non-ASCII
  std::array<bool, 256> stop_quoted_{};    // quote, LF, non-ASCII
};

namespace csv_detail {

// Bit k: byte s[k] is the delimiter, a line break, a quote, a byte >= 0x80.
struct BlockMasks {
  uint64_t delimiter = 0;
  uint64_t lf = 0;
  uint64_t quote = 0;
  uint64_t high = 0;
};

// Masks of the 64 bytes at s, or of the `avail` (< 64) bytes left.
inline BlockMasks MasksOf(const unsigned char* s, std::size_t avail, unsigned char delimiter) {
  BlockMasks m;
#if defined(__SSE2__)
  if (avail >= 64) {
    const __m128i d = _mm_set1_epi8(static_cast<char>(delimiter));
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i quote = _mm_set1_epi8('"');
    for (int k = 0; k < 4; ++k) {
      __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 16 * k));
      auto bits = [&](__m128i v) {
        return static_cast<uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(v))) << (16 * k);
      };
      m.delimiter |= bits(_mm_cmpeq_epi8(x, d));
      m.lf |= bits(_mm_cmpeq_epi8(x, lf));
      m.quote |= bits(_mm_cmpeq_epi8(x, quote));
      m.high |= bits(x);
    }
    return m;
  }
#endif
  const std::size_t end = avail < 64 ? avail : 64;
  for (std::size_t k = 0; k < end; ++k) {
    const unsigned char c = s[k];
    const uint64_t bit = uint64_t{1} << k;
    if (c == delimiter) m.delimiter |= bit;
    if (c == '\n') m.lf |= bit;
    if (c == '"') m.quote |= bit;
    if (c >= 0x80) m.high |= bit;
  }
  return m;
}

}  // namespace csv_detail

template <class CellFn>
bool CsvScanner::ScanPlainCells(std::string_view text, std::size_t pos, CsvRecordScan* out,
                                CellFn&& cell) const {
  if (!plain_ok_) return false;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const auto delim = static_cast<unsigned char>(delimiter_);
  std::size_t cell_begin = pos;
  std::size_t extra = 0;        // bytes beyond one per code point since pos
  std::size_t extra_begin = 0;  // ... at cell_begin
  std::size_t skip_to = pos;    // the end of the last UTF-8 sequence read
  // Steps over the UTF-8 sequences starting at the bits of `high` (offsets from b)
  // below `limit`; false on bytes that are not UTF-8.
  auto read_high = [&](uint64_t& high, std::size_t b, std::size_t limit) {
    while (high != 0) {
      const std::size_t h = b + static_cast<std::size_t>(__builtin_ctzll(high));
      if (h >= limit) break;
      high &= high - 1;
      if (h < skip_to) continue;  // continuation bytes of a sequence begun earlier
      const std::size_t len = Utf8Length(text, h);
      if (len == 0) return false;
      extra += len - 1;
      skip_to = h + len;
    }
    return true;
  };
  auto emit = [&](std::size_t end, bool last) {
    // A CR before the line break (or the end of the text) is not the last cell's.
    if (last && end > cell_begin && s[end - 1] == '\r') --end;
    cell(cell_begin, end, static_cast<uint32_t>(1 + (cell_begin - pos) - extra_begin),
         static_cast<uint32_t>(1 + (end - pos) - extra));
    return end;
  };
  for (std::size_t b = pos;; b += 64) {
    if (b >= n) {
      // The text ends without a line break.
      out->content_end = emit(n, true);
      out->next = n;
      out->lines = 0;
      out->terminated = false;
      return true;
    }
    const std::size_t avail = n - b;
    const csv_detail::BlockMasks m = csv_detail::MasksOf(s + b, avail, delim);
    uint64_t upto = avail >= 64 ? ~uint64_t{0} : (uint64_t{1} << avail) - 1;
    if (m.lf != 0) {
      const uint64_t first = m.lf & (~m.lf + 1);
      upto = first | (first - 1);
    }
    if ((m.quote & upto) != 0) return false;
    uint64_t stops = (m.delimiter | m.lf) & upto;
    uint64_t high = m.high & upto;
    while (stops != 0) {
      const std::size_t q = b + static_cast<std::size_t>(__builtin_ctzll(stops));
      stops &= stops - 1;
      if (high != 0 && !read_high(high, b, q)) return false;
      if (s[q] == '\n') {
        out->content_end = emit(q, true);
        out->next = q + 1;
        out->lines = 1;
        out->terminated = true;
        return true;
      }
      emit(q, false);
      cell_begin = q + 1;
      extra_begin = extra;
    }
    if (high != 0 && !read_high(high, b, n)) return false;
  }
}

}  // namespace policy::load
