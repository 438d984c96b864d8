#pragma once
// Pass `fold` (eval::Pass::kFold): what a constant decides is decided once,
// exactly as evaluation would: short circuits on a constant, `if` on a
// constant, `true and x`, `x or false`, `row["name"]` of a schema field,
// `type(row.f)` of a typed field, operators whose arguments are all constants.
// It has no walk of its own: it simplifies each node the other passes rewrite
// (Rewriter::Simplify), so it is on or off with them.
#include "libpolicy/check/passes/rewrite.h"

namespace policy::check::passes {

// `n` (just rewritten, its arguments final) simplified; `n` when nothing applies.
const Node* Fold(Rewriter& rw, Node* n);

}  // namespace policy::check::passes
