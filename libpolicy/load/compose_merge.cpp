// MergeCompose: several compose files as one project, as `docker compose -f a -f b`
// merges them (compose-spec "Merge and override"): mappings merge key by key, a
// later scalar or sequence replaces an earlier one, except the multi-value fields
// that compose concatenates (ports, expose, dns, ...) and volumes/devices, which
// merge by their path in the container. Values keep the file they came from.
#include <algorithm>
#include <string>
#include <vector>

#include "libpolicy/load/loaders.h"

namespace policy::load {
namespace {

bool Concatenated(std::string_view field) {
  static constexpr std::string_view kFields[] = {"ports", "expose", "external_links", "dns", "dns_search",
                                                 "tmpfs", "cap_add", "cap_drop", "security_opt", "env_file"};
  return std::find(std::begin(kFields), std::end(kFields), field) != std::end(kFields);
}

bool MergedByTarget(std::string_view field) { return field == "volumes" || field == "devices"; }

// The container path of a volume or device entry, short ("src:/dst:ro") or long form.
std::string TargetOf(const Value& v) {
  if (v.is(Type::kMap)) {
    if (const Value* t = v.Find("target"); t && t->is(Type::kString)) return std::string(t->as_string());
    return {};
  }
  if (!v.is(Type::kString)) return {};
  std::string_view s = v.as_string();
  size_t first = s.find(':');
  if (first == std::string_view::npos) return std::string(s);
  std::string_view rest = s.substr(first + 1);
  return std::string(rest.substr(0, rest.find(':')));
}

class Merger {
 public:
  explicit Merger(Document& out) : out_(out) {}

  // A copy of `v` (deep) whose every Loc names file `file`.
  Value Retag(const Value& v, uint16_t file) {
    Value out = v;
    Loc loc = v.loc();
    loc.file = file;
    if (v.is(Type::kList)) {
      auto items = v.as_list();
      Value* copy = out_.arena.AllocateArray<Value>(items.size());
      for (size_t i = 0; i < items.size(); ++i) new (&copy[i]) Value(Retag(items[i], file));
      out = Value::List(copy, static_cast<uint32_t>(items.size()));
    } else if (v.is(Type::kMap)) {
      auto entries = v.as_map();
      MapEntry* copy = out_.arena.AllocateArray<MapEntry>(entries.size());
      for (size_t i = 0; i < entries.size(); ++i) new (&copy[i]) MapEntry{entries[i].key, Retag(entries[i].value, file)};
      out = Value::Map(copy, static_cast<uint32_t>(entries.size()));
    }
    out.set_loc(loc);
    out.set_path(v.path());
    out.set_flags(v.flags());
    return out;
  }

  Value Merge(const Value& base, const Value& over, std::string_view field, int depth) {
    if (base.is(Type::kMap) && over.is(Type::kMap)) {
      std::vector<MapEntry> entries(base.as_map().begin(), base.as_map().end());
      for (const MapEntry& e : over.as_map()) {
        auto it = std::find_if(entries.begin(), entries.end(), [&](const MapEntry& m) { return m.key == e.key; });
        if (it == entries.end()) entries.push_back(e);
        else it->value = Merge(it->value, e.value, e.key, depth + 1);
      }
      MapEntry* copy = out_.arena.AllocateArray<MapEntry>(entries.size());
      std::copy(entries.begin(), entries.end(), copy);
      Value out = Value::Map(copy, static_cast<uint32_t>(entries.size()));
      // The merged map is located where the later file writes it.
      out.set_loc(over.loc());
      out.set_path(over.path());
      return out;
    }
    // Inside a service (depth 3: services.NAME.FIELD) some sequences combine.
    if (base.is(Type::kList) && over.is(Type::kList) && depth == 3) {
      std::vector<Value> items(base.as_list().begin(), base.as_list().end());
      if (Concatenated(field)) {
        items.insert(items.end(), over.as_list().begin(), over.as_list().end());
      } else if (MergedByTarget(field)) {
        for (const Value& v : over.as_list()) {
          std::string target = TargetOf(v);
          auto it = std::find_if(items.begin(), items.end(),
                                 [&](const Value& x) { return !target.empty() && TargetOf(x) == target; });
          if (it == items.end()) items.push_back(v);
          else *it = v;
        }
      } else {
        return over;
      }
      Value* copy = out_.arena.AllocateArray<Value>(items.size());
      std::copy(items.begin(), items.end(), copy);
      Value out = Value::List(copy, static_cast<uint32_t>(items.size()));
      out.set_loc(over.loc());
      out.set_path(over.path());
      return out;
    }
    return over;
  }

 private:
  Document& out_;
};

}  // namespace

std::unique_ptr<Document> MergeCompose(std::vector<std::unique_ptr<Document>> docs,
                                       std::optional<InputError>& error) {
  error.reset();
  auto out = std::make_unique<Document>();
  if (docs.empty()) return out;
  Merger merger(*out);
  for (size_t i = 0; i < docs.size(); ++i) {
    if (i > 0xFFFF) {
      error = InputError{docs[i]->files.empty() ? "" : docs[i]->files[0], 0, 0, "too many files to merge"};
      return nullptr;
    }
    out->files.push_back(docs[i]->files.empty() ? std::string() : docs[i]->files[0]);
    Value part = merger.Retag(docs[i]->root, static_cast<uint16_t>(i));
    if (i == 0) {
      out->root = part;
    } else if (!part.is_null()) {
      out->root = out->root.is_null() ? part : merger.Merge(out->root, part, "", 0);
    }
  }
  for (auto& d : docs) out->parts.push_back(std::move(d));
  return out;
}

}  // namespace policy::load
