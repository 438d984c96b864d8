#include <algorithm>
#include <cstdio>
#include <cstring>
#include <new>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "libpolicy/load/json_internal.h"
#include "libpolicy/load/text_internal.h"
#include "libpolicy/utf8.h"

namespace policy::load {
namespace {

bool IsWhite(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// The first offset >= i of s[0, n) holding '"', '\\', a control character or a
// byte >= 0x80 (n when none): where a plain run of string bytes ends.
std::size_t FindStringStop(const char* s, std::size_t i, std::size_t n) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  for (; i + 16 <= n; i += 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    // Signed: bytes >= 0x80 are negative, so "< 0x20" catches them too.
    __m128i stop =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                     _mm_cmplt_epi8(x, space));
    auto bits = static_cast<unsigned>(_mm_movemask_epi8(stop));
    if (bits != 0) return i + static_cast<unsigned>(__builtin_ctz(bits));
  }
#endif
  for (; i < n; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) return i;
  }
  return n;
}

std::string Describe(std::string_view text, std::size_t at) {
  if (at >= text.size()) return "end of input";
  auto c = static_cast<unsigned char>(text[at]);
  if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
  char buf[16];
  std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
  return buf;
}

}  // namespace

bool JsonParser::Fail(std::size_t offset, std::string message, DiagCode code) {
  LocAt(std::max(offset, cursor_));
  error_->code = code;
  error_->line = line_;
  error_->column = column_;
  error_->message = std::move(message);
  return false;
}

Loc JsonParser::LocAt(std::size_t offset) {
  if (offset > text_.size()) offset = text_.size();
  for (; cursor_ < offset; ++cursor_) {
    char c = text_[cursor_];
    // Lines end at LF, CR LF or a lone CR, as LineIndex counts them.
    const bool cr_breaks = c == '\r' && !one_line_;
    if (c == '\n' || (cr_breaks && (cursor_ + 1 == text_.size() || text_[cursor_ + 1] != '\n'))) {
      ++line_;
      column_ = 1;
    } else if (cr_breaks) {
      // The CR of a CR LF: the LF ends the line.
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column_;
    }
  }
  Loc loc;
  loc.line = line_;
  loc.column = column_;
  loc.file = file_;
  return loc;
}

const PathNode* JsonParser::ChildPath() {
  if (stack_.empty()) return root_;
  const Open& top = stack_.back();
  auto* node = arena_->AllocateArray<PathNode>(1);
  if (top.is_map) return new (node) PathNode{top.value.path(), key_, -1};
  return new (node) PathNode{top.value.path(), {}, static_cast<int64_t>(items_.size() - top.first)};
}

