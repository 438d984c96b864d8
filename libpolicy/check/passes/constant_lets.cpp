#include "libpolicy/check/passes/constant_lets.h"

namespace policy::check::passes {

std::map<int, const Node*> ConstantLets(const eval::CompiledRule& rule) {
  std::map<int, const Node*> known;
  for (const eval::CompiledClause& c : rule.clauses)
    if (c.op == eval::ClauseOp::kLet && c.expr != nullptr && c.expr->op == NodeOp::kConst)
      known[c.slot] = c.expr;
  return known;
}

void RunConstantLets(eval::CompiledRule& rule, Context& ctx) {
  Rewriter rw(ctx, rule);
  std::map<int, const Node*> known;
  for (eval::CompiledClause& c : rule.clauses) {
    c.expr = rw.Substitute(c.expr, known);
    if (c.op == eval::ClauseOp::kLet && c.expr != nullptr && c.expr->op == NodeOp::kConst)
      known[c.slot] = c.expr;
  }
  rule.require = rw.Substitute(rule.require, known);
  rule.unique_within = rw.Substitute(rule.unique_within, known);
}

}  // namespace policy::check::passes
