#pragma once
// An index's entries by key (LANGUAGE.md section 11.2), built before the rules
// that read it and read-only while they run (on any number of threads).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "libpolicy/arena.h"
#include "libpolicy/eval/flat_key_table.h"
#include "libpolicy/eval/program.h"
#include "libpolicy/value.h"

namespace policy::eval {

class IndexTable {
 public:
  static constexpr size_t kMaxEntries = 10'000'000;

  explicit IndexTable(const CompiledIndex* index)
      : index_(index), flat_(index->passes.on(Pass::kFlatIndexes)) {}

  // Where a key was first seen.
  struct Place {
    uint16_t file = 0;  // foreign id
    uint32_t line = 0;
  };
  enum class Added : uint8_t { kNew, kAgain, kFull };
  // Adds `entry` under `key` (bytes of AppendKeyBytes), from input `file` at
  // `line`. kAgain: the key was there (`keep first`: the entry is left out,
  // *first says where the key was first seen; `keep all`: appended). kFull:
  // past kMaxEntries, nothing is added.
  Added Add(std::string_view key, const Value& entry, uint16_t file, uint32_t line, Place* first);

  // The entry under `key` (a list of them for `keep all`), or null.
  const Value* Find(std::string_view key) const {
    const std::optional<uint32_t> at = EntryOf(key);
    return at ? &entries_[*at].value : nullptr;
  }
  bool Has(std::string_view key) const { return EntryOf(key).has_value(); }
  size_t size() const { return entries_.size(); }
  const CompiledIndex& index() const { return *index_; }

  // Turns `keep all` lists into values; called once, after the last Add.
  void Seal();

 private:
  struct Entry {
    Value value;  // the entry as rules read it (a map of its kept fields, the whole of it, or null)
    Place first;
  };
  Value Kept(const Value& entry, uint16_t file);
  std::optional<uint32_t> EntryOf(std::string_view key) const;

  // Lookups by string_view, without a std::string per lookup.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  const CompiledIndex* index_;
  // Key bytes to positions in entries_: the flat table (pass kFlatIndexes), or
  // a node-based map (the pass off: the general form the oracle compares to).
  const bool flat_;
  FlatKeyTable flat_keys_;
  std::unordered_map<std::string, uint32_t, KeyHash, std::equal_to<>> map_keys_;
  std::vector<Entry> entries_;
  // keep all: the later entries, by entry position (only keys seen twice).
  std::unordered_map<uint32_t, std::vector<Value>> more_;
  Arena arena_;
};

// The indexes of a run, by position in Program::indexes (null: not built).
struct IndexSet {
  std::vector<std::unique_ptr<IndexTable>> tables;
  const IndexTable* at(size_t i) const { return i < tables.size() ? tables[i].get() : nullptr; }
};

}  // namespace policy::eval