bool JsonParser::ParseString(std::size_t* pos, std::string_view* out) {
  std::size_t i = *pos + 1;  // after the opening quote
  const std::size_t start = i;
  bool escaped = false;
  const std::size_t n = text_.size();
  while (true) {
    while (i < n) {
      auto c = static_cast<unsigned char>(text_[i]);
      if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
      ++i;
    }
    if (i >= n) return Fail(*pos, "unterminated string");
    auto c = static_cast<unsigned char>(text_[i]);
    if (c == '"') break;
    if (c == '\\') {
      escaped = true;
      i += 2;
      continue;
    }
    if (c < 0x20) return Fail(i, "control character in a string (escape it)");
    std::size_t len = Utf8SequenceLength(text_, i);
    if (len == 0) return Fail(i, "invalid UTF-8", DiagCode::kInputInvalidUtf8);
    i += len;
  }
  if (i - start > limits_.max_string_length) {
    return Fail(*pos, "string longer than " + std::to_string(limits_.max_string_length) + " bytes",
                DiagCode::kInputTooLarge);
  }
  std::string_view raw = text_.substr(start, i - start);
  *pos = i + 1;
  if (!escaped) {
    *out = copy_strings_ ? arena_->Copy(raw) : raw;
    return true;
  }
  unescaped_.clear();
  for (std::size_t k = 0; k < raw.size(); ++k) {
    char c = raw[k];
    if (c != '\\') {
      unescaped_ += c;
      continue;
    }
    std::size_t at = start + k;
    char e = k + 1 < raw.size() ? raw[k + 1] : '\0';
    ++k;
    switch (e) {
      case '"':
        unescaped_ += '"';
        break;
      case '\\':
        unescaped_ += '\\';
        break;
      case '/':
        unescaped_ += '/';
        break;
      case 'b':
        unescaped_ += '\b';
        break;
      case 'f':
        unescaped_ += '\f';
        break;
      case 'n':
        unescaped_ += '\n';
        break;
      case 'r':
        unescaped_ += '\r';
        break;
      case 't':
        unescaped_ += '\t';
        break;
      case 'u': {
        auto hex4 = [&](std::size_t from, uint32_t* cp) {
          if (from + 4 > raw.size()) return false;
          uint32_t v = 0;
          for (std::size_t h = 0; h < 4; ++h) {
            int d = HexDigitValue(raw[from + h]);
            if (d < 0) return false;
            v = v * 16 + static_cast<uint32_t>(d);
          }
          *cp = v;
          return true;
        };
        uint32_t cp = 0;
        if (!hex4(k + 1, &cp)) return Fail(at, "invalid \\u escape (four hex digits expected)");
        k += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t low = 0;
          if (k + 2 < raw.size() && raw[k + 1] == '\\' && raw[k + 2] == 'u' && hex4(k + 3, &low) &&
              low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            k += 6;
          } else {
            return Fail(at, "unpaired UTF-16 surrogate in a \\u escape");
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return Fail(at, "unpaired UTF-16 surrogate in a \\u escape");
        }
        AppendUtf8(cp, unescaped_);
        break;
      }
      default:
        return Fail(at, "invalid escape '\\" + std::string(1, e) + "' in a string");
    }
  }
  *out = arena_->Copy(unescaped_);
  return true;
}

bool JsonParser::ParseNumber(std::size_t* pos, Value* out) {
  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  std::size_t i = *pos;
  const std::size_t n = text_.size();
  if (i < n && text_[i] == '-') ++i;
  if (i >= n || !IsDigit(text_[i])) return Fail(i, "invalid number: a digit must follow '-'");
  if (text_[i] == '0') {
    ++i;
    if (i < n && IsDigit(text_[i])) return Fail(i, "invalid number: no leading zeros allowed");
  } else {
    while (i < n && IsDigit(text_[i])) ++i;
  }
  if (i < n && text_[i] == '.') {
    ++i;
    if (i >= n || !IsDigit(text_[i])) return Fail(i, "invalid number: a digit must follow '.'");
    while (i < n && IsDigit(text_[i])) ++i;
  }
  if (i < n && (text_[i] == 'e' || text_[i] == 'E')) {
    ++i;
    if (i < n && (text_[i] == '+' || text_[i] == '-')) ++i;
    if (i >= n || !IsDigit(text_[i]))
      return Fail(i, "invalid number: a digit must follow the exponent");
    while (i < n && IsDigit(text_[i])) ++i;
  }
  std::string_view num = text_.substr(*pos, i - *pos);
  if (auto d = Decimal::Parse(num)) {
    *out = Value::Number(*d);
  } else {
    // More digits than a decimal holds: keep the exact text (LANGUAGE.md section 4).
    *out = Value::String(copy_strings_ ? arena_->Copy(num) : num);
  }
  *pos = i;
  return true;
}

bool JsonParser::ParseKey(std::size_t* pos) {
  std::size_t i = *pos;
  while (i < text_.size() && IsWhite(text_[i])) ++i;
  if (i >= text_.size() || text_[i] != '"') {
    return Fail(i, "expected a string key, found " + Describe(text_, i));
  }
  key_loc_ = LocAt(i);
  std::size_t key_start = i;
  if (!ParseString(&i, &key_)) return false;
  key_loc_.end_line = key_loc_.line;
  key_loc_.end_column = key_loc_.column + CountCodePoints(text_.substr(key_start, i - key_start));
  while (i < text_.size() && IsWhite(text_[i])) ++i;
  if (i >= text_.size() || text_[i] != ':') {
    return Fail(i, "expected ':' after the key, found " + Describe(text_, i));
  }
  *pos = i + 1;
  return true;
}

