#include "libpolicy/check/specialize.h"

#include <map>

#include "libpolicy/eval/evaluator.h"

namespace policy::check {
namespace {

using eval::Node;
using eval::NodeOp;

// The largest constant collection a `for` is unrolled over.
constexpr size_t kMaxUnrolled = 64;
// The largest def body (in nodes, once its own calls are inlined) that replaces
// a call; larger ones stay calls, whose results the evaluator remembers.
constexpr size_t kMaxInlined = 16;

size_t CountNodes(const Node* n) {
  size_t count = 1;
  for (const Node* a : n->args) count += CountNodes(a);
  return count;
}

bool HasQuantifier(const Node* n) {
  if (n->op == NodeOp::kQuantifier) return true;
  for (const Node* a : n->args)
    if (HasQuantifier(a)) return true;
  return false;
}

size_t CountSlotReads(const Node* n, int slot) {
  size_t count = n->op == NodeOp::kSlot && n->slot == slot ? 1 : 0;
  for (const Node* a : n->args) count += CountSlotReads(a, slot);
  return count;
}

// An argument cheap enough to be evaluated again wherever the def reads it: a
// name, a constant, a field (row.x, row[key]).
bool IsLeaf(const Node* n) {
  switch (n->op) {
    case NodeOp::kConst:
    case NodeOp::kSlot:
    case NodeOp::kRowField:
      return true;
    case NodeOp::kMember:
    case NodeOp::kIndex:
      for (const Node* a : n->args)
        if (a->op != NodeOp::kConst && a->op != NodeOp::kSlot) return false;
      return true;
    default:
      return false;
  }
}

// Operators whose result is a bool whenever they do not fail.
bool YieldsBool(const Node* n) {
  if (n->op == NodeOp::kNot) return true;
  if (n->op != NodeOp::kBinary) return false;
  switch (n->binary) {
    case syntax::BinaryOp::kEq:
    case syntax::BinaryOp::kNe:
    case syntax::BinaryOp::kLt:
    case syntax::BinaryOp::kLe:
    case syntax::BinaryOp::kGt:
    case syntax::BinaryOp::kGe:
    case syntax::BinaryOp::kMatches:
    case syntax::BinaryOp::kAnd:
    case syntax::BinaryOp::kOr:
    case syntax::BinaryOp::kImplies:
      return true;
    default:
      return false;
  }
}

class Specializer {
 public:
  Specializer(Context& ctx, const eval::CompiledRule& rule) : ctx_(ctx), rule_(rule) {}

  // `n` with each slot s that has by_slot[s] replaced by that node, simplified;
  // `n` itself when nothing changed.
  const Node* Substitute(const Node* n, const std::map<int, const Node*>& by_slot) {
    if (n == nullptr) return nullptr;
    if (n->op == NodeOp::kSlot) {
      auto it = by_slot.find(n->slot);
      return it == by_slot.end() ? n : it->second;
    }
    return MapArgs(n, [&](const Node* a) { return Substitute(a, by_slot); });
  }

  // `n` with calls of small defs replaced by their bodies, so that evaluation
  // skips the call frame and the result memo.
  const Node* Inline(const Node* n) {
    if (n == nullptr) return nullptr;
    const Node* with_args = MapArgs(n, [&](const Node* a) { return Inline(a); });
    if (with_args->op == NodeOp::kDefCall) {
      if (const Node* body = InlineCall(*with_args->def, with_args->args)) return body;
    }
    return with_args;
  }

