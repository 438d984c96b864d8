#pragma once
// Evaluates compiled expressions (LANGUAGE.md section 4). One Evaluator per
// thread; it allocates computed values in the scratch arena it is given.
#include <cstdint>
#include <new>
#include <vector>

#include "libpolicy/eval/builtins.h"
#include "libpolicy/eval/program.h"

namespace policy::eval {
struct IndexSet;
struct GroupView;
}  // namespace policy::eval

namespace policy::eval {

// The typed schema fields of a record, by field index: each points into the
// typed row (or at a null located at the row, for a field it lacks). Null
// without a schema.
using TypedRow = const Value* const*;

class Evaluator {
 public:
  // Bound on the work of one binding (nodes evaluated, elements iterated):
  // every rule terminates quickly whatever the input.
  static constexpr uint64_t kMaxSteps = 50'000'000;

  explicit Evaluator(Arena& scratch) : call_(scratch) {}

  // Evaluates `node` with the rule's slots and, for schema-bound records, the
  // typed fields. On an evaluation error returns null and error() is set; the
  // error stays set until ClearError().
  Value Eval(const Node* node, Value* slots, TypedRow typed_row);

  // A condition (`where`, `require`, operands of and/or/not): its bool,
  // without building Values for and, or, not, x == null and the like. A
  // non-bool result is an error "WHAT needs a bool". On error returns false
  // and error() is set.
  bool Test(const Node* n, Value* slots, TypedRow row, const char* what);

  // Eval with the leaves (constants, names, schema fields) resolved inline:
  // they are half of all nodes, and need neither a call nor a step.
  Value EvalOperand(const Node* node, Value* slots, TypedRow typed_row) {
    switch (node->op) {
      case NodeOp::kConst:
        return node->constant;
      case NodeOp::kSlot:
        return slots[node->read_slot()];
      case NodeOp::kRowField:
        if (typed_row != nullptr) return *typed_row[node->field_index()];
        break;
      default:
        break;
    }
    return Eval(node, slots, typed_row);
  }

  // Room for one Value, left unconstructed until it is needed.
  struct ValueSpace {
    alignas(Value) unsigned char bytes[sizeof(Value)];
  };
  // The value of `n`: a leaf's own (not copied), or `n` evaluated into
  // `space`; null when that evaluation fails (error() is set).
  const Value* Operand(const Node* n, Value* slots, TypedRow row, ValueSpace& space) {
    if (const Value* leaf = PeekLeaf(n, slots, row)) return leaf;
    if (const Value* same = IdentityOf(n, slots, row)) return same;
    const Value* v = new (space.bytes) Value(Eval(n, slots, row));
    return call_.error.set() ? nullptr : v;
  }

  // The record being checked: `row`'s entries and its shape (RecordInfo::shape;
  // 0: none, or keys that repeat). Its fields are found by an index cached per
  // shape and field name.
  // A new subject (a document, a record) for the rules run next.
  void NewSubject() { ++call_.subject; }
  void SetRecordRow(const MapEntry* entries, uint64_t shape) {
    row_entries_ = entries;
    row_shape_ = shape;
  }

  // The passes on (CompiledRule::passes): the evaluator's own read their flag
  // here (decimal lane, regex plans, memos, field slots, ASCII shortcuts).
  void SetPasses(PassSet passes) {
    passes_ = passes;
    call_.ascii_shortcuts = passes.on(Pass::kAsciiShortcuts);
  }
  PassSet passes() const { return passes_; }

  // Version 2: the run's indexes (null: none), and the group a grouped
  // rule's group phase judges (null outside it).
  void SetIndexes(const IndexSet* indexes) { indexes_ = indexes; }
  void SetGroup(const GroupView* group) { group_ = group; }

  const EvalError& error() const { return call_.error; }
  // Forgets the error but not the steps taken: for a shortcut that gives up
  // and lets the full walk evaluate again, and report, within the same budget.
  void DropError() {
    if (call_.error.set()) call_.error = EvalError{};
  }
  void ClearError() {
    if (call_.error.set()) call_.error = EvalError{};
    steps_ = 0;
  }
  Value Fail(DiagCode code, std::string message) { return call_.Fail(code, std::move(message)); }
  Arena& arena() { return call_.arena; }

 private:
  static constexpr size_t kStackSlots = 1 << 14;