void JsonParser::Attach(const Value& v) {
  if (stack_.empty()) {
    result_ = v;
    have_result_ = true;
    return;
  }
  if (stack_.back().is_map) {
    entries_.push_back({key_, v});
    key_locs_.push_back(key_loc_);
  } else {
    items_.push_back(v);
  }
}

// A duplicate key is reported at its second occurrence (the earliest such one).
bool JsonParser::CheckDuplicates(uint32_t first) {
  const std::size_t n = entries_.size() - first;
  std::size_t dup = n;
  std::size_t orig = 0;
  if (n <= 16) {
    for (std::size_t j = 1; j < n && dup == n; ++j) {
      for (std::size_t i = 0; i < j; ++i) {
        if (entries_[first + i].key == entries_[first + j].key) {
          dup = j;
          orig = i;
          break;
        }
      }
    }
  } else {
    std::vector<uint32_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<uint32_t>(i);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return entries_[first + a].key < entries_[first + b].key;
    });
    for (std::size_t k = 1; k < n; ++k) {
      if (entries_[first + order[k]].key == entries_[first + order[k - 1]].key && order[k] < dup) {
        dup = order[k];
        orig = order[k - 1];
      }
    }
  }
  if (dup == n) return true;
  const Loc& at = key_locs_[first + dup];
  error_->code = DiagCode::kInputDuplicateKey;
  error_->line = at.line;
  error_->column = at.column;
  error_->message = "duplicate key '" + std::string(entries_[first + dup].key) +
                    "' (first at line " + std::to_string(key_locs_[first + orig].line) + ")";
  return false;
}

// Ends the innermost container: its elements move from the scratch vectors into
// the arena and it becomes a value of its parent.
bool JsonParser::Close() {
  Open top = stack_.back();
  Value v = top.value;
  if (top.is_map) {
    if (!CheckDuplicates(top.first)) return false;
    std::size_t n = entries_.size() - top.first;
    auto* entries = arena_->AllocateArray<MapEntry>(n);
    std::uninitialized_copy(entries_.begin() + top.first, entries_.end(), entries);
    entries_.resize(top.first);
    key_locs_.resize(top.first);
    v = Value::Map(entries, static_cast<uint32_t>(n));
  } else {
    std::size_t n = items_.size() - top.first;
    auto* items = arena_->AllocateArray<Value>(n);
    std::uninitialized_copy(items_.begin() + top.first, items_.end(), items);
    items_.resize(top.first);
    v = Value::List(items, static_cast<uint32_t>(n));
  }
  v.set_loc(top.value.loc());
  v.set_path(top.value.path());
  stack_.pop_back();
  // Restore the key this container was held by, for the parent's entry.
  if (!stack_.empty() && stack_.back().is_map) {
    key_ = top.value.path()->key;
    key_loc_ = top.value.loc();
  }
  Attach(v);
  return true;
}