  // `n` simplified under the assumption that slot `value` holds an ASCII string.
  const Node* AssumeAscii(const Node* n, int value) {
    if (n == nullptr) return nullptr;
    static const eval::Builtin* const is_bengali = eval::FindBuiltin("is_bengali");
    static const eval::Builtin* const is_nfc = eval::FindBuiltin("is_nfc");
    static const eval::Builtin* const type_of = eval::FindBuiltin("type");
    static const eval::Builtin* const normalize_digits = eval::FindBuiltin("normalize_digits");
    auto reads_value = [&](const Node* a) { return a->op == NodeOp::kSlot && a->slot == value; };
    if (n->op == NodeOp::kBuiltin && n->args.size() == 1 && reads_value(n->args[0])) {
      if (n->builtin == is_bengali) return Constant(Value::Bool(false));
      if (n->builtin == is_nfc) return Constant(Value::Bool(true));
      if (n->builtin == type_of) return Constant(Value::String(TypeName(Type::kString)));
      if (n->builtin == normalize_digits) return n->args[0];  // no digit to map
    }
    if (n->op == NodeOp::kBinary && n->binary == syntax::BinaryOp::kMatches &&
        reads_value(n->args[0]) && n->args[1]->regex_plan != nullptr &&
        n->args[1]->regex_plan->needs_non_ascii())
      return Constant(Value::Bool(false));
    if (n->op == NodeOp::kBinary &&
        (n->binary == syntax::BinaryOp::kEq || n->binary == syntax::BinaryOp::kNe) &&
        ((reads_value(n->args[0]) && IsConst(n->args[1]) && n->args[1]->constant.is_null()) ||
         (reads_value(n->args[1]) && IsConst(n->args[0]) && n->args[0]->constant.is_null())))
      return Constant(Value::Bool(n->binary == syntax::BinaryOp::kNe));
    return MapArgs(n, [&](const Node* a) { return AssumeAscii(a, value); });
  }

  const Node* Constant(const Value& v) {
    Node* c = ctx_.NewNode(NodeOp::kConst);
    c->constant = v;
    return c;
  }

 private:
  // `n` with each argument a replaced by map(a), simplified; `n` itself when
  // no argument changed.
  template <class Map>
  const Node* MapArgs(const Node* n, Map&& map) {
    std::vector<const Node*> args;
    bool changed = false;
    for (const Node* a : n->args) {
      args.push_back(map(a));
      changed = changed || args.back() != a;
    }
    if (!changed) return n;
    Node* copy = ctx_.NewNode(n->op);
    *copy = *n;
    copy->args = std::move(args);
    return Simplify(copy);
  }

  const Node* InlineCall(const eval::CompiledDef& def, const std::vector<const Node*>& args) {
    if (def.body == nullptr || HasQuantifier(def.body) || ++depth_ > 16) {
      --depth_;
      return nullptr;
    }
    std::map<int, const Node*> params;
    bool ok = true;
    for (size_t i = 0; i < args.size() && ok; ++i) {
      // A computed argument read twice would be computed twice: keep the call.
      ok = IsLeaf(args[i]) || CountSlotReads(def.body, static_cast<int>(i)) <= 1;
      params[static_cast<int>(i)] = args[i];
    }
    const Node* body = nullptr;
    if (ok) {
      body = Inline(Substitute(def.body, params));
      if (CountNodes(body) > kMaxInlined) body = nullptr;
    }
    --depth_;
    return body;
  }

  static bool IsConst(const Node* n) { return n->op == NodeOp::kConst; }

  // `n` where the typed field `field` is known not to be null: type(row.f)
  // is its schema type's name, row.f == null is false.
  const Node* AssumeFieldSet(const Node* n, int field) {
    static const eval::Builtin* const type_of = eval::FindBuiltin("type");
    auto is_field = [&](const Node* a) { return a->op == NodeOp::kRowField && a->slot == field; };
    if (rule_.schema == nullptr || field < 0 ||
        static_cast<size_t>(field) >= rule_.schema->fields.size())
      return n;
    if (n->op == NodeOp::kBuiltin && n->builtin == type_of && n->args.size() == 1 &&
        is_field(n->args[0]))
      return Constant(
          Value::String(TypeName(rule_.schema->fields[static_cast<size_t>(field)].type)));
    if (n->op == NodeOp::kBinary &&
        (n->binary == syntax::BinaryOp::kEq || n->binary == syntax::BinaryOp::kNe) &&
        is_field(n->args[0]) && IsConst(n->args[1]) && n->args[1]->constant.is_null())
      return Constant(Value::Bool(n->binary == syntax::BinaryOp::kNe));
    if (n->op == NodeOp::kQuantifier) return n;
    return MapArgs(n, [&](const Node* a) { return AssumeFieldSet(a, field); });
  }

