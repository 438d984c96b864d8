#pragma once
// Pass `lower_tests` (eval::Pass::kLowerTests): the conditions that run on
// every record get dedicated nodes (eval/program.h, NodeOp kAnd and after),
// evaluated without building Values: `and`, `or`, `x == null`, `type(x) ==
// "name"`, `trim(x) == ""`. Runs after the analyses, which read only the
// general node forms; `at` and messages keep the general forms.
#include "libpolicy/check/context.h"

namespace policy::check::passes {

void RunLowerTests(eval::CompiledRule& rule, Context& ctx);

}  // namespace policy::check::passes
