// MergeCompose: several compose files as one project, as `docker compose -f a -f b`
// merges them. The rules are compose-go's (the reference implementation behind
// `docker compose`, package override), not the older v1 documentation's: mappings
// merge key by key; command, entrypoint and healthcheck.test are replaced; other
// sequences are appended and then kept unique where compose keeps them unique
// (ports, volumes, devices, secrets, configs, expose, env_file, dns, cap_add,
// profiles, ...), a later entry taking the earlier one's place; scalars are
// replaced. environment, labels, sysctls, extra_hosts, build.args and depends_on
// are maps after NormalizeCompose, so they merge key by key like any mapping.
// Values keep the file and line they came from.
#include <algorithm>
#include <new>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "libpolicy/load/compose_internal.h"
#include "libpolicy/load/loaders.h"
#include "libpolicy/load/text_internal.h"

namespace policy::load {
namespace internal {
namespace {

// How the entries of a sequence are identified when compose keeps them unique.
enum class Identity : uint8_t {
  kNone,      // appended as written
  kKeyValue,  // the text before '=' ("KEY=VALUE" items, capabilities, profiles, dns, ...)
  kValue,     // the whole text (expose, extra_hosts)
  kEnvFile,   // a path, or {path: ...}
  kPort,      // host_ip:published:target/protocol of the normalised long form
  kMount,     // the path in the container (volumes, devices)
  kSecret,    // target, else /run/secrets/SOURCE
  kConfig,    // target, else /SOURCE
};

struct UniqueField {
  std::string_view pattern;
  Identity identity;
};

// compose-go override/uncity.go, by path ('*' is any one key).
constexpr UniqueField kUniqueFields[] = {
    {"services.*.annotations", Identity::kKeyValue},
    {"services.*.build.args", Identity::kKeyValue},
    {"services.*.build.additional_contexts", Identity::kKeyValue},
    {"services.*.build.platforms", Identity::kKeyValue},
    {"services.*.build.tags", Identity::kKeyValue},
    {"services.*.build.labels", Identity::kKeyValue},
    {"services.*.build.extra_hosts", Identity::kValue},
    {"services.*.cap_add", Identity::kKeyValue},
    {"services.*.cap_drop", Identity::kKeyValue},
    {"services.*.configs", Identity::kConfig},
    {"services.*.deploy.labels", Identity::kKeyValue},
    {"services.*.devices", Identity::kMount},
    {"services.*.dns", Identity::kKeyValue},
    {"services.*.dns_opt", Identity::kKeyValue},
    {"services.*.dns_search", Identity::kKeyValue},
    {"services.*.environment", Identity::kKeyValue},
    {"services.*.env_file", Identity::kEnvFile},
    {"services.*.expose", Identity::kValue},
    {"services.*.extra_hosts", Identity::kValue},
    {"services.*.labels", Identity::kKeyValue},
    {"services.*.links", Identity::kKeyValue},
    {"services.*.networks.*.aliases", Identity::kKeyValue},
    {"services.*.networks.*.link_local_ips", Identity::kKeyValue},
    {"services.*.ports", Identity::kPort},
    {"services.*.profiles", Identity::kKeyValue},
    {"services.*.secrets", Identity::kSecret},
    {"services.*.sysctls", Identity::kKeyValue},
    {"services.*.tmpfs", Identity::kKeyValue},
    {"services.*.volumes", Identity::kMount},
    {"networks.*.labels", Identity::kKeyValue},
    {"volumes.*.labels", Identity::kKeyValue},
};

// Shell commands: the later file's replaces the earlier one's, never appended.
constexpr std::string_view kReplaced[] = {"services.*.command", "services.*.entrypoint",
                                          "services.*.healthcheck.test"};

bool Matches(const KeyPath& path, std::string_view pattern) {
  for (std::size_t i = 0;; ++i) {
    std::size_t dot = pattern.find('.');
    std::string_view step = pattern.substr(0, dot);
    if (i == path.size() || (step != "*" && step != path[i])) return false;
    if (dot == std::string_view::npos) return i + 1 == path.size();
    pattern.remove_prefix(dot + 1);
  }
}

Identity IdentityOf(const KeyPath& path) {
  for (const UniqueField& f : kUniqueFields) {
    if (Matches(path, f.pattern)) return f.identity;
  }
  return Identity::kNone;
}

// The text of a scalar ("8080" for a number); empty for anything else.
std::string ScalarText(const Value* v) {
  if (v == nullptr) return {};
  if (v->is(Type::kString)) return std::string(v->as_string());
  if (v->is(Type::kDecimal)) return v->as_decimal().ToString();
  if (v->is(Type::kBool)) return v->as_bool() ? "true" : "false";
  return {};
}

// The container path of a volume or device: long form `target`, short form
// "SOURCE:TARGET[:MODE]" or a lone "TARGET".
std::string MountTarget(const Value& v) {
  if (v.is(Type::kMap)) return ScalarText(v.Find("target"));
  std::string s = ScalarText(&v);
  std::size_t first = s.find(':');
  if (first == std::string::npos) return s;
  std::string rest = s.substr(first + 1);
  return rest.substr(0, rest.find(':'));
}

std::string OrDefault(std::string s, std::string_view fallback) {
  return s.empty() ? std::string(fallback) : s;
}

// The identity of one entry; empty when it has none (then it is always kept).
std::string IdentityKey(Identity identity, const Value& v) {
  switch (identity) {
    case Identity::kNone:
      return {};
    case Identity::kKeyValue: {
      std::string s = ScalarText(&v);
      return s.substr(0, s.find('='));
    }
    case Identity::kValue:
      return ScalarText(&v);
    case Identity::kEnvFile:
      return v.is(Type::kMap) ? ScalarText(v.Find("path")) : ScalarText(&v);
    case Identity::kPort:
      if (!v.is(Type::kMap)) return ScalarText(&v);
      return OrDefault(ScalarText(v.Find("host_ip")), "0.0.0.0") + ":" +
             ScalarText(v.Find("published")) + ":" + ScalarText(v.Find("target")) + "/" +
             OrDefault(ScalarText(v.Find("protocol")), "tcp");
    case Identity::kMount:
      return MountTarget(v);
    case Identity::kSecret:
    case Identity::kConfig: {
      std::string_view prefix = identity == Identity::kSecret ? "/run/secrets/" : "/";
      if (!v.is(Type::kMap)) return std::string(prefix) + ScalarText(&v);
      std::string target = ScalarText(v.Find("target"));
      return target.empty() ? std::string(prefix) + ScalarText(v.Find("source")) : target;
    }
  }
  return {};
}

class Merger {
 public:
  explicit Merger(Arena& arena) : arena_(arena) {}

