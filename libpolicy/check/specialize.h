#pragma once
// Rule specialisation after compilation: what a rule computes from constants
// is computed once, here, instead of for every record.
//
//  * Calls of small defs are replaced by their bodies.
//  * A `let` bound to a constant is read as that constant by later clauses.
//  * A `for` over a small constant list or map (`for field, what in mandatory`)
//    is unrolled: for each element the clauses after it and `require` are
//    compiled again with the element substituted and folded, so `row[field]`
//    becomes a direct schema-field read and `field == "x"` a constant.
//  * What evaluation would decide anyway is folded: short circuits on a
//    constant, `if` on a constant, `type(row.f)` of a typed field.
//  * The last `for k, v` is marked when its bindings pass whenever v is ASCII
//    text (CompiledClause::ascii_value_passes).
// The evaluation is the same: the names stay bound at run time (messages and
// `at` read them), only the nodes that read them are replaced by their values.
#include "libpolicy/check/context.h"

namespace policy::check {

void SpecializeRule(eval::CompiledRule& rule, Context& ctx);

}  // namespace policy::check
