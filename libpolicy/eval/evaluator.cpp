#include "libpolicy/eval/evaluator.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <cstring>

#include "libpolicy/eval/builtins/support.h"
#include "libpolicy/eval/group_table.h"
#include "libpolicy/eval/index_table.h"
#include "libpolicy/eval/kept_value.h"
#include "libpolicy/hash.h"

namespace policy::eval {
namespace {

using syntax::BinaryOp;

std::string Describe(const Value& v) { return std::string(TypeName(v.type())); }

DiagCode DecimalError(DecimalStatus s) {
  switch (s) {
    case DecimalStatus::kOverflow:
      return DiagCode::kDecimalOverflow;
    case DecimalStatus::kDivisionByZero:
      return DiagCode::kDecimalDivisionByZero;
    default:
      return DiagCode::kDecimalInvalid;
  }
}

bool IsArithmetic(BinaryOp op) {
  return op == BinaryOp::kAdd || op == BinaryOp::kSub || op == BinaryOp::kMul ||
         op == BinaryOp::kDiv;
}

}  // namespace

bool Evaluator::DecimalLane(const Node* n, Value* slots, TypedRow row, Decimal* out) {
  if (!passes_.on(Pass::kDecimalLane)) return false;
  const uint64_t steps = steps_;
  if (EvalDecimal(n, slots, row, out)) return true;
  steps_ = steps;  // the general path counts them again
  return false;
}

bool Evaluator::EvalDecimal(const Node* n, Value* slots, TypedRow row, Decimal* out) {
  if (++steps_ > kMaxSteps) return false;  // the general path reports it
  switch (n->op) {
    case NodeOp::kConst:
    case NodeOp::kSlot:
    case NodeOp::kRowField: {
      const Value* v = PeekLeaf(n, slots, row);
      if (v == nullptr || !v->is(Type::kDecimal)) return false;
      *out = v->as_decimal();
      return true;
    }
    case NodeOp::kBinary: {
      if (n->binary == BinaryOp::kCoalesce) {
        const Value* a = PeekLeaf(n->args[0], slots, row);
        if (a == nullptr) return false;
        if (a->is_null()) return EvalDecimal(n->args[1], slots, row, out);
        if (!a->is(Type::kDecimal)) return false;
        *out = a->as_decimal();
        return true;
      }
      if (!IsArithmetic(n->binary)) return false;
      // Leaves (half the operands) are read here, without a call.
      auto operand = [&](const Node* arg, Decimal* d) {
        if (const Value* v = PeekLeaf(arg, slots, row)) {
          if (!v->is(Type::kDecimal)) return false;
          ++steps_;
          *d = v->as_decimal();
          return true;
        }
        return EvalDecimal(arg, slots, row, d);
      };
      Decimal a, b;
      if (!operand(n->args[0], &a) || !operand(n->args[1], &b)) return false;
      DecimalStatus status = DecimalStatus::kOk;
      switch (n->binary) {
        case BinaryOp::kAdd:
          status = Decimal::Add(a, b, out);
          break;
        case BinaryOp::kSub:
          status = Decimal::Sub(a, b, out);
          break;
        case BinaryOp::kMul:
          status = Decimal::Mul(a, b, out);
          break;
        default:
          status = Decimal::Div(a, b, out);
          break;
      }
      return status == DecimalStatus::kOk;
    }
    case NodeOp::kBuiltin: {
      // round(x, N): the default mode, N a constant integer.
      if (!Lowers(n->builtin, Lowering::kRound) || n->args.size() != 2 ||
          n->args[1]->op != NodeOp::kConst || !n->args[1]->constant.is(Type::kDecimal))
        return false;
      const std::optional<int64_t> digits = n->args[1]->constant.as_decimal().ToInt64();
      Decimal x;
      if (!digits || *digits < -Decimal::kMaxScale || *digits > Decimal::kMaxScale ||
          !EvalDecimal(n->args[0], slots, row, &x))
        return false;
      return x.Round(static_cast<int>(*digits), Rounding::kHalfAwayFromZero, out) ==
             DecimalStatus::kOk;
    }
    default:
      return false;
  }
}

bool Evaluator::NeedBool(const Value& v, const char* what) {
  if (v.is(Type::kBool)) return true;
  Fail(DiagCode::kTypeNotBool, fmt::format("{} needs a bool, got {}", what, Describe(v)));
  return false;
}

Value Evaluator::Eval(const Node* n, Value* slots, TypedRow row) {
  if (call_.error.set()) return Value::Null();
  if (++steps_ > kMaxSteps)
    return Fail(DiagCode::kLimitSteps, "evaluation exceeded its step budget");
  switch (n->op) {
    case NodeOp::kConst:
      return n->constant;
    case NodeOp::kSlot:
      return slots[n->read_slot()];
    case NodeOp::kRowField: {
      if (row != nullptr) return *row[n->field_index()];
      return Value::Null().WithOriginOf(slots[kSlotSubject]);
    }
    case NodeOp::kMember: {
      Value base = EvalOperand(n->args[0], slots, row);
      return EvalMember(base, n->name);
    }
    case NodeOp::kIndex: {
      Value base = EvalOperand(n->args[0], slots, row);
      Value index = EvalOperand(n->args[1], slots, row);
      if (call_.error.set()) return Value::Null();
      return EvalIndex(base, index);
    }
    case NodeOp::kBuiltin: {
      Decimal d;
      if (Lowers(n->builtin, Lowering::kRound) && DecimalLane(n, slots, row, &d))
        return Value::Number(d);
      return EvalBuiltin(n, slots, row);
    }
    case NodeOp::kDefCall:
      return EvalDefCall(n, slots, row);
    case NodeOp::kNegate: {
      Value a = EvalOperand(n->args[0], slots, row);
      if (a.is_null() || call_.error.set()) return Value::Null();
      if (!a.is(Type::kDecimal))
        return Fail(DiagCode::kTypeMismatch, "'-' needs a decimal, got " + Describe(a));
      return Value::Number(a.as_decimal().Negate());
    }
    case NodeOp::kBinary: {
      Decimal d;
      if (IsArithmetic(n->binary) && DecimalLane(n, slots, row, &d)) return Value::Number(d);
      if (n->binary == BinaryOp::kCoalesce) {
        // `row.rate ?? default`: the leaf itself when it is there.
        const Value* a = PeekLeaf(n->args[0], slots, row);
        if (a != nullptr && !a->is_null()) return *a;
      }
      return EvalBinary(n, slots, row);
    }
    case NodeOp::kIf: {
      Value c = Eval(n->args[0], slots, row);
      if (call_.error.set() || !NeedBool(c, "'if'")) return Value::Null();
      return Eval(n->args[c.as_bool() ? 1 : 2], slots, row);
    }
    case NodeOp::kQuantifier:
      return EvalQuantifier(n, slots, row);
    case NodeOp::kList:
    case NodeOp::kMap:
      return EvalCollection(n, slots, row);
    case NodeOp::kIdentityWhen:
      return EvalIdentityWhen(n, slots, row);
    case NodeOp::kNot:
    case NodeOp::kAnd:
    case NodeOp::kOr:
    case NodeOp::kIsNull:
    case NodeOp::kTrimEmpty:
    case NodeOp::kPresent:
    case NodeOp::kNoneNull:
    case NodeOp::kTypeIs: {
      const bool r = Test(n, slots, row, nullptr);
      if (call_.error.set()) return Value::Null();
      return Value::Bool(r);
    }
    case NodeOp::kIndexHas:
    case NodeOp::kIndexGet:
      return EvalIndexRead(n, slots, row);
    case NodeOp::kGroupKey:
      if (group_ == nullptr || static_cast<size_t>(n->slot) >= group_->keys.size())
        return Fail(DiagCode::kInternal, "a group key read outside a group");
      return group_->keys[static_cast<size_t>(n->slot)];
    case NodeOp::kAggregate: {
      const auto a = static_cast<size_t>(n->slot);
      if (group_ == nullptr || a >= group_->results.size())
        return Fail(DiagCode::kInternal, "an aggregate read outside a group");
      if (group_->errors != nullptr && a < group_->errors->size() && !(*group_->errors)[a].empty())
        return Fail(DiagCode::kTypeMismatch, (*group_->errors)[a]);
      return group_->results[a];
    }
  }
  return Value::Null();
}

Value Evaluator::EvalIndexRead(const Node* n, Value* slots, TypedRow row) {
  const IndexTable* table =
      indexes_ != nullptr ? indexes_->at(static_cast<size_t>(n->slot)) : nullptr;
  if (table == nullptr)
    return Fail(DiagCode::kInternal, fmt::format("index {} was not built", n->name));
  ValueSpace space;
  const Value* key = Operand(n->args[0], slots, row, space);
  if (key == nullptr) return Value::Null();
  if (key->is(Type::kList) || key->is(Type::kMap))
    return Fail(DiagCode::kTypeMismatch, fmt::format("index {} is keyed by scalars, not {}",
                                                     n->name, TypeName(key->type())));
  std::string& bytes = index_key_;
  bytes.clear();
  AppendKeyBytes(*key, bytes);
  if (n->op == NodeOp::kIndexHas) return Value::Bool(!key->is_null() && table->Has(bytes));
  if (key->is_null()) return Value::Null();
  const Value* entry = table->Find(bytes);
  return entry != nullptr ? *entry : Value::Null();
}

bool Evaluator::Test(const Node* n, Value* slots, TypedRow row, const char* what) {
  switch (n->op) {
    case NodeOp::kAnd:
    case NodeOp::kOr: {
      ++steps_;
      const bool is_and = n->op == NodeOp::kAnd;
      const char* mine = is_and ? "'and'" : "'or'";
      const bool a = Test(n->args[0], slots, row, mine);
      if (call_.error.set()) return false;
      if (a != is_and) return !is_and;
      const bool b = Test(n->args[1], slots, row, mine);
      return call_.error.set() ? false : b;
    }
    case NodeOp::kNot: {
      ++steps_;
      const bool a = Test(n->args[0], slots, row, "'not'");
      return call_.error.set() ? false : !a;
    }
    case NodeOp::kNoneNull: {
      steps_ += n->args.size();
      for (const Node* leaf : n->args) {
        // A typed field without a schema row reads as null, as Eval has it.
        const Value* x = PeekLeaf(leaf, slots, row);
        if (x == nullptr || x->is_null()) return false;
      }
      return true;
    }
    case NodeOp::kPresent: {
      ++steps_;
      const Value* x = PeekLeaf(n->args[0], slots, row);
      if (x != nullptr && x->is_null()) return false;
      if (x != nullptr && x->is(Type::kString)) return !IsBlank(x->as_string());
      if (x != nullptr && n->others_present()) return true;  // a number, date, ...: not text
      return Test(n->args[1], slots, row, what);             // the full condition
    }
    case NodeOp::kIsNull:
    case NodeOp::kTrimEmpty:
    case NodeOp::kTypeIs: {
      ++steps_;
      ValueSpace space;
      const Value* x = Operand(n->args[0], slots, row, space);
      if (x == nullptr) return false;
      if (n->op == NodeOp::kIsNull) return x->is_null() == n->tests_equal();
      if (n->op == NodeOp::kTypeIs)
        return (static_cast<int>(x->type()) == n->tested_type()) == n->type_equal();
      if (x->is(Type::kString)) return IsBlank(x->as_string()) == n->tests_equal();
      return Test(n->args[1], slots, row, what);  // the full comparison
    }
    case NodeOp::kBinary:
      if (n->binary == syntax::BinaryOp::kEq || n->binary == syntax::BinaryOp::kNe) {
        // Comparisons of fields and names: no copies, no Value for the result.
        ++steps_;
        ValueSpace left_space, right_space;
        const Value* a = Operand(n->args[0], slots, row, left_space);
        if (a == nullptr) return false;
        const Value* b = Operand(n->args[1], slots, row, right_space);
        if (b == nullptr) return false;
        const bool eq = a->is_null() || b->is_null() ? a->type() == b->type() : Equal(*a, *b);
        return eq == (n->binary == syntax::BinaryOp::kEq);
      }
      if (n->binary == syntax::BinaryOp::kMatches && n->args[1]->op == NodeOp::kConst) {
        // `x matches /re/`: no Values for the regex or the result.
        ++steps_;
        ValueSpace space;
        const Value* x = Operand(n->args[0], slots, row, space);
        if (x == nullptr) return false;
        const Value r = EvalMatches(*x, n->args[1]->constant, n->args[1]->regex_plan());
        return call_.error.set() ? false : r.as_bool();
      }
      [[fallthrough]];
    default: {
      const Value v = Eval(n, slots, row);
      if (call_.error.set()) return false;
      if (!v.is(Type::kBool)) {
        Fail(DiagCode::kTypeNotBool, fmt::format("{} needs a bool, got {}",
                                                 what != nullptr ? what : "a test", Describe(v)));
        return false;
      }
      return v.as_bool();
    }
  }
}

Value Evaluator::EvalCollection(const Node* n, Value* slots, TypedRow row) {
  if (n->op == NodeOp::kList) {
    Value* items = arena().AllocateArray<Value>(n->args.size());
    for (size_t i = 0; i < n->args.size(); ++i) {
      new (&items[i]) Value(Eval(n->args[i], slots, row));
    }
    return Value::List(items, static_cast<uint32_t>(n->args.size()));
  }
  size_t count = n->args.size() / 2;
  MapEntry* entries = arena().AllocateArray<MapEntry>(count);
  for (size_t i = 0; i < count; ++i) {
    Value k = Eval(n->args[2 * i], slots, row);
    Value v = Eval(n->args[2 * i + 1], slots, row);
    if (call_.error.set()) return Value::Null();
    if (!k.is(Type::kString)) return Fail(DiagCode::kTypeMismatch, "map keys must be strings");
    new (&entries[i]) MapEntry{k.as_string(), v};
  }
  return Value::Map(entries, static_cast<uint32_t>(count));
}

const Value* Evaluator::FindRowField(std::span<const MapEntry> row, std::string_view name) {
  const uint64_t h = (reinterpret_cast<uintptr_t>(name.data()) >> 3) ^ name.size() ^ row_shape_;
  FieldSlot& slot = field_slots_[(h ^ (h >> 7)) % kFieldSlots];
  if (slot.shape == row_shape_ && slot.name == name.data() && slot.size == name.size() &&
      slot.index < row.size() && row[slot.index].key == name)
    return &row[slot.index].value;
  for (uint32_t i = 0; i < row.size(); ++i) {
    if (row[i].key == name) {
      slot = FieldSlot{row_shape_, name.data(), static_cast<uint32_t>(name.size()), i};
      return &row[i].value;
    }
  }
  return nullptr;
}

Value Evaluator::EvalMember(const Value& base, std::string_view name) {
  if (base.is(Type::kMap)) {
    auto map = base.as_map();
    const Value* v = map.data() == row_entries_ && row_shape_ != 0 && !name.empty() &&
                             passes_.on(Pass::kFieldSlots)
                         ? FindRowField(map, name)
                         : base.Find(name);
    if (v != nullptr) return *v;
  }
  // A missing key (or navigation through anything but a map) is null, located
  // at the nearest existing ancestor.
  return Value::Null().WithOriginOf(base);
}

Value Evaluator::EvalIndex(const Value& base, const Value& index) {
  if (base.is(Type::kMap)) {
    if (!index.is(Type::kString)) {
      if (index.is_null()) return Value::Null().WithOriginOf(base);
      return Fail(DiagCode::kTypeMismatch, "a map index must be a string, got " + Describe(index));
    }
    return EvalMember(base, index.as_string());
  }
  if (base.is(Type::kList)) {
    if (!index.is(Type::kDecimal) || !index.as_decimal().ToInt64() ||
        *index.as_decimal().ToInt64() < 0) {
      return Fail(DiagCode::kValueInvalidIndex,
                  "a list index must be an integer >= 0, got " + ToText(index));
    }
    int64_t i = *index.as_decimal().ToInt64();
    auto items = base.as_list();
    if (static_cast<uint64_t>(i) < items.size()) return items[static_cast<size_t>(i)];
    return Value::Null().WithOriginOf(base);
  }
  if (!base.is_null() && !index.is(Type::kString) &&
      !(index.is(Type::kDecimal) && index.as_decimal().ToInt64() &&
        *index.as_decimal().ToInt64() >= 0)) {
    return Fail(DiagCode::kValueInvalidIndex, "invalid index " + ToText(index));
  }
  return Value::Null().WithOriginOf(base);
}

Value Evaluator::EvalBinary(const Node* n, Value* slots, TypedRow row) {
  BinaryOp op = n->binary;
  switch (op) {
    case BinaryOp::kAnd:
    case BinaryOp::kOr:
    case BinaryOp::kImplies: {
      Value a = EvalOperand(n->args[0], slots, row);
      const char* what = op == BinaryOp::kAnd  ? "'and'"
                         : op == BinaryOp::kOr ? "'or'"
                                               : "'implies'";
      if (call_.error.set() || !NeedBool(a, what)) return Value::Null();
      bool short_value = op == BinaryOp::kAnd ? false : true;
      bool a_decides = op == BinaryOp::kAnd  ? !a.as_bool()
                       : op == BinaryOp::kOr ? a.as_bool()
                                             : !a.as_bool();
      if (a_decides) return Value::Bool(short_value);
      Value b = EvalOperand(n->args[1], slots, row);
      if (call_.error.set() || !NeedBool(b, what)) return Value::Null();
      return Value::Bool(b.as_bool());
    }
    case BinaryOp::kCoalesce: {
      ValueSpace space;
      const Value* a = Operand(n->args[0], slots, row, space);
      if (a == nullptr) return Value::Null();
      return a->is_null() ? Eval(n->args[1], slots, row) : *a;
    }
    case BinaryOp::kEq:
    case BinaryOp::kNe: {
      // `type(x) == "string"` picks values in many rules: compare the type's
      // name without calling type() and building its result.
      const Node* l = n->args[0];
      const Node* r = n->args[1];
      if (l->op == NodeOp::kBuiltin && Lowers(l->builtin, Lowering::kTypeName) &&
          r->op == NodeOp::kConst && r->constant.is(Type::kString) &&
          passes_.on(Pass::kLowerTests)) {
        Value x = EvalOperand(l->args[0], slots, row);
        if (call_.error.set()) return Value::Null();
        bool eq = TypeName(x.type()) == r->constant.as_string();
        return Value::Bool(op == BinaryOp::kEq ? eq : !eq);
      }
      break;
    }
    default:
      break;
  }
  // Operands read in place when they are names, fields or constants.
  ValueSpace left_space, right_space;
  const Value* left = Operand(n->args[0], slots, row, left_space);
  if (left == nullptr) return Value::Null();
  const Value* right = Operand(n->args[1], slots, row, right_space);
  if (right == nullptr) return Value::Null();
  const Value& a = *left;
  const Value& b = *right;
  switch (op) {
    case BinaryOp::kEq:
    case BinaryOp::kNe: {
      // `x != null` guards are everywhere: answer them without the general Equal.
      bool eq = a.is_null() || b.is_null() ? a.type() == b.type() : Equal(a, b);
      return Value::Bool(op == BinaryOp::kEq ? eq : !eq);
    }
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe:
      return EvalCompare(op, a, b);
    case BinaryOp::kIn:
      return EvalIn(a, b);
    case BinaryOp::kNotIn: {
      Value r = EvalIn(a, b);
      return r.is(Type::kBool) ? Value::Bool(!r.as_bool()) : r;
    }
    case BinaryOp::kMatches:
      return EvalMatches(a, b,
                         n->args[1]->op == NodeOp::kConst ? n->args[1]->regex_plan() : nullptr);
    default:
      return EvalArithmetic(op, a, b);
  }
}

Value Evaluator::EvalCompare(BinaryOp op, const Value& a, const Value& b) {
  int c = 0;
  if (a.is(Type::kDecimal) && b.is(Type::kDecimal)) {
    auto o = a.as_decimal() <=> b.as_decimal();
    c = o < 0 ? -1 : o > 0 ? 1 : 0;
  } else if (a.is(Type::kString) && b.is(Type::kString)) {
    // Byte order of UTF-8 is code-point order.
    int r = a.as_string().compare(b.as_string());
    c = r < 0 ? -1 : r > 0 ? 1 : 0;
  } else if (a.is(Type::kDate) && b.is(Type::kDate)) {
    c = a.as_date() < b.as_date() ? -1 : a.as_date() > b.as_date() ? 1 : 0;
  } else {
    return Fail(DiagCode::kTypeOrdering,
                fmt::format("cannot order {} and {}", Describe(a), Describe(b)));
  }
  switch (op) {
    case BinaryOp::kLt:
      return Value::Bool(c < 0);
    case BinaryOp::kLe:
      return Value::Bool(c <= 0);
    case BinaryOp::kGt:
      return Value::Bool(c > 0);
    default:
      return Value::Bool(c >= 0);
  }
}

Value Evaluator::EvalIn(const Value& needle, const Value& haystack) {
  switch (haystack.type()) {
    case Type::kNull:
      return Value::Bool(false);
    case Type::kList:
      for (const Value& v : haystack.as_list())
        if (Equal(v, needle)) return Value::Bool(true);
      return Value::Bool(false);
    case Type::kMap:
      if (!needle.is(Type::kString)) return Value::Bool(false);
      return Value::Bool(haystack.Find(needle.as_string()) != nullptr);
    case Type::kString:
      if (needle.is_null()) return Value::Bool(false);
      if (!needle.is(Type::kString))
        return Fail(DiagCode::kTypeMismatch,
                    "'in' a string needs a string, got " + Describe(needle));
      return Value::Bool(haystack.as_string().find(needle.as_string()) != std::string_view::npos);
    default:
      return Fail(DiagCode::kTypeMismatch,
                  "'in' needs a list, map or string, got " + Describe(haystack));
  }
}

Value Evaluator::EvalMatches(const Value& subject, const Value& re, const RegexPlan* plan) {
  if (subject.is_null()) return Value::Bool(false);
  if (!subject.is(Type::kString))
    return Fail(DiagCode::kTypeMismatch, "'matches' needs a string, got " + Describe(subject));
  if (plan != nullptr && passes_.on(Pass::kRegexPlans))
    if (std::optional<bool> r = plan->Match(subject.as_string())) return Value::Bool(*r);
  if (!re.is(Type::kRegex)) return Fail(DiagCode::kTypeMismatch, "'matches' needs a regex");
  std::string_view s = subject.as_string();
  const RE2* regex = re.as_regex();
  if (s.size() > sizeof(MatchMemo::text) || !passes_.on(Pass::kMatchMemo))
    return Value::Bool(RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *regex));
  if (memo_.empty()) memo_.resize(kMemoSize);
  const uint64_t h = HashBytes(s.data(), s.size(), reinterpret_cast<uintptr_t>(regex));
  MatchMemo& m = memo_[h % kMemoSize];
  if (m.re == regex && m.size == s.size() &&
      (s.empty() || std::memcmp(m.text, s.data(), s.size()) == 0))
    return Value::Bool(m.result);
  bool result = RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *regex);
  m.re = regex;
  m.size = static_cast<uint32_t>(s.size());
  m.result = result;
  if (!s.empty()) std::memcpy(m.text, s.data(), s.size());
  return Value::Bool(result);
}

