// LoadYaml: yaml-cpp's event parser drives a builder that makes located Values.
//
// Why events and not YAML::Load: the event stream gives every document, exact
// marks, anchors as ids, and a chance to stop before yaml-cpp recurses too deep
// (an event arrives for each container before yaml-cpp descends into it). The
// gaps yaml-cpp leaves (ARCHITECTURE.md "Documents") are closed here: merge keys,
// duplicate keys, invalid UTF-8, alias expansion bounds, a second document.
//
// Lifetimes: every string, array and PathNode of a document lives in that
// Document's arena; nothing points into `text`, which the caller may free.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <istream>
#include <new>
#include <streambuf>
#include <unordered_map>

#include "libpolicy/load/loaders.h"
#include "libpolicy/load/scalar_typing_internal.h"
#include "libpolicy/load/text_internal.h"

namespace policy::load {
namespace {

// Thrown by the builder to stop yaml-cpp; caught in LoadYaml, never escapes it.
struct Abort {
  InputError error;
};

// An istream over the caller's bytes without copying them.
class ViewBuf : public std::streambuf {
 public:
  explicit ViewBuf(std::string_view text) {
    char* p = const_cast<char*>(text.data());  // read-only use: the get area only
    setg(p, p, p + text.size());
  }
};

struct Anchored {
  Value value;
  uint64_t size = 0;    // values in the subtree, aliases counted expanded
  uint32_t height = 0;  // nesting levels of containers in the subtree
};

// Keys seen in one mapping, for duplicate detection. Small maps scan; big ones hash.
class KeySet {
 public:
  void Clear() {
    keys_.clear();
    index_.clear();
  }
  // Returns the line of an earlier equal key, or 0 after recording this one.
  uint32_t Insert(std::string_view key, uint32_t line) {
    if (keys_.size() < kScanLimit) {
      for (const auto& [k, l] : keys_) {
        if (k == key) return l;
      }
      keys_.emplace_back(key, line);
      if (keys_.size() == kScanLimit) {
        for (const auto& [k, l] : keys_) index_.emplace(k, l);
      }
      return 0;
    }
    auto [it, inserted] = index_.emplace(key, line);
    return inserted ? 0 : it->second;
  }
  bool Contains(std::string_view key) const {
    if (keys_.size() < kScanLimit) {
      return std::any_of(keys_.begin(), keys_.end(),
                         [&](const auto& kl) { return kl.first == key; });
    }
    return index_.count(key) != 0;
  }

 private:
  static constexpr std::size_t kScanLimit = 16;
  std::vector<std::pair<std::string_view, uint32_t>> keys_;
  std::unordered_map<std::string_view, uint32_t> index_;
};

struct Frame {
  bool is_map = false;
  bool is_key = false;  // a container used as a mapping key
  Loc loc;
  const PathNode* path = nullptr;
  YAML::anchor_t anchor = 0;
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

  void Reset() {
    items.clear();
    entries.clear();
    merge_sources.clear();
    keys.Clear();
    have_key = key_is_merge = seen_merge = is_key = false;
    size = 1;
    height = 1;
  }
};

class Builder : public YAML::EventHandler {
 public:
  Builder(std::string_view text, const std::string& file, const LoadLimits& limits, bool single)
      : text_(text),
        bom_(BomLength(text)),
        positions_(text),
        file_(file),
        limits_(limits),
        single_(single) {}

