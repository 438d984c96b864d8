// NormalizeCompose (LANGUAGE.md section 7): gives rules one shape for the fields
// docker compose lets users write in several.
//
// Values are immutable handles, so the document is rebuilt along the changed
// spine (root -> services -> service -> field) with new arrays in doc.arena;
// untouched subtrees are shared. New values are located at the item they come
// from. `${VAR}` references are read as compose reads them (InterpolateCompose)
// in the fields whose meaning rules judge: image, ports, volume sources and
// network_mode; elsewhere the text is left as written. `extends` within the file is resolved
// last (compose_extends.cpp); `profiles` are kept as written: every service is
// checked, whatever profile would start it.
#include <initializer_list>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "libpolicy/load/compose_internal.h"
#include "libpolicy/load/loaders.h"
#include "libpolicy/load/text_internal.h"
#include "libpolicy/source.h"

namespace policy::load {
namespace {

class Normalizer {
 public:
  Normalizer(Arena& arena, const ComposeEnv& env, uint64_t max_extends_values)
      : arena_(arena), env_(env), max_extends_values_(max_extends_values) {}

  // The `extends` where resolving the bases passed the limit, or nullptr.
  const Value* extends_too_big() const { return extends_too_big_; }

  Value Root(const Value& root) {
    if (!root.is(Type::kMap)) return root;
    const Value* services = root.Find("services");
    if (services == nullptr || !services->is(Type::kMap)) return root;
    std::vector<MapEntry> entries(services->as_map().begin(), services->as_map().end());
    for (MapEntry& e : entries) e.value = Service(e.value);
    // Services are normalised first so that a base and the service extending it
    // merge in one shape (an environment list and map merge key by key).
    return Replace(root, "services",
                   internal::ResolveExtends(arena_, Rebuild(*services, entries),
                                            max_extends_values_, &extends_too_big_));
  }

 private:
  Value Service(const Value& service) {
    if (!service.is(Type::kMap)) return service;
    std::vector<MapEntry> entries(service.as_map().begin(), service.as_map().end());
    for (MapEntry& e : entries) {
      const std::string_view k = e.key;
      if (k == "environment" || k == "labels" || k == "sysctls") {
        e.value = KeyValues(e.value, "=");
      } else if (k == "extra_hosts") {
        e.value = KeyValues(e.value, "=:");
      } else if (k == "build" && e.value.is(Type::kMap)) {
        if (const Value* args = e.value.Find("args")) {
          e.value = Replace(e.value, "args", KeyValues(*args, "="));
        }
      } else if (k == "image") {
        e.value = InterpolatedImage(e.value);
      } else if (k == "network_mode") {
        e.value = Interpolated(e.value);
      } else if (k == "volumes") {
        e.value = Volumes(e.value);
      } else if (k == "ports") {
        e.value = Ports(e.value);
      } else if (k == "depends_on") {
        e.value = DependsOn(e.value);
      } else if (k == "healthcheck" && e.value.is(Type::kMap)) {
        const Value* test = e.value.Find("test");
        if (test != nullptr && test->is(Type::kString)) {
          Value items[2] = {Value::String("CMD-SHELL"), *test};
          items[0] = Located(items[0], *test, Path(test->path(), {}, 0));
          items[1].set_path(Path(test->path(), {}, 1));
          Value list = NewList(items, 2);
          e.value = Replace(e.value, "test", Located(list, *test, test->path()));
        }
      }
    }
    return Rebuild(service, entries);
  }

  // `- KEY=VALUE` lists become maps; map values that are numbers or bools become
  // their text. `separators`: split at the first of these found, in this order.
  Value KeyValues(const Value& field, std::string_view separators) {
    if (field.is(Type::kMap)) {
      std::vector<MapEntry> entries(field.as_map().begin(), field.as_map().end());
      for (MapEntry& e : entries) {
        if (e.value.is(Type::kDecimal) || e.value.is(Type::kBool)) {
          Value text = Value::String(arena_.Copy(ScalarText(e.value)));
          e.value = text.WithOriginOf(e.value);
        }
      }
      return Rebuild(field, entries);
    }
    if (!field.is(Type::kList)) return field;
    std::vector<MapEntry> entries;
    // Where each key's entry is: a list of 100 000 items must not compare every pair.
    std::unordered_map<std::string_view, std::size_t> index_of;
    for (const Value& item : field.as_list()) {
      if (!(item.is(Type::kString) || item.is(Type::kDecimal) || item.is(Type::kBool))) continue;
      std::string_view text =
          item.is(Type::kString) ? item.as_string() : arena_.Copy(ScalarText(item));
      std::size_t cut = std::string_view::npos;
      for (char sep : separators) {
        cut = text.find(sep);
        if (cut != std::string_view::npos) break;
      }
      std::string_view key = cut == std::string_view::npos ? text : text.substr(0, cut);
      Value v = Value::Null();
      v.set_loc(item.loc());
      v.set_flags(item.flags());
      if (cut != std::string_view::npos) {
        // Located at the value's own text within the item (LANGUAGE.md section 7).
        v = AtValueOf(Value::String(text.substr(cut + 1)).WithOriginOf(item), item, text, cut + 1);
      }
      v.set_path(Path(field.path(), key, -1));
      auto [at, inserted] = index_of.emplace(key, entries.size());
      if (inserted) {
        entries.push_back({key, v});
      } else {
        entries[at->second].value = v;  // a later item overrides an earlier one, as compose does
      }
    }
    return Located(NewMap(entries), field, field.path());
  }