  Value Merge(const Value& base, const Value& over, KeyPath& path) {
    for (std::string_view pattern : kReplaced) {
      if (Matches(path, pattern)) return over;
    }
    if (Matches(path, "services.*.build")) return Maps(AsBuildMap(base), AsBuildMap(over), path);
    if (Matches(path, "services.*.networks")) return Networks(base, over, path);
    if (Matches(path, "services.*.logging") && base.is(Type::kMap) && over.is(Type::kMap)) {
      // Options of different drivers mean different things: a new driver starts afresh.
      std::string a = ScalarText(base.Find("driver"));
      std::string b = ScalarText(over.Find("driver"));
      if (!a.empty() && !b.empty() && a != b) return over;
    }
    if (base.is(Type::kMap) && over.is(Type::kMap)) return Maps(base, over, path);
    if (base.is(Type::kList) && over.is(Type::kList)) return Lists(base, over, IdentityOf(path));
    return over;
  }

 private:
  Value Maps(const Value& base, const Value& over, KeyPath& path) {
    if (!base.is(Type::kMap) || !over.is(Type::kMap)) return over;
    std::vector<MapEntry> entries(base.as_map().begin(), base.as_map().end());
    // Keys are found by hash: an environment of 100 000 names must not be
    // compared pair by pair.
    std::unordered_map<std::string_view, std::size_t> index_of;
    index_of.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) index_of.emplace(entries[i].key, i);
    for (const MapEntry& e : over.as_map()) {
      auto [at, inserted] = index_of.emplace(e.key, entries.size());
      if (inserted) {
        entries.push_back(e);
        continue;
      }
      path.push_back(e.key);
      MapEntry& merged = entries[at->second];
      merged.value = Merge(merged.value, e.value, path);
      path.pop_back();
    }
    MapEntry* copy = arena_.AllocateArray<MapEntry>(entries.size());
    std::uninitialized_copy(entries.begin(), entries.end(), copy);
    // The merged map is located where the later file writes it.
    return Like(Value::Map(copy, static_cast<uint32_t>(entries.size())), over);
  }

