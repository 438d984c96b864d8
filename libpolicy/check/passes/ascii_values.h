#pragma once
// Pass `ascii_values` (eval::Pass::kAsciiValues): the last `for k, v` of a rule
// is marked (CompiledClause::ascii_value_passes) when every binding whose v is
// ASCII text passes: its wheres and `require`, simplified under that
// assumption with the builtins' OnAscii traits (ASCII is never Bengali, is
// always NFC, has no digit to normalise), fold to true. Text hygiene rules are
// such; the Runner then counts those bindings without evaluating them.
#include "libpolicy/check/passes/rewrite.h"

namespace policy::check::passes {

void RunAsciiValues(eval::CompiledRule& rule, Context& ctx);

}  // namespace policy::check::passes
