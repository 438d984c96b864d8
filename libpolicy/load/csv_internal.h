#pragma once
// Splitting CSV/TSV records into cells (RFC 4180), shared by the header reader
// and RecordParser. Works on byte offsets into one buffer; no allocation beyond
// the caller's reusable cell vector.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

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

  // The value of a quoted cell's raw text without the quotes and with "" -> ".
  static std::size_t Unescape(std::string_view raw, char* out);

 private:
  char delimiter_;
  bool plain_ok_ = false;                  // ScanPlain can be used with this delimiter
  std::array<bool, 256> stop_unquoted_{};  // delimiter, LF, non-ASCII
  std::array<bool, 256> stop_quoted_{};    // quote, LF, non-ASCII
};

}  // namespace policy::load
