#pragma once
// Pass `presence_tests` (eval::Pass::kPresenceTests), after `lower_tests`:
//  * `x != null and trim(x) != ""` (or `... and (type(x) != "string" or
//    trim(x) != "")`) for a name or field x becomes one NodeOp::kPresent;
//  * a chain of `x != null` tests of names and typed fields joined by `and`
//    (guards before arithmetic) one NodeOp::kNoneNull;
//  * an unrolled `for` whose every element's `require` is such a test of a
//    typed field gets CompiledClause::unrolled_presence, which the Runner
//    reads straight from the typed row (kPresenceLane).
#include "libpolicy/check/context.h"

namespace policy::check::passes {

void RunPresenceTests(eval::CompiledRule& rule, Context& ctx);

}  // namespace policy::check::passes