Value Evaluator::EvalArithmetic(BinaryOp op, const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return Value::Null();
  const char* sym = syntax::BinaryOpText(op);
  if (a.is(Type::kDecimal) && b.is(Type::kDecimal)) {
    Decimal out;
    DecimalStatus s = DecimalStatus::kOk;
    switch (op) {
      case BinaryOp::kAdd:
        s = Decimal::Add(a.as_decimal(), b.as_decimal(), &out);
        break;
      case BinaryOp::kSub:
        s = Decimal::Sub(a.as_decimal(), b.as_decimal(), &out);
        break;
      case BinaryOp::kMul:
        s = Decimal::Mul(a.as_decimal(), b.as_decimal(), &out);
        break;
      case BinaryOp::kDiv:
        s = Decimal::Div(a.as_decimal(), b.as_decimal(), &out);
        break;
      case BinaryOp::kMod:
        s = Decimal::Mod(a.as_decimal(), b.as_decimal(), &out);
        break;
      default:
        break;
    }
    if (s != DecimalStatus::kOk) {
      return Fail(DecimalError(s),
                  s == DecimalStatus::kDivisionByZero
                      ? "division by zero"
                      : fmt::format("{} {} {} overflows", a.as_decimal().ToString(), sym,
                                    b.as_decimal().ToString()));
    }
    return Value::Number(out);
  }
  if (op == BinaryOp::kAdd && a.is(Type::kString) && b.is(Type::kString)) {
    std::string_view x = a.as_string(), y = b.as_string();
    char* p = static_cast<char*>(arena().Allocate(x.size() + y.size(), 1));
    std::copy(x.begin(), x.end(), p);
    std::copy(y.begin(), y.end(), p + x.size());
    return Value::String({p, x.size() + y.size()});
  }
  if (op == BinaryOp::kAdd && a.is(Type::kList) && b.is(Type::kList)) {
    auto x = a.as_list(), y = b.as_list();
    Value* items = arena().AllocateArray<Value>(x.size() + y.size());
    std::copy(x.begin(), x.end(), items);
    std::copy(y.begin(), y.end(), items + x.size());
    return Value::List(items, static_cast<uint32_t>(x.size() + y.size()));
  }
  if (a.is(Type::kDate) && (op == BinaryOp::kAdd || op == BinaryOp::kSub)) {
    if (b.is(Type::kDate) && op == BinaryOp::kSub) {
      return Value::Number(Decimal::FromInt(a.as_date().days() - b.as_date().days()));
    }
    if (b.is(Type::kDecimal)) {
      std::optional<int64_t> days = b.as_decimal().ToInt64();
      if (!days)
        return Fail(DiagCode::kTypeMismatch,
                    "a date moves by a whole number of days, got " + b.as_decimal().ToString());
      std::optional<Date> r = a.as_date().AddDays(op == BinaryOp::kAdd ? *days : -*days);
      if (!r) return Fail(DiagCode::kValueOutOfRange, "date out of range 0001..9999");
      return Value::OfDate(*r);
    }
  }
  if (op == BinaryOp::kAdd && a.is(Type::kDecimal) && b.is(Type::kDate))
    return EvalArithmetic(op, b, a);
  return Fail(DiagCode::kTypeMismatch,
              fmt::format("cannot apply '{}' to {} and {}", sym, Describe(a), Describe(b)));
}