bool JsonParser::Parse(std::string_view text, uint32_t first_line, std::size_t skip,
                       const PathNode* root, uint16_t file, Arena& arena, Value* out,
                       JsonError* error) {
  text_ = text;
  arena_ = &arena;
  error_ = error;
  file_ = file;
  root_ = root;
  line_ = first_line;
  column_ = 1;
  cursor_ = skip;
  have_result_ = false;
  stack_.clear();
  items_.clear();
  entries_.clear();
  key_locs_.clear();

  const std::size_t n = text.size();
  std::size_t i = skip;
  bool want_value = true;
  while (true) {
    if (want_value) {
      while (i < n && IsWhite(text[i])) ++i;
      if (i >= n) {
        return Fail(i, stack_.empty() && !have_result_
                           ? "empty input: expected a JSON value"
                           : "unexpected end of input, expected a value");
      }
      const std::size_t start = i;
      // A container held by a key is located at the key; anything else where written.
      bool held_by_key = !stack_.empty() && stack_.back().is_map;
      Loc loc = LocAt(start);
      const PathNode* path = ChildPath();
      char c = text[i];
      if (c == '{' || c == '[') {
        if (stack_.size() + 1 > limits_.max_depth) {
          return Fail(start, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels",
                      DiagCode::kInputTooDeep);
        }
        bool is_map = c == '{';
        Value placeholder;
        placeholder.set_loc(held_by_key ? key_loc_ : loc);
        placeholder.set_path(path);
        stack_.push_back(Open{
            is_map, static_cast<uint32_t>(is_map ? entries_.size() : items_.size()), placeholder});
        ++i;
        while (i < n && IsWhite(text[i])) ++i;
        if (i < n && text[i] == (is_map ? '}' : ']')) {
          ++i;
          if (!Close()) return false;
          want_value = false;
        } else if (is_map) {
          if (!ParseKey(&i)) return false;
        }
        if (want_value) continue;
      } else {
        Value v;
        if (c == '"') {
          std::string_view s;
          if (!ParseString(&i, &s)) return false;
          v = Value::String(s);
        } else if (c == '-' || IsDigit(c)) {
          if (!ParseNumber(&i, &v)) return false;
        } else if (text.substr(i, 4) == "true") {
          v = Value::Bool(true);
          i += 4;
        } else if (text.substr(i, 5) == "false") {
          v = Value::Bool(false);
          i += 5;
        } else if (text.substr(i, 4) == "null") {
          i += 4;
        } else {
          return Fail(start, "expected a JSON value, found " + Describe(text, start));
        }
        loc.end_line = loc.line;
        loc.end_column = loc.column + CountCodePoints(text.substr(start, i - start));
        v.set_loc(loc);
        v.set_path(path);
        Attach(v);
      }
    }
    // After a value: a separator, the end of containers, or the end of input.
    want_value = true;
    while (!stack_.empty()) {
      while (i < n && IsWhite(text[i])) ++i;
      bool is_map = stack_.back().is_map;
      if (i < n && text[i] == ',') {
        ++i;
        if (is_map && !ParseKey(&i)) return false;
        break;
      }
      if (i < n && text[i] == (is_map ? '}' : ']')) {
        ++i;
        if (!Close()) return false;
        continue;
      }
      return Fail(i, std::string("expected ',' or '") + (is_map ? '}' : ']') + "', found " +
                         Describe(text, i));
    }
    if (stack_.empty()) break;
  }
  while (i < n && IsWhite(text[i])) ++i;
  if (i < n) return Fail(i, "unexpected " + Describe(text, i) + " after the JSON value");
  *out = result_;
  return true;
}

// ---- Flat records ------------------------------------------------------------
//
// Most JSON Lines records are one flat object of scalars. They are read here in
// one pass, with columns from byte offsets (less the UTF-8 continuation bytes of
// the strings before them), keys and path nodes kept across records, and
// duplicate keys found by stamping the kept keys. Whatever this path does not
// expect, errors included, makes it give up: Parse then reads the record again
// and says what is wrong, so both paths accept and locate exactly the same.

bool JsonParser::ParseRecord(std::string_view text, uint32_t line, const PathNode* root,
                             Arena& arena, Value* out, JsonError* error, uint64_t* shape) {
  if (!copy_strings_ && limits_.max_depth >= 1) {
    text_ = text;
    arena_ = &arena;
    error_ = error;
    file_ = 0;
    root_ = root;
    line_ = line;
    column_ = 1;
    cursor_ = 0;
    if (root != flat_root_) {
      flat_keys_.clear();
      flat_by_text_.clear();
      flat_first_[0] = flat_first_[1] = nullptr;
      key_lists_.clear();
      flat_root_ = root;
    }
    if (ParseFlat(text, line, out, shape)) return true;
  }
  *shape = 0;
  return ParseLine(text, line, root, arena, out, error);
}

bool JsonParser::ParseLine(std::string_view text, uint32_t line, const PathNode* root, Arena& arena,
                           Value* out, JsonError* error) {
  one_line_ = true;
  const bool ok = Parse(text, line, 0, root, 0, arena, out, error);
  one_line_ = false;
  return ok;
}

