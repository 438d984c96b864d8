#pragma once
// Pass `constant_lets` (eval::Pass::kConstantLets): a `let` bound to a
// constant is read as that constant by the clauses after it and `require`.
// The name stays bound at run time (messages and `at` read it); only the nodes
// that read it are replaced by its value, and folded.
#include <map>

#include "libpolicy/check/passes/rewrite.h"

namespace policy::check::passes {

// The lets of `rule` bound to a constant, by slot (after the pass: what it
// substituted).
std::map<int, const Node*> ConstantLets(const eval::CompiledRule& rule);

void RunConstantLets(eval::CompiledRule& rule, Context& ctx);

}  // namespace policy::check::passes