Value Evaluator::EvalBuiltin(const Node* n, Value* slots, TypedRow row) {
  // Raw storage: default-constructing the whole array on every call is measurable.
  constexpr size_t kMaxArgs = 16;
  alignas(Value) unsigned char storage[kMaxArgs * sizeof(Value)];
  Value* args = reinterpret_cast<Value*>(storage);
  size_t count = std::min(n->args.size(), kMaxArgs);
  for (size_t i = 0; i < count; ++i) {
    new (&args[i]) Value(EvalOperand(n->args[i], slots, row));
    if (call_.error.set()) return Value::Null();
  }
  return CallBuiltin(n->callee(), args, count);
}

Value Evaluator::CallBuiltin(const Builtin& b, const Value* args, size_t count) {
  if (b.nulls == NullPolicy::kFalse && count > 0 && args[0].is_null()) return Value::Bool(false);
  if (b.nulls == NullPolicy::kPropagate) {
    for (size_t i = 0; i < count; ++i)
      if (args[i].is_null()) return Value::Null();
  }
  Value r = b.fn(std::span<const Value>(args, count), call_);
  if (call_.error.set() && call_.error.message.find(b.name) == std::string::npos) {
    call_.error.message = std::string(b.name) + ": " + call_.error.message;
  }
  return r;
}