  // `type(row.f) == "name"` (or !=) where the schema types f: a typed field is
  // of its type or null, so any other name is decided.
  const Node* TypeTestOfField(const Node* n) {
    static const eval::Builtin* const type_of = eval::FindBuiltin("type");
    if (n->op != NodeOp::kBinary ||
        (n->binary != syntax::BinaryOp::kEq && n->binary != syntax::BinaryOp::kNe))
      return nullptr;
    const Node* call = n->args[0];
    const Node* name = n->args[1];
    if (call->op != NodeOp::kBuiltin || call->builtin != type_of || call->args.size() != 1 ||
        call->args[0]->op != NodeOp::kRowField || rule_.schema == nullptr || !IsConst(name) ||
        !name->constant.is(Type::kString))
      return nullptr;
    const int field = call->args[0]->slot;
    if (field < 0 || static_cast<size_t>(field) >= rule_.schema->fields.size()) return nullptr;
    const std::string_view want = name->constant.as_string();
    if (want == TypeName(rule_.schema->fields[static_cast<size_t>(field)].type) ||
        want == TypeName(Type::kNull))
      return nullptr;
    return Constant(Value::Bool(n->binary == syntax::BinaryOp::kNe));
  }

  const Node* Simplify(Node* n) {
    // row["name"] of a schema field: read the typed field, as the compiler
    // does for a literal name.
    if (n->op == NodeOp::kIndex && rule_.schema != nullptr && n->args[0]->op == NodeOp::kSlot &&
        n->args[0]->slot == eval::kSlotSubject && IsConst(n->args[1]) &&
        n->args[1]->constant.is(Type::kString)) {
      int index = rule_.schema->Find(n->args[1]->constant.as_string());
      if (index >= 0) {
        Node* field = ctx_.NewNode(NodeOp::kRowField);
        field->slot = index;
        field->name = std::string(n->args[1]->constant.as_string());
        return field;
      }
    }
    // Short circuits decided by a constant: exactly what evaluation would do.
    if (n->op == NodeOp::kBinary && IsConst(n->args[0]) && n->args[0]->constant.is(Type::kBool)) {
      const bool a = n->args[0]->constant.as_bool();
      if ((n->binary == syntax::BinaryOp::kAnd && !a) ||
          (n->binary == syntax::BinaryOp::kOr && a) ||
          (n->binary == syntax::BinaryOp::kImplies && !a))
        return Constant(Value::Bool(n->binary != syntax::BinaryOp::kAnd));
    }
    // `true and x` and `false or x` are x when x is a bool or fails.
    if (n->op == NodeOp::kBinary && IsConst(n->args[0]) && n->args[0]->constant.is(Type::kBool) &&
        YieldsBool(n->args[1]) &&
        ((n->binary == syntax::BinaryOp::kAnd && n->args[0]->constant.as_bool()) ||
         (n->binary == syntax::BinaryOp::kOr && !n->args[0]->constant.as_bool())))
      return n->args[1];
    // `row.f != null and x`: within x, the typed field f is of its schema type.
    if (n->op == NodeOp::kBinary && n->binary == syntax::BinaryOp::kAnd &&
        n->args[0]->op == NodeOp::kBinary && n->args[0]->binary == syntax::BinaryOp::kNe &&
        n->args[0]->args[0]->op == NodeOp::kRowField && IsConst(n->args[0]->args[1]) &&
        n->args[0]->args[1]->constant.is_null()) {
      const Node* rest = AssumeFieldSet(n->args[1], n->args[0]->args[0]->slot);
      if (rest != n->args[1]) {
        Node* copy = ctx_.NewNode(n->op);
        *copy = *n;
        copy->args = {n->args[0], rest};
        return Simplify(copy);
      }
    }
    // `x and true` is x, `x or false` is x, when x is a bool or fails.
    if (n->op == NodeOp::kBinary && IsConst(n->args[1]) && n->args[1]->constant.is(Type::kBool) &&
        YieldsBool(n->args[0]) &&
        ((n->binary == syntax::BinaryOp::kAnd && n->args[1]->constant.as_bool()) ||
         (n->binary == syntax::BinaryOp::kOr && !n->args[1]->constant.as_bool())))
      return n->args[0];
    if (n->op == NodeOp::kIf && IsConst(n->args[0]) && n->args[0]->constant.is(Type::kBool))
      return n->args[n->args[0]->constant.as_bool() ? 1 : 2];
    if (const Node* decided = TypeTestOfField(n)) return decided;
    if (n->op == NodeOp::kRowField || n->op == NodeOp::kQuantifier) return n;
    for (const Node* a : n->args)
      if (!IsConst(a)) return n;
    return FoldConstant(n, ctx_);
  }

