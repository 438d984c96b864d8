#include "libpolicy/check/compose_shapes.h"

#include <deque>
#include <nlohmann/json.hpp>

#include "libpolicy/check/compose_schema_text.h"

namespace policy::check {
namespace {

using Json = nlohmann::json;

bool IsExtensionPattern(const std::string& pattern) { return pattern == "^x-"; }

bool HasType(const Json& node, std::string_view type) {
  auto t = node.find("type");
  if (t == node.end()) return false;
  if (t->is_string()) return t->get<std::string>() == type;
  if (t->is_array())
    for (const Json& one : *t)
      if (one.is_string() && one.get<std::string>() == type) return true;
  return false;
}

// Builds shapes from the schema once. A shape is made per schema node, so
// `$ref`s to one definition share it and recursive definitions terminate.
class ShapeBuilder {
 public:
  ShapeBuilder(const Json& root, std::deque<ComposeShape>& storage)
      : root_(root), storage_(storage) {}

  const ComposeShape* Build(const Json& start, std::string label) {
    const Json* node = Resolve(start, &label);
    if (node == nullptr || !node->is_object()) return nullptr;
    if (auto it = memo_.find(node); it != memo_.end()) return it->second;
    ComposeShape& shape = storage_.emplace_back();
    shape.label = label;
    memo_[node] = &shape;

    // The union of the alternatives (oneOf/anyOf, and allOf, read as loosely):
    // a key any of them allows is allowed, so no valid file is refused.
    std::vector<const Json*> alternatives;
    Flatten(*node, &alternatives, 0);
    bool any_object = false;
    bool all_closed = true;
    for (const Json* alt : alternatives) {
      const bool is_object = HasType(*alt, "object") || alt->contains("properties") ||
                             alt->contains("patternProperties") ||
                             alt->contains("additionalProperties");
      if (is_object) {
        any_object = true;
        all_closed = all_closed && ObjectIsClosed(*alt);
        if (auto props = alt->find("properties"); props != alt->end() && props->is_object()) {
          for (auto it = props->begin(); it != props->end(); ++it) {
            if (shape.fields.count(it.key())) continue;
            shape.fields[it.key()] = Build(it.value(), label + "." + it.key());
          }
        }
        if (shape.values == nullptr) shape.values = ValuesOf(*alt, label);
      }
      if (shape.items == nullptr) {
        if (auto items = alt->find("items"); items != alt->end() && items->is_object())
          shape.items = Build(*items, label + " item");
      }
    }
    shape.closed = any_object && all_closed;
    return &shape;
  }

 private:
  // Follows `$ref`s to the schema's own definitions; a definition names the shape.
  const Json* Resolve(const Json& start, std::string* label) const {
    const Json* node = &start;
    for (int hops = 0; hops < 16 && node->is_object(); ++hops) {
      auto ref = node->find("$ref");
      if (ref == node->end() || !ref->is_string()) return node;
      const std::string target = ref->get<std::string>();
      constexpr std::string_view kPrefix = "#/definitions/";
      if (target.rfind(kPrefix, 0) != 0) return nullptr;
      const std::string name = target.substr(kPrefix.size());
      auto defs = root_.find("definitions");
      if (defs == root_.end() || !defs->contains(name)) return nullptr;
      node = &(*defs)[name];
      *label = "compose " + name;
    }
    return node->is_object() ? node : nullptr;
  }

  void Flatten(const Json& node, std::vector<const Json*>* out, int depth) const {
    if (depth > 16) return;
    out->push_back(&node);
    for (const char* key : {"oneOf", "anyOf", "allOf"}) {
      auto alts = node.find(key);
      if (alts == node.end() || !alts->is_array()) continue;
      for (const Json& alt : *alts) {
        std::string ignored;
        if (const Json* resolved = Resolve(alt, &ignored)) Flatten(*resolved, out, depth + 1);
      }
    }
  }

  // Only `additionalProperties: false` with no pattern but `^x-` closes an object.
  static bool ObjectIsClosed(const Json& alt) {
    auto extra = alt.find("additionalProperties");
    if (extra == alt.end() || !extra->is_boolean() || extra->get<bool>()) return false;
    if (auto patterns = alt.find("patternProperties");
        patterns != alt.end() && patterns->is_object()) {
      for (auto it = patterns->begin(); it != patterns->end(); ++it)
        if (!IsExtensionPattern(it.key())) return false;
    }
    return true;
  }

