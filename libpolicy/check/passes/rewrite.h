#pragma once
// Node rewriting shared by the compile-time passes. Nodes are immutable once
// built (several expressions may share one), so a rewrite copies the path from
// the root to what changed and leaves the rest shared.
#include <map>

#include "libpolicy/check/context.h"

namespace policy::check::passes {

using eval::Node;
using eval::NodeOp;

class Rewriter {
 public:
  Rewriter(Context& ctx, const eval::CompiledRule& rule) : ctx_(ctx), rule_(rule) {}

  Context& ctx() { return ctx_; }
  const eval::CompiledRule& rule() const { return rule_; }

  // A new constant node.
  const Node* Constant(const Value& v);

  // `n` with each slot s that has by_slot[s] replaced by that node, simplified;
  // `n` itself when nothing changed.
  const Node* Substitute(const Node* n, const std::map<int, const Node*>& by_slot);

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

  // A node just rewritten: folded (passes/fold.h) when that pass is on.
  const Node* Simplify(Node* n);

 private:
  Context& ctx_;
  const eval::CompiledRule& rule_;
};

// True for a constant bool node of value `value`.
inline bool IsConstBool(const Node* n, bool value) {
  return n != nullptr && n->op == NodeOp::kConst && n->constant.is(Type::kBool) &&
         n->constant.as_bool() == value;
}

// Applies `lower` bottom-up to every expression `rule` evaluates per binding
// (clauses, key filters and what is left of their wheres, unrolled elements,
// `require`), once per distinct node: `lower(n)` sees `n` with its arguments
// already lowered and returns its replacement, or null to keep it. `at` and
// messages keep the general forms.
template <class Lower>
void LowerEvaluated(eval::CompiledRule& rule, Context& ctx, Lower&& lower) {
  std::map<const Node*, const Node*> done;
  auto walk = [&](auto&& self, const Node* n) -> const Node* {
    if (n == nullptr) return nullptr;
    auto it = done.find(n);
    if (it != done.end()) return it->second;
    std::vector<const Node*> args;
    bool changed = false;
    for (const Node* a : n->args) {
      args.push_back(self(self, a));
      changed = changed || args.back() != a;
    }
    const Node* out = n;
    if (changed) {
      Node* copy = ctx.NewNode(n->op);
      *copy = *n;
      copy->args = std::move(args);
      out = copy;
    }
    if (const Node* lowered = lower(out)) out = lowered;
    done[n] = out;
    return out;
  };
  for (eval::CompiledClause& c : rule.clauses) {
    c.expr = walk(walk, c.expr);
    c.key_filter = walk(walk, c.key_filter);
    c.where_rest = walk(walk, c.where_rest);
    for (eval::Unrolled& u : c.unrolled) {
      for (const Node*& e : u.clauses) e = walk(walk, e);
      u.require = walk(walk, u.require);
    }
  }
  rule.require = walk(walk, rule.require);
  rule.unique_within = walk(walk, rule.unique_within);
}

}  // namespace policy::check::passes
