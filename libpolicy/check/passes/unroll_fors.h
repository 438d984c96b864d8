#pragma once
// Pass `unroll_fors` (eval::Pass::kUnrollFors): the last `for` of a rule over
// a small constant list or map (`for field, what in mandatory`) is unrolled:
// for each element, the clauses after it and `require` are compiled again with
// the element substituted and folded (CompiledClause::unrolled), so
// `row[field]` becomes a direct schema-field read and `field == "x"` a
// constant. The names stay bound at run time for messages and `at`.
#include "libpolicy/check/passes/rewrite.h"

namespace policy::check::passes {

void RunUnrollFors(eval::CompiledRule& rule, Context& ctx);

}  // namespace policy::check::passes