// A string at text_[*pos] (its opening quote) without escapes, or with them when
// `escapes_ok`; adds its continuation bytes to *extra. False to give up.
bool JsonParser::ScanFlatString(std::size_t* pos, std::size_t* extra, std::string_view* out) {
  const char* s = text_.data();
  const std::size_t n = text_.size();
  const std::size_t start = *pos + 1;
  std::size_t i = FindStringStop(s, start, n);
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == '"' || c == '\\' || c < 0x20) break;
      i = FindStringStop(s, i + 1, n);
      continue;
    }
    // Runs of non-ASCII text are read sequence by sequence.
    std::size_t len = Utf8Length(text_, i);
    if (len == 0) return false;
    *extra += len - 1;
    i += len;
  }
  if (i >= n || s[i] != '"') {
    if (i >= n || s[i] != '\\' || out == nullptr) return false;
    // Escapes: the general string reader, on a copy of its state.
    std::size_t at = *pos;
    JsonError ignored;
    JsonError* saved = error_;
    error_ = &ignored;
    bool ok = ParseString(&at, out);
    error_ = saved;
    if (!ok) return false;
    for (std::size_t k = i; k < at; ++k) {
      if ((static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) ++*extra;
    }
    *pos = at;
    return true;
  }
  if (i - start > limits_.max_string_length) return false;
  if (out != nullptr) *out = std::string_view(s + start, i - start);
  *pos = i + 1;
  return true;
}

JsonParser::FlatKey* JsonParser::InternKey(std::string_view key, FlatKey* prev) {
  // The keys that followed `prev` lately: records that leave out a key alternate.
  FlatKey** next = prev != nullptr ? prev->next : flat_first_;
  auto same = [&](const FlatKey* k) {
    return k != nullptr && k->text.size() == key.size() &&
           std::memcmp(k->text.data(), key.data(), key.size()) == 0;
  };
  if (same(next[0])) return next[0];
  FlatKey* found = nullptr;
  if (same(next[1])) {
    found = next[1];
  } else if (auto it = flat_by_text_.find(key); it != flat_by_text_.end()) {
    found = it->second;
  } else {
    if (flat_keys_.size() >= kMaxFlatKeys || key.size() > kMaxFlatKeyBytes) return nullptr;
    FlatKey& k = flat_keys_.emplace_back();
    k.text = std::string(key);
    for (char c : k.text) k.continuation_bytes += (static_cast<unsigned char>(c) & 0xC0) == 0x80;
    k.node = PathNode{flat_root_, k.text, -1};
    flat_by_text_.emplace(k.text, &k);
    found = &k;
  }
  next[1] = next[0];
  next[0] = found;
  return found;
}

// The shape of the key list in flat_order_.
uint64_t JsonParser::FlatShape() {
  for (std::size_t l = 0; l < key_lists_.size(); ++l) {
    if (key_lists_[l].keys != flat_order_) continue;
    if (l != 0) std::swap(key_lists_[l], key_lists_[0]);
    return key_lists_[0].shape;
  }
  if (key_lists_.size() < kKeyLists) key_lists_.emplace_back();
  KeyList& fresh = key_lists_.back();
  fresh.keys = flat_order_;
  fresh.shape = next_shape_++;
  std::swap(fresh, key_lists_[0]);
  return key_lists_[0].shape;
}

