#include "libpolicy/check/passes/key_filters.h"

#include "libpolicy/check/passes/reads.h"

namespace policy::check::passes {
namespace {

// `chain` (an `and` chain whose leftmost operand is `lead`) without `lead`;
// null when `chain` is `lead`.
const eval::Node* WithoutLead(const eval::Node* chain, const eval::Node* lead, Context& ctx) {
  if (chain == lead) return nullptr;
  const eval::Node* left = WithoutLead(chain->args[0], lead, ctx);
  if (left == nullptr) return chain->args[1];
  eval::Node* n = ctx.NewNode(eval::NodeOp::kBinary);
  *n = *chain;
  n->args = {left, chain->args[1]};
  return n;
}

}  // namespace

void RunKeyFilters(eval::CompiledRule& rule, Context& ctx) {
  for (size_t i = 0; i + 1 < rule.clauses.size(); ++i) {
    eval::CompiledClause& c = rule.clauses[i];
    const eval::CompiledClause& next = rule.clauses[i + 1];
    if (c.op != eval::ClauseOp::kFor || next.op != eval::ClauseOp::kWhere || next.expr == nullptr)
      continue;
    // The leftmost operand of an `and` chain: false there means false overall.
    const eval::Node* lead = next.expr;
    while (lead->op == eval::NodeOp::kBinary && lead->binary == syntax::BinaryOp::kAnd)
      lead = lead->args[0];
    if (c.slot2 >= 0 && lead->op == eval::NodeOp::kBinary &&
        lead->binary == syntax::BinaryOp::kEq && lead->args[0]->op == eval::NodeOp::kBuiltin &&
        eval::Lowers(&lead->args[0]->callee(), eval::Lowering::kTypeName) &&
        lead->args[0]->args.size() == 1 && lead->args[0]->args[0]->op == eval::NodeOp::kSlot &&
        lead->args[0]->args[0]->read_slot() == c.slot2 &&
        lead->args[1]->op == eval::NodeOp::kConst && lead->args[1]->constant.is(Type::kString)) {
      for (int t = 0; t <= static_cast<int>(Type::kRegex); ++t)
        if (TypeName(static_cast<Type>(t)) == lead->args[1]->constant.as_string()) c.value_type = t;
    }
    std::vector<bool> key_only(static_cast<size_t>(rule.num_slots), false);
    key_only[static_cast<size_t>(c.slot)] = true;
    if (ReadsOnly(lead, key_only)) {
      c.key_filter = lead;
      c.filter_id = ctx.program.num_key_filters++;
      c.where_rest = WithoutLead(next.expr, lead, ctx);
    }
  }
}

}  // namespace policy::check::passes
