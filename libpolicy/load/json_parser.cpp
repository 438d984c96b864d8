#include <algorithm>
#include <cstdio>
#include <new>

#include "libpolicy/load/json_internal.h"
#include "libpolicy/load/text_internal.h"
#include "libpolicy/utf8.h"

namespace policy::load {
namespace {

bool IsWhite(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Describe(std::string_view text, std::size_t at) {
  if (at >= text.size()) return "end of input";
  auto c = static_cast<unsigned char>(text[at]);
  if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
  char buf[16];
  std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
  return buf;
}

}  // namespace

bool JsonParser::Fail(std::size_t offset, std::string message) {
  LocAt(std::max(offset, cursor_));
  error_->line = line_;
  error_->column = column_;
  error_->message = std::move(message);
  return false;
}

Loc JsonParser::LocAt(std::size_t offset) {
  if (offset > text_.size()) offset = text_.size();
  for (; cursor_ < offset; ++cursor_) {
    char c = text_[cursor_];
    if (c == '\n') {
      ++line_;
      column_ = 1;
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
    if (len == 0) return Fail(i, "invalid UTF-8");
    i += len;
  }
  if (i - start > limits_.max_string_length) {
    return Fail(*pos, "string longer than " + std::to_string(limits_.max_string_length) + " bytes");
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
          return Fail(start,
                      "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
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

}  // namespace policy::load