  // A string with its references read as compose reads them, at the same place;
  // unchanged when it has none or one is unknown.
  Value Interpolated(const Value& v) {
    if (!v.is(Type::kString) || v.as_string().find('$') == std::string_view::npos) return v;
    std::optional<std::string> text = InterpolateCompose(v.as_string(), env_);
    if (!text) return v;
    Value out = Value::String(arena_.Copy(*text)).WithOriginOf(v);
    out.set_path(v.path());
    return out;
  }

  // An image reference: a default that cannot be a reference (a documentation
  // placeholder such as "apache/airflow:|version|") leaves the image unknown.
  Value InterpolatedImage(const Value& v) {
    Value out = Interpolated(v);
    if (!out.is(Type::kString) || out.as_string() == v.as_string()) return out;
    for (char c : out.as_string()) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-' || c == '/' || c == ':' || c == '@';
      if (!ok) return v;
    }
    return out;
  }

  // Each entry of a map with its listed keys interpolated.
  Value InterpolatedKeys(const Value& map, std::initializer_list<std::string_view> keys) {
    if (!map.is(Type::kMap)) return map;
    std::vector<MapEntry> entries(map.as_map().begin(), map.as_map().end());
    for (MapEntry& e : entries) {
      for (std::string_view k : keys) {
        if (e.key == k) e.value = Interpolated(e.value);
      }
    }
    return Rebuild(map, entries);
  }

  // Short syntax "SOURCE:TARGET[:MODE]" and long syntax `source`, interpolated.
  Value Volumes(const Value& field) {
    if (!field.is(Type::kList)) return field;
    auto src = field.as_list();
    std::vector<Value> items(src.begin(), src.end());
    for (Value& item : items)
      item = item.is(Type::kMap) ? InterpolatedKeys(item, {"source"}) : Interpolated(item);
    return Located(NewList(items.data(), static_cast<uint32_t>(items.size())), field, field.path());
  }

  // `v` (made from `item`'s text `text`, from byte `start` on) located at its
  // own columns: `- KEY=value` points at `value`, so carets and masking leave
  // the key alone. Only when the item is written on one line exactly as read
  // (no escapes), so that columns can be counted; else at the whole item.
  static Value AtValueOf(Value v, const Value& item, std::string_view text, std::size_t start) {
    Loc loc = item.loc();
    if (!loc.known() || loc.end_line != loc.line || item.has_flag(Value::kMultiLine)) return v;
    const bool quoted = item.has_flag(Value::kQuoted);
    const uint32_t written = loc.end_column - loc.column;
    if (written != CountCodePoints(text) + (quoted ? 2 : 0)) return v;
    loc.column += CountCodePoints(text.substr(0, start)) + (quoted ? 1 : 0);
    if (quoted) loc.end_column -= 1;
    v.set_loc(loc);
    v.set_flags(static_cast<uint8_t>(v.flags() & ~Value::kQuoted));
    return v;
  }

  Value Ports(const Value& field) {
    if (!field.is(Type::kList)) return field;
    auto src = field.as_list();
    std::vector<Value> items(src.begin(), src.end());
    for (Value& item : items) {
      if (item.is(Type::kString) || item.is(Type::kDecimal)) {
        item = Port(Interpolated(item));
      } else if (item.is(Type::kMap)) {
        item = InterpolatedKeys(item, {"published", "host_ip", "target"});
      }
    }
    return Located(NewList(items.data(), static_cast<uint32_t>(items.size())), field, field.path());
  }

