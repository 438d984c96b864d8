#include "libpolicy/check/specialize.h"

#include <map>

#include "libpolicy/eval/evaluator.h"

namespace policy::check {
namespace {

using eval::Node;
using eval::NodeOp;

// The largest constant collection a `for` is unrolled over.
constexpr size_t kMaxUnrolled = 64;

class Substituter {
 public:
  Substituter(Context& ctx, const eval::CompiledRule& rule) : ctx_(ctx), rule_(rule) {}

  // `n` with the slots of `known` read as constants and folded; `n` itself
  // when nothing changed.
  const Node* Apply(const Node* n, const std::map<int, Value>& known) {
    if (n == nullptr) return nullptr;
    if (n->op == NodeOp::kSlot) {
      auto it = known.find(n->slot);
      if (it == known.end()) return n;
      Node* c = ctx_.NewNode(NodeOp::kConst);
      c->constant = it->second;
      c->line = n->line;
      return c;
    }
    std::vector<const Node*> args;
    bool changed = false;
    for (const Node* a : n->args) {
      args.push_back(Apply(a, known));
      changed = changed || args.back() != a;
    }
    if (!changed) return n;
    Node* copy = ctx_.NewNode(n->op);
    *copy = *n;
    copy->args = std::move(args);
    return Simplify(copy);
  }

 private:
  static bool IsConst(const Node* n) { return n->op == NodeOp::kConst; }

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
        field->line = n->line;
        return field;
      }
    }
    // Short circuits decided by a constant: exactly what evaluation would do.
    if (n->op == NodeOp::kBinary && IsConst(n->args[0]) && n->args[0]->constant.is(Type::kBool)) {
      const bool a = n->args[0]->constant.as_bool();
      if ((n->binary == syntax::BinaryOp::kAnd && !a) ||
          (n->binary == syntax::BinaryOp::kOr && a) ||
          (n->binary == syntax::BinaryOp::kImplies && !a)) {
        Node* c = ctx_.NewNode(NodeOp::kConst);
        c->constant = Value::Bool(n->binary != syntax::BinaryOp::kAnd);
        return c;
      }
    }
    if (n->op == NodeOp::kIf && IsConst(n->args[0]) && n->args[0]->constant.is(Type::kBool))
      return n->args[n->args[0]->constant.as_bool() ? 1 : 2];
    if (n->op == NodeOp::kRowField || n->op == NodeOp::kQuantifier) return n;
    for (const Node* a : n->args)
      if (!IsConst(a)) return n;
    Arena scratch(4096);
    eval::Evaluator ev(scratch);
    Value v = ev.Eval(n, nullptr, nullptr);
    // A constant expression that fails is left to fail at run time, as a finding.
    if (ev.error().set()) return n;
    Node* folded = ctx_.NewNode(NodeOp::kConst);
    folded->constant = v.is(Type::kRegex) ? v : DeepCopy(v, ctx_.program.arena);
    folded->line = n->line;
    return folded;
  }

  Context& ctx_;
  const eval::CompiledRule& rule_;
};

}  // namespace

void SpecializeRule(eval::CompiledRule& rule, Context& ctx) {
  Substituter sub(ctx, rule);
  std::map<int, Value> known;
  for (size_t i = 0; i < rule.clauses.size(); ++i) {
    eval::CompiledClause& c = rule.clauses[i];
    c.expr = sub.Apply(c.expr, known);
    if (c.op == eval::ClauseOp::kLet && c.expr != nullptr && c.expr->op == NodeOp::kConst)
      known[c.slot] = c.expr->constant;
  }
  rule.require = sub.Apply(rule.require, known);

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
      std::map<int, Value> element = known;
      if (coll.is(Type::kList)) {
        const Value& item = coll.as_list()[e];
        if (c.slot2 >= 0) {
          element[c.slot] = Value::Number(Decimal::FromInt(static_cast<int64_t>(e)));
          element[c.slot2] = item;
        } else {
          element[c.slot] = item;
        }
      } else {
        const MapEntry& entry = coll.as_map()[e];
        element[c.slot] = Value::String(entry.key).WithOriginOf(entry.value);
        if (c.slot2 >= 0) element[c.slot2] = entry.value;
      }
      eval::Unrolled u;
      for (size_t k = i + 1; k < rule.clauses.size(); ++k)
        u.clauses.push_back(sub.Apply(rule.clauses[k].expr, element));
      u.require = sub.Apply(rule.require, element);
      c.unrolled.push_back(std::move(u));
    }
    break;
  }
}

}  // namespace policy::check