  // Prepares for the next document; values go to `doc`.
  void StartDocument(Document* doc) {
    doc_ = doc;
    depth_ = 0;
    anchors_.clear();
    have_root_ = false;
  }
  bool have_root() const { return have_root_; }
  Value root() const { return root_; }
  int documents_started() const { return documents_started_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (single_ && documents_started_ >= 1) {
      Fail(DiagCode::kInputMultipleDocuments, mark,
           "a second YAML document ('---') is not allowed in this input");
    }
    ++documents_started_;
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    std::size_t at = SkipProperties(Offset(mark));
    bool explicit_null = IsNullWord(at);
    if (IsKeyPosition()) {
      SetKey(explicit_null ? text_.substr(at, NullWordLength(at)) : std::string_view{}, LocAt(at),
             false);
      return;
    }
    Value v = Value::Null();
    v.set_path(ChildPath());
    if (explicit_null) {
      Loc loc = LocAt(at);
      loc.end_line = loc.line;
      loc.end_column = loc.column + static_cast<uint32_t>(NullWordLength(at));
      v.set_loc(loc);
    } else {
      v.set_loc(EmptyValueLoc(Offset(mark)));
    }
    Add(v, 1, 0, anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    std::size_t at = Offset(mark);
    auto it = anchors_.find(anchor);
    if (it == anchors_.end())
      Fail(DiagCode::kInputAliasLimit, at,
           "alias refers to an anchor that is not complete (a recursive alias)");
    const Anchored& a = it->second;
    alias_nodes_ += a.size;
    if (alias_nodes_ > limits_.max_alias_nodes) {
      Fail(DiagCode::kInputAliasLimit, at,
           "alias expansion exceeds " + std::to_string(limits_.max_alias_nodes) + " values");
    }
    if (depth_ + a.height > limits_.max_depth) Fail(DiagCode::kInputTooDeep, at, DepthMessage());
    if (IsKeyPosition()) {
      SetKey(KeyText(a.value), LocAt(at), false);
      return;
    }
    Value copy = Repath(a.value, ChildPath(), Value::kFromAlias);
    Add(copy, a.size, a.height, 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    std::size_t at = SkipProperties(Offset(mark));
    if (value.size() > limits_.max_string_length) {
      Fail(DiagCode::kInputTooLarge, at,
           "string longer than " + std::to_string(limits_.max_string_length) + " bytes");
    }
    char first = at < text_.size() ? text_[at] : '\0';
    bool quoted = first == '"' || first == '\'';
    bool block = first == '|' || first == '>';
    Loc loc = LocAt(at);
    bool multi_line = block;
    std::size_t end = ScalarEnd(at, value, quoted, block, &multi_line);
    if (!multi_line) {
      loc.end_line = loc.line;
      loc.end_column = loc.column + CountCodePoints(text_.substr(at, end - at));
    }
    if (IsKeyPosition()) {
      SetKey(doc_->arena.Copy(value), loc, tag == "?" && value == "<<");
      return;
    }
    Value v;
    bool plain = !quoted && !block && tag != "!" && tag != "tag:yaml.org,2002:str";
    PlainScalar typed;
    if (plain) typed = TypePlainScalar(value);
    switch (typed.kind) {
      case PlainKind::kNull:
        v = Value::Null();
        break;
      case PlainKind::kBool:
        v = Value::Bool(typed.b);
        break;
      case PlainKind::kDecimal:
        v = Value::Number(typed.d);
        break;
      case PlainKind::kString:
        v = Value::String(doc_->arena.Copy(value));
        break;
    }
    uint8_t flags = 0;
    if (quoted) flags |= Value::kQuoted;
    if (multi_line) flags |= Value::kMultiLine;
    v.set_flags(flags);
    v.set_loc(loc);
    v.set_path(ChildPath());
    Add(v, 1, 0, anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Push(mark, anchor, false);
  }
  void OnSequenceEnd() override { Pop(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Push(mark, anchor, true);
  }
  void OnMapEnd() override { Pop(); }

  [[noreturn]] void Fail(DiagCode code, std::size_t offset, std::string message) const {
    LineColumn lc = positions_.At(offset);
    throw Abort{MakeError(code, file_, lc.line, lc.column, std::move(message))};
  }
  [[noreturn]] void Fail(DiagCode code, const YAML::Mark& mark, std::string message) const {
    Fail(code, Offset(mark), std::move(message));
  }
  std::size_t Offset(const YAML::Mark& mark) const {
    if (mark.pos < 0) return bom_;
    return std::min(text_.size(), static_cast<std::size_t>(mark.pos) + bom_);
  }

 private:
  Loc LocAt(std::size_t offset) const {
    LineColumn lc = positions_.At(offset);
    Loc loc;
    loc.line = lc.line;
    loc.column = lc.column;
    return loc;
  }

  std::string DepthMessage() const {
    return "nesting deeper than " + std::to_string(limits_.max_depth) + " levels";
  }

  // Anchors and tags come before a node's text; its location is the text itself.
  std::size_t SkipProperties(std::size_t at) const {
    for (int round = 0; round < 2 && at < text_.size() && (text_[at] == '&' || text_[at] == '!');
         ++round) {
      while (at < text_.size() && !IsSpace(text_[at])) ++at;
      while (at < text_.size() && IsSpace(text_[at])) ++at;
    }
    return at;
  }
  static bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

  std::size_t NullWordLength(std::size_t at) const {
    if (at < text_.size() && text_[at] == '~') return 1;
    std::string_view w = text_.substr(at, 4);
    return w == "null" || w == "Null" || w == "NULL" ? 4 : 0;
  }
  // An explicit null is written at the mark; an empty value's mark is the next token.
  bool IsNullWord(std::size_t at) const {
    std::size_t n = NullWordLength(at);
    if (n == 0) return false;
    std::size_t after = at + n;
    if (after < text_.size()) {
      char c = text_[after];
      if (!(IsSpace(c) || c == ',' || c == ']' || c == '}' || c == '#' || c == ':')) return false;
    }
    // `null:` starts the next key, so the value before it was empty.
    while (after < text_.size() && (text_[after] == ' ' || text_[after] == '\t')) ++after;
    return !(after < text_.size() && text_[after] == ':');
  }

  // An empty value is located at its key, or at its `-` in a sequence.
  Loc EmptyValueLoc(std::size_t next_token) const {
    if (depth_ > 0 && frames_[depth_ - 1].is_map && frames_[depth_ - 1].have_key) {
      return frames_[depth_ - 1].key_loc;
    }
    std::size_t i = std::min(next_token, text_.size());
    while (i > 0 && IsSpace(text_[i - 1])) --i;
    if (i > 0 && text_[i - 1] == '-') return LocAt(i - 1);
    return LocAt(next_token);
  }

  // Where a scalar's text ends; flags scalars that span lines.
  std::size_t ScalarEnd(std::size_t at, const std::string& value, bool quoted, bool block,
                        bool* multi_line) const {
    if (block) return at;
    if (quoted) {
      char q = text_[at];
      std::size_t i = at + 1;
      while (i < text_.size()) {
        char c = text_[i];
        if (c == '\n') *multi_line = true;
        if (q == '"' && c == '\\') {
          i += 2;
          continue;
        }
        if (c == q) {
          if (q == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
            i += 2;
            continue;
          }
          return i + 1;
        }
        ++i;
      }
      return i;
    }
    if (text_.substr(at, value.size()) == value) return at + value.size();
    *multi_line = true;
    return at;
  }

  bool IsKeyPosition() const {
    return depth_ > 0 && frames_[depth_ - 1].is_map && !frames_[depth_ - 1].have_key;
  }

  void SetKey(std::string_view key, const Loc& loc, bool merge) {
    Frame& f = frames_[depth_ - 1];
    if (merge) {
      if (f.seen_merge)
        throw Abort{MakeError(DiagCode::kInputBadMergeKey, file_, loc.line, loc.column,
                              "duplicate merge key '<<'")};
      f.seen_merge = true;
    } else if (uint32_t first = f.keys.Insert(key, loc.line); first != 0) {
      throw Abort{MakeError(DiagCode::kInputDuplicateKey, file_, loc.line, loc.column,
                            "duplicate key '" + std::string(key) + "' (first at line " +
                                std::to_string(first) + ")")};
    }
    f.have_key = true;
    f.key_is_merge = merge;
    f.key = key;
    f.key_loc = loc;
  }

  // The text of a non-string key: scalars as written, containers as compact JSON.
  std::string_view KeyText(const Value& v) {
    switch (v.type()) {
      case Type::kString:
        return v.as_string();
      case Type::kNull:
        return {};
      default:
        return doc_->arena.Copy(ToText(v));
    }
  }

  const PathNode* NewPath(const PathNode* parent, std::string_view key, int64_t index) {
    auto* node = doc_->arena.AllocateArray<PathNode>(1);
    return new (node) PathNode{parent, key, index};
  }

  // The path of the value about to be added at the current position.
  const PathNode* ChildPath() {
    if (depth_ == 0) return nullptr;
    Frame& f = frames_[depth_ - 1];
    if (f.is_key) return f.path;
    if (f.is_map) return NewPath(f.path, f.key_is_merge ? "<<" : f.key, -1);
    return NewPath(f.path, {}, static_cast<int64_t>(f.items.size()));
  }

  void Push(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    if (depth_ + 1 > limits_.max_depth) Fail(DiagCode::kInputTooDeep, mark, DepthMessage());
    bool is_key = IsKeyPosition();
    Loc loc;
    const PathNode* path = nullptr;
    if (depth_ > 0 && frames_[depth_ - 1].is_map && frames_[depth_ - 1].have_key) {
      loc = frames_[depth_ - 1].key_loc;  // held by a key: located at the key
      path = ChildPath();
    } else {
      loc = LocAt(SkipProperties(Offset(mark)));
      path = is_key ? (depth_ > 0 ? frames_[depth_ - 1].path : nullptr) : ChildPath();
    }
    if (frames_.size() <= depth_) frames_.emplace_back();
    Frame& f = frames_[depth_++];
    f.Reset();
    f.is_map = is_map;
    f.is_key = is_key;
    f.loc = loc;
    f.path = path;
    f.anchor = anchor;
  }

  void Pop() {
    Frame& f = frames_[--depth_];
    Value v;
    if (f.is_map) {
      ResolveMerges(f);
      auto* entries = doc_->arena.AllocateArray<MapEntry>(f.entries.size());
      std::uninitialized_copy(f.entries.begin(), f.entries.end(), entries);
      v = Value::Map(entries, static_cast<uint32_t>(f.entries.size()));
    } else {
      auto* items = doc_->arena.AllocateArray<Value>(f.items.size());
      std::uninitialized_copy(f.items.begin(), f.items.end(), items);
      v = Value::List(items, static_cast<uint32_t>(f.items.size()));
    }
    v.set_loc(f.loc);
    v.set_path(f.path);
    if (f.is_key) {
      SetKey(KeyText(v), f.loc, false);
      return;
    }
    Add(v, f.size, f.height, f.anchor);
  }

  // `<<` sources, earlier first, add the keys the mapping does not have itself.
  void ResolveMerges(Frame& f) {
    for (const Value& source : f.merge_sources) {
      if (source.is(Type::kMap)) {
        MergeFrom(f, source);
      } else if (source.is(Type::kList)) {
        for (const Value& item : source.as_list()) {
          if (!item.is(Type::kMap)) {
            throw Abort{MakeError(DiagCode::kInputBadMergeKey, file_, item.loc().line,
                                  item.loc().column,
                                  "a merge key '<<' takes a map or a list of maps")};
          }
          MergeFrom(f, item);
        }
      } else {
        throw Abort{MakeError(DiagCode::kInputBadMergeKey, file_, source.loc().line,
                              source.loc().column,
                              "a merge key '<<' takes a map or a list of maps")};
      }
    }
  }
  void MergeFrom(Frame& f, const Value& source) {
    for (const MapEntry& e : source.as_map()) {
      if (f.keys.Insert(e.key, 1) != 0) continue;
      f.entries.push_back({e.key, Repath(e.value, NewPath(f.path, e.key, -1), 0)});
    }
  }

  // A copy of `v` reached by `path`, its descendants re-pathed below it. Depth is
  // bounded: the tree was built under max_depth, and yaml-cpp stops near 500.
  Value Repath(const Value& v, const PathNode* path, uint8_t add_flags) {
    Value copy = v;
    copy.set_path(path);
    copy.set_flags(static_cast<uint8_t>(v.flags() | add_flags));
    if (v.is(Type::kList)) {
      auto src = v.as_list();
      auto* items = doc_->arena.AllocateArray<Value>(src.size());
      for (std::size_t i = 0; i < src.size(); ++i) {
        new (&items[i])
            Value(Repath(src[i], NewPath(path, {}, static_cast<int64_t>(i)), add_flags));
      }
      copy = Value::List(items, static_cast<uint32_t>(src.size()));
    } else if (v.is(Type::kMap)) {
      auto src = v.as_map();
      auto* entries = doc_->arena.AllocateArray<MapEntry>(src.size());
      for (std::size_t i = 0; i < src.size(); ++i) {
        new (&entries[i])
            MapEntry{src[i].key, Repath(src[i].value, NewPath(path, src[i].key, -1), add_flags)};
      }
      copy = Value::Map(entries, static_cast<uint32_t>(src.size()));
    } else {
      return copy;
    }
    copy.set_loc(v.loc());
    copy.set_path(path);
    copy.set_flags(static_cast<uint8_t>(v.flags() | add_flags));
    return copy;
  }

  void Add(const Value& v, uint64_t size, uint32_t height, YAML::anchor_t anchor) {
    if (anchor != 0) anchors_[anchor] = Anchored{v, size, height};
    if (depth_ == 0) {
      root_ = v;
      have_root_ = true;
      return;
    }
    Frame& f = frames_[depth_ - 1];
    f.size += size;
    f.height = std::max(f.height, height + 1);
    if (!f.is_map) {
      f.items.push_back(v);
    } else if (f.key_is_merge) {
      f.merge_sources.push_back(v);
    } else {
      f.entries.push_back({f.key, v});
    }
    f.have_key = false;
    f.key_is_merge = false;
  }

  std::string_view text_;
  std::size_t bom_;
  mutable PositionMap positions_;
  const std::string& file_;
  const LoadLimits& limits_;
  bool single_;
  Document* doc_ = nullptr;
  std::vector<Frame> frames_;  // frames_[0, depth_) are open; the rest keep their capacity
  uint32_t depth_ = 0;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  uint64_t alias_nodes_ = 0;  // per file, across documents
  int documents_started_ = 0;
  Value root_;
  bool have_root_ = false;
};

}  // namespace

DocumentsResult LoadYaml(std::string_view text, const std::string& file, const LoadLimits& limits,
                         bool single) {
  DocumentsResult result;
  if (Result<void> checked = CheckInputText(text, file, limits, true); !checked) {
    result.error = std::move(checked).error();
    return result;
  }
  Builder builder(text, file, limits, single);
  try {
    ViewBuf buf(text);
    std::istream in(&buf);
    YAML::Parser parser(in);
    // A file holds at most one document more than it has separators. yaml-cpp 0.7
    // can report empty documents forever on some malformed input (",r" found by
    // fuzz_yaml); past this bound the input is malformed, not long.
    std::size_t max_documents = 2;
    for (std::size_t at = text.find("---"); at != std::string_view::npos;
         at = text.find("---", at + 3))
      ++max_documents;
    for (std::size_t at = text.find("..."); at != std::string_view::npos;
         at = text.find("...", at + 3))
      ++max_documents;
    while (true) {
      if (result.documents.size() >= max_documents) {
        result.error = MakeError(DiagCode::kInputSyntax, file, 1, 1,
                                 "YAML syntax error: the parser cannot make sense of this file");
        break;
      }
      auto doc = std::make_unique<Document>();
      doc->files.push_back(file);
      builder.StartDocument(doc.get());
      if (!parser.HandleNextDocument(builder)) break;
      doc->root = builder.have_root() ? builder.root() : Value::Null();
      result.documents.push_back(std::move(doc));
    }
  } catch (const Abort& abort) {
    result.error = abort.error;
  } catch (const YAML::Exception& e) {
    std::size_t at = builder.Offset(e.mark);
    LineColumn lc = PositionMap(text).At(at);
    if (e.mark.is_null()) lc = {};
    result.error =
        MakeError(DiagCode::kInputSyntax, file, lc.line, lc.column, "YAML syntax error: " + e.msg);
  } catch (const std::bad_alloc&) {
    result.error = MakeError(DiagCode::kInternal, file, 0, 0, "out of memory while reading YAML");
  } catch (const std::exception& e) {
    result.error = MakeError(DiagCode::kInputUnreadable, file, 0, 0,
                             std::string("cannot read YAML: ") + e.what());
  }
  if (result.error) {
    result.documents.clear();
    return result;
  }
  if (single && result.documents.empty()) {
    auto doc = std::make_unique<Document>();
    doc->files.push_back(file);
    result.documents.push_back(std::move(doc));
  }
  return result;
}

}  // namespace policy::load
