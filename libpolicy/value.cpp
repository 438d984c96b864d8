#include "libpolicy/value.h"

// Only the inline RE2::pattern() accessor is used: the core needs no RE2 library.
#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace policy {
namespace {

bool IsIdentifier(std::string_view key) {
  if (key.empty()) return false;
  auto head = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!head(key[0])) return false;
  return std::all_of(key.begin() + 1, key.end(),
                     [&](char c) { return head(c) || (c >= '0' && c <= '9'); });
}

void Render(const Value& v, std::string& out, bool quote_strings) {
  switch (v.type()) {
    case Type::kNull:
      out += "null";
      return;
    case Type::kBool:
      out += v.as_bool() ? "true" : "false";
      return;
    case Type::kDecimal:
      out += v.as_decimal().ToString();
      return;
    case Type::kString:
      if (quote_strings) {
        AppendJsonString(v.as_string(), out);
      } else {
        out += v.as_string();
      }
      return;
    case Type::kDate:
      if (quote_strings) out += '"';
      out += v.as_date().ToString();
      if (quote_strings) out += '"';
      return;
    case Type::kRegex: {
      std::string text = "/";
      if (v.as_regex() != nullptr) text += v.as_regex()->pattern();
      text += '/';
      if (quote_strings) {
        AppendJsonString(text, out);
      } else {
        out += text;
      }
      return;
    }
    case Type::kList: {
      out += '[';
      bool first = true;
      for (const Value& item : v.as_list()) {
        if (!first) out += ',';
        first = false;
        Render(item, out, true);
      }
      out += ']';
      return;
    }
    case Type::kMap: {
      out += '{';
      bool first = true;
      for (const MapEntry& e : v.as_map()) {
        if (!first) out += ',';
        first = false;
        AppendJsonString(e.key, out);
        out += ':';
        Render(e.value, out, true);
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "bool";
    case Type::kDecimal:
      return "decimal";
    case Type::kString:
      return "string";
    case Type::kDate:
      return "date";
    case Type::kList:
      return "list";
    case Type::kMap:
      return "map";
    case Type::kRegex:
      return "regex";
  }
  return "unknown";
}

std::string RenderPath(const PathNode* path) {
  std::vector<const PathNode*> chain;
  for (const PathNode* p = path; p != nullptr; p = p->parent) chain.push_back(p);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const PathNode* node = *it;
    if (node->index >= 0) {
      out += '[';
      out += std::to_string(node->index);
      out += ']';
    } else if (IsIdentifier(node->key)) {
      if (!out.empty()) out += '.';
      out += node->key;
    } else {
      out += '[';
      AppendJsonString(node->key, out);
      out += ']';
    }
  }
  return out;
}

const Value* Value::Find(std::string_view key) const {
  if (type_ != Type::kMap) return nullptr;
  for (const MapEntry& e : as_map()) {
    if (e.key == key) return &e.value;
  }
  return nullptr;
}

bool Equal(const Value& a, const Value& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Type::kNull:
      return true;
    case Type::kBool:
      return a.as_bool() == b.as_bool();
    case Type::kDecimal:
      return a.as_decimal() == b.as_decimal();
    case Type::kString:
      return a.as_string() == b.as_string();
    case Type::kDate:
      return a.as_date() == b.as_date();
    case Type::kRegex:
      if (a.as_regex() == b.as_regex()) return true;
      return a.as_regex() != nullptr && b.as_regex() != nullptr &&
             a.as_regex()->pattern() == b.as_regex()->pattern();
    case Type::kList: {
      auto la = a.as_list();
      auto lb = b.as_list();
      if (la.size() != lb.size()) return false;
      for (std::size_t i = 0; i < la.size(); ++i) {
        if (!Equal(la[i], lb[i])) return false;
      }
      return true;
    }
    case Type::kMap: {
      if (a.as_map().size() != b.as_map().size()) return false;
      for (const MapEntry& e : a.as_map()) {
        const Value* other = b.Find(e.key);
        if (other == nullptr || !Equal(e.value, *other)) return false;
      }
      // Same size and every key of a found in b: with duplicate keys that is not
      // enough, so check the other direction too.
      for (const MapEntry& e : b.as_map()) {
        if (a.Find(e.key) == nullptr) return false;
      }
      return true;
    }
  }
  return false;
}

void RenderText(const Value& v, std::string& out) { Render(v, out, false); }
void RenderJson(const Value& v, std::string& out) { Render(v, out, true); }

std::string ToText(const Value& v) {
  std::string out;
  RenderText(v, out);
  return out;
}

std::string ToJson(const Value& v) {
  std::string out;
  RenderJson(v, out);
  return out;
}

void AppendJsonString(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += "\\u00";
          out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xf];
          out += kHex[static_cast<unsigned char>(c) & 0xf];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

Value MakeList(Arena& arena, std::span<const Value> items) {
  if (items.empty()) return Value::List(nullptr, 0);
  Value* storage = arena.AllocateArray<Value>(items.size());
  std::uninitialized_copy(items.begin(), items.end(), storage);
  return Value::List(storage, static_cast<uint32_t>(items.size()));
}

Value MakeString(Arena& arena, std::string_view s) { return Value::String(arena.Copy(s)); }

}  // namespace policy
