// WriteGroupTables and ReadGroupTables (group_table_io.h).
#include "libpolicy/eval/group_table_io.h"

#include <cstring>
#include <new>

#include "libpolicy/eval/kept_value.h"

namespace policy::eval {

namespace {

class Writer {
 public:
  explicit Writer(const std::vector<std::string>& files) : files_(files) {}

  template <class T>
  void Int(T v) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &v, sizeof(T));  // the build hosts are little-endian (as the format)
    out_.append(bytes, sizeof(T));
  }
  void Str(std::string_view s) {
    Int<uint32_t>(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void FileSlot(uint16_t file, bool known) {
    uint32_t slot = 0;
    const size_t position = file >= kForeignFileBase ? file - kForeignFileBase : files_.size();
    if (known && position < files_.size()) slot = 1u + static_cast<uint32_t>(position);
    Int<uint32_t>(slot);
  }
  bool Val(const Value& v) {
    Int<uint8_t>(static_cast<uint8_t>(v.type()));
    Int<uint8_t>(v.flags());
    const Loc loc = v.loc();
    Int<uint32_t>(loc.line);
    Int<uint32_t>(loc.column);
    Int<uint32_t>(loc.end_line);
    Int<uint32_t>(loc.end_column);
    FileSlot(loc.file, loc.known());
    uint32_t depth = 0;
    for (const PathNode* p = v.path(); p != nullptr; p = p->parent) ++depth;
    Int<uint32_t>(depth);
    for (const PathNode* p = v.path(); p != nullptr; p = p->parent) {
      Str(p->key);
      Int<int64_t>(p->index);
    }
    switch (v.type()) {
      case Type::kNull:
        return true;
      case Type::kBool:
        Int<uint8_t>(v.as_bool() ? 1 : 0);
        return true;
      case Type::kDecimal:
        Str(v.as_decimal().ToString());
        return true;
      case Type::kString:
        Str(v.as_string());
        return true;
      case Type::kDate:
        Str(v.as_date().ToString());
        return true;
      case Type::kList:
        Int<uint32_t>(static_cast<uint32_t>(v.as_list().size()));
        for (const Value& item : v.as_list())
          if (!Val(item)) return false;
        return true;
      case Type::kMap:
        Int<uint32_t>(static_cast<uint32_t>(v.as_map().size()));
        for (const MapEntry& e : v.as_map()) {
          Str(e.key);
          if (!Val(e.value)) return false;
        }
        return true;
      case Type::kRegex:
        return false;
    }
    return false;
  }
  std::string& out() { return out_; }

 private:
  const std::vector<std::string>& files_;
  std::string out_;
};

class Reader {
 public:
  Reader(std::string_view in, Arena& arena) : in_(in), arena_(&arena) {}

  bool ok() const { return ok_; }
  void Fail() { ok_ = false; }
  void SetArena(Arena& arena) { arena_ = &arena; }
  template <class T>
  T Int() {
    T v{};
    if (!ok_ || in_.size() < sizeof(T)) {
      ok_ = false;
      return v;
    }
    std::memcpy(&v, in_.data(), sizeof(T));
    in_.remove_prefix(sizeof(T));
    return v;
  }
  std::string_view Str() {
    const uint32_t n = Int<uint32_t>();
    if (!ok_ || in_.size() < n) {
      ok_ = false;
      return {};
    }
    std::string_view s = in_.substr(0, n);
    in_.remove_prefix(n);
    return s;
  }
  // A count of items each at least `min_bytes` long: never more than the
  // bytes left could hold, so a corrupt count allocates nothing large.
  uint32_t Count(size_t min_bytes) {
    const uint32_t n = Int<uint32_t>();
    if (ok_ && static_cast<uint64_t>(n) * min_bytes > in_.size()) ok_ = false;
    return ok_ ? n : 0;
  }
  // The foreign id of a file slot in this run (0: none).
  uint16_t File(const std::vector<uint16_t>& ids) {
    const uint32_t slot = Int<uint32_t>();
    if (slot == 0) return 0;
    if (slot > ids.size()) {
      ok_ = false;
      return 0;
    }
    return ids[slot - 1];
  }
  Value Val(const std::vector<uint16_t>& ids, int depth = 0) {
    if (depth > 64) {  // a value nested deeper than any record: corrupt bytes
      ok_ = false;
      return Value();
    }
    const auto type = static_cast<Type>(Int<uint8_t>());
    const uint8_t flags = Int<uint8_t>();
    Loc loc;
    loc.line = Int<uint32_t>();
    loc.column = Int<uint32_t>();
    loc.end_line = Int<uint32_t>();
    loc.end_column = Int<uint32_t>();
    loc.file = File(ids);
    const uint32_t path_depth = Count(12);
    const PathNode* path = nullptr;
    std::vector<std::pair<std::string_view, int64_t>> nodes(path_depth);
    for (auto& [key, index] : nodes) {
      key = Str();
      index = Int<int64_t>();
    }
    for (size_t i = nodes.size(); i-- > 0;) {  // written from the value up: built root first
      auto* node = arena_->AllocateArray<PathNode>(1);
      new (node) PathNode{path, arena_->Copy(nodes[i].first), nodes[i].second};
      path = node;
    }
    Value v;
    switch (type) {
      case Type::kNull:
        break;
      case Type::kBool:
        v = Value::Bool(Int<uint8_t>() != 0);
        break;
      case Type::kDecimal: {
        std::optional<Decimal> d = Decimal::Parse(Str());
        if (!d) ok_ = false;
        v = Value::Number(d.value_or(Decimal()));
        break;
      }
      case Type::kString:
        v = Value::String(arena_->Copy(Str()));
        break;
      case Type::kDate: {
        std::optional<Date> d = Date::ParseIso(Str());
        if (!d) ok_ = false;
        v = Value::OfDate(d.value_or(Date()));
        break;
      }
      case Type::kList: {
        const uint32_t n = Count(22);
        Value* items = arena_->AllocateArray<Value>(n);
        for (uint32_t i = 0; i < n; ++i) new (&items[i]) Value(Val(ids, depth + 1));
        v = Value::List(items, n);
        break;
      }
      case Type::kMap: {
        const uint32_t n = Count(26);
        MapEntry* entries = arena_->AllocateArray<MapEntry>(n);
        for (uint32_t i = 0; i < n; ++i) {
          std::string_view key = arena_->Copy(Str());
          new (&entries[i]) MapEntry{key, Val(ids, depth + 1)};
        }
        v = Value::Map(entries, n);
        break;
      }
      default:
        ok_ = false;
        return Value();
    }
    v.set_loc(loc);
    v.set_flags(flags);
    v.set_path(path);
    return v;
  }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
  Arena* arena_;
  bool ok_ = true;
};

}  // namespace

struct GroupTableIo {
  static bool Write(Writer& w, const GroupTable& table) {
    const CompiledRule& rule = table.rule();
    w.Str(rule.info.id);
    w.Int<uint32_t>(static_cast<uint32_t>(rule.aggregates.size()));
    const auto& over = table.over_limit();
    w.Int<uint8_t>(over ? 1 : 0);
    w.FileSlot(over ? over->file : 0, over.has_value());
    w.Int<uint32_t>(over ? over->line : 0);
    w.Int<uint32_t>(static_cast<uint32_t>(table.groups().size()));
    for (const Group& g : table.groups()) {
      w.FileSlot(g.file, true);
      w.Int<uint32_t>(g.line);
      w.Int<uint32_t>(static_cast<uint32_t>(g.keys.size()));
      for (const Value& k : g.keys)
        if (!w.Val(k)) return false;
      for (const AggregateState& s : g.states) {
        w.Int<uint64_t>(s.count);
        w.Str(s.sum.ToString());
        if (!w.Val(s.best)) return false;
        w.Int<uint64_t>(s.distinct.size());
        s.distinct.ForEach([&](std::string_view key) { w.Str(key); });
        w.Int<uint32_t>(static_cast<uint32_t>(s.values.size()));
        for (const Value& v : s.values)
          if (!w.Val(v)) return false;
        w.Int<uint64_t>(s.values_dropped);
        w.Str(s.error);
      }
    }
    return true;
  }

