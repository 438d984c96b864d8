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

// UTF-8 classes of the 64 bytes at s (SSE2 only): bit k says what s[k] is.
struct Utf8Masks {
  uint64_t cont = 0;   // 0x80..0xBF, a continuation byte
  uint64_t above = 0;  // 0xA0..0xBF (E0 needs its second byte here, ED below it)
  uint64_t lead2 = 0;  // 0xC2..0xDF, starts a two-byte sequence
  uint64_t lead3 = 0;  // 0xE0..0xEF, starts a three-byte sequence
  uint64_t e0 = 0;     // 0xE0
  uint64_t ed = 0;     // 0xED
};

#if defined(__SSE2__)
inline Utf8Masks Utf8MasksOf(const unsigned char* s) {
  Utf8Masks m;
  // Signed bytes: 0x80..0xBF are -128..-65, 0xC2..0xDF -62..-33, 0xE0..0xEF -32..-17.
  const __m128i lt_c0 = _mm_set1_epi8(-64);
  const __m128i gt_9f = _mm_set1_epi8(-97);
  const __m128i gt_c1 = _mm_set1_epi8(-63);
  const __m128i lt_e0 = _mm_set1_epi8(-32);
  const __m128i gt_df = _mm_set1_epi8(-33);
  const __m128i lt_f0 = _mm_set1_epi8(-16);
  const __m128i e0 = _mm_set1_epi8(static_cast<char>(0xE0));
  const __m128i ed = _mm_set1_epi8(static_cast<char>(0xED));
  for (int k = 0; k < 4; ++k) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 16 * k));
    auto bits = [&](__m128i v) {
      return static_cast<uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(v))) << (16 * k);
    };
    const __m128i cont = _mm_cmplt_epi8(x, lt_c0);
    m.cont |= bits(cont);
    m.above |= bits(_mm_and_si128(cont, _mm_cmpgt_epi8(x, gt_9f)));
    m.lead2 |= bits(_mm_and_si128(_mm_cmpgt_epi8(x, gt_c1), _mm_cmplt_epi8(x, lt_e0)));
    m.lead3 |= bits(_mm_and_si128(_mm_cmpgt_epi8(x, gt_df), _mm_cmplt_epi8(x, lt_f0)));
    m.e0 |= bits(_mm_cmpeq_epi8(x, e0));
    m.ed |= bits(_mm_cmpeq_epi8(x, ed));
  }
  return m;
}
#endif

// Checks the UTF-8 of one full block's bytes `upto` (ending at the record's end
// or the block's) at once, instead of one sequence at a time: true when every
// byte >= 0x80 there is part of a well-formed two- or three-byte sequence. The
// first `carry_in` bytes must continue a sequence begun before the block; on
// true, `*carry_out` bytes after the block must continue one begun in it.
// False says nothing about validity (four-byte sequences, sequences whose first
// two bytes straddle blocks, errors): the caller then reads the block exactly.
inline bool PlainUtf8Block(const Utf8Masks& u, uint64_t high, uint64_t upto, unsigned carry_in,
                           unsigned* carry_out) {
  const uint64_t lead2 = u.lead2 & upto;
  const uint64_t lead3 = u.lead3 & upto;
  const uint64_t cont = u.cont & upto;
  if ((high & ~(cont | lead2 | lead3)) != 0) return false;
  // E0 and ED restrict their second byte (no overlong forms, no surrogates); one
  // in the last byte would have it in the next block.
  const uint64_t e0 = u.e0 & upto;
  const uint64_t ed = u.ed & upto;
  if (((e0 | ed) >> 63) != 0) return false;
  if (((e0 << 1) & ~u.above) != 0 || ((ed << 1) & u.above) != 0) return false;
  // Well-formed exactly when the continuation bytes are the ones the lead bytes
  // call for: a lead or ASCII byte where one is expected, or a stray
  // continuation byte, makes the two differ.
  const uint64_t expected =
      ((uint64_t{1} << carry_in) - 1) | (lead2 << 1) | (lead3 << 1) | (lead3 << 2);
  if (expected != cont || (expected & ~upto) != 0) return false;
  const unsigned out = static_cast<unsigned>(lead2 >> 63) + 2 * static_cast<unsigned>(lead3 >> 63) +
                       static_cast<unsigned>((lead3 >> 62) & 1);
  // A sequence may only run on into the next block when the record does.
  if (out != 0 && upto != ~uint64_t{0}) return false;
  *carry_out = out;
  return true;
}