  Context& ctx_;
  const eval::CompiledRule& rule_;
  int depth_ = 0;
};

}  // namespace

void SpecializeRule(eval::CompiledRule& rule, Context& ctx) {
  Specializer sp(ctx, rule);
  for (eval::CompiledClause& c : rule.clauses) c.expr = sp.Inline(c.expr);
  rule.require = sp.Inline(rule.require);

  std::map<int, const Node*> known;
  for (size_t i = 0; i < rule.clauses.size(); ++i) {
    eval::CompiledClause& c = rule.clauses[i];
    c.expr = sp.Substitute(c.expr, known);
    if (c.op == eval::ClauseOp::kLet && c.expr != nullptr && c.expr->op == NodeOp::kConst)
      known[c.slot] = c.expr;
  }
  rule.require = sp.Substitute(rule.require, known);

  // The last `for k, v`: do its bindings pass whenever v is an ASCII string?
  for (size_t i = rule.clauses.size(); i-- > 0;) {
    eval::CompiledClause& c = rule.clauses[i];
    if (c.op != eval::ClauseOp::kFor) continue;
    if (c.slot2 < 0 || rule.is_unique || rule.mostly || rule.require == nullptr) break;
    std::map<int, const Node*> assumed;
    bool passes = true;
    for (size_t k = i + 1; k < rule.clauses.size() && passes; ++k) {
      const eval::CompiledClause& next = rule.clauses[k];
      const Node* e = sp.AssumeAscii(sp.Substitute(next.expr, assumed), c.slot2);
      if (e == nullptr) {  // a clause that did not compile: its error is already reported
        passes = false;
        break;
      }
      if (next.op == eval::ClauseOp::kLet) {
        if (e->op == NodeOp::kConst) assumed[next.slot] = e;
      } else {
        passes = e->op == NodeOp::kConst && e->constant.is(Type::kBool) && e->constant.as_bool();
      }
    }
    const Node* r =
        passes ? sp.AssumeAscii(sp.Substitute(rule.require, assumed), c.slot2) : nullptr;
    c.ascii_value_passes = r != nullptr && r->op == NodeOp::kConst && r->constant.is(Type::kBool) &&
                           r->constant.as_bool();
    break;
  }

  // Unroll the last `for` when it runs over a small constant collection.
  for (size_t i = rule.clauses.size(); i-- > 0;) {
    eval::CompiledClause& c = rule.clauses[i];
    if (c.op != eval::ClauseOp::kFor) continue;
    if (c.expr == nullptr || c.expr->op != NodeOp::kConst) break;
    const Value& coll = c.expr->constant;
    size_t size = coll.is(Type::kList)  ? coll.as_list().size()
                  : coll.is(Type::kMap) ? coll.as_map().size()
                                        : 0;
    if (size == 0 || size > kMaxUnrolled) break;
    for (size_t e = 0; e < size; ++e) {
      std::map<int, const Node*> element = known;
      if (coll.is(Type::kList)) {
        const Value& item = coll.as_list()[e];
        if (c.slot2 >= 0) {
          element[c.slot] = sp.Constant(Value::Number(Decimal::FromInt(static_cast<int64_t>(e))));
          element[c.slot2] = sp.Constant(item);
        } else {
          element[c.slot] = sp.Constant(item);
        }
      } else {
        const MapEntry& entry = coll.as_map()[e];
        element[c.slot] = sp.Constant(Value::String(entry.key).WithOriginOf(entry.value));
        if (c.slot2 >= 0) element[c.slot2] = sp.Constant(entry.value);
      }
      // Substituted, calls may have become small enough to inline.
      eval::Unrolled u;
      for (size_t k = i + 1; k < rule.clauses.size(); ++k)
        u.clauses.push_back(sp.Inline(sp.Substitute(rule.clauses[k].expr, element)));
      u.require = sp.Inline(sp.Substitute(rule.require, element));
      c.unrolled.push_back(std::move(u));
    }
    break;
  }
}

}  // namespace policy::check
