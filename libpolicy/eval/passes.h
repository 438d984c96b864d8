#pragma once
// The accelerations of the compiler and the evaluator, each a named pass with
// an id, and the set of those that are on. What each does, and in which layer,
// is listed in check/passes/passes.h (the table the compiler walks); this
// header is only what the run-time paths need to read their flag.
//
// Every pass keeps the output exactly as the general evaluation gives it (the
// oracle test, tests/unit/engine/oracle_test.cpp, compares them): a pass only
// decides sooner, or remembers.
#include <cstdint>

namespace policy::eval {

enum class Pass : uint8_t {
  // Compile time, in the order the compiler runs them (check/passes/).
  kInlineDefs,      // small def calls replaced by their bodies
  kConstantLets,    // a `let` bound to a constant read as that constant
  kFold,            // what a constant decides, decided once
  kAsciiValues,     // the last `for k, v` passes whenever v is ASCII text
  kUnrollFors,      // the last `for` over a small constant collection unrolled
  kKeyFilters,      // `for k in row where FILTER(k)`: the filter hoisted per key
  kInputPrefix,     // leading clauses that read only the input, not the record
  kMemoPoint,       // the clause from which a binding depends on a few values
  kLowerTests,      // and/or/== null/type(x) ==/trim(x) == "" as dedicated nodes
  kIdentityChains,  // text builtins that return their argument as it is
  kPresenceTests,   // `x != null and trim(x) != ""` and chains of `!= null`
  kRegexPlans,      // regexes decided without RE2 when the pattern allows
  // Run time (eval/runner.cpp, eval/evaluator.cpp, the record pipeline).
  kMemo,            // binding outcomes remembered by their memo inputs
  kDecimalLane,     // decimal arithmetic without a Value per step
  kPresenceLane,    // unrolled presence tests read straight from the typed row
  kAsciiShortcuts,  // Value::kAscii and ASCII text decide builtins at once
  kShapePlans,      // per record shape: the rules that apply, fields that pass
  kDormantRules,    // rules whose input prefix is false skip the whole input
  kKeyVerdicts,     // key filter verdicts remembered by key text
  kPlainBindings,   // bindings decided by two tests, without a walk
  kMatchMemo,       // recent `matches` results on short strings
  kDefMemo,         // recent results of one- and two-argument defs
  kFieldSlots,      // field indexes by record shape and field name
  // Version 2 (LANGUAGE.md section 11): index and group tables, run/index_build.
  kFlatIndexes,          // index keys in a flat open-addressing table, not a node map
  kIndexProjection,      // index entries keep only the fields rules read
  kHasOnlyIndexes,       // `has`-only index keys added without reading the record again
  kNeededIndexes,        // only the indexes of rules that have an input are built
  kFlatGroups,           // group keys in a flat table; min/max values kept only when they win
  kDistinctGrowth,       // count_distinct sets grow from a small table into a KeySet
  kSharedAggregateArgs,  // aggregate arguments written the same evaluated once per binding
  kDenseDistinct,        // count_distinct of whole numbers in a bit set, not as key strings
  kPrefixOnce,  // a record input's input prefix evaluated once, its lets kept for every record
  kCount
};

// Which passes are on. Copied into every CompiledRule, so the run-time paths
// read it where they already are.
class PassSet {
 public:
  static constexpr PassSet All() { return PassSet((uint64_t{1} << kPasses) - 1); }
  static constexpr PassSet None() { return PassSet(0); }

  constexpr bool on(Pass p) const { return (bits_ >> static_cast<unsigned>(p)) & 1; }
  constexpr bool all() const { return bits_ == All().bits_; }
  constexpr bool none() const { return bits_ == 0; }
  constexpr PassSet With(Pass p) const {
    return PassSet(bits_ | (uint64_t{1} << static_cast<unsigned>(p)));
  }
  constexpr PassSet Without(Pass p) const {
    return PassSet(bits_ & ~(uint64_t{1} << static_cast<unsigned>(p)));
  }
  constexpr bool operator==(const PassSet&) const = default;

 private:
  static constexpr unsigned kPasses = static_cast<unsigned>(Pass::kCount);
  static_assert(kPasses <= 64);
  constexpr explicit PassSet(uint64_t bits) : bits_(bits) {}
  uint64_t bits_;
};

}  // namespace policy::eval