namespace {

// IdentityWhen predicates: the builtin returns its argument unchanged.
bool IdentityHolds(IdentityWhen when, const Value& x) {
  if (!x.is(Type::kString)) return false;
  const std::string_view s = x.as_string();
  switch (when) {
    case IdentityWhen::kText:
      return true;
    case IdentityWhen::kAsciiText:
      return IsAsciiString(x);
    case IdentityWhen::kAsciiWithoutSeparators:
      if (IsAsciiDigits(s)) return true;  // identifiers: the common case
      for (char ch : s) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (c >= 0x80 || c <= ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')')
          return false;
      }
      return true;
    case IdentityWhen::kNever:
      return false;
    case IdentityWhen::kVisibleAsciiEnds: {
      auto visible = [](char c) { return c > ' ' && static_cast<unsigned char>(c) < 0x80; };
      return s.empty() || (visible(s.front()) && visible(s.back()));
    }
  }
  return false;
}

}  // namespace

const Value* Evaluator::IdentityOf(const Node* n, Value* slots, TypedRow row) {
  if (n->op != NodeOp::kIdentityWhen) return nullptr;
  const Value* x = PeekLeaf(n->args[0], slots, row);
  if (x == nullptr || !IdentityHolds(n->identity_when(), *x)) return nullptr;
  for (const auto& stage : n->stages)
    if (!IdentityHolds(static_cast<IdentityWhen>(stage.second), *x)) return nullptr;
  return x;
}

