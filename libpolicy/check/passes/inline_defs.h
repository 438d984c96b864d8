#pragma once
// Pass `inline_defs` (eval::Pass::kInlineDefs): calls of small defs are
// replaced by their bodies, so that evaluation skips the call frame and the
// result memo. A def is inlined when its body has no quantifier, each computed
// argument is read at most once, and the inlined body stays small.
#include "libpolicy/check/passes/rewrite.h"

namespace policy::check::passes {

// `n` with the calls of small defs inlined (repeatedly, within a depth bound).
const Node* InlineDefs(Rewriter& rw, const Node* n);

// The pass: every clause and `require` of `rule`.
void RunInlineDefs(eval::CompiledRule& rule, Context& ctx);

}  // namespace policy::check::passes
