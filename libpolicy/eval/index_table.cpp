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
  // Without projection (the pass off) an index read by field keeps its
  // entries whole: rules then read the same fields from more of them.
  if (index_->read_whole || (!index_->fields.empty() && !index_->passes.on(Pass::kIndexProjection)))
    return KeepValue(entry, arena_, file);
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

std::optional<uint32_t> IndexTable::EntryOf(std::string_view key) const {
  if (flat_) return flat_keys_.Find(key);
  auto it = map_keys_.find(key);
  return it == map_keys_.end() ? std::nullopt : std::optional<uint32_t>(it->second);
}

IndexTable::Added IndexTable::Add(std::string_view key, const Value& entry, uint16_t file,
                                  uint32_t line, Place* first) {
  const auto next = static_cast<uint32_t>(entries_.size());
  std::optional<uint32_t> earlier;
  if (flat_) {
    const uint64_t hash = FlatKeyTable::HashOf(key);
    earlier = flat_keys_.Find(key, hash);
    if (!earlier) {
      if (entries_.size() >= kMaxEntries || !flat_keys_.Insert(key, next, hash))
        return Added::kFull;
    }
  } else {
    auto it = map_keys_.find(key);
    if (it != map_keys_.end()) {
      earlier = it->second;
    } else {
      if (entries_.size() >= kMaxEntries) return Added::kFull;
      map_keys_.emplace(std::string(key), next);
    }
  }
  if (earlier) {
    *first = entries_[*earlier].first;
    if (index_->keep_all) more_[*earlier].push_back(Kept(entry, file));
    return Added::kAgain;
  }
  entries_.push_back(Entry{Kept(entry, file), Place{file, line}});
  return Added::kNew;
}

void IndexTable::Seal() {
  if (!index_->keep_all) return;
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    Entry& e = entries_[i];
    auto more = more_.find(i);
    const size_t extra = more == more_.end() ? 0 : more->second.size();
    Value* items = arena_.AllocateArray<Value>(1 + extra);
    new (&items[0]) Value(e.value);
    for (size_t k = 0; k < extra; ++k) new (&items[1 + k]) Value(more->second[k]);
    e.value = Value::List(items, static_cast<uint32_t>(1 + extra));
  }
  more_.clear();
}

}  // namespace policy::eval
