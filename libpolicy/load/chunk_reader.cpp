// OpenRecords: sequential reading of a record input in chunks cut at record
// boundaries.
//
// Memory: one buffer holding at most the bytes of the chunk being cut plus the
// partial record after it (bounded by max_line_length); the chunk handed out
// takes that buffer, and the caller's RecordChunk gives its own in exchange.
//
// The buffer's size() is only its usable room: the bytes read are its first
// len_. Reads go into that room, so a buffer that came back from a chunk is
// filled without first being zeroed (std::string::resize would zero it).
//
// CSV boundaries are quote-aware. A quote opens a quoted cell only at the start
// of a cell (after a delimiter or a line break), exactly as CsvScanner reads it,
// so the reader and the parser always agree on where records end. The quote
// state survives buffer refills.
//
// Line breaks: LF or CR LF, or a CR alone (old Mac files). The input's first
// line break says which; in a CR-only input every CR is turned into LF as the
// bytes are read, so the boundary scan, CsvScanner and its fast paths, the JSON
// parser and line counting all see LF (a line break inside a quoted cell then
// reads as LF, as YAML also normalises it).
#include <string.h>  // memrchr

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include "libpolicy/load/csv_internal.h"
#include "libpolicy/load/loaders.h"
#include "libpolicy/load/text_internal.h"

namespace policy::load {
namespace {

const char* LastLf(const char* s, std::size_t n) {
#if defined(__GLIBC__)
  return n == 0 ? nullptr : static_cast<const char*>(memrchr(s, '\n', n));
#else
  for (std::size_t i = n; i > 0; --i) {
    if (s[i - 1] == '\n') return s + i - 1;
  }
  return nullptr;
#endif
}

// Where bytes come from: a file read in blocks, or a string given in memory.
class ByteSource {
 public:
  ByteSource(const std::string& file, std::optional<std::string> text) {
    if (text) {
      memory_ = std::move(*text);
      in_memory_ = true;
      return;
    }
    file_ = std::fopen(file.c_str(), "rb");
    if (file_ == nullptr) open_error_ = std::strerror(errno);
  }
  ~ByteSource() {
    if (file_ != nullptr) std::fclose(file_);
  }
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  const std::string& open_error() const { return open_error_; }

  // Reads from byte `offset` on (a partition's start); false when it cannot.
  bool Seek(uint64_t offset) {
    if (in_memory_) {
      memory_pos_ = std::min<uint64_t>(offset, memory_.size());
      return true;
    }
    if (file_ == nullptr) return false;
    if (fseeko(file_, static_cast<off_t>(offset), SEEK_SET) == 0) return true;
    read_error_ = std::strerror(errno);
    return false;
  }
  // Reads give no more than `n` bytes from here on (a partition's end).
  void Limit(uint64_t n) {
    left_ = n;
    limited_ = true;
  }
  // Bytes of the limit that the input did not have (it ended early).
  uint64_t Missing() const { return limited_ ? left_ : 0; }

  // Writes up to `n` bytes to `out`; returns how many (0 at the end or on error).
  std::size_t Read(char* out, std::size_t n) {
    n = static_cast<std::size_t>(std::min<uint64_t>(n, left_));
    const std::size_t got = ReadSome(out, n);
    if (limited_) left_ -= got;
    return got;
  }
  // How many bytes a Read of `n` may bring: in memory, no more than are left.
  std::size_t Expected(std::size_t n) const {
    n = static_cast<std::size_t>(std::min<uint64_t>(n, left_));
    return in_memory_ ? std::min(n, memory_.size() - memory_pos_) : n;
  }
  const std::string& read_error() const { return read_error_; }

 private:
  std::size_t ReadSome(char* out, std::size_t n) {
    if (in_memory_) {
      std::size_t take = std::min(n, memory_.size() - memory_pos_);
      if (take != 0) std::memcpy(out, memory_.data() + memory_pos_, take);
      memory_pos_ += take;
      return take;
    }
    if (file_ == nullptr) return 0;
    std::size_t got = std::fread(out, 1, n, file_);
    if (got == 0 && std::ferror(file_)) read_error_ = std::strerror(errno);
    return got;
  }

