#include "libpolicy/eval/index_table.h"

#include <algorithm>
#include <new>

#include "libpolicy/eval/kept_value.h"

namespace policy::eval {

std::string CompiledIndex::Describe() const {
  switch (source) {
    case syntax::SourceKind::kRecords: {
      const std::string s = schema != nullptr ? schema->name : "?";
      // The names a file binds by (run/input_plan.cpp): the schema, singular or plural.
      const std::string plural =
          !s.empty() && s.back() == 'y' ? s.substr(0, s.size() - 1) + "ies" : s + "s";
      return "records(" + s + "): no input is bound to schema " + s + "; name a file " + plural +
             ".csv (or " + s +
             ".csv, .jsonl, .json), or bind one in `inputs:` of "
             ".policy-check.yaml";
    }
    case syntax::SourceKind::kCompose:
      return "compose: no compose file is among the inputs";
    case syntax::SourceKind::kDocument:
      return "document(\"" + glob + "\"): no document input matches the pattern";
    case syntax::SourceKind::kDotenv:
      return "dotenv(\"" + glob + "\"): no dotenv input matches the pattern";
  }
  return "";
}

Value IndexTable::Kept(const Value& entry, uint16_t file) {
  if (index_->read_whole) return KeepValue(entry, arena_, file);
  if (index_->fields.empty() || !entry.is(Type::kMap)) {
    // Read through `has` only: the key is all it needs. A non-map entry read
    // by field has no fields; keep it whole so the member read reports that.
    return index_->fields.empty() ? Value() : KeepValue(entry, arena_, file);
  }
  // The fields rules read, in the entry's order, located.
  std::vector<const MapEntry*> kept;
  for (const MapEntry& e : entry.as_map())
    if (std::find(index_->fields.begin(), index_->fields.end(), e.key) != index_->fields.end())
      kept.push_back(&e);
  MapEntry* copy = arena_.AllocateArray<MapEntry>(kept.size());
  for (size_t i = 0; i < kept.size(); ++i)
    new (&copy[i]) MapEntry{arena_.Copy(kept[i]->key), KeepValue(kept[i]->value, arena_, file)};
  Value out = Value::Map(copy, static_cast<uint32_t>(kept.size()));
  Loc loc = entry.loc();
  if (loc.known()) loc.file = file;
  out.set_loc(loc);
  return out;
}

IndexTable::Added IndexTable::Add(const std::string& key, const Value& entry, uint16_t file,
                                  uint32_t line, Place* first) {
  auto it = map_.find(key);
  if (it != map_.end()) {
    *first = it->second.first;
    if (index_->keep_all) it->second.more.push_back(Kept(entry, file));
    return Added::kAgain;
  }
  if (map_.size() >= kMaxEntries) return Added::kFull;
  Entry& e = map_[key];
  e.value = Kept(entry, file);
  e.first = {file, line};
  return Added::kNew;
}

void IndexTable::Seal() {
  if (!index_->keep_all) return;
  for (auto& [key, e] : map_) {
    Value* items = arena_.AllocateArray<Value>(1 + e.more.size());
    new (&items[0]) Value(e.value);
    for (size_t i = 0; i < e.more.size(); ++i) new (&items[1 + i]) Value(e.more[i]);
    e.value = Value::List(items, static_cast<uint32_t>(1 + e.more.size()));
    e.more.clear();
    e.more.shrink_to_fit();
  }
}

const Value* IndexTable::Find(std::string_view key) const {
  auto it = map_.find(key);
  return it == map_.end() ? nullptr : &it->second.value;
}

}  // namespace policy::eval
