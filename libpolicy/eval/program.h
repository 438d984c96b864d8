#pragma once
// The compiled, immutable form of a set of rule files: what the checker builds
// and the evaluator runs. Names are resolved to slots, params folded to
// constants, regexes compiled, schema fields resolved to indexes.
// Private to the library (engine.h only forward-declares Program).
#include <re2/re2.h>

#include <cassert>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "libpolicy/arena.h"
#include "libpolicy/diagnostic.h"
#include "libpolicy/engine.h"
#include "libpolicy/eval/builtins.h"
#include "libpolicy/eval/passes.h"
#include "libpolicy/eval/regex_plan.h"
#include "libpolicy/syntax/ast.h"
#include "libpolicy/value.h"

namespace policy::eval {

enum class NodeOp : uint8_t {
  kConst,     // constant (literals, params, folded)
  kSlot,      // a bound name: slot index
  kRowField,  // typed schema field `row.x`: field index into the typed row
  kMember,    // args[0].name
  kIndex,     // args[0][args[1]]
  kBuiltin,   // builtin(args...)
  kDefCall,   // def(args...)
  kNegate,
  kNot,
  kBinary,
  kIf,
  kQuantifier,  // binders slot/slot2; args[0] collection, args[1] body
  kList,
  kMap,  // args: k0 v0 k1 v1...
  // Version 2 (LANGUAGE.md section 11):
  kIndexHas,   // `INDEX has args[0]`: slot is the index (Program::indexes)
  kIndexGet,   // `INDEX[args[0]]`: the entry, null when absent; slot is the index
  kGroupKey,   // a group's key, in a grouped rule's group phase: slot is its position
  kAggregate,  // an aggregate of the current group: slot is CompiledRule::aggregates' index
  // Lowered forms of the commonest operators (check/specialize.h), made after
  // the rule's analyses, which read only the forms above:
  kAnd,     // args[0] and args[1]
  kOr,      // args[0] or args[1]
  kIsNull,  // args[0] == null (slot 1) or != null (slot 0)
  kTypeIs,  // type(args[0]) == name: slot is the Type (-1: no such type), slot2 1 for ==, 0 for !=
  // trim(args[0]) == "" (slot 1) or != "" (slot 0) for a string args[0];
  // anything else evaluates args[1], the original comparison.
  kTrimEmpty,
  // builtin(args[0]) for a one-argument builtin that returns its argument as it
  // is when IdentityWhen(slot) holds for it (string(s), trim("x"), ...): its
  // BuiltinTraits::identity.
  kIdentityWhen,
  // `x != null and trim(x) != ""` (or `... and (type(x) != "string" or trim(x)
  // != "")`, slot 1) for a name or field x: false for null, "not blank" for
  // text, true for any other value when slot is 1; anything else evaluates
  // args[1], the original condition.
  kPresent,
  // `a != null and b != null and ...` for names and typed fields: the args
  // are those leaves; true when none is null.
  kNoneNull,
};

// The aggregates of a grouped rule (LANGUAGE.md section 11.3).
enum class AggregateKind : uint8_t {
  kCount,
  kSum,
  kAvg,
  kMin,
  kMax,
  kArgmin,
  kArgmax,
  kCountDistinct,
  kValues,
};
// The aggregate a name calls in a group phase, or nullopt.
std::optional<AggregateKind> AggregateNamed(std::string_view name);

struct Aggregate {
  AggregateKind kind = AggregateKind::kCount;
  const struct Node* arg = nullptr;  // null for count()
  uint32_t line = 0;                 // in the rule file
  // An earlier aggregate whose argument is written the same (in the same
  // binding scope, so the same value): pass kSharedAggregateArgs reads its
  // value instead of evaluating `arg` again. -1: none.
  int same_arg_as = -1;
  std::string arg_source;  // the argument as written, to find such
};

struct CompiledDef;

struct Node {
  // What evaluation reads on every visit comes first, within one cache line.
  NodeOp op = NodeOp::kConst;
  syntax::BinaryOp binary = syntax::BinaryOp::kEq;
  syntax::Quantifier quant = syntax::Quantifier::kAll;
  int slot = -1;
  int slot2 = -1;
  std::vector<const Node*> args;
  const Builtin* builtin = nullptr;
  const CompiledDef* def = nullptr;
  // kConst regex literals: what can be decided without RE2 (null: nothing).
  const RegexPlan* literal_plan = nullptr;
  Value constant;
  // kIdentityWhen: further builtins applied in turn to the first one's result
  // (digits_only(normalize_digits(string(v))) is one node), each with its own
  // IdentityWhen.
  std::vector<std::pair<const Builtin*, uint8_t>> stages;
  std::string name;   // member name, function name
  uint32_t line = 0;  // in the rule file, for evaluation-error messages

