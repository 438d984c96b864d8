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
#include "libpolicy/eval/key_set.h"
#include "libpolicy/eval/program.h"
#include "libpolicy/value.h"

namespace policy::eval {

// The distinct values of count_distinct(): a small hash set while it is small
// (a chunk's share), the compact KeySet once it grows (about 20 bytes a key).
class DistinctSet {
 public:
  void Insert(std::string_view key);
  void Merge(DistinctSet& later);
  uint64_t size() const { return big_ ? big_->size() : small_.size(); }
  // Every distinct key's bytes, in no particular order (group_table_io.h).
  template <class F>
  void ForEach(F&& f) const {
    if (big_)
      big_->ForEach(f);
    else
      for (const std::string& k : small_) f(std::string_view(k));
  }

 private:
  static constexpr size_t kSmall = 4096;
  void Grow();
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
  Group& GroupOf(std::span<const Value> keys, uint16_t file, uint32_t line, bool* opened);
  void AddValue(AggregateState& s, AggregateKind kind, const Value& v);
  void MergeState(AggregateState& into, AggregateState& later, AggregateKind kind);

  const CompiledRule* rule_ = nullptr;
  size_t max_groups_ = kDefaultMaxGroups;
  std::unordered_map<std::string, uint32_t> by_key_;
  std::deque<Group> groups_;
  // A copy of kept value `v` (of another table) in this table's storage.
  Value Own(const Value& v);
  std::unique_ptr<Arena> arena_;  // kept values (keys, min/max, values())
  std::optional<Place> over_limit_;
  std::string key_;           // scratch: a group's key bytes
  std::string distinct_key_;  // scratch: a count_distinct value's bytes
};

// What a group phase reads: the keys of the group judged and its aggregates'
// values (or errors), by position.
struct GroupView {
  std::span<const Value> keys;
  std::span<const Value> results;
  const std::vector<std::string>* errors = nullptr;  // per aggregate; empty: none
};

}  // namespace policy::eval
