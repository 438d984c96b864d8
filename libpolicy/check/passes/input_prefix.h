#pragma once
// Pass `input_prefix` (eval::Pass::kInputPrefix): counts the leading lets and
// wheres that read neither the subject nor the line, only `file` and params
// (CompiledRule::input_prefix). On record inputs their verdict is the same for
// every record, so a `where` among them that is false for an input makes the
// rule dormant there (kDormantRules, Runner::InputPrefixHolds).
#include "libpolicy/check/context.h"

namespace policy::check::passes {

void RunInputPrefix(eval::CompiledRule& rule, Context& ctx);

}  // namespace policy::check::passes
