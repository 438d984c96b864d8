#pragma once
// The state of a grouped rule (LANGUAGE.md section 11.3): its groups in the
// order of their first binding, each with its keys and one state per
// aggregate. States merge associatively (counts and sums add, min and max keep
// the earlier on ties, distinct sets unite, lists concatenate), so tables
// filled by chunks on several threads, by several inputs, or (issue 16) by
// partitions on several machines, merged in input order, equal one pass.
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "libpolicy/arena.h"
#include "libpolicy/decimal.h"
#include "libpolicy/eval/flat_key_table.h"
#include "libpolicy/eval/int_bit_set.h"
#include "libpolicy/eval/key_set.h"
#include "libpolicy/eval/program.h"
#include "libpolicy/value.h"

namespace policy::eval {

// The distinct values of count_distinct(): a small table while it is small
// (a chunk's share), the compact KeySet once it grows (about 20 bytes a key).
// Use() chooses, before the first Insert: a flat small table or a node-based
// set (pass kFlatGroups off), growing into a KeySet or not (kDistinctGrowth).
class DistinctSet {
 public:
  void Use(bool flat, bool grows, bool dense) {
    flat_ = flat;
    grows_ = grows;
    dense_ = dense;
  }
  void Insert(std::string_view key);
  void Merge(DistinctSet& later);
  uint64_t size() const { return ints_.size() + strings(); }
  // Every distinct key's bytes, in no particular order (group_table_io.h):
  // whole numbers as AppendKeyBytes writes them ("j" and the digits).
  template <class F>
  void ForEach(F&& f) const {
    ints_.ForEach([&](uint64_t n) {
      const std::string key = "j" + std::to_string(n);
      f(std::string_view(key));
    });
    if (big_) big_->ForEach(f);
    small_flat_.ForEach([&](std::string_view k, uint32_t) { f(k); });
    for (const std::string& k : small_) f(std::string_view(k));
  }

 private:
  static constexpr size_t kSmall = 4096;
  void Grow();
  void GrowIfBig() {
    if (grows_ && strings() > kSmall) Grow();
  }
  uint64_t strings() const {
    return big_ ? big_->size() : flat_ ? small_flat_.size() : small_.size();
  }
  bool flat_ = true;
  bool grows_ = true;
  // Pass kDenseDistinct: keys that are whole numbers written plainly (the
  // bytes of a decimal 0 to 10^18 - 1, "j" then its digits) go to `ints_`;
  // no such key is ever in the string sets, so the two counts add.
  bool dense_ = true;
  IntBitSet ints_;
  FlatKeyTable small_flat_;
  std::unordered_set<std::string> small_;
  std::unique_ptr<KeySet> big_;
};

struct AggregateState {
  uint64_t count = 0;         // count(): bindings; the others: non-null values seen
  Decimal sum;                // sum, avg
  Value best;                 // min, max, argmin, argmax: null until the first value
  DistinctSet distinct;       // count_distinct, by AppendKeyBytes
  std::vector<Value> values;  // values(), up to kMaxGroupValues
  uint64_t values_dropped = 0;
  // The first error, kept in input order: the aggregate then reads as this
  // evaluation error (a sum that overflowed, min over a decimal and a string).
  std::string error;
};

struct Group {
  std::vector<Value> keys;
  std::vector<AggregateState> states;  // per CompiledRule::aggregates
  uint16_t file = 0;                   // the first binding: input (a foreign id), line
  uint32_t line = 0;
};

class GroupTable {
 public:
  // Writes tables as bytes and reads them back (group_table_io.h): a table
  // read has its groups and states, no key index (it is only merged from).
  friend struct GroupTableIo;

  static constexpr size_t kDefaultMaxGroups = 1'000'000;
  static constexpr size_t kMaxGroupValues = 10'000;

  explicit GroupTable(const CompiledRule* rule, size_t max_groups = kDefaultMaxGroups);
  GroupTable(GroupTable&&) = default;
  GroupTable& operator=(GroupTable&&) = default;

  // Adds a binding of input `file` (a foreign id) at `line`: `keys` per
  // group_keys, `args` per aggregate (null for count()). False when it would
  // open a group past the limit: the binding is then left out, and the first
  // such place is kept for the limit's error.
  bool Add(std::span<const Value> keys, std::span<const Value> args, uint16_t file, uint32_t line);

  // Adds `later` (what follows this table in input order); `later` is left empty.
  void Merge(GroupTable& later);

  const std::deque<Group>& groups() const { return groups_; }
  const CompiledRule& rule() const { return *rule_; }
  // The first binding the group limit left out, if any.
  struct Place {
    uint16_t file = 0;
    uint32_t line = 0;
  };
  const std::optional<Place>& over_limit() const { return over_limit_; }
  size_t max_groups() const { return max_groups_; }

  // The value of aggregate `a` of `group`, with storage in `arena`; null and
  // `error` set when it reads as an evaluation error.
  Value Result(const Group& group, size_t a, Arena& arena, std::string* error) const;

 private:
  // The position of the group whose key bytes are `key`: an open one, or a
  // new one to open (*fresh) at groups_.size(); nothing past the limit.
  std::optional<uint32_t> Position(std::string_view key, bool* fresh);
  Group& Open(std::span<const Value> keys, uint16_t file, uint32_t line);
  // Where a value an aggregate keeps comes from: its binding's input and line.
  struct KeepAt {
    uint16_t file;
    uint32_t line;
  };
  Value Keep(const Value& v, KeepAt at);
  // Adds `v`; with `at`, `v` is the binding's own and is kept (copied into
  // this table) only if the state stores it.
  void AddValue(AggregateState& s, AggregateKind kind, const Value& v, const KeepAt* at);
  void MergeState(AggregateState& into, AggregateState& later, AggregateKind kind);

  const CompiledRule* rule_ = nullptr;
  size_t max_groups_ = kDefaultMaxGroups;
  // Group key bytes to positions in groups_: a flat table (pass kFlatGroups)
  // or a node-based map (the pass off).
  bool flat_ = true;
  bool distinct_grows_ = true;
  bool distinct_dense_ = true;
  FlatKeyTable flat_keys_;
  std::unordered_map<std::string, uint32_t> by_key_;
  std::deque<Group> groups_;
  // A copy of kept value `v` (of another table) in this table's storage.
  Value Own(const Value& v);
  std::unique_ptr<Arena> arena_;  // kept values (keys, min/max, values())
  std::optional<Place> over_limit_;
  std::string key_;           // scratch: a group's key bytes
  std::string distinct_key_;  // scratch: a count_distinct value's bytes
  std::string one_key_;       // scratch: one group key's bytes
};

// What a group phase reads: the keys of the group judged and its aggregates'
// values (or errors), by position.
struct GroupView {
  std::span<const Value> keys;
  std::span<const Value> results;
  const std::vector<std::string>* errors = nullptr;  // per aggregate; empty: none
};

}  // namespace policy::eval