  // The fields above whose meaning depends on the kind are read and written
  // through these, which assert the kind in debug builds.
  int read_slot() const {  // kSlot: the slot read
    assert(op == NodeOp::kSlot);
    return slot;
  }
  int field_index() const {  // kRowField: the index in the typed row
    assert(op == NodeOp::kRowField);
    return slot;
  }
  int binder() const {  // kQuantifier: the (first) name bound
    assert(op == NodeOp::kQuantifier);
    return slot;
  }
  int binder2() const {  // kQuantifier: the second name bound, -1 for none
    assert(op == NodeOp::kQuantifier);
    return slot2;
  }
  bool tests_equal() const {  // kIsNull `== null`, kTrimEmpty `== ""` (else !=)
    assert(op == NodeOp::kIsNull || op == NodeOp::kTrimEmpty);
    return slot == 1;
  }
  int tested_type() const {  // kTypeIs: a Type, -1 for a name no type has
    assert(op == NodeOp::kTypeIs);
    return slot;
  }
  bool type_equal() const {  // kTypeIs: `==` (else `!=`)
    assert(op == NodeOp::kTypeIs);
    return slot2 == 1;
  }
  IdentityWhen identity_when() const {  // kIdentityWhen: the first stage's
    assert(op == NodeOp::kIdentityWhen);
    return static_cast<IdentityWhen>(slot);
  }
  bool others_present() const {  // kPresent: a value that is not text passes
    assert(op == NodeOp::kPresent);
    return slot == 1;
  }
  void set_read_slot(int s) {
    assert(op == NodeOp::kSlot);
    slot = s;
  }
  void set_field_index(int index) {
    assert(op == NodeOp::kRowField);
    slot = index;
  }
  void set_binders(int first, int second) {
    assert(op == NodeOp::kQuantifier);
    slot = first;
    slot2 = second;
  }
  void set_tests_equal(bool eq) {
    assert(op == NodeOp::kIsNull || op == NodeOp::kTrimEmpty);
    slot = eq ? 1 : 0;
  }
  void set_type_test(int type, bool eq) {
    assert(op == NodeOp::kTypeIs);
    slot = type;
    slot2 = eq ? 1 : 0;
  }
  void set_identity_when(IdentityWhen when) {
    assert(op == NodeOp::kIdentityWhen);
    slot = static_cast<int>(when);
  }
  void set_others_present(bool pass) {
    assert(op == NodeOp::kPresent);
    slot = pass ? 1 : 0;
  }
  const RegexPlan* regex_plan() const {  // kConst: a regex literal's plan, or null
    assert(op == NodeOp::kConst);
    return literal_plan;
  }
  const Builtin& callee() const {  // kBuiltin, kIdentityWhen (its first stage)
    assert((op == NodeOp::kBuiltin || op == NodeOp::kIdentityWhen) && builtin != nullptr);
    return *builtin;
  }
  const CompiledDef& called_def() const {
    assert(op == NodeOp::kDefCall && def != nullptr);
    return *def;
  }
};

struct CompiledDef {
  std::string name;
  int arity = 0;
  int num_slots = 0;  // params first, then quantifier binders
  const Node* body = nullptr;
};

enum class ClauseOp : uint8_t { kFor, kLet, kWhere };

// One element of a `for` over a small constant collection: the expressions of
// the clauses after the `for` (in order) and of `require`, with the element's
// values substituted and folded (check/specialize.h).
struct Unrolled {
  std::vector<const Node*> clauses;
  const Node* require = nullptr;
};

struct CompiledClause {
  ClauseOp op = ClauseOp::kWhere;
  int slot = -1;   // for: key or element; let: the name
  int slot2 = -1;  // for k, v: the value
  const Node* expr = nullptr;
  // kFor over a map followed by `where`: the leading conjunct of that `where`
  // when it reads nothing but the key (`where is_tin_field(key) and ...`). Its
  // verdict per key is remembered, so picking fields by name costs one lookup
  // per field and record instead of an evaluation.
  const Node* key_filter = nullptr;
  // Index of this key filter among the program's (Program::num_key_filters),
  // for per-thread caches of verdicts by record shape.
  uint32_t filter_id = 0;
  // The `where` after this `for` without its key filter (null: nothing else),
  // for the keys the filter is known to pass.
  const Node* where_rest = nullptr;
  // kFor k, v over a map followed by `where type(v) == "name" ...`: the Type
  // named (-1: none). A value of another type skips the binding at once.
  int value_type = -1;
  // kFor over a constant collection: one entry per element (empty: not unrolled).
  std::vector<Unrolled> unrolled;
  // Unrolled, when every element's `require` is `row.f != null` or a kPresent
  // of a typed field (`present(row[field])` over a list of mandatory fields):
  // per element, the field and the test, read straight from the typed row.
  struct FieldPresence {
    int field = -1;
    bool blank_text_fails = false;  // kPresent: text must not be blank
    bool others_pass = true;        // false: a kPresent whose non-strings need the full test
  };
  std::vector<FieldPresence> unrolled_presence;
  // kFor k, v as the last `for`: every binding whose v is an ASCII string passes
  // (its wheres and `require` fold to true when v is such a string, as text
  // hygiene rules do: ASCII is never Bengali, never unnormalised, never holds a
  // zero-width character), so it is counted without being evaluated.
  bool ascii_value_passes = false;
};

struct SchemaField {
  std::string name;
  // Other column names the field is read from when `name` is absent, in order
  // (`bin | bin_no | vat_reg_no : string`); rules see the cell under `name`.
  std::vector<std::string> aliases;
  Type type = Type::kString;  // kString, kDecimal, kBool, kDate
  std::string date_pattern;   // empty: ISO
  bool required = false;
};

struct Schema {
  std::string name;
  std::vector<SchemaField> fields;
  int Find(std::string_view field) const {
    for (size_t i = 0; i < fields.size(); ++i)
      if (fields[i].name == field) return static_cast<int>(i);
    return -1;
  }
};

struct TemplatePiece {
  std::string literal;
  const Node* expr = nullptr;
};

// Slots every rule of a target has, before its own names.
inline constexpr int kSlotSubject = 0;  // compose / row / doc
inline constexpr int kSlotFile = 1;
inline constexpr int kSlotLine = 2;  // records only
inline constexpr int kFirstFreeSlot = 3;

struct CompiledRule {
  RuleInfo info;
  syntax::TargetKind target = syntax::TargetKind::kCompose;
  const Schema* schema = nullptr;  // on records(SCHEMA)
  std::string glob;                // on document("GLOB"): the documents it runs on
  bool secret = false;
  bool opt_in = false;
  std::vector<CompiledClause> clauses;
  const Node* require = nullptr;  // the require or unique expression
  bool is_unique = false;
  // `unique KEY within SCOPE`: keys compare within each value of SCOPE (its
  // source text for messages); null: within the whole data set.
  const Node* unique_within = nullptr;
  std::string within_source;
  std::optional<Decimal> mostly;  // percent
  const Node* at = nullptr;
  std::vector<TemplatePiece> message;
  bool has_message = false;
  // Default message (LANGUAGE.md section 5): "LHS (V) OP RHS (V)" when the top
  // operator is a comparison, else "SOURCE is false".
  bool default_is_comparison = false;
  std::string default_lhs, default_rhs, default_op, default_source;
  const Node* default_lhs_node = nullptr;
  const Node* default_rhs_node = nullptr;
  int num_slots = kFirstFreeSlot;
  // The leading clauses that read neither the subject nor the line (only `file`
  // and params): on record inputs their verdict is the same for every record,
  // so a `where` among them that is false for an input skips it at once.
  size_t input_prefix = 0;
  // Where a binding's outcome depends on a few scalar values alone: from
  // clause `memo_from` on (clauses.size(): just `require`), the rule reads only
  // constants, its own names and `memo_inputs` (names bound earlier, record
  // fields). A binding that passes or is skipped is remembered by those values
  // (Runner), so repeated values (names, cities, rates, dates) are decided once.
  // SIZE_MAX: never (unique and mostly rules, or the suffix reads the row whole).
  size_t memo_from = SIZE_MAX;
  std::vector<const Node*> memo_inputs;
  uint32_t memo_id = 0;  // < Program::num_memo_rules
  // The passes on for this rule (Program::passes): the run-time paths read
  // their flag here.
  PassSet passes = PassSet::All();