// Bits set in x. Inline: without -mpopcnt __builtin_popcountll is a library call.
inline std::size_t PopCount(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555);
  x = (x & 0x3333333333333333) + ((x >> 2) & 0x3333333333333333);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0F;
  return static_cast<std::size_t>((x * 0x0101010101010101) >> 56);
}

// Checks the UTF-8 of the bytes `upto` of the block at text[b] whose bytes >= 0x80
// are `high`, where bytes before *skip_to continue a sequence begun earlier
// (still to be checked when *pending). On true: `*counted` holds the block's
// bytes beyond the first of their sequence (those of an earlier sequence
// excepted), `*carry` how many bytes of the next block continue a sequence of
// this one, and *skip_to, *pending are moved on. False when a byte is not UTF-8
// (or the text ends inside a sequence).
inline bool Utf8Block(std::string_view text, std::size_t b, uint64_t high, uint64_t upto,
                      std::size_t* skip_to, bool* pending, uint64_t* counted, std::size_t* carry) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
#if defined(__SSE2__)
  if (n - b >= 64) {
    const unsigned carry_in = *skip_to > b ? static_cast<unsigned>(*skip_to - b) : 0;
    const Utf8Masks u = Utf8MasksOf(s + b);
    unsigned out = 0;
    if (PlainUtf8Block(u, high, upto, carry_in, &out)) {
      *counted = u.cont & upto & ~((uint64_t{1} << carry_in) - 1);
      *carry = out;
      *skip_to = b + 64 + out;
      *pending = out != 0;
      return true;
    }
  }
#endif
  if (*pending) {
    // The sequence PlainUtf8Block let run on into this block: check its end.
    for (std::size_t k = b; k < *skip_to; ++k)
      if (k >= n || (s[k] & 0xC0u) != 0x80u || ((upto >> (k - b)) & 1) == 0) return false;
    *pending = false;
  }
  // One sequence at a time (four-byte sequences, sequences straddling blocks
  // with E0/ED, the end of the text, and errors).
  uint64_t extra_bits = 0;
  std::size_t end = *skip_to;
  while (high != 0) {
    const std::size_t h = b + static_cast<std::size_t>(__builtin_ctzll(high));
    high &= high - 1;
    if (h < end) continue;  // continuation bytes of a sequence begun earlier
    const std::size_t len = Utf8Length(text, h);
    if (len == 0) return false;
    end = h + len;
    // Bits h+1 .. h+len-1, those within the block (the shift drops the others).
    const std::size_t first = h + 1 - b;
    if (first < 64) extra_bits |= ((uint64_t{1} << (len - 1)) - 1) << first;
  }
  *counted = extra_bits;
  *carry = end > b + 64 ? end - (b + 64) : 0;
  *skip_to = end;
  return true;
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
  auto emit = [&](std::size_t end, bool last) {
    // A CR before the line break (or the end of the text) is not the last cell's.
    if (last && end > cell_begin && s[end - 1] == '\r') --end;
    cell(cell_begin, end, static_cast<uint32_t>(1 + (cell_begin - pos) - extra_begin),
         static_cast<uint32_t>(1 + (end - pos) - extra));
    return end;
  };
  // Bytes b..skip_to-1 continue a sequence PlainUtf8Block began but did not check.
  bool pending = false;
  for (std::size_t b = pos;; b += 64) {
    if (b >= n) {
      if (pending) return false;  // the text ends inside a sequence
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
    // Bytes of the block beyond the first of their UTF-8 sequence, not yet in
    // `extra`; sequences running on into the next block count `carry` bytes there.
    uint64_t counted = 0;
    std::size_t carry = 0;
    if (const uint64_t high = m.high & upto; high != 0 || pending) {
      if (!csv_detail::Utf8Block(text, b, high, upto, &skip_to, &pending, &counted, &carry))
        return false;
    }
    while (stops != 0) {
      const std::size_t k = static_cast<std::size_t>(__builtin_ctzll(stops));
      const std::size_t q = b + k;
      stops &= stops - 1;
      if (counted != 0) {
        const uint64_t before = counted & ((uint64_t{1} << k) - 1);
        extra += csv_detail::PopCount(before);
        counted &= ~before;
      }
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
    extra += csv_detail::PopCount(counted) + carry;
  }
}

}  // namespace policy::load