  std::FILE* file_ = nullptr;
  std::string memory_;
  std::size_t memory_pos_ = 0;
  bool in_memory_ = false;
  std::string open_error_;
  std::string read_error_;
  uint64_t left_ = UINT64_MAX;  // bytes a Read may still give (Limit)
  bool limited_ = false;
};

class Reader : public ChunkReader {
 public:
  Reader(const std::string& file, const ChunkOptions& options, std::optional<std::string> text,
         const std::optional<RecordRange>& range)
      : file_(file),
        range_(range),
        options_(options),
        source_(file, std::move(text)),
        block_(std::max<std::size_t>(options.chunk_bytes, 1)) {
    if (!source_.open_error().empty()) {
      Unreadable("cannot open: " + source_.open_error());
      return;
    }
    // A partition at the start reads as the whole input would, up to its end.
    const bool later_partition = range && range->begin > 0;
    if (range && !later_partition) source_.Limit(range->end);
    Fill();
    // Tiny read blocks: a BOM is only recognised whole.
    while (!error_ && !eof_ && len_ < kUtf8Bom.size()) Fill();
    if (error_) return;
    Consume(BomLength(Text()));
    if (options_.format == RecordFormat::kCsv) ReadHeader();
    if (!error_ && later_partition) StartAt(*range);
  }

  const CsvHeader& header() const override { return header_; }
  const std::optional<InputError>& error() const override { return error_; }

  bool Next(RecordChunk& chunk) override {
    if (error_ || done_) return false;
    while (true) {
      ScanBoundaries();
      bool scanned_all = scan_pos_ >= len_;
      if (scanned_all && last_boundary_ >= block_) break;
      if (eof_) break;
      if (len_ - last_boundary_ > options_.limits.max_line_length) {
        if (last_boundary_ > 0) break;  // hand out the records before it first
        error_ = MakeError(
            DiagCode::kInputTooLarge, file_, LineOf(last_boundary_), 1,
            "record longer than " + std::to_string(options_.limits.max_line_length) + " bytes");
        return false;
      }
      Fill();
      if (error_) return false;
    }
    std::size_t cut = last_boundary_;
    if (eof_) {
      if (!in_quotes_) {
        cut = len_;
        done_ = true;
      } else if (cut == 0) {
        ReportUnterminated();
        return false;
      }
    }
    if (cut == 0) {
      done_ = true;
      return false;
    }
    HandOver(chunk.text, cut);
    chunk.first_line = next_line_;
    chunk.index = index_++;
    chunk.offset = offset_;
    offset_ += cut;
    next_line_ += static_cast<uint32_t>(CountByte(chunk.text.data(), chunk.text.size(), '\n'));
    scan_pos_ -= cut;
    last_boundary_ = 0;
    if (in_quotes_) quote_open_ -= cut;
    return true;
  }

 private:
  std::string_view Text() const { return std::string_view(buf_.data(), len_); }

  // An input that cannot be read; a partition's names its byte range, the
  // task that failed.
  void Unreadable(const std::string& message) {
    std::string where;
    if (range_)
      where =
          " (byte range " + std::to_string(range_->begin) + "-" + std::to_string(range_->end) + ")";
    error_ = MakeError(DiagCode::kInputUnreadable, file_, 0, 0, message + where);
  }

  // Drops what was read after the header (or the BOM) and goes on at the
  // partition's first record: the line breaks are already decided by the
  // input's first one, as for the whole input, and the header's issues are the
  // first partition's to report.
  void StartAt(const RecordRange& range) {
    // The first line break decides how breaks are read: find it as the whole
    // input's reader would (the first partition's records end before range.begin).
    while (!error_ && !eof_ && breaks_ == Breaks::kUndecided && consumed_ + len_ < range.begin)
      Fill();
    if (error_) return;
    if (range.begin < consumed_ || range.end < range.begin) {
      Unreadable("a partition must start after the header, at a record");
      return;
    }
    header_.issues.clear();
    len_ = 0;
    eof_ = false;
    done_ = false;
    if (!source_.Seek(range.begin)) {
      Unreadable("cannot seek: " + source_.read_error());
      return;
    }
    source_.Limit(range.end - range.begin);
    next_line_ = range.first_line;
    offset_ = range.begin;
  }

  // Reads the next block after the bytes held; the room for it is zeroed only
  // where the buffer never had any.
  void Fill() {
    const std::size_t want = source_.Expected(block_);
    if (buf_.size() < len_ + want) buf_.resize(len_ + want);
    const std::size_t before = len_;
    std::size_t got = source_.Read(buf_.data() + len_, want);
    len_ += got;
    if (got == 0) {
      eof_ = true;
      if (!source_.read_error().empty()) {
        Unreadable("cannot read: " + source_.read_error());
      } else if (source_.Missing() != 0) {
        Unreadable("the input ends " + std::to_string(source_.Missing()) +
                   " bytes before the end of its partition (changed since it was split?)");
      }
    }
    if (breaks_ == Breaks::kUndecided) {
      DecideBreaks();
    } else if (breaks_ == Breaks::kCr) {
      CrToLf(before);
    }
  }