Value Evaluator::EvalIdentityWhen(const Node* n, Value* slots, TypedRow row) {
  ValueSpace space;
  const Value* x = Operand(n->args[0], slots, row, space);
  if (x == nullptr) return Value::Null();
  Value r = IdentityHolds(n->identity_when(), *x) ? *x : CallBuiltin(n->callee(), x, 1);
  for (const auto& [builtin, when] : n->stages) {
    if (call_.error.set()) return Value::Null();
    if (!IdentityHolds(static_cast<IdentityWhen>(when), r)) r = CallBuiltin(*builtin, &r, 1);
  }
  return r;
}

namespace {

uint64_t IdentityHash(const Value& v) {
  uint64_t h = static_cast<uint64_t>(v.type()) * 31 + v.loc().line * 131 + v.loc().column;
  switch (v.type()) {
    case Type::kString:
      return h ^ reinterpret_cast<uintptr_t>(v.as_string().data()) ^ v.as_string().size();
    case Type::kDecimal:
      return h ^ static_cast<uint64_t>(v.as_decimal().coefficient());
    case Type::kBool:
      return h ^ static_cast<uint64_t>(v.as_bool());
    case Type::kDate:
      return h ^ static_cast<uint64_t>(v.as_date().days());
    case Type::kList:
      return h ^ reinterpret_cast<uintptr_t>(v.as_list().data());
    case Type::kMap:
      return h ^ reinterpret_cast<uintptr_t>(v.as_map().data());
    default:
      return h;
  }
}

bool SameLoc(const Loc& a, const Loc& b) {
  return a.line == b.line && a.column == b.column && a.end_line == b.end_line &&
         a.end_column == b.end_column && a.file == b.file;
}

// The same value, written in the same place: a def returns the same result for it.
bool SameIdentity(const Value& a, const Value& b) {
  if (a.type() != b.type() || !SameLoc(a.loc(), b.loc()) || a.path() != b.path() ||
      a.flags() != b.flags())
    return false;
  switch (a.type()) {
    case Type::kNull:
      return true;
    case Type::kBool:
      return a.as_bool() == b.as_bool();
    case Type::kDecimal:
      return a.as_decimal().coefficient() == b.as_decimal().coefficient() &&
             a.as_decimal().scale() == b.as_decimal().scale();
    case Type::kString:
      return a.as_string().data() == b.as_string().data() &&
             a.as_string().size() == b.as_string().size();
    case Type::kDate:
      return a.as_date() == b.as_date();
    case Type::kList:
      return a.as_list().data() == b.as_list().data() && a.as_list().size() == b.as_list().size();
    case Type::kMap:
      return a.as_map().data() == b.as_map().data() && a.as_map().size() == b.as_map().size();
    case Type::kRegex:
      return a.as_regex() == b.as_regex();
  }
  return false;
}

}  // namespace