  // Version 2. The indexes (Program::indexes) the rule reads: built before it runs.
  std::vector<uint32_t> reads_indexes;
  // A grouped rule (`group by`): the clauses above run per binding, and each
  // binding joins the group its `group_keys` give, adding the arguments of
  // `aggregates` (evaluated in the binding) to the group's state. `grouped` is
  // what runs once per group, after every input of the rule: its own clauses,
  // require, at and message, reading the keys (kGroupKey) and aggregates
  // (kAggregate). `require` above is null.
  std::vector<const Node*> group_keys;
  std::vector<std::string> group_names;
  std::vector<Aggregate> aggregates;
  const CompiledRule* grouped = nullptr;  // in Program::group_phases
  // At most this many groups (the param `max_groups` visible in the rule's
  // file, else 10^6): the bindings that would open more are an error.
  uint64_t max_groups = 1'000'000;
  bool is_grouped() const { return grouped != nullptr; }
};

// An index (LANGUAGE.md section 11.2): the entries of the inputs its source
// names, by key. Built by running `rule` (its `for`, then `unique KEY`) on
// those inputs; the binding named by `entry_slot` is the entry.
struct CompiledIndex {
  std::string name;
  syntax::SourceKind source = syntax::SourceKind::kRecords;
  const Schema* schema = nullptr;  // records(SCHEMA)
  std::string glob;                // document("GLOB"), dotenv("GLOB")
  CompiledRule rule;               // info.id is "INDEX"; target from the source
  int entry_slot = kSlotSubject;
  bool keep_all = false;
  bool optional = false;  // no input for the source: an empty index, no problem
  // Program::passes: the table's own (kFlatIndexes, kIndexProjection,
  // kHasOnlyIndexes); `rule` runs with every pass off.
  PassSet passes = PassSet::All();
  // How rules read the entries: not at all (`has` only), some fields only
  // (`INDEX[k].field`, kept in `fields`), or whole (`INDEX[k]` otherwise).
  bool read_whole = false;
  std::vector<std::string> fields;
  std::string file;  // where it is declared
  uint32_t line = 0;
  uint32_t column = 0;
  // How a user binds an input to the source, for the missing-source problem.
  std::string Describe() const;
};

struct ParamValue {
  std::string name;
  std::string type;
  Value value;
  std::string file;
  uint32_t line = 0;
};

}  // namespace policy::eval

