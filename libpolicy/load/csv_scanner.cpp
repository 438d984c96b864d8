#include "libpolicy/load/csv_internal.h"
#include "libpolicy/load/text_internal.h"

namespace policy::load {

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
  cells.clear();
  return ScanPlainCells(
      text, pos, out,
      [&](std::size_t begin, std::size_t end, uint32_t column, uint32_t end_column) {
        CsvCell& cell = cells.emplace_back();
        cell.begin = static_cast<uint32_t>(begin);
        cell.end = static_cast<uint32_t>(end);
        cell.line = line;
        cell.column = column;
        cell.end_line = line;
        cell.end_column = end_column;
      });
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