Value Evaluator::CallDef(const CompiledDef& def, const Value* args, size_t argc) {
  if (stack_.empty()) stack_.resize(kStackSlots);
  if (stack_top_ + static_cast<size_t>(def.num_slots) > stack_.size())
    return Fail(DiagCode::kLimitDepth, "def calls nest too deeply");
  Value* frame = stack_.data() + stack_top_;
  stack_top_ += static_cast<size_t>(def.num_slots);
  for (int i = 0; i < def.num_slots; ++i) frame[i] = Value();
  for (size_t i = 0; i < argc; ++i) frame[i] = args[i];
  Value r = Eval(def.body, frame, nullptr);
  stack_top_ -= static_cast<size_t>(def.num_slots);
  return r;
}

Value Evaluator::EvalDefCall(const Node* n, Value* slots, TypedRow row) {
  const CompiledDef& def = n->called_def();
  // Allocated on first use (never resized later: frames point into it), so
  // evaluators that fold constants at compile time stay cheap.
  if (stack_.empty()) stack_.resize(kStackSlots);
  if (stack_top_ + static_cast<size_t>(def.num_slots) > stack_.size())
    return Fail(DiagCode::kLimitDepth, "def calls nest too deeply");
  // One- and two-argument defs are remembered by their arguments' identity.
  const size_t argc = n->args.size();
  if (argc >= 1 && argc <= 2 && passes_.on(Pass::kDefMemo)) {
    Value args[2];
    for (size_t i = 0; i < argc; ++i) {
      args[i] = EvalOperand(n->args[i], slots, row);
      if (call_.error.set()) return Value::Null();
    }
    if (def_memo_.empty()) def_memo_.resize(kDefMemoSize);
    uint64_t h = reinterpret_cast<uintptr_t>(&def) * 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < argc; ++i) h = (h ^ IdentityHash(args[i])) * 1099511628211ull;
    DefMemo& m = def_memo_[(h >> 40) % kDefMemoSize];
    const uint64_t generation = arena().generation();
    if (m.def == &def && m.generation == generation && SameIdentity(m.args[0], args[0]) &&
        (argc == 1 || SameIdentity(m.args[1], args[1])))
      return m.result;
    Value r = CallDef(def, args, argc);
    if (!call_.error.set()) {
      m.def = &def;
      m.generation = generation;
      m.args[0] = args[0];
      m.args[1] = argc == 2 ? args[1] : Value();
      m.result = r;
    }
    return r;
  }
  // Claim the frame before evaluating the arguments: an argument may call a def
  // itself, and its frame must go above this one.
  Value* frame = stack_.data() + stack_top_;
  stack_top_ += static_cast<size_t>(def.num_slots);
  for (int i = 0; i < def.num_slots; ++i) frame[i] = Value();
  Value r;
  bool ok = true;
  for (size_t i = 0; i < n->args.size() && ok; ++i) {
    frame[i] = EvalOperand(n->args[i], slots, row);
    ok = !call_.error.set();
  }
  if (ok) r = Eval(def.body, frame, nullptr);
  stack_top_ -= static_cast<size_t>(def.num_slots);
  return r;
}

