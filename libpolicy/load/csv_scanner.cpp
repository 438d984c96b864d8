#include "libpolicy/load/csv_internal.h"
#include "libpolicy/load/text_internal.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace policy::load {
namespace {

// Bit k: byte s[k] is the delimiter, a line break, a quote, a byte >= 0x80.
struct BlockMasks {
  uint64_t delimiter = 0;
  uint64_t lf = 0;
  uint64_t quote = 0;
  uint64_t high = 0;
};

// Masks of the 64 bytes at s, or of the `avail` (< 64) bytes left.
BlockMasks MasksOf(const unsigned char* s, std::size_t avail, unsigned char delimiter) {
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

}  // namespace

CsvScanner::CsvScanner(char delimiter) : delimiter_(delimiter) {
  for (int c = 0x80; c < 256; ++c) stop_unquoted_[c] = stop_quoted_[c] = true;
  stop_unquoted_[static_cast<unsigned char>(delimiter)] = true;
  stop_unquoted_['\n'] = true;
  stop_quoted_['"'] = true;
  stop_quoted_['\n'] = true;
  const auto d = static_cast<unsigned char>(delimiter);
  plain_ok_ = d != '\n' && d != '\r' && d != '"' && d < 0x80;
}

bool CsvScanner::ScanPlain(std::string_view text, std::size_t pos, uint32_t line,
                           std::vector<CsvCell>& cells, CsvRecordScan* out) const {
  if (!plain_ok_) return false;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const auto delim = static_cast<unsigned char>(delimiter_);
  cells.clear();
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
    // Written in place: a cell built aside and copied costs a store-forwarding stall.
    CsvCell& cell = cells.emplace_back();
    cell.begin = static_cast<uint32_t>(cell_begin);
    cell.end = static_cast<uint32_t>(end);
    cell.line = line;
    cell.column = static_cast<uint32_t>(1 + (cell_begin - pos) - extra_begin);
    cell.end_line = line;
    cell.end_column = static_cast<uint32_t>(1 + (end - pos) - extra);
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
    const BlockMasks m = MasksOf(s + b, avail, delim);
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

std::size_t CsvScanner::Unescape(std::string_view raw, char* out) {
  std::size_t n = 0;
  // raw is "...": drop the outer quotes; a doubled quote inside is one quote.
  std::size_t end = raw.size() >= 2 && raw.back() == '"' ? raw.size() - 1 : raw.size();
  for (std::size_t i = 1; i < end; ++i) {
    out[n++] = raw[i];
    if (raw[i] == '"' && i + 1 < end && raw[i + 1] == '"') ++i;
  }
  return n;
}

CsvRecordScan CsvScanner::Scan(std::string_view text, std::size_t pos, uint32_t line,
                               std::vector<CsvCell>& cells) const {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const auto delim = static_cast<unsigned char>(delimiter_);
  std::size_t p = pos;
  std::size_t line_start = pos;
  uint32_t extra = 0;  // bytes beyond one per code point since line_start
  uint32_t cur_line = line;
  CsvRecordScan result;
  cells.clear();

  // Steps over a non-ASCII sequence at p, keeping columns in code points.
  auto step_utf8 = [&](CsvCell& cell) {
    std::size_t len = Utf8SequenceLength(text, p);
    if (len == 0) {
      cell.bad_utf8 = true;
      len = 1;
    }
    extra += static_cast<uint32_t>(len - 1);
    p += len;
  };

  while (true) {
    CsvCell cell;
    cell.begin = static_cast<uint32_t>(p);
    cell.line = cur_line;
    cell.column = static_cast<uint32_t>(1 + (p - line_start) - extra);
    if (p < n && s[p] == '"') {
      cell.quoted = true;
      ++p;
      while (true) {
        while (p < n && !stop_quoted_[s[p]]) ++p;
        if (p >= n) {
          result.unterminated_quote = true;
          result.quote_line = cell.line;
          result.quote_column = cell.column;
          result.content_end = result.next = n;
          result.lines = cur_line - line;
          return result;
        }
        if (s[p] == '"') {
          if (p + 1 < n && s[p + 1] == '"') {
            cell.escapes = true;
            p += 2;
            continue;
          }
          ++p;
          break;
        }
        if (s[p] == '\n') {
          ++cur_line;
          ++p;
          line_start = p;
          extra = 0;
          continue;
        }
        step_utf8(cell);
      }
      bool clean_end = p >= n || s[p] == delim || s[p] == '\n' ||
                       (s[p] == '\r' && (p + 1 == n || s[p + 1] == '\n'));
      if (!clean_end) {
        cell.junk = true;
        while (p < n && s[p] != delim && s[p] != '\n') {
          if (s[p] >= 0x80) {
            step_utf8(cell);
          } else {
            ++p;
          }
        }
      }
    } else {
      while (true) {
        while (p < n && !stop_unquoted_[s[p]]) ++p;
        if (p < n && s[p] >= 0x80) {
          step_utf8(cell);
          continue;
        }
        break;
      }
    }
    std::size_t end = p;
    // After a closing quote, CR LF (or a CR ending the text) is the line break.
    if (p < n && s[p] == '\r' && (p + 1 == n || s[p + 1] == '\n')) ++p;
    bool last = p >= n || s[p] == '\n';
    if (last && end > cell.begin && s[end - 1] == '\r') --end;
    cell.end = static_cast<uint32_t>(end);
    cell.end_line = cur_line;
    cell.end_column = static_cast<uint32_t>(1 + (end - line_start) - extra);
    cells.push_back(cell);
    if (!last) {
      ++p;  // the delimiter
      continue;
    }
    result.content_end = end;
    if (p < n) {
      result.terminated = true;
      ++p;
      ++cur_line;
    }
    result.next = p;
    result.lines = cur_line - line;
    return result;
  }
}

}  // namespace policy::load