  // Looks for the input's first line break in the bytes held. Until there is
  // one no record has been cut, so the buffer still holds everything read.
  void DecideBreaks() {
    for (std::size_t i = 0; i < len_; ++i) {
      if (buf_[i] == '\n') {
        breaks_ = Breaks::kLf;
        return;
      }
      if (buf_[i] != '\r') continue;
      if (i + 1 == len_ && !eof_) return;  // CR LF or a lone CR: the next read tells
      breaks_ = i + 1 < len_ && buf_[i + 1] == '\n' ? Breaks::kLf : Breaks::kCr;
      if (breaks_ == Breaks::kCr) CrToLf(i);
      return;
    }
  }

  void CrToLf(std::size_t from) {
    char* s = buf_.data();
    for (char* p = s + from; p < s + len_;) {
      p = static_cast<char*>(std::memchr(p, '\r', static_cast<std::size_t>(s + len_ - p)));
      if (p == nullptr) break;
      *p++ = '\n';
    }
  }

  // Drops the first `n` bytes held.
  void Consume(std::size_t n) {
    if (n == 0) return;
    consumed_ += n;
    offset_ += n;
    std::memmove(buf_.data(), buf_.data() + n, len_ - n);
    len_ -= n;
  }

  // `text` takes the buffer's first `cut` bytes and the buffer takes `text`'s
  // storage, holding the bytes after the cut: no copy of the chunk's bytes. The
  // storage given back keeps its size as room, so later reads need no zeroing.
  void HandOver(std::string& text, std::size_t cut) {
    const std::size_t tail = len_ - cut;
    if (text.size() < tail) text.resize(tail);
    if (tail != 0) std::memcpy(text.data(), buf_.data() + cut, tail);
    text.swap(buf_);
    text.resize(cut);
    len_ = tail;
  }

  // Advances the boundary scan over the bytes read since the last call.
  void ScanBoundaries() {
    const char* s = buf_.data();
    const std::size_t n = len_;
    std::size_t p = scan_pos_;
    if (options_.format == RecordFormat::kJsonLines) {
      // JSON strings cannot hold a raw line break: every LF ends a record.
      const char* lf = LastLf(s + p, n - p);
      if (lf != nullptr) last_boundary_ = static_cast<std::size_t>(lf - s) + 1;
      scan_pos_ = n;
      return;
    }
    while (p < n) {
      if (!in_quotes_) {
        const void* q = std::memchr(s + p, '"', n - p);
        std::size_t qpos =
            q != nullptr ? static_cast<std::size_t>(static_cast<const char*>(q) - s) : n;
        const char* lf = LastLf(s + p, qpos - p);
        if (lf != nullptr) last_boundary_ = static_cast<std::size_t>(lf - s) + 1;
        if (qpos == n) {
          p = n;
          break;
        }
        if (qpos == 0 || s[qpos - 1] == '\n' || s[qpos - 1] == options_.delimiter) {
          in_quotes_ = true;
          quote_open_ = qpos;
        }
        p = qpos + 1;
      } else {
        const void* q = std::memchr(s + p, '"', n - p);
        if (q == nullptr) {
          p = n;
          break;
        }
        std::size_t qpos = static_cast<std::size_t>(static_cast<const char*>(q) - s);
        if (qpos + 1 == n && !eof_) {
          p = qpos;  // look again once the next byte is read
          break;
        }
        if (qpos + 1 < n && s[qpos + 1] == '"') {
          p = qpos + 2;
        } else {
          in_quotes_ = false;
          p = qpos + 1;
        }
      }
    }
    scan_pos_ = p;
  }

  uint32_t LineOf(std::size_t offset) const {
    return next_line_ + static_cast<uint32_t>(CountByte(buf_.data(), offset, '\n'));
  }

  void ReportUnterminated() {
    std::size_t line_begin = 0;
    if (quote_open_ > 0) {
      std::size_t lf = Text().rfind('\n', quote_open_ - 1);
      if (lf != std::string::npos) line_begin = lf + 1;
    }
    uint32_t column = 1 + CountCodePoints(Text().substr(line_begin, quote_open_ - line_begin));
    error_ = MakeError(DiagCode::kInputSyntax, file_, LineOf(quote_open_), column,
                       "unterminated quoted field");
  }