namespace policy {

class Program {
 public:
  std::vector<eval::CompiledRule> rules;  // sorted by id
  uint32_t num_key_filters = 0;           // CompiledClause::filter_id < this
  uint32_t num_memo_rules = 0;            // CompiledRule::memo_id < this
  // CompileOptions::accelerate (internal, tests only): false when every pass
  // is off. The record pipeline reads `passes` for its own (kShapePlans,
  // kDormantRules); every CompiledRule has a copy.
  bool accelerate = true;
  eval::PassSet passes = eval::PassSet::All();
  std::vector<eval::ParamValue> params;
  std::deque<eval::Schema> schemas;             // stable addresses
  std::deque<eval::CompiledIndex> indexes;      // version 2; CompiledRule::reads_indexes
  std::deque<eval::CompiledRule> group_phases;  // CompiledRule::grouped
  // Storage: nodes, defs, regexes, constant strings.
  std::deque<eval::Node> nodes;
  std::deque<eval::CompiledDef> defs;
  std::deque<std::unique_ptr<re2::RE2>> regexes;
  std::deque<eval::RegexPlan> regex_plans;
  Arena arena;

  const eval::CompiledIndex* FindIndex(std::string_view name) const {
    for (const auto& i : indexes)
      if (i.name == name) return &i;
    return nullptr;
  }
  const eval::Schema* FindSchema(std::string_view name) const {
    for (const auto& s : schemas)
      if (s.name == name) return &s;
    return nullptr;
  }
};

}  // namespace policy