  Value Lists(const Value& base, const Value& over, Identity identity) {
    std::vector<Value> items;
    // The item holding each identity (by hash, not by comparing every pair).
    std::unordered_map<std::string, std::size_t> index_of;
    auto add = [&](const Value& v) {
      std::string key = IdentityKey(identity, v);
      if (!key.empty()) {
        auto [at, inserted] = index_of.emplace(std::move(key), items.size());
        if (!inserted) {
          items[at->second] = v;
          return;
        }
      }
      items.push_back(v);
    };
    for (const Value& v : base.as_list()) add(v);
    for (const Value& v : over.as_list()) add(v);
    Value* copy = arena_.AllocateArray<Value>(items.size());
    std::uninitialized_copy(items.begin(), items.end(), copy);
    return Like(Value::List(copy, static_cast<uint32_t>(items.size())), over);
  }

  // `build: ./dir` is `build: {context: ./dir}`.
  Value AsBuildMap(const Value& build) {
    if (!build.is(Type::kString)) return build;
    auto* node = arena_.AllocateArray<PathNode>(1);
    new (node) PathNode{build.path(), "context", -1};
    Value context = build;
    context.set_path(node);
    MapEntry* entry = arena_.AllocateArray<MapEntry>(1);
    new (entry) MapEntry{"context", context};
    return Like(Value::Map(entry, 1), build);
  }

  // networks: a list of names and a map of names merge as maps; two lists stay a
  // list of distinct names.
  Value Networks(const Value& base, const Value& over, KeyPath& path) {
    if (base.is(Type::kList) && over.is(Type::kList)) return Lists(base, over, Identity::kValue);
    return Maps(AsNetworkMap(base), AsNetworkMap(over), path);
  }

  Value AsNetworkMap(const Value& networks) {
    if (!networks.is(Type::kList)) return networks;
    std::vector<MapEntry> entries;
    for (const Value& item : networks.as_list()) {
      if (!item.is(Type::kString)) continue;
      auto* node = arena_.AllocateArray<PathNode>(1);
      new (node) PathNode{networks.path(), item.as_string(), -1};
      Value none = Value::Null();
      none.set_loc(item.loc());
      none.set_path(node);
      entries.push_back({item.as_string(), none});
    }
    MapEntry* copy = arena_.AllocateArray<MapEntry>(entries.size());
    std::uninitialized_copy(entries.begin(), entries.end(), copy);
    return Like(Value::Map(copy, static_cast<uint32_t>(entries.size())), networks);
  }

  static Value Like(Value v, const Value& origin) {
    v.set_loc(origin.loc());
    v.set_path(origin.path());
    v.set_flags(origin.flags());
    return v;
  }

