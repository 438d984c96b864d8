#pragma once
// The value model shared by loaders, the evaluator and reporters.
//
// A Value is a small, trivially copyable handle. It never owns what it points to:
// strings, lists and maps live in an Arena (a Document's, or the evaluator's
// scratch arena) or in static storage, and a Value is valid exactly as long as
// that storage. Every value read from a file carries a Loc (file, line, column)
// and a PathNode chain ("services.redis.image"); computed values may carry the
// origin of the value they were derived from (LANGUAGE.md section 5).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "libpolicy/arena.h"
#include "libpolicy/date.h"
#include "libpolicy/decimal.h"

namespace re2 {
class RE2;
}

namespace policy {

enum class Type : uint8_t { kNull, kBool, kDecimal, kString, kDate, kList, kMap, kRegex };

// "null", "bool", "decimal", "string", "date", "list", "map", "regex".
std::string_view TypeName(Type type);

// A place in an input file. Lines and columns are 1-based, columns count code
// points; line 0 means unknown. The end is exclusive (the column after the value)
// and 0 when unknown. `file` indexes the file table of the Document (several
// files when compose files are merged).
struct Loc {
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t end_line = 0;
  uint32_t end_column = 0;
  uint16_t file = 0;
  bool known() const { return line != 0; }
};

// A value's path in its document, as a chain to the root. Rendered as
// `services.redis.image`, `services.web.ports[0]`, `labels["traefik.enable"]`
// (keys that are not identifiers are bracketed), `row.tin` for records.
struct PathNode {
  const PathNode* parent = nullptr;
  std::string_view key;  // used when index < 0
  int64_t index = -1;
};
std::string RenderPath(const PathNode* path);

struct MapEntry;

class Value {
 public:
  // Flags describing how a value was written in its file, and what its
  // loader already knows of its text.
  enum Flag : uint8_t {
    kQuoted = 1,     // a quoted YAML/CSV scalar
    kMultiLine = 2,  // a scalar whose text spans several lines (block scalar etc.)
    kFromAlias = 4,  // reached through a YAML alias (located at the anchor)
    // A string whose text is all ASCII (the loader saw no byte >= 0x80). Unset
    // means unknown. It describes the text, not its origin: WithOriginOf()
    // keeps the value's own.
    kAscii = 8,
  };

  Value() : type_(Type::kNull), b_(false) {}
  static Value Null() { return Value(); }
  static Value Bool(bool b) {
    Value v(Type::kBool);
    v.b_ = b;
    return v;
  }
  static Value Number(const Decimal& d) {
    Value v(Type::kDecimal);
    v.d_ = d;
    return v;
  }
  // `s` must outlive the value (arena, document or static storage).
  static Value String(std::string_view s) {
    Value v(Type::kString);
    v.s_ = s;
    return v;
  }
  static Value OfDate(Date d) {
    Value v(Type::kDate);
    v.date_ = d;
    return v;
  }
  static Value List(const Value* items, uint32_t size) {
    Value v(Type::kList);
    v.list_ = {items, size};
    return v;
  }
  static Value Map(const MapEntry* entries, uint32_t size) {
    Value v(Type::kMap);
    v.map_ = {entries, size};
    return v;
  }
  static Value Regex(const re2::RE2* re) {
    Value v(Type::kRegex);
    v.re_ = re;
    return v;
  }

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is(Type t) const { return type_ == t; }

  // Accessors: only for the matching type().
  bool as_bool() const { return b_; }
  const Decimal& as_decimal() const { return d_; }
  std::string_view as_string() const { return s_; }
  Date as_date() const { return date_; }
  std::span<const Value> as_list() const { return {list_.items, list_.size}; }
  std::span<const MapEntry> as_map() const;
  const re2::RE2* as_regex() const { return re_; }

  // Map lookup by key (first match); nullptr when absent or not a map.
  const Value* Find(std::string_view key) const;

  const Loc& loc() const { return loc_; }
  void set_loc(const Loc& loc) { loc_ = loc; }
  const PathNode* path() const { return path_; }
  void set_path(const PathNode* path) { path_ = path; }
  uint8_t flags() const { return flags_; }
  void set_flags(uint8_t f) { flags_ = f; }
  bool has_flag(Flag f) const { return (flags_ & f) != 0; }
  // A string known to be all ASCII without reading it (see kAscii).
  bool known_ascii() const { return type_ == Type::kString && (flags_ & kAscii) != 0; }

  // This value, located where `origin` is (for trim(), lower(), ... results).
  Value WithOriginOf(const Value& origin) const {
    Value v = *this;
    v.loc_ = origin.loc_;
    v.path_ = origin.path_;
    v.flags_ = static_cast<uint8_t>((origin.flags_ & ~kAscii) | (flags_ & kAscii));
    return v;
  }

 private:
  explicit Value(Type t) : type_(t), b_(false) {}
  struct ListRef {
    const Value* items;
    uint32_t size;
  };
  struct MapRef {
    const MapEntry* entries;
    uint32_t size;
  };

  Type type_;
  uint8_t flags_ = 0;
  Loc loc_;
  const PathNode* path_ = nullptr;
  union {
    bool b_;
    Decimal d_;
    std::string_view s_;
    Date date_;
    ListRef list_;
    MapRef map_;
    const re2::RE2* re_;
  };
};

struct MapEntry {
  std::string_view key;
  Value value;
};

inline std::span<const MapEntry> Value::as_map() const { return {map_.entries, map_.size}; }

// Equality of the language's `==`: values of different types are unequal,
// decimals compare by value, maps ignore key order, null == null.
bool Equal(const Value& a, const Value& b);

// Rendering (LANGUAGE.md section 5). `RenderText` is what `{x}` interpolation and
// string(x) print: strings unquoted, decimals with their scale, dates YYYY-MM-DD,
// lists and maps as compact JSON. `RenderJson` quotes strings too.
void RenderText(const Value& v, std::string& out);
void RenderJson(const Value& v, std::string& out);
std::string ToText(const Value& v);
std::string ToJson(const Value& v);

// Appends `s` as a JSON string literal (with quotes) to `out`.
void AppendJsonString(std::string_view s, std::string& out);

// Builders that allocate in an arena.
Value MakeList(Arena& arena, std::span<const Value> items);
Value MakeString(Arena& arena, std::string_view s);

}  // namespace policy
