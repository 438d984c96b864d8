// YamlBuilder: YAML events to located Values (see yaml_builder_internal.h).
#include <algorithm>
#include <memory>
#include <new>

#include "libpolicy/load/scalar_typing_internal.h"
#include "libpolicy/load/yaml_builder_internal.h"

namespace policy::load {
namespace {

constexpr std::string_view kCoreTag = "tag:yaml.org,2002:";

bool IsBreakOrSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

// ---- KeySet and Frame -------------------------------------------------------

void YamlBuilder::KeySet::Clear() {
  keys_.clear();
  index_.clear();
}

uint32_t YamlBuilder::KeySet::Insert(std::string_view key, uint32_t line) {
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

void YamlBuilder::Frame::Reset() {
  items.clear();
  entries.clear();
  merge_sources.clear();
  keys.Clear();
  anchor.clear();
  have_key = key_is_merge = seen_merge = false;
  size = 1;
  height = 1;
}

// ---- Documents ----------------------------------------------------------------

YamlBuilder::YamlBuilder(std::string_view text, const std::string& file, const LoadLimits& limits,
                         bool single)
    : text_(text), positions_(text), file_(file), limits_(limits), single_(single) {}

void YamlBuilder::StartDocument(Document* doc, std::size_t offset) {
  if (single_ && documents_started_ >= 1) {
    Fail(DiagCode::kInputMultipleDocuments, offset != std::string_view::npos ? offset : cursor_,
         "a second YAML document ('---') is not allowed in this input");
  }
  ++documents_started_;
  doc_ = doc;
  depth_ = 0;
  anchors_.clear();
  have_root_ = false;
}

void YamlBuilder::Fail(DiagCode code, std::size_t offset, std::string message) {
  LineColumn lc = positions_.At(std::min(offset, text_.size()));
  throw YamlAbort{MakeError(code, file_, lc.line, lc.column, std::move(message))};
}

Loc YamlBuilder::LocAt(std::size_t offset) {
  LineColumn lc = positions_.At(std::min(offset, text_.size()));
  Loc loc;
  loc.line = lc.line;
  loc.column = lc.column;
  return loc;
}

std::string YamlBuilder::DepthMessage() const {
  return "nesting deeper than " + std::to_string(limits_.max_depth) + " levels";
}

// ---- Scalars ----------------------------------------------------------------

// An empty value has no text: it is located at its key, or at the `-` of its
// list item (the first token after where the parser got to), else at the cursor.
Loc YamlBuilder::EmptyValueLoc() {
  if (depth_ > 0 && frames_[depth_ - 1].is_map && frames_[depth_ - 1].have_key) {
    return frames_[depth_ - 1].key_loc;
  }
  std::size_t i = std::min(cursor_, text_.size());
  while (i < text_.size()) {
    if (IsBreakOrSpace(text_[i])) {
      ++i;
    } else if (text_[i] == '#') {
      while (i < text_.size() && text_[i] != '\n' && text_[i] != '\r') ++i;
    } else {
      break;
    }
  }
  if (i < text_.size() && text_[i] == '-') return LocAt(i);
  return LocAt(cursor_);
}

// A block scalar is located at its `|` or `>`, which comes after the previous
// token and before the content (properties and a comment may sit between).
std::size_t YamlBuilder::BlockIndicator(std::size_t content) const {
  std::size_t end = std::min(content, text_.size());
  for (std::size_t i = std::min(cursor_, end); i < end; ++i) {
    char c = text_[i];
    if (c == '#') break;  // a comment before the content: the indicator came before it
    if ((c == '|' || c == '>') &&
        (i == 0 || IsBreakOrSpace(text_[i - 1]) || text_[i - 1] == ':' || text_[i - 1] == '-')) {
      return i;
    }
  }
  return std::min(cursor_, end);
}

Value YamlBuilder::TypedScalar(const ScalarEvent& e, bool* quoted) const {
  *quoted = e.style == ScalarStyle::kSingleQuoted || e.style == ScalarStyle::kDoubleQuoted;
  // `!` (the non-specific tag) and `!!str` make a string; the core schema's
  // int, float, bool and null type even a quoted scalar; any other tag on a plain
  // scalar types it as untagged plain text does (LANGUAGE.md section 3).
  bool as_string = e.tag == "!" || e.tag == "tag:yaml.org,2002:str";
  std::string_view core =
      e.tag.substr(0, kCoreTag.size()) == kCoreTag ? e.tag.substr(kCoreTag.size()) : "";
  bool core_typed = core == "int" || core == "float" || core == "bool" || core == "null";
  bool typed = !as_string && (e.style == ScalarStyle::kPlain || core_typed);
  PlainScalar t;
  if (typed) t = TypePlainScalar(e.value);
  switch (t.kind) {
    case PlainKind::kNull:
      return Value::Null();
    case PlainKind::kBool:
      return Value::Bool(t.b);
    case PlainKind::kDecimal:
      return Value::Number(t.d);
    case PlainKind::kString:
      break;
  }
  return Value::String(doc_->arena.Copy(e.value));
}

void YamlBuilder::Scalar(const ScalarEvent& e) {
  const bool has_text = e.begin != std::string_view::npos;
  if (e.value.size() > limits_.max_string_length) {
    Fail(DiagCode::kInputTooLarge, has_text ? e.begin : cursor_,
         "string longer than " + std::to_string(limits_.max_string_length) + " bytes");
  }
  const bool block = e.style == ScalarStyle::kLiteral || e.style == ScalarStyle::kFolded;
  Loc loc;
  bool multi_line = block;
  if (!has_text) {
    loc = IsKeyPosition() ? LocAt(cursor_) : EmptyValueLoc();
  } else if (block) {
    loc = LocAt(BlockIndicator(e.begin));
  } else {
    std::size_t begin = e.begin;
    std::size_t end = std::min(std::max(e.end, begin), text_.size());
    if (e.style == ScalarStyle::kSingleQuoted || e.style == ScalarStyle::kDoubleQuoted) {
      // The parser's text is inside the quotes; a value's span includes them.
      char q = e.style == ScalarStyle::kSingleQuoted ? '\'' : '"';
      if (begin > 0 && text_[begin - 1] == q) --begin;
      if (end < text_.size() && text_[end] == q) ++end;
    }
    std::string_view span = text_.substr(begin, end - begin);
    multi_line = span.find_first_of("\n\r") != std::string_view::npos;
    loc = LocAt(begin);
    if (!multi_line) {
      loc.end_line = loc.line;
      loc.end_column = loc.column + CountCodePoints(span);
    }
  }
  if (IsKeyPosition()) {
    bool merge = e.style == ScalarStyle::kPlain && e.tag.empty() && e.value == "<<";
    std::string_view key = doc_->arena.Copy(e.value);
    if (!e.anchor.empty()) {  // an anchored key: its alias reads as the same text
      Value v = Value::String(key);
      v.set_loc(loc);
      anchors_[std::string(e.anchor)] = Anchored{v, 1, 0};
    }
    SetKey(key, loc, merge);
    return;
  }
  bool quoted = false;
  Value v = TypedScalar(e, &quoted);
  uint8_t flags = 0;
  if (quoted) flags |= Value::kQuoted;
  if (multi_line) flags |= Value::kMultiLine;
  v.set_flags(flags);
  v.set_loc(loc);
  v.set_path(ChildPath());
  Add(v, 1, 0, e.anchor);
}

// ---- Aliases and keys ---------------------------------------------------------

void YamlBuilder::Alias(std::size_t offset, std::string_view anchor) {
  auto it = anchors_.find(std::string(anchor));
  if (it == anchors_.end()) {
    for (uint32_t d = 0; d < depth_; ++d) {
      if (frames_[d].anchor == anchor) {
        Fail(DiagCode::kInputSyntax, offset,
             "alias refers to an anchor that is not complete (a recursive alias)");
      }
    }
    Fail(DiagCode::kInputSyntax, offset,
         "alias '*" + std::string(anchor) + "' refers to no anchor before it");
  }
  const Anchored a = it->second;
  alias_nodes_ += a.size;
  if (alias_nodes_ > limits_.max_alias_nodes) {
    Fail(DiagCode::kInputAliasLimit, offset,
         "alias expansion exceeds " + std::to_string(limits_.max_alias_nodes) + " values");
  }
  if (depth_ + a.height > limits_.max_depth) Fail(DiagCode::kInputTooDeep, offset, DepthMessage());
  if (IsKeyPosition()) {
    if (a.value.is(Type::kMap) || a.value.is(Type::kList)) {
      FailContainerKey(a.value.is(Type::kMap), offset);
    }
    std::string_view key;
    if (a.value.is(Type::kString)) {
      key = a.value.as_string();
    } else if (!a.value.is_null()) {
      key = doc_->arena.Copy(ToText(a.value));
    }
    SetKey(key, LocAt(offset), false);
    return;
  }
  Value copy = Repath(a.value, ChildPath(), Value::kFromAlias);
  Add(copy, a.size, a.height, {});
}

bool YamlBuilder::IsKeyPosition() const {
  return depth_ > 0 && frames_[depth_ - 1].is_map && !frames_[depth_ - 1].have_key;
}

void YamlBuilder::FailContainerKey(bool is_map, std::size_t offset) {
  Fail(DiagCode::kInputSyntax, offset,
       std::string(is_map ? "a mapping" : "a list") +
           " used as a key: valid YAML, but a policy value's keys are text");
}

void YamlBuilder::SetKey(std::string_view key, const Loc& loc, bool merge) {
  Frame& f = frames_[depth_ - 1];
  if (merge) {
    if (f.seen_merge)
      throw YamlAbort{MakeError(DiagCode::kInputBadMergeKey, file_, loc.line, loc.column,
                                "duplicate merge key '<<'")};
    f.seen_merge = true;
  } else if (uint32_t first = f.keys.Insert(key, loc.line); first != 0) {
    std::string what =
        key.empty() ? "duplicate empty key" : "duplicate key '" + std::string(key) + "'";
    throw YamlAbort{MakeError(DiagCode::kInputDuplicateKey, file_, loc.line, loc.column,
                              what + " (first at line " + std::to_string(first) + ")")};
  }
  f.have_key = true;
  f.key_is_merge = merge;
  f.key = key;
  f.key_loc = loc;
}

const PathNode* YamlBuilder::NewPath(const PathNode* parent, std::string_view key, int64_t index) {
  auto* node = doc_->arena.AllocateArray<PathNode>(1);
  return new (node) PathNode{parent, key, index};
}

// The path of the value about to be added at the current position.
const PathNode* YamlBuilder::ChildPath() {
  if (depth_ == 0) return nullptr;
  Frame& f = frames_[depth_ - 1];
  if (f.is_map) return NewPath(f.path, f.key_is_merge ? "<<" : f.key, -1);
  return NewPath(f.path, {}, static_cast<int64_t>(f.items.size()));
}

// ---- Containers -------------------------------------------------------------

void YamlBuilder::StartContainer(std::size_t offset, std::string_view anchor, bool is_map) {
  if (offset == std::string_view::npos) offset = cursor_;
  if (depth_ + 1 > limits_.max_depth) Fail(DiagCode::kInputTooDeep, offset, DepthMessage());
  if (IsKeyPosition()) FailContainerKey(is_map, offset);
  Loc loc;
  if (depth_ > 0 && frames_[depth_ - 1].is_map && frames_[depth_ - 1].have_key) {
    loc = frames_[depth_ - 1].key_loc;  // held by a key: located at the key
  } else {
    loc = LocAt(offset);
  }
  const PathNode* path = ChildPath();
  if (frames_.size() <= depth_) frames_.emplace_back();
  Frame& f = frames_[depth_++];
  f.Reset();
  f.is_map = is_map;
  f.loc = loc;
  f.path = path;
  f.anchor.assign(anchor);
}

void YamlBuilder::EndContainer() {
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
  Add(v, f.size, f.height, f.anchor);
}

// `<<` sources, earlier first, add the keys the mapping does not have itself.
void YamlBuilder::ResolveMerges(Frame& f) {
  for (const Value& source : f.merge_sources) {
    if (source.is(Type::kMap)) {
      MergeFrom(f, source);
    } else if (source.is(Type::kList)) {
      for (const Value& item : source.as_list()) {
        if (!item.is(Type::kMap)) {
          throw YamlAbort{MakeError(DiagCode::kInputBadMergeKey, file_, item.loc().line,
                                    item.loc().column,
                                    "a merge key '<<' takes a map or a list of maps")};
        }
        MergeFrom(f, item);
      }
    } else {
      throw YamlAbort{MakeError(DiagCode::kInputBadMergeKey, file_, source.loc().line,
                                source.loc().column,
                                "a merge key '<<' takes a map or a list of maps")};
    }
  }
}

void YamlBuilder::MergeFrom(Frame& f, const Value& source) {
  for (const MapEntry& e : source.as_map()) {
    if (f.keys.Insert(e.key, 1) != 0) continue;
    f.entries.push_back({e.key, Repath(e.value, NewPath(f.path, e.key, -1), 0)});
  }
}

// A copy of `v` reached by `path`, its descendants re-pathed below it. Depth is
// bounded: the tree was built under max_depth.
Value YamlBuilder::Repath(const Value& v, const PathNode* path, uint8_t add_flags) {
  Value copy = v;
  if (v.is(Type::kList)) {
    auto src = v.as_list();
    auto* items = doc_->arena.AllocateArray<Value>(src.size());
    for (std::size_t i = 0; i < src.size(); ++i) {
      new (&items[i]) Value(Repath(src[i], NewPath(path, {}, static_cast<int64_t>(i)), add_flags));
    }
    copy = Value::List(items, static_cast<uint32_t>(src.size()));
    copy.set_loc(v.loc());
  } else if (v.is(Type::kMap)) {
    auto src = v.as_map();
    auto* entries = doc_->arena.AllocateArray<MapEntry>(src.size());
    for (std::size_t i = 0; i < src.size(); ++i) {
      new (&entries[i])
          MapEntry{src[i].key, Repath(src[i].value, NewPath(path, src[i].key, -1), add_flags)};
    }
    copy = Value::Map(entries, static_cast<uint32_t>(src.size()));
    copy.set_loc(v.loc());
  }
  copy.set_path(path);
  copy.set_flags(static_cast<uint8_t>(v.flags() | add_flags));
  return copy;
}

void YamlBuilder::Add(const Value& v, uint64_t size, uint32_t height, std::string_view anchor) {
  if (!anchor.empty()) anchors_[std::string(anchor)] = Anchored{v, size, height};
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

}  // namespace policy::load