Value Evaluator::EvalQuantifier(const Node* n, Value* slots, TypedRow row) {
  Value coll = Eval(n->args[0], slots, row);
  if (call_.error.set()) return Value::Null();
  const int binder = n->binder(), binder2 = n->binder2();
  const bool two = binder2 >= 0;
  int64_t count = 0;
  bool any = false, all = true;
  auto visit = [&](const Value& first, const Value& second) -> bool {
    if (two) {
      slots[binder] = first;
      slots[binder2] = second;
    } else {
      slots[binder] = first;
    }
    Value body = Eval(n->args[1], slots, row);
    if (call_.error.set() || !NeedBool(body, "a quantifier's body")) return false;
    if (body.as_bool()) {
      ++count;
      any = true;
    } else {
      all = false;
    }
    // all/any/none can stop at the first decisive element.
    switch (n->quant) {
      case syntax::Quantifier::kAll:
        return all;
      case syntax::Quantifier::kAny:
      case syntax::Quantifier::kNone:
        return !any;
      case syntax::Quantifier::kCount:
        return true;
    }
    return true;
  };
  if (coll.is(Type::kList)) {
    auto items = coll.as_list();
    for (size_t i = 0; i < items.size(); ++i) {
      ++steps_;
      Value first = two ? Value::Number(Decimal::FromInt(static_cast<int64_t>(i))) : items[i];
      if (!visit(first, items[i])) break;
    }
  } else if (coll.is(Type::kMap)) {
    for (const MapEntry& e : coll.as_map()) {
      ++steps_;
      Value key = Value::String(e.key).WithOriginOf(e.value);
      if (!visit(key, e.value)) break;
    }
  } else if (!coll.is_null()) {
    return Fail(DiagCode::kTypeNotIterable, "cannot iterate over " + Describe(coll));
  }
  if (call_.error.set()) return Value::Null();
  switch (n->quant) {
    case syntax::Quantifier::kAll:
      return Value::Bool(all);
    case syntax::Quantifier::kAny:
      return Value::Bool(any);
    case syntax::Quantifier::kNone:
      return Value::Bool(!any);
    case syntax::Quantifier::kCount:
      return Value::Number(Decimal::FromInt(count));
  }
  return Value::Null();
}

}  // namespace policy::eval