  // [HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]; HOST_IP may be [IPv6].
  Value Port(const Value& item) {
    Value host_ip = Value::Null();
    Value published = Value::Null();
    Value target = item;
    Value protocol = Value::String("tcp");
    if (item.is(Type::kString)) {
      std::string_view rest = item.as_string();
      if (std::size_t slash = RFindOutside(rest, '/'); slash != std::string_view::npos) {
        protocol = Value::String(rest.substr(slash + 1));
        rest = rest.substr(0, slash);
      }
      std::string_view host;
      bool has_host = false;
      if (!rest.empty() && rest[0] == '[') {
        std::size_t close = rest.find(']');
        if (close != std::string_view::npos) {
          host = rest.substr(1, close - 1);
          has_host = true;
          rest = rest.substr(close + 1);
          if (!rest.empty() && rest[0] == ':') rest.remove_prefix(1);
        }
      }
      std::string_view target_text = rest;
      std::string_view published_text;
      if (std::size_t colon = RFindOutside(rest, ':'); colon != std::string_view::npos) {
        target_text = rest.substr(colon + 1);
        published_text = rest.substr(0, colon);
        if (!has_host) {
          if (std::size_t c2 = RFindOutside(published_text, ':'); c2 != std::string_view::npos) {
            host = published_text.substr(0, c2);
            has_host = true;
            published_text = published_text.substr(c2 + 1);
          }
        }
      }
      if (has_host && !host.empty()) host_ip = Value::String(host);
      if (!published_text.empty()) published = Value::String(published_text);
      target = Value::String(target_text);
      if (IsDigits(target_text)) {
        if (auto d = Decimal::Parse(target_text)) target = Value::Number(*d);
      }
    }
    static constexpr std::string_view kKeys[4] = {"host_ip", "published", "target", "protocol"};
    Value values[4] = {host_ip, published, target, protocol};
    MapEntry entries[4];
    for (int i = 0; i < 4; ++i) {
      entries[i] = {kKeys[i], Located(values[i], item, Path(item.path(), kKeys[i], -1))};
    }
    return Located(NewMap(entries), item, item.path());
  }

  Value DependsOn(const Value& field) {
    if (!field.is(Type::kList)) return field;
    std::vector<MapEntry> entries;
    // Where each key's entry is: a list of 100 000 items must not compare every pair.
    std::unordered_map<std::string_view, std::size_t> index_of;
    for (const Value& item : field.as_list()) {
      if (!item.is(Type::kString)) continue;
      const PathNode* path = Path(field.path(), item.as_string(), -1);
      MapEntry condition[1] = {{"condition", Located(Value::String("service_started"), item,
                                                     Path(path, "condition", -1))}};
      entries.push_back({item.as_string(), Located(NewMap(condition), item, path)});
    }
    return Located(NewMap(entries), field, field.path());
  }

  // The last `c` of `s` that is not inside a `${...}` reference: in
  // "${DB_PORT:-5432}:5432" the published port is the whole reference.
  static std::size_t RFindOutside(std::string_view s, char c) {
    std::size_t found = std::string_view::npos;
    int depth = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '$') {
        ++i;  // an escaped dollar
      } else if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '{') {
        ++depth;
        ++i;
      } else if (s[i] == '}' && depth > 0) {
        --depth;
      } else if (s[i] == c && depth == 0) {
        found = i;
      }
    }
    return found;
  }

  static bool IsDigits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
    }
    return true;
  }

  // Source text of a number or bool as the loader kept it (a decimal keeps its
  // written scale; 0x/0o forms and exponents come out in plain notation).
  static std::string ScalarText(const Value& v) {
    if (v.is(Type::kBool)) return v.as_bool() ? "true" : "false";
    if (v.is(Type::kDecimal)) return v.as_decimal().ToString();
    return std::string(v.as_string());
  }

  static Value Located(Value v, const Value& origin, const PathNode* path) {
    v.set_loc(origin.loc());
    v.set_path(path);
    v.set_flags(origin.flags());
    return v;
  }

  const PathNode* Path(const PathNode* parent, std::string_view key, int64_t index) {
    auto* node = arena_.AllocateArray<PathNode>(1);
    return new (node) PathNode{parent, key, index};
  }

  Value NewList(const Value* items, uint32_t n) {
    auto* copy = arena_.AllocateArray<Value>(n);
    std::uninitialized_copy(items, items + n, copy);
    return Value::List(copy, n);
  }
  Value NewMap(std::span<const MapEntry> entries) {
    auto* copy = arena_.AllocateArray<MapEntry>(entries.size());
    std::uninitialized_copy(entries.begin(), entries.end(), copy);
    return Value::Map(copy, static_cast<uint32_t>(entries.size()));
  }
  // `original`'s location and path on a map with new entries.
  Value Rebuild(const Value& original, std::span<const MapEntry> entries) {
    Value v = NewMap(entries);
    v.set_loc(original.loc());
    v.set_path(original.path());
    v.set_flags(original.flags());
    return v;
  }
  Value Replace(const Value& map, std::string_view key, const Value& value) {
    std::vector<MapEntry> entries(map.as_map().begin(), map.as_map().end());
    for (MapEntry& e : entries) {
      if (e.key == key) e.value = value;
    }
    return Rebuild(map, entries);
  }

  Arena& arena_;
  const ComposeEnv& env_;
  uint64_t max_extends_values_;
  const Value* extends_too_big_ = nullptr;
};

}  // namespace

