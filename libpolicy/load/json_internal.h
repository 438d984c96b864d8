#pragma once
// A small JSON (RFC 8259) reader that keeps what nlohmann_json drops: the exact
// text of numbers and the position of every value. Iterative, so depth is bounded
// only by LoadLimits::max_depth, never by the stack.
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "libpolicy/load/loaders.h"

namespace policy::load {

struct JsonError {
  DiagCode code = DiagCode::kInputSyntax;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string message;
};

class JsonParser {
 public:
  // `copy_strings`: every string goes to the arena (documents); otherwise strings
  // without escapes point into the parsed text (records: valid with the chunk).
  JsonParser(const LoadLimits& limits, bool copy_strings)
      : limits_(limits), copy_strings_(copy_strings) {}

  // Parses `text` as exactly one JSON value surrounded by optional white space.
  // text[0] is at `first_line`, column 1; the first `skip` bytes (a BOM) are not
  // columns. Values get Loc::file = `file` and paths below `root` (the root value
  // itself gets `root`). Arrays, maps, strings and path nodes go to `arena`.
  bool Parse(std::string_view text, uint32_t first_line, std::size_t skip, const PathNode* root,
             uint16_t file, Arena& arena, Value* out, JsonError* error);

  // One JSON Lines record (`text` is one line, at `line`), as Parse would read it.
  // A flat object of scalars takes a fast path: its entries are in a buffer of
  // the parser (valid until the next call) and its keys and path nodes are kept
  // by the parser (valid as long as it, while `root` stays the same); `*shape`
  // then names its key list (records with the same non-zero shape have the same
  // keys in the same order). Anything else, errors included, is Parse's, with
  // `*shape` 0. Needs copy_strings false.
  bool ParseRecord(std::string_view text, uint32_t line, const PathNode* root, Arena& arena,
                   Value* out, JsonError* error, uint64_t* shape);

  // One line by the general path, what ParseRecord falls back to: Parse, with a
  // CR in the line read as white space (the reader has split the lines already).
  bool ParseLine(std::string_view text, uint32_t line, const PathNode* root, Arena& arena,
                 Value* out, JsonError* error);

 private:
  // A key of flat records, kept with its path node.
  struct FlatKey {
    std::string text;
    PathNode node;
    FlatKey* next[2] = {nullptr, nullptr};  // the keys that followed it lately
    uint64_t stamp = 0;                     // the last record holding it (duplicate keys)
    uint32_t continuation_bytes = 0;        // UTF-8 continuation bytes in `text`
  };
  struct KeyList {
    std::vector<const FlatKey*> keys;
    uint64_t shape = 0;
  };
  static constexpr std::size_t kMaxFlatKeys = 4096;
  static constexpr std::size_t kMaxFlatKeyBytes = 256;
  static constexpr std::size_t kKeyLists = 8;

  bool ParseFlat(std::string_view text, uint32_t line, Value* out, uint64_t* shape);
  bool ScanFlatString(std::size_t* pos, std::size_t* extra, std::string_view* out);
  FlatKey* InternKey(std::string_view key, FlatKey* prev);
  uint64_t FlatShape();

  struct Open {
    bool is_map;
    uint32_t first;  // index of its first element in items_ / entries_
    Value value;     // loc and path of the container itself
  };

  bool Fail(std::size_t offset, std::string message, DiagCode code = DiagCode::kInputSyntax);
  bool ParseString(std::size_t* pos, std::string_view* out);
  bool ParseNumber(std::size_t* pos, Value* out);
  bool ParseKey(std::size_t* pos);
  const PathNode* ChildPath();
  Loc LocAt(std::size_t offset);
  void Attach(const Value& v);
  bool Close();
  bool CheckDuplicates(uint32_t first);

  const LoadLimits& limits_;
  bool copy_strings_;

  // State of one Parse call.
  std::string_view text_;
  Arena* arena_ = nullptr;
  JsonError* error_ = nullptr;
  uint16_t file_ = 0;
  const PathNode* root_ = nullptr;
  uint32_t line_ = 1;
  uint32_t column_ = 1;
  std::size_t cursor_ = 0;  // text_[cursor_] is at line_, column_
  // Parsing one JSON Lines record: the reader has split lines already, so a CR
  // left in it is white space, not a line break.
  bool one_line_ = false;
  std::string_view key_;
  Loc key_loc_;
  Value result_;
  bool have_result_ = false;

  // Reused across calls so that steady JSON Lines parsing does not allocate.
  std::vector<Open> stack_;
  std::vector<Value> items_;
  std::vector<MapEntry> entries_;
  std::vector<Loc> key_locs_;
  std::string unescaped_;

  // Flat records.
  const PathNode* flat_root_ = nullptr;
  std::deque<FlatKey> flat_keys_;  // stable addresses
  std::unordered_map<std::string_view, FlatKey*> flat_by_text_;
  FlatKey* flat_first_[2] = {nullptr, nullptr};  // the first keys of recent records
  uint64_t flat_stamp_ = 0;
  std::vector<MapEntry> flat_entries_;
  std::vector<const FlatKey*> flat_order_;
  std::vector<KeyList> key_lists_;  // most recent first
  uint64_t next_shape_ = 1;
};

}  // namespace policy::load
