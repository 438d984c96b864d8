#pragma once
// Pass `memo_point` (eval::Pass::kMemoPoint): the earliest clause from which a
// binding's outcome depends on a few scalar values alone (names bound before
// it, record fields), when evaluating from there costs more than a memo lookup
// (CompiledRule::memo_from, memo_inputs). The Runner's memo (kMemo) then
// remembers passes and skips by those values. Costs come from the builtins'
// traits (BuiltinTraits::cost); impure builtins are never remembered.
#include "libpolicy/check/context.h"

namespace policy::check::passes {

void RunMemoPoint(eval::CompiledRule& rule, Context& ctx);

}  // namespace policy::check::passes
