#include "libpolicy/check/passes/input_prefix.h"

#include "libpolicy/check/passes/reads.h"

namespace policy::check::passes {

void RunInputPrefix(eval::CompiledRule& rule, Context&) {
  std::vector<bool> per_input(static_cast<size_t>(rule.num_slots), false);
  per_input[eval::kSlotFile] = true;
  size_t i = 0;
  for (; i < rule.clauses.size(); ++i) {
    const eval::CompiledClause& c = rule.clauses[i];
    if (c.op == eval::ClauseOp::kFor || !ReadsOnly(c.expr, per_input)) break;
    if (c.op == eval::ClauseOp::kLet) per_input[static_cast<size_t>(c.slot)] = true;
  }
  rule.input_prefix = i;
}

}  // namespace policy::check::passes
