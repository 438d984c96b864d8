// RecordParser: one record at a time from a RecordChunk.
//
// Lifetimes (what a Record handed out by Next points to):
//  * `row`'s entries array and the cells' path nodes belong to the parser: the
//    entries are overwritten by the next call, the path nodes live as long as it;
//  * map keys of CSV rows are views of the CsvHeader's names (it outlives the parser);
//  * cell and JSON strings are views into the chunk's text, except those that
//    needed unescaping ("" in CSV, \-escapes in JSON), which are in `arena`;
//  * JSON Lines rows that are flat objects of scalars (nearly all) are read by
//    JsonParser::ParseRecord: entries in the parser's buffer (overwritten by the
//    next call), keys and path nodes kept by the parser (they live as long as it);
//  * other JSON Lines rows (maps, lists, nested path nodes) are allocated in `arena`.
// So a record is valid until the next Next/Reset, the chunk changes, or the
// caller resets the arena; a CSV record, and a flat JSON Lines record once its
// keys were seen, cost no heap allocation once the parser's vectors have grown
// to the widest record.
#include <cstring>
#include <new>

#include "libpolicy/load/csv_internal.h"
#include "libpolicy/load/json_internal.h"
#include "libpolicy/load/loaders.h"
#include "libpolicy/load/text_internal.h"

namespace policy::load {
namespace {

// A one-line cell is all ASCII when it spans as many columns (code points) as
// bytes: Value::kAscii for free, so rules need not read its text again.
bool AllAscii(const CsvCell& cell) {
  return cell.end_line == cell.line && cell.end - cell.begin == cell.end_column - cell.column;
}

}  // namespace

struct RecordParser::Impl {
  Impl(const ChunkOptions& opts, const CsvHeader* hdr, std::string name)
      : options(opts),
        header(hdr),
        file(std::move(name)),
        scanner(opts.delimiter),
        json(options.limits, /*copy_strings=*/false) {
    row_path.key = "row";
    if (header != nullptr) {
      // Built once: every record's cells share these path nodes and keys.
      column_paths.resize(header->names.size());
      entries.resize(header->names.size());
      for (std::size_t i = 0; i < header->names.size(); ++i) {
        column_paths[i] = PathNode{&row_path, header->names[i], -1};
        entries[i].key = header->names[i];
      }
    }
  }

  bool Fail(std::optional<InputError>& error, DiagCode code, uint32_t line, uint32_t column,
            std::string message) {
    error = MakeError(code, file, line, column, std::move(message));
    failed = true;
    return false;
  }

  // Skips empty lines (LF or CRLF); returns false at the end of the chunk.
  bool SkipBlankLines(std::string_view text) {
    while (pos < text.size()) {
      if (text[pos] == '\n') {
        ++pos;
      } else if (text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') {
        pos += 2;
      } else {
        return true;
      }
      ++line;
    }
    return false;
  }

  bool NextCsv(Record& rec, Arena& arena, std::optional<InputError>& error) {
    std::string_view text = chunk->text;
    if (!SkipBlankLines(text)) return false;
    const std::size_t start = pos;
    CsvRecordScan scan;
    std::size_t cell_count = 0;
    const bool plain = ScanPlainRow(text, start, &scan, &cell_count);
    if (!plain) {
      scan = scanner.Scan(text, start, line, cells);
      cell_count = cells.size();
    }
    if (scan.unterminated_quote) {
      return Fail(error, DiagCode::kInputSyntax, scan.quote_line, scan.quote_column,
                  "unterminated quoted field");
    }
    if (scan.content_end - start > options.limits.max_line_length) {
      return Fail(
          error, DiagCode::kInputTooLarge, line, 1,
          "record longer than " + std::to_string(options.limits.max_line_length) + " bytes");
    }
    rec.line = line;
    rec.text = text.substr(start, scan.content_end - start);
    rec.issues.clear();
    const std::size_t columns = entries.size();
    if (cell_count != columns) {
      rec.issues.push_back({line,
                            1,
                            {},
                            "record has " + std::to_string(cell_count) + " cells, the header has " +
                                std::to_string(columns)});
    }
    if (!plain) SetScannedRow(text, arena, rec);
    rec.row = Value::Map(entries.data(), static_cast<uint32_t>(columns));
    rec.shape = 1;
    Loc row_loc;
    row_loc.line = line;
    row_loc.column = 1;
    rec.row.set_loc(row_loc);
    rec.row.set_path(&row_path);
    line += scan.lines;
    pos = scan.next;
    return true;
  }

  // The common record (unquoted, one line, well-formed): each cell's value is
  // written as the scanner finds the cell, with no cell list in between. False
  // when the record needs the general scan (the values written mean nothing).
  bool ScanPlainRow(std::string_view text, std::size_t start, CsvRecordScan* scan,
                    std::size_t* cell_count) {
    const std::size_t columns = entries.size();
    std::size_t i = 0;
    const uint32_t row_line = line;
    // Values are written in place: building a temporary Value and copying it
    // costs more than the rest of the split (partial stores, then wide loads).
    auto put = [&](std::size_t begin, std::size_t end, uint32_t column, uint32_t end_column) {
      if (i < columns) {
        Value& v = entries[i].value;
        if (end == begin) {
          new (&v) Value();
        } else {
          // Not substr: the scanner's offsets are within the text, so its bounds
          // check (a compare and a branch per cell) is wasted.
          new (&v) Value(Value::String(std::string_view(text.data() + begin, end - begin)));
          // As many columns (code points) as bytes: all ASCII (Value::kAscii).
          if (end - begin == end_column - column) v.set_flags(Value::kAscii);
        }
        v.set_loc(Loc{row_line, column, row_line, end_column, 0});
        v.set_path(&column_paths[i]);
      }
      ++i;
    };
    if (!scanner.ScanPlainCells(text, start, scan, put)) return false;
    for (std::size_t k = i; k < columns; ++k) {
      Value& v = entries[k].value;
      new (&v) Value();
      v.set_path(&column_paths[k]);
    }
    *cell_count = i;
    return true;
  }