bool JsonParser::ParseFlat(std::string_view text, uint32_t line, Value* out, uint64_t* shape) {
  const char* s = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
  std::size_t extra = 0;  // UTF-8 continuation bytes before i: column = 1 + i - extra
  auto skip_blanks = [&] {
    while (i < n && IsBlank(s[i])) ++i;
  };
  skip_blanks();
  if (i >= n || s[i] != '{') return false;
  Loc row_loc;
  row_loc.line = line;
  row_loc.column = static_cast<uint32_t>(1 + i);
  ++i;
  ++flat_stamp_;
  flat_order_.clear();
  std::size_t count = 0;
  skip_blanks();
  if (i < n && s[i] == '}') {
    ++i;
  } else {
    FlatKey* prev = nullptr;
    while (true) {
      if (i >= n || s[i] != '"') return false;
      // The keys that followed the previous one lately are compared in place: a
      // kept key's bytes were read (and accepted) before.
      FlatKey* key = nullptr;
      FlatKey** next = prev != nullptr ? prev->next : flat_first_;
      for (int h = 0; h < 2; ++h) {
        FlatKey* k = next[h];
        if (k == nullptr) continue;
        const std::size_t len = k->text.size();
        if (n - i > len + 1 && s[i + 1 + len] == '"' &&
            std::memcmp(s + i + 1, k->text.data(), len) == 0) {
          key = k;
          if (h == 1) std::swap(next[0], next[1]);
          i += len + 2;
          extra += k->continuation_bytes;
          break;
        }
      }
      if (key == nullptr) {
        const std::size_t key_start = i;
        if (!ScanFlatString(&i, &extra, nullptr)) return false;
        key = InternKey(text.substr(key_start + 1, i - key_start - 2), prev);
      }
      if (key == nullptr || key->stamp == flat_stamp_) return false;
      key->stamp = flat_stamp_;
      prev = key;
      skip_blanks();
      if (i >= n || s[i] != ':') return false;
      ++i;
      skip_blanks();
      if (i >= n) return false;
      const std::size_t start = i;
      const std::size_t extra_start = extra;
      // The value is built where it stays: building a temporary and copying it
      // costs more than reading it (partial stores, then wide loads).
      if (count == flat_entries_.size()) flat_entries_.resize(2 * count + 16);
      MapEntry& entry = flat_entries_[count];
      entry.key = key->text;
      Value& v = entry.value;
      const char c = s[i];
      if (c == '"') {
        std::string_view str;
        if (!ScanFlatString(&i, &extra, &str)) return false;
        new (&v) Value(Value::String(str));
      } else if (c == '-' || IsDigit(c)) {
        // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        bool negative = c == '-';
        if (negative) ++i;
        if (i >= n || !IsDigit(s[i])) return false;
        uint64_t coef = 0;
        int digits = 0;
        int scale = 0;
        if (s[i] == '0') {
          ++i;
          ++digits;
          if (i < n && IsDigit(s[i])) return false;
        } else {
          for (; i < n && IsDigit(s[i]); ++i, ++digits) {
            if (digits < 19) coef = coef * 10 + static_cast<uint64_t>(s[i] - '0');
          }
        }
        if (i < n && s[i] == '.') {
          ++i;
          if (i >= n || !IsDigit(s[i])) return false;
          for (; i < n && IsDigit(s[i]); ++i, ++digits, ++scale) {
            if (digits < 19) coef = coef * 10 + static_cast<uint64_t>(s[i] - '0');
          }
        }
        bool exponent = false;
        if (i < n && (s[i] == 'e' || s[i] == 'E')) {
          exponent = true;
          ++i;
          if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
          if (i >= n || !IsDigit(s[i])) return false;
          while (i < n && IsDigit(s[i])) ++i;
        }
        if (!exponent && digits <= 18) {
          // As Decimal::Parse reads it: the digits as written, the written scale.
          auto value = static_cast<Int128>(coef);
          new (&v) Value(Value::Number(Decimal::FromParts(negative ? -value : value, scale)));
        } else {
          std::string_view num = text.substr(start, i - start);
          if (auto d = Decimal::Parse(num)) {
            new (&v) Value(Value::Number(*d));
          } else {
            new (&v) Value(Value::String(num));  // more digits than a decimal holds
          }
        }
      } else if (n - i >= 4 && std::memcmp(s + i, "true", 4) == 0) {
        new (&v) Value(Value::Bool(true));
        i += 4;
      } else if (n - i >= 5 && std::memcmp(s + i, "false", 5) == 0) {
        new (&v) Value(Value::Bool(false));
        i += 5;
      } else if (n - i >= 4 && std::memcmp(s + i, "null", 4) == 0) {
        new (&v) Value();
        i += 4;
      } else {
        return false;  // containers and errors
      }
      Loc loc;
      loc.line = line;
      loc.column = static_cast<uint32_t>(1 + start - extra_start);
      loc.end_line = line;
      loc.end_column = static_cast<uint32_t>(1 + i - extra);
      v.set_loc(loc);
      v.set_path(&key->node);
      ++count;
      flat_order_.push_back(key);
      skip_blanks();
      if (i < n && s[i] == ',') {
        ++i;
        skip_blanks();
        continue;
      }
      if (i < n && s[i] == '}') {
        ++i;
        break;
      }
      return false;
    }
  }
  skip_blanks();
  if (i != n) return false;
  Value row = Value::Map(flat_entries_.data(), static_cast<uint32_t>(count));
  row.set_loc(row_loc);
  row.set_path(flat_root_);
  *out = row;
  *shape = FlatShape();
  return true;
}

}  // namespace policy::load
