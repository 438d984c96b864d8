#pragma once
// Loaders turn input bytes into Values with locations (LANGUAGE.md sections 3 and 7).
// They never throw and never print: a malformed input is an InputError naming
// file, line and column. Every bound on hostile input is in LoadLimits.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libpolicy/bounded_read.h"
#include "libpolicy/document.h"
#include "libpolicy/engine.h"
#include "libpolicy/result.h"

namespace policy::load {

struct LoadLimits {
  uint32_t max_depth = 256;              // nesting of maps/lists
  uint64_t max_alias_nodes = 1'000'000;  // values reached through YAML aliases, counted expanded
  uint64_t max_file_size =
      kMaxInputBytes;                      // bytes (256 MiB), applied while reading; records stream
  uint32_t max_line_length = 16u << 20;    // bytes in one physical line / one record
  uint32_t max_string_length = 16u << 20;  // bytes in one scalar
  uint64_t max_extends_values = 1'000'000;  // values compose `extends` copies into services
};

// A malformed or unreadable input: the one error type of fallible calls
// (result.h), with a code of the table ("input.duplicate_key") and a message
// ("duplicate key 'image' (first at line 4)").
using InputError = policy::Error;

// ---- Documents -------------------------------------------------------------

struct DocumentsResult {
  std::vector<std::unique_ptr<Document>> documents;  // one per YAML document ("---")
  std::optional<InputError> error;
};

// YAML with the core-schema typing of LANGUAGE.md section 3, anchors/aliases/merge
// keys resolved (located at the anchor's text), duplicate keys, invalid UTF-8 and
// nesting deeper than max_depth reported as errors. `file` names the input in
// errors and becomes documents[i]->files[0]. `single`: the input must hold one
// document (compose and record inputs); a second one is an error.
DocumentsResult LoadYaml(std::string_view text, const std::string& file, const LoadLimits& limits,
                         bool single);

// JSON (RFC 8259) with positions; numbers keep their exact text as decimals (more
// than 38 significant digits: a string). Duplicate keys are an error.
DocumentsResult LoadJson(std::string_view text, const std::string& file, const LoadLimits& limits);

// LANGUAGE.md section 7, on a loaded compose document, in place (new values are
// allocated in doc.arena and located at the item they come from). The error is
// `extends` copying more than limits.max_extends_values values (located at the
// `extends` where the limit was reached); the services are then left as written.
std::optional<InputError> NormalizeCompose(Document& doc, const LoadLimits& limits = {});

// The project environment of a compose file: variable -> value, as read from
// its .env (docker compose's --env-file, else `.env` beside the file).
using ComposeEnv = std::map<std::string, std::string, std::less<>>;

// NormalizeCompose, reading `${VAR}`, `${VAR:-default}`, `${VAR-default}` (and
// `:+`, `?` forms) in image, ports, volume sources and network_mode as docker
// compose does: the value from `env`, else the default. A field with a reference
// that has neither stays as written (unknown). Environment, labels and every
// other field keep their text, so secret rules still see the defaults written.
// NormalizeCompose(doc) is NormalizeCompose(doc, {}): defaults only. The error
// is the one of NormalizeCompose(doc, limits) above.
std::optional<InputError> NormalizeCompose(Document& doc, const ComposeEnv& env,
                                           const LoadLimits& limits = {});

// Added by NormalizeCompose, as `true`, to the root of an overlay: a compose
// file meant to be given with -f over a base file. Either its services all lack
// both `image` and `build` (known by content, whatever its name), or its name is
// none of compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml and
// it leans on services it does not define (a service with neither image, build
// nor extends; a depends_on naming a service not in it). MergeCompose removes
// it: a merged project is as complete as the files given.
inline constexpr std::string_view kOverlayKey = "x-policy-check-overlay";

// `text` with its references expanded from `env` and their defaults; nullopt
// when a reference has no value and no default, or is malformed.
std::optional<std::string> InterpolateCompose(std::string_view text, const ComposeEnv& env);

// KEY=VALUE lines of an env file as compose-go's dotenv reads them: `#`
// comments, `export ` prefixes, '...' and "..." values, inline ` #` comments.
ComposeEnv ParseEnvFile(std::string_view text);

// The environment for the compose file at `compose_path`: `env_file` when not
// empty (--env-file), else the `.env` in the file's directory; empty when the
// file cannot be read. A .env that exists but cannot be read whole (over its 16 MiB cap, a
// directory, unreadable) sets `problem` (the defaults then apply): never a quiet
// fallback. A missing .env is no problem.
ComposeEnv ReadComposeEnv(const std::string& compose_path, const std::string& env_file,
                          std::optional<InputError>& problem);

// Merges normalised compose documents as `docker compose -f docs[0] -f docs[1] ...`
// does (later files override scalars and maps merge key by key; list-valued
// fields follow compose's merge rules), taking ownership of `docs`. Every value
// keeps the file and line it came from: Loc::file indexes the result's `files`,
// which lists docs[i]->files[0] in order.
Result<std::unique_ptr<Document>> MergeCompose(std::vector<std::unique_ptr<Document>> docs);
// The same with the error in an out-parameter (nullopt on success; null result on
// error), kept for engine.cpp until the run layer takes Results.
std::unique_ptr<Document> MergeCompose(std::vector<std::unique_ptr<Document>> docs,
                                       std::optional<InputError>& error);

// ---- Dotenv ----------------------------------------------------------------

struct DotenvResult {
  std::unique_ptr<Document> document;  // null when `error` is set
  std::optional<InputError> error;
  // Problems that do not stop the input: a variable set twice (the later value
  // wins, as in docker compose), code input.duplicate_variable.
  std::vector<InputError> warnings;
};

// A dotenv file (.env, *.env, a compose env_file) read as docker compose reads
// it (compose-go's dotenv parser): one map {KEY: value} in file order. Lines are
// KEY=value (also `export KEY=value` and YAML-like `KEY: value`), a bare KEY (the
// value comes from the environment compose runs in: null here), blank or a `#`
// comment. Unquoted values end at the line break or an inline ` #` comment and
// lose trailing blanks; '...' is literal but for \'; "..." may span lines and
// reads \a \b \f \n \r \t \v \" \\ \0ddd as compose does, \$ as $$ (other
// backslashes stay). `${VAR}` stays as written. Each value is
// a string located from its first character (a quote included) to its end, with
// Value::kQuoted for quoted values and a path of its key; a bare KEY's null is
// located at the key. A UTF-8 BOM is skipped; lines end at LF (a CR before it is
// a blank). Errors (line and column): invalid UTF-8, control characters, a
// character that cannot be in a name, an unterminated quote (at the quote),
// text after a closing quote, a line, value or file over `limits`.
DotenvResult LoadDotenv(std::string_view text, const std::string& file, const LoadLimits& limits);

// ---- Records ---------------------------------------------------------------

enum class RecordFormat : uint8_t { kCsv, kJsonLines };

// A problem with one record that is not fatal to the input: becomes a SCHEMA finding.
struct RecordIssue {
  uint32_t line = 0;
  uint32_t column = 0;
  std::string_view field;  // the column's name, empty for the whole record
  std::string message;     // "record has 5 cells, the header has 6", "invalid UTF-8"
};

// One record, valid until the parser's next call (its strings live in the
// chunk's buffer or in the arena passed to Next).
struct Record {
  uint32_t line = 0;      // physical line where the record starts (header = line 1 for CSV)
  Value row;              // a map in input order; CSV: strings, "" -> null, located per cell
  std::string_view text;  // the record's raw bytes (without the final line break)
  std::vector<RecordIssue> issues;  // cleared by each Next()
  // JSON Lines: set when this line is no record (malformed JSON, a value that is
  // not an object). The caller reports it as an input problem and reads on; `row`
  // is null. Cleared by each Next().
  std::optional<InputError> bad;
  // Records of one parser with the same non-zero shape have the same keys in the
  // same order (every CSV row has shape 1); 0 when the parser does not know.
  uint64_t shape = 0;
};

// CSV header (line 1, after an optional UTF-8 BOM).
struct CsvHeader {
  std::vector<std::string> names;   // trimmed
  std::vector<uint32_t> columns;    // 1-based code-point column of each name
  std::vector<RecordIssue> issues;  // duplicate names, invalid UTF-8
  bool duplicate_names = false;     // some name repeats an earlier one
};

// A slice of a record input holding whole records, for one worker.
struct RecordChunk {
  std::string text;         // bytes of whole records
  uint32_t first_line = 0;  // physical line of text[0]
  uint64_t index = 0;       // 0, 1, 2, ... in file order
  uint64_t offset = 0;      // byte offset of text[0] in the input
};

// Reads a record input sequentially in chunks of about `chunk_bytes`, cut at record
// boundaries (quote-aware for CSV), counting lines. Constant memory: one chunk at a
// time plus what the caller keeps.
class ChunkReader {
 public:
  virtual ~ChunkReader() = default;
  // CSV: the header, read when the reader was opened. JSON Lines: empty.
  virtual const CsvHeader& header() const = 0;
  // Fills `chunk` and returns true, or returns false at the end or on an input error
  // (then error() is set; records before it were already handed out).
  virtual bool Next(RecordChunk& chunk) = 0;
  virtual const std::optional<InputError>& error() const = 0;
};

struct ChunkOptions {
  RecordFormat format = RecordFormat::kCsv;
  char delimiter = ',';
  std::size_t chunk_bytes = 1u << 20;
  LoadLimits limits;
};

// Opens a file (or takes `text` in memory when given). Returns a reader; an
// unreadable file or a bad header is reported through its error().
//
// With a `range` (a partition of SplitRecordBytes), the reader reads the CSV
// header from the start of the input as always, then only the bytes [begin,
// end), counting lines from first_line; a range that does not start at 0
// reports no header issue (the partition that does reports them once).
std::unique_ptr<ChunkReader> OpenRecords(const std::string& file, const ChunkOptions& options,
                                         std::optional<std::string> text = std::nullopt,
                                         const std::optional<RecordRange>& range = std::nullopt);

// ---- Partitions --------------------------------------------------------------

// Where the records of a CSV or JSON Lines text can be cut into partitions of
// about `target_bytes` each: every cut is just after a line break that ends a
// record (outside quoted CSV cells), at or after the next multiple of
// target_bytes from the previous cut. One sequential pass (memchr for quotes,
// SIMD line counting). The first partition begins at 0 and holds the BOM and
// the CSV header; the partitions cover the text exactly, in order. An
// unterminated quote makes the rest of the text one partition (the reader
// reports it). `delimiter` matters for CSV only (a quote opens a cell only
// after it or a line break).
std::vector<RecordRange> SplitRecordBytes(std::string_view text, RecordFormat format,
                                          char delimiter, uint64_t target_bytes);

// Splits the records of one chunk. One parser per worker; reuse it across chunks.
class RecordParser {
 public:
  // `header` must outlive the parser (CSV); `file` names the input in errors.
  RecordParser(const ChunkOptions& options, const CsvHeader* header, std::string file);
  ~RecordParser();
  void Reset(const RecordChunk* chunk);
  // Fills `rec` with the next record of the chunk and returns true; false at the
  // chunk's end or on an input error that stops the input (`error` set: an
  // unterminated quote at the end of the input, a line over the length limit).
  // A malformed JSON line or one that is not an object sets Record::bad and the
  // reading goes on; a wrong cell count or invalid UTF-8 in a CSV cell is a
  // RecordIssue.
  // Blank lines are skipped. `arena` receives unescaped strings; the caller resets it.
  bool Next(Record& rec, Arena& arena, std::optional<InputError>& error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace policy::load