  // Line 1 (after the BOM) names the columns.
  void ReadHeader() {
    CsvScanner scanner(options_.delimiter);
    std::vector<CsvCell> cells;
    CsvRecordScan scan;
    while (true) {
      scan = scanner.Scan(Text(), 0, 1, cells);
      if (scan.terminated || eof_) break;
      if (len_ > options_.limits.max_line_length) {
        error_ = MakeError(
            DiagCode::kInputTooLarge, file_, 1, 1,
            "header longer than " + std::to_string(options_.limits.max_line_length) + " bytes");
        return;
      }
      Fill();
      if (error_) return;
    }
    if (len_ == 0) {
      done_ = true;
      return;
    }
    if (scan.unterminated_quote) {
      error_ = MakeError(DiagCode::kInputSyntax, file_, scan.quote_line, scan.quote_column,
                         "unterminated quoted field in the header");
      return;
    }
    std::string unescaped;
    for (const CsvCell& cell : cells) {
      std::string_view raw = Text().substr(cell.begin, cell.end - cell.begin);
      std::string name;
      if (cell.quoted) {
        unescaped.resize(raw.size());
        name.assign(unescaped.data(), CsvScanner::Unescape(raw, unescaped.data()));
      } else {
        name.assign(raw);
      }
      std::size_t b = name.find_first_not_of(" \t");
      std::size_t e = name.find_last_not_of(" \t");
      name = b == std::string::npos ? std::string() : name.substr(b, e - b + 1);
      header_.names.push_back(std::move(name));
      // The column of the name itself, after the blanks trimmed off it.
      std::string_view cell_text = Text().substr(cell.begin, cell.end - cell.begin);
      std::size_t lead = cell.quoted ? 0 : cell_text.find_first_not_of(" \t");
      header_.columns.push_back(cell.column +
                                static_cast<uint32_t>(lead == std::string_view::npos ? 0 : lead));
    }
    // Issues name their column with views into header_.names, complete by now: they
    // stay valid as long as this reader (a copied CsvHeader still points here).
    // Each name's first column is kept in a hash map: a header of 100 000 columns
    // must not compare every pair of names.
    std::unordered_map<std::string_view, std::size_t> first_column;
    first_column.reserve(cells.size());
    for (std::size_t i = 0; i < cells.size(); ++i) {
      auto [it, inserted] = first_column.emplace(header_.names[i], i);
      if (!inserted) header_.duplicate_names = true;
      if (cells[i].bad_utf8) {
        header_.issues.push_back(
            {cells[i].line, cells[i].column, {}, "invalid UTF-8 in a column name"});
        continue;
      }
      if (!inserted) {
        header_.issues.push_back({cells[i].line, cells[i].column, header_.names[i],
                                  "duplicate column name '" + header_.names[i] + "' (also column " +
                                      std::to_string(it->second + 1) + ")"});
      }
    }
    next_line_ = 1 + scan.lines;
    Consume(scan.next);
  }

  std::string file_;
  std::optional<RecordRange> range_;
  ChunkOptions options_;
  ByteSource source_;
  std::size_t block_;
  CsvHeader header_;
  std::optional<InputError> error_;
  std::string buf_;        // buf_[0] is at the start of a record, on line next_line_
  uint64_t consumed_ = 0;  // bytes dropped from the input's start (BOM, header)
  uint64_t offset_ = 0;    // the input's byte offset of buf_[0]
  std::size_t len_ = 0;    // bytes held in buf_; the rest of its size is room
  uint32_t next_line_ = 1;
  uint64_t index_ = 0;
  bool eof_ = false;
  bool done_ = false;
  std::size_t scan_pos_ = 0;       // bytes of buf_ scanned for boundaries
  std::size_t last_boundary_ = 0;  // just after the last record-ending LF found
  bool in_quotes_ = false;
  std::size_t quote_open_ = 0;                           // the opening quote of the cell still open
  enum class Breaks : uint8_t { kUndecided, kLf, kCr };  // LF covers CR LF
  Breaks breaks_ = Breaks::kUndecided;
};

}  // namespace

std::unique_ptr<ChunkReader> OpenRecords(const std::string& file, const ChunkOptions& options,
                                         std::optional<std::string> text,
                                         const std::optional<RecordRange>& range) {
  return std::make_unique<Reader>(file, options, std::move(text), range);
}

}  // namespace policy::load
