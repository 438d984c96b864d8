#pragma once
// The call graph of the compiled defs: recursion is an error (LANGUAGE.md
// section 2), and so is a def whose evaluation would be too deep for the
// evaluator's native stack or too costly to ever finish, since both follow
// from the rule file alone (`def g2(x) = g1(g1(x))`, ... doubles the work at
// every level; a chain of thousands of defs nests as deep as it is long).
// Walked with an explicit stack: the graph itself may be that long.
#include <map>
#include <utility>

#include "libpolicy/check/context.h"

namespace policy::check {

// The longest path of nested nodes through def bodies: the evaluator recurses
// a few native frames per level, so this bounds its stack (with the rule's own
// expression height, itself bounded by the parser).
inline constexpr size_t kMaxDefNesting = 1024;
// The number of nodes one call evaluates when no result is remembered: the
// body's nodes plus, for every call in it, the callee's cost.
inline constexpr size_t kMaxDefCost = 10'000'000;

using DefOrigins =
    std::map<const eval::CompiledDef*, std::pair<const LoadedFile*, const syntax::Def*>>;

// Reports `def.cycle`, `def.too_deep` and `def.too_costly` at the def's name.
void CheckDefGraph(const DefOrigins& origin, Context& ctx);

}  // namespace policy::check
