#pragma once
// Pass `key_filters` (eval::Pass::kKeyFilters): in `for k, v in MAP where
// LEAD and REST`, a LEAD that reads nothing but the key (`where
// is_tin_field(k) and ...`) becomes the clause's key filter
// (CompiledClause::key_filter, where_rest), whose verdict per key the Runner
// remembers (kKeyVerdicts) and, for record fields, per record shape
// (kShapePlans). A LEAD `type(v) == "name"` sets CompiledClause::value_type:
// a value of another type skips its binding at once.
#include "libpolicy/check/context.h"

namespace policy::check::passes {

void RunKeyFilters(eval::CompiledRule& rule, Context& ctx);

}  // namespace policy::check::passes