namespace {

// An override fragment, known by its content whatever its name: it has
// services and none of them says `image` or `build` (each only adds to a
// service of the base file it is given with -f over).
bool OverlayContent(const Value& services) {
  if (services.as_map().empty()) return false;
  for (const MapEntry& e : services.as_map())
    if (!e.value.is(Type::kMap) || e.value.Find("image") != nullptr ||
        e.value.Find("build") != nullptr)
      return false;
  return true;
}

// docker compose reads compose.yaml, compose.yml, docker-compose.yaml or
// docker-compose.yml as a project on its own; projects pass files of other
// names (compose.full.yaml, extensions/curator/curator-compose.yml,
// docker-compose.override.yml) with -f over a base file.
bool StandaloneName(const std::vector<std::string>& files) {
  if (files.empty()) return true;
  std::string_view name = files[0];
  if (std::size_t slash = name.find_last_of("/\\"); slash != std::string_view::npos)
    name.remove_prefix(slash + 1);
  return name == "compose.yaml" || name == "compose.yml" || name == "docker-compose.yaml" ||
         name == "docker-compose.yml" || name == "-" || name.empty();
}

// Whether the file leans on services it does not define: a service with
// neither image, build nor extends (a patch of the base file's), or a
// depends_on naming a service that is not here.
bool ReachesOutside(const Value& services) {
  for (const MapEntry& e : services.as_map()) {
    if (!e.value.is(Type::kMap)) continue;
    if (e.value.Find("image") == nullptr && e.value.Find("build") == nullptr &&
        e.value.Find("extends") == nullptr)
      return true;
    const Value* deps = e.value.Find("depends_on");
    if (deps == nullptr) continue;
    if (deps->is(Type::kMap)) {
      for (const MapEntry& d : deps->as_map())
        if (services.Find(d.key) == nullptr) return true;
    } else if (deps->is(Type::kList)) {
      for (const Value& d : deps->as_list())
        if (d.is(Type::kString) && services.Find(d.as_string()) == nullptr) return true;
    }
  }
  return false;
}

// An overlay, given with -f over a base file: every service only adds to one of
// the base's (known by content, whatever the name), or a file of a name docker
// compose does not read on its own that leans on services it does not define.
bool Overlay(const Value& root, const std::vector<std::string>& files) {
  const Value* services = root.is(Type::kMap) ? root.Find("services") : nullptr;
  if (services == nullptr || !services->is(Type::kMap)) return false;
  return OverlayContent(*services) || (!StandaloneName(files) && ReachesOutside(*services));
}

}  // namespace

std::optional<InputError> NormalizeCompose(Document& doc, const ComposeEnv& env,
                                           const LoadLimits& limits) {
  Normalizer normalizer(doc.arena, env, limits.max_extends_values);
  doc.root = normalizer.Root(doc.root);
  if (const Value* extends = normalizer.extends_too_big()) {
    return MakeError(DiagCode::kInputTooLarge, doc.files.empty() ? std::string() : doc.files[0],
                     extends->loc().line, extends->loc().column,
                     "extends: the services' bases would copy more than " +
                         std::to_string(limits.max_extends_values) +
                         " values into the services extending them");
  }
  if (Overlay(doc.root, doc.files)) {
    // `x-policy-check-overlay: true` (LANGUAGE.md section 7): rules about a
    // project's completeness (RDY-IMG-003, RDY-DEP-001) leave such a file alone.
    std::vector<MapEntry> entries(doc.root.as_map().begin(), doc.root.as_map().end());
    entries.push_back({kOverlayKey, Value::Bool(true)});
    auto* copy = doc.arena.AllocateArray<MapEntry>(entries.size());
    std::uninitialized_copy(entries.begin(), entries.end(), copy);
    Value root = Value::Map(copy, static_cast<uint32_t>(entries.size()));
    root.set_loc(doc.root.loc());
    root.set_path(doc.root.path());
    root.set_flags(doc.root.flags());
    doc.root = root;
  }
  return std::nullopt;
}

std::optional<InputError> NormalizeCompose(Document& doc, const LoadLimits& limits) {
  return NormalizeCompose(doc, ComposeEnv{}, limits);
}

}  // namespace policy::load
