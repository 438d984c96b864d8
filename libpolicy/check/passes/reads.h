#pragma once
// What an expression reads, for the analyses that move work out of the
// per-binding walk (key filters, input prefix, memo point).
#include <vector>

#include "libpolicy/eval/program.h"

namespace policy::check::passes {

// True when `n` reads no slot outside `allowed`, and calls only pure builtins
// (BuiltinTraits::pure); defs are pure, so only their arguments count.
bool ReadsOnly(const eval::Node* n, const std::vector<bool>& allowed);

}  // namespace policy::check::passes