  static bool Read(Reader& r, const CompiledRule& rule, const std::vector<uint16_t>& ids,
                   GroupTable& table) {
    r.SetArena(*table.arena_);
    if (r.Int<uint32_t>() != rule.aggregates.size()) return false;
    const bool over = r.Int<uint8_t>() != 0;
    const uint16_t over_file = r.File(ids);
    const uint32_t over_line = r.Int<uint32_t>();
    if (over) table.over_limit_ = GroupTable::Place{over_file, over_line};
    const uint32_t groups = r.Count(12);
    for (uint32_t i = 0; i < groups && r.ok(); ++i) {
      Group& g = table.groups_.emplace_back();
      g.file = r.File(ids);
      g.line = r.Int<uint32_t>();
      const uint32_t keys = r.Count(26);
      for (uint32_t k = 0; k < keys && r.ok(); ++k) g.keys.push_back(r.Val(ids));
      g.states.resize(rule.aggregates.size());
      for (AggregateState& s : g.states) {
        s.count = r.Int<uint64_t>();
        std::optional<Decimal> sum = Decimal::Parse(r.Str());
        if (!sum) return false;
        s.sum = *sum;
        s.best = r.Val(ids);
        const uint64_t distinct = r.Int<uint64_t>();
        for (uint64_t d = 0; d < distinct && r.ok(); ++d) s.distinct.Insert(r.Str());
        const uint32_t values = r.Count(26);
        for (uint32_t v = 0; v < values && r.ok(); ++v) s.values.push_back(r.Val(ids));
        s.values_dropped = r.Int<uint64_t>();
        s.error = std::string(r.Str());
      }
    }
    return r.ok();
  }
};

std::optional<std::string> WriteGroupTables(const std::vector<const GroupTable*>& tables,
                                            const std::vector<std::string>& files) {
  Writer w(files);
  w.out() = "PGT";
  w.Int<uint8_t>(kGroupTableFormat);
  w.Int<uint32_t>(static_cast<uint32_t>(files.size()));
  for (const std::string& f : files) w.Str(f);
  w.Int<uint32_t>(static_cast<uint32_t>(tables.size()));
  for (const GroupTable* t : tables)
    if (!GroupTableIo::Write(w, *t)) return std::nullopt;
  return std::move(w.out());
}

bool ReadGroupTables(std::string_view bytes, const Program& program,
                     const std::function<uint16_t(std::string_view name)>& file_id,
                     std::vector<std::pair<const CompiledRule*, GroupTable>>& out,
                     std::string* error) {
  if (bytes.size() < 4 || bytes.substr(0, 3) != "PGT") {
    *error = "group state: not group table bytes";
    return false;
  }
  if (static_cast<uint8_t>(bytes[3]) != kGroupTableFormat) {
    *error = "group state: format version " + std::to_string(static_cast<uint8_t>(bytes[3])) +
             "; this library reads version " + std::to_string(kGroupTableFormat);
    return false;
  }
  Arena names_arena(256);
  Reader r(bytes.substr(4), names_arena);
  std::vector<uint16_t> ids(r.Count(4));
  for (uint16_t& id : ids) id = file_id(r.Str());
  const uint32_t tables = r.Count(8);
  for (uint32_t t = 0; t < tables && r.ok(); ++t) {
    const std::string_view id = r.Str();
    const CompiledRule* rule = nullptr;
    for (const CompiledRule& candidate : program.rules)
      if (candidate.info.id == id && candidate.is_grouped()) rule = &candidate;
    if (rule == nullptr) {
      *error = "group state: no grouped rule " + std::string(id) + " in these rules";
      return false;
    }
    out.emplace_back(rule, GroupTable(rule, rule->max_groups));
    if (!GroupTableIo::Read(r, *rule, ids, out.back().second)) {
      *error = "group state of " + rule->info.id + ": cut short or corrupt";
      return false;
    }
  }
  if (!r.ok() || !r.done()) {
    *error = "group state: cut short or corrupt";
    return false;
  }
  return true;
}

}  // namespace policy::eval
