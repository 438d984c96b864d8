#include "libpolicy/eval/kept_value.h"

#include <new>

namespace policy::eval {
namespace {

const PathNode* KeepPath(const PathNode* path, Arena& arena) {
  if (path == nullptr) return nullptr;
  auto* copy = arena.AllocateArray<PathNode>(1);
  new (copy) PathNode{KeepPath(path->parent, arena), arena.Copy(path->key), path->index};
  return copy;
}

}  // namespace

Value KeepValue(const Value& v, Arena& arena, uint16_t file) {
  Value out = v;
  switch (v.type()) {
    case Type::kString:
      out = Value::String(arena.Copy(v.as_string()));
      break;
    case Type::kList: {
      auto items = v.as_list();
      Value* copy = arena.AllocateArray<Value>(items.size());
      for (size_t i = 0; i < items.size(); ++i)
        new (&copy[i]) Value(KeepValue(items[i], arena, file));
      out = Value::List(copy, static_cast<uint32_t>(items.size()));
      break;
    }
    case Type::kMap: {
      auto entries = v.as_map();
      MapEntry* copy = arena.AllocateArray<MapEntry>(entries.size());
      for (size_t i = 0; i < entries.size(); ++i)
        new (&copy[i])
            MapEntry{arena.Copy(entries[i].key), KeepValue(entries[i].value, arena, file)};
      out = Value::Map(copy, static_cast<uint32_t>(entries.size()));
      break;
    }
    default:
      break;
  }
  Loc loc = v.loc();
  if (loc.known()) loc.file = file;
  out.set_loc(loc);
  out.set_flags(v.flags());
  out.set_path(KeepPath(v.path(), arena));
  return out;
}

void AppendKeyBytes(const Value& key, std::string& out) {
  if (key.is(Type::kString)) {
    out += 's';
    out += key.as_string();
  } else {
    out += 'j';
    RenderJson(key, out);
  }
}

}  // namespace policy::eval
