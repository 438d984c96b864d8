#include "libpolicy/check/passes/rewrite.h"

#include "libpolicy/check/passes/fold.h"

namespace policy::check::passes {

const Node* Rewriter::Constant(const Value& v) {
  Node* c = ctx_.NewNode(NodeOp::kConst);
  c->constant = v;
  return c;
}

const Node* Rewriter::Substitute(const Node* n, const std::map<int, const Node*>& by_slot) {
  if (n == nullptr) return nullptr;
  if (n->op == NodeOp::kSlot) {
    auto it = by_slot.find(n->read_slot());
    return it == by_slot.end() ? n : it->second;
  }
  return MapArgs(n, [&](const Node* a) { return Substitute(a, by_slot); });
}

const Node* Rewriter::Simplify(Node* n) {
  return rule_.passes.on(eval::Pass::kFold) ? Fold(*this, n) : n;
}

}  // namespace policy::check::passes