  Arena& arena_;
};

// A deep copy of `v` whose every Loc names file `file`.
Value Retag(Arena& arena, const Value& v, uint16_t file) {
  Value out = v;
  if (v.is(Type::kList)) {
    auto items = v.as_list();
    Value* copy = arena.AllocateArray<Value>(items.size());
    for (size_t i = 0; i < items.size(); ++i) new (&copy[i]) Value(Retag(arena, items[i], file));
    out = Value::List(copy, static_cast<uint32_t>(items.size()));
  } else if (v.is(Type::kMap)) {
    auto entries = v.as_map();
    MapEntry* copy = arena.AllocateArray<MapEntry>(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
      new (&copy[i]) MapEntry{entries[i].key, Retag(arena, entries[i].value, file)};
    }
    out = Value::Map(copy, static_cast<uint32_t>(entries.size()));
  }
  Loc loc = v.loc();
  loc.file = file;
  out.set_loc(loc);
  out.set_path(v.path());
  out.set_flags(v.flags());
  return out;
}

}  // namespace

Value MergeComposeValues(Arena& arena, const Value& base, const Value& over, KeyPath& path) {
  return Merger(arena).Merge(base, over, path);
}

Value Repath(Arena& arena, const Value& v, const PathNode* path) {
  Value out = v;
  if (v.is(Type::kList)) {
    auto items = v.as_list();
    Value* copy = arena.AllocateArray<Value>(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      auto* node = arena.AllocateArray<PathNode>(1);
      new (node) PathNode{path, {}, static_cast<int64_t>(i)};
      new (&copy[i]) Value(Repath(arena, items[i], node));
    }
    out = Value::List(copy, static_cast<uint32_t>(items.size()));
  } else if (v.is(Type::kMap)) {
    auto entries = v.as_map();
    MapEntry* copy = arena.AllocateArray<MapEntry>(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
      auto* node = arena.AllocateArray<PathNode>(1);
      new (node) PathNode{path, entries[i].key, -1};
      new (&copy[i]) MapEntry{entries[i].key, Repath(arena, entries[i].value, node)};
    }
    out = Value::Map(copy, static_cast<uint32_t>(entries.size()));
  }
  out.set_path(path);
  return out;
}

}  // namespace internal

Result<std::unique_ptr<Document>> MergeCompose(std::vector<std::unique_ptr<Document>> docs) {
  auto out = std::make_unique<Document>();
  if (docs.empty()) return out;
  // Loc::file is 16 bits.
  if (docs.size() > 0x10000) {
    return MakeError(DiagCode::kInputTooManyFiles,
                     docs[0x10000]->files.empty() ? "" : docs[0x10000]->files[0], 0, 0,
                     "too many compose files to merge (at most 65536)");
  }
  internal::KeyPath path;
  for (size_t i = 0; i < docs.size(); ++i) {
    out->files.push_back(docs[i]->files.empty() ? std::string() : docs[i]->files[0]);
    // The first file's values already name file 0.
    Value part = i == 0 ? docs[i]->root
                        : internal::Retag(out->arena, docs[i]->root, static_cast<uint16_t>(i));
    if (i == 0 || out->root.is_null()) {
      out->root = part;
    } else if (!part.is_null()) {
      out->root = internal::MergeComposeValues(out->arena, out->root, part, path);
    }
  }
  for (auto& d : docs) out->parts.push_back(std::move(d));
  if (out->root.is(Type::kMap) && out->root.Find(kOverlayKey) != nullptr) {
    std::vector<MapEntry> entries;
    for (const MapEntry& e : out->root.as_map()) {
      if (e.key != kOverlayKey) entries.push_back(e);
    }
    auto* copy = out->arena.AllocateArray<MapEntry>(entries.size());
    std::uninitialized_copy(entries.begin(), entries.end(), copy);
    Value root = Value::Map(copy, static_cast<uint32_t>(entries.size()));
    root.set_loc(out->root.loc());
    root.set_path(out->root.path());
    root.set_flags(out->root.flags());
    out->root = root;
  }
  return out;
}

std::unique_ptr<Document> MergeCompose(std::vector<std::unique_ptr<Document>> docs,
                                       std::optional<InputError>& error) {
  Result<std::unique_ptr<Document>> merged = MergeCompose(std::move(docs));
  if (!merged) {
    error = std::move(merged).error();
    return nullptr;
  }
  error.reset();
  return std::move(merged).value();
}

}  // namespace policy::load