  // The values of a record split by the general scan, from `cells`.
  void SetScannedRow(std::string_view text, Arena& arena, Record& rec) {
    const std::size_t columns = entries.size();
    for (std::size_t i = 0; i < columns; ++i) {
      Value& v = entries[i].value;
      if (i >= cells.size()) {
        new (&v) Value();
        v.set_path(&column_paths[i]);
        continue;
      }
      const CsvCell& cell = cells[i];
      if (cell.bad_utf8 || cell.junk) [[unlikely]] {
        rec.issues.push_back({cell.line, cell.column, header->names[i],
                              cell.bad_utf8 ? "invalid UTF-8" : "text after the closing quote"});
        new (&v) Value();
      } else {
        SetCellValue(text, cell, arena, v);
      }
      v.set_loc(Loc{cell.line, cell.column, cell.end_line, cell.end_column, 0});
      v.set_flags(
          static_cast<uint8_t>((cell.quoted ? Value::kQuoted : 0) |
                               (cell.end_line != cell.line ? Value::kMultiLine : 0) |
                               (v.is(Type::kString) && AllAscii(cell) ? Value::kAscii : 0)));
      v.set_path(&column_paths[i]);
    }
  }

  // Constructs the cell's value in `v` (placement: no temporary to copy).
  static void SetCellValue(std::string_view text, const CsvCell& cell, Arena& arena, Value& v) {
    std::string_view raw = text.substr(cell.begin, cell.end - cell.begin);
    if (cell.quoted && !cell.escapes) {
      raw = raw.substr(1, raw.size() - 2);
    } else if (cell.quoted) {
      char* out = static_cast<char*>(arena.Allocate(raw.size(), 1));
      raw = std::string_view(out, CsvScanner::Unescape(raw, out));
      new (&v) Value(Value::String(raw));
      return;
    }
    if (raw.empty()) {
      new (&v) Value();
    } else {
      new (&v) Value(Value::String(raw));
    }
  }

  bool NextJsonLine(Record& rec, Arena& arena, std::optional<InputError>& error) {
    std::string_view text = chunk->text;
    while (true) {
      if (pos >= text.size()) return false;
      const void* lf = std::memchr(text.data() + pos, '\n', text.size() - pos);
      std::size_t end = lf != nullptr
                            ? static_cast<std::size_t>(static_cast<const char*>(lf) - text.data())
                            : text.size();
      std::size_t next = lf != nullptr ? end + 1 : end;
      std::size_t content_end = end > pos && text[end - 1] == '\r' ? end - 1 : end;
      std::string_view content = text.substr(pos, content_end - pos);
      if (content.find_first_not_of(" \t\r") == std::string_view::npos) {
        pos = next;
        ++line;
        continue;
      }
      if (content.size() > options.limits.max_line_length) {
        return Fail(
            error, DiagCode::kInputTooLarge, line, 1,
            "line longer than " + std::to_string(options.limits.max_line_length) + " bytes");
      }
      Value row;
      JsonError json_error;
      rec.line = line;
      rec.text = content;
      rec.issues.clear();
      rec.bad.reset();
      rec.row = Value();
      pos = next;
      ++line;
      // A line that is no record is reported where it is; the lines after it
      // are still records (each line stands alone in JSON Lines).
      if (!json.ParseRecord(content, rec.line, &row_path, arena, &row, &json_error, &rec.shape)) {
        rec.shape = 0;
        rec.bad = MakeError(json_error.code, file, json_error.line, json_error.column,
                            std::move(json_error.message));
      } else if (!row.is(Type::kMap)) {
        rec.shape = 0;
        rec.bad = MakeError(DiagCode::kInputNotObject, file, row.loc().line, row.loc().column,
                            std::string("a JSON Lines record must be an object, found ") +
                                std::string(TypeName(row.type())));
      } else {
        rec.row = row;
      }
      return true;
    }
  }

  ChunkOptions options;
  const CsvHeader* header;
  std::string file;
  CsvScanner scanner;
  JsonParser json;
  PathNode row_path;
  std::vector<PathNode> column_paths;
  std::vector<MapEntry> entries;  // the current CSV row, reused
  std::vector<CsvCell> cells;
  const RecordChunk* chunk = nullptr;
  std::size_t pos = 0;
  uint32_t line = 0;
  bool failed = false;
};

RecordParser::RecordParser(const ChunkOptions& options, const CsvHeader* header, std::string file)
    : impl_(std::make_unique<Impl>(options, options.format == RecordFormat::kCsv ? header : nullptr,
                                   std::move(file))) {}

RecordParser::~RecordParser() = default;

void RecordParser::Reset(const RecordChunk* chunk) {
  impl_->chunk = chunk;
  impl_->pos = 0;
  impl_->line = chunk != nullptr ? chunk->first_line : 0;
  impl_->failed = false;
}

bool RecordParser::Next(Record& rec, Arena& arena, std::optional<InputError>& error) {
  Impl& m = *impl_;
  if (m.chunk == nullptr || m.failed) return false;
  if (m.options.format == RecordFormat::kJsonLines) return m.NextJsonLine(rec, arena, error);
  if (m.header == nullptr) return false;
  return m.NextCsv(rec, arena, error);
}

}  // namespace policy::load
