#pragma once
// Small helpers for the loader tests: navigation by path text and one-call loads.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "libpolicy/load/loaders.h"
#include "libpolicy/value.h"

namespace policy::load::test {

// Follows "a.b[2].c"; returns nullptr when a step is missing.
inline const Value* At(const Value& root, std::string_view path) {
  const Value* v = &root;
  std::size_t i = 0;
  while (i < path.size() && v != nullptr) {
    if (path[i] == '.') ++i;
    if (path[i] == '[') {
      std::size_t close = path.find(']', i);
      std::size_t index = std::stoul(std::string(path.substr(i + 1, close - i - 1)));
      v = v->is(Type::kList) && index < v->as_list().size() ? &v->as_list()[index] : nullptr;
      i = close + 1;
      continue;
    }
    std::size_t end = path.find_first_of(".[", i);
    if (end == std::string_view::npos) end = path.size();
    v = v->Find(path.substr(i, end - i));
    i = end;
  }
  return v;
}

inline std::string Str(const Value* v) {
  if (v == nullptr) return "<missing>";
  if (!v->is(Type::kString)) return "<" + std::string(TypeName(v->type())) + ">";
  return std::string(v->as_string());
}

inline std::string Dec(const Value* v) {
  if (v == nullptr || !v->is(Type::kDecimal)) return "<not a decimal>";
  return v->as_decimal().ToString();
}

// line:column, or line:column-end_line:end_column when the end is known.
inline std::string Where(const Value* v) {
  if (v == nullptr) return "<missing>";
  const Loc& l = v->loc();
  std::string s = std::to_string(l.line) + ":" + std::to_string(l.column);
  if (l.end_line != 0) s += "-" + std::to_string(l.end_line) + ":" + std::to_string(l.end_column);
  return s;
}

inline DocumentsResult Yaml(std::string_view text, bool single = true, LoadLimits limits = {}) {
  return LoadYaml(text, "in.yaml", limits, single);
}

inline std::string ErrorText(const std::optional<InputError>& e) {
  if (!e) return "<no error>";
  return e->file + ":" + std::to_string(e->line) + ":" + std::to_string(e->column) + ": " +
         e->message;
}

// The keys of a map in order, comma-terminated: "a,b,".
inline std::string Keys(const Value* map) {
  if (map == nullptr || !map->is(Type::kMap)) return "<not a map>";
  std::string out;
  for (const MapEntry& e : map->as_map()) out += std::string(e.key) + ",";
  return out;
}

// A compose file loaded and normalised; the test fails when it does not load.
struct Compose {
  DocumentsResult result;
  const Value& root() const { return result.documents[0]->root; }
};

inline Compose Normalized(std::string_view text) {
  Compose c{Yaml(text)};
  REQUIRE_MESSAGE(!c.result.error, ErrorText(c.result.error));
  NormalizeCompose(*c.result.documents[0]);
  return c;
}

}  // namespace policy::load::test