  // The shape under any key of a map-like object: a pattern's, else additionalProperties'.
  const ComposeShape* ValuesOf(const Json& alt, const std::string& label) {
    if (auto patterns = alt.find("patternProperties");
        patterns != alt.end() && patterns->is_object()) {
      for (auto it = patterns->begin(); it != patterns->end(); ++it)
        if (!IsExtensionPattern(it.key())) return Build(it.value(), label + " entry");
    }
    if (auto extra = alt.find("additionalProperties"); extra != alt.end() && extra->is_object())
      return Build(*extra, label + " entry");
    return nullptr;
  }

  const Json& root_;
  std::deque<ComposeShape>& storage_;
  std::map<const Json*, ComposeShape*> memo_;
};

// Built once, on first use, and immutable after: compilations on several
// threads share it.
struct Shapes {
  Shapes() {
    const Json schema = Json::parse(ComposeSpecSchemaText(), nullptr, /*allow_exceptions=*/false);
    if (schema.is_object()) root = ShapeBuilder(schema, storage).Build(schema, "compose file");
    if (root != nullptr) AsNormalised();
    for (const eval::Builtin& b : eval::AllBuiltins()) {
      if (b.result_fields.empty()) continue;
      ComposeShape& shape = storage.emplace_back();
      shape.label = std::string(b.name) + " result";
      shape.closed = true;
      for (std::string_view f : b.result_fields) shape.fields[std::string(f)] = nullptr;
      builtins[&b] = &shape;
    }
  }
  // Rules see compose as normalised (load/compose_normalize.cpp, LANGUAGE.md
  // section 7): the list forms of these service fields have become maps, so
  // `for k, v in svc.environment` binds the map's entries. Every key the
  // normaliser writes (ports' host_ip/published/target/protocol, depends_on's
  // condition, the root's x-policy-check-overlay) is one the schema allows
  // (tests/unit/check/compose_access_test.cpp holds that).
  void AsNormalised() {
    ComposeShape* service = Mutable(Field(root, "services", /*values=*/true));
    if (service == nullptr) return;
    for (const char* key : {"environment", "labels", "sysctls", "extra_hosts", "depends_on"})
      if (const ComposeShape* field = Field(service, key, false))
        service->fields[key] = MapOnly(field);
    if (ComposeShape* build = Mutable(Field(service, "build", false)))
      if (const ComposeShape* args = Field(build, "args", false))
        build->fields["args"] = MapOnly(args);
  }
  static const ComposeShape* Field(const ComposeShape* s, const char* key, bool values) {
    if (s == nullptr) return nullptr;
    auto it = s->fields.find(key);
    if (it == s->fields.end() || it->second == nullptr) return nullptr;
    return values ? it->second->values : it->second;
  }
  // The shapes being built live in `storage`, which is not const.
  static ComposeShape* Mutable(const ComposeShape* s) { return const_cast<ComposeShape*>(s); }
  // A copy of a list-or-map shape that is only a map (definitions such as
  // list_or_dict are shared with fields the normaliser leaves alone).
  const ComposeShape* MapOnly(const ComposeShape* s) {
    ComposeShape& copy = storage.emplace_back(*s);
    copy.items = nullptr;
    return &copy;
  }

  std::deque<ComposeShape> storage;
  const ComposeShape* root = nullptr;
  std::map<const eval::Builtin*, const ComposeShape*> builtins;
};

const Shapes& AllShapes() {
  static const Shapes shapes;
  return shapes;
}

}  // namespace

const ComposeShape* ComposeRootShape() { return AllShapes().root; }

const ComposeShape* BuiltinResultShape(const eval::Builtin& b) {
  const auto& builtins = AllShapes().builtins;
  auto it = builtins.find(&b);
  return it == builtins.end() ? nullptr : it->second;
}

MemberLookup LookupMember(const ComposeShape& shape, std::string_view key) {
  if (auto it = shape.fields.find(key); it != shape.fields.end()) return {false, it->second};
  // Extension keys are free wherever the specification allows them (`^x-`);
  // a closed shape is one that allows only its fields and those.
  if (key.rfind("x-", 0) == 0) return {false, nullptr};
  if (shape.closed) return {true, nullptr};
  return {false, shape.values};
}

std::vector<std::string> FieldNames(const ComposeShape& shape) {
  std::vector<std::string> names;
  for (const auto& [name, _] : shape.fields) names.push_back(name);
  return names;
}

}  // namespace policy::check
