#pragma once
// Rule specialisation after compilation: what a rule computes from constants
// is computed once, here, instead of for every record.
//
//  * A `let` bound to a constant is read as that constant by later clauses.
//  * A `for` over a small constant list or map (`for field, what in mandatory`)
//    is unrolled: for each element the clauses after it and `require` are
//    compiled again with the element substituted and folded, so `row[field]`
//    becomes a direct schema-field read and `field == "x"` a constant.
// The evaluation is the same: the names stay bound at run time (messages and
// `at` read them), only the nodes that read them are replaced by their values.
#include "libpolicy/check/context.h"

namespace policy::check {

void SpecializeRule(eval::CompiledRule& rule, Context& ctx);

// Replaces the commonest operators in what the rule evaluates per binding by
// dedicated nodes (`and`, `or`, `x == null`, `type(x) == "name"`), after the
// rule's analyses (key filters, memo inputs), which read only the general forms.
void LowerRule(eval::CompiledRule& rule, Context& ctx);

}  // namespace policy::check
