#pragma once
// Lowering: after a rule's analyses (key filters, input prefix, memo inputs),
// which read only the general node forms, the conditions and text builtins
// that run on every record get dedicated nodes (eval/program.h, NodeOp kAnd
// and after), evaluated without building Values.
#include "libpolicy/check/context.h"

namespace policy::check {

// Rewrites what `rule` evaluates per binding (clauses, key filters, `require`,
// unrolled elements): `and`, `or`, `x == null`, `type(x) == "name"`,
// `trim(x) == ""`, presence tests, and text builtins that may return their
// argument unchanged. `at` and messages keep the general forms.
void LowerRule(eval::CompiledRule& rule, Context& ctx);

}  // namespace policy::check