  Value EvalBinary(const Node* n, Value* slots, TypedRow row);
  Value EvalIndexRead(const Node* n, Value* slots, TypedRow row);
  // The value of a constant, a name or a typed field without copying it; null
  // for any other node.
  // A kIdentityWhen chain whose every builtin returns a leaf as it is
  // (ident(v) of a digit string): that leaf, not a copy; else null.
  static const Value* IdentityOf(const Node* n, Value* slots, TypedRow row);
  static const Value* PeekLeaf(const Node* n, Value* slots, TypedRow row) {
    switch (n->op) {
      case NodeOp::kConst:
        return &n->constant;
      case NodeOp::kSlot:
        return &slots[n->read_slot()];
      case NodeOp::kRowField:
        return row != nullptr ? row[n->field_index()] : nullptr;
      default:
        return nullptr;
    }
  }
  Value EvalArithmetic(syntax::BinaryOp op, const Value& a, const Value& b);
  // The value of a decimal expression without a Value per step: decimal
  // constants, names and fields, + - * / of such, `x ?? y` inside them, and
  // round(x, N) with a constant N. False when anything else is met (another
  // type, null, an error): the general evaluation then gives the same result
  // or reports the error. For the roots whose result carries no location
  // (arithmetic, round), so the Value built from it is the general one.
  bool EvalDecimal(const Node* n, Value* slots, TypedRow row, Decimal* out);
  // EvalDecimal, leaving the step count as it was when it gives up.
  bool DecimalLane(const Node* n, Value* slots, TypedRow row, Decimal* out);
  Value EvalCompare(syntax::BinaryOp op, const Value& a, const Value& b);
  Value EvalIn(const Value& needle, const Value& haystack);
  // `plan`: what the regex literal `re` can decide without RE2 (or null).
  Value EvalMatches(const Value& subject, const Value& re, const RegexPlan* plan);
  Value EvalMember(const Value& base, std::string_view name);
  Value EvalIndex(const Value& base, const Value& index);
  Value EvalBuiltin(const Node* n, Value* slots, TypedRow row);
  // `b` on evaluated arguments: null policy, the call, the error's prefix.
  Value CallBuiltin(const Builtin& b, const Value* args, size_t count);
  Value EvalIdentityWhen(const Node* n, Value* slots, TypedRow row);
  Value EvalDefCall(const Node* n, Value* slots, TypedRow row);
  // Runs `def` on evaluated arguments in a new frame.
  Value CallDef(const CompiledDef& def, const Value* args, size_t argc);
  Value EvalQuantifier(const Node* n, Value* slots, TypedRow row);
  Value EvalCollection(const Node* n, Value* slots, TypedRow row);
  bool NeedBool(const Value& v, const char* what);

  // Recent `matches` results on short strings. Rules that pick record fields by
  // name (`for key, value in row where key matches /.../`) ask the same question
  // of the same header names on every record; the text is compared in full, so a
  // hit is always exact.
  struct MatchMemo {
    const re2::RE2* re = nullptr;
    uint32_t size = 0;
    bool result = false;
    char text[48];
  };
  static constexpr size_t kMemoSize = 256;

  // Recent calls of one- and two-argument defs. Defs are pure, so the same
  // arguments give the same result; "the same" is identity (type, value, text
  // address, location and path), since results carry their argument's location.
  // Entries are valid while the scratch arena keeps its generation.
  struct DefMemo {
    const CompiledDef* def = nullptr;
    uint64_t generation = 0;
    Value args[2];
    Value result;
  };
  static constexpr size_t kDefMemoSize = 64;
  std::vector<DefMemo> def_memo_;  // kDefMemoSize entries once the first def runs
  std::vector<MatchMemo> memo_;    // kMemoSize entries once the first match runs

  // Indexes of fields looked up by name in rows of a shape, by the name's
  // address (rule constants). A hit is checked against the entry's key; keys
  // are unique in a row that has a shape, so that entry is the one.
  struct FieldSlot {
    uint64_t shape = 0;
    const char* name = nullptr;
    uint32_t size = 0;
    uint32_t index = 0;
  };
  static constexpr size_t kFieldSlots = 32;
  FieldSlot field_slots_[kFieldSlots];
  const MapEntry* row_entries_ = nullptr;
  uint64_t row_shape_ = 0;
  const Value* FindRowField(std::span<const MapEntry> row, std::string_view name);

  CallContext call_;
  PassSet passes_ = PassSet::All();
  const IndexSet* indexes_ = nullptr;
  const GroupView* group_ = nullptr;
  std::string index_key_;     // scratch for the key bytes of a lookup
  std::vector<Value> stack_;  // frames of def calls: kStackSlots once the first def runs
  size_t stack_top_ = 0;
  uint64_t steps_ = 0;
};

}  // namespace policy::eval
