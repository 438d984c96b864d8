#pragma once
// Turns a YAML parser's events into located Values (LANGUAGE.md section 3).
//
// The parser (libfyaml, yaml_loader.cpp) checks the syntax; this builder closes
// the gaps between a YAML event stream and a policy value: core-schema typing,
// anchors and aliases with the expansion bound, merge keys `<<`, duplicate keys,
// depth, and the valid YAML a value cannot hold (a mapping or a sequence used
// as a key). It reports those by throwing YamlAbort.
//
// Positions are byte offsets into the whole text; the builder turns them into
// lines and code-point columns. Every string, array and PathNode of a document
// lives in that Document's arena; nothing points into the text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "libpolicy/document.h"
#include "libpolicy/load/loaders.h"
#include "libpolicy/load/text_internal.h"

namespace policy::load {

// Thrown by the builder to stop parsing; caught in LoadYaml, never escapes it.
struct YamlAbort {
  InputError error;
};

enum class ScalarStyle : uint8_t { kPlain, kSingleQuoted, kDoubleQuoted, kLiteral, kFolded };

// One scalar event. `begin`/`end` delimit the scalar's text (for a block scalar,
// its content); npos when the scalar is empty and has no text.
struct ScalarEvent {
  std::size_t begin = std::string_view::npos;
  std::size_t end = std::string_view::npos;
  ScalarStyle style = ScalarStyle::kPlain;
  std::string_view tag;     // resolved ("tag:yaml.org,2002:str", "!", "!local"), or empty
  std::string_view anchor;  // empty when none
  std::string_view value;   // the scalar's content, escapes and folding applied
};

class YamlBuilder {
 public:
  YamlBuilder(std::string_view text, const std::string& file, const LoadLimits& limits,
              bool single);

  // A document starts at `offset` (npos when implicit); values go to `doc`.
  void StartDocument(Document* doc, std::size_t offset);
  bool have_root() const { return have_root_; }
  Value root() const { return root_; }

  void Scalar(const ScalarEvent& event);
  void Alias(std::size_t offset, std::string_view anchor);
  void StartContainer(std::size_t offset, std::string_view anchor, bool is_map);
  void EndContainer();
  // Where the parser has got to: an empty value without a position of its own is
  // found from here (the `-` of an empty list item follows it).
  void SetCursor(std::size_t offset) { cursor_ = offset; }

  [[noreturn]] void Fail(DiagCode code, std::size_t offset, std::string message);

 private:
  struct Anchored {
    Value value;
    uint64_t size = 0;    // values in the subtree, aliases counted expanded
    uint32_t height = 0;  // nesting levels of containers in the subtree
  };

  // Keys seen in one mapping, for duplicate detection. Small maps scan; big ones hash.
  class KeySet {
   public:
    void Clear();
    // Returns the line of an earlier equal key, or 0 after recording this one.
    uint32_t Insert(std::string_view key, uint32_t line);

   private:
    static constexpr std::size_t kScanLimit = 16;
    std::vector<std::pair<std::string_view, uint32_t>> keys_;
    std::unordered_map<std::string_view, uint32_t> index_;
  };

  struct Frame {
    bool is_map = false;
    Loc loc;
    const PathNode* path = nullptr;
    std::string anchor;
    uint64_t size = 1;
    uint32_t height = 1;
    std::vector<Value> items;
    std::vector<MapEntry> entries;
    std::vector<Value> merge_sources;
    KeySet keys;
    bool have_key = false;
    bool key_is_merge = false;
    bool seen_merge = false;
    std::string_view key;
    Loc key_loc;

    void Reset();
  };

  Loc LocAt(std::size_t offset);
  std::string DepthMessage() const;
  Loc EmptyValueLoc();
  std::size_t BlockIndicator(std::size_t content) const;
  bool IsKeyPosition() const;
  void SetKey(std::string_view key, const Loc& loc, bool merge);
  [[noreturn]] void FailContainerKey(bool is_map, std::size_t offset);
  const PathNode* NewPath(const PathNode* parent, std::string_view key, int64_t index);
  const PathNode* ChildPath();
  Value TypedScalar(const ScalarEvent& event, bool* quoted) const;
  void ResolveMerges(Frame& f);
  void MergeFrom(Frame& f, const Value& source);
  Value Repath(const Value& v, const PathNode* path, uint8_t add_flags);
  void Add(const Value& v, uint64_t size, uint32_t height, std::string_view anchor);

  std::string_view text_;
  PositionMap positions_;
  const std::string& file_;
  const LoadLimits& limits_;
  bool single_;
  Document* doc_ = nullptr;
  std::vector<Frame> frames_;  // frames_[0, depth_) are open; the rest keep their capacity
  uint32_t depth_ = 0;
  std::unordered_map<std::string, Anchored> anchors_;
  uint64_t alias_nodes_ = 0;  // per file, across documents
  int documents_started_ = 0;
  std::size_t cursor_ = 0;
  Value root_;
  bool have_root_ = false;
};

}  // namespace policy::load
