#include "libpolicy/check/passes/identity_chains.h"

#include "libpolicy/check/passes/rewrite.h"

namespace policy::check::passes {

void RunIdentityChains(eval::CompiledRule& rule, Context& ctx) {
  LowerEvaluated(rule, ctx, [&](const Node* n) -> const Node* {
    if (n->op != NodeOp::kBuiltin || n->args.size() != 1) return nullptr;
    const eval::IdentityWhen when = n->callee().traits.identity;
    if (when == eval::IdentityWhen::kNever) return nullptr;
    const Node* inner = n->args[0];
    Node* t = ctx.NewNode(NodeOp::kIdentityWhen);
    if (inner->op == NodeOp::kIdentityWhen) {
      // One node for the chain: its argument is evaluated once, then each stage.
      *t = *inner;
      t->stages.emplace_back(&n->callee(), static_cast<uint8_t>(when));
      return t;
    }
    *t = *n;
    t->op = NodeOp::kIdentityWhen;
    t->set_identity_when(when);
    return t;
  });
}

}  // namespace policy::check::passes
